/* The stream layer (gzip, zstd, plain; detected by magic bytes): lines and
 * raw reads of the same file must give the same bytes; errors must name
 * the file. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    const char *p = fz_file(0, "s.bin", data, size);
    sgae_reader *r = NULL;
    size_t line_bytes = 0, raw_bytes = 0;
    int line_ok = 0, raw_ok = 0;
    sgae_status st = sgae_reader_open(p, &r);
    if (st)
        fz_expect_input_error(st, p);
    for (;;) {
        char *line;
        size_t len;
        if (!r)
            break;
        st = sgae_reader_line(r, &line, &len);
        if (st) {
            fz_expect_input_error(st, p);
            break;
        }
        if (!line) {
            line_ok = 1;
            break;
        }
        if (strlen(line) != len)
            fz_fail("%s: line of %zu bytes reported as %zu", p, strlen(line), len);
        line_bytes += len;
    }
    sgae_reader_close(r);
    r = NULL;
    if (!sgae_reader_open(p, &r)) {
        static char buf[65536];
        for (;;) {
            size_t got;
            st = sgae_reader_read(r, buf, sizeof buf, &got);
            if (st) {
                fz_expect_input_error(st, p);
                break;
            }
            if (got == 0) {
                raw_ok = 1;
                break;
            }
            if (raw_bytes > ((size_t)1 << 30))
                fz_fail("%s: more than 1 GiB from %zu bytes", p, size);
            raw_bytes += got;
        }
        sgae_reader_close(r);
    }
    /* a stream the line reader accepts must read raw too (the converse
     * need not hold: a NUL byte or an over-long line is a line error) */
    if (line_ok && !raw_ok)
        fz_fail("%s: lines read to the end but raw reads fail", p);
    if (line_ok && line_bytes > raw_bytes)
        fz_fail("%s: %zu bytes in lines, %zu raw", p, line_bytes, raw_bytes);
    unlink(p);
    return 0;
}

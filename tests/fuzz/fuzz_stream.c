/* The stream layer (gzip, zstd, plain; detected by magic bytes): lines and
 * raw reads of the same file must agree; errors must name the file; and a
 * stream that the reference decoders accept (zlib for gzip members, as
 * `gzip -d` does, trailing zero bytes included; zstd with windows up to
 * 2^27, sgae's default limit and the zstd command's) must be read, with the same bytes. */
#include "fuzz.h"

#define REF_CAP ((size_t)64 << 20)

/* Reference decoding; 1 and the bytes in *out (*len) if it decodes whole. */
static int reference(const uint8_t *d, size_t n, uint8_t **out, size_t *len)
{
    uint8_t *buf = malloc(REF_CAP);
    size_t w = 0;
    int ok = 0;
    if (!buf)
        fz_fail("harness out of memory");
    if (n >= 2 && d[0] == 0x1f && d[1] == 0x8b) {
        size_t pos = 0;
        ok = 1;
        while (ok && pos < n) {
            size_t z = pos;
            while (z < n && d[z] == 0)
                z++;
            if (z == n && pos > 0)
                break; /* zero padding after a member */
            z_stream zs;
            memset(&zs, 0, sizeof zs);
            if (inflateInit2(&zs, 15 + 16) != Z_OK)
                fz_fail("zlib init");
            zs.next_in = (Bytef *)(d + pos);
            zs.avail_in = (uInt)(n - pos);
            int r;
            do {
                zs.next_out = buf + w;
                zs.avail_out = (uInt)(REF_CAP - w);
                r = inflate(&zs, Z_NO_FLUSH);
                w = REF_CAP - zs.avail_out;
            } while (r == Z_OK && w < REF_CAP && zs.avail_in > 0);
            ok = r == Z_STREAM_END;
            pos = n - zs.avail_in;
            inflateEnd(&zs);
        }
    } else if (n >= 4 && d[0] == 0x28 && d[1] == 0xb5 && d[2] == 0x2f && d[3] == 0xfd) {
        ZSTD_DCtx *dc = ZSTD_createDCtx();
        ZSTD_DCtx_setParameter(dc, ZSTD_d_windowLogMax, 27); /* sgae's default */
        ZSTD_inBuffer in = {d, n, 0};
        size_t r = 0;
        while (in.pos < in.size && w < REF_CAP) {
            ZSTD_outBuffer o = {buf + w, REF_CAP - w, 0};
            r = ZSTD_decompressStream(dc, &o, &in);
            w += o.pos;
            if (ZSTD_isError(r))
                break;
            if (o.pos == 0 && in.pos < in.size && r != 0 && o.size > 0)
                continue;
        }
        ok = !ZSTD_isError(r) && r == 0 && in.pos == in.size;
        ZSTD_freeDCtx(dc);
    }
    if (w >= REF_CAP)
        ok = 0; /* too large to compare here */
    *out = buf;
    *len = w;
    return ok;
}

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
    uint8_t *ref;
    size_t ref_len;
    if (reference(data, size, &ref, &ref_len)) {
        if (!raw_ok)
            fz_fail("%s: a valid compressed stream (%zu bytes decoded by the reference) is "
                    "refused: %s", p, ref_len, sgae_last_error());
        if (raw_bytes != ref_len)
            fz_fail("%s: %zu bytes read, the reference decodes %zu", p, raw_bytes, ref_len);
    }
    free(ref);
    unlink(p);
    return 0;
}

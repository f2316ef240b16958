/* The parallel chunk parser of plain edge lists, which cuts files of 1 MiB
 * and more at line boundaries: the input's first line is kept as it is (a
 * header candidate), the rest is repeated until the file passes 1 MiB, so
 * that anomalies (comments, bad lines, NUL bytes, long lines) fall into
 * chunks other than the first.  The streaming parser (the same bytes
 * gzip-compressed) must agree. */
#include "fuzz.h"

#define TARGET (((size_t)1 << 20) + 4096)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 65536)
        return 0;
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) + 1 : 0, body = size - head;
    if (body == 0)
        return 0;
    size_t reps = (TARGET - head) / body + 1;
    size_t total = head + reps * body;
    uint8_t *buf = malloc(total);
    if (!buf)
        fz_fail("harness out of memory");
    memcpy(buf, data, head);
    for (size_t r = 0; r < reps; r++)
        memcpy(buf + head + r * body, data + head, body);
    const char *pa = fz_file(0, "chunks.txt", buf, total);
    const char *pb = fz_file_gz(1, "chunks.txt.gz", buf, total);
    free(buf);
    fz_two_paths(pa, pb, SGAE_FMT_EDGELIST, "edge list chunked / streamed");
    return 0;
}

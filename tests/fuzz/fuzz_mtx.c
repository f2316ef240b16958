/* Matrix Market as a graph, plain and zstd-compressed (must agree). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT || fz_mtx_rows(data, size) > FZ_MAX_ROWS)
        return 0;
    const char *pa = fz_file(0, "g.mtx", data, size);
    const char *pb = fz_file_zst(1, "g.mtx.zst", data, size);
    fz_two_paths(pa, pb, SGAE_FMT_MTX, "Matrix Market plain / zstd");
    return 0;
}

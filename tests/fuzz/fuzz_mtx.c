/* Matrix Market as a graph, plain and zstd-compressed (must agree). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT || fz_mtx_rows(data, size) > FZ_MAX_ROWS)
        return 0;
    sgae_graph *a = NULL, *b = NULL;
    const char *pa = fz_file(0, "g.mtx", data, size);
    const char *pb = fz_file_zst(1, "g.mtx.zst", data, size);
    sgae_status sa = fz_load_graph(pa, SGAE_FMT_MTX, &a);
    sgae_status sb = fz_load_graph(pb, SGAE_FMT_MTX, &b);
    fz_same_outcome(sa, sb, "plain / zstd Matrix Market");
    if (!sa)
        fz_same_graph(a, b, "Matrix Market plain vs zstd");
    sgae_graph_free(a);
    sgae_graph_free(b);
    unlink(pa);
    unlink(pb);
    return 0;
}

/* Matrix Market as a graph, plain and zstd-compressed (must agree). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT || fz_mtx_rows(data, size) > FZ_MAX_ROWS)
        return 0;
    sgae_graph *a = NULL, *b = NULL;
    const char *pa = fz_file(0, "g.mtx", data, size);
    const char *pb = fz_file_zst(1, "g.mtx.zst", data, size);
    sgae_status sa = sgae_graph_load(pa, SGAE_FMT_MTX, &a);
    if (sa)
        fz_expect_input_error(sa, pa);
    else
        fz_check_graph(a, pa);
    sgae_status sb = sgae_graph_load(pb, SGAE_FMT_MTX, &b);
    if (sb)
        fz_expect_input_error(sb, pb);
    if ((sa == SGAE_OK) != (sb == SGAE_OK))
        fz_fail("plain / zstd Matrix Market disagree: %s / %s", sgae_status_string(sa),
                sgae_status_string(sb));
    if (!sa)
        fz_same_graph(a, b, "Matrix Market plain vs zstd");
    sgae_graph_free(a);
    sgae_graph_free(b);
    unlink(pa);
    unlink(pb);
    return 0;
}

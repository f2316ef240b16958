/* Matrix Market as node features (Planetoid convention) for a small fixed
 * graph: the matrix must come out with sorted unique columns and finite
 * values, one row per node. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT || fz_mtx_rows(data, size) > FZ_MAX_ROWS)
        return 0;
    static const char edges[] = "0 1\n1 2\n2 0\n";
    const char *pg = fz_file(0, "g.txt", edges, sizeof edges - 1);
    const char *pf = fz_file(1, "x.mtx", data, size);
    sgae_load_opts o = {.graph = pg, .features = pf};
    sgae_dataset ds;
    sgae_status st = sgae_dataset_load(&o, &ds);
    if (st)
        fz_expect_input_error(st, pf);
    else
        fz_check_dataset(&ds, pf);
    sgae_dataset_clear(&ds);
    unlink(pg);
    unlink(pf);
    return 0;
}

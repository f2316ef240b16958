/* Matrix Market as node features (Planetoid convention) for a small fixed
 * graph: the matrix must come out with sorted unique columns and finite
 * values, one row per node. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= FZ_MAX_INPUT && fz_mtx_rows(data, size) <= FZ_MAX_ROWS)
        fz_load_beside("0 1\n1 2\n2 0\n", "x.mtx", data, size, 0);
    return 0;
}

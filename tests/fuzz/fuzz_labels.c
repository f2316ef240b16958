/* "node label" files for a small fixed graph (ids 1, 2, 3, 10, 20). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    static const char edges[] = "1 2\n2 3\n3 1\n10 20\n";
    const char *pg = fz_file(0, "g.txt", edges, sizeof edges - 1);
    const char *pl = fz_file(1, "labels.txt", data, size);
    sgae_load_opts o = {.graph = pg, .labels = pl};
    sgae_dataset ds;
    sgae_status st = sgae_dataset_load(&o, &ds);
    if (st)
        fz_expect_input_error(st, pl);
    else
        fz_check_dataset(&ds, pl);
    sgae_dataset_clear(&ds);
    unlink(pg);
    unlink(pl);
    return 0;
}

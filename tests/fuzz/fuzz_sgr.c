/* The binary graph file (.sgr, version 2 container or version 1).  What
 * loads must pass sgae_graph_check and survive a save / load round trip
 * unchanged. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    const char *p = fz_file(0, "g.sgr", data, size);
    const char *q = fz_path(1, "round.sgr");
    sgae_graph *g = NULL, *h = NULL;
    sgae_status st = sgae_sgr_load(p, &g);
    if (st) {
        fz_expect_input_error(st, p);
    } else {
        fz_check_graph(g, p);
        if (sgae_sgr_save(g, q, NULL) || sgae_sgr_load(q, &h))
            fz_fail("%s: round trip failed: %s", p, sgae_last_error());
        fz_same_graph(g, h, ".sgr round trip");
    }
    fz_cleanup(g, h, p, q);
    return 0;
}

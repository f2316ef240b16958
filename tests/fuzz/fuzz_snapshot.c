/* Training snapshots: open, verify every section, read the embeddings and
 * the id map (a graph: it must pass sgae_graph_check). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    const char *p = fz_file(0, "run.snap", data, size);
    sgae_snapshot *s = NULL;
    sgae_status st = sgae_snapshot_open(p, &s);
    if (st) {
        fz_expect_input_error(st, p);
    } else {
        sgae_snapshot_info info;
        sgae_snapshot_info_get(s, &info);
        for (int i = 0; i < info.sections; i++) {
            sgae_snapshot_section sec;
            if (sgae_snapshot_section_get(s, i, &sec))
                fz_fail("%s: section %d of %d not listed", p, i, info.sections);
        }
        st = sgae_snapshot_verify(s);
        if (st) {
            fz_expect_input_error(st, p);
        } else {
            sgae_graph *g = NULL;
            st = sgae_snapshot_id_graph(s, &g);
            if (st)
                fz_expect_input_error(st, p);
            else
                fz_check_graph(g, p);
            sgae_graph_free(g);
            float *x = NULL;
            int64_t rows, cols;
            st = sgae_snapshot_embeddings(s, SGAE_EMB_MU, &x, &rows, &cols);
            if (st)
                fz_expect_input_error(st, p);
            else if (rows != info.nodes)
                fz_fail("%s: %lld embedding rows for %lld nodes", p, (long long)rows,
                        (long long)info.nodes);
            free(x);
        }
    }
    sgae_snapshot_free(s);
    unlink(p);
    return 0;
}

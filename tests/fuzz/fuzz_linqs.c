/* LINQS: the input is cut at its first "\n==\n" (or its middle) into a
 * .content and a .cites file.  Loading by either name must give the same
 * data set (graph, features, labels), or both fail. */
#include "fuzz.h"

static sgae_status load(const char *path, const char *other, sgae_dataset *ds)
{
    sgae_load_opts o = {.graph = path, .format = SGAE_FMT_LINQS};
    sgae_status st = sgae_dataset_load(&o, ds);
    if (st) {
        const char *m = sgae_last_error();
        if (!strstr(m, path) && !strstr(m, other))
            fz_expect_input_error(st, path);
        else if (st == SGAE_E_NOMEM || st == SGAE_E_INTERNAL)
            fz_expect_input_error(st, path);
    } else {
        fz_check_dataset(ds, path);
    }
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    size_t cut = size / 2, skip = 0;
    const uint8_t *sep = NULL;
    for (size_t i = 0; i + 4 <= size; i++)
        if (!memcmp(data + i, "\n==\n", 4)) {
            sep = data + i;
            break;
        }
    if (sep) {
        cut = (size_t)(sep - data) + 1;
        skip = 3;
    }
    const char *pc = fz_file(0, "p.content", data, cut);
    const char *pe = fz_file(1, "p.cites", data + cut + skip, size - cut - skip);
    sgae_dataset a, b;
    sgae_status sa = load(pc, pe, &a), sb = load(pe, pc, &b);
    if ((sa == SGAE_OK) != (sb == SGAE_OK))
        fz_fail("LINQS by .content / by .cites disagree: %s / %s", sgae_status_string(sa),
                sgae_status_string(sb));
    if (!sa) {
        fz_same_graph(a.graph, b.graph, "LINQS .content vs .cites");
        if (!a.features != !b.features ||
            (a.features && !fz_csr_equal(&a.features->x, &b.features->x)))
            fz_fail("LINQS .content vs .cites: different features");
        if (!a.labels != !b.labels ||
            (a.labels && (a.labels->nclasses != b.labels->nclasses ||
                          memcmp(a.labels->label, b.labels->label,
                                 (size_t)a.labels->n * sizeof *a.labels->label))))
            fz_fail("LINQS .content vs .cites: different labels");
    }
    sgae_dataset_clear(&a);
    sgae_dataset_clear(&b);
    unlink(pc);
    unlink(pe);
    return 0;
}

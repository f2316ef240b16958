/* Allocation failures in every loader and writer of src/io: each run with
 * the k-th allocation failing (k = 1 .. the allocations of a successful
 * run) must return SGAE_E_NOMEM with a message, leave no temporary file,
 * and leak nothing (LeakSanitizer in the ASan build).  Real data where it
 * is small: karate (GML), Cora (edges, features, LINQS), and files the
 * writers make from them. */
#include "core/sweep.h"
#include "iotest.h"

typedef struct {
    sgae_load_opts o;
} load_job;

static sgae_status load(void *vctx)
{
    load_job *j = vctx;
    sgae_dataset ds;
    sgae_status st = sgae_dataset_load(&j->o, &ds);
    sgae_dataset_clear(&ds);
    return st;
}

static sgae_status load_sgr(void *vctx)
{
    sgae_graph *g = NULL;
    sgae_status st = sgae_sgr_load(vctx, &g);
    sgae_graph_free(g);
    return st;
}

static sgae_status save(void *vctx)
{
    sgae_save_opts o;
    sgae_save_opts_defaults(&o);
    return t_save_job(vctx, &o);
}

/* A LINQS pair from Cora: the first `keep` cites and the .content rows of
 * the papers they name (so no paper is isolated). */
static int has_id(char ids[][32], int n, const char *id)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(ids[i], id))
            return 1;
    return 0;
}

static int cora_subset(const char *content, const char *cites, int keep)
{
    static char ids[256][32];
    int n = 0;
    size_t len;
    char *c = t_unzstd(t_data("linqs/cora.cites.zst"), &len), *p = c;
    FILE *f = fopen(cites, "w");
    for (int lines = 0; lines < keep && p < c + len; lines++) {
        char a[32], b[32];
        if (sscanf(p, "%31s %31s", a, b) != 2)
            break;
        fprintf(f, "%s\t%s\n", a, b);
        if (!has_id(ids, n, a) && n < 256)
            snprintf(ids[n++], 32, "%s", a);
        if (!has_id(ids, n, b) && n < 256)
            snprintf(ids[n++], 32, "%s", b);
        char *nl = memchr(p, '\n', (size_t)(c + len - p));
        p = nl ? nl + 1 : c + len;
    }
    fclose(f);
    free(c);
    c = t_unzstd(t_data("linqs/cora.content.zst"), &len);
    f = fopen(content, "w");
    for (p = c; p < c + len;) {
        char *nl = memchr(p, '\n', (size_t)(c + len - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(c + len - p);
        char id[32];
        if (sscanf(p, "%31s", id) == 1 && has_id(ids, n, id)) {
            fwrite(p, 1, l, f);
            fputc('\n', f);
        }
        p += l + 1;
    }
    fclose(f);
    free(c);
    return n;
}

int main(void)
{
    const char *dir = t_tmp_init("alloc");

    /* inputs */
    sgae_dataset karate;
    if (!t_load_karate(&karate))
        return t_done("io_alloc");
    const sgae_graph *kg = karate.graph;
    CHECK_OK(sgae_edgelist_save(kg, t_tmp("karate.txt"), NULL));
    CHECK_OK(sgae_edgelist_save(kg, t_tmp("karate.txt.gz"), NULL));
    CHECK_OK(sgae_sgr_save(kg, t_tmp("karate.sgr"), NULL));
    {
        FILE *f = fopen(t_tmp("karate.mtx"), "w");
        fprintf(f, "%%%%MatrixMarket matrix coordinate pattern symmetric\n%lld %lld %lld\n",
                (long long)kg->n, (long long)kg->n, (long long)sgae_graph_edges(kg));
        for (int64_t i = 0; i < kg->n; i++)
            for (int64_t k = kg->adj.rowptr[i]; k < kg->adj.rowptr[i + 1]; k++)
                if (kg->adj.col[k] > i)
                    fprintf(f, "%d %lld\n", kg->adj.col[k] + 1, (long long)i + 1);
        fclose(f);
    }
    int papers = cora_subset(t_tmp("sub.content"), t_tmp("sub.cites"), 40);
    sgae_graph *sub = NULL;
    CHECK_OK(sgae_graph_load(t_tmp("sub.cites"), SGAE_FMT_AUTO, &sub));
    if (sub) {
        CHECK(sub->names != NULL && sub->n == papers);
        CHECK_OK(sgae_sgr_save(sub, t_tmp("sub.sgr"), NULL));
        CHECK_OK(sgae_edgelist_save(sub, t_tmp("sub.txt"), NULL));
    }
    /* the labels as class indices (karate's names, "Mr Hi" and "Officer",
     * hold a space, which the "node label" format cannot) */
    sgae_labels kl = *karate.labels;
    kl.class_names = NULL;
    CHECK_OK(sgae_labels_save(kg, &kl, t_tmp("karate.labels"), NULL));
    CHECK_INT(sgae_labels_save(kg, karate.labels, t_tmp("bad.labels"), NULL), SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "class name") && strstr(sgae_last_error(), "Hi"));

    /* loaders */
    int64_t total = 0;
    struct {
        const char *what;
        sgae_load_opts o;
    } loads[] = {
        {"edge list (plain: read whole, parsed in chunks)", {.graph = t_tmp("karate.txt")}},
        {"edge list (.gz: streamed)", {.graph = t_tmp("karate.txt.gz")}},
        {"edge list (.zst), Matrix Market features",
         {.graph = t_data("planetoid/cora.edges.zst"),
          .features = t_data("planetoid/cora.features.mtx.zst")}},
        {"edge list (forced format), labels file",
         {.graph = t_tmp("karate.txt"), .format = SGAE_FMT_EDGELIST,
          .labels = t_tmp("karate.labels")}},
        {"Matrix Market graph", {.graph = t_tmp("karate.mtx")}},
        {"GML", {.graph = t_data("newman/karate.gml.zst")}},
        {"LINQS", {.graph = t_tmp("sub.content")}},
        {"LINQS features on an edge list",
         {.graph = t_tmp("sub.txt"), .features = t_tmp("sub.content")}},
        {".sgr through the dataset loader", {.graph = t_tmp("karate.sgr")}},
    };
    for (size_t i = 0; i < sizeof loads / sizeof loads[0]; i++) {
        load_job j = {loads[i].o};
        total += t_alloc_sweep(loads[i].what, load, &j, NULL);
    }
    char v1k[1024], v1n[1024];
    snprintf(v1k, sizeof v1k, "%s/tests/io/data/karate-v1.sgr", SGAE_SOURCE_DIR);
    snprintf(v1n, sizeof v1n, "%s/tests/io/data/names-v1.sgr", SGAE_SOURCE_DIR);
    total += t_alloc_sweep(".sgr (numeric ids)", load_sgr, (void *)t_tmp("karate.sgr"), NULL);
    total += t_alloc_sweep(".sgr (names)", load_sgr, (void *)t_tmp("sub.sgr"), NULL);
    total += t_alloc_sweep(".sgr 1.0 (numeric ids)", load_sgr, v1k, NULL);
    total += t_alloc_sweep(".sgr 1.0 (names)", load_sgr, v1n, NULL);

    /* writers */
    float x[34 * 3];
    for (int i = 0; i < 34 * 3; i++)
        x[i] = (float)i / 7.0f;
    save_job saves[] = {
        {kg, NULL, t_tmp("w.sgr"), NULL, NULL, 0},
        {sub, NULL, t_tmp("w-names.sgr"), NULL, NULL, 0},
        {kg, NULL, t_tmp("w.txt"), NULL, NULL, 1},
        {kg, NULL, t_tmp("w.txt.gz"), NULL, NULL, 1},
        {kg, NULL, t_tmp("w.txt.zst"), NULL, NULL, 1},
        {sub, NULL, t_tmp("w-names.txt"), NULL, NULL, 1},
        {kg, &kl, t_tmp("w.labels.zst"), NULL, NULL, 2},
        {kg, NULL, t_tmp("w.npy"), NULL, x, 3},
        {kg, NULL, t_tmp("w.ids.tsv"), NULL, x, 4},
        {kg, NULL, t_tmp("p.npy"), t_tmp("p.ids.tsv"), x, 5},
    };
    const char *wnames[] = {".sgr writer",          ".sgr writer (names)",
                            "edge list writer",     "edge list writer (.gz)",
                            "edge list writer (.zst)", "edge list writer (names)",
                            "labels writer (.zst)", ".npy writer",
                            "id map writer",        ".npy + id map writer"};
    for (size_t i = 0; i < sizeof saves / sizeof saves[0]; i++)
        if (saves[i].g)
            total += t_alloc_sweep(wnames[i], save, &saves[i], dir);
    printf("io: %lld allocation failures checked\n", (long long)total);

    sgae_graph_free(sub);
    sgae_dataset_clear(&karate);
    t_tmp_cleanup();
    return t_done("io_alloc");
}

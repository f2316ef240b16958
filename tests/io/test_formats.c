/* Every shipped data set in every format, plain / .gz / .zst: exact counts,
 * and the same CSR, features and labels from each compression. */
#include <sys/stat.h>

#include "iotest.h"
#include "io/raw.h" /* sgae_labels_read (internal): sgae_internal_dep */

static const char *const comp_sfx[3] = {"", ".gz", ".zst"};

/* Write data[0..len) as <tmp>/<base>, <base>.gz and <base>.zst. */
static void write_variants(const char *base, const void *data, size_t len)
{
    char name[512];
    t_write(t_tmp(base), data, len);
    snprintf(name, sizeof name, "%s.gz", base);
    t_write_gz(t_tmp(name), data, len);
    snprintf(name, sizeof name, "%s.zst", base);
    t_write_zst(t_tmp(name), data, len);
}

/* Make <tmp>/<base>, <base>.gz, <base>.zst from the shipped <rel>.zst. */
static void variants(const char *rel)
{
    const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    char zrel[512];
    snprintf(zrel, sizeof zrel, "%s.zst", rel);
    size_t len;
    char *data = t_unzstd(t_data(zrel), &len);
    write_variants(base, data, len);
    free(data);
}

static const char *var(const char *base, int c)
{
    char name[512];
    snprintf(name, sizeof name, "%s%s", base, comp_sfx[c]);
    return t_tmp(name);
}

static int features_equal(const sgae_features *a, const sgae_features *b)
{
    if (!a || !b)
        return !a && !b;
    const sgae_csr *x = &a->x, *y = &b->x;
    if (x->nrows != y->nrows || x->ncols != y->ncols)
        return 0;
    int64_t nnz = x->rowptr[x->nrows];
    return !memcmp(x->rowptr, y->rowptr, (size_t)(x->nrows + 1) * 8) &&
           !memcmp(x->col, y->col, (size_t)nnz * 4) && !memcmp(x->val, y->val, (size_t)nnz * 4);
}

static int labels_equal(const sgae_labels *a, const sgae_labels *b)
{
    if (!a || !b)
        return !a && !b;
    if (a->n != b->n || a->nclasses != b->nclasses)
        return 0;
    for (int32_t c = 0; c < a->nclasses; c++)
        if (strcmp(a->class_names[c], b->class_names[c]))
            return 0;
    return !memcmp(a->label, b->label, (size_t)a->n * sizeof *a->label);
}

static int64_t unlabelled(const sgae_labels *l)
{
    int64_t k = 0;
    for (int64_t i = 0; i < l->n; i++)
        k += l->label[i] < 0;
    return k;
}

static int64_t isolated(const sgae_graph *g)
{
    int64_t k = 0;
    for (int64_t i = 0; i < g->n; i++)
        k += sgae_graph_degree(g, i) == 0;
    return k;
}

static int rows_sorted(const sgae_csr *x)
{
    for (int64_t i = 0; i < x->nrows; i++)
        for (int64_t k = x->rowptr[i] + 1; k < x->rowptr[i + 1]; k++)
            if (x->col[k] <= x->col[k - 1])
                return 0;
    return 1;
}

/* Load the three compression variants; check they agree; return the plain one. */
typedef struct {
    const char *graph, *features, *labels, *label_attr;
    sgae_format fmt;
} spec;

static sgae_dataset load3(spec s)
{
    sgae_dataset ds[3];
    for (int c = 0; c < 3; c++) {
        sgae_load_opts o = {0};
        o.graph = var(s.graph, c);
        o.features = s.features ? var(s.features, c) : NULL;
        o.labels = s.labels ? var(s.labels, c) : NULL;
        o.label_attr = s.label_attr;
        o.format = s.fmt;
        sgae_status st = sgae_dataset_load(&o, &ds[c]);
        CHECK_MSG(st == SGAE_OK, "%s: %s", o.graph, sgae_last_error());
        if (st)
            exit(t_done("formats"));
        CHECK_MSG(t_graph_valid(ds[c].graph), "%s: invalid CSR", o.graph);
    }
    for (int c = 1; c < 3; c++) {
        CHECK_MSG(t_graph_equal(ds[0].graph, ds[c].graph), "%s%s: different graph", s.graph,
                  comp_sfx[c]);
        CHECK_MSG(features_equal(ds[0].features, ds[c].features), "%s%s: different features",
                  s.graph, comp_sfx[c]);
        CHECK_MSG(labels_equal(ds[0].labels, ds[c].labels), "%s%s: different labels", s.graph,
                  comp_sfx[c]);
        sgae_dataset_clear(&ds[c]);
    }
    return ds[0];
}

/* Karate as Matrix Market (pattern symmetric, lower triangle; integer
 * general, both triangles), written from a loaded graph. */
static void write_mtx(const sgae_graph *g, const char *base, int symmetric)
{
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    n += (size_t)snprintf(buf + n, cap - n, "%%%%MatrixMarket matrix coordinate %s %s\n%% test\n",
                          symmetric ? "pattern" : "integer", symmetric ? "symmetric" : "general");
    int64_t nnz = symmetric ? g->adj.rowptr[g->n] / 2 : g->adj.rowptr[g->n];
    n += (size_t)snprintf(buf + n, cap - n, "%lld %lld %lld\n", (long long)g->n,
                          (long long)g->n, (long long)nnz);
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++) {
            int32_t j = g->adj.col[k];
            if (symmetric && j > i)
                continue;
            if (symmetric)
                n += (size_t)snprintf(buf + n, cap - n, "%lld %d\n", (long long)i + 1, j + 1);
            else
                n += (size_t)snprintf(buf + n, cap - n, "%lld %d 7\n", (long long)i + 1, j + 1);
        }
    write_variants(base, buf, n);
    free(buf);
}

int main(void)
{
    t_tmp_init("formats");
    const char *files[] = {"planetoid/cora.edges", "planetoid/cora.features.mtx",
                           "planetoid/cora.labels", "planetoid/citeseer.edges",
                           "planetoid/citeseer.features.mtx", "planetoid/citeseer.labels",
                           "planetoid/pubmed.edges", "planetoid/pubmed.labels",
                           "linqs/cora.content", "linqs/cora.cites",
                           "email-eu-core/email-Eu-core.txt",
                           "email-eu-core/email-Eu-core-department-labels.txt",
                           "newman/karate.gml", "newman/football.gml", "newman/polbooks.gml"};
    for (size_t k = 0; k < sizeof files / sizeof files[0]; k++)
        variants(files[k]);

    /* Planetoid cora */
    sgae_dataset d = load3((spec){"cora.edges", "cora.features.mtx", "cora.labels", NULL, 0});
    CHECK_INT(d.graph->n, 2708);
    CHECK_INT(sgae_graph_edges(d.graph), 5278);
    CHECK(d.graph->ids == NULL);
    CHECK_INT(d.features->x.nrows, 2708);
    CHECK_INT(d.features->x.ncols, 1433);
    CHECK_INT(sgae_csr_nnz(&d.features->x), 49216);
    CHECK(rows_sorted(&d.features->x));
    CHECK_INT(d.labels->nclasses, 7);
    CHECK_INT(unlabelled(d.labels), 0);
    CHECK(!strcmp(d.labels->class_names[0], "0") && !strcmp(d.labels->class_names[6], "6"));
    {
        int ones = 1;
        for (int64_t k = 0; k < sgae_csr_nnz(&d.features->x); k++)
            ones &= d.features->x.val[k] == 1.0f;
        CHECK(ones);
    }
    sgae_dataset_clear(&d);

    /* Planetoid citeseer: 48 isolated nodes exist thanks to the features */
    d = load3((spec){"citeseer.edges", "citeseer.features.mtx", "citeseer.labels", NULL, 0});
    CHECK_INT(d.graph->n, 3327);
    CHECK_INT(sgae_graph_edges(d.graph), 4552);
    CHECK_INT(isolated(d.graph), 48);
    CHECK_INT(d.features->x.ncols, 3703);
    CHECK(rows_sorted(&d.features->x));
    CHECK_INT(d.labels->nclasses, 6);
    CHECK_INT(unlabelled(d.labels), 15);
    sgae_dataset_clear(&d);

    /* Planetoid pubmed */
    d = load3((spec){"pubmed.edges", NULL, "pubmed.labels", NULL, 0});
    CHECK_INT(d.graph->n, 19717);
    CHECK_INT(sgae_graph_edges(d.graph), 44324);
    CHECK_INT(d.labels->nclasses, 3);
    CHECK(d.features == NULL);
    sgae_dataset_clear(&d);

    /* LINQS cora, given as .cites or as .content */
    d = load3((spec){"cora.cites", NULL, NULL, NULL, 0});
    sgae_dataset d2 = load3((spec){"cora.content", NULL, NULL, NULL, SGAE_FMT_LINQS});
    CHECK(t_graph_equal(d.graph, d2.graph));
    CHECK(features_equal(d.features, d2.features));
    CHECK(labels_equal(d.labels, d2.labels));
    sgae_dataset_clear(&d2);
    CHECK_INT(d.graph->n, 2708);
    CHECK_INT(sgae_graph_edges(d.graph), 5278);
    CHECK(d.graph->names != NULL);
    CHECK(d.graph->names && !strcmp(d.graph->names[0], "31336"));
    CHECK_INT(d.graph->input_edges, 5429);
    CHECK(d.features && d.features->x.ncols == 1433 && d.features->x.nrows == 2708);
    CHECK(d.features && rows_sorted(&d.features->x));
    CHECK(d.labels && d.labels->nclasses == 7);
    if (d.labels) {
        int nn = 0;
        for (int c = 0; c < d.labels->nclasses; c++)
            nn += !strcmp(d.labels->class_names[c], "Neural_Networks");
        CHECK_INT(nn, 1);
        CHECK(!strcmp(d.labels->class_names[d.labels->label[0]], "Neural_Networks"));
        CHECK_INT(unlabelled(d.labels), 0);
    }
    /* same total feature count as the Planetoid version of cora */
    CHECK_INT(sgae_csr_nnz(&d.features->x), 49216);
    {
        /* labels file in string ids, read against the LINQS graph */
        char buf[256];
        snprintf(buf, sizeof buf, "paper class\n%s A\n%s B\n", d.graph->names[5],
                 d.graph->names[9]);
        t_write_str(t_tmp("linqs_labels.txt"), buf);
        sgae_labels *l = NULL;
        CHECK_OK(sgae_labels_read(t_tmp("linqs_labels.txt"), d.graph, &l));
        CHECK(l && l->nclasses == 2 && l->label[5] == 0 && l->label[9] == 1 && l->label[0] == -1);
        sgae_labels_free(l);
    }
    sgae_dataset_clear(&d);
    {
        /* the sibling in another compression: plain .cites beside .content.gz */
        char *a, *b;
        size_t la, lb;
        a = t_read_all(t_tmp("cora.cites"), &la);
        b = t_read_all(t_tmp("cora.content.gz"), &lb);
        char dir[600];
        snprintf(dir, sizeof dir, "%s/mixed", t_tmpdir);
        CHECK(mkdir(dir, 0700) == 0);
        t_write(t_tmp("mixed/cora.cites"), a, la);
        t_write(t_tmp("mixed/cora.content.gz"), b, lb);
        free(a);
        free(b);
        sgae_graph *g = NULL;
        CHECK_OK(sgae_graph_load(t_tmp("mixed/cora.cites"), SGAE_FMT_AUTO, &g));
        CHECK(g && g->n == 2708 && sgae_graph_edges(g) == 5278);
        sgae_graph_free(g);
    }

    /* LINQS .content as the features of a numeric edge list (cora.cites read
     * as "u v" lines): each row names its node; same data per paper */
    {
        sgae_dataset dl = load3((spec){"cora.cites", NULL, NULL, NULL, 0});
        sgae_dataset de = load3((spec){"cora.cites", "cora.content", NULL, NULL, SGAE_FMT_EDGELIST});
        CHECK_INT(de.graph->n, 2708);
        CHECK_INT(sgae_graph_edges(de.graph), 5278);
        CHECK(de.graph->ids != NULL && de.graph->names == NULL);
        CHECK(de.features && de.features->x.ncols == 1433 && de.features->x.nrows == 2708);
        CHECK(de.labels && de.labels->nclasses == 7);
        CHECK(de.features && sgae_csr_nnz(&de.features->x) == 49216);
        int same_rows = 1, same_labels = 1, same_deg = 1;
        for (int64_t i = 0; de.features && de.labels && i < dl.graph->n; i++) {
            uint64_t id = strtoull(dl.graph->names[i], NULL, 10);
            int64_t lo = 0, hi = de.graph->n;
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (de.graph->ids[mid] < id)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            const sgae_csr *a = &dl.features->x, *b = &de.features->x;
            int64_t la = a->rowptr[i + 1] - a->rowptr[i], lb = b->rowptr[lo + 1] - b->rowptr[lo];
            same_rows &= la == lb && !memcmp(a->col + a->rowptr[i], b->col + b->rowptr[lo],
                                             (size_t)la * 4);
            same_labels &= !strcmp(dl.labels->class_names[dl.labels->label[i]],
                                   de.labels->class_names[de.labels->label[lo]]);
            same_deg &= sgae_graph_degree(dl.graph, i) == sgae_graph_degree(de.graph, lo);
        }
        CHECK(same_rows);
        CHECK(same_labels);
        CHECK(same_deg);
        /* classes numbered in order of first appearance in .content */
        CHECK(!strcmp(dl.labels->class_names[0], de.labels->class_names[0]));
        sgae_dataset_clear(&dl);
        sgae_dataset_clear(&de);
    }

    /* email-Eu-core: directed, self-loops */
    d = load3((spec){"email-Eu-core.txt", NULL, "email-Eu-core-department-labels.txt", NULL, 0});
    CHECK_INT(d.graph->n, 1005);
    CHECK_INT(sgae_graph_edges(d.graph), 16064);
    CHECK_INT(d.graph->self_loops, 642);
    CHECK_INT(d.graph->input_edges, 25571);
    CHECK_INT(d.labels->nclasses, 42);
    CHECK_INT(unlabelled(d.labels), 0);
    sgae_dataset_clear(&d);

    /* GML */
    d = load3((spec){"karate.gml", NULL, NULL, NULL, 0});
    CHECK_INT(d.graph->n, 34);
    CHECK_INT(sgae_graph_edges(d.graph), 78);
    CHECK(d.labels && d.labels->nclasses == 2); /* no "value": falls back to "club" */
    if (d.labels)
        CHECK(!strcmp(d.labels->class_names[0], "Mr. Hi") &&
              !strcmp(d.labels->class_names[1], "Officer"));
    sgae_dataset k2 = load3((spec){"karate.gml", NULL, NULL, "club", 0});
    CHECK(labels_equal(d.labels, k2.labels));
    sgae_dataset_clear(&k2);
    k2 = load3((spec){"karate.gml", NULL, NULL, "nonexistent", 0});
    CHECK(k2.labels == NULL);
    sgae_dataset_clear(&k2);
    /* Matrix Market versions of karate give the same CSR (ids i+1) */
    write_mtx(d.graph, "karate_sym.mtx", 1);
    write_mtx(d.graph, "karate_gen.mtx", 0);
    sgae_dataset m1 = load3((spec){"karate_sym.mtx", NULL, NULL, NULL, 0});
    sgae_dataset m2 = load3((spec){"karate_gen.mtx", NULL, NULL, NULL, SGAE_FMT_MTX});
    for (int q = 0; q < 2; q++) {
        sgae_graph *g = q ? m2.graph : m1.graph;
        CHECK_INT(g->n, 34);
        CHECK(!memcmp(g->adj.rowptr, d.graph->adj.rowptr, 35 * 8));
        CHECK(!memcmp(g->adj.col, d.graph->adj.col, 156 * 4));
        /* the implicit map 1..n: nothing stored per node */
        CHECK(!g->ids && !g->names && g->id_base == 1);
        CHECK(sgae_graph_id(g, 0) == 1 && sgae_graph_id(g, 33) == 34);
    }
    CHECK_INT(m1.graph->input_edges, 78);
    CHECK_INT(m2.graph->input_edges, 156);
    CHECK_INT(m2.graph->duplicates, 78);
    sgae_dataset_clear(&m1);
    sgae_dataset_clear(&m2);
    sgae_dataset_clear(&d);

    d = load3((spec){"football.gml", NULL, NULL, NULL, 0});
    CHECK_INT(d.graph->n, 115);
    CHECK_INT(sgae_graph_edges(d.graph), 613);
    CHECK(d.labels && d.labels->nclasses == 12);
    CHECK(d.labels && unlabelled(d.labels) == 0);
    sgae_dataset_clear(&d);

    d = load3((spec){"polbooks.gml", NULL, NULL, NULL, 0});
    CHECK_INT(d.graph->n, 105);
    CHECK_INT(sgae_graph_edges(d.graph), 441);
    CHECK(d.labels && d.labels->nclasses == 3);
    if (d.labels) {
        int lnc = 0;
        for (int c = 0; c < 3; c++)
            lnc += !strcmp(d.labels->class_names[c], "l") + !strcmp(d.labels->class_names[c], "n") +
                   !strcmp(d.labels->class_names[c], "c");
        CHECK_INT(lnc, 3);
    }
    sgae_dataset_clear(&d);

    t_tmp_cleanup();
    return t_done("formats");
}

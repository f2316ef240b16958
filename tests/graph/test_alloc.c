/* Allocation failures in src/graph (and the data set reordering built on
 * it): every allocation of the graph build from pairs, the GCN operator, the
 * statistics, the components, the id-map copy, the orderings and the
 * renumbering fails in turn; each gives SGAE_E_NOMEM with a message and
 * leaves its output as documented (NULL graph; graph or data set
 * unchanged).  Run with 2 OpenMP threads so the parallel passes are shared;
 * leaks are caught by the ASan build. */
#include <omp.h>
#include <stdint.h>

#include "graph/alloc_sweep.h"
#include "testutil.h"

/* A small graph with self-loops and duplicates among its pairs. */
enum { N = 300, M = 2000 };
static int32_t pu[M], pv[M];

static void make_pairs(void)
{
    uint64_t x = 99;
    for (int k = 0; k < M; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        pu[k] = (int32_t)((x >> 33) % (k % 3 ? N : 40));
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        pv[k] = (int32_t)((x >> 33) % (k % 4 ? N : 40));
    }
}

/* A deep copy of g's adjacency and id map (through the library). */
static sgae_graph *copy_graph(const sgae_graph *g)
{
    sgae_graph *c = NULL;
    sgae_alloc_fail_at(0);
    /* rebuild from the upper triangle: the same adjacency */
    int64_t m = 0, e = g->adj.rowptr[g->n] / 2;
    int32_t *u = malloc((size_t)(e + 1) * sizeof *u), *v = malloc((size_t)(e + 1) * sizeof *v);
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
            if (g->adj.col[k] > i) {
                u[m] = (int32_t)i;
                v[m++] = g->adj.col[k];
            }
    if (sgae_graph_from_pairs(g->n, m, u, v, &c) || sgae_graph_copy_ids(c, g)) {
        fprintf(stderr, "copy_graph: %s\n", sgae_last_error());
        exit(2);
    }
    c->self_loops = g->self_loops;
    c->duplicates = g->duplicates;
    free(u);
    free(v);
    return c;
}

/* ---- sgae_graph_from_pairs ---- */

typedef t_graph_out build_ctx;

static sgae_status build_run(void *p)
{
    build_ctx *c = p;
    c->g = (sgae_graph *)1; /* must become NULL on failure */
    return sgae_graph_from_pairs(N, M, pu, pv, &c->g);
}

/* ---- operations on an existing graph: it must be unchanged on failure ---- */

typedef struct {
    sgae_graph *g, *ref;
    sgae_order_method m;
    sgae_graph_stats stats;
    int32_t *out; /* n entries */
    int64_t ncomp;
} op_ctx;

static void op_unchanged(void *p)
{
    op_ctx *c = p;
    CHECK(t_same_graph(c->g, c->ref));
    CHECK(!c->g->norm_valid && c->g->norm.rowptr == NULL && c->g->dinv_sqrt == NULL);
}

static sgae_status norm_run(void *p)
{
    op_ctx *c = p;
    return sgae_graph_norm(c->g);
}
static void norm_ok(void *p)
{
    op_ctx *c = p;
    CHECK(c->g->norm_valid && c->g->norm.rowptr[c->g->n] == c->g->adj.rowptr[c->g->n] + c->g->n);
    sgae_csr_clear(&c->g->norm);
    free(c->g->dinv_sqrt);
    c->g->dinv_sqrt = NULL;
    c->g->norm_valid = 0;
}

static sgae_status stats_run(void *p)
{
    op_ctx *c = p;
    memset(&c->stats, 0x5a, sizeof c->stats);
    return sgae_graph_stats_compute(c->g, &c->stats);
}
static void stats_ok(void *p)
{
    op_ctx *c = p;
    CHECK_INT(c->stats.nodes, N);
    CHECK_INT(c->stats.edges, sgae_graph_edges(c->g));
    CHECK(c->stats.components >= 1 && c->stats.largest_component <= N);
}
static void stats_failed(void *p)
{
    op_ctx *c = p;
    sgae_graph_stats poison;
    memset(&poison, 0x5a, sizeof poison);
    CHECK(!memcmp(&c->stats, &poison, sizeof poison)); /* left unchanged */
}

static sgae_status comp_run(void *p)
{
    op_ctx *c = p;
    return sgae_graph_components(c->g, c->out, &c->ncomp);
}
static void comp_ok(void *p)
{
    op_ctx *c = p;
    CHECK(c->ncomp >= 1 && c->out[0] == 0);
}

static sgae_status order_run(void *p)
{
    op_ctx *c = p;
    return sgae_order_compute(c->g, c->m, c->out);
}
static void order_ok(void *p)
{
    op_ctx *c = p;
    int64_t sum = 0;
    for (int64_t i = 0; i < N; i++)
        sum += c->out[i];
    CHECK_INT(sum, (int64_t)N * (N - 1) / 2);
}

static sgae_status reorder_run(void *p)
{
    op_ctx *c = p;
    return sgae_graph_reorder(c->g, c->m);
}
static void reorder_ok(void *p)
{
    op_ctx *c = p;
    /* renumbered: same edge count, an explicit id map (numbers, or the names
     * permuted); then back to a copy of the original */
    CHECK_INT(sgae_graph_edges(c->g), sgae_graph_edges(c->ref));
    CHECK(c->ref->names ? c->g->names != NULL && c->g->ids == NULL : c->g->ids != NULL);
    sgae_graph_free(c->g);
    c->g = copy_graph(c->ref);
}

static sgae_status copy_ids_run(void *p)
{
    op_ctx *c = p;
    /* dst: the graph (identity map); src: a named copy */
    return sgae_graph_copy_ids(c->g, c->ref);
}
static void copy_ids_ok(void *p)
{
    op_ctx *c = p;
    CHECK(c->g->names && !strcmp(c->g->names[N - 1], c->ref->names[N - 1]));
    for (int64_t i = 0; i < N; i++)
        free(c->g->names[i]);
    free(c->g->names);
    c->g->names = NULL;
}
static void copy_ids_failed(void *p)
{
    op_ctx *c = p;
    CHECK(c->g->names == NULL && c->g->ids == NULL);
}

/* ---- sgae_dataset_reorder (src/io/reorder.c, on top of the graph) ---- */

typedef struct {
    sgae_dataset ds;
    sgae_graph *ref;
    sgae_csr x0;
    int32_t *lab0;
} ds_ctx;

static sgae_status ds_run(void *p)
{
    ds_ctx *c = p;
    return sgae_dataset_reorder(&c->ds, SGAE_ORDER_RCM);
}
static void ds_restore(ds_ctx *c)
{
    sgae_graph_free(c->ds.graph);
    c->ds.graph = copy_graph(c->ref);
    sgae_csr *x = &c->ds.features->x;
    memcpy(x->rowptr, c->x0.rowptr, (size_t)(N + 1) * sizeof *x->rowptr);
    memcpy(x->col, c->x0.col, (size_t)N * sizeof *x->col);
    memcpy(x->val, c->x0.val, (size_t)N * sizeof *x->val);
    memcpy(c->ds.labels->label, c->lab0, (size_t)N * sizeof *c->lab0);
}
static void ds_ok(void *p)
{
    ds_ctx *c = p;
    /* node i of the graph still carries its features and label: the
     * feature column and the label of original node o are both o % 7 */
    sgae_csr *x = &c->ds.features->x;
    int good = 1;
    for (int64_t i = 0; i < N; i++) {
        int64_t o = (int64_t)c->ds.graph->ids[i];
        good &= x->rowptr[i + 1] - x->rowptr[i] == 1 && x->col[x->rowptr[i]] == (int32_t)(o % 7) &&
                c->ds.labels->label[i] == (int32_t)(o % 5);
    }
    CHECK(good);
    /* a fresh copy for the next run: features and labels as they were */
    sgae_csr_clear(x);
    x->nrows = N;
    x->ncols = 7;
    x->rowptr = malloc((size_t)(N + 1) * sizeof *x->rowptr);
    x->col = malloc((size_t)N * sizeof *x->col);
    x->val = malloc((size_t)N * sizeof *x->val);
    free(c->ds.labels->label);
    c->ds.labels->label = malloc((size_t)N * sizeof(int32_t));
    ds_restore(c);
}
static void ds_failed(void *p)
{
    ds_ctx *c = p;
    sgae_csr *x = &c->ds.features->x;
    CHECK(t_same_graph(c->ds.graph, c->ref));
    CHECK(!memcmp(x->rowptr, c->x0.rowptr, (size_t)(N + 1) * sizeof *x->rowptr) &&
          !memcmp(x->col, c->x0.col, (size_t)N * sizeof *x->col) &&
          !memcmp(c->ds.labels->label, c->lab0, (size_t)N * sizeof *c->lab0));
}

static void test_dataset(sgae_graph *ref)
{
    ds_ctx c;
    memset(&c, 0, sizeof c);
    c.ref = ref;
    c.ds.graph = copy_graph(ref);
    /* features: one entry per node in column i % 7; labels i % 5 (the
     * library's own structs, freed by sgae_dataset_clear) */
    c.ds.features = calloc(1, sizeof *c.ds.features);
    c.ds.labels = calloc(1, sizeof *c.ds.labels);
    sgae_csr *x = &c.ds.features->x;
    x->nrows = N;
    x->ncols = 7;
    x->rowptr = malloc((size_t)(N + 1) * sizeof *x->rowptr);
    x->col = malloc((size_t)N * sizeof *x->col);
    x->val = malloc((size_t)N * sizeof *x->val);
    c.x0 = *x;
    c.x0.rowptr = malloc((size_t)(N + 1) * sizeof *x->rowptr);
    c.x0.col = malloc((size_t)N * sizeof *x->col);
    c.x0.val = malloc((size_t)N * sizeof *x->val);
    c.lab0 = malloc((size_t)N * sizeof *c.lab0);
    for (int64_t i = 0; i <= N; i++)
        c.x0.rowptr[i] = i;
    for (int64_t i = 0; i < N; i++) {
        c.x0.col[i] = (int32_t)(i % 7);
        c.x0.val[i] = 1.0f + (float)i;
        c.lab0[i] = (int32_t)(i % 5);
    }
    c.ds.labels->n = N;
    c.ds.labels->nclasses = 5;
    c.ds.labels->label = malloc((size_t)N * sizeof(int32_t));
    ds_restore(&c);
    alloc_case ac = {"dataset_reorder rcm", &c, ds_run, ds_ok, ds_failed};
    alloc_sweep(&ac);
    sgae_dataset_clear(&c.ds);
    sgae_csr_clear(&c.x0);
    free(c.lab0);
}

int main(void)
{
    omp_set_num_threads(2);
    make_pairs();
    build_ctx b = {0};
    CHECK_OK(sgae_graph_from_pairs(N, M, pu, pv, &b.ref));
    if (!b.ref)
        return t_done("graph_alloc");
    CHECK(b.ref->self_loops > 0 && b.ref->duplicates > 0);
    alloc_case bc = {"graph_from_pairs", &b, build_run, t_graph_out_ok, t_graph_out_failed};
    alloc_sweep(&bc);

    op_ctx c;
    memset(&c, 0, sizeof c);
    c.ref = b.ref;
    c.g = copy_graph(b.ref);
    c.out = malloc(N * sizeof *c.out);
    alloc_case cases[] = {
        {"graph_norm", &c, norm_run, norm_ok, op_unchanged},
        {"graph_stats_compute", &c, stats_run, stats_ok, stats_failed},
        {"graph_components", &c, comp_run, comp_ok, op_unchanged},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        alloc_sweep(&cases[i]);
    const sgae_order_method ms[] = {SGAE_ORDER_DEGREE, SGAE_ORDER_RCM};
    const char *oname[] = {"order_compute degree", "order_compute rcm"};
    const char *rname[] = {"graph_reorder degree", "graph_reorder rcm"};
    for (int i = 0; i < 2; i++) {
        c.m = ms[i];
        alloc_case oc = {oname[i], &c, order_run, order_ok, op_unchanged};
        alloc_sweep(&oc);
        alloc_case rc = {rname[i], &c, reorder_run, reorder_ok, op_unchanged};
        alloc_sweep(&rc);
    }

    /* reordering a graph with string names (both maps permuted) */
    sgae_graph *named = copy_graph(b.ref);
    named->names = calloc(N, sizeof *named->names);
    for (int64_t i = 0; i < N; i++) {
        named->names[i] = malloc(16);
        snprintf(named->names[i], 16, "n%lld", (long long)i);
    }
    sgae_graph_free(c.g);
    c.g = copy_graph(named);
    c.ref = named;
    c.m = SGAE_ORDER_RCM;
    alloc_case nc = {"graph_reorder rcm, named nodes", &c, reorder_run, reorder_ok, op_unchanged};
    alloc_sweep(&nc);
    /* copying a named map into a graph without one */
    sgae_graph_free(c.g);
    c.g = copy_graph(b.ref);
    alloc_case ic = {"graph_copy_ids", &c, copy_ids_run, copy_ids_ok, copy_ids_failed};
    alloc_sweep(&ic);

    test_dataset(b.ref);

    sgae_graph_free(c.g);
    sgae_graph_free(named);
    sgae_graph_free(b.ref);
    free(c.out);
    return t_done("graph_alloc");
}

/* CSR construction from pairs against a serial sort-and-dedupe oracle;
 * loop and duplicate counts; identical results at 1 and 2 threads;
 * components and statistics on small known graphs. */
#include <omp.h>

#include "testutil.h"

typedef struct {
    int32_t a, b;
} pair;

static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

/* Serial oracle: both directions of every non-loop pair, sorted, unique. */
static void check_against_oracle(int64_t n, int64_t m, const int32_t *u, const int32_t *v,
                                 const sgae_graph *g)
{
    pair *p = malloc((size_t)(2 * m + 1) * sizeof *p);
    int64_t k = 0, loops = 0;
    for (int64_t e = 0; e < m; e++) {
        if (u[e] == v[e]) {
            loops++;
            continue;
        }
        p[k++] = (pair){u[e], v[e]};
        p[k++] = (pair){v[e], u[e]};
    }
    qsort(p, (size_t)k, sizeof *p, cmp_pair);
    int64_t w = 0;
    for (int64_t e = 0; e < k; e++)
        if (w == 0 || cmp_pair(&p[e], &p[w - 1]) != 0)
            p[w++] = p[e];
    CHECK_INT(g->n, n);
    CHECK_INT(g->adj.rowptr[n], w);
    CHECK_INT(g->self_loops, loops);
    CHECK_INT(g->duplicates, (m - loops) - w / 2);
    CHECK_INT(g->input_edges, m);
    int ok = g->adj.rowptr[n] == w;
    for (int64_t i = 0, e = 0; ok && i < n; i++)
        for (int64_t q = g->adj.rowptr[i]; q < g->adj.rowptr[i + 1]; q++, e++)
            ok &= p[e].a == i && p[e].b == g->adj.col[q];
    CHECK(ok);
    free(p);
}

static int same(const sgae_graph *a, const sgae_graph *b)
{
    return a->n == b->n && !memcmp(a->adj.rowptr, b->adj.rowptr, (size_t)(a->n + 1) * 8) &&
           !memcmp(a->adj.col, b->adj.col, (size_t)a->adj.rowptr[a->n] * 4) &&
           a->self_loops == b->self_loops && a->duplicates == b->duplicates;
}

static void random_case(int64_t n, int64_t m, uint64_t seed)
{
    int32_t *u = malloc((size_t)(m + 1) * 4), *v = malloc((size_t)(m + 1) * 4);
    for (int64_t k = 0; k < m; k++) {
        /* skewed: many duplicates and some very long rows */
        uint64_t r = sgae_rng_u64(seed, 1, (uint64_t)k);
        u[k] = (int32_t)(r % (uint64_t)n);
        double x = sgae_rng_uniform(seed, 2, (uint64_t)k);
        v[k] = (int32_t)((double)n * x * x * x);
        if (v[k] >= n)
            v[k] = (int32_t)(n - 1);
    }
    sgae_graph *g1 = NULL, *g2 = NULL;
    omp_set_num_threads(1);
    CHECK_OK(sgae_graph_from_pairs(n, m, u, v, &g1));
    omp_set_num_threads(2);
    CHECK_OK(sgae_graph_from_pairs(n, m, u, v, &g2));
    if (g1 && g2) {
        check_against_oracle(n, m, u, v, g2);
        CHECK(same(g1, g2));
    }
    sgae_graph_free(g1);
    sgae_graph_free(g2);
    free(u);
    free(v);
}

int main(void)
{
    random_case(1, 5, 1);
    random_case(10, 200, 2);
    random_case(1000, 50000, 3);
    random_case(200000, 2000000, 4);

    /* errors */
    sgae_graph *g = NULL;
    int32_t u[3] = {0, 1, 5}, v[3] = {1, 2, 0};
    CHECK(sgae_graph_from_pairs(3, 3, u, v, &g) == SGAE_E_ARG && g == NULL);
    CHECK(sgae_graph_from_pairs(-1, 0, u, v, &g) == SGAE_E_ARG);
    /* the first bad pair is named, at any thread count */
    {
        enum { M = 100000 };
        int32_t *bu = calloc(M, sizeof *bu), *bv = calloc(M, sizeof *bv);
        CHECK(bu && bv);
        if (bu && bv) {
            for (int k = 0; k < M; k++)
                bv[k] = k % 7 + 1;
            bu[12345] = 8;
            bv[M - 1] = -1;
            for (int t = 1; t <= 2; t++) {
                omp_set_num_threads(t);
                CHECK(sgae_graph_from_pairs(8, M, bu, bv, &g) == SGAE_E_ARG && g == NULL);
                CHECK_MSG(strstr(sgae_last_error(), "pair 12345 ") != NULL, "%s",
                          sgae_last_error());
            }
        }
        free(bu);
        free(bv);
    }

    /* statistics on a known graph: a triangle, a path of 3, two isolated nodes */
    int32_t a[6] = {0, 1, 2, 3, 4, 4}, b[6] = {1, 2, 0, 4, 5, 4};
    CHECK_OK(sgae_graph_from_pairs(8, 6, a, b, &g));
    sgae_graph_stats s;
    CHECK_OK(sgae_graph_stats_compute(g, &s));
    CHECK_INT(s.nodes, 8);
    CHECK_INT(s.edges, 5);
    CHECK_INT(s.self_loops, 1);
    CHECK_INT(s.isolated, 2);
    CHECK_INT(s.components, 4);
    CHECK_INT(s.largest_component, 3);
    CHECK_INT(s.deg_max, 2);
    CHECK_INT(s.deg_min, 0);
    sgae_graph_free(g);

    /* a whole text load at 1 and 2 threads gives the same graph */
    sgae_graph *t1 = NULL, *t2 = NULL;
    omp_set_num_threads(1);
    CHECK_OK(sgae_graph_load(t_data("email-eu-core/email-Eu-core.txt.zst"), SGAE_FMT_AUTO, &t1));
    omp_set_num_threads(2);
    CHECK_OK(sgae_graph_load(t_data("email-eu-core/email-Eu-core.txt.zst"), SGAE_FMT_AUTO, &t2));
    CHECK(t1 && t2 && same(t1, t2));
    sgae_graph_free(t1);
    sgae_graph_free(t2);
    return t_done("graph_build");
}

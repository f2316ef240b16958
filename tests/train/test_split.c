/* Edge split: counts, partition of the edges, negatives that are distinct
 * non-edges, determinism by seed, the training graph, and bad arguments. */
#include "testutil.h"

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int has_edge(const sgae_graph *g, int32_t u, int32_t v)
{
    for (int64_t e = g->adj.rowptr[u]; e < g->adj.rowptr[u + 1]; e++)
        if (g->adj.col[e] == v)
            return 1;
    return 0;
}

/* Pairs of the sets that break the rules: u < v, an edge of g (edges) or
 * not (!edges), no pair twice across the sets. */
static int64_t bad_pairs(const sgae_graph *g, const sgae_pairs *const *sets, int nsets,
                         int edges)
{
    int64_t total = 0, k = 0, bad = 0;
    for (int t = 0; t < nsets; t++)
        total += sets[t]->count;
    uint64_t *keys = malloc(sizeof(uint64_t) * (size_t)(total + 1));
    for (int t = 0; t < nsets; t++)
        for (int64_t i = 0; i < sets[t]->count; i++) {
            int32_t u = sets[t]->u[i], v = sets[t]->v[i];
            if (!(u < v) || has_edge(g, u, v) != edges)
                bad++;
            keys[k++] = (uint64_t)u * (uint64_t)g->n + (uint64_t)v;
        }
    qsort(keys, (size_t)total, sizeof *keys, cmp_u64);
    for (int64_t i = 1; i < total; i++)
        bad += keys[i] == keys[i - 1];
    free(keys);
    return bad;
}

static sgae_graph *random_graph(int n, int m, uint64_t seed)
{
    int32_t *u = malloc(sizeof(int32_t) * (size_t)m), *v = malloc(sizeof(int32_t) * (size_t)m);
    for (int k = 0; k < m; k++) {
        u[k] = (int32_t)sgae_rng_below(seed, 50, (uint64_t)(2 * k), (uint64_t)n);
        v[k] = (int32_t)sgae_rng_below(seed, 50, (uint64_t)(2 * k + 1), (uint64_t)n);
    }
    sgae_graph *g = NULL;
    sgae_graph_from_pairs(n, m, u, v, &g);
    free(u);
    free(v);
    return g;
}

static void properties(void)
{
    sgae_graph *g = random_graph(500, 3000, 11);
    CHECK(g != NULL);
    const int64_t E = sgae_graph_edges(g), n = g->n;
    sgae_split s;
    CHECK_OK(sgae_split_edges(g, 0.05, 0.10, 42, &s));
    CHECK_INT(s.test_pos.count, (int64_t)floor(0.10 * (double)E));
    CHECK_INT(s.val_pos.count, (int64_t)floor(0.05 * (double)E));
    CHECK_INT(s.train.count + s.val_pos.count + s.test_pos.count, E);
    CHECK_INT(s.val_neg.count, s.val_pos.count);
    CHECK_INT(s.test_neg.count, s.test_pos.count);
    /* positives: u < v, each edge of g exactly once */
    const sgae_pairs *pp[3] = {&s.train, &s.val_pos, &s.test_pos};
    CHECK_INT(bad_pairs(g, pp, 3, 1), 0);
    /* negatives: u < v, non-edges, all distinct across val and test */
    const sgae_pairs *nq[2] = {&s.val_neg, &s.test_neg};
    CHECK_INT(bad_pairs(g, nq, 2, 0), 0);

    /* same seed, same split; another seed, another split */
    sgae_split s2, s3;
    CHECK_OK(sgae_split_edges(g, 0.05, 0.10, 42, &s2));
    CHECK(memcmp(s.test_pos.u, s2.test_pos.u, sizeof(int32_t) * (size_t)s.test_pos.count) == 0);
    CHECK(memcmp(s.val_neg.v, s2.val_neg.v, sizeof(int32_t) * (size_t)s.val_neg.count) == 0);
    CHECK(memcmp(s.train.v, s2.train.v, sizeof(int32_t) * (size_t)s.train.count) == 0);
    CHECK_OK(sgae_split_edges(g, 0.05, 0.10, 43, &s3));
    CHECK(memcmp(s.test_pos.u, s3.test_pos.u, sizeof(int32_t) * (size_t)s.test_pos.count) != 0 ||
          memcmp(s.test_pos.v, s3.test_pos.v, sizeof(int32_t) * (size_t)s.test_pos.count) != 0);

    /* training graph: all nodes, exactly the training edges */
    sgae_graph *tg = NULL;
    CHECK_OK(sgae_split_train_graph(&s, g, &tg));
    CHECK(tg && tg->n == n);
    if (tg) {
        CHECK_INT(sgae_graph_edges(tg), s.train.count);
        for (int64_t i = 0; i < s.train.count; i += 17)
            CHECK(has_edge(tg, s.train.u[i], s.train.v[i]));
        for (int64_t i = 0; i < s.test_pos.count; i += 5)
            CHECK(!has_edge(tg, s.test_pos.u[i], s.test_pos.v[i]));
    }
    sgae_graph_free(tg);
    sgae_split_clear(&s);
    sgae_split_clear(&s2);
    sgae_split_clear(&s3);

    /* zero validation is allowed */
    CHECK_OK(sgae_split_edges(g, 0.0, 0.2, 1, &s));
    CHECK_INT(s.val_pos.count, 0);
    CHECK_INT(s.val_neg.count, 0);
    sgae_split_clear(&s);
    sgae_graph_free(g);
}

static void errors(void)
{
    sgae_graph *g = random_graph(100, 300, 3);
    sgae_split s;
    CHECK(sgae_split_edges(g, 0.5, 0.5, 1, &s) == SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "below 1") != NULL);
    CHECK(sgae_split_edges(g, 0.6, 0.5, 1, &s) == SGAE_E_ARG);
    CHECK(sgae_split_edges(g, -0.1, 0.1, 1, &s) == SGAE_E_ARG);
    CHECK(sgae_split_edges(g, 0.1, 1.0, 1, &s) == SGAE_E_ARG);
    CHECK(s.train.u == NULL && s.test_pos.count == 0);
    sgae_graph_free(g);

    /* no edges */
    int32_t none[1] = {0};
    CHECK_OK(sgae_graph_from_pairs(5, 0, none, none, &g));
    CHECK(sgae_split_edges(g, 0.05, 0.1, 1, &s) == SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "no edges") != NULL);
    sgae_graph_free(g);

    /* complete graph: no non-edges for the negatives */
    int32_t u[10], v[10];
    int m = 0;
    for (int a = 0; a < 5; a++)
        for (int b = a + 1; b < 5; b++) {
            u[m] = a;
            v[m++] = b;
        }
    CHECK_OK(sgae_graph_from_pairs(5, m, u, v, &g));
    CHECK(sgae_split_edges(g, 0.2, 0.3, 1, &s) == SGAE_E_ARG);
    sgae_graph_free(g);
}

int main(void)
{
    properties();
    errors();
    return t_done("test_split");
}

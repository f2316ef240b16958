/* Stable ids: the optimal assignment against brute force, a case where the
 * greedy choice is wrong, renamed partitions, fresh ids, nodes without a
 * community. */
#include "cluster/cluster_internal.h"
#include "testutil.h"

static void test_hand(void)
{
    /* yesterday: 7 = {0..4}, 3 = {5..9}; tonight: {0,1,2}, {3..9} */
    int32_t prev[10] = {7, 7, 7, 7, 7, 3, 3, 3, 3, 3};
    int32_t comm[10] = {0, 0, 0, 1, 1, 1, 1, 1, 1, 1};
    sgae_match_result r;
    CHECK_OK(sgae_communities_match(10, prev, comm, &r));
    CHECK(comm[0] == 7 && comm[2] == 7 && comm[3] == 3 && comm[9] == 3);
    CHECK_INT(r.common, 10);
    CHECK_INT(r.changed, 2);
    CHECK_INT(r.kept, 8);
    CHECK_INT(r.matched, 2);
    CHECK_INT(r.fresh, 0);
}

/* Overlaps [[5, 4], [4, 0]]: greedy takes the 5 and keeps 5 nodes; the
 * optimum crosses and keeps 8. */
static void test_not_greedy(void)
{
    int32_t prev[13], comm[13];
    int k = 0;
    for (int i = 0; i < 5; i++, k++) { /* tonight 0, yesterday 10 */
        comm[k] = 0;
        prev[k] = 10;
    }
    for (int i = 0; i < 4; i++, k++) { /* tonight 0, yesterday 20 */
        comm[k] = 0;
        prev[k] = 20;
    }
    for (int i = 0; i < 4; i++, k++) { /* tonight 1, yesterday 10 */
        comm[k] = 1;
        prev[k] = 10;
    }
    sgae_match_result r;
    CHECK_OK(sgae_communities_match(13, prev, comm, &r));
    CHECK_INT(r.kept, 8);
    CHECK(comm[0] == 20 && comm[12] == 10);
}

static void test_renamed_and_fresh(void)
{
    const int64_t n = 1000;
    int32_t *prev = malloc(n * sizeof *prev), *comm = malloc(n * sizeof *comm);
    for (int64_t i = 0; i < n; i++) {
        prev[i] = (int32_t)(100 + 3 * (i % 17)); /* ids 100, 103, ..., 148 */
        comm[i] = (int32_t)((i % 17) * 5 % 17);  /* the same partition renamed */
    }
    prev[5] = -1;  /* a node new tonight */
    comm[6] = -1;  /* a node left without a community */
    sgae_match_result r;
    CHECK_OK(sgae_communities_match(n, prev, comm, &r));
    int bad = 0;
    for (int64_t i = 0; i < n; i++)
        if (i != 5 && i != 6)
            bad += comm[i] != prev[i];
    CHECK_INT(bad, 0);
    CHECK(comm[5] == 100 + 3 * (5 % 17) && comm[6] == -1);
    CHECK_INT(r.changed, 0);
    CHECK_INT(r.common, n - 2);
    CHECK(fabs(r.nmi - 1) < 1e-12);
    /* tonight splits community 0 into two: the larger half keeps 100, the
     * other gets the fresh id 149 */
    for (int64_t i = 0; i < n; i++) {
        prev[i] = (int32_t)(100 + 3 * (i % 17));
        comm[i] = (int32_t)(i % 17);
        if (i % 17 == 0 && i % 3 == 0)
            comm[i] = 17;
    }
    CHECK_OK(sgae_communities_match(n, prev, comm, &r));
    CHECK_INT(r.fresh, 1);
    CHECK_INT(r.matched, 17);
    for (int64_t i = 0; i < n; i++)
        if (i % 17 == 0)
            CHECK(comm[i] == (i % 3 == 0 ? 149 : 100));
    int32_t badid[2] = {-3, 0}, ok[2] = {0, 0};
    CHECK(sgae_communities_match(2, badid, ok, &r) == SGAE_E_ARG);
    free(prev);
    free(comm);
}

/* Brute force: the largest total overlap of a partial injective map. */
static int64_t best_total(int T, int P, int64_t w[6][6], int t, unsigned used)
{
    if (t == T)
        return 0;
    int64_t best = best_total(T, P, w, t + 1, used); /* t unmatched */
    for (int p = 0; p < P; p++)
        if (!(used & (1u << p)) && w[t][p] > 0) {
            int64_t v = w[t][p] + best_total(T, P, w, t + 1, used | (1u << p));
            if (v > best)
                best = v;
        }
    return best;
}

static void test_brute_force(void)
{
    int bad = 0;
    for (uint64_t trial = 0; trial < 300; trial++) {
        int T = 1 + (int)sgae_rng_below(trial, 1, 0, 6), P = 1 + (int)sgae_rng_below(trial, 1, 1, 6);
        int64_t n = 20 + (int64_t)sgae_rng_below(trial, 1, 2, 60);
        int32_t prev[80], comm[80];
        int64_t w[6][6] = {{0}};
        for (int64_t i = 0; i < n; i++) {
            /* skewed draws so some overlaps are large */
            int t = (int)sgae_rng_below(trial, 2, (uint64_t)i, (uint64_t)T);
            int p = sgae_rng_uniform(trial, 3, (uint64_t)i) < 0.6 ? t % P
                                                                  : (int)sgae_rng_below(trial, 4, (uint64_t)i, (uint64_t)P);
            comm[i] = t;
            prev[i] = 2 * p + 1;
            w[t][p]++;
        }
        int64_t want = best_total(T, P, w, 0, 0);
        sgae_match_result r;
        if (sgae_communities_match(n, prev, comm, &r) != SGAE_OK || r.kept != want)
            bad++;
    }
    CHECK_MSG(bad == 0, "%d of 300 random instances not optimal", bad);
}

/* A larger instance: 2000 communities, a few nodes moved; fast and close to
 * everything kept. */
static void test_large(void)
{
    const int64_t n = 200000;
    int32_t *prev = malloc(n * sizeof *prev), *comm = malloc(n * sizeof *comm);
    for (int64_t i = 0; i < n; i++) {
        prev[i] = (int32_t)(i % 2000);
        /* tonight: yesterday's partition renamed by c -> 7919 c mod 2000 (a
         * permutation), 2% of the nodes moved at random */
        comm[i] = sgae_rng_uniform(1, 5, (uint64_t)i) < 0.02
                      ? (int32_t)sgae_rng_below(1, 6, (uint64_t)i, 2000)
                      : (int32_t)((prev[i] * 7919) % 2000);
    }
    double t0 = sgae_now();
    sgae_match_result r;
    CHECK_OK(sgae_communities_match(n, prev, comm, &r));
    double secs = sgae_now() - t0;
    CHECK_MSG((double)r.kept >= 0.97 * (double)n, "kept %lld", (long long)r.kept);
    CHECK_MSG(secs < 10, "%.2f s", secs);
    free(prev);
    free(comm);
}

int main(void)
{
    test_hand();
    test_not_greedy();
    test_renamed_and_fresh();
    test_brute_force();
    test_large();
    return t_done("cluster_match");
}

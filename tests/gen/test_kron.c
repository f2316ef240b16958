/* Kronecker generator: sizes, accounting of dropped pairs, self-loop rate
 * against its closed form, degree skew, determinism across thread counts. */
#include <omp.h>
#include <stdint.h>

#include "testutil.h"

/* The generator with the defaults but scale, edge factor and seed. */
static sgae_status kron(int scale, int ef, uint64_t seed, sgae_graph **g)
{
    sgae_kron_opts o;
    sgae_kron_opts_default(&o);
    o.scale = scale;
    o.edge_factor = ef;
    o.seed = seed;
    return sgae_gen_kron(&o, g);
}

int main(void)
{
    const int scale = 14, ef = 16;
    const int64_t n = 1 << scale, m = (int64_t)ef * n;
    sgae_graph *g1 = NULL, *g2 = NULL, *g3 = NULL;
    omp_set_num_threads(1);
    CHECK_OK(kron(scale, ef, 5, &g1));
    omp_set_num_threads(2);
    CHECK_OK(kron(scale, ef, 5, &g2));
    CHECK_OK(kron(scale, ef, 6, &g3));
    if (!g1 || !g2 || !g3)
        return t_done("gen_kron");
    CHECK_INT(g2->n, n);
    CHECK_INT(g2->input_edges, m);
    /* every generated pair is an edge, a self-loop or a duplicate */
    CHECK_INT(sgae_graph_edges(g2) + g2->self_loops + g2->duplicates, m);
    /* R-MAT: a pair is a self-loop when every level picks a diagonal quadrant,
     * probability (A + D)^scale = 0.62^14; expected 325 of 262144 pairs,
     * standard deviation 18; accept +-25% */
    double expect = (double)m * pow(0.62, scale);
    CHECK_MSG(fabs((double)g2->self_loops - expect) < 0.25 * expect, "self-loops %lld, expected %.0f",
              (long long)g2->self_loops, expect);
    /* duplicates are frequent in R-MAT but a minority */
    double dup = (double)g2->duplicates / (double)m;
    CHECK_MSG(dup > 0.02 && dup < 0.3, "duplicate fraction %.3f", dup);
    /* degree skew: max degree far above the mean; many isolated nodes */
    int64_t maxd, iso;
    t_degree_stats(g2, &maxd, &iso);
    double mean = 2.0 * (double)sgae_graph_edges(g2) / (double)n;
    CHECK_MSG((double)maxd > 20 * mean, "max degree %lld, mean %.1f", (long long)maxd, mean);
    CHECK_MSG(iso > n / 20 && iso < n / 2, "isolated %lld of %lld", (long long)iso, (long long)n);
    /* ids are permuted: the top-degree node is not node 0 (which is the hub
     * of unpermuted R-MAT) for this seed, and hubs are spread over the range */
    int64_t hub = 0;
    for (int64_t i = 0; i < n; i++)
        if (sgae_graph_degree(g2, i) > sgae_graph_degree(g2, hub))
            hub = i;
    CHECK(hub != 0);
    int64_t big_low = 0, big_high = 0;
    for (int64_t i = 0; i < n; i++)
        if (sgae_graph_degree(g2, i) > 4 * mean)
            *(i < n / 2 ? &big_low : &big_high) += 1;
    CHECK_MSG(big_low > 0 && big_high > 0 && big_low < 3 * big_high && big_high < 3 * big_low,
              "high-degree nodes by half: %lld / %lld", (long long)big_low, (long long)big_high);
    printf("kron scale %d: edges %lld, self-loops %lld (expected %.0f), duplicates %lld, "
           "max degree %lld, mean %.2f, isolated %lld\n",
           scale, (long long)sgae_graph_edges(g2), (long long)g2->self_loops, expect,
           (long long)g2->duplicates, (long long)maxd, mean, (long long)iso);

    /* determinism */
    int same = g1->adj.rowptr[n] == g2->adj.rowptr[n] &&
               !memcmp(g1->adj.rowptr, g2->adj.rowptr, (size_t)(n + 1) * sizeof(int64_t)) &&
               !memcmp(g1->adj.col, g2->adj.col, (size_t)g1->adj.rowptr[n] * sizeof(int32_t));
    CHECK_MSG(same, "1 and 2 threads give different graphs");
    int same3 = g3->adj.rowptr[n] == g2->adj.rowptr[n] &&
                !memcmp(g3->adj.col, g2->adj.col, (size_t)g2->adj.rowptr[n] * sizeof(int32_t));
    CHECK(!same3);
    sgae_graph_free(g3);

    CHECK_INT(kron(0, 16, 1, &g3), SGAE_E_ARG);
    CHECK(g3 == NULL);
    CHECK_INT(kron(10, 0, 1, &g3), SGAE_E_ARG);
    sgae_graph_free(g1);
    sgae_graph_free(g2);
    return t_done("gen_kron");
}

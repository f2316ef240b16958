/* k-means: the nearest-center kernel against brute force, a hand case,
 * bounds against the full scan, bit-identical results at 1 and 2 threads,
 * spherical centers, edge cases, bad input, allocation failures; the
 * refinement's determinism and local optimality. */
#include <float.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "cluster/cluster_internal.h"
#include "testutil.h"

static void set_threads(int t)
{
#ifdef _OPENMP
    omp_set_num_threads(t);
#else
    (void)t;
#endif
}

/* n points around k centers on a circle of radius r (Gaussian noise sd). */
static float *blobs(int64_t n, int64_t dim, int64_t k, double r, double sd, uint64_t seed,
                    int32_t *truth)
{
    float *x = malloc((size_t)(n * dim) * sizeof *x);
    for (int64_t i = 0; i < n; i++) {
        int64_t c = (int64_t)sgae_rng_below(seed, 100, (uint64_t)i, (uint64_t)k);
        if (truth)
            truth[i] = (int32_t)c;
        for (int64_t j = 0; j < dim; j++) {
            double u1 = sgae_rng_uniform(seed, 101, (uint64_t)(i * dim + j)) + 1e-12;
            double u2 = sgae_rng_uniform(seed, 102, (uint64_t)(i * dim + j));
            double z = sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
            double mean = j == 0 ? r * cos(6.283185307179586 * (double)c / (double)k)
                          : j == 1 ? r * sin(6.283185307179586 * (double)c / (double)k)
                                   : (double)(c % 3) * r * 0.5 * (j % 2 ? 1 : -1);
            x[i * dim + j] = (float)(mean + sd * z);
        }
    }
    return x;
}

static void test_kernel(void)
{
    const int64_t n = 301, dim = 7, k = 37;
    float *x = blobs(n, dim, 5, 3, 1, 7, NULL), *c = blobs(k, dim, 5, 3, 1, 8, NULL);
    cl_panels cp;
    CHECK_OK(cl_panels_init(&cp, k, dim));
    cl_panels_fill(&cp, c);
    int32_t best[301];
    float d1[301], d2[301];
    cl_nearest(x, dim, NULL, n, &cp, best, d1, d2);
    int bad = 0;
    for (int64_t i = 0; i < n; i++) {
        float b1 = FLT_MAX, b2 = FLT_MAX;
        int32_t bi = -1;
        for (int64_t q = 0; q < k; q++) {
            float d = cl_dist2(x + i * dim, c + q * dim, dim);
            if (d < b1) {
                b2 = b1;
                b1 = d;
                bi = (int32_t)q;
            } else if (d < b2) {
                b2 = d;
            }
        }
        bad += bi != best[i] || fabsf(b1 - d1[i]) > 1e-5f * (1 + b1) ||
               fabsf(b2 - d2[i]) > 1e-5f * (1 + b2);
    }
    CHECK_INT(bad, 0);
    /* with an index list */
    int32_t idx[3] = {300, 0, 17};
    int32_t b3[3];
    float e1[3], e2[3];
    cl_nearest(x, dim, idx, 3, &cp, b3, e1, e2);
    CHECK(b3[0] == best[300] && b3[1] == best[0] && b3[2] == best[17]);
    /* k = 1: no second center */
    cl_panels one;
    CHECK_OK(cl_panels_init(&one, 1, dim));
    cl_panels_fill(&one, c);
    cl_nearest(x, dim, NULL, 3, &one, b3, e1, e2);
    CHECK(b3[0] == 0 && e2[0] == FLT_MAX);
    cl_panels_clear(&one);
    cl_panels_clear(&cp);
    free(x);
    free(c);
}

static void test_hand(void)
{
    /* two groups on a line: {0, 1, 2} and {10, 11}: centers 1 and 10.5,
     * inertia 1 + 0 + 1 + 0.25 + 0.25 = 2.5 */
    float x[5] = {0, 1, 2, 10, 11};
    sgae_kmeans_opts o;
    sgae_kmeans_opts_default(&o);
    o.k = 2;
    sgae_kmeans_result r;
    CHECK_OK(sgae_kmeans(x, 5, 1, &o, &r));
    CHECK(r.assign[0] == r.assign[1] && r.assign[1] == r.assign[2]);
    CHECK(r.assign[3] == r.assign[4] && r.assign[3] != r.assign[0]);
    CHECK(fabs(r.inertia - 2.5) < 1e-6);
    CHECK(fabsf(r.centers[r.assign[0]] - 1.0f) < 1e-6f);
    CHECK(fabsf(r.centers[r.assign[3]] - 10.5f) < 1e-6f);
    CHECK(r.converged);
    CHECK_INT(r.restarts, 3);
    sgae_kmeans_result_clear(&r);
    /* k = n: every point its own cluster, inertia 0 */
    o.k = 5;
    CHECK_OK(sgae_kmeans(x, 5, 1, &o, &r));
    CHECK(r.inertia == 0);
    int seen[5] = {0};
    for (int i = 0; i < 5; i++)
        seen[r.assign[i]]++;
    for (int i = 0; i < 5; i++)
        CHECK(seen[i] == 1);
    sgae_kmeans_result_clear(&r);
    /* k = 1 */
    o.k = 1;
    CHECK_OK(sgae_kmeans(x, 5, 1, &o, &r));
    CHECK(fabsf(r.centers[0] - 4.8f) < 1e-5f);
    sgae_kmeans_result_clear(&r);
    /* duplicates: more clusters than distinct points still gives k ids */
    float dup[6] = {1, 1, 1, 2, 2, 2};
    o.k = 3;
    CHECK_OK(sgae_kmeans(dup, 6, 1, &o, &r));
    CHECK(r.inertia == 0);
    sgae_kmeans_result_clear(&r);
    /* errors */
    o.k = 0;
    CHECK(sgae_kmeans(x, 5, 1, &o, &r) == SGAE_E_ARG);
    o.k = 6;
    CHECK(sgae_kmeans(x, 5, 1, &o, &r) == SGAE_E_ARG);
    CHECK(r.assign == NULL);
    float nanx[4] = {0, 1, NAN, 3};
    o.k = 2;
    CHECK(sgae_kmeans(nanx, 4, 1, &o, &r) == SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "row 2") != NULL);
}

static int same_result(const sgae_kmeans_result *a, const sgae_kmeans_result *b)
{
    return a->inertia == b->inertia && a->iterations == b->iterations &&
           a->distances == b->distances &&
           !memcmp(a->assign, b->assign, (size_t)a->n * sizeof *a->assign) &&
           !memcmp(a->centers, b->centers, (size_t)(a->k * a->dim) * sizeof *a->centers);
}

static void test_bounds_threads(void)
{
    const int64_t n = 30000, dim = 16, k = 40;
    int32_t *truth = malloc(n * sizeof *truth);
    float *x = blobs(n, dim, k, 20, 1, 3, truth);
    sgae_kmeans_opts o;
    sgae_kmeans_opts_default(&o);
    o.k = k;
    o.seed_sample = 5000; /* seeding on a sample */
    sgae_kmeans_result a, b, full;
    set_threads(1);
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &a));
    set_threads(2);
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &b));
    CHECK_MSG(same_result(&a, &b), "1 and 2 threads differ");
    /* the bounds skip most distances */
    CHECK_MSG(a.distances < a.distances_naive / 2, "%lld of %lld", (long long)a.distances,
              (long long)a.distances_naive);
    CHECK(a.iter[0].distances == n * k);
    /* the same partition as the full scan on separated blobs */
    o.bounds = 0;
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &full));
    CHECK(full.distances == full.distances_naive);
    CHECK(!memcmp(full.assign, a.assign, n * sizeof *a.assign));
    CHECK(fabs(full.inertia - a.inertia) <= 1e-9 * a.inertia);
    /* clusters recovered: NMI with the blobs */
    sgae_compare c;
    CHECK_OK(sgae_partition_compare(n, truth, a.assign, &c));
    CHECK_MSG(c.nmi > 0.95, "NMI %.4f", c.nmi);
    /* another seed, another run; deterministic per seed */
    o.bounds = 1;
    o.seed = 2;
    sgae_kmeans_result s2;
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &s2));
    CHECK(s2.inertia != a.inertia || memcmp(s2.assign, a.assign, n * sizeof *a.assign));
    sgae_kmeans_result_clear(&s2);
    /* spherical: unit-norm centers, 1/2 threads identical */
    o.spherical = 1;
    sgae_kmeans_result sp1, sp2;
    set_threads(1);
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &sp1));
    set_threads(2);
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &sp2));
    CHECK(same_result(&sp1, &sp2));
    double worst = 0;
    for (int64_t q = 0; q < k; q++) {
        double s = 0;
        for (int64_t j = 0; j < dim; j++)
            s += (double)sp1.centers[q * dim + j] * sp1.centers[q * dim + j];
        if (fabs(s - 1) > worst)
            worst = fabs(s - 1);
    }
    CHECK_MSG(worst < 1e-5, "center norm off by %g", worst);
    sgae_kmeans_result_clear(&sp1);
    sgae_kmeans_result_clear(&sp2);
    sgae_kmeans_result_clear(&a);
    sgae_kmeans_result_clear(&b);
    sgae_kmeans_result_clear(&full);
    free(x);
    free(truth);
}

/* The whole clustering step with automatic k and refinement on a graph
 * whose embeddings are blobs: identical at 1 and 2 threads. */
static void test_cluster_step(void)
{
    sgae_lfr_opts p = t_lfr_opts(3000, 12, 60, 30, 200, 0.2);
    sgae_graph *g = NULL;
    int32_t *truth = NULL;
    sgae_lfr_stats ls;
    CHECK_OK(sgae_gen_lfr(&p, &g, &truth, &ls));
    if (!g)
        return;
    const int64_t n = g->n, dim = 8;
    /* embeddings: the truth's blob plus noise large enough to mix some */
    float *x = malloc((size_t)(n * dim) * sizeof *x);
    for (int64_t i = 0; i < n; i++)
        for (int64_t j = 0; j < dim; j++) {
            double u = sgae_rng_uniform(5, 200, (uint64_t)(i * dim + j)) - 0.5;
            x[i * dim + j] =
                (float)(sgae_rng_uniform(9, (uint64_t)truth[i], (uint64_t)j) * 4 + 2.0 * u);
        }
    sgae_cluster_opts o;
    sgae_cluster_opts_default(&o);
    o.kmeans.k = 0;
    o.k_max = 80;
    o.refine = 1;
    sgae_cluster_result r1, r2;
    set_threads(1);
    CHECK_OK(sgae_cluster(g, x, n, dim, &o, &r1));
    set_threads(2);
    CHECK_OK(sgae_cluster(g, x, n, dim, &o, &r2));
    CHECK(r1.k == r2.k && r1.communities == r2.communities);
    CHECK(!memcmp(r1.comm, r2.comm, n * sizeof *r1.comm));
    CHECK(r1.modularity == r2.modularity);
    CHECK(r1.autok_count >= 7);
    CHECK(r1.refined && r1.modularity >= r1.modularity_kmeans);
    double q;
    CHECK_OK(sgae_modularity(g, r1.comm, &q));
    CHECK(q == r1.modularity);
    /* local optimum: no single move gains (brute force over all moves) */
    {
        int32_t *c = r1.comm;
        int64_t K = cl_id_bound(n, c), m2 = g->adj.rowptr[n];
        int64_t *D = calloc((size_t)K, sizeof *D);
        for (int64_t i = 0; i < n; i++)
            D[c[i]] += sgae_graph_degree(g, i);
        int64_t *cnt = calloc((size_t)K, sizeof *cnt), gains = 0;
        for (int64_t i = 0; i < n && r1.refine.rounds < o.refine_opts.max_rounds; i++) {
            int64_t ki = sgae_graph_degree(g, i);
            for (int64_t e = g->adj.rowptr[i]; e < g->adj.rowptr[i + 1]; e++)
                cnt[c[g->adj.col[e]]]++;
            for (int64_t e = g->adj.rowptr[i]; e < g->adj.rowptr[i + 1]; e++) {
                int32_t B = c[g->adj.col[e]], A = c[i];
                if (B != A && m2 * (cnt[B] - cnt[A]) - ki * (D[B] - D[A] + ki) > 0)
                    gains++;
            }
            for (int64_t e = g->adj.rowptr[i]; e < g->adj.rowptr[i + 1]; e++)
                cnt[c[g->adj.col[e]]] = 0;
        }
        CHECK_INT(gains, 0);
        free(D);
        free(cnt);
    }
    sgae_compare cmp;
    CHECK_OK(sgae_partition_compare(n, truth, r1.comm, &cmp));
    CHECK_MSG(cmp.nmi > 0.8, "NMI %.3f", cmp.nmi);
    sgae_cluster_result_clear(&r1);
    sgae_cluster_result_clear(&r2);
    /* the automatic k needs the graph */
    CHECK(sgae_cluster(NULL, x, n, dim, &o, &r1) == SGAE_E_ARG);
    free(x);
    free(truth);
    sgae_graph_free(g);
}

/* Every allocation failure is reported cleanly (ASan checks for leaks). */
static void test_alloc_failures(void)
{
    const int64_t n = 3000, dim = 4;
    float *x = blobs(n, dim, 6, 10, 1, 11, NULL);
    sgae_kmeans_opts o;
    sgae_kmeans_opts_default(&o);
    o.k = 6;
    o.seed_sample = 1000;
    o.restarts = 2;
    sgae_kmeans_result r;
    sgae_alloc_fail_at(0);
    sgae_alloc_fail_at(1000000000);
    CHECK_OK(sgae_kmeans(x, n, dim, &o, &r));
    sgae_kmeans_result_clear(&r);
    int64_t count = sgae_alloc_count();
    int bad = 0;
    for (int64_t k = 1; k <= count; k++) {
        sgae_alloc_fail_at(k);
        sgae_status st = sgae_kmeans(x, n, dim, &o, &r);
        if (st != SGAE_E_NOMEM || r.assign)
            bad++;
        sgae_kmeans_result_clear(&r);
    }
    sgae_alloc_fail_at(0);
    CHECK_MSG(bad == 0, "%d of %lld failure points mishandled", bad, (long long)count);
    CHECK(count > 10);
    free(x);
}

int main(void)
{
    test_kernel();
    test_hand();
    test_bounds_threads();
    test_cluster_step();
    test_alloc_failures();
    return t_done("cluster_kmeans");
}

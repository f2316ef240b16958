/* Scores: modularity, sizes and conductance by hand; NMI, ARI, AMI against
 * scikit-learn's values; the exact expected mutual information against a
 * brute-force sum; best-match F1; karate's published modularities. */
#include <float.h>

#include "cluster/cluster_internal.h"
#include "testutil.h"

static sgae_graph *graph_of(int64_t n, int64_t m, const int32_t (*e)[2])
{
    int32_t *u = malloc((size_t)m * sizeof *u + 1), *v = malloc((size_t)m * sizeof *v + 1);
    for (int64_t k = 0; k < m; k++) {
        u[k] = e[k][0];
        v[k] = e[k][1];
    }
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_from_pairs(n, m, u, v, &g));
    free(u);
    free(v);
    return g;
}

/* Two triangles {0,1,2} and {3,4,5} joined by the edge 2-3. */
static void test_hand_modularity(void)
{
    static const int32_t e[7][2] = {{0, 1}, {1, 2}, {0, 2}, {3, 4}, {4, 5}, {3, 5}, {2, 3}};
    sgae_graph *g = graph_of(6, 7, e);
    int32_t two[6] = {0, 0, 0, 1, 1, 1}, one[6] = {0, 0, 0, 0, 0, 0};
    int32_t single[6] = {-1, -1, -1, -1, -1, -1}, odd[6] = {5, 5, 5, 9, 9, 9};
    double q;
    /* m = 7; each side: L = 3, D = 7: Q = 2 (3/7 - (7/14)^2) = 6/7 - 1/2 */
    CHECK_OK(sgae_modularity(g, two, &q));
    CHECK(fabs(q - (6.0 / 7.0 - 0.5)) < 1e-15);
    CHECK_OK(sgae_modularity(g, odd, &q)); /* ids need not be contiguous */
    CHECK(fabs(q - (6.0 / 7.0 - 0.5)) < 1e-15);
    CHECK_OK(sgae_modularity(g, one, &q));
    CHECK(fabs(q) < 1e-15);
    /* singletons: -sum (k_i / 2m)^2 = -(4*4 + 2*9) / 196 */
    CHECK_OK(sgae_modularity(g, single, &q));
    CHECK(fabs(q + 34.0 / 196.0) < 1e-15);
    int32_t bad[6] = {0, 0, -2, 1, 1, 1};
    CHECK(sgae_modularity(g, bad, &q) == SGAE_E_ARG);

    sgae_partition_stats s;
    int32_t p3[6] = {0, 0, 0, 1, 1, -1};
    CHECK_OK(sgae_partition_stats_compute(g, p3, &s));
    CHECK_INT(s.communities, 2);
    CHECK_INT(s.unassigned, 1);
    CHECK_INT(s.size_min, 2);
    CHECK_INT(s.size_max, 3);
    CHECK(s.size_median == 2.5 && s.size_mean == 2.5);
    CHECK_INT(s.size_log2[1], 2); /* sizes 2 and 3 */
    /* community 0: vol 7, cut 1 -> 1/7; community 1 {3,4}: vol 3 + 2 = 5,
     * internal 2 entries (edge 3-4), cut 3 -> 3/min(5, 14 - 5) */
    CHECK_INT(s.conductance_count, 2);
    CHECK(fabs(s.conductance_min - 1.0 / 7.0) < 1e-15);
    CHECK(fabs(s.conductance_max - 3.0 / 5.0) < 1e-15);
    CHECK(fabs(s.conductance_mean - 0.5 * (1.0 / 7.0 + 3.0 / 5.0)) < 1e-15);
    CHECK(fabs(s.coverage - 4.0 / 7.0) < 1e-15);
    sgae_graph_free(g);
}

/* Zachary's karate club: the 'club' split has Q = 0.3582 and the optimal
 * partition Q = 0.4198 (Brandes et al. 2008; the partition below is
 * igraph's community_optimal_modularity, 0-based node ids). */
static void test_karate(void)
{
    sgae_load_opts o = {.graph = t_data("newman/karate.gml.zst"), .label_attr = "club"};
    sgae_dataset ds;
    CHECK_OK(sgae_dataset_load(&o, &ds));
    if (!ds.graph)
        return;
    CHECK_INT(ds.graph->n, 34);
    CHECK_INT(sgae_graph_edges(ds.graph), 78);
    double q;
    CHECK_OK(sgae_modularity(ds.graph, ds.labels->label, &q));
    CHECK_MSG(fabs(q - 0.3582) < 5e-5, "club split Q = %.6f", q);
    CHECK(fabs(q - 0.3582347140039448) < 1e-12); /* igraph's value */
    static const int opt[4][12] = {{0, 1, 2, 3, 7, 11, 12, 13, 17, 19, 21, -1},
                                   {4, 5, 6, 10, 16, -1},
                                   {8, 9, 14, 15, 18, 20, 22, 26, 29, 30, 32, 33},
                                   {23, 24, 25, 27, 28, 31, -1}};
    int32_t comm[34];
    for (int i = 0; i < 34; i++)
        comm[i] = -5;
    for (int c = 0; c < 4; c++)
        for (int k = 0; k < 12 && opt[c][k] >= 0; k++)
            comm[opt[c][k]] = c;
    for (int i = 0; i < 34; i++)
        CHECK(comm[i] >= 0);
    CHECK_OK(sgae_modularity(ds.graph, comm, &q));
    CHECK_MSG(fabs(q - 0.4198) < 5e-5, "optimal Q = %.6f", q);
    CHECK(fabs(q - 0.4197896120973046) < 1e-12);
    /* the refinement from the optimum cannot gain: it is a local optimum */
    sgae_refine_result rr;
    CHECK_OK(sgae_refine(ds.graph, comm, NULL, &rr));
    CHECK_INT(rr.moves, 0);
    CHECK(rr.modularity_after == rr.modularity_before);
    /* from the club split it climbs */
    memcpy(comm, ds.labels->label, sizeof comm);
    CHECK_OK(sgae_refine(ds.graph, comm, NULL, &rr));
    CHECK(rr.modularity_after > 0.3582);
    CHECK_OK(sgae_modularity(ds.graph, comm, &q));
    CHECK(fabs(q - rr.modularity_after) < 1e-15);
    sgae_dataset_clear(&ds);
}

/* scikit-learn 1.2.1 (Debian python3-sklearn), values printed with
 *   from sklearn.metrics import normalized_mutual_info_score as nmi,
 *       adjusted_rand_score as ari, adjusted_mutual_info_score as ami
 *   print('%.17g %.17g %.17g' % (nmi(t, p), ari(t, p), ami(t, p)))
 * for the label vectors built below (v3, v4 by the same formulas in Python:
 *   v3: t = [(i*7+i*i*3)%5 ...], p = [(i*i*11+3*i+1)%7 ...], i < 200
 *   v4: t = [(((i*2654435761)%(1<<32))>>7)%40 ...], i < 5000,
 *       p = [(t[i] + (1 if i%10==0 else 0) + (i%3==0)*((i//3)%2)) % 45 ...]). */
static void check_sklearn(const char *name, int64_t n, const int32_t *t, const int32_t *p,
                          double nmi, double ari, double ami)
{
    sgae_compare c;
    CHECK_OK(sgae_partition_compare(n, t, p, &c));
    CHECK_MSG(fabs(c.nmi - nmi) < 1e-12, "%s: NMI %.17g, sklearn %.17g", name, c.nmi, nmi);
    CHECK_MSG(fabs(c.ari - ari) < 1e-12, "%s: ARI %.17g, sklearn %.17g", name, c.ari, ari);
    CHECK_MSG(fabs(c.ami - ami) < 1e-12, "%s: AMI %.17g, sklearn %.17g", name, c.ami, ami);
    /* symmetric */
    sgae_compare d;
    CHECK_OK(sgae_partition_compare(n, p, t, &d));
    CHECK(fabs(d.nmi - c.nmi) < 1e-14 && fabs(d.ari - c.ari) < 1e-14 &&
          fabs(d.ami - c.ami) < 1e-12);
}

static void test_sklearn(void)
{
    int32_t t1[6] = {0, 0, 0, 1, 1, 1}, p1[6] = {0, 0, 1, 1, 2, 2};
    check_sklearn("v1", 6, t1, p1, 0.5158037429793888, 0.24242424242424243, 0.2987924581708899);
    int32_t t2[12] = {0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3, 0}, p2[12] = {1, 1, 1, 0, 0, 2, 2, 2, 3, 3, 0, 0};
    check_sklearn("v2", 12, t2, p2, 0.42535498524165022, 0.042089985486211901,
                  0.074059532023567826);
    int32_t t3[200], p3[200];
    for (int64_t i = 0; i < 200; i++) {
        t3[i] = (int32_t)((i * 7 + i * i * 3) % 5);
        p3[i] = (int32_t)((i * i * 11 + 3 * i + 1) % 7);
    }
    check_sklearn("v3", 200, t3, p3, 0.00054387087981905529, -0.0098841875797595121,
                  -0.012371128904577106);
    int32_t *t4 = malloc(5000 * sizeof *t4), *p4 = malloc(5000 * sizeof *p4);
    for (int64_t i = 0; i < 5000; i++) {
        t4[i] = (int32_t)((((uint64_t)i * 2654435761ULL) % (1ULL << 32) >> 7) % 40);
        p4[i] = (int32_t)((t4[i] + (i % 10 == 0) + (i % 3 == 0) * ((i / 3) % 2)) % 45);
    }
    check_sklearn("v4", 5000, t4, p4, 0.84514689499689089, 0.5990456578061879,
                  0.83764147275170153);
    free(t4);
    free(p4);
    int32_t t5[6] = {0, 1, 2, 3, 4, 5}, p5[6] = {0, 0, 0, 0, 0, 0};
    check_sklearn("v5", 6, t5, p5, 0, 0, 0);
    int32_t t6[4] = {0, 0, 1, 1}, p6[4] = {1, 1, 0, 0};
    check_sklearn("v6", 4, t6, p6, 1, 1, 1);
    /* unlabelled nodes (-1) are left out */
    int32_t t7[8] = {0, 0, 0, -1, 1, 1, 1, 1}, p7[8] = {0, 0, 1, 2, 1, 2, 2, -1};
    check_sklearn("v1 with gaps", 8, t7, p7, 0.5158037429793888, 0.24242424242424243,
                  0.2987924581708899);
    /* both sides one cluster: scikit-learn's perfect match */
    int32_t one[3] = {4, 4, 4}, two[3] = {7, 7, 7};
    sgae_compare c;
    CHECK_OK(sgae_partition_compare(3, one, two, &c));
    CHECK(c.nmi == 1 && c.ari == 1 && c.ami == 1);
}

/* E[MI] by scikit-learn's full triple loop (every nij, lgamma per term). */
static double emi_brute(const int64_t *a, int R, const int64_t *b, int C, int64_t N)
{
    double emi = 0;
    for (int i = 0; i < R; i++)
        for (int j = 0; j < C; j++) {
            int64_t lo = a[i] + b[j] - N > 1 ? a[i] + b[j] - N : 1;
            int64_t hi = a[i] < b[j] ? a[i] : b[j];
            for (int64_t nij = lo; nij <= hi; nij++) {
                double t1 = (double)nij / (double)N;
                double t2 = log((double)N) + log((double)nij) - log((double)a[i]) - log((double)b[j]);
                double gln = lgamma((double)a[i] + 1) + lgamma((double)b[j] + 1) +
                             lgamma((double)(N - a[i]) + 1) + lgamma((double)(N - b[j]) + 1) -
                             lgamma((double)nij + 1) - lgamma((double)N + 1) -
                             lgamma((double)(a[i] - nij) + 1) - lgamma((double)(b[j] - nij) + 1) -
                             lgamma((double)(N - a[i] - b[j] + nij) + 1);
                emi += t1 * t2 * exp(gln);
            }
        }
    return emi;
}

static void test_emi(void)
{
    /* uneven class sizes, some equal (grouped), N = 3000 */
    const int64_t N = 3000;
    int32_t *t = malloc(N * sizeof *t), *p = malloc(N * sizeof *p);
    int64_t a[64] = {0}, b[64] = {0};
    int R = 0, C = 0;
    for (int64_t i = 0; i < N; i++) {
        t[i] = (int32_t)(i < 1500 ? 0 : i < 2000 ? 1 : 2 + (i % 13));
        p[i] = (int32_t)(i < 10 ? 0 : 1 + (int32_t)((i * 31 + i / 7) % 20));
        a[t[i]]++;
        b[p[i]]++;
    }
    for (int c = 0; c < 64; c++) {
        if (a[c])
            a[R++] = a[c];
    }
    for (int c = 0; c < 64; c++) {
        if (b[c])
            b[C++] = b[c];
    }
    sgae_compare c;
    CHECK_OK(sgae_partition_compare(N, t, p, &c));
    double ref = emi_brute(a, R, b, C, N);
    CHECK_MSG(fabs(c.emi - ref) <= 1e-12 * fabs(ref), "EMI %.17g, brute force %.17g", c.emi, ref);
    free(t);
    free(p);
}

static void test_f1_cover(void)
{
    /* truth {0,1,2}, {3,4}; found {0,1}, {2,3,4} */
    int32_t t[5] = {0, 0, 0, 1, 1}, f[5] = {0, 0, 1, 1, 1};
    sgae_compare c;
    CHECK_OK(sgae_partition_compare(5, t, f, &c));
    /* truth 0: best F1 with found 0 = 2*2/(3+2) = 0.8; truth 1: found 1 = 2*2/(2+3) = 0.8 */
    CHECK(fabs(c.f1_truth - 0.8) < 1e-15);
    CHECK(fabs(c.f1_found - 0.8) < 1e-15);
    /* overlapping cover: {0,1,2,3}, {3,4} */
    int64_t ptr[3] = {0, 4, 6};
    int32_t nodes[6] = {0, 1, 2, 3, 3, 4};
    sgae_cover cv = {5, 2, ptr, nodes};
    int32_t part[5];
    CHECK(sgae_cover_to_partition(&cv, part) == 0);
    double ft, ff;
    CHECK_OK(sgae_cover_f1(&cv, f, &ft, &ff));
    /* T0 vs F0: 2*2/(4+2) = 2/3, vs F1: 2*2/(4+3) = 4/7 -> 2/3; T1 vs F1:
     * 2*2/(2+3) = 0.8 -> mean 0.7333; F0: best 2/3; F1: best 0.8 */
    CHECK(fabs(ft - 0.5 * (2.0 / 3.0 + 0.8)) < 1e-15);
    CHECK(fabs(ff - 0.5 * (2.0 / 3.0 + 0.8)) < 1e-15);
    int32_t nodes2[6] = {0, 1, 2, 3, 4};
    int64_t ptr2[3] = {0, 3, 5};
    sgae_cover cv2 = {5, 2, ptr2, nodes2};
    CHECK(sgae_cover_to_partition(&cv2, part) == 1);
    CHECK(part[0] == 0 && part[2] == 0 && part[3] == 1 && part[4] == 1);
}

int main(void)
{
    test_hand_modularity();
    test_karate();
    test_sklearn();
    test_emi();
    test_f1_cover();
    return t_done("cluster_score");
}

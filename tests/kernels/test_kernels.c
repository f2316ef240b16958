/* SpMM and pair kernels against their oracles: GraphBLAS GrB_mxm, the serial
 * loop, serial pair loops in double; 1 vs 2 threads bit for bit; the vertex
 * reordering. */
#include <omp.h>
#include <stdint.h>

#include <GraphBLAS.h>

#include "testutil.h"
#include "sgae/order.h"

static const int64_t widths[] = {1, 7, 16, 32, 64, 100};
enum { NW = sizeof widths / sizeof widths[0] };

static float *rand_dense(int64_t n, uint64_t seed)
{
    float *x = malloc((size_t)(n > 0 ? n : 1) * sizeof *x);
    for (int64_t i = 0; i < n; i++)
        x[i] = (float)(2.0 * sgae_rng_uniform(seed, 77, (uint64_t)i) - 1.0);
    return x;
}

/* GrB_mxm(A, H) into dense Y. */
static int grb_spmm(const sgae_csr *A, const float *H, int64_t d, float *Y)
{
    int64_t n = A->nrows, nnz = A->rowptr[n];
    GrB_Matrix GA = NULL, GH = NULL, GC = NULL;
    GrB_Index *I = malloc((size_t)(nnz + 1) * sizeof *I);
    GrB_Index *J = malloc((size_t)(nnz + 1) * sizeof *J);
    float *X = malloc((size_t)(nnz + 1) * sizeof *X);
    GrB_Index *hI = malloc((size_t)(A->ncols * d + 1) * sizeof *hI);
    GrB_Index *hJ = malloc((size_t)(A->ncols * d + 1) * sizeof *hJ);
    int ok = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            I[k] = (GrB_Index)i;
            J[k] = (GrB_Index)A->col[k];
            X[k] = A->val ? A->val[k] : 1.0f;
        }
    for (int64_t i = 0; i < A->ncols * d; i++) {
        hI[i] = (GrB_Index)(i / d);
        hJ[i] = (GrB_Index)(i % d);
    }
    if (GrB_Matrix_new(&GA, GrB_FP32, (GrB_Index)n, (GrB_Index)A->ncols) ||
        GrB_Matrix_build_FP32(GA, I, J, X, (GrB_Index)nnz, GrB_PLUS_FP32) ||
        GrB_Matrix_new(&GH, GrB_FP32, (GrB_Index)A->ncols, (GrB_Index)d) ||
        GrB_Matrix_build_FP32(GH, hI, hJ, H, (GrB_Index)(A->ncols * d), GrB_PLUS_FP32) ||
        GrB_Matrix_new(&GC, GrB_FP32, (GrB_Index)n, (GrB_Index)d) ||
        GrB_mxm(GC, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP32, GA, GH, NULL))
        goto done;
    memset(Y, 0, (size_t)(n * d) * sizeof *Y);
    GrB_Index nv;
    if (GrB_Matrix_nvals(&nv, GC))
        goto done;
    free(I);
    free(J);
    free(X);
    I = malloc((nv + 1) * sizeof *I);
    J = malloc((nv + 1) * sizeof *J);
    X = malloc((nv + 1) * sizeof *X);
    if (GrB_Matrix_extractTuples_FP32(I, J, X, &nv, GC))
        goto done;
    for (GrB_Index k = 0; k < nv; k++)
        Y[I[k] * (GrB_Index)d + J[k]] = X[k];
    ok = 1;
done:
    GrB_Matrix_free(&GA);
    GrB_Matrix_free(&GH);
    GrB_Matrix_free(&GC);
    free(I);
    free(J);
    free(X);
    free(hI);
    free(hJ);
    return ok;
}

/* All SpMM checks on one matrix. */
static void check_spmm(const char *name, const sgae_csr *A, int with_grb)
{
    int64_t n = A->nrows;
    for (int w = 0; w < NW; w++) {
        int64_t d = widths[w];
        float *H = rand_dense(A->ncols * d, 1 + (uint64_t)d);
        float *Y0 = rand_dense(n * d, 2 + (uint64_t)d);
        float *Y = malloc((size_t)(n * d + 1) * sizeof *Y);
        float *Y2 = malloc((size_t)(n * d + 1) * sizeof *Y2);
        float *R = malloc((size_t)(n * d + 1) * sizeof *R);

        /* Y = A H: overwrite whatever Y held */
        for (int64_t i = 0; i < n * d; i++)
            Y[i] = NAN;
        sgae_spmm_naive(A, H, d, R, 0);
        omp_set_num_threads(1);
        sgae_spmm(A, H, d, Y, 0);
        double e = t_rel_err(Y, R, n * d);
        CHECK_MSG(e <= 1e-5, "%s d=%lld: sgae_spmm vs naive rel err %g", name, (long long)d, e);
        omp_set_num_threads(2);
        for (int64_t i = 0; i < n * d; i++)
            Y2[i] = NAN;
        sgae_spmm(A, H, d, Y2, 0);
        CHECK_MSG(!memcmp(Y, Y2, (size_t)(n * d) * sizeof *Y),
                  "%s d=%lld: 1 and 2 threads differ", name, (long long)d);
        if (with_grb) {
            float *G = malloc((size_t)(n * d + 1) * sizeof *G);
            CHECK_MSG(grb_spmm(A, H, d, G), "%s: GraphBLAS failed", name);
            e = t_rel_err(Y2, G, n * d);
            CHECK_MSG(e <= 1e-5, "%s d=%lld: sgae_spmm vs GrB_mxm rel err %g", name, (long long)d,
                      e);
            free(G);
        }

        /* Y += A H */
        memcpy(R, Y0, (size_t)(n * d) * sizeof *R);
        sgae_spmm_naive(A, H, d, R, 1);
        memcpy(Y, Y0, (size_t)(n * d) * sizeof *Y);
        memcpy(Y2, Y0, (size_t)(n * d) * sizeof *Y);
        omp_set_num_threads(1);
        sgae_spmm(A, H, d, Y, 1);
        omp_set_num_threads(2);
        sgae_spmm(A, H, d, Y2, 1);
        e = t_rel_err(Y, R, n * d);
        CHECK_MSG(e <= 1e-5, "%s d=%lld: accumulate vs naive rel err %g", name, (long long)d, e);
        CHECK_MSG(!memcmp(Y, Y2, (size_t)(n * d) * sizeof *Y),
                  "%s d=%lld: accumulate, 1 and 2 threads differ", name, (long long)d);
        free(H);
        free(Y0);
        free(Y);
        free(Y2);
        free(R);
    }
}

/* A power-law graph: endpoints drawn with probability ~ (i + 10)^-1.5,
 * plus isolated nodes (empty rows). */
static sgae_graph *powerlaw_graph(int64_t n, int64_t m, uint64_t seed)
{
    double *cdf = malloc((size_t)(n + 1) * sizeof *cdf);
    int32_t *u = malloc((size_t)m * sizeof *u), *v = malloc((size_t)m * sizeof *v);
    cdf[0] = 0;
    for (int64_t i = 0; i < n; i++)
        cdf[i + 1] = cdf[i] + (i % 50 == 49 ? 0.0 : pow((double)i + 10.0, -0.8));
    for (int64_t k = 0; k < 2 * m; k++) {
        double x = sgae_rng_uniform(seed, SGAE_RNG_GEN, (uint64_t)k) * cdf[n];
        int64_t lo = 0, hi = n;
        while (hi - lo > 1) {
            int64_t mid = (lo + hi) / 2;
            if (cdf[mid] <= x)
                lo = mid;
            else
                hi = mid;
        }
        /* scatter ids so hubs are not all at the front */
        int32_t id = (int32_t)(((uint64_t)lo * 7919) % (uint64_t)n);
        if (k < m)
            u[k] = id;
        else
            v[k - m] = id;
    }
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_from_pairs(n, m, u, v, &g));
    free(cdf);
    free(u);
    free(v);
    return g;
}

static void test_empty_rows(void)
{
    /* 5 x 4 matrix, rows 0, 2 and 4 empty */
    int64_t rp[] = {0, 0, 3, 3, 5, 5};
    int32_t col[] = {0, 2, 3, 1, 3};
    float val[] = {1.5f, -2.0f, 0.25f, 4.0f, -1.0f};
    sgae_csr A = {5, 4, rp, col, val};
    check_spmm("empty-rows", &A, 1);
    sgae_csr P = {5, 4, rp, col, NULL}; /* pattern */
    check_spmm("empty-rows-pattern", &P, 1);
    /* no rows at all, no nonzeros at all */
    int64_t rp0[] = {0};
    sgae_csr Z = {0, 3, rp0, col, val};
    float h[3] = {1, 2, 3}, y[1] = {5};
    sgae_spmm(&Z, h, 1, y, 0);
    CHECK(y[0] == 5);
    int64_t rpz[] = {0, 0, 0};
    sgae_csr E = {2, 3, rpz, col, val};
    float y2[4] = {NAN, NAN, 7, 7};
    sgae_spmm(&E, h, 2, y2, 0);
    CHECK(y2[0] == 0 && y2[1] == 0 && y2[2] == 0 && y2[3] == 0);
    float y3[4] = {1, 2, 3, 4};
    sgae_spmm(&E, h, 2, y3, 1);
    CHECK(y3[0] == 1 && y3[1] == 2 && y3[2] == 3 && y3[3] == 4);
}

/* Pairs: edges of g (u < v), repeats, u == v pairs, random pairs. */
static int64_t make_pairs(const sgae_graph *g, int32_t **pu, int32_t **pv, int64_t extra)
{
    int64_t e = sgae_graph_edges(g), m = e + 2 * extra + 3;
    int32_t *u = malloc((size_t)m * sizeof *u), *v = malloc((size_t)m * sizeof *v);
    int64_t k = 0;
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t p = g->adj.rowptr[i]; p < g->adj.rowptr[i + 1]; p++)
            if (g->adj.col[p] > i) {
                u[k] = (int32_t)i;
                v[k++] = g->adj.col[p];
            }
    for (int64_t q = 0; q < extra; q++) {
        u[k] = (int32_t)sgae_rng_below(3, 1, (uint64_t)q, (uint64_t)g->n);
        v[k++] = (int32_t)sgae_rng_below(3, 2, (uint64_t)q, (uint64_t)g->n);
    }
    for (int64_t q = 0; q < extra; q++) { /* repeats of earlier pairs, some reversed */
        int64_t r = (int64_t)sgae_rng_below(3, 3, (uint64_t)q, (uint64_t)k);
        u[k] = q % 2 ? v[r] : u[r];
        v[k] = q % 2 ? u[r] : v[r];
        k++;
    }
    u[k] = v[k] = 0; /* u == v */
    k++;
    u[k] = v[k] = (int32_t)(g->n - 1);
    k++;
    u[k] = v[k] = 0;
    k++;
    *pu = u;
    *pv = v;
    return k;
}

static void check_pairs(const char *name, const sgae_graph *g, int64_t extra)
{
    int32_t *u, *v;
    int64_t m = make_pairs(g, &u, &v, extra), n = g->n;
    float *gr = rand_dense(m, 11);
    for (int w = 0; w < NW; w++) {
        int64_t d = widths[w];
        float *Z = rand_dense(n * d, 5 + (uint64_t)d);
        float *s1 = malloc((size_t)m * sizeof *s1), *s2 = malloc((size_t)m * sizeof *s2);
        omp_set_num_threads(1);
        sgae_pair_scores(Z, d, m, u, v, s1);
        omp_set_num_threads(2);
        sgae_pair_scores(Z, d, m, u, v, s2);
        CHECK_MSG(!memcmp(s1, s2, (size_t)m * sizeof *s1), "%s d=%lld: scores 1 vs 2 threads",
                  name, (long long)d);
        int bad = 0;
        for (int64_t k = 0; k < m; k++) {
            double ref = 0, mag = 0;
            for (int64_t c = 0; c < d; c++) {
                double x = (double)Z[u[k] * d + c] * (double)Z[v[k] * d + c];
                ref += x;
                mag += fabs(x);
            }
            if (fabs(s2[k] - ref) > 1e-5 * (mag + 1e-30))
                bad++;
        }
        CHECK_MSG(bad == 0, "%s d=%lld: %d scores differ from the serial loop", name,
                  (long long)d, bad);

        /* scatter: dZ += gradient, against a serial loop in double */
        sgae_pairmat pm1 = {0}, pm2 = {0};
        omp_set_num_threads(1);
        CHECK_OK(sgae_pairmat_build(&pm1, n, m, u, v));
        omp_set_num_threads(2);
        CHECK_OK(sgae_pairmat_build(&pm2, n, m, u, v));
        float *D1 = rand_dense(n * d, 9), *D2 = malloc((size_t)(n * d) * sizeof *D2);
        double *ref = malloc((size_t)(n * d) * sizeof *ref), *mag = calloc((size_t)(n * d), sizeof *mag);
        memcpy(D2, D1, (size_t)(n * d) * sizeof *D2);
        for (int64_t i = 0; i < n * d; i++)
            ref[i] = D1[i];
        for (int64_t k = 0; k < m; k++)
            for (int64_t c = 0; c < d; c++) {
                double a = (double)gr[k] * Z[v[k] * d + c], b = (double)gr[k] * Z[u[k] * d + c];
                ref[u[k] * d + c] += a;
                ref[v[k] * d + c] += b;
                mag[u[k] * d + c] += fabs(a);
                mag[v[k] * d + c] += fabs(b);
            }
        omp_set_num_threads(1);
        sgae_pair_scatter(&pm1, gr, Z, d, D1);
        omp_set_num_threads(2);
        sgae_pair_scatter(&pm2, gr, Z, d, D2);
        CHECK_MSG(!memcmp(D1, D2, (size_t)(n * d) * sizeof *D1), "%s d=%lld: scatter 1 vs 2 threads",
                  name, (long long)d);
        bad = 0;
        for (int64_t i = 0; i < n * d; i++)
            if (fabs(D2[i] - ref[i]) > 1e-5 * (mag[i] + fabs(ref[i]) + 1e-6))
                bad++;
        CHECK_MSG(bad == 0, "%s d=%lld: %d scatter entries differ from the serial loop", name,
                  (long long)d, bad);
        sgae_pairmat_clear(&pm1);
        sgae_pairmat_clear(&pm2);
        free(D1);
        free(D2);
        free(ref);
        free(mag);
        free(Z);
        free(s1);
        free(s2);
    }
    free(gr);
    free(u);
    free(v);
}

/* The pair matrix itself: structure, pair order, thread independence,
 * reuse of buffers, bad ids. */
static void test_pairmat(const sgae_graph *g, int64_t extra)
{
    int32_t *u, *v;
    int64_t m = make_pairs(g, &u, &v, extra), n = g->n;
    sgae_pairmat a = {0}, b = {0};
    omp_set_num_threads(1);
    CHECK_OK(sgae_pairmat_build(&a, n, m, u, v));
    omp_set_num_threads(2);
    CHECK_OK(sgae_pairmat_build(&b, n, m, u, v));
    CHECK_INT(a.p.rowptr[n], 2 * m);
    CHECK(!memcmp(a.p.rowptr, b.p.rowptr, (size_t)(n + 1) * sizeof(int64_t)));
    CHECK(!memcmp(a.p.col, b.p.col, (size_t)(2 * m) * sizeof(int32_t)));
    CHECK(!memcmp(a.pair_of, b.pair_of, (size_t)(2 * m) * sizeof(int64_t)));
    /* every entry names its pair; rows in pair order; each pair twice */
    int64_t bad = 0;
    int32_t *seen = calloc((size_t)m, sizeof *seen);
    for (int64_t i = 0; i < n; i++)
        for (int64_t e = b.p.rowptr[i]; e < b.p.rowptr[i + 1]; e++) {
            int64_t k = b.pair_of[e];
            if (k < 0 || k >= m) {
                bad++;
                continue;
            }
            seen[k]++;
            int ok = (u[k] == i && v[k] == b.p.col[e]) || (v[k] == i && u[k] == b.p.col[e]);
            if (!ok || (e > b.p.rowptr[i] && b.pair_of[e - 1] > k))
                bad++;
        }
    for (int64_t k = 0; k < m; k++)
        if (seen[k] != 2)
            bad++;
    CHECK_INT(bad, 0);
    /* u == v pairs: two entries (0, 0) */
    int64_t self0 = 0;
    for (int64_t e = b.p.rowptr[0]; e < b.p.rowptr[1]; e++)
        self0 += b.p.col[e] == 0;
    CHECK(self0 >= 4);
    /* rebuild into the same buffers with fewer pairs, then a bad id */
    CHECK_OK(sgae_pairmat_build(&b, n, m / 2, u, v));
    CHECK_INT(b.p.rowptr[n], 2 * (m / 2));
    int32_t keep = v[m / 3];
    v[m / 3] = (int32_t)n;
    CHECK(sgae_pairmat_build(&b, n, m, u, v) == SGAE_E_ARG);
    v[m / 3] = -1;
    CHECK(sgae_pairmat_build(&b, n, m, u, v) == SGAE_E_ARG);
    v[m / 3] = keep;
    CHECK_OK(sgae_pairmat_build(&b, n, m, u, v));
    CHECK(!memcmp(a.pair_of, b.pair_of, (size_t)(2 * m) * sizeof(int64_t)));
    sgae_pairmat_clear(&a);
    sgae_pairmat_clear(&b);
    free(seen);
    free(u);
    free(v);
}

/* Reordering: same graph in the user's ids; SpMM commutes with it. */
static void test_reorder(const sgae_graph *g0, sgae_order_method m)
{
    sgae_graph *g = NULL;
    /* a copy via pairs (the ids of g0 are 0..n-1 or an explicit map) */
    int64_t e = sgae_graph_edges(g0), n = g0->n;
    int32_t *u = malloc((size_t)e * sizeof *u), *v = malloc((size_t)e * sizeof *v);
    int64_t k = 0;
    for (int64_t i = 0; i < n; i++)
        for (int64_t p = g0->adj.rowptr[i]; p < g0->adj.rowptr[i + 1]; p++)
            if (g0->adj.col[p] > i) {
                u[k] = (int32_t)i;
                v[k++] = g0->adj.col[p];
            }
    sgae_graph *gi = NULL; /* the same with g0's id map */
    CHECK_OK(sgae_graph_from_pairs(n, e, u, v, &g));
    CHECK_OK(sgae_graph_from_pairs(n, e, u, v, &gi));
    CHECK_OK(sgae_graph_copy_ids(gi, g0));
    CHECK_OK(sgae_graph_reorder(gi, m));
    CHECK_OK(sgae_graph_norm(g));
    CHECK_OK(sgae_graph_reorder(g, m));
    CHECK(!g->norm_valid);
    CHECK_INT(sgae_graph_edges(g), e);
    CHECK_OK(sgae_graph_norm(g));
    /* old index of each new node, through the id maps */
    int64_t *old = malloc((size_t)n * sizeof *old);
    char b1[64], b2[64];
    int idbad = 0;
    for (int64_t r = 0; r < n; r++) {
        old[r] = (int64_t)g->ids[r]; /* g had no id map: its ids were 0..n-1 */
        sgae_graph_node_name(gi, r, b1, sizeof b1);
        sgae_graph_node_name(g0, old[r], b2, sizeof b2);
        idbad += strcmp(b1, b2) != 0;
    }
    CHECK_INT(idbad, 0);
    int64_t adjbad = 0;
    for (int64_t r = 0; r < n; r++) {
        adjbad += sgae_graph_degree(g, r) != sgae_graph_degree(g0, old[r]);
        for (int64_t p = g->adj.rowptr[r]; p < g->adj.rowptr[r + 1]; p++) {
            if (p > g->adj.rowptr[r] && g->adj.col[p] <= g->adj.col[p - 1])
                adjbad++; /* sorted, unique */
            int64_t o = old[g->adj.col[p]], hit = 0;
            for (int64_t q = g0->adj.rowptr[old[r]]; q < g0->adj.rowptr[old[r] + 1]; q++)
                hit |= g0->adj.col[q] == o;
            adjbad += !hit;
        }
    }
    CHECK_INT(adjbad, 0);
    if (m == SGAE_ORDER_DEGREE) {
        int64_t mono = 0;
        for (int64_t r = 1; r < n; r++)
            mono += sgae_graph_degree(g, r) > sgae_graph_degree(g, r - 1);
        CHECK_INT(mono, 0);
    }
    /* (P A P^T)(P H) = P (A H) */
    int64_t d = 16;
    float *H0 = rand_dense(n * d, 4), *H = malloc((size_t)(n * d) * sizeof *H);
    float *Y0 = malloc((size_t)(n * d) * sizeof *Y0), *Y = malloc((size_t)(n * d) * sizeof *Y);
    float *Yp = malloc((size_t)(n * d) * sizeof *Yp);
    for (int64_t r = 0; r < n; r++)
        memcpy(H + r * d, H0 + old[r] * d, (size_t)d * sizeof *H);
    sgae_spmm(&g0->norm, H0, d, Y0, 0);
    sgae_spmm(&g->norm, H, d, Y, 0);
    for (int64_t r = 0; r < n; r++)
        memcpy(Yp + r * d, Y0 + old[r] * d, (size_t)d * sizeof *Yp);
    CHECK(t_rel_err(Y, Yp, n * d) <= 1e-5);
    free(H0);
    free(H);
    free(Y0);
    free(Y);
    free(Yp);
    free(old);
    free(u);
    free(v);
    sgae_graph_free(g);
    sgae_graph_free(gi);
}

/* A data set (graph, features, labels) reordered together. */
static void test_dataset_reorder(void)
{
    sgae_load_opts o = {0};
    sgae_dataset a = {0}, b = {0};
    o.graph = t_data("planetoid/cora.edges.zst");
    o.features = t_data("planetoid/cora.features.mtx.zst");
    o.labels = t_data("planetoid/cora.labels.zst");
    CHECK_OK(sgae_dataset_load(&o, &a));
    CHECK_OK(sgae_dataset_load(&o, &b));
    if (!a.graph || !b.graph || !a.features || !b.labels)
        return;
    CHECK_OK(sgae_dataset_reorder(&b, SGAE_ORDER_RCM));
    int64_t n = a.graph->n, bad = 0, moved = 0;
    char b1[64], b2[64];
    /* node r of b is the node of a with the same user id */
    uint64_t *pos = calloc((size_t)n, sizeof *pos); /* user id -> index in a */
    for (int64_t i = 0; i < n; i++)
        pos[strtoull(sgae_graph_node_name(a.graph, i, b1, sizeof b1), NULL, 10) % (uint64_t)n] =
            (uint64_t)i;
    for (int64_t r = 0; r < n; r++) {
        int64_t i = (int64_t)pos[strtoull(sgae_graph_node_name(b.graph, r, b2, sizeof b2), NULL,
                                          10) % (uint64_t)n];
        moved += i != r;
        const sgae_csr *xa = &a.features->x, *xb = &b.features->x;
        int64_t la = xa->rowptr[i + 1] - xa->rowptr[i], lb = xb->rowptr[r + 1] - xb->rowptr[r];
        if (la != lb || memcmp(xa->col + xa->rowptr[i], xb->col + xb->rowptr[r],
                               (size_t)la * sizeof(int32_t)) ||
            memcmp(xa->val + xa->rowptr[i], xb->val + xb->rowptr[r], (size_t)la * sizeof(float)))
            bad++;
        if (a.labels->label[i] != b.labels->label[r])
            bad++;
        if (sgae_graph_degree(a.graph, i) != sgae_graph_degree(b.graph, r))
            bad++;
    }
    CHECK_INT(bad, 0);
    CHECK(moved > n / 2);
    free(pos);
    sgae_dataset_clear(&a);
    sgae_dataset_clear(&b);
}

int main(void)
{
    CHECK(GrB_init(GrB_NONBLOCKING) == GrB_SUCCESS);
    test_empty_rows();
    for (int64_t r = 0; r < 3; r++) {
        int64_t rows[] = {3, 1000, 200000}, d = r == 1 ? 7 : 16;
        float *p = sgae_dense_alloc(rows[r], d);
        CHECK(p && ((uintptr_t)p & 63) == 0);
        if (p) {
            p[rows[r] * d - 1] = 1.0f; /* the whole matrix is usable */
            CHECK(p[rows[r] * d - 1] == 1.0f);
        }
        free(p);
    }
    CHECK(sgae_dense_alloc(INT64_MAX / 2, 16) == NULL);

    sgae_graph *cora = NULL, *email = NULL;
    CHECK_OK(sgae_graph_load(t_data("planetoid/cora.edges.zst"), SGAE_FMT_AUTO, &cora));
    CHECK_OK(sgae_graph_load(t_data("email-eu-core/email-Eu-core.txt.zst"), SGAE_FMT_AUTO,
                             &email));
    sgae_graph *pl = powerlaw_graph(30000, 200000, 17);
    if (!cora || !email || !pl)
        return t_done("test_kernels");
    CHECK_OK(sgae_graph_norm(cora));
    CHECK_OK(sgae_graph_norm(email));
    CHECK_OK(sgae_graph_norm(pl));
    CHECK(pl->norm.rowptr[pl->n] > 8 * 8192); /* several chunks at 2 threads */

    check_spmm("cora", &cora->norm, 1);
    check_spmm("email-eu-core", &email->norm, 1);
    check_spmm("powerlaw", &pl->norm, 1);
    check_spmm("powerlaw-pattern", &pl->adj, 0); /* val NULL: ones */

    check_pairs("cora", cora, 500);
    check_pairs("powerlaw", pl, 40000);
    test_pairmat(email, 300);
    test_pairmat(pl, 60000); /* > 65536 pairs: the parallel build */

    test_reorder(cora, SGAE_ORDER_DEGREE);
    test_reorder(cora, SGAE_ORDER_RCM);
    test_reorder(pl, SGAE_ORDER_RCM);
    test_reorder(email, SGAE_ORDER_DEGREE);
    test_dataset_reorder();
    sgae_order_method om;
    CHECK(sgae_order_parse("rcm", &om) == SGAE_OK && om == SGAE_ORDER_RCM);
    CHECK(sgae_order_parse("bogus", &om) == SGAE_E_ARG);

    sgae_graph_free(cora);
    sgae_graph_free(email);
    sgae_graph_free(pl);
    GrB_finalize();
    return t_done("test_kernels");
}

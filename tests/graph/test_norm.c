/* The normalised operator D^-1/2 (A+I) D^-1/2 against an independent
 * GraphBLAS computation (build A, add I, reduce degrees, scale), on cora and
 * email-Eu-core, to 1e-6; and bit-identical at 1 and 2 threads. */
#include <GraphBLAS.h>
#include <omp.h>

#include "testutil.h"

#define GRB_OK(x)                                                                             \
    do {                                                                                   \
        GrB_Info info_ = (x);                                                              \
        if (info_ != GrB_SUCCESS) {                                                        \
            fprintf(stderr, "%s:%d: GraphBLAS error %d in %s\n", __FILE__, __LINE__,       \
                    (int)info_, #x);                                                       \
            exit(1);                                                                       \
        }                                                                                  \
    } while (0)

static void oracle(const char *rel)
{
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_load(t_data(rel), SGAE_FMT_AUTO, &g));
    if (!g)
        return;
    CHECK_OK(sgae_graph_norm(g));
    GrB_Index n = (GrB_Index)g->n, nnz = (GrB_Index)g->adj.rowptr[g->n];
    GrB_Index *I = malloc((nnz + n) * sizeof *I), *J = malloc((nnz + n) * sizeof *J);
    double *X = malloc((nnz + n) * sizeof *X);
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++) {
            I[k] = (GrB_Index)i;
            J[k] = (GrB_Index)g->adj.col[k];
            X[k] = 1.0;
        }
    GrB_Matrix A, Id, B, D, T, C;
    GRB_OK(GrB_Matrix_new(&A, GrB_FP64, n, n));
    GRB_OK(GrB_Matrix_build_FP64(A, I, J, X, nnz, GrB_PLUS_FP64));
    for (GrB_Index i = 0; i < n; i++) {
        I[i] = J[i] = i;
        X[i] = 1.0;
    }
    GRB_OK(GrB_Matrix_new(&Id, GrB_FP64, n, n));
    GRB_OK(GrB_Matrix_build_FP64(Id, I, J, X, n, GrB_PLUS_FP64));
    GRB_OK(GrB_Matrix_new(&B, GrB_FP64, n, n));
    GRB_OK(GrB_Matrix_eWiseAdd_BinaryOp(B, NULL, NULL, GrB_PLUS_FP64, A, Id, NULL));
    GrB_Vector d;
    GRB_OK(GrB_Vector_new(&d, GrB_FP64, n));
    GRB_OK(GrB_Matrix_reduce_Monoid(d, NULL, NULL, GrB_PLUS_MONOID_FP64, B, NULL));
    GrB_Index nd = n;
    GRB_OK(GrB_Vector_extractTuples_FP64(I, X, &nd, d));
    CHECK_INT(nd, n);
    for (GrB_Index k = 0; k < nd; k++) {
        J[k] = I[k];
        X[k] = 1.0 / sqrt(X[k]);
        /* the cached scaling too */
        CHECK_MSG(fabs(X[k] - g->dinv_sqrt[I[k]]) <= 1e-6 * X[k], "dinv_sqrt[%llu]",
                  (unsigned long long)I[k]);
    }
    GRB_OK(GrB_Matrix_new(&D, GrB_FP64, n, n));
    GRB_OK(GrB_Matrix_build_FP64(D, I, J, X, nd, GrB_PLUS_FP64));
    GRB_OK(GrB_Matrix_new(&T, GrB_FP64, n, n));
    GRB_OK(GrB_Matrix_new(&C, GrB_FP64, n, n));
    GRB_OK(GrB_mxm(T, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP64, D, B, NULL));
    GRB_OK(GrB_mxm(C, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP64, T, D, NULL));
    GrB_Index cn;
    GRB_OK(GrB_Matrix_nvals(&cn, C));
    CHECK_INT(cn, sgae_csr_nnz(&g->norm));
    CHECK_INT(cn, nnz + n);
    GrB_Index got = nnz + n;
    GRB_OK(GrB_Matrix_extractTuples_FP64(I, J, X, &got, C));
    double maxerr = 0;
    int missing = 0;
    for (GrB_Index k = 0; k < got; k++) {
        int64_t lo = g->norm.rowptr[I[k]], hi = g->norm.rowptr[I[k] + 1];
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (g->norm.col[mid] < (int32_t)J[k])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo == g->norm.rowptr[I[k] + 1] || g->norm.col[lo] != (int32_t)J[k]) {
            missing++;
            continue;
        }
        double e = fabs((double)g->norm.val[lo] - X[k]);
        if (e > maxerr)
            maxerr = e;
    }
    CHECK_INT(missing, 0);
    CHECK_MSG(maxerr <= 1e-6, "%s: max error %g", rel, maxerr);
    /* rows sorted with the diagonal in place */
    int sorted = 1;
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t k = g->norm.rowptr[i] + 1; k < g->norm.rowptr[i + 1]; k++)
            sorted &= g->norm.col[k] > g->norm.col[k - 1];
    CHECK(sorted);
    GrB_free(&A);
    GrB_free(&Id);
    GrB_free(&B);
    GrB_free(&D);
    GrB_free(&T);
    GrB_free(&C);
    GrB_free(&d);
    free(I);
    free(J);
    free(X);

    /* bit-identical operator at 1 and 2 threads */
    sgae_graph *g1 = NULL;
    omp_set_num_threads(1);
    CHECK_OK(sgae_graph_load(t_data(rel), SGAE_FMT_AUTO, &g1));
    CHECK_OK(sgae_graph_norm(g1));
    omp_set_num_threads(2);
    int64_t m = sgae_csr_nnz(&g->norm);
    CHECK(!memcmp(g1->norm.rowptr, g->norm.rowptr, (size_t)(g->n + 1) * 8));
    CHECK(!memcmp(g1->norm.col, g->norm.col, (size_t)m * 4));
    CHECK(!memcmp(g1->norm.val, g->norm.val, (size_t)m * 4));
    CHECK(!memcmp(g1->dinv_sqrt, g->dinv_sqrt, (size_t)g->n * 4));
    sgae_graph_free(g1);
    sgae_graph_free(g);
}

int main(void)
{
    GRB_OK(GrB_init(GrB_NONBLOCKING));
    omp_set_num_threads(2);
    oracle("planetoid/cora.edges.zst");
    oracle("email-eu-core/email-Eu-core.txt.zst");
    oracle("newman/karate.gml.zst");
    GrB_finalize();
    return t_done("graph_norm");
}

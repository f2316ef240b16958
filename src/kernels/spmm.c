/* Sparse (CSR) times dense row-major: Y (+)= A H. */
#include <string.h>

#include "internal.h"
#include "sgae/kernels.h"

void sgae_spmm_naive(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate)
{
    for (int64_t i = 0; i < A->nrows; i++) {
        float *y = Y + i * d;
        if (!accumulate)
            memset(y, 0, (size_t)d * sizeof *y);
        for (int64_t k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            float a = A->val ? A->val[k] : 1.0f;
            const float *h = H + (int64_t)A->col[k] * d;
            for (int64_t c = 0; c < d; c++)
                y[c] += a * h[c];
        }
    }
}

void sgae_spmm(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate)
{
    const int64_t *rp = A->rowptr;
    const int32_t *ci = A->col;
    const float *av = A->val;
#pragma omp parallel for schedule(dynamic, 256)
    for (int64_t i = 0; i < A->nrows; i++) {
        float *y = Y + i * d;
        if (!accumulate)
            memset(y, 0, (size_t)d * sizeof *y);
        for (int64_t k = rp[i]; k < rp[i + 1]; k++) {
            float a = av ? av[k] : 1.0f;
            const float *h = H + (int64_t)ci[k] * d;
            for (int64_t c = 0; c < d; c++)
                y[c] += a * h[c];
        }
    }
}

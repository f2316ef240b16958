/* Dense operands laid out for the kernels. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "dot.h"
#include "internal.h"
#include "sgae/kernels.h"

float *sgae_dense_alloc(int64_t rows, int64_t d)
{
    if (rows < 0 || d < 0 || (d > 0 && rows > INT64_MAX / 4 / d)) {
        sgae_error_set(SGAE_E_NOMEM, "dense matrix %" PRId64 " x %" PRId64 ": size overflow",
                       rows, d);
        return NULL;
    }
    return sgae_alloc_aligned((size_t)(rows * d), sizeof(float), "dense matrix");
}

sgae_status sgae_csr_densify(const sgae_csr *x, float **out)
{
    *out = NULL;
    const int64_t n = x->nrows, dim = x->ncols;
    float *d = sgae_dense_alloc(n, dim);
    if (!d)
        return sgae_error_set(SGAE_E_NOMEM, "dense features: cannot allocate %" PRId64
                              " x %" PRId64 " floats", n, dim);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        float *row = d + i * dim;
        memset(row, 0, (size_t)dim * sizeof *row);
        for (int64_t k = x->rowptr[i]; k < x->rowptr[i + 1]; k++)
            row[x->col[k]] = x->val ? x->val[k] : 1.0f;
    }
    *out = d;
    return SGAE_OK;
}

float sgae_dot(const float *a, const float *b, int64_t d) { return sgae_dot_f32(a, b, d); }

void sgae_adam_update(float *w, const float *g, float *m, float *v, int64_t n, double lr,
                      double beta1, double beta2, double eps, int64_t step)
{
    const float lr_t = (float)(lr * sqrt(1.0 - pow(beta2, (double)step)) /
                               (1.0 - pow(beta1, (double)step)));
    const float fb1 = (float)beta1, fb2 = (float)beta2;
    const float eps_hat = (float)(eps * sqrt(1.0 - pow(beta2, (double)step)));
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < n; k++) {
        float gk = g[k];
        float a = fb1 * m[k] + (1.0f - fb1) * gk;
        float b = fb2 * v[k] + (1.0f - fb2) * gk * gk;
        m[k] = a;
        v[k] = b;
        w[k] -= lr_t * a / (sqrtf(b) + eps_hat);
    }
}

int sgae_blas_pin(void)
{
#ifdef OPENBLAS_VERSION
    int prev = openblas_get_num_threads();
    if (prev != 1)
        openblas_set_num_threads(1);
    return prev;
#else
    return 1;
#endif
}

void sgae_blas_restore(int prev)
{
#ifdef OPENBLAS_VERSION
    if (prev != 1)
        openblas_set_num_threads(prev);
#else
    (void)prev;
#endif
}

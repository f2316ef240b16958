/* Dense operands laid out for the kernels. */
#include <inttypes.h>
#include <string.h>

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

/* Dense operands laid out for the kernels. */
#include <inttypes.h>

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

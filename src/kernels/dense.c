/* Dense operands laid out for the kernels. */
#include <inttypes.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "internal.h"
#include "sgae/kernels.h"

float *sgae_dense_alloc(int64_t rows, int64_t d)
{
    if (rows < 0 || d < 0 || (d > 0 && rows > INT64_MAX / 4 / d)) {
        sgae_error_set(SGAE_E_NOMEM, "dense matrix %" PRId64 " x %" PRId64 ": size overflow",
                       rows, d);
        return NULL;
    }
    size_t bytes = (size_t)(rows * d) * sizeof(float);
    /* large matrices on 2 MiB boundaries, backed by huge pages where the
     * kernel allows (fewer TLB misses in the random row gathers) */
    size_t align = bytes >= ((size_t)8 << 20) ? ((size_t)2 << 20) : 64;
    bytes = (bytes + align - 1) / align * align; /* a multiple of the alignment */
    float *p = aligned_alloc(align, bytes ? bytes : align);
#ifdef MADV_HUGEPAGE
    if (p && align > 64)
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    if (!p)
        sgae_error_set(SGAE_E_NOMEM, "dense matrix %" PRId64 " x %" PRId64
                       ": cannot allocate %zu bytes", rows, d, bytes);
    return p;
}

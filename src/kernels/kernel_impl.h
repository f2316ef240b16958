/* Internal interface between the kernel sources of src/kernels. */
#ifndef SGAE_KERNEL_IMPL_H
#define SGAE_KERNEL_IMPL_H

#include <stdint.h>

#include "sgae/graph.h"
#include "sgae/kernels.h"

/* Function multiversioning of the hot loops (GCC target_clones): one copy
 * each for x86-64-v4 (AVX-512), x86-64-v3 (AVX2) and the baseline of the
 * build, chosen once per process by an ifunc resolver from the CPU it runs
 * on.  SGAE_TARGET_CLONES is defined by meson.build for portable builds
 * whose compiler and libc support it (not with -Dnative=true, which
 * compiles everything for the build machine).  The clones give the same
 * bits: their loops are element-wise or sum in the fixed order of dot.h,
 * and nothing is contracted into FMAs (-ffp-contract=off).  Only on static
 * functions: the clones of an exported function would be exported too. */
#ifdef SGAE_TARGET_CLONES
#define SGAE_KERN_CLONES                                                                   \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SGAE_KERN_CLONES
#endif

/* Most chunks one call is cut into, and the least cost of a chunk
 * (cost = nonzeros + rows). */
#define SGAE_KERN_MAX_CHUNKS 512
#define SGAE_KERN_MIN_COST 8192

/* Cut rows 0..n-1 of a CSR with offsets rp into chunks of about equal cost:
 * chunk c is rows [bound[c], bound[c+1]).  Returns the number of chunks. */
int64_t sgae_kern_chunks(const int64_t *rp, int64_t n, int64_t bound[SGAE_KERN_MAX_CHUNKS + 1]);

/* Y (+)= A' H where A' has A's pattern and the values: idx != NULL:
 * val[idx[k]]; else val != NULL: val[k]; else ones.  A->val is ignored. */
void sgae_kern_spmm(const sgae_csr *A, const float *val, const int64_t *idx, const float *H,
                    int64_t d, float *Y, int accumulate);

typedef sgae_spmm_epilogue sgae_kern_epi;

/* Y = A H (A->val as values) followed by the epilogue on every row. */
void sgae_kern_spmm_epi(const sgae_csr *A, const float *H, int64_t d, float *Y,
                        const sgae_kern_epi *epi);

#endif

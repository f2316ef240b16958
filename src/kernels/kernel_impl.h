/* Internal interface between the kernel sources of src/kernels. */
#ifndef SGAE_KERNEL_IMPL_H
#define SGAE_KERNEL_IMPL_H

#include <stdint.h>

#include "sgae/graph.h"

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

/* Elementwise epilogue of an SpMM row, applied to the finished row of Y (the
 * same float operations as a separate pass over Y, so the same bits) while
 * it is still in L1; it saves the separate pass's read and write of Y.
 *  - SGAE_EPI_RELU: ReLU with inverted dropout (rate p > 0: element (i, c)
 *    kept when uniform(seed, purpose, i*d + c) >= p, kept values scaled by
 *    `scale`); with `mask` set, the row's keep bits are written to
 *    mask[i*mw ..] (bit c of word c/64; the row's words are cleared first).
 *  - SGAE_EPI_MASK: y = bit c of mask row i ? y * scale : 0.
 * Y's rows must be the full width d (no accumulate). */
enum { SGAE_EPI_NONE = 0, SGAE_EPI_RELU = 1, SGAE_EPI_MASK = 2 };
typedef struct {
    int kind;
    uint64_t *mask;
    int64_t mw;
    float scale;
    double p;
    uint64_t seed, purpose;
} sgae_kern_epi;

/* Y = A H (A->val as values) followed by the epilogue on every row. */
void sgae_kern_spmm_epi(const sgae_csr *A, const float *H, int64_t d, float *Y,
                        const sgae_kern_epi *epi);

#endif

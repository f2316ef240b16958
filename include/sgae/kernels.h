/*
 * sgae/kernels.h - the sparse kernels every training epoch spends its time in.
 *
 * Dense matrices are row-major float arrays; a matrix with d columns stores
 * row i at M + i*d.  The kernels are parallel with OpenMP (they use the
 * current omp thread count) and give bit-identical results at any thread
 * count: each output row or score is computed by one thread, in a fixed
 * order, by the same code.  SpMM, the pair scores and the pair scatter
 * allocate nothing and cannot fail (arguments are not checked: ids must be
 * in range, arrays large enough); sgae_pairmat_build checks its input and
 * reuses its buffers from one call to the next.
 *
 * Speed (see bench/README.md): SpMM cuts the rows into chunks of equal
 * nonzeros + rows, has fixed-width inner loops for d = 8, 16, 32, 64 (other
 * widths are tiled) and prefetches the gathered rows of H.  It is bound by
 * memory: each nonzero reads 8 bytes of A and a 4d-byte row of H.  Gathers
 * are cheaper when H's rows are cache-line aligned (sgae_dense_alloc) and
 * when neighbours have nearby ids (sgae/order.h).
 */
#ifndef SGAE_KERNELS_H
#define SGAE_KERNELS_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A rows x d dense matrix, uninitialised, whose storage starts on a 64-byte
 * (cache-line) boundary; free it with free().  With d a multiple of 16 every
 * row then fills whole cache lines, which makes the row gathers of the
 * kernels below cheaper (about 5-15% for SpMM at d = 16..64); matrices of
 * 8 MiB and more are aligned to 2 MiB and advised to use transparent huge
 * pages.  The kernels accept any float array.  NULL with SGAE_E_NOMEM on
 * failure. */
SGAE_API float *sgae_dense_alloc(int64_t rows, int64_t d);

/* The CSR matrix x as a dense nrows x ncols row-major matrix (pattern
 * entries become 1), in storage from sgae_dense_alloc (free() it).  Errors:
 * SGAE_E_NOMEM (the message gives the size). */
SGAE_API sgae_status sgae_csr_densify(const sgae_csr *x, float **out);

/* Y = A H (accumulate = 0) or Y += A H (accumulate != 0).  A is nrows x ncols
 * (val NULL: all ones), H is ncols x d, Y is nrows x d.  Y must not alias H.
 * Row i of Y is the sum over A's row i in CSR order (for accumulate, starting
 * from the old Y row); rows without entries become 0 (or stay unchanged). */
SGAE_API void sgae_spmm(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate);

/* Elementwise epilogue of an SpMM row, applied to the finished row of Y (the
 * same float operations as a separate pass over Y, so the same bits) while
 * it is still in L1; it saves the separate pass's read and write of Y.
 *  - SGAE_EPI_RELU: ReLU with inverted dropout (rate p > 0: element (i, c)
 *    kept when sgae_rng_uniform(seed, purpose, i*d + c) >= p, kept values
 *    scaled by `scale`); with `mask` set, the row's keep bits are written to
 *    mask[i*mw ..] (bit c of word c/64; the row's words are cleared first).
 *  - SGAE_EPI_MASK: y = bit c of mask row i ? y * scale : 0.
 * Y's rows must be the full width d. */
enum { SGAE_EPI_NONE = 0, SGAE_EPI_RELU = 1, SGAE_EPI_MASK = 2 };
typedef struct {
    int kind;
    uint64_t *mask;
    int64_t mw;
    float scale;
    double p;
    uint64_t seed, purpose;
} sgae_spmm_epilogue;

/* Y = A H (A->val as values) followed by the epilogue on every row. */
SGAE_API void sgae_spmm_epi(const sgae_csr *A, const float *H, int64_t d, float *Y,
                            const sgae_spmm_epilogue *epi);

/* Reference SpMM: serial, plain loop (the tests' and bench's oracle). */
SGAE_API void sgae_spmm_naive(const sgae_csr *A, const float *H, int64_t d, float *Y,
                              int accumulate);

/* Scores s[k] = Z[u[k]] . Z[v[k]] for m pairs. */
SGAE_API void sgae_pair_scores(const float *Z, int64_t d, int64_t m, const int32_t *u,
                               const int32_t *v, float *s);

/* a . b over d floats in the library's one fixed summation order (the
 * order of sgae_pair_scores and the model's decoder): the same bits on
 * every instruction set.  For code outside the kernels that must score
 * pairs exactly as they do (the distributed decoder, sgae/dist.h). */
SGAE_API float sgae_dot(const float *a, const float *b, int64_t d);

/* A list of pairs arranged as a symmetric n x n CSR so that the gradient
 * scatter is owned row by row: each pair k = (u, v) appears as entry (u, v)
 * and entry (v, u); pair_of[e] is the pair index of entry e.  A pair u == v
 * gives two entries (u, u), as its gradient counts Z[u] twice.  Within a row
 * the entries are in pair order, so the matrix is the same at any thread
 * count.  Buffers are reused when a later build fits in them; zero-initialise
 * the struct before the first build. */
typedef struct {
    sgae_csr p;       /* pattern; p.val is the build's scratch (its contents
                         are unspecified; the scatter does not use it) */
    int64_t *pair_of; /* p nonzeros */
    int64_t cap;      /* capacity of col/val/pair_of */
    int64_t *work;    /* the build's scratch: per-thread counters and buffers */
    int64_t work_cap; /* capacity of work (int64 slots) */
} sgae_pairmat;

/* Build pm from m pairs (u[k], v[k]) of nodes in 0..n-1.  Parallel and
 * deterministic: the pairs are bucketed by blocks of rows, then each bucket
 * is sorted by row, stably, so no thread ever writes at random over the
 * whole matrix.  Memory: 32 bytes per pair (two entries), 8 bytes per node,
 * and scratch of 8 x threads bytes per node plus a few MB.  Errors:
 * SGAE_E_ARG (n or m out of range: pm untouched; an id outside 0..n-1),
 * SGAE_E_NOMEM; after an id or allocation failure pm is left empty (no
 * entries) but reusable. */
SGAE_API sgae_status sgae_pairmat_build(sgae_pairmat *pm, int64_t n, int64_t m,
                                        const int32_t *u, const int32_t *v);
SGAE_API void sgae_pairmat_clear(sgae_pairmat *pm);

/* dZ[u] += g[k] Z[v] and dZ[v] += g[k] Z[u] for every pair k of pm (g has
 * the m values of the pairs given to the build), without atomics: row i of
 * dZ is summed by one thread in CSR order (= pair order).  It is SpMM with
 * the values g[pair_of[e]]; dZ must not alias Z. */
SGAE_API void sgae_pair_scatter(sgae_pairmat *pm, const float *g, const float *Z, int64_t d,
                                float *dZ);

/* One Adam step (step = 1, 2, ... counted by the caller) on n parameters:
 * m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g^2 and
 * w -= lr_t m / (sqrt(v) + eps_hat), with the bias corrections folded into
 * lr_t = lr sqrt(1 - b2^step) / (1 - b1^step) and
 * eps_hat = eps sqrt(1 - b2^step) (computed in double, applied in float):
 * exactly w -= lr mhat / (sqrt(vhat) + eps).  Elementwise, parallel with
 * OpenMP; the same bits at any thread count. */
SGAE_API void sgae_adam_update(float *w, const float *g, float *m, float *v, int64_t n,
                               double lr, double beta1, double beta2, double eps, int64_t step);

/* Run the dense BLAS calls of a section on one thread: sgae_blas_pin() sets
 * OpenBLAS to one thread and returns the previous setting, which
 * sgae_blas_restore(prev) puts back at the end of the section.  The callers'
 * parallelism is their own (OpenMP row blocks or MPI ranks), so that each
 * sgemm gives the same bits at any thread count.  Without OpenBLAS both do
 * nothing (pin returns 1). */
SGAE_API int sgae_blas_pin(void);
SGAE_API void sgae_blas_restore(int prev);

#ifdef __cplusplus
}
#endif
#endif

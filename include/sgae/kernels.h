/*
 * sgae/kernels.h - the sparse kernels every training epoch spends its time in.
 *
 * Dense matrices are row-major float arrays; a matrix with d columns stores
 * row i at M + i*d.  All kernels are parallel with OpenMP, allocate nothing,
 * and give bit-identical results at any thread count (each output row is
 * summed by one thread in a fixed order).
 */
#ifndef SGAE_KERNELS_H
#define SGAE_KERNELS_H

#include <stdint.h>

#include "sgae/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Y = A H (accumulate = 0) or Y += A H (accumulate != 0).  A is nrows x ncols
 * (val NULL: all ones), H is ncols x d, Y is nrows x d.  Y must not alias H. */
void sgae_spmm(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate);

/* Reference SpMM: serial, plain loop (the tests' and bench's oracle). */
void sgae_spmm_naive(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate);

/* Scores s[k] = Z[u[k]] . Z[v[k]] for m pairs. */
void sgae_pair_scores(const float *Z, int64_t d, int64_t m, const int32_t *u, const int32_t *v,
                      float *s);

/* A list of pairs arranged as a symmetric n x n CSR so that the gradient
 * scatter is owned row by row: each pair k = (u, v) appears as entry (u, v)
 * and entry (v, u); pair_of[e] is the pair index of entry e.  Buffers are
 * reused when a later build fits in them. */
typedef struct {
    sgae_csr p;       /* pattern; p.val is a scratch array of the same length */
    int64_t *pair_of; /* p nonzeros */
    int64_t cap;      /* capacity of col/val/pair_of */
    int64_t *work;    /* n + 1 scratch counters */
} sgae_pairmat;

sgae_status sgae_pairmat_build(sgae_pairmat *pm, int64_t n, int64_t m, const int32_t *u,
                               const int32_t *v);
void sgae_pairmat_free(sgae_pairmat *pm);

/* dZ[u] += g[k] Z[v] and dZ[v] += g[k] Z[u] for every pair k of pm, without
 * atomics: row i of dZ is summed by one thread in CSR order. */
void sgae_pair_scatter(sgae_pairmat *pm, const float *g, const float *Z, int64_t d, float *dZ);

#ifdef __cplusplus
}
#endif
#endif

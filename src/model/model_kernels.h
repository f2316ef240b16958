/* Decoder kernels of the model (decoder.c). */
#ifndef SGAE_MODEL_KERNELS_H
#define SGAE_MODEL_KERNELS_H

#include <stdint.h>

#include "sgae/graph.h"

/* Positive term over the off-diagonal entries of A (and the diagonal when
 * `self`): dZ[i] = sum_j w * (sigmoid(s_ij) - 1) * Z[j] (doubled for i = j),
 * written (not accumulated); part[block] = sum of -log sigmoid(s) over the
 * block's undirected edges (each once) and self pairs. */
void sgae_decoder_pos_(const sgae_csr *A, const float *Z, float *dZ, int64_t n, int64_t d,
                       float w, int self, double *part);

/* Negative term of the permutation sampler, accumulated into dZ:
 * part[block] = sum over the block's forward pairs of -log(1 - sigmoid(s)). */
void sgae_decoder_perm_(const sgae_csr *A, const float *Z, float *dZ, const int32_t *pi,
                        int64_t n, int64_t r, int64_t d, float invN, int reject, double *part);

#endif

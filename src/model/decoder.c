/* Decoder kernels of the sampled loss: positives over the rows of Â, and the
 * permutation negatives.  Each node's gradient row dZ[i] is summed by the
 * one thread that owns row i, in a fixed order: no atomics, no scatter,
 * results independent of the thread count.  Loss partials are per fixed
 * block of rows (SGAE_MODEL_LB), summed in order by the caller.
 *
 * Both kernels share one exp per pair between the sigmoid (gradient) and
 * the log-sigmoid (loss): with e = exp(-|s|),
 *     sigmoid(s) = 1/(1+e) (s >= 0) or e/(1+e),   softplus(s) = max(s,0) + log(1+e)
 * (logf(1 + e) rather than log1pf(e): faster, absolute error below 6e-8
 * per pair, and only the reported loss uses it). */


#include <math.h>
#include <stdint.h>
#include <string.h>

#include "kernels/dot.h"
#include "model_internal.h"
#include "model_kernels.h"

#define PF_DIST 8 /* entries ahead to prefetch */

/* the fixed-order dot product of src/kernels/dot.h (same bits on every ISA) */
static inline __attribute__((always_inline)) float dot_d(const float *a, const float *b,
                                                         int64_t d)
{
    return sgae_dot_f32(a, b, d);
}

static inline __attribute__((always_inline)) void axpy_d(float *y, float g, const float *x,
                                                         int64_t d)
{
#pragma omp simd
    for (int64_t q = 0; q < d; q++)
        y[q] += g * x[q];
}

/* ---- positives ---------------------------------------------------------- */

static inline __attribute__((always_inline)) double pos_row(const sgae_csr *A, const float *Z,
                                                            float *dZ, int64_t i, int64_t d,
                                                            float w, int self)
{
    const int64_t *rp = A->rowptr;
    const int32_t *ci = A->col;
    const float *zi = Z + i * d;
    float *dz = dZ + i * d;
    double acc = 0;
    memset(dz, 0, (size_t)d * sizeof *dz);
    const int64_t e1 = rp[i + 1];
    for (int64_t e = rp[i]; e < e1; e++) {
        if (e + PF_DIST < e1)
            __builtin_prefetch(Z + (int64_t)ci[e + PF_DIST] * d);
        int64_t j = ci[e];
        if (j == i && !self)
            continue;
        const float *zj = Z + j * d;
        float s = dot_d(zi, zj, d);
        float ex = expf(-fabsf(s));
        float sig = s >= 0 ? 1.0f / (1.0f + ex) : ex / (1.0f + ex);
        float g = w * (sig - 1.0f); /* d/ds of -log sigmoid(s), weighted */
        /* -log sigmoid(s) = softplus(-s); each undirected edge counted once
         * (at its smaller endpoint), a self pair once with twice the gradient */
        if (j > i)
            acc += (double)((s < 0 ? -s : 0.0f) + logf(1.0f + ex));
        else if (j == i) {
            acc += (double)((s < 0 ? -s : 0.0f) + logf(1.0f + ex));
            g *= 2.0f;
        }
        axpy_d(dz, g, zj, d);
    }
    return acc;
}

void sgae_decoder_pos_(const sgae_csr *A, const float *Z, float *dZ, int64_t n, int64_t d,
                       float w, int self, double *part)
{
    const int64_t nch = (n + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t ch = 0; ch < nch; ch++) {
        int64_t i0 = ch * SGAE_MODEL_LB, i1 = i0 + SGAE_MODEL_LB < n ? i0 + SGAE_MODEL_LB : n;
        double acc = 0;
        if (d == 16)
            for (int64_t i = i0; i < i1; i++)
                acc += pos_row(A, Z, dZ, i, 16, w, self);
        else
            for (int64_t i = i0; i < i1; i++)
                acc += pos_row(A, Z, dZ, i, d, w, self);
        part[ch] = acc;
    }
}

/* ---- permutation negatives ---------------------------------------------- */

static inline __attribute__((always_inline)) double perm_pos(const sgae_csr *A, const float *Z,
                                                             float *dZ, const int32_t *pi,
                                                             int64_t n, int64_t t, int64_t r,
                                                             int64_t d, float invN, int reject)
{
    const int32_t a = pi[t];
    const float *za = Z + (int64_t)a * d;
    float *dz = dZ + (int64_t)a * d;
    double acc = 0;
    /* the window pi[t-r..t+r] slides by one per t: fetch the newcomers */
    {
        int64_t tf = t + r + 2 < n ? t + r + 2 : t + r + 2 - n;
        __builtin_prefetch(Z + (int64_t)pi[tf % n] * d);
        int64_t ta = t + 2 < n ? t + 2 : t + 2 - n;
        __builtin_prefetch(dZ + (int64_t)pi[ta % n] * d);
    }
    for (int64_t k = 1; k <= r; k++) {
        int64_t tb = t + k >= n ? t + k - n : t + k;
        int64_t tc = t - k < 0 ? t - k + n : t - k;
        int32_t b = pi[tb], c = pi[tc];
        if (!reject || !sgae_csr_has(A, a, b)) {
            const float *zb = Z + (int64_t)b * d;
            float s = dot_d(za, zb, d);
            float ex = expf(-fabsf(s));
            float sig = s >= 0 ? 1.0f / (1.0f + ex) : ex / (1.0f + ex);
            acc += (double)((s > 0 ? s : 0.0f) + logf(1.0f + ex)); /* -log(1 - sigmoid(s)) */
            axpy_d(dz, sig * invN, zb, d);
        }
        if (!reject || !sgae_csr_has(A, a, c)) {
            /* pair (c, a), counted at c's turn: same score (products commute,
             * same reduction order) */
            const float *zc = Z + (int64_t)c * d;
            float s = dot_d(zc, za, d);
            float ex = expf(-fabsf(s));
            float sig = s >= 0 ? 1.0f / (1.0f + ex) : ex / (1.0f + ex);
            axpy_d(dz, sig * invN, zc, d);
        }
    }
    return acc;
}

void sgae_decoder_perm_(const sgae_csr *A, const float *Z, float *dZ, const int32_t *pi,
                        int64_t n, int64_t r, int64_t d, float invN, int reject, double *part)
{
    const int64_t nch = (n + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t ch = 0; ch < nch; ch++) {
        int64_t t0 = ch * SGAE_MODEL_LB, t1 = t0 + SGAE_MODEL_LB < n ? t0 + SGAE_MODEL_LB : n;
        double acc = 0;
        if (d == 16)
            for (int64_t t = t0; t < t1; t++)
                acc += perm_pos(A, Z, dZ, pi, n, t, r, 16, invN, reject);
        else
            for (int64_t t = t0; t < t1; t++)
                acc += perm_pos(A, Z, dZ, pi, n, t, r, d, invN, reject);
        part[ch] = acc;
    }
}

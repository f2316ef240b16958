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

/* One pair's sigmoid and softplus from its score s (the shared exp). */
static inline __attribute__((always_inline)) float sig_of(float s, float *ex_out)
{
    float ex = expf(-fabsf(s));
    *ex_out = ex;
    return s >= 0 ? 1.0f / (1.0f + ex) : ex / (1.0f + ex);
}

/* Pairs are handled in batches of PB: first all PB scores (independent dot
 * products, so their serial lane sums overlap in the pipeline instead of
 * waiting on each other through the gradient row), then the PB sigmoids,
 * then the PB gradient updates in the original order.  Each score and each
 * update is the same float expression as one pair at a time: the same bits. */
#define PB 16

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
    for (int64_t e0 = rp[i]; e0 < e1; e0 += PB) {
        const int64_t nb = e1 - e0 < PB ? e1 - e0 : PB;
        float sc[PB], g[PB];
        int32_t jj[PB];
        for (int64_t k = 0; k < nb; k++) {
            int64_t e = e0 + k;
            if (e + PF_DIST < e1)
                __builtin_prefetch(Z + (int64_t)ci[e + PF_DIST] * d);
            jj[k] = ci[e];
            sc[k] = dot_d(zi, Z + (int64_t)jj[k] * d, d);
        }
        for (int64_t k = 0; k < nb; k++) {
            const int64_t j = jj[k];
            if (j == i && !self) {
                g[k] = 0.0f;
                continue;
            }
            float s = sc[k], ex;
            float sig = sig_of(s, &ex);
            float gk = w * (sig - 1.0f); /* d/ds of -log sigmoid(s), weighted */
            /* -log sigmoid(s) = softplus(-s); each undirected edge counted
             * once (at its smaller endpoint), a self pair once with twice
             * the gradient */
            if (j > i)
                acc += (double)((s < 0 ? -s : 0.0f) + logf(1.0f + ex));
            else if (j == i) {
                acc += (double)((s < 0 ? -s : 0.0f) + logf(1.0f + ex));
                gk *= 2.0f;
            }
            g[k] = gk;
        }
        for (int64_t k = 0; k < nb; k++)
            if (jj[k] != i || self)
                axpy_d(dz, g[k], Z + (int64_t)jj[k] * d, d);
    }
    return acc;
}

/* Rows (or permutation positions) [t0, t1) of loss block ch, the width
 * specialised for the default d = 16. */
#define DECODER_BLOCKS(n, BODY)                                                            \
    do {                                                                                   \
        const int64_t nch_ = ((n) + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;                    \
        _Pragma("omp parallel for schedule(dynamic, 1)") for (int64_t ch = 0; ch < nch_;   \
                                                              ch++)                        \
        {                                                                                  \
            int64_t t0 = ch * SGAE_MODEL_LB,                                               \
                    t1 = t0 + SGAE_MODEL_LB < (n) ? t0 + SGAE_MODEL_LB : (n);              \
            double acc = 0;                                                                \
            if (d == 16) {                                                                 \
                const int64_t dd = 16;                                                     \
                for (int64_t t = t0; t < t1; t++)                                          \
                    acc += BODY;                                                           \
            } else {                                                                       \
                const int64_t dd = d;                                                      \
                for (int64_t t = t0; t < t1; t++)                                          \
                    acc += BODY;                                                           \
            }                                                                              \
            part[ch] = acc;                                                                \
        }                                                                                  \
    } while (0)

void sgae_decoder_pos_(const sgae_csr *A, const float *Z, float *dZ, int64_t n, int64_t d,
                       float w, int self, double *part)
{
    DECODER_BLOCKS(n, pos_row(A, Z, dZ, t, dd, w, self));
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
    /* pairs in the order (a, pi[t+k]), (pi[t-k], a) for k = 1..r; the
     * pair (c, a) is counted (loss) at c's turn: same score (products
     * commute, same reduction order) */
    for (int64_t k0 = 1; k0 <= r; k0 += PB / 2) {
        const int64_t nk = r - k0 + 1 < PB / 2 ? r - k0 + 1 : PB / 2;
        float sc[PB], g[PB];
        int32_t bb[PB];
        int keep[PB];
        for (int64_t q = 0; q < nk; q++) {
            int64_t k = k0 + q;
            int64_t tb = t + k >= n ? t + k - n : t + k;
            int64_t tc = t - k < 0 ? t - k + n : t - k;
            bb[2 * q] = pi[tb];
            bb[2 * q + 1] = pi[tc];
        }
        for (int64_t q = 0; q < 2 * nk; q++) {
            keep[q] = !reject || !sgae_csr_has(A, a, bb[q]);
            const float *zb = Z + (int64_t)bb[q] * d;
            /* the forward pair (a, b) as za . zb, the backward one (c, a) as
             * zc . za, as each pair's owner computes it */
            sc[q] = (q & 1) ? dot_d(zb, za, d) : dot_d(za, zb, d);
        }
        for (int64_t q = 0; q < 2 * nk; q++) {
            float s = sc[q], ex;
            float sig = sig_of(s, &ex);
            if (keep[q] && !(q & 1))
                acc += (double)((s > 0 ? s : 0.0f) + logf(1.0f + ex)); /* -log(1 - sigmoid(s)) */
            g[q] = sig * invN;
        }
        for (int64_t q = 0; q < 2 * nk; q++)
            if (keep[q])
                axpy_d(dz, g[q], Z + (int64_t)bb[q] * d, d);
    }
    return acc;
}

void sgae_decoder_perm_(const sgae_csr *A, const float *Z, float *dZ, const int32_t *pi,
                        int64_t n, int64_t r, int64_t d, float invN, int reject, double *part)
{
    DECODER_BLOCKS(n, perm_pos(A, Z, dZ, pi, n, t, r, dd, invN, reject));
}

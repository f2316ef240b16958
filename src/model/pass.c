/* Forward pass, sampled decoder loss, KL term and the hand-written backward
 * pass of the graph auto-encoder.  Buffer plan (n rows each):
 *
 *   step                         bufA (n x wa)    bufB (n x h)   bufC (n x wc)
 *   P0 = Â X W0, H1 = ReLU(P0)   H1               X W0 (feats)
 *   AH = Â H1                                     AH
 *   [mu | logstd] = AH W1        mu, logstd
 *   Z, decoder gradient dZ                                       Z, dZ
 *   d[mu | logstd]               dML (in place)
 *   dW1 = AH^T dML, dAH = dML W1^T                               dAH
 *   dH1 = Â dAH, masked          dP0
 *   dXW = Â dP0                                   dXW (= dW0 for the identity)
 *
 * H1 survives as a bit mask (ReLU > 0 and dropout keep).  Every reduction is
 * over fixed blocks summed in order, so results do not depend on threads. */
#include <math.h>
#include <string.h>

#include <cblas.h>

#include "model_internal.h"
#include "model_kernels.h"

/* ---- numerics ---------------------------------------------------------- */

/* log(1 + exp(x)), stable (float evaluation, summed in double by callers). */
static inline double softplus(double x)
{
    float xf = (float)x;
    return (double)((xf > 0 ? xf : 0.0f) + log1pf(expf(-fabsf(xf))));
}

static inline float sigmoidf(float x)
{
    if (x >= 0)
        return 1.0f / (1.0f + expf(-x));
    float e = expf(x);
    return e / (1.0f + e);
}

/* Box-Muller pair j of the epoch's noise stream, in float: one 64-bit draw
 * gives two 24-bit uniforms, u1 in (0, 1] and u2 in [0, 1). */
static inline void noise_pair(uint64_t seed, uint64_t purpose, uint64_t j, float *z0, float *z1)
{
    uint64_t x = sgae_rng_u64(seed, purpose, j);
    float u1 = (float)((x >> 40) + 1) * (1.0f / 16777216.0f);
    float u2 = (float)((x >> 16) & 0xffffff) * (1.0f / 16777216.0f);
    float r = sqrtf(-2.0f * logf(u1));
    float sn, cs;
    sincosf(6.2831853071795865f * u2, &sn, &cs);
    *z0 = r * cs;
    *z1 = r * sn;
}

float sgae_model_noise(uint64_t seed, int64_t epoch, int64_t index)
{
    float z0, z1;
    noise_pair(seed, sgae_rng_purpose(SGAE_RNG_NOISE, (uint64_t)epoch), (uint64_t)index / 2, &z0,
               &z1);
    return (index & 1) ? z1 : z0;
}

void sgae_model_sample_z(const float *mu, const float *logstd, int64_t count,
                         double max_logstd, uint64_t seed, int64_t epoch, float *z)
{
    const float maxls = (float)max_logstd;
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < count; k++) {
        float l = logstd[k] < maxls ? logstd[k] : maxls;
        z[k] = mu[k] + sgae_model_noise(seed, epoch, k) * expf(l);
    }
}

int sgae_model_dropout_keep(uint64_t seed, int64_t epoch, int64_t index, double p)
{
    if (p <= 0)
        return 1;
    return sgae_rng_uniform(seed, sgae_rng_purpose(SGAE_RNG_DROPOUT, (uint64_t)epoch),
                            (uint64_t)index) >= p;
}

/* OpenBLAS on one thread for the duration of a model call
 * (sgae_blas_pin/sgae_blas_restore): the parallelism is OpenMP's, over fixed
 * row blocks, so results do not depend on the thread count. */

/* ---- blocked dense products ------------------------------------------- */

/* C (n x ncols, ldc) = A (n x k, lda) op(B) + beta C; op(B) = B (k x ncols,
 * ldb) or B^T (B is ncols x k, ldb). */
static void gemm_rows(int64_t n, const float *A, int64_t lda, int64_t k, const float *B,
                      int64_t ldb, int transB, int64_t ncols, float *C, int64_t ldc, float beta)
{
    const int64_t nb = (n + SGAE_MODEL_RB - 1) / SGAE_MODEL_RB;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * SGAE_MODEL_RB;
        int64_t rows = n - r0 < SGAE_MODEL_RB ? n - r0 : SGAE_MODEL_RB;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, transB ? CblasTrans : CblasNoTrans, (int)rows,
                    (int)ncols, (int)k, 1.0f, A + r0 * lda, (int)lda, B, (int)ldb, beta,
                    C + r0 * ldc, (int)ldc);
    }
}

/* C (k1 x k2, ldc) = A^T B with A n x k1 (lda), B n x k2 (ldb): one partial
 * per fixed row block, summed in block order. */
static void gemm_tn(sgae_model *m, int64_t n, const float *A, int64_t lda, int64_t k1,
                    const float *B, int64_t ldb, int64_t k2, float *C, int64_t ldc)
{
    const int64_t nb = (n + SGAE_MODEL_RB - 1) / SGAE_MODEL_RB;
    const int64_t sz = k1 * k2;
    float *part = m->gpart;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * SGAE_MODEL_RB;
        int64_t rows = n - r0 < SGAE_MODEL_RB ? n - r0 : SGAE_MODEL_RB;
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)k1, (int)k2, (int)rows, 1.0f,
                    A + r0 * lda, (int)lda, B + r0 * ldb, (int)ldb, 0.0f, part + b * sz,
                    (int)k2);
    }
#pragma omp parallel for schedule(static)
    for (int64_t e = 0; e < sz; e++) {
        float acc = 0.0f;
        for (int64_t b = 0; b < nb; b++)
            acc += part[b * sz + e];
        C[(e / k2) * ldc + e % k2] = acc;
    }
}

static double sum_parts(const double *p, int64_t cnt)
{
    double s = 0;
    for (int64_t i = 0; i < cnt; i++)
        s += p[i];
    return s;
}

/* ---- forward ------------------------------------------------------------ */

/* Z = mu + eps * exp(min(logstd, max)) and the KL sum of loss block ch
 * (rows [ch*LB, min((ch+1)*LB, n))). */
static double z_kl_chunk(const sgae_model *m, int64_t ch, uint64_t pur, const float *mu,
                         const float *ls, float *Z)
{
    const int64_t n = m->n, d = m->d;
    const uint64_t seed = m->o.seed;
    const float maxls = (float)m->o.max_logstd;
    int64_t i1 = (ch + 1) * SGAE_MODEL_LB < n ? (ch + 1) * SGAE_MODEL_LB : n;
    double acc = 0;
    for (int64_t idx = ch * SGAE_MODEL_LB * d; idx < i1 * d;) {
        /* normals come in Box-Muller pairs (2j, 2j+1) */
        float z[2];
        noise_pair(seed, pur, (uint64_t)idx / 2, &z[0], &z[1]);
        int64_t stop = (idx & 1) ? idx + 1 : idx + 2;
        if (stop > i1 * d)
            stop = i1 * d;
        for (; idx < stop; idx++) {
            float l = ls[idx] < maxls ? ls[idx] : maxls;
            float sd = expf(l);
            Z[idx] = mu[idx] + z[idx & 1] * sd;
            acc += (double)(1.0f + 2.0f * l - mu[idx] * mu[idx] - sd * sd);
        }
    }
    return acc;
}

sgae_status sgae_model_forward_(sgae_model *m, int64_t epoch, int train)
{
    const int64_t n = m->n, h = m->h, d = m->d, L = m->L;
    const sgae_csr *A = m->A;
    float *bufA = m->bufA, *bufB = m->bufB;
    double t0 = sgae_now(), t1;
    m->have_forward = 0;

    /* layer 1: P0 = Â X W0 into bufA, with ReLU, dropout and the mask bits
     * in the last SpMM's row epilogue */
    const double p = train ? m->o.dropout : 0.0;
    sgae_spmm_epilogue relu = {.kind = SGAE_EPI_RELU,
                          .mask = train ? m->mask : NULL,
                          .mw = m->mw,
                          .scale = (float)(1.0 / (1.0 - p)),
                          .p = p,
                          .seed = m->o.seed,
                          .purpose = sgae_rng_purpose(SGAE_RNG_DROPOUT, (uint64_t)epoch)};
    if (m->feat == FEAT_IDENTITY) {
        sgae_spmm_epi(A, m->w0, h, bufA, &relu);
    } else if (m->feat == FEAT_SPARSE) {
        sgae_spmm(m->X, m->w0, h, bufB, 0);
        sgae_spmm_epi(A, bufB, h, bufA, &relu);
    } else {
        t1 = sgae_now();
        gemm_rows(n, m->Xd, m->in, m->in, m->w0, h, 0, h, bufB, h, 0.0f);
        m->phase[SGAE_PHASE_DENSE] += sgae_now() - t1;
        t0 = sgae_now();
        sgae_spmm_epi(A, bufB, h, bufA, &relu);
    }
    double t2 = sgae_now();
    m->phase[SGAE_PHASE_SPMM] += t2 - t0;

    /* layer 2: AH = Â H1 into bufB */
    sgae_spmm(A, bufA, h, bufB, 0);
    double t3 = sgae_now();
    m->phase[SGAE_PHASE_SPMM] += t3 - t2;

    /* mu (and logstd) = AH W1 into bufA: mu at 0 (n x d), logstd at n*d; in
     * training, Z and the KL term of each row block right after its product
     * (the rows are still in cache) */
    const int vgae = m->o.kind == SGAE_MODEL_VGAE;
    const int zkl = train && vgae;
    float *mu = bufA, *ls = bufA + n * d, *Z = m->bufC;
    const uint64_t pur = sgae_rng_purpose(SGAE_RNG_NOISE, (uint64_t)epoch);
    double *part = m->part;
    const int64_t nb = (n + SGAE_MODEL_RB - 1) / SGAE_MODEL_RB;
    const int64_t nch = (n + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
    const int64_t cpb = SGAE_MODEL_RB / SGAE_MODEL_LB; /* loss blocks per row block */
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t r0 = b * SGAE_MODEL_RB;
        int rows = (int)(n - r0 < SGAE_MODEL_RB ? n - r0 : SGAE_MODEL_RB);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, (int)d, (int)h, 1.0f,
                    bufB + r0 * h, (int)h, m->w1, (int)L, 0.0f, mu + r0 * d, (int)d);
        if (vgae)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, rows, (int)d, (int)h, 1.0f,
                        bufB + r0 * h, (int)h, m->w1 + d, (int)L, 0.0f, ls + r0 * d, (int)d);
        if (zkl)
            for (int64_t ch = b * cpb; ch < (b + 1) * cpb && ch < nch; ch++)
                part[ch] = z_kl_chunk(m, ch, pur, mu, ls, Z);
    }
    m->kl = zkl ? -0.5 / ((double)n * (double)n) * sum_parts(part, nch) : 0.0;
    m->phase[SGAE_PHASE_DENSE] += sgae_now() - t3;
    return SGAE_OK;
}

static sgae_status loss_and_decoder(sgae_model *m, int64_t epoch, sgae_loss *out)
{
    sgae_status st = SGAE_OK;
    const int64_t n = m->n, d = m->d;
    const sgae_csr *A = m->A;
    const int vgae = m->o.kind == SGAE_MODEL_VGAE;
    float *Z = vgae ? m->bufC : m->bufA;
    float *dZ = m->bufC + n * d;
    double *part = m->part;
    const int64_t nch = (n + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
    sgae_loss loss = {0};
    double t0 = sgae_now();

    /* Z and the KL term were made by the forward pass */
    if (vgae)
        loss.kl = m->kl;
    double t1 = sgae_now();
    m->phase[SGAE_PHASE_DENSE] += t1 - t0;

    /* positives: every training edge (both directions of the row-owned
     * operator), fused score + loss + gradient */
    sgae_decoder_pos_(A, Z, dZ, n, d, (float)(m->o.pos_weight / (double)m->P),
                      m->o.self_loops, part);
    loss.pos = m->o.pos_weight / (double)m->P * sum_parts(part, nch);

    if (m->neg_perm && !m->explicit_neg) {
        /* permutation negatives (pi[t], pi[t+k]), k = 1..r; training edges
         * skipped (rejected); N = n*r */
        sgae_decoder_perm_(A, Z, dZ, m->perm, n, m->r, d, (float)(1.0 / (double)m->nneg),
                           m->o.neg_reject, part);
        loss.neg = sum_parts(part, nch) / (double)m->nneg;
    } else {
        /* explicit pair list: scores, loss, dL/ds = sigmoid(s)/N, scatter */
        const int64_t N = m->nneg;
        float *s = m->ns;
        sgae_pair_scores(Z, d, N, m->nu, m->nv, s);
        const int64_t nchn = (N + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
        const float invN = (float)(1.0 / (double)N);
#pragma omp parallel for schedule(static)
        for (int64_t ch = 0; ch < nchn; ch++) {
            int64_t k1 = (ch + 1) * SGAE_MODEL_LB < N ? (ch + 1) * SGAE_MODEL_LB : N;
            double acc = 0;
            for (int64_t k = ch * SGAE_MODEL_LB; k < k1; k++) {
                acc += softplus((double)s[k]);
                s[k] = sigmoidf(s[k]) * invN;
            }
            part[ch] = acc;
        }
        loss.neg = sum_parts(part, nchn) / (double)N;
        st = sgae_pairmat_build(&m->pm, n, N, m->nu, m->nv);
        if (st)
            goto done;
        sgae_pair_scatter(&m->pm, s, Z, d, dZ);
    }
    double t2 = sgae_now();
    m->phase[SGAE_PHASE_PAIRS] += t2 - t1;

    if (m->o.weight_decay > 0) {
        double s0 = 0, s1 = 0;
        int64_t c0 = m->in * m->h, c1 = m->h * m->L;
        for (int64_t k = 0; k < c0; k++)
            s0 += (double)m->w0[k] * m->w0[k];
        for (int64_t k = 0; k < c1; k++)
            s1 += (double)m->w1[k] * m->w1[k];
        loss.l2 = 0.5 * m->o.weight_decay * (s0 + s1);
        m->phase[SGAE_PHASE_OPTIM] += sgae_now() - t2;
    }
    loss.total = loss.pos + loss.neg + loss.kl + loss.l2;
    if (!isfinite(loss.total)) {
        st = sgae_error_set(SGAE_E_NUMERIC,
                            "epoch %lld: the loss is %s (positive term %g, negative term %g, "
                            "KL %g); try a lower learning rate",
                            (long long)epoch + 1, isnan(loss.total) ? "NaN" : "infinite",
                            loss.pos, loss.neg, loss.kl);
        goto done;
    }
done:
    m->loss = loss;
    if (out)
        *out = loss;
    return st;
}

sgae_status sgae_model_forward(sgae_model *m, int64_t epoch, int sample, sgae_loss *loss)
{
    sgae_status st = SGAE_OK;
    int blas = sgae_blas_pin();
    if (sample)
        sgae_model_sample(m, epoch);
    SGAE_CHECK(sgae_model_forward_(m, epoch, 1));
    SGAE_CHECK(loss_and_decoder(m, epoch, loss));
    m->epoch = epoch;
    m->have_forward = 1;
done:
    sgae_blas_restore(blas);
    return st;
}

const float *sgae_model_mu(const sgae_model *m) { return m->bufA; }

const float *sgae_model_logstd(const sgae_model *m)
{
    return m->o.kind == SGAE_MODEL_VGAE ? m->bufA + m->n * m->d : NULL;
}

/* ---- backward ----------------------------------------------------------- */

sgae_status sgae_model_backward(sgae_model *m)
{
    if (!m->have_forward)
        return sgae_error_set(SGAE_E_ARG, "model: backward pass without a forward pass");
    m->have_forward = 0;
    int blas = sgae_blas_pin();
    const int64_t n = m->n, h = m->h, d = m->d, L = m->L, nd = n * d;
    const int vgae = m->o.kind == SGAE_MODEL_VGAE;
    float *bufA = m->bufA, *bufB = m->bufB, *bufC = m->bufC;
    const float *Z = vgae ? bufC : bufA;
    const float *dZ = bufC + nd;
    double t0 = sgae_now();

    /* Per row block, while its rows are in cache: d mu, d logstd in place of
     * mu, logstd, and the block's partials of dW1 = AH^T dML (the same sgemm
     * calls, block by block, as a separate pass; partials of the Wmu and
     * Wsig halves at gpart and gpart + nb*h*d).  Then dAH = dML W1^T into
     * bufC per block (bufC held Z and dZ, which the first loop still reads,
     * hence a second loop). */
    const int64_t nb = (n + SGAE_MODEL_RB - 1) / SGAE_MODEL_RB;
    const int64_t sz = h * d;
    float *gp = m->gpart;
    {
        const float maxls = (float)m->o.max_logstd;
        const float invn2 = (float)(1.0 / ((double)n * (double)n));
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < nb; b++) {
            int64_t r0 = b * SGAE_MODEL_RB;
            int rows = (int)(n - r0 < SGAE_MODEL_RB ? n - r0 : SGAE_MODEL_RB);
            if (vgae) {
                for (int64_t idx = r0 * d; idx < (r0 + rows) * d; idx++) {
                    float mu = bufA[idx], lraw = bufA[nd + idx];
                    float dz = dZ[idx];
                    bufA[idx] = dz + mu * invn2;
                    if (lraw < maxls) {
                        float sd = expf(lraw);
                        bufA[nd + idx] = dz * (Z[idx] - mu) + (sd * sd - 1.0f) * invn2;
                    } else {
                        bufA[nd + idx] = 0.0f;
                    }
                }
            } else {
                memcpy(bufA + r0 * d, dZ + r0 * d, (size_t)(rows * d) * sizeof *bufA);
            }
            cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)h, (int)d, rows, 1.0f,
                        bufB + r0 * h, (int)h, bufA + r0 * d, (int)d, 0.0f, gp + b * sz,
                        (int)d);
            if (vgae)
                cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, (int)h, (int)d, rows, 1.0f,
                            bufB + r0 * h, (int)h, bufA + nd + r0 * d, (int)d, 0.0f,
                            gp + (nb + b) * sz, (int)d);
        }
        const int halves = vgae ? 2 : 1;
#pragma omp parallel for schedule(static)
        for (int64_t e = 0; e < halves * sz; e++) {
            const int64_t half = e / sz, f = e % sz;
            const float *pp = gp + half * nb * sz + f;
            float acc = 0.0f;
            for (int64_t b = 0; b < nb; b++)
                acc += pp[b * sz];
            m->g1[(f / d) * L + half * d + f % d] = acc;
        }
        /* bufC = dmu W1mu^T (+ dlogstd W1ls^T), row block by row block */
        gemm_rows(n, bufA, d, d, m->w1, L, 1, h, bufC, h, 0.0f);
        if (vgae)
            gemm_rows(n, bufA + nd, d, d, m->w1 + d, L, 1, h, bufC, h, 1.0f);
    }
    double t1 = sgae_now();
    m->phase[SGAE_PHASE_DENSE] += t1 - t0;

    /* dH1 = Â dAH (Â symmetric) into bufA, through dropout and ReLU in the
     * SpMM's row epilogue */
    sgae_spmm_epilogue msk = {.kind = SGAE_EPI_MASK,
                         .mask = m->mask,
                         .mw = m->mw,
                         .scale = (float)(1.0 / (1.0 - m->o.dropout))};
    sgae_spmm_epi(m->A, bufC, h, bufA, &msk);
    /* dXW = Â dP0 into bufB; dW0 = X^T dXW */
    sgae_spmm(m->A, bufA, h, bufB, 0);
    if (m->feat == FEAT_IDENTITY) {
        m->g0p = bufB;
    } else if (m->feat == FEAT_SPARSE) {
        sgae_spmm(&m->Xt, bufB, h, m->g0, 0);
        m->g0p = m->g0;
    }
    double t4 = sgae_now();
    m->phase[SGAE_PHASE_SPMM] += t4 - t1;
    if (m->feat == FEAT_DENSE) {
        gemm_tn(m, n, m->Xd, m->in, m->in, bufB, h, h, m->g0, h);
        m->g0p = m->g0;
        m->phase[SGAE_PHASE_DENSE] += sgae_now() - t4;
    }
    if (m->o.weight_decay > 0) {
        double t5 = sgae_now();
        const float wd = (float)m->o.weight_decay;
        float *g0 = (float *)m->g0p;
        int64_t c0 = m->in * h, c1 = h * L;
#pragma omp parallel for schedule(static)
        for (int64_t k = 0; k < c0; k++)
            g0[k] += wd * m->w0[k];
        for (int64_t k = 0; k < c1; k++)
            m->g1[k] += wd * m->w1[k];
        m->phase[SGAE_PHASE_OPTIM] += sgae_now() - t5;
    }
    sgae_blas_restore(blas);
    return SGAE_OK;
}

sgae_status sgae_model_grad(sgae_model *m, int64_t epoch, int sample, sgae_loss *loss)
{
    sgae_status st = sgae_model_forward(m, epoch, sample, loss);
    if (st)
        return st;
    return sgae_model_backward(m);
}

const float *sgae_model_embed(sgae_model *m)
{
    int blas = sgae_blas_pin();
    sgae_model_forward_(m, 0, 0);
    sgae_blas_restore(blas);
    return m->bufA;
}

/* ROC-AUC (ties counted half) and step-wise average precision. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"
#include "sgae/metrics.h"

/* Exact AUC/AP without comparison sorting: the positive and the negative
 * scores are sorted separately, as 32-bit keys whose unsigned order is the
 * descending order of the floats, by a parallel LSD radix sort (4 passes of
 * 8 bits; the two key buffers are the halves of `work`); then one merge walk
 * over both sorted lists visits the tie groups (equal floats, -0 and +0
 * together) from the top, exactly as a walk over one sorted list would.
 * A key-only sort has a unique result, so nothing depends on the thread
 * count, and the sums below run over the same groups in the same order as
 * with a comparison sort: the same bits. */

#define RADIX_CHUNKS 32 /* fixed: the histograms live on the stack */

static inline uint32_t key_desc(float f)
{
    uint32_t u;
    memcpy(&u, &f, sizeof u);
    u = (u & 0x80000000u) ? ~u : (u | 0x80000000u); /* ascending with f */
    return ~u;
}

static inline float key_float(uint32_t k)
{
    uint32_t u = ~k;
    u = (u & 0x80000000u) ? (u & 0x7fffffffu) : ~u;
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* Sort a[0..n) ascending (tmp: n scratch keys); the result is in a. */
static void radix_sort_u32(uint32_t *a, uint32_t *tmp, int64_t n)
{
    int64_t hist[RADIX_CHUNKS][256];
    const int64_t nc = n < (int64_t)RADIX_CHUNKS * 16384 ? 1 : RADIX_CHUNKS;
    const int64_t csz = (n + nc - 1) / nc;
    for (int pass = 0; pass < 4; pass++) {
        const int sh = 8 * pass;
        uint32_t *src = (pass & 1) ? tmp : a, *dst = (pass & 1) ? a : tmp;
#pragma omp parallel for schedule(static) if (nc > 1)
        for (int64_t c = 0; c < nc; c++) {
            int64_t *h = hist[c];
            memset(h, 0, 256 * sizeof *h);
            int64_t k1 = (c + 1) * csz < n ? (c + 1) * csz : n;
            for (int64_t k = c * csz; k < k1; k++)
                h[(src[k] >> sh) & 255]++;
        }
        int64_t run = 0;
        for (int dg = 0; dg < 256; dg++)
            for (int64_t c = 0; c < nc; c++) {
                int64_t x = hist[c][dg];
                hist[c][dg] = run;
                run += x;
            }
#pragma omp parallel for schedule(static) if (nc > 1)
        for (int64_t c = 0; c < nc; c++) {
            int64_t *h = hist[c];
            int64_t k1 = (c + 1) * csz < n ? (c + 1) * csz : n;
            for (int64_t k = c * csz; k < k1; k++) {
                uint32_t x = src[k];
                dst[h[(x >> sh) & 255]++] = x;
            }
        }
    }
}

static int keys_of(const float *s, int64_t cnt, uint32_t *k)
{
    int bad = 0;
#pragma omp parallel for schedule(static) reduction(| : bad) if (cnt > 65536)
    for (int64_t i = 0; i < cnt; i++) {
        bad |= isnan(s[i]);
        k[i] = key_desc(s[i]);
    }
    return bad;
}

void sgae_auc_ap_work(const float *pos, int64_t npos, const float *neg, int64_t nneg,
                      sgae_scored *work, double *auc, double *ap)
{
    *auc = *ap = NAN;
    if (npos <= 0 || nneg <= 0)
        return;
    const int64_t m = npos + nneg;
    /* work holds m entries of 8 bytes: keys (m x 4 bytes) and their scratch */
    uint32_t *key = (uint32_t *)(void *)work, *tmp = key + m;
    uint32_t *kp = key, *kn = key + npos;
    if (keys_of(pos, npos, kp) | keys_of(neg, nneg, kn))
        return;
    radix_sort_u32(kp, tmp, npos);
    radix_sort_u32(kn, tmp + npos, nneg);
    /* walk tie groups from the top: tp, fp counts above the group */
    double tp = 0, fp = 0, sum_ap = 0, pairs_above = 0;
    int64_t i = 0, j = 0;
    while (i < npos || j < nneg) {
        float v;
        if (i < npos && (j >= nneg || key_float(kp[i]) >= key_float(kn[j])))
            v = key_float(kp[i]);
        else
            v = key_float(kn[j]);
        int64_t i0 = i, j0 = j;
        while (i < npos && key_float(kp[i]) == v)
            i++;
        while (j < nneg && key_float(kn[j]) == v)
            j++;
        const double gp = (double)(i - i0), gn = (double)(j - j0);
        /* AUC: each negative of the group is beaten by the positives above it
         * and ties with the group's positives */
        pairs_above += gn * (tp + 0.5 * gp);
        tp += gp;
        fp += gn;
        if (gp > 0)
            sum_ap += (gp / (double)npos) * (tp / (tp + fp));
    }
    *auc = pairs_above / ((double)npos * (double)nneg);
    *ap = sum_ap;
}

sgae_status sgae_auc_ap(const float *pos, int64_t npos, const float *neg, int64_t nneg,
                        double *auc, double *ap)
{
    sgae_scored *w = sgae_alloc((size_t)(npos + nneg), sizeof *w, "metric scratch");
    if (!w) {
        *auc = *ap = NAN;
        return SGAE_E_NOMEM;
    }
    sgae_auc_ap_work(pos, npos, neg, nneg, w, auc, ap);
    free(w);
    return SGAE_OK;
}

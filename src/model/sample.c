/* Negative sampling on the counter-based RNG: pair k of epoch e is a pure
 * function of (seed, e, k), so any thread may draw it. */
#include <math.h>

#include "model_internal.h"

/* Smallest i with cdf[i + 1] > x (cdf[0] = 0, increasing). */
static int32_t cdf_find(const double *cdf, int64_t n, double x)
{
    int64_t lo = 0, hi = n - 1;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (cdf[mid + 1] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return (int32_t)lo;
}

#define SGAE_NEG_ATTEMPTS 32

/* Permutation sampler: a uniform random permutation pi of the nodes per
 * epoch (Fisher-Yates on the counter-based RNG, index = position), and the
 * negatives (pi[t], pi[(t + k) mod n]) for every position t and k = 1..r.
 * Each pair is a uniform non-self pair; every node is in exactly 2r of them
 * (like the dense decoder, where every node meets all others); and the pair
 * set's transpose is known, so the decoder gradient needs no scatter. */
static void sample_perm(sgae_model *m, int64_t epoch)
{
    const uint64_t seed = m->o.seed;
    const uint64_t purpose = sgae_rng_purpose(SGAE_RNG_NEG, (uint64_t)epoch);
    int32_t *pi = m->perm;
    const int64_t n = m->n;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        pi[i] = (int32_t)i;
    for (int64_t t = n - 1; t > 0; t--) {
        int64_t j = (int64_t)sgae_rng_below(seed, purpose, (uint64_t)t, (uint64_t)t + 1);
        int32_t x = pi[t];
        pi[t] = pi[j];
        pi[j] = x;
    }
}

void sgae_model_sample_(sgae_model *m, int64_t epoch)
{
    m->explicit_neg = 0;
    if (m->neg_perm) {
        m->nneg = m->nneg0;
        sample_perm(m, epoch);
        return;
    }
    const uint64_t seed = m->o.seed;
    const uint64_t purpose = sgae_rng_purpose(SGAE_RNG_NEG, (uint64_t)epoch);
    const uint64_t n = (uint64_t)m->n;
    const int reject = m->o.neg_reject, degree = m->o.neg_degree;
    const double *cdf = m->cdf;
    const double total = cdf ? cdf[n] : 0;
    const sgae_csr *a = m->A;
    int32_t *nu = m->nu, *nv = m->nv;
    const int64_t cnt = m->nneg = m->nneg0;
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < cnt; k++) {
        int32_t u = 0, v = 1;
        for (uint64_t t = 0; t < SGAE_NEG_ATTEMPTS; t++) {
            uint64_t idx = ((uint64_t)k * SGAE_NEG_ATTEMPTS + t) * 2;
            uint64_t r1 = sgae_rng_u64(seed, purpose, idx);
            uint64_t r2 = sgae_rng_u64(seed, purpose, idx + 1);
            u = (int32_t)(((__uint128_t)r1 * n) >> 64);
            if (degree) {
                double x = (double)(r2 >> 11) * (1.0 / 9007199254740992.0) * total;
                v = cdf_find(cdf, (int64_t)n, x);
                if (v == u)
                    continue;
            } else {
                v = (int32_t)(((__uint128_t)r2 * (n - 1)) >> 64);
                if (v >= u)
                    v++;
            }
            if (!reject || !sgae_csr_has(a, u, v))
                break;
        }
        if (u == v) /* degree sampling that never left u: any other node */
            v = (int32_t)((u + 1) % (int64_t)n);
        nu[k] = u;
        nv[k] = v;
    }
}

void sgae_model_sample(sgae_model *m, int64_t epoch)
{
    double t0 = sgae_now();
    sgae_model_sample_(m, epoch);
    m->phase[SGAE_PHASE_SAMPLE] += sgae_now() - t0;
}

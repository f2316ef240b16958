/* The SpMM row epilogues (sgae_spmm_epi, sgae/kernels.h) against SpMM followed
 * by the separate elementwise pass they replace: bit for bit, at several
 * widths (fixed, tiled, tail), dropout rates, with and without mask
 * output, at 1 and 2 threads. */
#include <omp.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "sgae/kernels.h"
#include "sgae/rng.h"

static sgae_graph *random_graph(int64_t n, int64_t m, uint64_t seed)
{
    int32_t *u = malloc((size_t)m * sizeof *u), *v = malloc((size_t)m * sizeof *v);
    for (int64_t k = 0; k < m; k++) {
        /* skewed: half the endpoints among the first 5% of the nodes */
        uint64_t r = sgae_rng_u64(seed, SGAE_RNG_GEN, (uint64_t)k);
        int64_t span = (r & 1) ? n / 20 + 1 : n;
        u[k] = (int32_t)((r >> 8) % (uint64_t)span);
        v[k] = (int32_t)((r >> 36) % (uint64_t)n);
    }
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_from_pairs(n, m, u, v, &g));
    CHECK_OK(sgae_graph_norm(g));
    free(u);
    free(v);
    return g;
}

/* The separate passes of the model before the fusion. */
static void relu_pass(float *Y, int64_t n, int64_t d, uint64_t *mask, int64_t mw, double p,
                      float scale, uint64_t seed, uint64_t pur)
{
    for (int64_t i = 0; i < n; i++) {
        float *x = Y + i * d;
        uint64_t *mk = mask ? mask + i * mw : NULL;
        if (mk)
            memset(mk, 0, (size_t)mw * sizeof *mk);
        for (int64_t c = 0; c < d; c++) {
            int keep = x[c] > 0.0f;
            if (keep && p > 0)
                keep = sgae_rng_uniform(seed, pur, (uint64_t)(i * d + c)) >= p;
            x[c] = keep ? x[c] * scale : 0.0f;
            if (mk && keep)
                mk[c >> 6] |= 1ULL << (c & 63);
        }
    }
}

static void mask_pass(float *Y, int64_t n, int64_t d, const uint64_t *mask, int64_t mw,
                      float scale)
{
    for (int64_t i = 0; i < n; i++)
        for (int64_t c = 0; c < d; c++)
            Y[i * d + c] = ((mask[i * mw + (c >> 6)] >> (c & 63)) & 1) ? Y[i * d + c] * scale
                                                                        : 0.0f;
}

int main(void)
{
    const int64_t n = 30000, widths[] = {1, 7, 8, 16, 20, 32, 40, 64, 70, 100};
    sgae_graph *g = random_graph(n, 150000, 5);
    const sgae_csr *A = &g->norm;
    for (size_t wi = 0; wi < sizeof widths / sizeof *widths; wi++) {
        const int64_t d = widths[wi], mw = (d + 63) / 64;
        float *H = malloc((size_t)(n * d) * sizeof *H);
        float *Y0 = malloc((size_t)(n * d) * sizeof *Y0), *Y1 = malloc((size_t)(n * d) * sizeof *Y1);
        uint64_t *m0 = malloc((size_t)(n * mw) * sizeof *m0);
        uint64_t *m1 = malloc((size_t)(n * mw) * sizeof *m1);
        for (int64_t k = 0; k < n * d; k++)
            H[k] = (float)(sgae_rng_uniform(9, 1, (uint64_t)k) - 0.45);
        const double rates[] = {0.0, 0.3};
        for (int pi = 0; pi < 2; pi++)
            for (int withmask = 0; withmask < 2; withmask++) {
                const double p = rates[pi];
                const float scale = (float)(1.0 / (1.0 - p));
                const uint64_t pur = sgae_rng_purpose(SGAE_RNG_DROPOUT, 3);
                sgae_spmm(A, H, d, Y0, 0);
                relu_pass(Y0, n, d, withmask ? m0 : NULL, mw, p, scale, 77, pur);
                for (int t = 1; t <= 2; t++) {
                    omp_set_num_threads(t);
                    memset(m1, 0xa5, (size_t)(n * mw) * sizeof *m1); /* stale bits */
                    sgae_spmm_epilogue e = {.kind = SGAE_EPI_RELU, .mask = withmask ? m1 : NULL,
                                       .mw = mw, .scale = scale, .p = p, .seed = 77,
                                       .purpose = pur};
                    sgae_spmm_epi(A, H, d, Y1, &e);
                    CHECK_MSG(!memcmp(Y0, Y1, (size_t)(n * d) * sizeof *Y0),
                              "relu epilogue d=%lld p=%g mask=%d threads=%d", (long long)d, p,
                              withmask, t);
                    if (withmask)
                        CHECK_MSG(!memcmp(m0, m1, (size_t)(n * mw) * sizeof *m0),
                                  "relu mask d=%lld p=%g threads=%d", (long long)d, p, t);
                }
                if (!withmask)
                    continue;
                /* the backward mask with the bits just made */
                sgae_spmm(A, H, d, Y0, 0);
                mask_pass(Y0, n, d, m0, mw, scale);
                for (int t = 1; t <= 2; t++) {
                    omp_set_num_threads(t);
                    sgae_spmm_epilogue e = {.kind = SGAE_EPI_MASK, .mask = m0, .mw = mw,
                                       .scale = scale};
                    sgae_spmm_epi(A, H, d, Y1, &e);
                    CHECK_MSG(!memcmp(Y0, Y1, (size_t)(n * d) * sizeof *Y0),
                              "mask epilogue d=%lld p=%g threads=%d", (long long)d, p, t);
                }
            }
        /* no epilogue: plain SpMM */
        sgae_spmm(A, H, d, Y0, 0);
        sgae_spmm_epilogue none = {.kind = SGAE_EPI_NONE};
        sgae_spmm_epi(A, H, d, Y1, &none);
        CHECK(!memcmp(Y0, Y1, (size_t)(n * d) * sizeof *Y0));
        free(H);
        free(Y0);
        free(Y1);
        free(m0);
        free(m1);
    }
    sgae_graph_free(g);
    return t_done("spmm_epi");
}

/* Decoder kernels: dot products over pairs and their gradient scatter. */
#include <string.h>

#include "internal.h"
#include "sgae/kernels.h"

void sgae_pair_scores(const float *Z, int64_t d, int64_t m, const int32_t *u, const int32_t *v,
                      float *s)
{
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        const float *a = Z + (int64_t)u[k] * d, *b = Z + (int64_t)v[k] * d;
        float acc = 0.0f;
        for (int64_t c = 0; c < d; c++)
            acc += a[c] * b[c];
        s[k] = acc;
    }
}

void sgae_pairmat_free(sgae_pairmat *pm)
{
    sgae_csr_free(&pm->p);
    free(pm->pair_of);
    free(pm->work);
    memset(pm, 0, sizeof *pm);
}

sgae_status sgae_pairmat_build(sgae_pairmat *pm, int64_t n, int64_t m, const int32_t *u,
                               const int32_t *v)
{
    int64_t nnz = 2 * m;
    if (pm->p.nrows != n || !pm->p.rowptr) {
        free(pm->p.rowptr);
        free(pm->work);
        pm->p.rowptr = sgae_alloc((size_t)n + 1, sizeof(int64_t), "pair offsets");
        pm->work = sgae_alloc((size_t)n + 1, sizeof(int64_t), "pair counters");
        if (!pm->p.rowptr || !pm->work)
            return SGAE_E_NOMEM;
        pm->p.nrows = pm->p.ncols = n;
    }
    if (nnz > pm->cap) {
        free(pm->p.col);
        free(pm->p.val);
        free(pm->pair_of);
        pm->p.col = sgae_alloc((size_t)nnz, sizeof(int32_t), "pair columns");
        pm->p.val = sgae_alloc((size_t)nnz, sizeof(float), "pair values");
        pm->pair_of = sgae_alloc((size_t)nnz, sizeof(int64_t), "pair index");
        if (!pm->p.col || !pm->p.val || !pm->pair_of) {
            pm->cap = 0;
            return SGAE_E_NOMEM;
        }
        pm->cap = nnz;
    }
    int64_t *cnt = pm->work;
    memset(cnt, 0, (size_t)(n + 1) * sizeof *cnt);
    for (int64_t k = 0; k < m; k++) {
        cnt[u[k]]++;
        cnt[v[k]]++;
    }
    sgae_prefix_sum(cnt, n);
    memcpy(pm->p.rowptr, cnt, (size_t)(n + 1) * sizeof *cnt);
    for (int64_t k = 0; k < m; k++) {
        int64_t a = cnt[u[k]]++;
        pm->p.col[a] = v[k];
        pm->pair_of[a] = k;
        int64_t b = cnt[v[k]]++;
        pm->p.col[b] = u[k];
        pm->pair_of[b] = k;
    }
    return SGAE_OK;
}

void sgae_pair_scatter(sgae_pairmat *pm, const float *g, const float *Z, int64_t d, float *dZ)
{
    int64_t nnz = pm->p.rowptr[pm->p.nrows];
#pragma omp parallel for schedule(static)
    for (int64_t e = 0; e < nnz; e++)
        pm->p.val[e] = g[pm->pair_of[e]];
    sgae_spmm(&pm->p, Z, d, dZ, 1);
}

/* Decoder kernels: dot products over pairs and their gradient scatter.
 *
 * sgae_pairmat_build is parallel and deterministic: the pairs are split into
 * one contiguous range per thread; each thread counts its range's entries
 * per row into its own counter array; a pass over the rows turns the counts
 * into the start of (row, thread) blocks, thread after thread; then each
 * thread fills its range in pair order.  Entries of a row therefore land in
 * pair order whatever the thread count: the matrix is the same bit for bit. */
#include <inttypes.h>
#include <string.h>

#include "dot.h"
#include "internal.h"
#include "kernel_impl.h"
#include "sgae/kernels.h"

/* Prefetch lead in bytes of Z rows (two rows per pair); see spmm.c. */
#ifndef PF_BYTES
#define PF_BYTES 16384
#endif
#define PF_PAIRS(D) (PF_BYTES / (8 * (D)))

/* Most row buckets of the two-pass build. */
#define PM_BUCKETS 256

#define SGAE_INLINE static inline __attribute__((always_inline))

SGAE_INLINE void scores_fixed(const float *Z, int64_t m0, int64_t m1, int64_t m,
                              const int32_t *u, const int32_t *v, float *s, const int D)
{
    for (int64_t k = m0; k < m1; k++) {
        if (k + PF_PAIRS(D) < m) {
            const float *pa = Z + (int64_t)u[k + PF_PAIRS(D)] * D;
            const float *pb = Z + (int64_t)v[k + PF_PAIRS(D)] * D;
            for (int c = 0; c < D; c += 16) {
                __builtin_prefetch(pa + c, 0, 3);
                __builtin_prefetch(pb + c, 0, 3);
            }
            __builtin_prefetch(pa + D - 1, 0, 3);
            __builtin_prefetch(pb + D - 1, 0, 3);
        }
        s[k] = sgae_dot_f32(Z + (int64_t)u[k] * D, Z + (int64_t)v[k] * D, D);
    }
}

SGAE_INLINE void scores_any(const float *Z, int64_t d, int64_t m0, int64_t m1,
                            const int32_t *u, const int32_t *v, float *s)
{
    for (int64_t k = m0; k < m1; k++) {
        s[k] = sgae_dot_f32(Z + (int64_t)u[k] * d, Z + (int64_t)v[k] * d, d);
    }
}

/* Scores of the pairs m0..m1 (of m), the fixed widths inlined with a
 * constant D: the hot loop of the scores, cloned per instruction set
 * (kernel_impl.h), with the same bits in every clone (dot.h). */
SGAE_KERN_CLONES static void scores_block(const float *Z, int64_t d, int64_t m0, int64_t m1,
                                          int64_t m, const int32_t *u, const int32_t *v,
                                          float *s)
{
    switch (d) {
    case 16:
        scores_fixed(Z, m0, m1, m, u, v, s, 16);
        break;
    case 32:
        scores_fixed(Z, m0, m1, m, u, v, s, 32);
        break;
    case 64:
        scores_fixed(Z, m0, m1, m, u, v, s, 64);
        break;
    default:
        scores_any(Z, d, m0, m1, u, v, s);
    }
}

void sgae_pair_scores(const float *Z, int64_t d, int64_t m, const int32_t *u, const int32_t *v,
                      float *s)
{
    if (m <= 0)
        return;
    /* blocks of pairs; each score is computed by the same code whoever
     * takes its block, so the result does not depend on the threads */
    const int64_t B = 8192;
    int64_t nb = (m + B - 1) / B;
#pragma omp parallel for schedule(dynamic, 4) if (nb > 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t m0 = b * B, m1 = m0 + B < m ? m0 + B : m;
        scores_block(Z, d, m0, m1, m, u, v, s);
    }
}

void sgae_pairmat_clear(sgae_pairmat *pm)
{
    sgae_csr_clear(&pm->p);
    free(pm->pair_of);
    free(pm->work);
    memset(pm, 0, sizeof *pm);
}

/* Grow pm->work to at least `need` int64 slots, keeping its contents. */
static sgae_status work_reserve(sgae_pairmat *pm, int64_t need)
{
    if (need <= pm->work_cap)
        return SGAE_OK;
    int64_t *w = sgae_realloc(pm->work, (size_t)need, sizeof *w, "pair scratch");
    if (!w)
        return SGAE_E_NOMEM;
    pm->work = w;
    pm->work_cap = need;
    return SGAE_OK;
}

sgae_status sgae_pairmat_build(sgae_pairmat *pm, int64_t n, int64_t m, const int32_t *u,
                               const int32_t *v)
{
    if (n < 0 || n >= INT32_MAX || m < 0 || m > INT64_MAX / 4)
        return sgae_error_set(SGAE_E_ARG, "pairmat: %" PRId64 " nodes, %" PRId64
                              " pairs is out of range", n, m);
    const int64_t nnz = 2 * m;
    int nt = SGAE_NTHREADS();
    if (m < 65536 || nt < 1)
        nt = 1; /* not worth the per-thread counters */
    if (pm->p.nrows != n || !pm->p.rowptr) {
        free(pm->p.rowptr);
        pm->p.rowptr = sgae_alloc((size_t)n + 1, sizeof(int64_t), "pair offsets");
        if (!pm->p.rowptr) {
            pm->p.nrows = pm->p.ncols = 0;
            return SGAE_E_NOMEM;
        }
        pm->p.nrows = pm->p.ncols = n;
    }
    if (nnz > pm->cap || !pm->p.col) {
        free(pm->p.col);
        free(pm->p.val);
        free(pm->pair_of);
        size_t len = (size_t)(nnz > 0 ? nnz : 1);
        pm->p.col = sgae_alloc(len, sizeof(int32_t), "pair columns");
        pm->p.val = sgae_alloc(len, sizeof(float), "pair values");
        pm->pair_of = sgae_alloc(len, sizeof(int64_t), "pair index");
        if (!pm->p.col || !pm->p.val || !pm->pair_of) {
            pm->cap = 0;
            return SGAE_E_NOMEM;
        }
        pm->cap = nnz;
    }
    /* buckets of 2^s consecutive rows, at most PM_BUCKETS of them */
    int s = 0;
    while ((n >> s) > PM_BUCKETS)
        s++;
    const int64_t nb = n > 0 ? ((n - 1) >> s) + 1 : 0;
    const int64_t bw = (int64_t)1 << s;
    /* work: nt x (n + 1) row counters | nt x (nb + 1) bucket cursors | then
     * per thread: 2 x maxb entries + bw + 1 counters (sized below) */
    const int64_t cnt_len = (int64_t)nt * (n + 1), cur_len = (int64_t)nt * (nb + 1);
    if (work_reserve(pm, cnt_len + cur_len) != SGAE_OK)
        return SGAE_E_NOMEM;
    int64_t *rp = pm->p.rowptr;
    int64_t bad = -1;
    int used = nt;

    /* 1. each thread counts the entries of its pair range per row */
#pragma omp parallel num_threads(nt)
    {
        int t = SGAE_TID(), T = nt;
#ifdef _OPENMP
        T = omp_get_num_threads(); /* may be fewer than asked */
#endif
#pragma omp single
        used = T;
        int64_t k0 = m * t / T, k1 = m * (t + 1) / T;
        int64_t *cnt = pm->work + (int64_t)t * (n + 1);
        memset(cnt, 0, (size_t)(n + 1) * sizeof *cnt);
        for (int64_t k = k0; k < k1; k++) {
            uint32_t a = (uint32_t)u[k], b = (uint32_t)v[k];
            if (a >= (uint64_t)n || b >= (uint64_t)n) {
/* unnamed: the lock of a named critical is a global symbol, which
 * libsgae.so would export */
#pragma omp critical
                if (bad < 0 || k < bad)
                    bad = k;
                continue;
            }
            cnt[a]++;
            cnt[b]++;
        }
#pragma omp barrier
#pragma omp for schedule(static)
        for (int64_t i = 0; i < n; i++) {
            int64_t c = 0;
            for (int q = 0; q < T; q++)
                c += pm->work[(int64_t)q * (n + 1) + i];
            rp[i] = c;
        }
    }
    if (bad >= 0) {
        memset(rp, 0, (size_t)(n + 1) * sizeof *rp);
        return sgae_error_set(SGAE_E_ARG, "pairmat: pair %" PRId64 " has a node id outside 0..%"
                              PRId64, bad, n - 1);
    }
    sgae_prefix_sum(rp, n);
    int64_t maxb = 0;
    for (int64_t b = 0; b < nb; b++) {
        int64_t r1 = (b + 1) * bw < n ? (b + 1) * bw : n;
        if (rp[r1] - rp[b * bw] > maxb)
            maxb = rp[r1] - rp[b * bw];
    }
    const int64_t tmp_len = 2 * maxb + bw + 1;
    if (work_reserve(pm, cnt_len + cur_len + (int64_t)used * tmp_len) != SGAE_OK) {
        memset(rp, 0, (size_t)(n + 1) * sizeof *rp);
        return SGAE_E_NOMEM;
    }
    int32_t *col = pm->p.col;
    int32_t *rowtmp = (int32_t *)(void *)pm->p.val; /* scratch: row of each entry */
    int64_t *pof = pm->pair_of;
    int64_t *cur = pm->work + cnt_len;

#pragma omp parallel num_threads(used)
    {
        int t = SGAE_TID(), T = 1;
#ifdef _OPENMP
        T = omp_get_num_threads(); /* normally `used`; if fewer, slots are shared */
#endif
        /* 2. cursor of (thread, bucket): bucket start, then the threads
         * before this one */
#pragma omp for schedule(static)
        for (int64_t b = 0; b < nb; b++) {
            int64_t r0 = b * bw, r1 = r0 + bw < n ? r0 + bw : n, off = rp[r0];
            for (int q = 0; q < used; q++) {
                const int64_t *c = pm->work + (int64_t)q * (n + 1);
                int64_t x = 0;
                for (int64_t i = r0; i < r1; i++)
                    x += c[i];
                cur[(int64_t)q * (nb + 1) + b] = off;
                off += x;
            }
        }
        /* 3. scatter the entries of each pair range (slot q: the range
         * counted by thread q in step 1) to their buckets, in pair order */
        for (int q = t; q < used; q += T) {
            int64_t k0 = m * q / used, k1 = m * (q + 1) / used;
            int64_t *my = cur + (int64_t)q * (nb + 1);
            for (int64_t k = k0; k < k1; k++) {
                int32_t a = u[k], b = v[k];
                int64_t p = my[a >> s]++;
                rowtmp[p] = a;
                col[p] = b;
                pof[p] = k;
                p = my[b >> s]++;
                rowtmp[p] = b;
                col[p] = a;
                pof[p] = k;
            }
        }
#pragma omp barrier
        /* 4. stable counting sort by row inside each bucket, through this
         * thread's scratch (the bucket's entries are its rows' final range) */
        int64_t *tk = pm->work + cnt_len + cur_len + (int64_t)t * tmp_len;
        int64_t *trc = tk + maxb, *rc = tk + 2 * maxb;
#pragma omp for schedule(dynamic, 1)
        for (int64_t b = 0; b < nb; b++) {
            int64_t r0 = b * bw, r1 = r0 + bw < n ? r0 + bw : n;
            int64_t e0 = rp[r0], e1 = rp[r1], len = e1 - e0;
            for (int64_t e = 0; e < len; e++) {
                tk[e] = pof[e0 + e];
                trc[e] = (int64_t)(((uint64_t)(uint32_t)(rowtmp[e0 + e] - (int32_t)r0) << 32) |
                                   (uint32_t)col[e0 + e]);
            }
            for (int64_t i = r0; i <= r1; i++)
                rc[i - r0] = rp[i];
            for (int64_t e = 0; e < len; e++) {
                int64_t p = rc[trc[e] >> 32]++;
                col[p] = (int32_t)(uint32_t)trc[e];
                pof[p] = tk[e];
            }
        }
    }
    return SGAE_OK;
}

void sgae_pair_scatter(sgae_pairmat *pm, const float *g, const float *Z, int64_t d, float *dZ)
{
    /* entry e of row i carries g[pair_of[e]] */
    sgae_kern_spmm(&pm->p, g, pm->pair_of, Z, d, dZ, 1);
}

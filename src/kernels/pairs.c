/* Decoder kernels: dot products over pairs and their gradient scatter.
 *
 * sgae_pairmat_build is parallel and deterministic: the pairs are split into
 * one contiguous range per thread; each thread counts its range's entries
 * per row into its own counter array (pairmat_count); the rows are grouped
 * into at most PM_BUCKETS buckets of consecutive rows, and each (thread,
 * bucket) gets a cursor, thread after thread inside a bucket; each thread
 * scatters its range's entries to their buckets in pair order; then each
 * bucket is sorted by row with a stable counting sort (pairmat_fill).
 * Entries of a row therefore land in pair order whatever the thread count:
 * the matrix is the same bit for bit. */
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

/* The offsets for n rows and room for nnz entries (col, val, pair_of),
 * kept from an earlier build when they fit. */
static sgae_status pairmat_reserve(sgae_pairmat *pm, int64_t n, int64_t nnz)
{
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
    return SGAE_OK;
}

/* Step 1 of the build: with nt threads, thread t counts the entries per row
 * of its pair range [m t / T, m (t+1) / T) into its counter array
 * pm->work[t (n+1) ..], and the row lengths are summed into rp[0..n).
 * Sets *used to the threads that ran (T) and *bad to the first pair with an
 * id outside 0..n-1 (-1: none). */
static void pairmat_count(sgae_pairmat *pm, int64_t n, int64_t m, const int32_t *u,
                          const int32_t *v, int nt, int *used_out, int64_t *bad_out)
{
    int64_t *rp = pm->p.rowptr;
    int64_t bad = -1;
    int used = nt;
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
    *used_out = used;
    *bad_out = bad;
}

/* The layout of the build's scratch pm->work: `used` row counter arrays of
 * n + 1 (step 1), `used` bucket cursor arrays of nb + 1, then per thread a
 * sort buffer of tmp_len slots; rows are in nb buckets of bw = 2^s rows. */
typedef struct {
    int s;
    int64_t nb, bw;
    int64_t cnt_len, cur_len, maxb, tmp_len;
    int used;
} pairmat_plan;

/* Step 2 (inside the fill's parallel region: the loop is shared): the
 * cursor of (thread slot q, bucket b): the bucket's start, then the entries
 * of the slots before q. */
static void pairmat_cursors(sgae_pairmat *pm, int64_t n, const pairmat_plan *pl, int64_t *cur)
{
    const int used = pl->used;
    const int64_t nb = pl->nb, bw = pl->bw;
    const int64_t *rp = pm->p.rowptr;
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
}

/* Step 3 (thread t of T): the entries of each pair range of slot q = t,
 * t + T, ... (the range counted by thread q in step 1) scattered to their
 * buckets, in pair order; rowtmp receives each entry's row. */
static void pairmat_scatter(sgae_pairmat *pm, int64_t m, const int32_t *u, const int32_t *v,
                            const pairmat_plan *pl, int64_t *cur, int32_t *rowtmp, int t, int T)
{
    const int s = pl->s, used = pl->used;
    const int64_t nb = pl->nb;
    int32_t *col = pm->p.col;
    int64_t *pof = pm->pair_of;
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
}

/* Step 4 (inside the fill's parallel region, thread t): a stable counting
 * sort by row inside each bucket, through this thread's scratch (the
 * bucket's entries are its rows' final range). */
static void pairmat_sort_buckets(sgae_pairmat *pm, int64_t n, const pairmat_plan *pl,
                                 const int32_t *rowtmp, int t)
{
    const int64_t nb = pl->nb, bw = pl->bw, maxb = pl->maxb;
    const int64_t *rp = pm->p.rowptr;
    int32_t *col = pm->p.col;
    int64_t *pof = pm->pair_of;
    int64_t *tk = pm->work + pl->cnt_len + pl->cur_len + (int64_t)t * pl->tmp_len;
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

/* Steps 2-4 of the build, with the row offsets final: the entries of every
 * pair scattered to their row buckets in pair order, then sorted by row
 * (stably) inside each bucket.  One parallel region; the steps' loops are
 * shared among its threads. */
static void pairmat_fill(sgae_pairmat *pm, int64_t n, int64_t m, const int32_t *u,
                         const int32_t *v, const pairmat_plan *pl)
{
    int32_t *rowtmp = (int32_t *)(void *)pm->p.val; /* scratch: row of each entry */
    int64_t *cur = pm->work + pl->cnt_len;
#pragma omp parallel num_threads(pl->used)
    {
        int t = SGAE_TID(), T = 1;
#ifdef _OPENMP
        T = omp_get_num_threads(); /* normally `used`; if fewer, slots are shared */
#endif
        pairmat_cursors(pm, n, pl, cur); /* ends with the loop's barrier */
        pairmat_scatter(pm, m, u, v, pl, cur, rowtmp, t, T);
#pragma omp barrier
        pairmat_sort_buckets(pm, n, pl, rowtmp, t);
    }
}

sgae_status sgae_pairmat_build(sgae_pairmat *pm, int64_t n, int64_t m, const int32_t *u,
                               const int32_t *v)
{
    sgae_status st = SGAE_OK;
    int touched = 0; /* pm is being rebuilt: emptied on failure */
    if (n < 0 || n >= INT32_MAX || m < 0 || m > INT64_MAX / 4)
        SGAE_FAIL(SGAE_E_ARG, "pairmat: %" PRId64 " nodes, %" PRId64 " pairs is out of range", n,
                  m);
    int nt = SGAE_NTHREADS();
    if (m < 65536 || nt < 1)
        nt = 1; /* not worth the per-thread counters */
    touched = 1;
    SGAE_CHECK(pairmat_reserve(pm, n, 2 * m));
    pairmat_plan pl;
    /* buckets of 2^s consecutive rows, at most PM_BUCKETS of them */
    pl.s = 0;
    while ((n >> pl.s) > PM_BUCKETS)
        pl.s++;
    pl.nb = n > 0 ? ((n - 1) >> pl.s) + 1 : 0;
    pl.bw = (int64_t)1 << pl.s;
    /* work: nt x (n + 1) row counters | nt x (nb + 1) bucket cursors | then
     * per thread: 2 x maxb entries + bw + 1 counters (sized below) */
    pl.cnt_len = (int64_t)nt * (n + 1);
    pl.cur_len = (int64_t)nt * (pl.nb + 1);
    SGAE_CHECK(work_reserve(pm, pl.cnt_len + pl.cur_len));
    int64_t bad;
    pairmat_count(pm, n, m, u, v, nt, &pl.used, &bad);
    if (bad >= 0)
        SGAE_FAIL(SGAE_E_ARG, "pairmat: pair %" PRId64 " has a node id outside 0..%" PRId64, bad,
                  n - 1);
    int64_t *rp = pm->p.rowptr;
    sgae_prefix_sum(rp, n);
    /* the largest bucket sizes the sort buffers */
    pl.maxb = 0;
    for (int64_t b = 0; b < pl.nb; b++) {
        int64_t r1 = (b + 1) * pl.bw < n ? (b + 1) * pl.bw : n;
        if (rp[r1] - rp[b * pl.bw] > pl.maxb)
            pl.maxb = rp[r1] - rp[b * pl.bw];
    }
    pl.tmp_len = 2 * pl.maxb + pl.bw + 1;
    SGAE_CHECK(work_reserve(pm, pl.cnt_len + pl.cur_len + (int64_t)pl.used * pl.tmp_len));
    pairmat_fill(pm, n, m, u, v, &pl);
done:
    if (st != SGAE_OK && touched && pm->p.rowptr && pm->p.nrows == n)
        memset(pm->p.rowptr, 0, (size_t)(n + 1) * sizeof *pm->p.rowptr);
    return st;
}

void sgae_pair_scatter(sgae_pairmat *pm, const float *g, const float *Z, int64_t d, float *dZ)
{
    /* entry e of row i carries g[pair_of[e]] */
    sgae_kern_spmm(&pm->p, g, pm->pair_of, Z, d, dZ, 1);
}

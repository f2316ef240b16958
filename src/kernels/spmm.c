/* Sparse (CSR) times dense row-major: Y (+)= A H.
 *
 * The rows are cut into chunks of equal cost, cost(row i) = nnz(i) + 1 (the
 * +1 stands for writing the output row), found per call by binary search on
 * rowptr[i] + i into a fixed-size array on the stack: power-law rows do not
 * unbalance the threads and nothing is allocated.  Chunks are handed out
 * dynamically (the machine is shared), but each row is always summed by one
 * thread in CSR order with the same code, so the result does not depend on
 * the thread count or on which thread took which chunk.
 *
 * Widths 8, 16, 32 and 64 have inner loops of fixed length whose accumulator
 * lives in vector registers; other widths are done in tiles of 64, 32, 16
 * and 8 columns plus a plain loop for the last d % 8.  The gathered rows of H
 * are prefetched a few nonzeros ahead.  Each column is summed on its own
 * (no sum across columns), so the vector width of the build does not change
 * a bit; spmm_rows has AVX2 and AVX-512 clones (kernel_impl.h). */
#include <string.h>

#include "internal.h"
#include "kernel_impl.h"
#include "sgae/kernels.h"
#include "sgae/rng.h"

void sgae_spmm_naive(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate)
{
    for (int64_t i = 0; i < A->nrows; i++) {
        float *y = Y + i * d;
        if (!accumulate)
            memset(y, 0, (size_t)d * sizeof *y);
        for (int64_t k = A->rowptr[i]; k < A->rowptr[i + 1]; k++) {
            float a = A->val ? A->val[k] : 1.0f;
            const float *h = H + (int64_t)A->col[k] * d;
            for (int64_t c = 0; c < d; c++)
                y[c] += a * h[c];
        }
    }
}

/* How far ahead the rows of H are prefetched, in bytes of H rows: the
 * gathers are bound by memory latency, and only a long lead keeps enough
 * misses in flight (measured on the 1M-node LFR graph, 2 threads: a lead of
 * 12 nonzeros ran 2x slower than 16 KiB at d = 16 and 32). */
#ifndef PF_BYTES
#define PF_BYTES 16384
#endif
#define PF_DIST(W) ((PF_BYTES / (4 * (W))) < 512 ? (PF_BYTES / (4 * (W))) : 512)

/* Value of entry k: all ones, val[k], or src[idx[k]] (the pair scatter). */
enum { VM_ONES = 0, VM_VAL = 1, VM_IDX = 2 };

#define SGAE_INLINE static inline __attribute__((always_inline))

SGAE_INLINE float entry_value(int vm, const float *val, const int64_t *idx, int64_t k)
{
    if (vm == VM_ONES)
        return 1.0f;
    if (vm == VM_VAL)
        return val[k];
    return val[idx[k]];
}

/* Prefetch the columns [c0, c0 + w) of row j of H (row stride d). */
SGAE_INLINE void prefetch_row(const float *H, int64_t d, int32_t j, int64_t c0, int w)
{
    const float *h = H + (int64_t)j * d + c0;
    for (int c = 0; c < w; c += 16)
        __builtin_prefetch(h + c, 0, 3);
    __builtin_prefetch(h + w - 1, 0, 3);
}

/* The epilogue on columns [c0, c0 + w) of row i (y points at column c0). */
static void epi_apply(const sgae_kern_epi *epi, int64_t i, int64_t d, float *y, int64_t c0,
                      int64_t w)
{
    uint64_t *mk = epi->mask ? epi->mask + i * epi->mw : NULL;
    const float scale = epi->scale;
    if (epi->kind == SGAE_EPI_RELU) {
        const double p = epi->p;
        if (mk && c0 == 0)
            memset(mk, 0, (size_t)epi->mw * sizeof *mk);
        for (int64_t c = 0; c < w; c++) {
            int64_t cc = c0 + c;
            int keep = y[c] > 0.0f;
            if (keep && p > 0)
                keep = sgae_rng_uniform(epi->seed, epi->purpose, (uint64_t)(i * d + cc)) >= p;
            y[c] = keep ? y[c] * scale : 0.0f;
            if (mk && keep)
                mk[cc >> 6] |= 1ULL << (cc & 63);
        }
    } else {
        for (int64_t c = 0; c < w; c++) {
            int64_t cc = c0 + c;
            y[c] = ((mk[cc >> 6] >> (cc & 63)) & 1) ? y[c] * scale : 0.0f;
        }
    }
}

/* Columns [c0, c0 + W) of rows [i0, i1) of Y, W a compile-time constant after
 * inlining.  klim is the end of the chunk's nonzeros (prefetch bound). */
SGAE_INLINE void rows_fixed(const int64_t *rp, const int32_t *ci, const float *val,
                            const int64_t *idx, int vm, const float *H, int64_t d, float *Y,
                            int accumulate, int64_t i0, int64_t i1, int64_t c0, const int W,
                            const sgae_kern_epi *epi)
{
    const int64_t klim = rp[i1];
    for (int64_t i = i0; i < i1; i++) {
        float acc[64];
        float *y = Y + i * d + c0;
        if (accumulate) {
#pragma omp simd
            for (int c = 0; c < W; c++)
                acc[c] = y[c];
        } else {
#pragma omp simd
            for (int c = 0; c < W; c++)
                acc[c] = 0.0f;
        }
        const int64_t ke = rp[i + 1];
        for (int64_t k = rp[i]; k < ke; k++) {
            int64_t kp = k + PF_DIST(W) < klim ? k + PF_DIST(W) : klim - 1;
            prefetch_row(H, d, ci[kp], c0, W);
            if (vm == VM_IDX) /* the value is a gather too */
                __builtin_prefetch(val + idx[kp], 0, 3);
            const float a = entry_value(vm, val, idx, k);
            const float *h = H + (int64_t)ci[k] * d + c0;
#pragma omp simd
            for (int c = 0; c < W; c++)
                acc[c] += a * h[c];
        }
#pragma omp simd
        for (int c = 0; c < W; c++)
            y[c] = acc[c];
        if (epi)
            epi_apply(epi, i, d, y, c0, W);
    }
}

/* Columns [c0, c0 + w) for any w (the last d % 8): accumulate in Y. */
static void rows_tail(const int64_t *rp, const int32_t *ci, const float *val,
                      const int64_t *idx, int vm, const float *H, int64_t d, float *Y,
                      int accumulate, int64_t i0, int64_t i1, int64_t c0, int64_t w,
                      const sgae_kern_epi *epi)
{
    for (int64_t i = i0; i < i1; i++) {
        float *y = Y + i * d + c0;
        if (!accumulate)
            for (int64_t c = 0; c < w; c++)
                y[c] = 0.0f;
        for (int64_t k = rp[i]; k < rp[i + 1]; k++) {
            const float a = entry_value(vm, val, idx, k);
            const float *h = H + (int64_t)ci[k] * d + c0;
            for (int64_t c = 0; c < w; c++)
                y[c] += a * h[c];
        }
        if (epi)
            epi_apply(epi, i, d, y, c0, w);
    }
}

/* One value mode, all widths: rows [i0, i1). */
SGAE_INLINE void rows_vm(const int64_t *rp, const int32_t *ci, const float *val,
                         const int64_t *idx, const int vm, const float *H, int64_t d, float *Y,
                         int accumulate, int64_t i0, int64_t i1, const sgae_kern_epi *epi)
{
    /* the fixed widths, each a constant for rows_fixed's inner loops */
#define ROWS_WIDTH(w)                                                                       \
    case w:                                                                                \
        rows_fixed(rp, ci, val, idx, vm, H, d, Y, accumulate, i0, i1, 0, w, epi);          \
        return
    switch (d) {
        ROWS_WIDTH(8);
        ROWS_WIDTH(16);
        ROWS_WIDTH(32);
        ROWS_WIDTH(64);
    default:
        break;
    }
#undef ROWS_WIDTH
    int64_t c0 = 0;
    for (; c0 + 64 <= d; c0 += 64)
        rows_fixed(rp, ci, val, idx, vm, H, d, Y, accumulate, i0, i1, c0, 64, epi);
    if (c0 + 32 <= d) {
        rows_fixed(rp, ci, val, idx, vm, H, d, Y, accumulate, i0, i1, c0, 32, epi);
        c0 += 32;
    }
    if (c0 + 16 <= d) {
        rows_fixed(rp, ci, val, idx, vm, H, d, Y, accumulate, i0, i1, c0, 16, epi);
        c0 += 16;
    }
    if (c0 + 8 <= d) {
        rows_fixed(rp, ci, val, idx, vm, H, d, Y, accumulate, i0, i1, c0, 8, epi);
        c0 += 8;
    }
    if (c0 < d)
        rows_tail(rp, ci, val, idx, vm, H, d, Y, accumulate, i0, i1, c0, d - c0, epi);
}

/* The hot loop: cloned per instruction set (kernel_impl.h). */
SGAE_KERN_CLONES static void spmm_rows(const int64_t *rp, const int32_t *ci, const float *val,
                      const int64_t *idx, int vm, const float *H, int64_t d, float *Y,
                      int accumulate, int64_t i0, int64_t i1)
{
    if (vm == VM_ONES)
        rows_vm(rp, ci, val, idx, VM_ONES, H, d, Y, accumulate, i0, i1, NULL);
    else if (vm == VM_VAL)
        rows_vm(rp, ci, val, idx, VM_VAL, H, d, Y, accumulate, i0, i1, NULL);
    else
        rows_vm(rp, ci, val, idx, VM_IDX, H, d, Y, accumulate, i0, i1, NULL);
}

/* With an epilogue (values A->val or ones): a separate instantiation, so the
 * plain kernels keep their code. */
static void spmm_rows_epi(const int64_t *rp, const int32_t *ci, const float *val,
                          const float *H, int64_t d, float *Y, int64_t i0, int64_t i1,
                          const sgae_kern_epi *epi)
{
    if (val)
        rows_vm(rp, ci, val, NULL, VM_VAL, H, d, Y, 0, i0, i1, epi);
    else
        rows_vm(rp, ci, val, NULL, VM_ONES, H, d, Y, 0, i0, i1, epi);
}

int64_t sgae_kern_chunks(const int64_t *rp, int64_t n, int64_t bound[SGAE_KERN_MAX_CHUNKS + 1])
{
    int64_t total = rp[n] + n;
    int64_t nt = SGAE_NTHREADS();
    /* a few chunks per thread for dynamic balance, none smaller than
     * SGAE_KERN_MIN_COST */
    int64_t nc = nt * 8;
    if (nc > total / SGAE_KERN_MIN_COST)
        nc = total / SGAE_KERN_MIN_COST;
    if (nc > SGAE_KERN_MAX_CHUNKS)
        nc = SGAE_KERN_MAX_CHUNKS;
    if (nc < 1)
        nc = 1;
    bound[0] = 0;
    for (int64_t c = 1; c < nc; c++) {
        /* smallest row i with rp[i] + i >= c * total / nc */
        int64_t target = (int64_t)((double)total * (double)c / (double)nc);
        int64_t lo = bound[c - 1], hi = n;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            if (rp[mid] + mid < target)
                lo = mid + 1;
            else
                hi = mid;
        }
        bound[c] = lo;
    }
    bound[nc] = n;
    return nc;
}

void sgae_kern_spmm(const sgae_csr *A, const float *val, const int64_t *idx, const float *H,
                    int64_t d, float *Y, int accumulate)
{
    const int64_t n = A->nrows;
    if (n <= 0 || d <= 0)
        return;
    const int64_t *rp = A->rowptr;
    const int32_t *ci = A->col;
    const int vm = idx ? VM_IDX : val ? VM_VAL : VM_ONES;
    int64_t bound[SGAE_KERN_MAX_CHUNKS + 1];
    int64_t nc = sgae_kern_chunks(rp, n, bound);
    if (nc == 1) {
        spmm_rows(rp, ci, val, idx, vm, H, d, Y, accumulate, 0, n);
        return;
    }
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t c = 0; c < nc; c++)
        spmm_rows(rp, ci, val, idx, vm, H, d, Y, accumulate, bound[c], bound[c + 1]);
}

void sgae_kern_spmm_epi(const sgae_csr *A, const float *H, int64_t d, float *Y,
                        const sgae_kern_epi *epi)
{
    const int64_t n = A->nrows;
    if (n <= 0 || d <= 0)
        return;
    if (epi && epi->kind == SGAE_EPI_NONE)
        epi = NULL;
    const int64_t *rp = A->rowptr;
    const int32_t *ci = A->col;
    int64_t bound[SGAE_KERN_MAX_CHUNKS + 1];
    int64_t nc = sgae_kern_chunks(rp, n, bound);
    if (nc == 1) {
        spmm_rows_epi(rp, ci, A->val, H, d, Y, 0, n, epi);
        return;
    }
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t c = 0; c < nc; c++)
        spmm_rows_epi(rp, ci, A->val, H, d, Y, bound[c], bound[c + 1], epi);
}

void sgae_spmm(const sgae_csr *A, const float *H, int64_t d, float *Y, int accumulate)
{
    sgae_kern_spmm(A, A->val, NULL, H, d, Y, accumulate);
}

void sgae_spmm_epi(const sgae_csr *A, const float *H, int64_t d, float *Y,
                   const sgae_spmm_epilogue *epi)
{
    sgae_kern_spmm_epi(A, H, d, Y, epi);
}

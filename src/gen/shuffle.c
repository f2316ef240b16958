/* Deterministic parallel random permutation (see gen_internal.h). */
#include <string.h>

#include "gen_internal.h"
#include "internal.h"
#include "sgae/rng.h"

#define BUCKET_TARGET 16384 /* mean elements per bucket */
#define MAX_BLOCKS 256      /* scatter blocks (bounds the count table) */

sgae_status sgae_gen_shuffle(int32_t *a, int64_t len, uint64_t seed, uint64_t purpose)
{
    sgae_status st = SGAE_OK;
    int32_t *tmp = NULL;
    int64_t *off = NULL, *bstart = NULL;
    if (len < 2)
        return SGAE_OK;
    uint64_t pb = sgae_rng_purpose(purpose, 1), pf = sgae_rng_purpose(purpose, 2);
    int64_t nb = len / BUCKET_TARGET;
    if (nb < 1)
        nb = 1;
    int64_t blk = (len + MAX_BLOCKS - 1) / MAX_BLOCKS;
    if (blk < (1 << 20))
        blk = 1 << 20;
    int64_t nblk = (len + blk - 1) / blk;
    tmp = sgae_alloc((size_t)len, sizeof *tmp, "shuffle scratch");
    off = sgae_calloc((size_t)(nblk * nb), sizeof *off, "shuffle counts");
    bstart = sgae_alloc((size_t)nb + 1, sizeof *bstart, "shuffle buckets");
    if (!tmp || !off || !bstart) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    if (nb == 1) {
        memcpy(tmp, a, (size_t)len * sizeof *a);
    } else {
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < nblk; b++) {
            int64_t lo = b * blk, hi = lo + blk < len ? lo + blk : len;
            int64_t *cnt = off + b * nb;
            for (int64_t k = lo; k < hi; k++)
                cnt[sgae_rng_below(seed, pb, (uint64_t)k, (uint64_t)nb)]++;
        }
        /* bucket-major exclusive prefix: bucket q of block b starts at off[b*nb+q] */
        int64_t run = 0;
        for (int64_t q = 0; q < nb; q++) {
            bstart[q] = run;
            for (int64_t b = 0; b < nblk; b++) {
                int64_t c = off[b * nb + q];
                off[b * nb + q] = run;
                run += c;
            }
        }
        bstart[nb] = run;
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < nblk; b++) {
            int64_t lo = b * blk, hi = lo + blk < len ? lo + blk : len;
            int64_t *pos = off + b * nb;
            for (int64_t k = lo; k < hi; k++)
                tmp[pos[sgae_rng_below(seed, pb, (uint64_t)k, (uint64_t)nb)]++] = a[k];
        }
    }
    if (nb == 1) {
        bstart[0] = 0;
        bstart[1] = len;
    }
#pragma omp parallel for schedule(dynamic, 16)
    for (int64_t q = 0; q < nb; q++) {
        int64_t s = bstart[q], e = bstart[q + 1];
        for (int64_t i = e - 1; i > s; i--) {
            int64_t j = s + (int64_t)sgae_rng_below(seed, pf, (uint64_t)i, (uint64_t)(i - s + 1));
            int32_t t = tmp[i];
            tmp[i] = tmp[j];
            tmp[j] = t;
        }
        memcpy(a + s, tmp + s, (size_t)(e - s) * sizeof *a);
    }
done:
    free(tmp);
    free(off);
    free(bstart);
    return st;
}

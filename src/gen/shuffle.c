/* Deterministic parallel random permutation (see gen_internal.h). */
#include <string.h>

#include "gen_internal.h"
#include "internal.h"
#include "sgae/rng.h"

#define BUCKET_TARGET 16384 /* mean elements per bucket */
#define MAX_BLOCKS 256      /* scatter blocks (bounds the count table) */

/* Scatter a[0..len) into tmp by random bucket (of nb), block by block of
 * blk elements (nblk blocks): off is the nblk x nb table of counts, then of
 * cursors; bucket q ends up at tmp[bstart[q] .. bstart[q+1]), holding its
 * elements in input order. */
static void shuffle_scatter(const int32_t *a, int32_t *tmp, int64_t len, int64_t nb, int64_t blk,
                            int64_t nblk, uint64_t seed, uint64_t pb, int64_t *off,
                            int64_t *bstart)
{
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
    off = tmp ? sgae_calloc((size_t)(nblk * nb), sizeof *off, "shuffle counts") : NULL;
    bstart = off ? sgae_alloc((size_t)nb + 1, sizeof *bstart, "shuffle buckets") : NULL;
    if (!bstart)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
    if (nb == 1) {
        memcpy(tmp, a, (size_t)len * sizeof *a);
        bstart[0] = 0;
        bstart[1] = len;
    } else {
        shuffle_scatter(a, tmp, len, nb, blk, nblk, seed, pb, off, bstart);
    }
    /* Fisher-Yates inside each bucket, from the bucket's own indices */
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
    SGAE_FREE_ALL(tmp, off, bstart);
    return st;
}

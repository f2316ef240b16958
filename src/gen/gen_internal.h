/* Internal helpers of the graph generators (src/gen). */
#ifndef SGAE_GEN_INTERNAL_H
#define SGAE_GEN_INTERNAL_H

#include <stdint.h>

#include "sgae/error.h"

/* Sub-purposes of SGAE_RNG_GEN (one random stream each). */
enum {
    GEN_DEGREE = 1,
    GEN_EXTERNAL_ROUND,
    GEN_SIZE,
    GEN_SLOT_SHUFFLE,
    GEN_ASSIGN,
    GEN_INTRA_SHUFFLE,
    GEN_INTRA_SWAP,
    GEN_EXT_SHUFFLE,
    GEN_EXT_SWAP,
    GEN_ISOLATED,
    GEN_KRON_EDGE,
    GEN_KRON_PERM
};

/* Uniformly random permutation of a[0..len) in place, a pure function of
 * (seed, purpose, len, contents): elements are scattered to random buckets in
 * fixed blocks, then each bucket is shuffled (Fisher-Yates) from its own
 * counter-based stream.  Parallel; bit-identical at any thread count.
 * Allocates len int32 of scratch. */
sgae_status sgae_gen_shuffle(int32_t *a, int64_t len, uint64_t seed, uint64_t purpose);

#endif

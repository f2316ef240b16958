/* Internal helpers of the graph generators (src/gen). */
#ifndef SGAE_GEN_INTERNAL_H
#define SGAE_GEN_INTERNAL_H

#include <stdint.h>

#include "internal.h"
#include "sgae/error.h"
#include "sgae/util.h"

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

/* Stage reports of one generator call to the caller's sink (see sgae/gen.h):
 * silent for the first half second, so short runs report nothing. */
typedef struct {
    const sgae_progress_sink *sink;
    const char *name; /* the generator: label of the final report */
    int total;        /* stages */
    double t0;
    int shown;        /* something was reported */
} gen_progress;

static inline void gen_progress_begin(gen_progress *gp, const sgae_progress_sink *sink,
                                      const char *name, int total)
{
    gp->sink = sink;
    gp->name = name;
    gp->total = total;
    gp->t0 = sgae_now();
    gp->shown = 0;
}

/* Stage k (0..total-1), labelled "<generator>: <what>", starts. */
static inline void gen_progress_stage(gen_progress *gp, const char *label, int k)
{
    if (gp->sink && gp->sink->fn && sgae_now() - gp->t0 > 0.5) {
        sgae_progress_emit(gp->sink, label, k, gp->total);
        gp->shown = 1;
    }
}

/* The call ends (success or failure). */
static inline void gen_progress_end(gen_progress *gp)
{
    if (gp->shown)
        sgae_progress_emit(gp->sink, gp->name, -1, gp->total);
    gp->shown = 0;
}

#endif

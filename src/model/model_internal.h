/* Internal layout of sgae_model (shared by the model sources). */
#ifndef SGAE_MODEL_INTERNAL_H
#define SGAE_MODEL_INTERNAL_H

#include "internal.h"
#include "sgae/kernels.h"
#include "sgae/model.h"
#include "sgae/rng.h"

/* Rows per block of every blocked product and reduction: fixed, so results
 * do not depend on the thread count. */
#define SGAE_MODEL_RB 4096
/* Rows (or pairs) per block of loss reductions. */
#define SGAE_MODEL_LB 1024

enum { FEAT_IDENTITY = 0, FEAT_SPARSE = 1, FEAT_DENSE = 2 };

struct sgae_model {
    sgae_model_opts o;
    sgae_graph *g;
    const sgae_csr *A; /* &g->norm */
    int64_t n, h, d, L; /* L = columns of W1: 2d (VGAE) or d (GAE) */
    int64_t wa, wc;     /* widths of bufA and bufC */
    int feat;
    int64_t in; /* rows of W0 */
    const sgae_csr *X;
    sgae_csr Xt; /* transpose of X (sparse features) */
    const float *Xd;

    float *w0, *w1;          /* parameters */
    float *g0, *g1;          /* gradients (g0 NULL for the identity) */
    const float *g0p;        /* where the W0 gradient is */
    float *m0, *v0, *m1, *v1; /* Adam moments */
    int64_t step;

    float *bufA, *bufB, *bufC;
    uint64_t *mask; /* n * mw words: ReLU & dropout keep bits of H1 */
    int64_t mw;
    int have_forward; /* forward done, backward pending */
    int64_t epoch;    /* of the last forward */

    int64_t P;        /* positives */
    int neg_perm;     /* 1: negatives from a permutation (see sample.c) */
    int explicit_neg; /* 1: nu/nv hold pairs given by sgae_model_set_negatives */
    int32_t *perm;    /* n: the epoch's random permutation (neg_perm) */
    int64_t r;        /* negatives per node (neg_perm) */
    int64_t ncap;     /* capacity of nu, nv, ns */
    int64_t nneg;     /* negatives held */
    int64_t nneg0;    /* negatives drawn per epoch */
    int32_t *nu, *nv; /* negatives */
    float *ns;        /* scores, then gradients of the negatives */
    sgae_pairmat pm;
    double *cdf; /* n + 1 cumulative (deg+1)^0.75 (neg_degree) */

    double *part;   /* loss partials */
    int64_t npart;
    float *gpart;   /* per-block partial products */
    int64_t nblocks;

    sgae_loss loss;
    double phase[SGAE_PHASE_COUNT];
    int64_t bytes;
    double kl; /* KL term of the last training forward pass (VGAE) */
};

/* Internal steps (model.c / pass.c / sample.c). */
void sgae_model_sample_(sgae_model *m, int64_t epoch);
sgae_status sgae_model_forward_(sgae_model *m, int64_t epoch, int train);

#endif

/*
 * sgae/model.h - the (variational) graph auto-encoder of Kipf & Welling
 * (2016), with hand-written forward and backward passes and a sampled
 * decoder loss whose memory is linear in the number of edges.
 *
 * Encoder (a two-layer GCN with a shared first layer):
 *     H1     = ReLU(Â X W0)                   n x hidden
 *     mu     = Â H1 Wmu                       n x latent
 *     logstd = Â H1 Wsig                      n x latent   (VGAE only)
 * with Â = D^-1/2 (A + I) D^-1/2 of the TRAINING graph (sgae_graph_norm).
 * X is the identity (featureless: X W0 is W0, an n x hidden parameter), a
 * sparse n x dim CSR matrix, or a dense n x dim row-major matrix.
 *
 *     VGAE: Z = mu + eps * exp(min(logstd, max_logstd)),  eps ~ N(0, 1)
 *     GAE:  Z = mu
 *
 * Loss of one epoch (P = undirected training edges, N = sampled negatives):
 *     L = pos_weight/P * sum_{(u,v) in E_train} -log sigmoid(Z_u . Z_v)
 *       + 1/N * sum_{(u,v) negatives} -log(1 - sigmoid(Z_u . Z_v))
 *       + [VGAE] -(0.5/n) * mean_i sum_j (1 + 2 ls_ij - mu_ij^2 - exp(ls_ij)^2)
 *       + weight_decay/2 * (|W0|^2 + |W1|^2)
 * where ls = min(logstd, max_logstd) (the clamp of PyTorch Geometric; its
 * gradient is zero where the clamp is active).  With `self_loops` set, the
 * n pairs (i, i) join the positive term (the paper's target is A + I) and P
 * becomes P + n.  Log-sigmoids are evaluated in the numerically stable form
 * log sigmoid(s) = -(max(-s, 0) + log(1 + exp(-|s|))), sharing exp(-|s|)
 * with the gradient's sigmoid.
 *
 * Negatives (N pairs per epoch, N ~ neg_ratio * P), from the counter-based
 * RNG keyed by (seed, epoch, index), so bit-identical at any thread count.
 * Two samplers:
 *  - permutation (the default): a uniform random permutation pi of the
 *    nodes per epoch (Fisher-Yates, step t keyed by (seed, epoch, t)); the
 *    negatives are (pi[t], pi[(t+k) mod n]) for every t and k = 1..r, with
 *    r = round(neg_ratio * P / n) clamped to 1..n-1, N = n * r.  Every pair
 *    is a uniform non-self pair and every node is in exactly 2r pairs (like
 *    the dense decoder, where each node meets all others).  The pair set's
 *    transpose is known, so each node's gradient row is summed by the
 *    thread that owns it: no pair list, no pair matrix, no scatter, and
 *    only 4 bytes per node.  With `neg_reject`, pairs that are training
 *    edges are skipped (binary search in the sorted row of Â); the
 *    negative term is still divided by N.
 *  - i.i.d. pairs (`neg_iid`, or `neg_degree`): N = round(neg_ratio * P)
 *    pairs, u uniform and v uniform over the other n-1 nodes, or
 *    v ~ (deg + 1)^0.75 (`neg_degree`); with `neg_reject` a pair that is a
 *    training edge is redrawn (after 32 attempts the last draw is kept).
 *    Scores by sgae_pair_scores, gradient by sgae_pairmat_build +
 *    sgae_pair_scatter (44 bytes per pair).
 *
 * Dropout (rate `dropout`, inverted scaling) applies to H1 during training
 * only; the mask is drawn from the RNG keyed by (seed, epoch, element).
 *
 * Parameters (Glorot-uniform initialised from (seed, SGAE_RNG_INIT)):
 *     W0: in x hidden (in = n for the identity, dim otherwise)
 *     W1: hidden x out, out = 2*latent for VGAE (columns 0..latent-1 are Wmu,
 *         latent..2*latent-1 are Wsig; each block initialised as its own
 *         hidden x latent matrix), out = latent for GAE (Wmu).
 * Optimiser: Adam (lr, beta1, beta2, eps) with L2 weight decay added to the
 * gradient (as PyTorch's Adam(weight_decay=)).
 *
 * Determinism: every reduction runs over fixed-size row blocks summed in a
 * fixed order; dense products are OpenBLAS sgemm calls on those blocks with
 * OpenBLAS pinned to one thread while a model call runs (the parallelism
 * is OpenMP's; the caller's OpenBLAS thread count is restored before the
 * call returns, so NumPy in the same process is not slowed down).  The
 * same seed gives the same bits at any OpenMP thread count.
 *
 * Memory: the model keeps three n x max(hidden, 2*latent) float buffers, a
 * bit mask of H1, the parameters with their Adam moments, and the
 * negatives' state (4 bytes per node for the permutation sampler; 44 bytes
 * per pair for i.i.d. pairs); with sparse features also the transpose of X
 * (for dW0 = X^T dXW).  Nothing is allocated per epoch.
 */
#ifndef SGAE_MODEL_H
#define SGAE_MODEL_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/error.h"
#include "sgae/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { SGAE_MODEL_VGAE = 0, SGAE_MODEL_GAE = 1 } sgae_model_kind;

typedef struct {
    sgae_model_kind kind;
    int64_t hidden;     /* default 32 */
    int64_t latent;     /* default 16 */
    double neg_ratio;   /* negatives per positive, > 0 (default 10) */
    int neg_iid;        /* 1: i.i.d. pair list instead of the permutation sampler */
    int neg_degree;     /* 1: v ~ (degree+1)^0.75 instead of uniform (implies neg_iid) */
    int neg_reject;     /* 1 (default): negatives that are training edges are
                         * dropped: skipped by the permutation sampler (the
                         * negative term is still divided by N = n*r),
                         * redrawn by the i.i.d. samplers (up to 32 draws,
                         * then the last is kept) */
    int self_loops;     /* 1: the pairs (i, i) are positives too; < 0 (the
                         * default): on with features, off for the identity
                         * (see the README's accuracy notes) */
    double pos_weight;  /* weight of the positive term (default 1) */
    double lr;          /* Adam learning rate (default 0.01) */
    double beta1, beta2, adam_eps; /* default 0.9, 0.999, 1e-8 */
    double weight_decay; /* L2; < 0 (the default): 5e-4 with features, 0 for
                          * the identity (decay on a per-node table hurts) */
    double dropout;      /* on H1, in [0, 1), default 0 */
    double max_logstd;   /* clamp of logstd, default 10 */
    uint64_t seed;       /* default 1 */
} sgae_model_opts;

/* Fill *o with the defaults listed above. */
SGAE_API void sgae_model_opts_default(sgae_model_opts *o);

/* Negatives per node r of the permutation sampler (see above): for P
 * positive pairs on n >= 2 nodes, floor(neg_ratio * P / n + 0.5) clamped
 * to 1..n-1. */
SGAE_API int64_t sgae_model_negatives_per_node(double neg_ratio, int64_t P, int64_t n);

/* Node features handed to the encoder: at most one of `sparse` (n x dim CSR,
 * float values or pattern) and `dense` (n x dim row-major) is set; neither
 * means the identity.  The model keeps the pointers: the matrices must stay
 * alive (and unchanged) while the model exists. */
typedef struct {
    const sgae_csr *sparse;
    const float *dense;
    int64_t dense_dim;
} sgae_model_input;

typedef struct sgae_model sgae_model;

/* Loss terms of the last sgae_model_grad call. */
typedef struct {
    double total;
    double pos;  /* pos_weight/P * sum -log sigmoid */
    double neg;  /* 1/N * sum -log(1 - sigmoid) */
    double kl;   /* 0 for GAE */
    double l2;   /* weight decay term */
} sgae_loss;

/* Time spent per phase (seconds, summed over calls since creation). */
typedef enum {
    SGAE_PHASE_SAMPLE = 0, /* negative sampling */
    SGAE_PHASE_SPMM,       /* Â products (forward and backward), X^T products */
    SGAE_PHASE_PAIRS,      /* pair scores, losses, pair matrix build, scatter */
    SGAE_PHASE_DENSE,      /* sgemm, reparameterisation, ReLU/dropout, KL */
    SGAE_PHASE_OPTIM,      /* Adam */
    SGAE_PHASE_COUNT
} sgae_phase;

/* Name of a phase: "sample", "spmm", "pairs", "dense", "optim". */
SGAE_API const char *sgae_phase_name(sgae_phase p);

/* Create a model on the training graph `g` (its GCN operator is built here
 * if it is not cached yet; `g` must stay alive).  Errors: SGAE_E_ARG (a
 * graph without edges, hidden/latent < 1, latent > hidden, features whose
 * row count differs from g->n, option out of range), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_model_create(sgae_graph *g, const sgae_model_input *in,
                              const sgae_model_opts *opts, sgae_model **out);
SGAE_API void sgae_model_free(sgae_model *m); /* NULL is fine */

/* Draw the negatives of `epoch` into the model (sgae_model_forward does it
 * when asked; exposed for tests). */
SGAE_API void sgae_model_sample(sgae_model *m, int64_t epoch);

/* The negatives currently held as a pair list (for tests and reference
 * implementations): for the permutation sampler the pairs are materialised
 * (without the rejected ones) into a buffer the model allocates on the first
 * call.  The negative term is (1/N) * sum over these pairs of
 * -log(1 - sigmoid(score)), N = sgae_model_neg_norm.  Errors: SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_model_negatives(sgae_model *m, int64_t *count, const int32_t **u,
                                 const int32_t **v);
SGAE_API int64_t sgae_model_neg_norm(const sgae_model *m);

/* Training forward pass of `epoch` (dropout and, for VGAE, sampled Z with
 * that epoch's noise), the loss, and the decoder's gradient.  If `sample` is
 * nonzero the negatives of `epoch` are drawn first; otherwise the negatives
 * currently held are used (see sgae_model_set_negatives).  Afterwards
 * sgae_model_mu gives this pass's mu.  Errors: SGAE_E_NUMERIC if the loss is
 * not finite (the message names epoch + 1, the 1-based epoch), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_model_forward(sgae_model *m, int64_t epoch, int sample, sgae_loss *loss);

/* mu (n x latent, row-major) of the last forward pass; valid until the next
 * backward pass or model call. */
SGAE_API const float *sgae_model_mu(const sgae_model *m);

/* Backward pass of the last forward pass: gradients of every parameter
 * (sgae_model_grad_ptr).  Errors: SGAE_E_ARG without a forward pass. */
SGAE_API sgae_status sgae_model_backward(sgae_model *m);

/* sgae_model_forward followed by sgae_model_backward. */
SGAE_API sgae_status sgae_model_grad(sgae_model *m, int64_t epoch, int sample, sgae_loss *loss);

/* Replace the negatives by the given pairs (u[k] != v[k], all < n) until the
 * next sampling.  Errors: SGAE_E_ARG, SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_model_set_negatives(sgae_model *m, int64_t count, const int32_t *u,
                                     const int32_t *v);

/* One Adam update with the gradients of the last backward pass. */
SGAE_API void sgae_model_adam(sgae_model *m);

/* Encoder mean mu (n x latent) of the current parameters, evaluation mode
 * (no dropout, no noise).  Returns a pointer into the model valid until the
 * next model call; discards a pending backward pass. */
SGAE_API const float *sgae_model_embed(sgae_model *m);

/* logstd (n x latent) next to the mu of the last forward pass or
 * sgae_model_embed call, with the same lifetime; NULL for GAE. */
SGAE_API const float *sgae_model_logstd(const sgae_model *m);

/* Parameters and their gradients: which = 0 (W0) or 1 (W1); rows and cols
 * receive the shape.  The gradient pointers are valid after
 * sgae_model_backward until the next model call (the identity's W0 gradient
 * lives in a work buffer); they are writable, so a caller may transform the
 * gradients (scale them, sum them across processes) before
 * sgae_model_adam uses them. */
SGAE_API float *sgae_model_param(sgae_model *m, int which, int64_t *rows, int64_t *cols);
SGAE_API float *sgae_model_grad_ptr(sgae_model *m, int which);

/* Adam state: the first (order 1) or second (order 2) moment of parameter
 * `which`, the same shape as sgae_model_param's; writable (restoring a
 * training state writes them).  NULL for a bad which/order. */
SGAE_API float *sgae_model_adam_moment(sgae_model *m, int which, int order);
/* Adam updates applied so far (the bias corrections use it), and setting
 * it when a training state is restored (steps >= 0). */
SGAE_API int64_t sgae_model_adam_steps(const sgae_model *m);
SGAE_API void sgae_model_set_adam_steps(sgae_model *m, int64_t steps);

/* The options the model runs with: the caller's, with every automatic
 * choice (self_loops < 0, weight_decay < 0) resolved. */
SGAE_API const sgae_model_opts *sgae_model_options(const sgae_model *m);

/* The standard normal noise eps[i*latent + c] of `epoch` (Box-Muller on the
 * counter-based RNG); exposed for reference implementations. */
SGAE_API float sgae_model_noise(uint64_t seed, int64_t epoch, int64_t index);
/* z[k] = mu[k] + eps[k] * exp(min(logstd[k], max_logstd)) for k < count,
 * eps the noise of `epoch` (sgae_model_noise): a sample of Z outside
 * training (the trainer's and the snapshots' SGAE_EMB_Z).  z may be mu. */
SGAE_API void sgae_model_sample_z(const float *mu, const float *logstd, int64_t count,
                                  double max_logstd, uint64_t seed, int64_t epoch, float *z);
/* 1 if dropout keeps element index of H1 in `epoch`, for rate p. */
SGAE_API int sgae_model_dropout_keep(uint64_t seed, int64_t epoch, int64_t index, double p);

SGAE_API int64_t sgae_model_latent(const sgae_model *m);
SGAE_API int64_t sgae_model_nodes(const sgae_model *m);
SGAE_API int64_t sgae_model_positives(const sgae_model *m); /* P */
SGAE_API const double *sgae_model_phase_seconds(const sgae_model *m); /* SGAE_PHASE_COUNT values */
SGAE_API int64_t sgae_model_bytes(const sgae_model *m); /* memory the model allocated */

#ifdef __cplusplus
}
#endif
#endif

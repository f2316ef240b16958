/*
 * sgae/train.h - the link-prediction protocol of Kipf & Welling (2016):
 * edge split, training loop with early stopping, evaluation, and writers for
 * the learned embeddings.
 *
 * Protocol:
 *  - the undirected edges of the graph are split by seed into train /
 *    validation / test (floor(E*val) validation and floor(E*test) test
 *    edges, drawn by a partial Fisher-Yates shuffle on the counter-based RNG
 *    (seed, SGAE_RNG_SPLIT));
 *  - validation and test negatives are non-edges of the FULL graph drawn
 *    uniformly (u < v, u != v), as many as positives, distinct from every
 *    edge and from each other (validation and test negatives are disjoint);
 *  - the model is trained on the graph of the training edges (all n nodes
 *    kept); the score of a pair is mu_u . mu_v (the sigmoid is monotone, so
 *    AUC and AP are the same);
 *  - after each epoch's forward pass the validation AUC of that epoch's mu
 *    is computed; the mu of the best validation AUC is kept, and training
 *    stops after `patience` epochs without improvement (0: never); the test
 *    metrics are those of the kept mu.
 */
#ifndef SGAE_TRAIN_H
#define SGAE_TRAIN_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/error.h"
#include "sgae/graph.h"
#include "sgae/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Pairs as two parallel arrays of node ids (u[k] < v[k]). */
typedef struct {
    int64_t count;
    int32_t *u, *v;
} sgae_pairs;

typedef struct {
    int64_t n;
    sgae_pairs train;             /* training edges */
    sgae_pairs val_pos, val_neg;  /* validation edges and non-edges */
    sgae_pairs test_pos, test_neg;
} sgae_split;

/* Split the edges of g.  Errors: SGAE_E_ARG (val or test outside [0, 1),
 * val + test >= 1, a graph without edges, a split that leaves no training
 * edge, or too few non-edges for the negatives), SGAE_E_NOMEM.  On failure
 * *s is left empty. */
SGAE_API sgae_status sgae_split_edges(const sgae_graph *g, double val, double test, uint64_t seed,
                             sgae_split *s);
SGAE_API void sgae_split_clear(sgae_split *s); /* frees the arrays, zeroes the struct */

/* The graph of the training edges on all n nodes of `full`, with a copy of
 * its id map. */
SGAE_API sgae_status sgae_split_train_graph(const sgae_split *s, const sgae_graph *full,
                                   sgae_graph **out);

/* What the training loop reports after each epoch (to opts.progress). */
typedef struct {
    int64_t epoch;      /* 1-based count of finished epochs */
    int64_t epochs;     /* planned */
    double loss;        /* total loss of the epoch */
    double val_auc;     /* of this epoch's mu (NaN if not evaluated) */
    double val_ap;
    double best_val_auc;
    int64_t best_epoch;
    double epoch_seconds; /* forward, loss, backward and Adam of this epoch */
    double elapsed;       /* since training started */
} sgae_epoch_info;

typedef struct {
    sgae_model_opts model;
    int64_t epochs;      /* default 800 */
    int64_t patience;    /* default 0 (off) */
    int64_t eval_every;  /* validate every N epochs (default 1) */
    void (*progress)(void *ctx, const sgae_epoch_info *info); /* optional */
    void *progress_ctx;
} sgae_train_opts;

SGAE_API void sgae_train_opts_default(sgae_train_opts *o);

typedef struct {
    double val_auc, val_ap;   /* of the kept embeddings */
    double test_auc, test_ap; /* of the kept embeddings */
    int64_t epochs;           /* epochs run */
    int64_t best_epoch;       /* epoch of the kept embeddings (0 = initial) */
    double final_loss;
    double epoch_seconds;     /* median over epochs (training step only) */
    double train_seconds;     /* the whole loop, evaluation included */
    double eval_seconds;      /* validation and test scoring */
    double phase_seconds[SGAE_PHASE_COUNT]; /* summed over epochs */
    int64_t model_bytes;
    int64_t n, latent;
    float *embeddings;        /* n x latent, the kept mu; free() it */
} sgae_train_result;

/* Train a model on `train_graph` (from sgae_split_train_graph) and evaluate
 * it on the split.  Errors: those of sgae_model_create; SGAE_E_NUMERIC when
 * the loss turns NaN or infinite (the message names the epoch);
 * SGAE_E_NOMEM.  On failure res->embeddings is NULL. */
SGAE_API sgae_status sgae_train(sgae_graph *train_graph, const sgae_model_input *in,
                       const sgae_split *split, const sgae_train_opts *opts,
                       sgae_train_result *res);

#ifdef __cplusplus
}
#endif
#endif

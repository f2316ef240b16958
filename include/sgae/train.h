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
 * its id map; a weighted `full` (adj.val) gives a weighted graph whose
 * edges keep their weights (the held-out edges leave with theirs), so the
 * encoder's operator is D^-1/2 (W+I) D^-1/2 of the training edges.  The
 * decoder's loss stays unweighted: each training edge is one positive
 * (binary targets, as Kipf & Welling's GAE and PyG's recon_loss). */
SGAE_API sgae_status sgae_split_train_graph(const sgae_split *s, const sgae_graph *full,
                                   sgae_graph **out);

/* What a training step reports (and sgae_train passes to opts.progress). */
typedef struct {
    int64_t epoch;      /* 1-based count of finished epochs */
    int64_t epochs;     /* planned */
    double loss;        /* total loss of the epoch */
    double val_auc;     /* of this epoch's mu (NaN if not evaluated) */
    double val_ap;
    double best_val_auc;
    int64_t best_epoch;
    double epoch_seconds; /* forward, loss, backward and Adam of this epoch */
    double elapsed;       /* since the trainer was created */
} sgae_epoch_info;

/* The gradients handed to a gradient hook: every parameter's gradient
 * buffer, complete (weight decay included) and writable, before the
 * optimiser reads them. */
typedef struct {
    const char *name; /* "w0", "w1" (the parameters of sgae_model_param) */
    float *data;      /* rows x cols, row-major */
    int64_t rows, cols;
} sgae_grad_buffer;

/* Called once per step after the backward pass and before Adam, with the
 * 0-based epoch; a non-OK status aborts the step (no update is applied)
 * and is returned by sgae_trainer_step (set a message with
 * sgae_error_set). */
typedef sgae_status (*sgae_grad_hook_fn)(void *ctx, int64_t epoch, sgae_grad_buffer *grads,
                                         int count);

typedef struct {
    sgae_model_opts model;
    int64_t epochs;      /* the run's total (default 800) */
    int64_t patience;    /* default 0 (off) */
    int64_t eval_every;  /* validate every N epochs (default 1) */
    /* sgae_train only: called after every epoch (optional) */
    void (*progress)(void *ctx, const sgae_epoch_info *info);
    void *progress_ctx;
    /* between the backward pass and Adam (optional) */
    sgae_grad_hook_fn grad_hook;
    void *grad_hook_ctx;
    /* sgae_train only: checked before every epoch; when *interrupt is
     * nonzero the loop stops and returns SGAE_E_INTERRUPTED (optional;
     * a signal handler or another thread may set it) */
    const volatile int *interrupt;
    /* early stopping waits for at least this many epochs (default 50), so
     * a validation AUC that dips before it climbs does not end the run */
    int64_t min_epochs;
} sgae_train_opts;

SGAE_API void sgae_train_opts_default(sgae_train_opts *o);

/* ---- the trainer: a training run driven in steps ------------------------ *
 *
 *   sgae_trainer_create(train_graph, input, split, opts, &t);
 *   while (!sgae_trainer_done(t))
 *       sgae_trainer_step(t, &info);       (one epoch)
 *   sgae_trainer_result(t, &res);          (kept embeddings, test metrics)
 *   sgae_trainer_free(t);
 *
 * A step runs one epoch: negative sampling, forward pass, loss, backward
 * pass, the gradient hook, Adam, and the validation of the epoch when due
 * (every eval_every epochs) which updates the kept ("best") embeddings:
 * with dropout 0 the epoch's own mu, i.e. the parameters after `epoch`
 * updates, is evaluated before the update and kept as epoch `epoch`;
 * with dropout the evaluation-mode mu after the update is kept as epoch
 * `epoch + 1`.  Training is done after opts.epochs steps or when early
 * stopping triggers (patience > 0, at least min_epochs epochs run, and more
 * than `patience` epochs since the kept epoch).  The step that ends the run
 * also validates the parameters after its update (when no validation of
 * them was due), so the last step's best_val_auc is the validation AUC
 * sgae_trainer_result reports.  Every random draw is keyed by (seed, purpose, epoch, index),
 * so the RNG position is the epoch count: the state below is everything a
 * run depends on. */
typedef struct sgae_trainer sgae_trainer;

/* Create a trainer on `train_graph` (from sgae_split_train_graph) for the
 * split `split`; both, and the features of `in`, must stay alive and
 * unchanged while the trainer exists.  Errors: those of sgae_model_create,
 * SGAE_E_ARG (epochs < 0, a split for another node count), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_trainer_create(sgae_graph *train_graph, const sgae_model_input *in,
                                         const sgae_split *split, const sgae_train_opts *opts,
                                         sgae_trainer **out);
SGAE_API void sgae_trainer_free(sgae_trainer *t); /* NULL is fine */

/* One epoch (see above); `info` (optional) receives its figures.
 * Errors: SGAE_E_NUMERIC when the loss is not finite (the message names
 * the epoch), the gradient hook's status, SGAE_E_ARG when the trainer is
 * done.  After an error the trainer's state is that before the step. */
SGAE_API sgae_status sgae_trainer_step(sgae_trainer *t, sgae_epoch_info *info);

/* 1 once opts.epochs epochs ran or early stopping triggered. */
SGAE_API int sgae_trainer_done(const sgae_trainer *t);
/* Epochs run so far (the RNG position). */
SGAE_API int64_t sgae_trainer_epoch(const sgae_trainer *t);

/* The options in force, every default resolved (the model's automatic
 * self_loops and weight_decay filled in; the callbacks as given). */
SGAE_API void sgae_trainer_options(const sgae_trainer *t, sgae_train_opts *out);

/* The model the trainer drives (for its accessors: parameters, phases,
 * bytes); owned by the trainer. */
SGAE_API sgae_model *sgae_trainer_model(sgae_trainer *t);

/* What the trainer was created on (the caller's objects, for snapshots
 * and fingerprints): the training graph, the split and the model input. */
SGAE_API const sgae_graph *sgae_trainer_graph(const sgae_trainer *t);
SGAE_API const sgae_split *sgae_trainer_split(const sgae_trainer *t);
SGAE_API const sgae_model_input *sgae_trainer_input(const sgae_trainer *t);

typedef enum {
    SGAE_EMB_MU = 0,     /* mu of the current parameters (evaluation mode) */
    SGAE_EMB_LOGSTD = 1, /* logstd of the current parameters (VGAE only) */
    SGAE_EMB_Z = 2,      /* mu + eps * exp(min(logstd, max_logstd)) with the
                          * noise eps of the next epoch; mu for GAE */
    SGAE_EMB_BEST = 3    /* the kept embeddings (mu of the best validation
                          * AUC so far; the initial mu before any step) */
} sgae_embedding;

/* The n x latent embeddings `which`, row r = node r; a pointer into the
 * trainer valid until its next call.  Errors: SGAE_E_ARG (LOGSTD of a GAE,
 * an unknown value). */
SGAE_API sgae_status sgae_trainer_embeddings(sgae_trainer *t, sgae_embedding which,
                                             const float **data, int64_t *rows, int64_t *cols);

typedef enum { SGAE_SET_VAL = 0, SGAE_SET_TEST = 1 } sgae_eval_set;

/* ROC-AUC and average precision of the embeddings `which` (MU, Z or BEST)
 * on the validation or test pairs of the split (NaN when the set is
 * empty).  Does not change the training state. */
SGAE_API sgae_status sgae_trainer_evaluate(sgae_trainer *t, sgae_embedding which,
                                           sgae_eval_set set, double *auc, double *ap);

/* ---- training state ------------------------------------------------------ *
 * The training state as named arrays, enumerated by index 0..count-1:
 *   "w0", "w1"                         parameters (float32)
 *   "adam.m0", "adam.v0", "adam.m1", "adam.v1"   Adam moments (float32)
 *   "adam.step"                        Adam updates applied (int64, 1)
 *   "epoch"                            epochs run = RNG position (int64, 1)
 *   "stopped"                          1 if early stopping triggered (int64, 1)
 *   "best.epoch"                       epoch of the kept embeddings, -1 none (int64, 1)
 *   "best.metrics"                     validation AUC, AP of them (float64, 2)
 *   "best.z"                           the kept embeddings (float32, n x latent)
 *   "history"                          per epoch: loss, val AUC, val AP (float64,
 *                                      epochs x 3; NaN where not run/evaluated)
 * Setting every array of one trainer's state into a fresh trainer created
 * with the same graph, split, input and options, then stepping, gives the
 * same bits as the first trainer stepping on. */
typedef enum { SGAE_DTYPE_F32 = 0, SGAE_DTYPE_F64 = 1, SGAE_DTYPE_I64 = 2 } sgae_dtype;

typedef struct {
    const char *name;
    sgae_dtype dtype;
    int64_t rows, cols;
    size_t bytes; /* rows * cols * element size */
} sgae_state_info;

SGAE_API int sgae_trainer_state_count(const sgae_trainer *t);
/* Description of array `index`; SGAE_E_ARG when out of range. */
SGAE_API sgae_status sgae_trainer_state_info(const sgae_trainer *t, int index,
                                             sgae_state_info *info);
/* Index of the array called `name`, or -1. */
SGAE_API int sgae_trainer_state_find(const sgae_trainer *t, const char *name);
/* Read-only view of array `index` (valid until the next trainer call). */
SGAE_API const void *sgae_trainer_state_view(sgae_trainer *t, int index);
/* Copy array `index` out to / in from a caller buffer of exactly
 * info.bytes bytes.  Errors: SGAE_E_ARG (bad index or size; on set, an
 * out-of-range value such as a negative epoch or an epoch beyond
 * opts.epochs). */
SGAE_API sgae_status sgae_trainer_state_get(sgae_trainer *t, int index, void *dst, size_t bytes);
SGAE_API sgae_status sgae_trainer_state_set(sgae_trainer *t, int index, const void *src,
                                            size_t bytes);

/* ---- one call: train and evaluate --------------------------------------- */

typedef struct {
    double val_auc, val_ap;   /* of the kept embeddings */
    double test_auc, test_ap; /* of the kept embeddings (NaN without a test set) */
    int64_t epochs;           /* epochs run */
    int64_t best_epoch;       /* epoch of the kept embeddings (0 = initial) */
    double final_loss;
    double epoch_seconds;     /* median over this process's steps */
    double train_seconds;     /* since the trainer was created, evaluation included */
    double eval_seconds;      /* validation and test scoring */
    double phase_seconds[SGAE_PHASE_COUNT]; /* summed over epochs */
    int64_t model_bytes;
    int64_t n, latent;
    float *embeddings;        /* n x latent, the kept mu; free() it */
} sgae_train_result;

/* The result of the run so far: the current parameters' mu competes with
 * the kept embeddings on validation AUC (it wins without a validation
 * set), the winner is evaluated on the test pairs and copied to
 * res->embeddings.  Does not change the training state.  Errors:
 * SGAE_E_NOMEM (res->embeddings is then NULL). */
SGAE_API sgae_status sgae_trainer_result(sgae_trainer *t, sgae_train_result *res);

/* Train a model on `train_graph` (from sgae_split_train_graph) and evaluate
 * it on the split: sgae_trainer_create, steps until done (reporting each to
 * opts->progress, checking opts->interrupt before each), sgae_trainer_result.
 * Errors: those of sgae_trainer_create and sgae_trainer_step;
 * SGAE_E_INTERRUPTED when *opts->interrupt was set (res then holds the
 * result so far, embeddings included).  On other failures res->embeddings
 * is NULL. */
SGAE_API sgae_status sgae_train(sgae_graph *train_graph, const sgae_model_input *in,
                       const sgae_split *split, const sgae_train_opts *opts,
                       sgae_train_result *res);

#ifdef __cplusplus
}
#endif
#endif

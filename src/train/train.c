/* The training loop: epochs of sampling, forward, loss, backward and Adam;
 * validation AUC for early stopping; test metrics of the kept embeddings. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "sgae/kernels.h"
#include "sgae/metrics.h"
#include "sgae/train.h"

void sgae_train_opts_default(sgae_train_opts *o)
{
    memset(o, 0, sizeof *o);
    sgae_model_opts_default(&o->model);
    o->epochs = 800;
    o->patience = 0;
    o->eval_every = 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* AUC/AP of embeddings Z on a positive and a negative pair list. */
static void eval_pairs(const float *Z, int64_t d, const sgae_pairs *pos, const sgae_pairs *neg,
                       float *sbuf, sgae_scored *work, double *auc, double *ap)
{
    sgae_pair_scores(Z, d, pos->count, pos->u, pos->v, sbuf);
    sgae_pair_scores(Z, d, neg->count, neg->u, neg->v, sbuf + pos->count);
    sgae_auc_ap_work(sbuf, pos->count, sbuf + pos->count, neg->count, work, auc, ap);
}

/* The best validation result so far and the embeddings that gave it. */
typedef struct {
    double auc, ap;
    int64_t epoch;
    float *z; /* n x d copy */
    size_t bytes;
} best_state;

/* Keep mu as the best embeddings when its validation AUC beats the best
 * (always when there is no validation set: the last call wins). */
static void keep_if_better(best_state *b, const float *mu, double auc, double ap,
                           int64_t epoch, int have_val)
{
    if (have_val && !(auc > b->auc))
        return;
    b->auc = auc;
    b->ap = ap;
    b->epoch = epoch;
    memcpy(b->z, mu, b->bytes);
}

sgae_status sgae_train(sgae_graph *train_graph, const sgae_model_input *in,
                       const sgae_split *split, const sgae_train_opts *opts,
                       sgae_train_result *res)
{
    sgae_status st = SGAE_OK;
    sgae_model *m = NULL;
    float *sbuf = NULL;
    best_state b = {-INFINITY, NAN, -1, NULL, 0};
    sgae_scored *work = NULL;
    double *times = NULL;
    sgae_train_opts o;
    if (opts)
        o = *opts;
    else
        sgae_train_opts_default(&o);
    memset(res, 0, sizeof *res);
    res->val_auc = res->val_ap = res->test_auc = res->test_ap = NAN;
    if (o.epochs < 0)
        return sgae_error_set(SGAE_E_ARG, "train: epochs must be >= 0");
    if (o.eval_every < 1)
        o.eval_every = 1;
    if (split->n != train_graph->n)
        return sgae_error_set(SGAE_E_ARG, "train: split for %lld nodes, graph has %lld",
                              (long long)split->n, (long long)train_graph->n);
    double t_start = sgae_now();
    SGAE_CHECK(sgae_model_create(train_graph, in, &o.model, &m));
    const int64_t n = train_graph->n, d = sgae_model_latent(m);
    const int have_val = split->val_pos.count > 0 && split->val_neg.count > 0;
    int64_t nmax = split->val_pos.count + split->val_neg.count;
    if (split->test_pos.count + split->test_neg.count > nmax)
        nmax = split->test_pos.count + split->test_neg.count;
    b.bytes = (size_t)(n * d) * sizeof *b.z;
    b.z = sgae_alloc((size_t)(n * d), sizeof *b.z, "best embeddings");
    sbuf = sgae_alloc((size_t)nmax + 1, sizeof *sbuf, "pair scores");
    work = sgae_alloc((size_t)nmax + 1, sizeof *work, "metric scratch");
    times = sgae_alloc((size_t)o.epochs + 1, sizeof *times, "epoch times");
    if (!b.z || !sbuf || !work || !times) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    const int train_mu_is_eval = o.model.dropout == 0;
    double eval_s = 0;
    int64_t e;
    sgae_loss loss = {0};
    for (e = 0; e < o.epochs; e++) {
        double t0 = sgae_now();
        SGAE_CHECK(sgae_model_forward(m, e, 1, &loss));
        double t1 = sgae_now();
        double vauc = NAN, vap = NAN;
        int due = have_val && (e % o.eval_every == 0);
        if (due && train_mu_is_eval) {
            /* this forward's mu is the evaluation mu of the parameters
             * after e updates */
            const float *mu = sgae_model_mu(m);
            eval_pairs(mu, d, &split->val_pos, &split->val_neg, sbuf, work, &vauc, &vap);
            keep_if_better(&b, mu, vauc, vap, e, 1);
        }
        double t2 = sgae_now();
        SGAE_CHECK(sgae_model_backward(m));
        sgae_model_adam(m);
        double t3 = sgae_now();
        times[e] = (t1 - t0) + (t3 - t2);
        eval_s += t2 - t1;
        if (due && !train_mu_is_eval) {
            double t4 = sgae_now();
            const float *mu = sgae_model_embed(m);
            eval_pairs(mu, d, &split->val_pos, &split->val_neg, sbuf, work, &vauc, &vap);
            keep_if_better(&b, mu, vauc, vap, e + 1, 1);
            eval_s += sgae_now() - t4;
        }
        if (o.progress) {
            sgae_epoch_info info = {e + 1,  o.epochs, loss.total, vauc,
                                    vap,    b.auc,    b.epoch,    times[e],
                                    sgae_now() - t_start};
            o.progress(o.progress_ctx, &info);
        }
        if (o.patience > 0 && b.epoch >= 0 && e + 1 - b.epoch > o.patience) {
            e++;
            break;
        }
    }
    res->epochs = e;
    res->final_loss = loss.total;
    {
        /* the parameters after the last update */
        double t4 = sgae_now();
        const float *mu = sgae_model_embed(m);
        double vauc = NAN, vap = NAN;
        if (have_val)
            eval_pairs(mu, d, &split->val_pos, &split->val_neg, sbuf, work, &vauc, &vap);
        keep_if_better(&b, mu, vauc, vap, e, have_val);
        eval_pairs(b.z, d, &split->test_pos, &split->test_neg, sbuf, work, &res->test_auc,
                   &res->test_ap);
        eval_s += sgae_now() - t4;
    }
    res->val_auc = b.auc;
    res->val_ap = b.ap;
    res->best_epoch = b.epoch;
    res->eval_seconds = eval_s;
    if (e > 0) {
        qsort(times, (size_t)e, sizeof *times, cmp_double);
        res->epoch_seconds = (e % 2) ? times[e / 2] : 0.5 * (times[e / 2 - 1] + times[e / 2]);
    }
    memcpy(res->phase_seconds, sgae_model_phase_seconds(m), sizeof res->phase_seconds);
    res->model_bytes = sgae_model_bytes(m);
    res->n = n;
    res->latent = d;
    res->train_seconds = sgae_now() - t_start;
    res->embeddings = b.z;
    b.z = NULL;
done:
    sgae_model_free(m);
    free(b.z);
    free(sbuf);
    free(work);
    free(times);
    return st;
}

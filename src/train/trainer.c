/* The trainer: a training run as an object driven in steps (one epoch
 * each), with its evaluation, embeddings, gradient hook and the training
 * state as named arrays; sgae_train is a short loop over it. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "sgae/kernels.h"
#include "sgae/metrics.h"
#include "sgae/train.h"

struct sgae_trainer {
    sgae_train_opts o; /* resolved */
    sgae_model *m;
    const sgae_split *split;
    const sgae_graph *g;
    sgae_model_input in;
    int64_t n, d;
    int have_val;
    int team; /* threads the run's parallel regions use at most (team_size) */

    /* training state besides the model's parameters and Adam moments */
    int64_t epoch;      /* epochs run: the RNG position */
    int64_t stopped;    /* early stopping triggered */
    int64_t best_epoch; /* -1: nothing kept yet */
    double best_m[2];   /* validation AUC, AP of best_z */
    float *best_z;      /* n x d */
    double *hist;       /* epochs x 3: loss, val AUC, val AP */
    int64_t step_view;  /* scratch for the "adam.step" view */

    /* scratch and figures of this process (not state) */
    float *sbuf;         /* pair scores */
    sgae_scored *work;   /* metric scratch */
    float *zbuf;         /* n x d, SGAE_EMB_Z (allocated on first use) */
    double *times;       /* per epoch, NaN where not run by this process */
    double last_loss;
    double t_create, eval_s;
    /* the epoch whose final parameters were already embedded, validated and
     * offered to keep_if_better (-1: none); any state_set clears it, so a
     * restore never reuses it */
    int64_t final_eval_epoch;
};

static int team_size(const sgae_graph *g, const sgae_model_opts *mo);
static int team_enter(const sgae_trainer *t);
static void team_leave(int prev);

void sgae_train_opts_default(sgae_train_opts *o)
{
    memset(o, 0, sizeof *o);
    sgae_model_opts_default(&o->model);
    o->epochs = 800;
    o->patience = 0;
    o->eval_every = 1;
    o->min_epochs = 50;
}

void sgae_trainer_free(sgae_trainer *t)
{
    if (!t)
        return;
    sgae_model_free(t->m);
    SGAE_FREE_ALL(t->best_z, t->hist, t->sbuf, t->work, t->zbuf, t->times, t);
}

sgae_status sgae_trainer_create(sgae_graph *train_graph, const sgae_model_input *in,
                                const sgae_split *split, const sgae_train_opts *opts,
                                sgae_trainer **out)
{
    sgae_status st = SGAE_OK;
    sgae_trainer *t = NULL;
    *out = NULL;
    double t_start = sgae_now();
    sgae_train_opts o;
    if (opts)
        o = *opts;
    else
        sgae_train_opts_default(&o);
    if (o.epochs < 0)
        return sgae_error_set(SGAE_E_ARG, "train: epochs must be >= 0");
    if (o.patience < 0)
        return sgae_error_set(SGAE_E_ARG, "train: patience must be >= 0");
    if (o.min_epochs < 0)
        return sgae_error_set(SGAE_E_ARG, "train: min_epochs must be >= 0");
    if (o.eval_every < 1)
        o.eval_every = 1;
    if (!split || !train_graph || split->n != train_graph->n)
        return sgae_error_set(SGAE_E_ARG, "train: split for %lld nodes, graph has %lld",
                              split ? (long long)split->n : 0LL,
                              train_graph ? (long long)train_graph->n : 0LL);
    t = sgae_calloc(1, sizeof *t, "trainer");
    if (!t)
        return SGAE_E_NOMEM;
    t->t_create = t_start;
    t->split = split;
    t->g = train_graph;
    if (in)
        t->in = *in;
    t->team = team_size(train_graph, &o.model);
    {
        int prev = team_enter(t);
        st = sgae_model_create(train_graph, in, &o.model, &t->m);
        team_leave(prev);
        SGAE_CHECK(st);
    }
    o.model = *sgae_model_options(t->m);
    t->o = o;
    t->n = train_graph->n;
    t->d = sgae_model_latent(t->m);
    t->have_val = split->val_pos.count > 0 && split->val_neg.count > 0;
    t->best_epoch = -1;
    t->final_eval_epoch = -1;
    t->best_m[0] = -INFINITY;
    t->best_m[1] = NAN;
    int64_t nmax = split->val_pos.count + split->val_neg.count;
    if (split->test_pos.count + split->test_neg.count > nmax)
        nmax = split->test_pos.count + split->test_neg.count;
    t->best_z = sgae_calloc((size_t)(t->n * t->d), sizeof *t->best_z, "best embeddings");
    t->sbuf = sgae_alloc((size_t)nmax + 1, sizeof *t->sbuf, "pair scores");
    t->work = sgae_alloc((size_t)nmax + 1, sizeof *t->work, "metric scratch");
    t->times = sgae_alloc((size_t)o.epochs + 1, sizeof *t->times, "epoch times");
    t->hist = sgae_alloc((size_t)o.epochs * 3 + 1, sizeof *t->hist, "metric history");
    if (!t->best_z || !t->sbuf || !t->work || !t->times || !t->hist) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    for (int64_t e = 0; e < o.epochs; e++) {
        t->times[e] = NAN;
        t->hist[3 * e] = t->hist[3 * e + 1] = t->hist[3 * e + 2] = NAN;
    }
    t->last_loss = NAN;
    *out = t;
    t = NULL;
done:
    sgae_trainer_free(t);
    return st;
}

int sgae_trainer_done(const sgae_trainer *t) { return t->stopped || t->epoch >= t->o.epochs; }
int64_t sgae_trainer_epoch(const sgae_trainer *t) { return t->epoch; }
void sgae_trainer_options(const sgae_trainer *t, sgae_train_opts *out) { *out = t->o; }
sgae_model *sgae_trainer_model(sgae_trainer *t) { return t->m; }
const sgae_graph *sgae_trainer_graph(const sgae_trainer *t) { return t->g; }
const sgae_split *sgae_trainer_split(const sgae_trainer *t) { return t->split; }
const sgae_model_input *sgae_trainer_input(const sgae_trainer *t) { return &t->in; }

/* AUC/AP of embeddings Z on a positive and a negative pair list. */
static void eval_pairs(sgae_trainer *t, const float *Z, const sgae_pairs *pos,
                       const sgae_pairs *neg, double *auc, double *ap)
{
    sgae_pair_scores(Z, t->d, pos->count, pos->u, pos->v, t->sbuf);
    sgae_pair_scores(Z, t->d, neg->count, neg->u, neg->v, t->sbuf + pos->count);
    sgae_auc_ap_work(t->sbuf, pos->count, t->sbuf + pos->count, neg->count, t->work, auc, ap);
}

static void eval_val(sgae_trainer *t, const float *Z, double *auc, double *ap)
{
    eval_pairs(t, Z, &t->split->val_pos, &t->split->val_neg, auc, ap);
}

/* Keep mu as the best embeddings when its validation AUC beats the best. */
static void keep_if_better(sgae_trainer *t, const float *mu, double auc, double ap,
                           int64_t epoch)
{
    if (!(auc > t->best_m[0]))
        return;
    t->best_m[0] = auc;
    t->best_m[1] = ap;
    t->best_epoch = epoch;
    memcpy(t->best_z, mu, (size_t)(t->n * t->d) * sizeof *t->best_z);
}

/* The gradient hook with every gradient buffer of the model. */
static sgae_status run_grad_hook(sgae_trainer *t, int64_t epoch)
{
    if (!t->o.grad_hook)
        return SGAE_OK;
    sgae_grad_buffer g[2];
    for (int w = 0; w < 2; w++) {
        g[w].name = w ? "w1" : "w0";
        sgae_model_param(t->m, w, &g[w].rows, &g[w].cols);
        g[w].data = sgae_model_grad_ptr(t->m, w);
    }
    return t->o.grad_hook(t->o.grad_hook_ctx, epoch, g, 2);
}

/* ---- threads for small graphs ---------------------------------------------
 * An epoch runs about 30 parallel regions.  On a small graph each is a few
 * microseconds of work, so its cost is the fork and the barrier; on a busy
 * machine, where a team member is often descheduled, the waiting threads
 * spin (libgomp's default wait policy) and an epoch at 2 threads took
 * several times as long as at 1 (bench/README.md, "Threads on a busy
 * machine").  So the run uses one thread per TEAM_WORK units of per-epoch
 * work (edge-and-node flops of the first layer plus the decoder's pairs),
 * at least one, at most OpenMP's count.  Results are bit-identical at any
 * thread count, so this changes speed only. */
#define TEAM_WORK ((int64_t)1 << 23)

static int team_size(const sgae_graph *g, const sgae_model_opts *mo)
{
    int64_t e = sgae_graph_edges(g);
    double work = (double)(g->n + 2 * e) * (double)mo->hidden +
                  (double)e * (1.0 + mo->neg_ratio) * (double)mo->latent;
    double k = work / (double)TEAM_WORK;
    int max = SGAE_NTHREADS();
    return k < 1 ? 1 : k >= max ? max : (int)k;
}

/* Run the next parallel regions on at most t->team threads; returns the
 * setting to restore with team_leave. */
static int team_enter(const sgae_trainer *t)
{
    int prev = SGAE_NTHREADS();
#ifdef _OPENMP
    if (t->team < prev)
        omp_set_num_threads(t->team);
#endif
    return prev;
}

static void team_leave(int prev)
{
#ifdef _OPENMP
    if (omp_get_max_threads() != prev)
        omp_set_num_threads(prev);
#else
    (void)prev;
#endif
}

/* The public entry points below run their body (the static function of
 * the same name without the sgae_ prefix) inside the trainer's team. */
#define SGAE_IN_TEAM(t, call)                                                               \
    do {                                                                                   \
        int prev_ = team_enter(t);                                                         \
        sgae_status st_ = (call);                                                          \
        team_leave(prev_);                                                                 \
        return st_;                                                                        \
    } while (0)

static sgae_status trainer_step(sgae_trainer *t, sgae_epoch_info *info);

sgae_status sgae_trainer_step(sgae_trainer *t, sgae_epoch_info *info)
{
    SGAE_IN_TEAM(t, trainer_step(t, info));
}

static sgae_status trainer_step(sgae_trainer *t, sgae_epoch_info *info)
{
    sgae_status st = SGAE_OK;
    if (sgae_trainer_done(t))
        return sgae_error_set(SGAE_E_ARG, "train: the run is done (%lld of %lld epochs%s)",
                              (long long)t->epoch, (long long)t->o.epochs,
                              t->stopped ? ", stopped early" : "");
    const int64_t e = t->epoch;
    const int train_mu_is_eval = t->o.model.dropout == 0;
    const int due = t->have_val && (e % t->o.eval_every == 0);
    sgae_loss loss = {0};
    double vauc = NAN, vap = NAN;
    double t0 = sgae_now();
    SGAE_CHECK(sgae_model_forward(t->m, e, 1, &loss));
    double t1 = sgae_now();
    if (due && train_mu_is_eval) {
        /* this forward's mu is the evaluation mu of the parameters after
         * e updates */
        const float *mu = sgae_model_mu(t->m);
        eval_val(t, mu, &vauc, &vap);
        keep_if_better(t, mu, vauc, vap, e);
    }
    double t2 = sgae_now();
    SGAE_CHECK(sgae_model_backward(t->m));
    SGAE_CHECK(run_grad_hook(t, e));
    sgae_model_adam(t->m);
    double t3 = sgae_now();
    t->times[e] = (t1 - t0) + (t3 - t2);
    t->eval_s += t2 - t1;
    if (due && !train_mu_is_eval) {
        double t4 = sgae_now();
        const float *mu = sgae_model_embed(t->m);
        eval_val(t, mu, &vauc, &vap);
        keep_if_better(t, mu, vauc, vap, e + 1);
        t->final_eval_epoch = e + 1;
        t->eval_s += sgae_now() - t4;
    }
    t->hist[3 * e] = loss.total;
    t->hist[3 * e + 1] = vauc;
    t->hist[3 * e + 2] = vap;
    t->last_loss = loss.total;
    t->epoch = e + 1;
    if (t->o.patience > 0 && t->best_epoch >= 0 && e + 1 >= t->o.min_epochs &&
        e + 1 - t->best_epoch > t->o.patience)
        t->stopped = 1;
    if (sgae_trainer_done(t) && t->have_val && !(due && !train_mu_is_eval)) {
        /* the last update's parameters compete too (as in the result), so
         * the best reported now is the one the summary gives */
        double t4 = sgae_now(), fa, fp;
        const float *mu = sgae_model_embed(t->m);
        eval_val(t, mu, &fa, &fp);
        keep_if_better(t, mu, fa, fp, e + 1);
        t->final_eval_epoch = e + 1;
        t->eval_s += sgae_now() - t4;
    }
    if (info) {
        info->epoch = e + 1;
        info->epochs = t->o.epochs;
        info->loss = loss.total;
        info->val_auc = vauc;
        info->val_ap = vap;
        info->best_val_auc = t->best_m[0];
        info->best_epoch = t->best_epoch;
        info->epoch_seconds = t->times[e];
        info->elapsed = sgae_now() - t->t_create;
    }
done:
    return st;
}

/* z = mu + eps * exp(min(logstd, max_logstd)) with the next epoch's noise. */
static sgae_status make_z(sgae_trainer *t, const float **out)
{
    const float *mu = sgae_model_embed(t->m);
    const float *ls = sgae_model_logstd(t->m);
    if (!ls) {
        *out = mu;
        return SGAE_OK;
    }
    const int64_t nd = t->n * t->d;
    if (!t->zbuf) {
        t->zbuf = sgae_alloc_aligned((size_t)nd, sizeof *t->zbuf, "sampled embeddings");
        if (!t->zbuf)
            return SGAE_E_NOMEM;
    }
    sgae_model_sample_z(mu, ls, nd, t->o.model.max_logstd, t->o.model.seed, t->epoch, t->zbuf);
    *out = t->zbuf;
    return SGAE_OK;
}

sgae_status sgae_trainer_embeddings(sgae_trainer *t, sgae_embedding which, const float **data,
                                    int64_t *rows, int64_t *cols)
{
    sgae_status st = SGAE_OK;
    *data = NULL;
    if (rows)
        *rows = t->n;
    if (cols)
        *cols = t->d;
    switch (which) {
    case SGAE_EMB_MU:
        *data = sgae_model_embed(t->m);
        break;
    case SGAE_EMB_LOGSTD:
        if (t->o.model.kind != SGAE_MODEL_VGAE)
            return sgae_error_set(SGAE_E_ARG, "train: a GAE has no logstd");
        sgae_model_embed(t->m);
        *data = sgae_model_logstd(t->m);
        break;
    case SGAE_EMB_Z:
        st = make_z(t, data);
        break;
    case SGAE_EMB_BEST:
        *data = t->best_epoch >= 0 ? t->best_z : sgae_model_embed(t->m);
        break;
    default:
        return sgae_error_set(SGAE_E_ARG, "train: unknown embedding kind %d", (int)which);
    }
    return st;
}

sgae_status sgae_trainer_evaluate(sgae_trainer *t, sgae_embedding which, sgae_eval_set set,
                                  double *auc, double *ap)
{
    sgae_status st = SGAE_OK;
    const float *z = NULL;
    *auc = *ap = NAN;
    if (which == SGAE_EMB_LOGSTD)
        return sgae_error_set(SGAE_E_ARG, "train: logstd is not an embedding to evaluate");
    if (set != SGAE_SET_VAL && set != SGAE_SET_TEST)
        return sgae_error_set(SGAE_E_ARG, "train: unknown evaluation set %d", (int)set);
    int prev = team_enter(t);
    double t0 = sgae_now();
    SGAE_CHECK(sgae_trainer_embeddings(t, which, &z, NULL, NULL));
    const sgae_split *s = t->split;
    if (set == SGAE_SET_VAL && t->have_val)
        eval_val(t, z, auc, ap);
    else if (set == SGAE_SET_TEST && s->test_pos.count > 0 && s->test_neg.count > 0)
        eval_pairs(t, z, &s->test_pos, &s->test_neg, auc, ap);
    t->eval_s += sgae_now() - t0;
done:
    team_leave(prev);
    return st;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median of the epoch times this process measured (0 if none). */
static double median_epoch_seconds(const sgae_trainer *t)
{
    int64_t c = 0;
    for (int64_t e = 0; e < t->epoch; e++)
        if (!isnan(t->times[e]))
            c++;
    if (c == 0)
        return 0;
    double *v = sgae_alloc((size_t)c, sizeof *v, "epoch times");
    if (!v)
        return NAN;
    c = 0;
    for (int64_t e = 0; e < t->epoch; e++)
        if (!isnan(t->times[e]))
            v[c++] = t->times[e];
    qsort(v, (size_t)c, sizeof *v, cmp_double);
    double med = (c % 2) ? v[c / 2] : 0.5 * (v[c / 2 - 1] + v[c / 2]);
    free(v);
    return med;
}

static sgae_status trainer_result(sgae_trainer *t, sgae_train_result *res);

sgae_status sgae_trainer_result(sgae_trainer *t, sgae_train_result *res)
{
    SGAE_IN_TEAM(t, trainer_result(t, res));
}

static sgae_status trainer_result(sgae_trainer *t, sgae_train_result *res)
{
    memset(res, 0, sizeof *res);
    res->val_auc = res->val_ap = res->test_auc = res->test_ap = NAN;
    double t4 = sgae_now();
    /* the parameters after the last update compete with the kept ones;
     * when the last step already did that (validation after the final
     * update), best_z is the winner and the forward pass is not repeated */
    const int done_before = t->have_val && t->final_eval_epoch == t->epoch;
    const float *mu = done_before ? NULL : sgae_model_embed(t->m);
    double vauc = NAN, vap = NAN;
    if (t->have_val && !done_before)
        eval_val(t, mu, &vauc, &vap);
    const int current = !done_before && (!t->have_val || vauc > t->best_m[0]);
    const float *win = current ? mu : t->best_z;
    size_t cnt = (size_t)(t->n * t->d);
    res->embeddings = sgae_alloc(cnt, sizeof *res->embeddings, "embeddings");
    if (!res->embeddings)
        return SGAE_E_NOMEM;
    memcpy(res->embeddings, win, cnt * sizeof *res->embeddings);
    eval_pairs(t, res->embeddings, &t->split->test_pos, &t->split->test_neg, &res->test_auc,
               &res->test_ap);
    t->eval_s += sgae_now() - t4;
    res->val_auc = current ? vauc : t->best_m[0];
    res->val_ap = current ? vap : t->best_m[1];
    res->best_epoch = current ? t->epoch : t->best_epoch;
    res->epochs = t->epoch;
    res->final_loss = t->last_loss;
    res->eval_seconds = t->eval_s;
    res->epoch_seconds = median_epoch_seconds(t);
    memcpy(res->phase_seconds, sgae_model_phase_seconds(t->m), sizeof res->phase_seconds);
    res->model_bytes = sgae_model_bytes(t->m);
    res->n = t->n;
    res->latent = t->d;
    res->train_seconds = sgae_now() - t->t_create;
    return SGAE_OK;
}

/* ---- training state ------------------------------------------------------ */

enum {
    ST_W0, ST_W1, ST_M0, ST_V0, ST_M1, ST_V1, ST_STEP, ST_EPOCH, ST_STOPPED, ST_BEST_EPOCH,
    ST_BEST_METRICS, ST_BEST_Z, ST_HISTORY, ST_COUNT
};

static const char *const state_names[ST_COUNT] = {
    "w0", "w1", "adam.m0", "adam.v0", "adam.m1", "adam.v1", "adam.step", "epoch",
    "stopped", "best.epoch", "best.metrics", "best.z", "history"};

/* Shape, type and storage of state array `idx`. */
static void *state_entry(sgae_trainer *t, int idx, sgae_state_info *info)
{
    int64_t r0, c0, r1, c1;
    float *w0 = sgae_model_param(t->m, 0, &r0, &c0);
    float *w1 = sgae_model_param(t->m, 1, &r1, &c1);
    void *p = NULL;
    sgae_dtype ty = SGAE_DTYPE_F32;
    int64_t rows = 1, cols = 1;
    switch (idx) {
    case ST_W0: p = w0; rows = r0; cols = c0; break;
    case ST_W1: p = w1; rows = r1; cols = c1; break;
    case ST_M0: p = sgae_model_adam_moment(t->m, 0, 1); rows = r0; cols = c0; break;
    case ST_V0: p = sgae_model_adam_moment(t->m, 0, 2); rows = r0; cols = c0; break;
    case ST_M1: p = sgae_model_adam_moment(t->m, 1, 1); rows = r1; cols = c1; break;
    case ST_V1: p = sgae_model_adam_moment(t->m, 1, 2); rows = r1; cols = c1; break;
    case ST_STEP:
        t->step_view = sgae_model_adam_steps(t->m);
        p = &t->step_view;
        ty = SGAE_DTYPE_I64;
        break;
    case ST_EPOCH: p = &t->epoch; ty = SGAE_DTYPE_I64; break;
    case ST_STOPPED: p = &t->stopped; ty = SGAE_DTYPE_I64; break;
    case ST_BEST_EPOCH: p = &t->best_epoch; ty = SGAE_DTYPE_I64; break;
    case ST_BEST_METRICS: p = t->best_m; ty = SGAE_DTYPE_F64; cols = 2; break;
    case ST_BEST_Z: p = t->best_z; rows = t->n; cols = t->d; break;
    case ST_HISTORY: p = t->hist; ty = SGAE_DTYPE_F64; rows = t->o.epochs; cols = 3; break;
    default: return NULL;
    }
    if (info) {
        info->name = state_names[idx];
        info->dtype = ty;
        info->rows = rows;
        info->cols = cols;
        info->bytes = (size_t)rows * (size_t)cols * (ty == SGAE_DTYPE_F32 ? 4u : 8u);
    }
    return p;
}

int sgae_trainer_state_count(const sgae_trainer *t)
{
    (void)t;
    return ST_COUNT;
}

sgae_status sgae_trainer_state_info(const sgae_trainer *t, int index, sgae_state_info *info)
{
    if (index < 0 || index >= ST_COUNT)
        return sgae_error_set(SGAE_E_ARG, "train: no state array %d (there are %d)", index,
                              ST_COUNT);
    state_entry((sgae_trainer *)t, index, info);
    return SGAE_OK;
}

int sgae_trainer_state_find(const sgae_trainer *t, const char *name)
{
    (void)t;
    for (int k = 0; k < ST_COUNT; k++)
        if (strcmp(state_names[k], name) == 0)
            return k;
    return -1;
}

const void *sgae_trainer_state_view(sgae_trainer *t, int index)
{
    if (index < 0 || index >= ST_COUNT)
        return NULL;
    return state_entry(t, index, NULL);
}

static sgae_status state_access(sgae_trainer *t, int index, size_t bytes,
                                sgae_state_info *info, void **p)
{
    if (index < 0 || index >= ST_COUNT)
        return sgae_error_set(SGAE_E_ARG, "train: no state array %d (there are %d)", index,
                              ST_COUNT);
    *p = state_entry(t, index, info);
    if (bytes != info->bytes)
        return sgae_error_set(SGAE_E_ARG, "train: state array %s has %zu bytes, not %zu",
                              info->name, info->bytes, bytes);
    return SGAE_OK;
}

sgae_status sgae_trainer_state_get(sgae_trainer *t, int index, void *dst, size_t bytes)
{
    sgae_state_info info = {0};
    void *p = NULL;
    sgae_status st = state_access(t, index, bytes, &info, &p);
    if (st == SGAE_OK)
        memcpy(dst, p, bytes);
    return st;
}

sgae_status sgae_trainer_state_set(sgae_trainer *t, int index, const void *src, size_t bytes)
{
    sgae_state_info info = {0};
    void *p = NULL;
    sgae_status st = state_access(t, index, bytes, &info, &p);
    if (st)
        return st;
    t->final_eval_epoch = -1;
    if (info.dtype == SGAE_DTYPE_I64) {
        int64_t v;
        memcpy(&v, src, sizeof v);
        int ok = index == ST_EPOCH        ? v >= 0 && v <= t->o.epochs
                 : index == ST_STEP       ? v >= 0
                 : index == ST_STOPPED    ? v == 0 || v == 1
                 : index == ST_BEST_EPOCH ? v >= -1 && v <= t->o.epochs
                                          : 1;
        if (!ok)
            return sgae_error_set(SGAE_E_ARG, "train: state %s = %lld is out of range",
                                  info.name, (long long)v);
        if (index == ST_STEP) {
            sgae_model_set_adam_steps(t->m, v);
            return SGAE_OK;
        }
    }
    memcpy(p, src, bytes);
    return SGAE_OK;
}

/* ---- one call ------------------------------------------------------------ */

sgae_status sgae_train(sgae_graph *train_graph, const sgae_model_input *in,
                       const sgae_split *split, const sgae_train_opts *opts,
                       sgae_train_result *res)
{
    sgae_status st = SGAE_OK;
    sgae_trainer *t = NULL;
    sgae_train_opts o;
    int interrupted = 0;
    memset(res, 0, sizeof *res);
    res->val_auc = res->val_ap = res->test_auc = res->test_ap = NAN;
    SGAE_CHECK(sgae_trainer_create(train_graph, in, split, opts, &t));
    sgae_trainer_options(t, &o);
    while (!sgae_trainer_done(t)) {
        if (o.interrupt && *o.interrupt) {
            interrupted = 1;
            break;
        }
        sgae_epoch_info info;
        SGAE_CHECK(sgae_trainer_step(t, &info));
        if (o.progress)
            o.progress(o.progress_ctx, &info);
    }
    SGAE_CHECK(sgae_trainer_result(t, res));
    if (interrupted)
        st = sgae_error_set(SGAE_E_INTERRUPTED, "train: interrupted after epoch %lld of %lld",
                            (long long)sgae_trainer_epoch(t), (long long)o.epochs);
done:
    sgae_trainer_free(t);
    return st;
}

/* The trainer object on Cora (shipped data):
 *  - stop after 10 epochs, copy the state into a fresh trainer, run 10 more:
 *    the same bits as 20 uninterrupted epochs (permutation and i.i.d.
 *    samplers, VGAE and GAE, with and without features, with dropout);
 *  - the gradient hook sees complete gradients before Adam (a zero hook
 *    freezes the parameters, a failing hook aborts the step, recorded
 *    gradients equal a direct backward pass);
 *  - nothing is allocated per epoch; resolved options; embeddings kinds;
 *    state validation; the interrupt flag of sgae_train;
 *  - the caller's OpenBLAS thread count survives training;
 *  - allocation failure at every allocation of trainer creation. */
#include <cblas.h>
#include <omp.h>

#include "testutil.h"

/* Copy every state array of `from` into `to`. */
static void copy_state(sgae_trainer *from, sgae_trainer *to)
{
    int n = sgae_trainer_state_count(from);
    CHECK_INT(n, sgae_trainer_state_count(to));
    for (int k = 0; k < n; k++) {
        sgae_state_info a, b;
        CHECK_OK(sgae_trainer_state_info(from, k, &a));
        CHECK_OK(sgae_trainer_state_info(to, k, &b));
        CHECK_MSG(strcmp(a.name, b.name) == 0 && a.bytes == b.bytes, "state %d: %s vs %s", k,
                  a.name, b.name);
        void *buf = malloc(a.bytes ? a.bytes : 1);
        CHECK_OK(sgae_trainer_state_get(from, k, buf, a.bytes));
        CHECK_OK(sgae_trainer_state_set(to, k, buf, a.bytes));
        free(buf);
    }
}

/* 1 if every state array and the result embeddings agree bitwise. */
static int same_state(sgae_trainer *a, sgae_trainer *b, const char *what)
{
    int ok = 1;
    for (int k = 0; k < sgae_trainer_state_count(a); k++) {
        sgae_state_info ia;
        CHECK_OK(sgae_trainer_state_info(a, k, &ia));
        const void *va = sgae_trainer_state_view(a, k), *vb = sgae_trainer_state_view(b, k);
        if (memcmp(va, vb, ia.bytes) != 0) {
            fprintf(stderr, "%s: state %s differs\n", what, ia.name);
            ok = 0;
        }
    }
    sgae_train_result ra, rb;
    CHECK_OK(sgae_trainer_result(a, &ra));
    CHECK_OK(sgae_trainer_result(b, &rb));
    if (!ra.embeddings || !rb.embeddings ||
        memcmp(ra.embeddings, rb.embeddings, sizeof(float) * (size_t)(ra.n * ra.latent)) ||
        memcmp(&ra.test_auc, &rb.test_auc, sizeof ra.test_auc) ||
        memcmp(&ra.val_auc, &rb.val_auc, sizeof ra.val_auc) || ra.best_epoch != rb.best_epoch ||
        memcmp(&ra.final_loss, &rb.final_loss, sizeof ra.final_loss)) {
        fprintf(stderr, "%s: results differ (test AUC %.17g vs %.17g)\n", what, ra.test_auc,
                rb.test_auc);
        ok = 0;
    }
    free(ra.embeddings);
    free(rb.embeddings);
    return ok;
}

static void resume_case(t_cora *c, const char *name, int features, sgae_model_kind kind,
                        int iid, double dropout)
{
    sgae_model_input in = t_cora_input(c, features);
    sgae_train_opts o = t_train_opts(20);
    o.model.kind = kind;
    o.model.neg_iid = iid;
    o.model.dropout = dropout;
    sgae_trainer *full = NULL, *first = NULL, *second = NULL;
    if (!t_cora_trainers(c, &in, &o, 10, &full, &first, &second))
        goto done;
    /* evaluation and reading embeddings between steps change nothing */
    double auc, ap;
    const float *z;
    CHECK_OK(sgae_trainer_evaluate(first, SGAE_EMB_MU, SGAE_SET_VAL, &auc, &ap));
    CHECK_OK(sgae_trainer_embeddings(first, SGAE_EMB_Z, &z, NULL, NULL));
    copy_state(first, second);
    CHECK_INT(sgae_trainer_epoch(second), 10);
    while (!sgae_trainer_done(second))
        CHECK_OK(sgae_trainer_step(second, NULL));
    CHECK_INT(sgae_trainer_epoch(second), 20);
    CHECK_MSG(same_state(full, second, name), "%s: 10 + restore + 10 != 20 epochs", name);
    /* and the trainer that was copied from goes on identically too */
    while (!sgae_trainer_done(first))
        CHECK_OK(sgae_trainer_step(first, NULL));
    CHECK_MSG(same_state(full, first, name), "%s: 10 + 10 != 20 epochs", name);
done:
    sgae_trainer_free(full);
    sgae_trainer_free(first);
    sgae_trainer_free(second);
}

/* ---- gradient hook ------------------------------------------------------- */

typedef struct {
    float scale;
    int calls;
    int fail;
    float *copy[2];
    int64_t count[2];
} hook_ctx;

static sgae_status hook(void *vctx, int64_t epoch, sgae_grad_buffer *g, int count)
{
    hook_ctx *h = vctx;
    (void)epoch;
    h->calls++;
    if (h->fail)
        return sgae_error_set(SGAE_E_ARG, "hook refused epoch %lld", (long long)epoch);
    CHECK_INT(count, 2);
    for (int w = 0; w < count; w++) {
        int64_t cnt = g[w].rows * g[w].cols;
        if (h->copy[w] == NULL) {
            h->copy[w] = malloc(sizeof(float) * (size_t)cnt);
            memcpy(h->copy[w], g[w].data, sizeof(float) * (size_t)cnt);
            h->count[w] = cnt;
        }
        for (int64_t k = 0; k < cnt; k++)
            g[w].data[k] *= h->scale;
    }
    return SGAE_OK;
}

static void hook_tests(t_cora *c)
{
    sgae_model_input in = {&c->ds.features->x, NULL, 0};
    sgae_train_opts o = t_train_opts(5);
    hook_ctx h = {0};
    h.scale = 0.0f;
    o.grad_hook = hook;
    o.grad_hook_ctx = &h;
    sgae_trainer *t = NULL;
    CHECK_OK(sgae_trainer_create(c->tg, &in, &c->split, &o, &t));
    if (!t)
        return;
    int iw0 = sgae_trainer_state_find(t, "w0"), iw1 = sgae_trainer_state_find(t, "w1");
    CHECK(iw0 >= 0 && iw1 >= 0);
    sgae_state_info i0, i1;
    CHECK_OK(sgae_trainer_state_info(t, iw0, &i0));
    CHECK_OK(sgae_trainer_state_info(t, iw1, &i1));
    float *w0 = malloc(i0.bytes), *w1 = malloc(i1.bytes);
    CHECK_OK(sgae_trainer_state_get(t, iw0, w0, i0.bytes));
    CHECK_OK(sgae_trainer_state_get(t, iw1, w1, i1.bytes));
    /* zeroed gradients: Adam moves nothing (weight decay is inside the
     * gradient, so it is zeroed too) */
    for (int e = 0; e < 3; e++)
        CHECK_OK(sgae_trainer_step(t, NULL));
    CHECK_INT(h.calls, 3);
    CHECK_MSG(memcmp(w0, sgae_trainer_state_view(t, iw0), i0.bytes) == 0 &&
                  memcmp(w1, sgae_trainer_state_view(t, iw1), i1.bytes) == 0,
              "a hook that zeroes the gradients must freeze the parameters");

    /* the gradients the hook saw are those of a direct backward pass on a
     * fresh model of the same options (epoch 0) */
    sgae_model *m = NULL;
    sgae_train_opts ro;
    sgae_trainer_options(t, &ro);
    CHECK_OK(sgae_model_create(c->tg, &in, &ro.model, &m));
    if (m) {
        sgae_loss l;
        CHECK_OK(sgae_model_grad(m, 0, 1, &l));
        for (int w = 0; w < 2; w++)
            CHECK_MSG(h.copy[w] && memcmp(h.copy[w], sgae_model_grad_ptr(m, w),
                                          sizeof(float) * (size_t)h.count[w]) == 0,
                      "hook gradient of w%d differs from sgae_model_backward's", w);
        sgae_model_free(m);
    }

    /* a failing hook aborts the step: no update, the status comes back */
    h.fail = 1;
    CHECK_INT(sgae_trainer_step(t, NULL), SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "hook refused") != NULL);
    CHECK_MSG(memcmp(w0, sgae_trainer_state_view(t, iw0), i0.bytes) == 0,
              "a failing hook must not let Adam run");
    sgae_trainer_free(t);

    /* scaling by 2 is visible: the first update with scale 2 differs from
     * scale 1 only through Adam's eps, but the second moment doubles in
     * magnitude ratio 4 */
    for (int s = 1; s <= 2; s++) {
        hook_ctx hs = {0};
        hs.scale = (float)s;
        o.grad_hook_ctx = &hs;
        o.epochs = 1;
        CHECK_OK(sgae_trainer_create(c->tg, &in, &c->split, &o, &t));
        CHECK_OK(sgae_trainer_step(t, NULL));
        int iv1 = sgae_trainer_state_find(t, "adam.v1");
        sgae_state_info iv;
        CHECK_OK(sgae_trainer_state_info(t, iv1, &iv));
        const float *v1 = sgae_trainer_state_view(t, iv1);
        const float *g = hs.copy[1];
        int good = 1;
        for (int64_t k = 0; k < hs.count[1]; k++) {
            /* v = (1 - beta2) (s g)^2 exactly as float arithmetic does it */
            float sg = g[k] * (float)s;
            float expect = (1.0f - (float)0.999) * sg * sg;
            if (v1[k] != expect)
                good = 0;
        }
        CHECK_MSG(good, "Adam's second moment must see the hook's scaled gradient (scale %d)", s);
        sgae_trainer_free(t);
        free(hs.copy[0]);
        free(hs.copy[1]);
    }
    free(w0);
    free(w1);
    free(h.copy[0]);
    free(h.copy[1]);
}

/* ---- smaller properties --------------------------------------------------- */

static void progress_stop(void *ctx, const sgae_epoch_info *info)
{
    int *flag = ctx;
    if (info->epoch == 3)
        *flag = 1;
}

static void misc_tests(t_cora *c)
{
    sgae_model_input none = {0}, feat = {&c->ds.features->x, NULL, 0};
    sgae_train_opts o, ro;
    sgae_train_opts_default(&o);
    o.epochs = 4;
    sgae_trainer *t = NULL;

    /* resolved options */
    CHECK_OK(sgae_trainer_create(c->tg, &feat, &c->split, &o, &t));
    sgae_trainer_options(t, &ro);
    CHECK_INT(ro.model.self_loops, 1);
    CHECK(ro.model.weight_decay == 5e-4);
    CHECK_INT(ro.epochs, 4);
    /* no allocation per epoch */
    sgae_alloc_fail_at(0);
    for (int e = 0; e < 4; e++)
        CHECK_OK(sgae_trainer_step(t, NULL));
    CHECK_MSG(sgae_alloc_count() == 0, "%lld allocations in 4 epochs",
              (long long)sgae_alloc_count());
    CHECK(sgae_trainer_done(t));
    CHECK_INT(sgae_trainer_step(t, NULL), SGAE_E_ARG);
    /* embeddings */
    const float *mu, *ls, *z, *best;
    int64_t rows, cols;
    CHECK_OK(sgae_trainer_embeddings(t, SGAE_EMB_MU, &mu, &rows, &cols));
    CHECK_INT(rows, c->tg->n);
    CHECK_INT(cols, 16);
    float *mu_copy = malloc(sizeof(float) * (size_t)(rows * cols));
    memcpy(mu_copy, mu, sizeof(float) * (size_t)(rows * cols));
    CHECK_OK(sgae_trainer_embeddings(t, SGAE_EMB_LOGSTD, &ls, NULL, NULL));
    float *ls_copy = malloc(sizeof(float) * (size_t)(rows * cols));
    memcpy(ls_copy, ls, sizeof(float) * (size_t)(rows * cols));
    CHECK_OK(sgae_trainer_embeddings(t, SGAE_EMB_Z, &z, NULL, NULL));
    int zok = 1;
    for (int64_t k = 0; k < rows * cols; k++) {
        float expect = mu_copy[k] + sgae_model_noise(1, 4, k) * expf(ls_copy[k]);
        if (fabsf(z[k] - expect) > 1e-5f * (1.0f + fabsf(expect)))
            zok = 0;
    }
    CHECK_MSG(zok, "z must be mu + eps exp(logstd) with the next epoch's noise");
    CHECK_OK(sgae_trainer_embeddings(t, SGAE_EMB_BEST, &best, NULL, NULL));
    int ib = sgae_trainer_state_find(t, "best.z");
    CHECK(memcmp(best, sgae_trainer_state_view(t, ib), sizeof(float) * (size_t)(rows * cols)) ==
          0);
    double auc, ap;
    CHECK_OK(sgae_trainer_evaluate(t, SGAE_EMB_BEST, SGAE_SET_TEST, &auc, &ap));
    CHECK(auc > 0.5 && auc <= 1 && ap > 0.5 && ap <= 1);
    /* state validation */
    int ie = sgae_trainer_state_find(t, "epoch");
    int64_t bad = -1, big = 5;
    CHECK_INT(sgae_trainer_state_set(t, ie, &bad, sizeof bad), SGAE_E_ARG);
    CHECK_INT(sgae_trainer_state_set(t, ie, &big, sizeof big), SGAE_E_ARG);
    CHECK_INT(sgae_trainer_state_set(t, ie, &bad, 4), SGAE_E_ARG);
    CHECK_INT(sgae_trainer_state_find(t, "no such array"), -1);
    CHECK_INT(sgae_trainer_state_info(t, 99, &(sgae_state_info){0}), SGAE_E_ARG);
    free(mu_copy);
    free(ls_copy);
    sgae_trainer_free(t);

    /* GAE: no logstd, z is mu; featureless defaults */
    o.model.kind = SGAE_MODEL_GAE;
    CHECK_OK(sgae_trainer_create(c->tg, &none, &c->split, &o, &t));
    sgae_trainer_options(t, &ro);
    CHECK_INT(ro.model.self_loops, 0);
    CHECK(ro.model.weight_decay == 0);
    CHECK_INT(sgae_trainer_embeddings(t, SGAE_EMB_LOGSTD, &ls, NULL, NULL), SGAE_E_ARG);
    CHECK_OK(sgae_trainer_embeddings(t, SGAE_EMB_MU, &mu, NULL, NULL));
    CHECK_OK(sgae_trainer_embeddings(t, SGAE_EMB_Z, &z, NULL, NULL));
    CHECK(mu == z);
    sgae_trainer_free(t);

    /* interrupt flag: sgae_train stops before epoch 4, with a result */
    volatile int flag = 0;
    o.epochs = 50;
    o.interrupt = &flag;
    o.progress = progress_stop;
    o.progress_ctx = (void *)&flag;
    sgae_train_result res;
    CHECK_INT(sgae_train(c->tg, &none, &c->split, &o, &res), SGAE_E_INTERRUPTED);
    CHECK_INT(res.epochs, 3);
    CHECK(res.embeddings != NULL && res.test_auc > 0);
    free(res.embeddings);

#ifdef OPENBLAS_VERSION
    /* the caller's OpenBLAS thread count is left as it was */
    int before = openblas_get_num_threads();
    openblas_set_num_threads(2);
    o.interrupt = NULL;
    o.progress = NULL;
    o.epochs = 2;
    CHECK_OK(sgae_train(c->tg, &feat, &c->split, &o, &res));
    free(res.embeddings);
    CHECK_INT(openblas_get_num_threads(), 2);
    openblas_set_num_threads(before);
#endif
}

/* Every allocation of trainer creation may fail: a clean SGAE_E_NOMEM
 * each time and nothing leaked (LeakSanitizer checks in the ASan run). */
static void alloc_failures(t_cora *c)
{
    sgae_model_input variants[2] = {{0}, {&c->ds.features->x, NULL, 0}};
    for (int v = 0; v < 2; v++)
        for (int iid = 0; iid < 2; iid++) {
            sgae_train_opts o;
            sgae_train_opts_default(&o);
            o.epochs = 2;
            o.model.neg_iid = iid;
            sgae_trainer *t = NULL;
            sgae_alloc_fail_at(0);
            CHECK_OK(sgae_trainer_create(c->tg, &variants[v], &c->split, &o, &t));
            int64_t count = sgae_alloc_count();
            sgae_trainer_free(t);
            CHECK(count > 5);
            int clean = 1;
            for (int64_t k = 1; k <= count; k++) {
                t = NULL;
                sgae_alloc_fail_at(k);
                sgae_status st = sgae_trainer_create(c->tg, &variants[v], &c->split, &o, &t);
                if (st != SGAE_E_NOMEM || t != NULL || !*sgae_last_error()) {
                    fprintf(stderr, "allocation %lld of %lld: status %d\n", (long long)k,
                            (long long)count, (int)st);
                    clean = 0;
                }
                sgae_trainer_free(t);
            }
            sgae_alloc_fail_at(0);
            CHECK_MSG(clean, "trainer creation (features %d, iid %d) under allocation failure",
                      v, iid);
        }
}

int main(void)
{
    t_cora c;
    if (!t_cora_load(&c, 0.05, 1))
        return t_done("test_trainer");
    for (int threads = 1; threads <= 2; threads++) {
        omp_set_num_threads(threads);
        resume_case(&c, "vgae features", 1, SGAE_MODEL_VGAE, 0, 0.0);
        resume_case(&c, "vgae featureless", 0, SGAE_MODEL_VGAE, 0, 0.0);
        resume_case(&c, "gae features", 1, SGAE_MODEL_GAE, 0, 0.0);
        resume_case(&c, "gae featureless", 0, SGAE_MODEL_GAE, 0, 0.0);
        resume_case(&c, "vgae features iid", 1, SGAE_MODEL_VGAE, 1, 0.0);
        resume_case(&c, "gae featureless iid", 0, SGAE_MODEL_GAE, 1, 0.0);
        resume_case(&c, "vgae features dropout", 1, SGAE_MODEL_VGAE, 0, 0.3);
    }
    hook_tests(&c);
    misc_tests(&c);
    alloc_failures(&c);
    t_cora_free(&c);
    return t_done("test_trainer");
}

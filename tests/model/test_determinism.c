/* Same seed -> identical bits at 1 and 2 threads: negatives, loss,
 * gradients, and a whole training run (embeddings, metrics), for the
 * identity, sparse and dense features, dropout and degree-biased negatives. */
#include <omp.h>

#include "testutil.h"

/* Planted communities: 9000 nodes (three row blocks of the blocked dense
 * products), 90 blocks, mostly intra-block edges. */
static sgae_graph *planted(void)
{
    const int n = 9000, m = 36000;
    int32_t *u = malloc(sizeof(int32_t) * m), *v = malloc(sizeof(int32_t) * m);
    for (int k = 0; k < m; k++) {
        int a = (int)sgae_rng_below(21, 60, (uint64_t)(3 * k), (uint64_t)n);
        int b;
        if (sgae_rng_uniform(21, 60, (uint64_t)(3 * k + 1)) < 0.8)
            b = (a / 100) * 100 + (int)sgae_rng_below(21, 60, (uint64_t)(3 * k + 2), 100);
        else
            b = (int)sgae_rng_below(21, 60, (uint64_t)(3 * k + 2), (uint64_t)n);
        u[k] = a;
        v[k] = b;
    }
    sgae_graph *g = NULL;
    sgae_graph_from_pairs(n, m, u, v, &g);
    free(u);
    free(v);
    return g;
}

/* Sparse features: block indicator plus noise words. */
static void features(sgae_csr *x, float **dense, int n, int dim)
{
    x->nrows = n;
    x->ncols = dim;
    x->rowptr = malloc(sizeof(int64_t) * (size_t)(n + 1));
    x->col = malloc(sizeof(int32_t) * (size_t)n * 4);
    x->val = malloc(sizeof(float) * (size_t)n * 4);
    *dense = calloc((size_t)n * dim, sizeof(float));
    int64_t k = 0;
    for (int i = 0; i < n; i++) {
        x->rowptr[i] = k;
        /* block indicator (0..89) and three noise words (90..127) */
        int cols[4] = {i / 100, 90 + (int)sgae_rng_below(4, 8, (uint64_t)i, 10),
                       100 + (int)sgae_rng_below(4, 9, (uint64_t)i, 10),
                       110 + (int)sgae_rng_below(4, 10, (uint64_t)i, 18)};
        for (int c = 0; c < 4; c++) {
            x->col[k] = cols[c];
            x->val[k++] = 1.0f;
            (*dense)[(size_t)i * dim + cols[c]] = 1.0f;
        }
    }
    x->rowptr[n] = k;
}

typedef struct {
    float *emb;
    double auc, ap, vauc;
    int64_t best;
} run_out;

static void run(sgae_graph *tg, const sgae_split *s, const sgae_model_input *in,
                const sgae_train_opts *o, int threads, run_out *r)
{
    omp_set_num_threads(threads);
    sgae_train_result res;
    CHECK_OK(sgae_train(tg, in, s, o, &res));
    r->emb = res.embeddings;
    r->auc = res.test_auc;
    r->ap = res.test_ap;
    r->vauc = res.val_auc;
    r->best = res.best_epoch;
}

static void compare(const char *name, sgae_graph *tg, const sgae_split *s,
                    const sgae_model_input *in, const sgae_train_opts *o)
{
    run_out a = {0}, b = {0};
    run(tg, s, in, o, 1, &a);
    run(tg, s, in, o, 2, &b);
    CHECK_MSG(a.emb && b.emb &&
                  memcmp(a.emb, b.emb, sizeof(float) * (size_t)(tg->n * o->model.latent)) == 0,
              "%s: embeddings differ between 1 and 2 threads", name);
    CHECK_MSG(a.auc == b.auc && a.ap == b.ap && a.vauc == b.vauc && a.best == b.best,
              "%s: metrics differ: %.17g vs %.17g", name, a.auc, b.auc);
    CHECK_MSG(a.auc > 0.6, "%s: test AUC %g (training did not learn)", name, a.auc);
    free(a.emb);
    free(b.emb);
}

int main(void)
{
    sgae_graph *g = planted();
    CHECK(g != NULL);
    sgae_split s;
    CHECK_OK(sgae_split_edges(g, 0.05, 0.10, 5, &s));
    sgae_graph *tg = NULL;
    CHECK_OK(sgae_split_train_graph(&s, g, &tg));
    sgae_csr x;
    float *xd;
    features(&x, &xd, (int)g->n, 128);

    /* a single gradient at 1 and 2 threads, bitwise */
    sgae_model_opts mo;
    sgae_model_opts_default(&mo);
    mo.dropout = 0.2;
    sgae_model_input sparse = {&x, NULL, 0};
    float *grads[2][2];
    for (int t = 0; t < 2; t++) {
        omp_set_num_threads(t + 1);
        sgae_model *m = NULL;
        CHECK_OK(sgae_model_create(tg, &sparse, &mo, &m));
        sgae_loss l;
        CHECK_OK(sgae_model_grad(m, 3, 1, &l));
        for (int w = 0; w < 2; w++) {
            int64_t r, c;
            sgae_model_param(m, w, &r, &c);
            grads[t][w] = malloc(sizeof(float) * (size_t)(r * c));
            memcpy(grads[t][w], sgae_model_grad_ptr(m, w), sizeof(float) * (size_t)(r * c));
            if (t == 1)
                CHECK_MSG(memcmp(grads[0][w], grads[1][w], sizeof(float) * (size_t)(r * c)) == 0,
                          "gradient of W%d differs between 1 and 2 threads", w);
        }
        sgae_model_free(m);
    }
    for (int t = 0; t < 2; t++)
        for (int w = 0; w < 2; w++)
            free(grads[t][w]);

    sgae_train_opts o;
    sgae_train_opts_default(&o);
    o.epochs = 30;
    sgae_model_input none = {0}, dense = {NULL, xd, 128};
    compare("identity vgae", tg, &s, &none, &o);
    compare("sparse vgae", tg, &s, &sparse, &o);
    compare("dense vgae", tg, &s, &dense, &o);
    o.model.kind = SGAE_MODEL_GAE;
    o.model.dropout = 0.1;
    o.model.neg_degree = 1;
    o.model.self_loops = 1;
    o.model.weight_decay = 1e-4;
    compare("sparse gae dropout degree-negatives", tg, &s, &sparse, &o);

    sgae_csr_clear(&x);
    free(xd);
    sgae_graph_free(tg);
    sgae_split_clear(&s);
    sgae_graph_free(g);
    return t_done("test_determinism");
}

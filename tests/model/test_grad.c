/* Gradient checks of the hand-written backward pass.
 *
 * Oracle: an independent dense double-precision reference of the loss
 * (dense Â, dense products, the same negatives, noise and dropout masks).
 *  1. the library's loss equals the reference loss (float tolerance);
 *  2. every gradient entry of the library equals the central finite
 *     difference of the reference loss (step 1e-5 in double: truncation
 *     error ~1e-10, rounding ~1e-11, so the comparison measures the
 *     library's float error, bounded here by 2e-3 of the largest gradient);
 *  3. a few entries also against central differences of the library's own
 *     float loss (step 1e-2; float rounding ~1e-7/1e-2 = 1e-5 absolute, and
 *     the loss is smooth at that scale away from ReLU/clamp kinks: 2e-2
 *     relative tolerance).
 * Configurations: VGAE and GAE; identity, sparse and dense features;
 * dropout; self-loop positives; weight decay; an active logstd clamp. */
#include "testutil.h"

typedef struct {
    int n, in, h, d, L, feat; /* feat 0 identity, 1 sparse, 2 dense */
    const sgae_graph *g;
    const float *xd; /* dense copy of the features (n x in) */
    sgae_model_opts o;
    int64_t epoch;
    int64_t nneg, norm;
    const int32_t *nu, *nv;
    double *A; /* dense Â */
    double minkink; /* smallest |P0| and |ls - max| seen */
} ref_t;

static double softplus(double x) { return (x > 0 ? x : 0) + log1p(exp(-fabs(x))); }

/* Reference loss for parameters w0 (in x h), w1 (h x L), all in double. */
static double ref_loss(ref_t *r, const double *w0, const double *w1)
{
    int n = r->n, h = r->h, d = r->d, L = r->L;
    double *xw = calloc((size_t)n * h, sizeof(double));
    double *h1 = calloc((size_t)n * h, sizeof(double));
    double *ah = calloc((size_t)n * h, sizeof(double));
    double *z = calloc((size_t)n * d, sizeof(double));
    double kl = 0, lpos = 0, lneg = 0, l2 = 0;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < h; c++) {
            double s = 0;
            if (r->feat == 0)
                s = w0[i * h + c];
            else
                for (int k = 0; k < r->in; k++)
                    s += (double)r->xd[i * r->in + k] * w0[k * h + c];
            xw[i * h + c] = s;
        }
    double p = r->o.dropout;
    for (int i = 0; i < n; i++)
        for (int c = 0; c < h; c++) {
            double s = 0;
            for (int j = 0; j < n; j++)
                s += r->A[i * n + j] * xw[j * h + c];
            if (fabs(s) < r->minkink)
                r->minkink = fabs(s);
            int keep = s > 0 && sgae_model_dropout_keep(r->o.seed, r->epoch, i * h + c, p);
            h1[i * h + c] = keep ? s / (1.0 - p) : 0.0;
        }
    for (int i = 0; i < n; i++)
        for (int c = 0; c < h; c++) {
            double s = 0;
            for (int j = 0; j < n; j++)
                s += r->A[i * n + j] * h1[j * h + c];
            ah[i * h + c] = s;
        }
    for (int i = 0; i < n; i++)
        for (int c = 0; c < d; c++) {
            double mu = 0, ls = 0;
            for (int k = 0; k < h; k++) {
                mu += ah[i * h + k] * w1[k * L + c];
                if (L == 2 * d)
                    ls += ah[i * h + k] * w1[k * L + d + c];
            }
            if (L == 2 * d) {
                double mx = r->o.max_logstd;
                if (fabs(ls - mx) < r->minkink)
                    r->minkink = fabs(ls - mx);
                double l = ls < mx ? ls : mx;
                z[i * d + c] = mu + (double)sgae_model_noise(r->o.seed, r->epoch, i * d + c) * exp(l);
                kl += 1 + 2 * l - mu * mu - exp(2 * l);
            } else {
                z[i * d + c] = mu;
            }
        }
    kl *= -0.5 / ((double)n * n);
    int64_t P = 0;
    for (int i = 0; i < n; i++) {
        for (int64_t e = r->g->adj.rowptr[i]; e < r->g->adj.rowptr[i + 1]; e++) {
            int j = r->g->adj.col[e];
            if (j <= i)
                continue;
            double s = 0;
            for (int c = 0; c < d; c++)
                s += z[i * d + c] * z[j * d + c];
            lpos += softplus(-s);
            P++;
        }
        if (r->o.self_loops) {
            double s = 0;
            for (int c = 0; c < d; c++)
                s += z[i * d + c] * z[i * d + c];
            lpos += softplus(-s);
            P++;
        }
    }
    lpos *= r->o.pos_weight / (double)P;
    for (int64_t k = 0; k < r->nneg; k++) {
        double s = 0;
        for (int c = 0; c < d; c++)
            s += z[r->nu[k] * d + c] * z[r->nv[k] * d + c];
        lneg += softplus(s);
    }
    lneg /= (double)r->norm;
    if (r->o.weight_decay > 0) {
        for (int k = 0; k < r->in * h; k++)
            l2 += w0[k] * w0[k];
        for (int k = 0; k < h * L; k++)
            l2 += w1[k] * w1[k];
        l2 *= 0.5 * r->o.weight_decay;
    }
    free(xw);
    free(h1);
    free(ah);
    free(z);
    return lpos + lneg + (L == 2 * d ? kl : 0) + l2;
}

/* Small random graph on n nodes (ring + chords, reproducible). */
static sgae_graph *small_graph(int n)
{
    int32_t u[256], v[256];
    int m = 0;
    for (int i = 0; i < n; i++) {
        u[m] = i;
        v[m++] = (i + 1) % n;
    }
    for (int k = 0; k < n; k++) {
        int a = (int)sgae_rng_below(7, 99, (uint64_t)(2 * k), (uint64_t)n);
        int b = (int)sgae_rng_below(7, 99, (uint64_t)(2 * k + 1), (uint64_t)n);
        u[m] = a;
        v[m++] = b;
    }
    sgae_graph *g = NULL;
    if (sgae_graph_from_pairs(n, m, u, v, &g) != SGAE_OK)
        return NULL;
    return g;
}

static int adj_has(const sgae_graph *g, int u, int v)
{
    for (int64_t e = g->adj.rowptr[u]; e < g->adj.rowptr[u + 1]; e++)
        if (g->adj.col[e] == v)
            return 1;
    return 0;
}

static void run_case(const char *name, sgae_model_kind kind, int feat, double dropout, int self,
                     double wd, double max_logstd, int iid)
{
    const int n = 11, in_dim = 7, h = 5, d = 3;
    sgae_graph *g = small_graph(n);
    CHECK(g != NULL);
    if (!g)
        return;
    /* features: sparse n x in_dim with some zeros, and its dense copy */
    float xd[11 * 7];
    sgae_csr x = {0};
    int64_t rowptr[12];
    int32_t col[11 * 7];
    float val[11 * 7];
    int64_t nnz = 0;
    for (int i = 0; i < n; i++) {
        rowptr[i] = nnz;
        for (int k = 0; k < in_dim; k++) {
            double r = sgae_rng_uniform(5, 77, (uint64_t)(i * in_dim + k));
            float vv = r < 0.5 ? 0.0f : (float)(2.0 * r - 1.0);
            xd[i * in_dim + k] = vv;
            if (vv != 0.0f) {
                col[nnz] = k;
                val[nnz++] = vv;
            }
        }
    }
    rowptr[n] = nnz;
    x.nrows = n;
    x.ncols = in_dim;
    x.rowptr = rowptr;
    x.col = col;
    x.val = val;

    sgae_model_opts o;
    sgae_model_opts_default(&o);
    o.kind = kind;
    o.hidden = h;
    o.latent = d;
    o.neg_ratio = 1.5;
    o.dropout = dropout;
    o.self_loops = self;
    o.weight_decay = wd;
    o.max_logstd = max_logstd;
    o.seed = 3;
    o.neg_iid = iid;
    sgae_model_input in = {0};
    if (feat == 1)
        in.sparse = &x;
    else if (feat == 2) {
        in.dense = xd;
        in.dense_dim = in_dim;
    }
    sgae_model *m = NULL;
    CHECK_OK(sgae_model_create(g, &in, &o, &m));
    if (!m) {
        sgae_graph_free(g);
        return;
    }
    /* make the weights larger than Glorot's so that ReLU and the clamp see
     * both signs */
    int64_t r0, c0, r1, c1;
    float *w0 = sgae_model_param(m, 0, &r0, &c0);
    float *w1 = sgae_model_param(m, 1, &r1, &c1);
    for (int64_t k = 0; k < r0 * c0; k++)
        w0[k] *= 2.0f;
    for (int64_t k = 0; k < r1 * c1; k++)
        w1[k] *= 2.0f;

    const int64_t epoch = 4;
    sgae_loss loss;
    CHECK_OK(sgae_model_grad(m, epoch, 1, &loss));
    ref_t r = {0};
    r.n = n;
    r.in = feat ? in_dim : n;
    r.h = h;
    r.d = d;
    r.L = (int)c1;
    r.feat = feat;
    r.g = g;
    r.xd = xd;
    r.o = o;
    r.epoch = epoch;
    CHECK_OK(sgae_model_negatives(m, &r.nneg, &r.nu, &r.nv));
    r.norm = sgae_model_neg_norm(m);
    if (o.neg_iid)
        CHECK_INT(r.nneg, (int64_t)floor(1.5 * (double)sgae_model_positives(m) + 0.5));
    else
        CHECK(r.nneg <= r.norm && r.nneg > r.norm / 2);
    for (int64_t k = 0; k < r.nneg; k++)
        CHECK(r.nu[k] != r.nv[k] && !(o.neg_reject && adj_has(g, r.nu[k], r.nv[k])));
    r.A = calloc((size_t)n * n, sizeof(double));
    for (int i = 0; i < n; i++) {
        double di = (double)sgae_graph_degree(g, i) + 1;
        r.A[i * n + i] = 1.0 / di;
        for (int64_t e = g->adj.rowptr[i]; e < g->adj.rowptr[i + 1]; e++) {
            int j = g->adj.col[e];
            r.A[i * n + j] = 1.0 / sqrt(di * ((double)sgae_graph_degree(g, j) + 1));
        }
    }
    int64_t np0 = r0 * c0, np1 = r1 * c1;
    double *dw0 = malloc(sizeof(double) * (size_t)np0), *dw1 = malloc(sizeof(double) * (size_t)np1);
    for (int64_t k = 0; k < np0; k++)
        dw0[k] = w0[k];
    for (int64_t k = 0; k < np1; k++)
        dw1[k] = w1[k];
    r.minkink = 1e30;
    double lref = ref_loss(&r, dw0, dw1);
    CHECK_MSG(fabs(lref - loss.total) <= 1e-5 * fabs(lref) + 1e-6, "%s: loss %.9g, reference %.9g",
              name, loss.total, lref);
    CHECK_MSG(r.minkink > 1e-3, "%s: a ReLU/clamp kink at %g would spoil differences", name,
              r.minkink);
    /* copy the library's gradients before more calls */
    float *g0 = malloc(sizeof(float) * (size_t)np0), *g1 = malloc(sizeof(float) * (size_t)np1);
    memcpy(g0, sgae_model_grad_ptr(m, 0), sizeof(float) * (size_t)np0);
    memcpy(g1, sgae_model_grad_ptr(m, 1), sizeof(float) * (size_t)np1);

    const double hstep = 1e-5;
    for (int which = 0; which < 2; which++) {
        double *w = which ? dw1 : dw0;
        const float *gl = which ? g1 : g0;
        int64_t cnt = which ? np1 : np0;
        double maxg = 1e-12, maxerr = 0;
        int64_t worst = -1;
        for (int64_t k = 0; k < cnt; k++) {
            double keep = w[k];
            w[k] = keep + hstep;
            double lp = ref_loss(&r, dw0, dw1);
            w[k] = keep - hstep;
            double lm = ref_loss(&r, dw0, dw1);
            w[k] = keep;
            double fd = (lp - lm) / (2 * hstep);
            if (fabs(fd) > maxg)
                maxg = fabs(fd);
            if (fabs(fd - gl[k]) > maxerr) {
                maxerr = fabs(fd - gl[k]);
                worst = k;
            }
        }
        CHECK_MSG(maxerr <= 2e-3 * maxg, "%s: W%d gradient error %g (max |g| %g) at %lld", name,
                  which, maxerr, maxg, (long long)worst);
    }

    /* central differences of the library's own float loss, a few entries */
    for (int which = 0; which < 2; which++) {
        float *w = which ? w1 : w0;
        const float *gl = which ? g1 : g0;
        int64_t cnt = which ? np1 : np0;
        double maxg = 1e-12;
        for (int64_t k = 0; k < cnt; k++)
            if (fabs(gl[k]) > maxg)
                maxg = fabs(gl[k]);
        for (int64_t t = 0; t < 4; t++) {
            int64_t k = (t * 7 + 3) % cnt;
            float keep = w[k];
            const float fh = 1e-2f;
            sgae_loss lp, lm;
            w[k] = keep + fh;
            CHECK_OK(sgae_model_forward(m, epoch, 0, &lp));
            w[k] = keep - fh;
            CHECK_OK(sgae_model_forward(m, epoch, 0, &lm));
            w[k] = keep;
            double fd = (lp.total - lm.total) / (2.0 * fh);
            CHECK_MSG(fabs(fd - gl[k]) <= 2e-2 * maxg, "%s: float FD W%d[%lld] %g vs %g", name,
                      which, (long long)k, fd, (double)gl[k]);
        }
    }
    free(g0);
    free(g1);
    free(dw0);
    free(dw1);
    free(r.A);
    sgae_model_free(m);
    sgae_graph_free(g);
}

/* The public loss on explicit negatives equals the hand formula for a GAE
 * whose embeddings are known: checked through set_negatives + forward. */
static void test_set_negatives(void)
{
    sgae_graph *g = small_graph(9);
    sgae_model_opts o;
    sgae_model_opts_default(&o);
    o.kind = SGAE_MODEL_GAE;
    o.hidden = 4;
    o.latent = 2;
    sgae_model *m = NULL;
    CHECK_OK(sgae_model_create(g, NULL, &o, &m));
    int32_t u[3] = {0, 1, 2}, v[3] = {3, 4, 5}, bad[1] = {1};
    CHECK(sgae_model_set_negatives(m, 1, bad, bad) == SGAE_E_ARG);
    CHECK_OK(sgae_model_set_negatives(m, 3, u, v));
    sgae_loss l;
    CHECK_OK(sgae_model_forward(m, 0, 0, &l));
    const float *mu = sgae_model_mu(m);
    double neg = 0;
    for (int k = 0; k < 3; k++) {
        double s = mu[u[k] * 2] * mu[v[k] * 2] + mu[u[k] * 2 + 1] * mu[v[k] * 2 + 1];
        neg += softplus(s);
    }
    CHECK(fabs(neg / 3 - l.neg) < 1e-6);
    CHECK(l.kl == 0);
    CHECK_OK(sgae_model_backward(m));
    CHECK(sgae_model_backward(m) == SGAE_E_ARG); /* no pending forward */
    sgae_model_free(m);
    sgae_graph_free(g);
}

/* Permutation sampler: N = n*r pairs, none on the diagonal, every node in
 * exactly 2r of them, a different permutation each epoch, and with
 * rejection no training edge among them. */
static void test_perm_sampler(void)
{
    sgae_graph *g = small_graph(40);
    sgae_model_opts o;
    sgae_model_opts_default(&o);
    o.neg_ratio = 3;
    o.neg_reject = 0;
    sgae_model *m = NULL;
    CHECK_OK(sgae_model_create(g, NULL, &o, &m));
    if (!m)
        return;
    int64_t cnt;
    const int32_t *u, *v;
    int64_t r = (int64_t)floor(3.0 * (double)sgae_model_positives(m) / 40 + 0.5);
    sgae_model_sample(m, 7);
    CHECK_OK(sgae_model_negatives(m, &cnt, &u, &v));
    CHECK_INT(cnt, 40 * r);
    CHECK_INT(sgae_model_neg_norm(m), 40 * r);
    int deg[40] = {0}, bad = 0;
    int32_t first[8];
    for (int64_t k = 0; k < cnt; k++) {
        bad += u[k] == v[k];
        deg[u[k]]++;
        deg[v[k]]++;
    }
    for (int i = 0; i < 40; i++)
        bad += deg[i] != 2 * r;
    CHECK_INT(bad, 0);
    for (int k = 0; k < 8; k++)
        first[k] = u[k * r];
    sgae_model_sample(m, 8);
    CHECK_OK(sgae_model_negatives(m, &cnt, &u, &v));
    int same = 0;
    for (int k = 0; k < 8; k++)
        same += first[k] == u[k * r];
    CHECK(same < 8);
    sgae_model_free(m);

    o.neg_reject = 1;
    CHECK_OK(sgae_model_create(g, NULL, &o, &m));
    sgae_model_sample(m, 7);
    CHECK_OK(sgae_model_negatives(m, &cnt, &u, &v));
    CHECK(cnt < 40 * r); /* about 10% of pairs are edges in this dense graph */
    for (int64_t k = 0; k < cnt; k++)
        bad += adj_has(g, u[k], v[k]);
    CHECK_INT(bad, 0);
    sgae_model_free(m);
    sgae_graph_free(g);
}

int main(void)
{
    test_perm_sampler();
    for (int iid = 0; iid < 2; iid++) {
        run_case("vgae identity", SGAE_MODEL_VGAE, 0, 0.0, 0, 0.0, 10.0, iid);
        run_case("gae identity", SGAE_MODEL_GAE, 0, 0.0, 0, 0.0, 10.0, iid);
        run_case("vgae sparse", SGAE_MODEL_VGAE, 1, 0.0, 0, 0.0, 10.0, iid);
        run_case("vgae dense", SGAE_MODEL_VGAE, 2, 0.0, 0, 0.0, 10.0, iid);
        run_case("gae sparse", SGAE_MODEL_GAE, 1, 0.0, 0, 0.0, 10.0, iid);
        run_case("vgae dropout", SGAE_MODEL_VGAE, 1, 0.3, 0, 0.0, 10.0, iid);
        run_case("vgae self-loops + decay", SGAE_MODEL_VGAE, 0, 0.0, 1, 0.05, 10.0, iid);
        run_case("vgae clamp", SGAE_MODEL_VGAE, 1, 0.0, 0, 0.0, 0.02, iid);
    }
    test_set_negatives();
    return t_done("test_grad");
}

/* The graph auto-encoder: options, creation (Glorot initialisation),
 * accessors, Adam. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cblas.h>

#include "model_internal.h"

void sgae_model_opts_default(sgae_model_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = SGAE_MODEL_VGAE;
    o->hidden = 32;
    o->latent = 16;
    o->neg_ratio = 10.0;
    o->neg_degree = 0;
    o->neg_iid = 0;
    o->neg_reject = 1;
    o->self_loops = -1; /* auto: on with features, off for the identity */
    o->pos_weight = 1.0;
    o->lr = 0.01;
    o->beta1 = 0.9;
    o->beta2 = 0.999;
    o->adam_eps = 1e-8;
    o->weight_decay = -1.0; /* auto: 5e-4 with features, 0 without */
    o->dropout = 0.0;
    o->max_logstd = 10.0;
    o->seed = 1;
}

const char *sgae_phase_name(sgae_phase p)
{
    static const char *names[SGAE_PHASE_COUNT] = {"sample", "spmm", "pairs", "dense", "optim"};
    return (p >= 0 && p < SGAE_PHASE_COUNT) ? names[p] : "?";
}

/* 64-byte aligned (rows of 16 floats fill exactly one cache line); free()
 * releases it. */
static void *model_alloc(sgae_model *m, size_t count, size_t sz, const char *what)
{
    void *p = sgae_alloc_aligned(count, sz, what);
    if (p)
        m->bytes += (int64_t)(count * sz);
    return p;
}

/* Glorot-uniform rows x cols block (row stride ld) from stream `which`. */
static void glorot(float *w, int64_t rows, int64_t cols, int64_t ld, uint64_t seed, uint64_t which)
{
    double lim = sqrt(6.0 / (double)(rows + cols));
    uint64_t purpose = sgae_rng_purpose(SGAE_RNG_INIT, which);
#pragma omp parallel for schedule(static)
    for (int64_t r = 0; r < rows; r++)
        for (int64_t c = 0; c < cols; c++) {
            double u = sgae_rng_uniform(seed, purpose, (uint64_t)(r * cols + c));
            w[r * ld + c] = (float)((2.0 * u - 1.0) * lim);
        }
}

/* Transpose of a CSR (rows x cols) into t (cols x rows), serial and exact. */
static sgae_status csr_transpose(sgae_model *m, const sgae_csr *a, sgae_csr *t)
{
    int64_t nnz = a->rowptr[a->nrows];
    t->nrows = a->ncols;
    t->ncols = a->nrows;
    t->rowptr = model_alloc(m, (size_t)t->nrows + 1, sizeof *t->rowptr, "feature transpose");
    t->col = model_alloc(m, (size_t)nnz, sizeof *t->col, "feature transpose");
    t->val = a->val ? model_alloc(m, (size_t)nnz, sizeof *t->val, "feature transpose") : NULL;
    if (!t->rowptr || !t->col || (a->val && !t->val))
        return SGAE_E_NOMEM;
    memset(t->rowptr, 0, ((size_t)t->nrows + 1) * sizeof *t->rowptr);
    for (int64_t k = 0; k < nnz; k++)
        t->rowptr[a->col[k] + 1]++;
    for (int64_t c = 0; c < t->nrows; c++)
        t->rowptr[c + 1] += t->rowptr[c];
    for (int64_t i = 0; i < a->nrows; i++)
        for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++) {
            int64_t p = t->rowptr[a->col[k]]++;
            t->col[p] = (int32_t)i;
            if (t->val)
                t->val[p] = a->val[k];
        }
    for (int64_t c = t->nrows; c > 0; c--)
        t->rowptr[c] = t->rowptr[c - 1];
    t->rowptr[0] = 0;
    return SGAE_OK;
}

void sgae_model_free(sgae_model *m)
{
    if (!m)
        return;
    sgae_csr_clear(&m->Xt);
    sgae_pairmat_clear(&m->pm);
    SGAE_FREE_ALL(m->w0, m->w1, m->g0, m->g1, m->m0, m->v0, m->m1, m->v1, m->bufA, m->bufB,
                  m->bufC, m->mask, m->perm, m->nu, m->nv, m->ns, m->cdf, m->part, m->gpart, m);
}

int64_t sgae_model_negatives_per_node(double neg_ratio, int64_t P, int64_t n)
{
    double r = floor(neg_ratio * (double)P / (double)n + 0.5);
    if (r < 1)
        r = 1;
    if (r > (double)(n - 1))
        r = (double)(n - 1);
    return (int64_t)r;
}

static int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

sgae_status sgae_model_create(sgae_graph *g, const sgae_model_input *in,
                              const sgae_model_opts *opts, sgae_model **out)
{
    sgae_status st = SGAE_OK;
    sgae_model *m = NULL;
    *out = NULL;
    sgae_model_opts o;
    SGAE_OPTS_OR_DEFAULTS(o, opts, sgae_model_opts_default);
    if (!g || g->n < 2)
        return sgae_error_set(SGAE_E_ARG, "model: the graph needs at least 2 nodes");
    if (sgae_graph_edges(g) < 1)
        return sgae_error_set(SGAE_E_ARG, "model: the training graph has no edges");
    if (g->n >= INT32_MAX)
        return sgae_error_set(SGAE_E_ARG, "model: too many nodes (%lld)", (long long)g->n);
    if (o.kind != SGAE_MODEL_VGAE && o.kind != SGAE_MODEL_GAE)
        return sgae_error_set(SGAE_E_ARG, "model: unknown model kind %d", (int)o.kind);
    if (o.hidden < 1 || o.latent < 1 || o.hidden > 65536 || o.latent > 65536)
        return sgae_error_set(SGAE_E_ARG, "model: hidden (%lld) and latent (%lld) must be in 1..65536",
                              (long long)o.hidden, (long long)o.latent);
    if (o.latent > o.hidden)
        return sgae_error_set(SGAE_E_ARG,
                              "model: latent size %lld exceeds hidden size %lld (the encoder "
                              "would widen in its last layer)",
                              (long long)o.latent, (long long)o.hidden);
    if (!(o.neg_ratio > 0) || o.neg_ratio > 1e6)
        return sgae_error_set(SGAE_E_ARG, "model: negative ratio must be in (0, 1e6], got %g",
                              o.neg_ratio);
    if (!(o.lr > 0) || !(o.beta1 >= 0 && o.beta1 < 1) || !(o.beta2 >= 0 && o.beta2 < 1) ||
        !(o.adam_eps > 0))
        return sgae_error_set(SGAE_E_ARG, "model: Adam needs lr > 0, betas in [0, 1), eps > 0");
    if (!(o.dropout >= 0 && o.dropout < 1))
        return sgae_error_set(SGAE_E_ARG, "model: dropout must be in [0, 1), got %g", o.dropout);
    if (o.self_loops < 0) /* auto */
        o.self_loops = (in && (in->sparse || in->dense)) ? 1 : 0;
    if (o.weight_decay < 0) /* auto */
        o.weight_decay = (in && (in->sparse || in->dense)) ? 5e-4 : 0.0;
    if (!(o.weight_decay >= 0) || !(o.pos_weight > 0) || !isfinite(o.max_logstd))
        return sgae_error_set(SGAE_E_ARG,
                              "model: weight decay >= 0, positive weight > 0, finite logstd clamp");
    if (in && in->sparse && in->dense)
        return sgae_error_set(SGAE_E_ARG, "model: give sparse or dense features, not both");
    if (in && in->sparse && in->sparse->nrows != g->n)
        return sgae_error_set(SGAE_E_ARG,
                              "model: the features have %lld rows but the graph has %lld nodes",
                              (long long)in->sparse->nrows, (long long)g->n);
    if (in && in->sparse && in->sparse->ncols < 1)
        return sgae_error_set(SGAE_E_ARG, "model: the features have no columns");
    if (in && in->dense && in->dense_dim < 1)
        return sgae_error_set(SGAE_E_ARG, "model: dense features need dim >= 1");

    SGAE_CHECK(sgae_graph_norm(g));
    m = sgae_calloc(1, sizeof *m, "model");
    if (!m)
        return SGAE_E_NOMEM;
    m->o = o;
    m->g = g;
    m->A = &g->norm;
    m->n = g->n;
    m->h = o.hidden;
    m->d = o.latent;
    m->L = o.kind == SGAE_MODEL_VGAE ? 2 * o.latent : o.latent;
    m->wa = max64(m->h, m->L);
    m->wc = max64(m->h, 2 * m->d);
    m->mw = (m->h + 63) / 64;
    m->feat = FEAT_IDENTITY;
    m->in = m->n;
    if (in && in->sparse) {
        m->feat = FEAT_SPARSE;
        m->X = in->sparse;
        m->in = in->sparse->ncols;
        SGAE_CHECK(csr_transpose(m, m->X, &m->Xt));
    } else if (in && in->dense) {
        m->feat = FEAT_DENSE;
        m->Xd = in->dense;
        m->in = in->dense_dim;
    }
    const int64_t n = m->n, h = m->h, L = m->L;
    m->P = (m->A->rowptr[n] - n) / 2 + (o.self_loops ? n : 0);
    m->neg_perm = !o.neg_iid && !o.neg_degree;
    double nn = floor(o.neg_ratio * (double)m->P + 0.5);
    if (nn > 4e18 / 64)
        SGAE_FAIL(SGAE_E_ARG, "model: too many negatives");
    if (m->neg_perm) {
        /* r negatives per node, n*r ~ neg_ratio * P; r < n keeps pairs off
         * the diagonal */
        m->r = sgae_model_negatives_per_node(o.neg_ratio, m->P, n);
        m->nneg = n * m->r;
    } else {
        m->nneg = nn < 1 ? 1 : (int64_t)nn;
    }
    m->nneg0 = m->nneg;

    size_t nw0 = (size_t)m->in * (size_t)h, nw1 = (size_t)h * (size_t)L;
    m->w0 = model_alloc(m, nw0, sizeof(float), "W0");
    m->m0 = model_alloc(m, nw0, sizeof(float), "Adam moments of W0");
    m->v0 = model_alloc(m, nw0, sizeof(float), "Adam moments of W0");
    if (m->feat != FEAT_IDENTITY)
        m->g0 = model_alloc(m, nw0, sizeof(float), "gradient of W0");
    m->w1 = model_alloc(m, nw1, sizeof(float), "W1");
    m->g1 = model_alloc(m, nw1, sizeof(float), "gradient of W1");
    m->m1 = model_alloc(m, nw1, sizeof(float), "Adam moments of W1");
    m->v1 = model_alloc(m, nw1, sizeof(float), "Adam moments of W1");
    m->bufA = model_alloc(m, (size_t)(n * m->wa), sizeof(float), "activations");
    m->bufB = model_alloc(m, (size_t)(n * h), sizeof(float), "activations");
    m->bufC = model_alloc(m, (size_t)(n * m->wc), sizeof(float), "activations");
    m->mask = model_alloc(m, (size_t)(n * m->mw), sizeof(uint64_t), "ReLU mask");
    if (m->neg_perm) {
        m->perm = model_alloc(m, (size_t)n, sizeof(int32_t), "node permutation");
    } else {
        m->nu = model_alloc(m, (size_t)m->nneg, sizeof(int32_t), "negatives");
        m->nv = model_alloc(m, (size_t)m->nneg, sizeof(int32_t), "negatives");
        m->ns = model_alloc(m, (size_t)m->nneg, sizeof(float), "negative scores");
        m->ncap = m->nneg;
    }
    m->nblocks = (n + SGAE_MODEL_RB - 1) / SGAE_MODEL_RB;
    size_t gp = (size_t)(h * L);
    if (m->feat == FEAT_DENSE && (size_t)(m->in * h) > gp)
        gp = (size_t)(m->in * h);
    m->gpart = model_alloc(m, (size_t)m->nblocks * gp, sizeof(float), "partial products");
    m->npart = (n + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
    if (!m->neg_perm)
        m->npart = max64(m->npart, (m->nneg + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB);
    m->part = model_alloc(m, (size_t)m->npart, sizeof(double), "loss partials");
    if (!m->w0 || !m->m0 || !m->v0 || (m->feat != FEAT_IDENTITY && !m->g0) || !m->w1 ||
        !m->g1 || !m->m1 || !m->v1 || !m->bufA || !m->bufB || !m->bufC || !m->mask ||
        (m->neg_perm ? !m->perm : (!m->nu || !m->nv || !m->ns)) || !m->gpart || !m->part) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    if (o.neg_degree) {
        m->cdf = model_alloc(m, (size_t)n + 1, sizeof(double), "degree distribution");
        if (!m->cdf) {
            st = SGAE_E_NOMEM;
            goto done;
        }
        double run = 0;
        m->cdf[0] = 0;
        for (int64_t i = 0; i < n; i++) {
            double deg = (double)(m->A->rowptr[i + 1] - m->A->rowptr[i]); /* deg + 1 */
            run += pow(deg, 0.75);
            m->cdf[i + 1] = run;
        }
    }
    /* Pair matrix sized once: build it on the (not yet drawn) pair list's
     * capacity by a first sampling pass. */
    memset(m->m0, 0, nw0 * sizeof(float));
    memset(m->v0, 0, nw0 * sizeof(float));
    memset(m->m1, 0, nw1 * sizeof(float));
    memset(m->v1, 0, nw1 * sizeof(float));
    glorot(m->w0, m->in, h, h, o.seed, 0);
    glorot(m->w1, h, m->d, L, o.seed, 1);
    if (o.kind == SGAE_MODEL_VGAE)
        glorot(m->w1 + m->d, h, m->d, L, o.seed, 2);
    m->g0p = m->g0;
    sgae_model_sample_(m, 0);
    if (!m->neg_perm) {
        /* size the pair matrix once */
        SGAE_CHECK(sgae_pairmat_build(&m->pm, n, m->nneg, m->nu, m->nv));
        m->bytes += (int64_t)(m->pm.cap *
                                  (int64_t)(sizeof(int32_t) + sizeof(float) + sizeof(int64_t)) +
                              2 * (n + 1) * (int64_t)sizeof(int64_t));
    }
    *out = m;
    m = NULL;
done:
    sgae_model_free(m);
    return st;
}

void sgae_model_adam(sgae_model *m)
{
    double t0 = sgae_now();
    m->step++;
    sgae_adam_update(m->w0, m->g0p, m->m0, m->v0, m->in * m->h, m->o.lr, m->o.beta1,
                     m->o.beta2, m->o.adam_eps, m->step);
    sgae_adam_update(m->w1, m->g1, m->m1, m->v1, m->h * m->L, m->o.lr, m->o.beta1, m->o.beta2,
                     m->o.adam_eps, m->step);
    m->phase[SGAE_PHASE_OPTIM] += sgae_now() - t0;
}

float *sgae_model_param(sgae_model *m, int which, int64_t *rows, int64_t *cols)
{
    if (which == 0) {
        if (rows)
            *rows = m->in;
        if (cols)
            *cols = m->h;
        return m->w0;
    }
    if (rows)
        *rows = m->h;
    if (cols)
        *cols = m->L;
    return m->w1;
}

float *sgae_model_grad_ptr(sgae_model *m, int which)
{
    return which == 0 ? (float *)m->g0p : m->g1;
}

float *sgae_model_adam_moment(sgae_model *m, int which, int order)
{
    if ((which != 0 && which != 1) || (order != 1 && order != 2))
        return NULL;
    if (which == 0)
        return order == 1 ? m->m0 : m->v0;
    return order == 1 ? m->m1 : m->v1;
}

int64_t sgae_model_adam_steps(const sgae_model *m) { return m->step; }
void sgae_model_set_adam_steps(sgae_model *m, int64_t steps) { m->step = steps < 0 ? 0 : steps; }
const sgae_model_opts *sgae_model_options(const sgae_model *m) { return &m->o; }

static sgae_status neg_reserve(sgae_model *m, int64_t count)
{
    if (count <= m->ncap)
        return SGAE_OK;
/* m->field grown to n entries (contents kept), or SGAE_E_NOMEM returned */
#define GROW(field, n, what)                                                                \
    do {                                                                                   \
        void *q_ = sgae_realloc(m->field, (size_t)(n), sizeof *m->field, what);            \
        if (!q_)                                                                           \
            return SGAE_E_NOMEM;                                                           \
        m->field = q_;                                                                     \
    } while (0)
    GROW(nu, count, "negatives");
    GROW(nv, count, "negatives");
    GROW(ns, count, "negatives");
    m->ncap = count;
    int64_t np = (count + SGAE_MODEL_LB - 1) / SGAE_MODEL_LB;
    if (np > m->npart) {
        GROW(part, np, "loss partials");
        m->npart = np;
    }
#undef GROW
    return SGAE_OK;
}

sgae_status sgae_model_negatives(sgae_model *m, int64_t *count, const int32_t **u,
                                 const int32_t **v)
{
    *count = 0;
    *u = *v = NULL;
    if (m->neg_perm && !m->explicit_neg) {
        /* materialise (pi[t], pi[t+k]), without the rejected training edges */
        sgae_status st = neg_reserve(m, m->nneg);
        if (st)
            return st;
        int64_t c = 0, n = m->n;
        for (int64_t t = 0; t < n; t++)
            for (int64_t k = 1; k <= m->r; k++) {
                int32_t a = m->perm[t], b = m->perm[(t + k) % n];
                if (m->o.neg_reject && sgae_csr_has(m->A, a, b))
                    continue;
                m->nu[c] = a;
                m->nv[c] = b;
                c++;
            }
        *count = c;
    } else {
        *count = m->nneg;
    }
    *u = m->nu;
    *v = m->nv;
    return SGAE_OK;
}

int64_t sgae_model_neg_norm(const sgae_model *m) { return m->nneg; }

sgae_status sgae_model_set_negatives(sgae_model *m, int64_t count, const int32_t *u,
                                     const int32_t *v)
{
    if (count < 1)
        return sgae_error_set(SGAE_E_ARG, "model: at least one negative pair is needed");
    for (int64_t k = 0; k < count; k++)
        if (u[k] < 0 || v[k] < 0 || u[k] >= m->n || v[k] >= m->n || u[k] == v[k])
            return sgae_error_set(SGAE_E_ARG, "model: negative pair %lld (%d, %d) is invalid",
                                  (long long)k, u[k], v[k]);
    sgae_status st = neg_reserve(m, count);
    if (st)
        return st;
    memcpy(m->nu, u, (size_t)count * sizeof *u);
    memcpy(m->nv, v, (size_t)count * sizeof *v);
    m->nneg = count;
    m->explicit_neg = 1;
    return SGAE_OK;
}

int64_t sgae_model_latent(const sgae_model *m) { return m->d; }
int64_t sgae_model_nodes(const sgae_model *m) { return m->n; }
int64_t sgae_model_positives(const sgae_model *m) { return m->P; }
const double *sgae_model_phase_seconds(const sgae_model *m) { return m->phase; }
int64_t sgae_model_bytes(const sgae_model *m) { return m->bytes; }

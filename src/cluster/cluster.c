/* The clustering step: automatic k, k-means, refinement. */
#include <math.h>
#include <string.h>

#include "cluster_internal.h"
#include "sgae/rng.h"

#define CL_CMP(name, type)                                                                  \
    int name(const void *a, const void *b)                                                 \
    {                                                                                      \
        type x = *(const type *)a, y = *(const type *)b;                                   \
        return (x > y) - (x < y);                                                          \
    }
CL_CMP(cl_cmp_i32, int32_t)
CL_CMP(cl_cmp_i64, int64_t)
CL_CMP(cl_cmp_u64, uint64_t)
CL_CMP(cl_cmp_dbl, double)

/* Sub-purpose of SGAE_RNG_KMEANS for the automatic choice of k (far from
 * the restart indices used by sgae_kmeans). */
#define AUTOK_PURPOSE 0x4155544fULL

void sgae_cluster_opts_default(sgae_cluster_opts *o)
{
    *o = (sgae_cluster_opts){.k_min = 2, .k_max = 0, .k_tol = 0.01, .refine = 0};
    sgae_kmeans_opts_default(&o->kmeans);
    sgae_refine_opts_default(&o->refine_opts);
}

void sgae_cluster_result_clear(sgae_cluster_result *r)
{
    if (!r)
        return;
    free(r->comm);
    free(r->autok);
    sgae_kmeans_result_clear(&r->kmeans);
    memset(r, 0, sizeof *r);
}

/* Modularity of a cheap k-means at k: one run of at most 20 iterations on
 * a sample, then every row to its nearest center (then refined, when the
 * step refines). */
static sgae_status autok_eval(const sgae_graph *g, const float *x, int64_t n, int64_t dim,
                              const sgae_cluster_opts *o, int64_t k, int32_t *assign, float *d1,
                              float *d2, double *q)
{
    sgae_status st = SGAE_OK;
    float *xs = NULL;
    sgae_kmeans_result kr = {0};
    cl_panels cp = {0};
    const uint64_t pur = sgae_rng_purpose(SGAE_RNG_KMEANS, AUTOK_PURPOSE);
    int64_t m = 64 * k > 20000 ? 64 * k : 20000;
    if (m > n)
        m = n;
    SGAE_CHECK(cl_sample_rows(x, n, dim, m, o->kmeans.seed, sgae_rng_purpose(pur, (uint64_t)k),
                              &xs));
    sgae_kmeans_opts ko = o->kmeans;
    ko.k = k;
    ko.restarts = 1;
    ko.max_iter = ko.max_iter < 20 ? ko.max_iter : 20;
    ko.bounds = 1;
    ko.seed_sample = m;
    ko.seed = sgae_rng_u64(o->kmeans.seed, pur, (uint64_t)k);
    ko.progress.fn = NULL;
    SGAE_CHECK(sgae_kmeans(xs ? xs : x, m, dim, &ko, &kr));
    SGAE_CHECK(cl_panels_init(&cp, k, dim));
    cl_panels_fill(&cp, kr.centers);
    const int64_t nb = (n + CL_RB - 1) / CL_RB;
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t b = 0; b < nb; b++) {
        int64_t lo = b * CL_RB, hi = lo + CL_RB < n ? lo + CL_RB : n;
        cl_nearest(x + lo * dim, dim, NULL, hi - lo, &cp, assign + lo, d1 + lo, d2 + lo);
    }
    if (o->refine) {
        /* the refinement decides which k-means partition ends best */
        sgae_refine_opts ro = o->refine_opts;
        sgae_refine_result rr;
        ro.progress.fn = NULL;
        SGAE_CHECK(sgae_refine(g, assign, &ro, &rr));
        *q = rr.modularity_after;
    } else {
        SGAE_CHECK(sgae_modularity(g, assign, q));
    }
done:
    free(xs);
    sgae_kmeans_result_clear(&kr);
    cl_panels_clear(&cp);
    return st;
}

static sgae_status autok_point(sgae_cluster_result *r, int64_t *cap, int64_t k, double q,
                               double secs)
{
    if (r->autok_count == *cap) {
        int64_t nc = *cap ? 2 * *cap : 32;
        sgae_autok_point *p = sgae_realloc(r->autok, (size_t)nc, sizeof *p, "automatic k");
        if (!p)
            return SGAE_E_NOMEM;
        r->autok = p;
        *cap = nc;
    }
    r->autok[r->autok_count++] = (sgae_autok_point){k, q, secs};
    return SGAE_OK;
}

static int autok_seen(const sgae_cluster_result *r, int64_t k)
{
    for (int64_t i = 0; i < r->autok_count; i++)
        if (r->autok[i].k == k)
            return 1;
    return 0;
}

static sgae_status choose_k(const sgae_graph *g, const float *x, int64_t n, int64_t dim,
                            const sgae_cluster_opts *o, sgae_cluster_result *r, int64_t *kbest)
{
    sgae_status st = SGAE_OK;
    float *xn = NULL, *d1 = NULL, *d2 = NULL;
    int32_t *assign = NULL;
    int64_t cap = 0;
    double t0 = sgae_now();
    int64_t kmin = o->k_min > 1 ? o->k_min : 1;
    int64_t kmax = o->k_max;
    if (kmax <= 0) {
        kmax = (int64_t)llround(2.0 * sqrt((double)n));
        if (kmax < kmin)
            kmax = kmin;
    }
    if (kmax > n)
        kmax = n;
    if (kmin > kmax)
        SGAE_FAIL(SGAE_E_ARG, "automatic k: range %lld..%lld is empty (%lld rows)",
                  (long long)o->k_min, (long long)o->k_max, (long long)n);
    SGAE_CHECK(cl_rows_prepare(x, n, dim, o->kmeans.spherical, &xn));
    const float *xp = xn ? xn : x;
    if (SGAE_ALLOC_ARRAYS("automatic k", SGAE_ARRAY(assign, n), SGAE_ARRAY(d1, n),
                          SGAE_ARRAY(d2, n)))
        SGAE_FAIL(SGAE_E_NOMEM, "automatic k: no memory for %lld rows", (long long)n);
    int64_t best = -1;
    double bq = -INFINITY;
    /* a doubling grid, then two finer steps around the best */
    int64_t grid[64], ng = 0;
    for (int64_t k = kmin; k <= kmax && ng < 63; k *= 2) {
        grid[ng++] = k;
        if (k > kmax / 2)
            break;
    }
    if (grid[ng - 1] != kmax)
        grid[ng++] = kmax;
    const double steps[3] = {0, sqrt(2.0), pow(2.0, 0.25)};
    for (int stage = 0; stage < 3; stage++) {
        int64_t cand[64], nc = 0;
        if (stage == 0) {
            memcpy(cand, grid, (size_t)ng * sizeof *cand);
            nc = ng;
        } else {
            int64_t lo = (int64_t)llround((double)best / steps[stage]);
            int64_t hi = (int64_t)llround((double)best * steps[stage]);
            if (lo >= kmin && lo <= kmax)
                cand[nc++] = lo;
            if (hi >= kmin && hi <= kmax)
                cand[nc++] = hi;
        }
        for (int64_t c = 0; c < nc; c++) {
            int64_t k = cand[c];
            if (autok_seen(r, k))
                continue;
            double ts = sgae_now(), q;
            SGAE_CHECK(autok_eval(g, xp, n, dim, o, k, assign, d1, d2, &q));
            if ((st = autok_point(r, &cap, k, q, sgae_now() - ts)))
                SGAE_FAIL(st, "automatic k: no memory");
            sgae_progress_emit(&o->kmeans.progress, "automatic k", r->autok_count, 0);
            if (q > bq || (q == bq && k < best)) {
                bq = q;
                best = k;
            }
        }
    }
    sgae_progress_emit(&o->kmeans.progress, "automatic k", -1, 0);
    /* modularity is flat near its peak and the cheap evaluation is noisy:
     * of the candidates within k_tol (relative) of the best, the largest k */
    for (int64_t i = 0; i < r->autok_count; i++)
        if (r->autok[i].modularity >= bq - o->k_tol * fabs(bq) && r->autok[i].k > best)
            best = r->autok[i].k;
    *kbest = best;
done:
    r->autok_seconds = sgae_now() - t0;
    SGAE_FREE_ALL(xn, d1, d2, assign);
    return st;
}

/* Centers = means of the (normalised, when spherical) rows of each
 * non-empty group of start, in group-id order; *k their count. */
static sgae_status start_centers(const float *x, int64_t n, int64_t dim, const int32_t *start,
                                 int spherical, float **out, int64_t *k)
{
    sgae_status st = SGAE_OK;
    int32_t *ids = NULL;
    double *sum = NULL;
    int64_t *cnt = NULL;
    float *c = NULL, *xn = NULL;
    *out = NULL;
    ids = sgae_alloc((size_t)n, sizeof *ids, "start groups");
    if (!ids)
        SGAE_FAIL(SGAE_E_NOMEM, "cluster: no memory");
    memcpy(ids, start, (size_t)n * sizeof *ids);
    /* ids in increasing order of the given ids (not of first appearance) */
    int64_t bound = cl_id_bound(n, ids);
    if (bound < 0)
        SGAE_FAIL(SGAE_E_ARG, "cluster: a starting id below -1");
    cnt = sgae_calloc((size_t)bound + 1, sizeof *cnt, "start groups");
    if (!cnt)
        SGAE_FAIL(SGAE_E_NOMEM, "cluster: no memory");
    for (int64_t i = 0; i < n; i++)
        if (ids[i] >= 0)
            cnt[ids[i]]++;
    int64_t K = 0;
    for (int64_t g = 0; g < bound; g++)
        cnt[g] = cnt[g] ? K++ : -1;
    if (K == 0)
        SGAE_FAIL(SGAE_E_ARG, "cluster: no node of the starting partition is in the graph");
    SGAE_CHECK(cl_rows_prepare(x, n, dim, spherical, &xn));
    const float *xp = xn ? xn : x;
    sum = sgae_calloc((size_t)(K * dim), sizeof *sum, "start centers");
    c = sgae_alloc((size_t)(K * dim), sizeof *c, "start centers");
    int64_t *size = sgae_calloc((size_t)K, sizeof *size, "start centers");
    if (!sum || !c || !size) {
        free(size);
        SGAE_FAIL(SGAE_E_NOMEM, "cluster: no memory for %lld starting centers", (long long)K);
    }
    for (int64_t i = 0; i < n; i++) {
        if (ids[i] < 0)
            continue;
        int64_t q = cnt[ids[i]];
        size[q]++;
        for (int64_t j = 0; j < dim; j++)
            sum[q * dim + j] += xp[i * dim + j];
    }
    for (int64_t q = 0; q < K; q++) {
        double norm = 0;
        for (int64_t j = 0; j < dim; j++) {
            sum[q * dim + j] /= (double)size[q];
            norm += sum[q * dim + j] * sum[q * dim + j];
        }
        double sc = spherical && norm > 0 ? 1.0 / sqrt(norm) : 1.0;
        for (int64_t j = 0; j < dim; j++)
            c[q * dim + j] = (float)(sum[q * dim + j] * sc);
    }
    free(size);
    *out = c;
    *k = K;
    c = NULL;
done:
    SGAE_FREE_ALL(ids, sum, cnt, c, xn);
    return st;
}

sgae_status sgae_cluster(const sgae_graph *g, const float *x, int64_t n, int64_t dim,
                         const sgae_cluster_opts *opts, sgae_cluster_result *r)
{
    sgae_status st = SGAE_OK;
    sgae_cluster_opts o;
    float *init = NULL;
    double t0 = sgae_now();
    SGAE_OPTS_OR_DEFAULTS(o, opts, sgae_cluster_opts_default);
    memset(r, 0, sizeof *r);
    r->modularity = r->modularity_kmeans = NAN;
    if (g && g->n != n)
        SGAE_FAIL(SGAE_E_ARG, "cluster: %lld embedding rows for a graph of %lld nodes",
                  (long long)n, (long long)g->n);
    if (!g && o.kmeans.k <= 0 && !o.start)
        SGAE_FAIL(SGAE_E_ARG, "cluster: the automatic choice of k needs the graph");
    if (!g && o.refine)
        SGAE_FAIL(SGAE_E_ARG, "cluster: the refinement needs the graph");
    if (n < 1)
        SGAE_FAIL(SGAE_E_ARG, "cluster: no rows");
    r->n = n;
    int64_t k = o.kmeans.k;
    if (o.start) {
        SGAE_CHECK(start_centers(x, n, dim, o.start, o.kmeans.spherical, &init, &k));
        o.kmeans.init = init;
    } else if (k <= 0) {
        SGAE_CHECK(choose_k(g, x, n, dim, &o, r, &k));
    }
    o.kmeans.k = k;
    r->k = k;
    SGAE_CHECK(sgae_kmeans(x, n, dim, &o.kmeans, &r->kmeans));
    r->comm = sgae_alloc((size_t)n, sizeof *r->comm, "communities");
    if (!r->comm)
        SGAE_FAIL(SGAE_E_NOMEM, "cluster: no memory for %lld nodes", (long long)n);
    memcpy(r->comm, r->kmeans.assign, (size_t)n * sizeof *r->comm);
    {
        int64_t c = cl_compact(n, r->comm);
        if (c < 0)
            SGAE_FAIL(SGAE_E_NOMEM, "cluster: no memory");
        r->communities = c;
    }
    if (g) {
        SGAE_CHECK(sgae_modularity(g, r->comm, &r->modularity_kmeans));
        r->modularity = r->modularity_kmeans;
    }
    if (g && o.refine) {
        SGAE_CHECK(sgae_refine(g, r->comm, &o.refine_opts, &r->refine));
        r->refined = 1;
        r->communities = r->refine.communities_after;
        r->modularity = r->refine.modularity_after;
    }
    r->seconds = sgae_now() - t0;
done:
    if (st)
        sgae_cluster_result_clear(r);
    free(init);
    return st;
}

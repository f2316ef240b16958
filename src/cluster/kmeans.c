/* k-means: greedy k-means++ seeding on a sample, Lloyd iterations with
 * Hamerly's bounds, restarts; a blocked nearest-center kernel.
 *
 * Determinism: rows are processed in fixed blocks of CL_RB; every sum that
 * crosses rows is a per-block partial summed in block order (or, for the
 * centers, a per-cluster sum over its members in row order); no atomics on
 * floats.  The result does not depend on the thread count. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "cluster_internal.h"
#include "sgae/rng.h"

/* 16 floats in one vector (GCC/Clang vector extensions: lowered to AVX-512,
 * AVX2 or SSE as the target allows). */
typedef float cl_vf __attribute__((vector_size(64)));
typedef int32_t cl_vi __attribute__((vector_size(64)));
typedef double cl_vd __attribute__((vector_size(128)));

/* Sub-purposes of SGAE_RNG_KMEANS. */
enum { KM_SAMPLE = 1, KM_SEED = 2 };

/* Rows of the distance kernel's tiles. */
#define CL_ROWS 8

void sgae_kmeans_opts_default(sgae_kmeans_opts *o)
{
    *o = (sgae_kmeans_opts){.k = 0, .restarts = 3, .max_iter = 100, .tol = 1e-4, .spherical = 0,
                            .bounds = 1, .seed_sample = 0, .local_trials = 0, .seed = 1,
                            .init = NULL};
}

void sgae_kmeans_result_clear(sgae_kmeans_result *r)
{
    if (!r)
        return;
    SGAE_FREE_ALL(r->assign, r->centers, r->iter);
    memset(r, 0, sizeof *r);
}

/* ---- the nearest-center kernel ------------------------------------------ */

sgae_status cl_panels_init(cl_panels *cp, int64_t k, int64_t dim)
{
    memset(cp, 0, sizeof *cp);
    cp->k = k;
    cp->dim = dim;
    cp->panels = (k + CL_LANES - 1) / CL_LANES;
    cp->p = sgae_alloc_aligned((size_t)(cp->panels * dim * CL_LANES), sizeof(float),
                               "k-means center panels");
    return cp->p ? SGAE_OK : SGAE_E_NOMEM;
}

void cl_panels_fill(cl_panels *cp, const float *centers)
{
    const int64_t dim = cp->dim;
    for (int64_t q = 0; q < cp->panels; q++) {
        float *P = cp->p + q * dim * CL_LANES;
        for (int64_t v = 0; v < CL_LANES; v++) {
            int64_t c = q * CL_LANES + v;
            for (int64_t j = 0; j < dim; j++)
                P[j * CL_LANES + v] = c < cp->k ? centers[c * dim + j] : 1e18f;
        }
    }
}

void cl_panels_clear(cl_panels *cp)
{
    free(cp->p);
    memset(cp, 0, sizeof *cp);
}

static inline cl_vf vf_blend(cl_vi m, cl_vf a, cl_vf b) /* m ? a : b */
{
    return (cl_vf)(((cl_vi)a & m) | ((cl_vi)b & ~m));
}

void cl_nearest(const float *x, int64_t dim, const int32_t *idx, int64_t cnt,
                const cl_panels *cp, int32_t *best, float *d1, float *d2)
{
    const cl_vi lane = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int64_t g = 0; g < cnt; g += CL_ROWS) {
        const float *xr[CL_ROWS];
        int rows = cnt - g < CL_ROWS ? (int)(cnt - g) : CL_ROWS;
        for (int p = 0; p < CL_ROWS; p++) {
            int64_t t = g + (p < rows ? p : 0);
            xr[p] = x + (idx ? (int64_t)idx[t] : t) * dim;
        }
        cl_vf b1[CL_ROWS], b2[CL_ROWS];
        cl_vi i1[CL_ROWS];
        for (int p = 0; p < CL_ROWS; p++) {
            for (int v = 0; v < CL_LANES; v++)
                b1[p][v] = b2[p][v] = FLT_MAX;
            i1[p] = lane & 0;
        }
        for (int64_t q = 0; q < cp->panels; q++) {
            const cl_vf *P = (const cl_vf *)(cp->p + q * dim * CL_LANES);
            cl_vf acc[CL_ROWS];
            for (int p = 0; p < CL_ROWS; p++)
                acc[p] = (cl_vf){0};
            for (int64_t j = 0; j < dim; j++) {
                cl_vf c = P[j];
                for (int p = 0; p < CL_ROWS; p++) {
                    cl_vf t = xr[p][j] - c;
                    acc[p] += t * t;
                }
            }
            cl_vi id = lane + (int32_t)(q * CL_LANES);
            if (q == cp->panels - 1 && cp->k % CL_LANES) {
                /* lanes past the last center: never nearest nor second */
                cl_vi valid = id < (int32_t)cp->k;
                cl_vf big = {0};
                big += FLT_MAX;
                for (int p = 0; p < CL_ROWS; p++)
                    acc[p] = vf_blend(valid, acc[p], big);
            }
            for (int p = 0; p < CL_ROWS; p++) {
                cl_vi lt = acc[p] < b1[p];
                cl_vf mx = vf_blend(lt, b1[p], acc[p]);
                b2[p] = vf_blend(b2[p] < mx, b2[p], mx);
                i1[p] = (id & lt) | (i1[p] & ~lt);
                b1[p] = vf_blend(lt, acc[p], b1[p]);
            }
        }
        for (int p = 0; p < rows; p++) {
            int bl = 0;
            for (int v = 1; v < CL_LANES; v++)
                if (b1[p][v] < b1[p][bl] || (b1[p][v] == b1[p][bl] && i1[p][v] < i1[p][bl]))
                    bl = v;
            float s = FLT_MAX;
            for (int v = 0; v < CL_LANES; v++) {
                if (b2[p][v] < s)
                    s = b2[p][v];
                if (v != bl && b1[p][v] < s)
                    s = b1[p][v];
            }
            best[g + p] = i1[p][bl];
            d1[g + p] = b1[p][bl];
            d2[g + p] = s;
        }
    }
}

/* ---- rows ----------------------------------------------------------------- */

sgae_status cl_rows_prepare(const float *x, int64_t n, int64_t dim, int normalise, float **copy)
{
    sgae_status st = SGAE_OK;
    const int64_t nb = (n + CL_RB - 1) / CL_RB;
    int64_t bad = n;
    float *y = NULL;
    *copy = NULL;
#pragma omp parallel for schedule(static) reduction(min : bad)
    for (int64_t b = 0; b < nb; b++) {
        int64_t hi = (b + 1) * CL_RB < n ? (b + 1) * CL_RB : n;
        for (int64_t i = b * CL_RB; i < hi && i < bad; i++)
            for (int64_t j = 0; j < dim; j++)
                if (!isfinite(x[i * dim + j])) {
                    bad = i;
                    break;
                }
    }
    if (bad < n)
        SGAE_FAIL(SGAE_E_ARG, "k-means: row %lld has a NaN or infinite value", (long long)bad);
    if (!normalise)
        return SGAE_OK;
    y = sgae_alloc_aligned((size_t)(n * dim), sizeof *y, "normalised rows");
    if (!y)
        SGAE_FAIL(SGAE_E_NOMEM, "k-means: no memory for %lld normalised rows", (long long)n);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        double s = 0;
        for (int64_t j = 0; j < dim; j++)
            s += (double)x[i * dim + j] * x[i * dim + j];
        float inv = s > 0 ? (float)(1.0 / sqrt(s)) : 0.0f;
        for (int64_t j = 0; j < dim; j++)
            y[i * dim + j] = x[i * dim + j] * inv;
    }
    *copy = y;
    y = NULL;
done:
    free(y);
    return st;
}

/* ---- seeding -------------------------------------------------------------- */

static void seed_progress(const sgae_kmeans_opts *o, double *last, int64_t done, int64_t total)
{
    if (!o->progress.fn)
        return;
    double t = sgae_now();
    if (t - *last < 0.2 && done < total)
        return;
    *last = t;
    sgae_progress_emit(&o->progress, "k-means seeding", done, total);
}

/* The seeding's distances to the nearest center so far after center cc:
 * D[i] = min(D[i], d(row i, cc)) (first: D[i] = d(row i, cc)), and the
 * block sums of D into bsum.  The distances come from lane `lane` of cd
 * (the candidates' distances) when cd is set. */
static void seed_update(const float *xs, int64_t m, int64_t dim, const float *cc,
                        const float *cd, int64_t lane, int first, int par, float *D,
                        double *bsum)
{
    const int64_t nb = (m + CL_RB - 1) / CL_RB;
#pragma omp parallel for schedule(static) if (par)
    for (int64_t b = 0; b < nb; b++) {
        int64_t hi = (b + 1) * CL_RB < m ? (b + 1) * CL_RB : m;
        double s = 0;
        for (int64_t i = b * CL_RB; i < hi; i++) {
            float dd = cd ? cd[i * CL_LANES + lane] : cl_dist2(xs + i * dim, cc, dim);
            if (first || dd < D[i])
                D[i] = dd;
            s += D[i];
        }
        bsum[b] = s;
    }
}

/* Greedy k-means++ on the m rows of xs: k centers into `centers`. */
static sgae_status kmeanspp(const float *xs, int64_t m, int64_t dim, int64_t k, int64_t trials,
                            uint64_t seed, uint64_t purpose, const sgae_kmeans_opts *o,
                            float *centers, int64_t *ndist)
{
    sgae_status st = SGAE_OK;
    const int64_t nb = (m + CL_RB - 1) / CL_RB;
    float *D = sgae_alloc((size_t)m, sizeof *D, "k-means++ distances");
    double *bsum = sgae_alloc((size_t)nb, sizeof *bsum, "k-means++ sums");
    double *bpot = sgae_alloc((size_t)nb * CL_LANES, sizeof *bpot, "k-means++ potentials");
    float *panel = sgae_alloc_aligned((size_t)(dim * CL_LANES), sizeof *panel, "k-means++ panel");
    /* each row's distances to the candidates of the step (reused for the
     * update once the candidate is chosen) */
    float *cd = trials > 1 ? sgae_alloc_aligned((size_t)m * CL_LANES, sizeof *cd,
                                                "k-means++ candidate distances")
                           : NULL;
    double last = 0;
    int64_t cand[CL_LANES];
    if (!D || !bsum || !bpot || !panel || (trials > 1 && !cd))
        SGAE_FAIL(SGAE_E_NOMEM, "k-means++: no memory for %lld rows", (long long)m);
    /* parallel only for large samples: each of the k steps ends in a
     * barrier, which costs more than a small step on a busy machine */
    const int par = m * dim >= ((int64_t)1 << 22);
    int64_t first = (int64_t)sgae_rng_below(seed, purpose, 0, (uint64_t)m);
    memcpy(centers, xs + first * dim, (size_t)dim * sizeof *centers);
    seed_update(xs, m, dim, centers, NULL, 0, 1, par, D, bsum);
    *ndist += m;
    for (int64_t c = 1; c < k; c++) {
        double total = 0;
        for (int64_t b = 0; b < nb; b++)
            total += bsum[b];
        for (int64_t t = 0; t < trials; t++) {
            uint64_t idx = 1 + (uint64_t)c * (uint64_t)trials + (uint64_t)t;
            if (!(total > 0)) {
                cand[t] = (int64_t)sgae_rng_below(seed, purpose, idx, (uint64_t)m);
                continue;
            }
            double u = sgae_rng_uniform(seed, purpose, idx) * total, acc = 0;
            int64_t b = 0;
            while (b < nb - 1 && acc + bsum[b] <= u)
                acc += bsum[b++];
            int64_t lo = b * CL_RB, hi = (b + 1) * CL_RB < m ? (b + 1) * CL_RB : m;
            int64_t pick = -1;
            for (int64_t i = lo; i < hi; i++) {
                if (D[i] > 0)
                    pick = i; /* the last positive row, should rounding run past u */
                acc += D[i];
                if (acc > u && D[i] > 0)
                    break;
            }
            if (pick < 0) /* block sum positive but rows zero: rounding; any row */
                pick = lo;
            cand[t] = pick;
        }
        int64_t chosen = cand[0], lane = 0;
        if (trials > 1) {
            for (int64_t v = 0; v < CL_LANES; v++)
                for (int64_t j = 0; j < dim; j++)
                    panel[j * CL_LANES + v] = v < trials ? xs[cand[v] * dim + j] : 1e18f;
            const cl_vf *P = (const cl_vf *)panel;
#pragma omp parallel for schedule(static) if (par)
            for (int64_t b = 0; b < nb; b++) {
                int64_t hi = (b + 1) * CL_RB < m ? (b + 1) * CL_RB : m;
                cl_vd pot = {0};
                for (int64_t i = b * CL_RB; i < hi; i++) {
                    const float *xi = xs + i * dim;
                    cl_vf a = {0};
                    for (int64_t j = 0; j < dim; j++) {
                        cl_vf t = xi[j] - P[j];
                        a += t * t;
                    }
                    *(cl_vf *)(cd + i * CL_LANES) = a;
                    cl_vf dv = {0};
                    dv += D[i];
                    a = vf_blend(a < dv, a, dv);
                    pot += __builtin_convertvector(a, cl_vd);
                }
                for (int v = 0; v < CL_LANES; v++)
                    bpot[b * CL_LANES + v] = pot[v];
            }
            double bestpot = INFINITY;
            for (int64_t t = 0; t < trials; t++) {
                double s = 0;
                for (int64_t b = 0; b < nb; b++)
                    s += bpot[b * CL_LANES + t];
                if (s < bestpot) {
                    bestpot = s;
                    chosen = cand[t];
                    lane = t;
                }
            }
            *ndist += m * trials;
        }
        float *cc = centers + c * dim;
        memcpy(cc, xs + chosen * dim, (size_t)dim * sizeof *cc);
        seed_update(xs, m, dim, cc, cd, lane, 0, par, D, bsum);
        *ndist += m;
        seed_progress(o, &last, c + 1, k);
    }
done:
    SGAE_FREE_ALL(D, bsum, bpot, panel, cd);
    return st;
}

/* A uniform sample of m of the n rows (sorted row order), copied to *out;
 * *out = NULL when m == n (use the rows themselves). */
sgae_status cl_sample_rows(const float *x, int64_t n, int64_t dim, int64_t m, uint64_t seed,
                               uint64_t purpose, float **out)
{
    sgae_status st = SGAE_OK;
    int32_t *idx = NULL;
    float *xs = NULL;
    *out = NULL;
    if (m >= n)
        return SGAE_OK;
    idx = sgae_alloc((size_t)n, sizeof *idx, "sample");
    xs = sgae_alloc_aligned((size_t)(m * dim), sizeof *xs, "sample rows");
    if (!idx || !xs)
        SGAE_FAIL(SGAE_E_NOMEM, "k-means: no memory for a sample of %lld rows", (long long)m);
    for (int64_t i = 0; i < n; i++)
        idx[i] = (int32_t)i;
    for (int64_t t = 0; t < m; t++) {
        int64_t j = t + (int64_t)sgae_rng_below(seed, purpose, (uint64_t)t, (uint64_t)(n - t));
        int32_t tmp = idx[t];
        idx[t] = idx[j];
        idx[j] = tmp;
    }
    qsort(idx, (size_t)m, sizeof *idx, cl_cmp_i32);
#pragma omp parallel for schedule(static)
    for (int64_t t = 0; t < m; t++)
        memcpy(xs + t * dim, x + (int64_t)idx[t] * dim, (size_t)dim * sizeof *xs);
    *out = xs;
    xs = NULL;
done:
    free(idx);
    free(xs);
    return st;
}

/* ---- Lloyd with Hamerly's bounds ------------------------------------------ */

typedef struct {
    const float *x;
    int64_t n, dim, k, nb;
    int spherical;
    int32_t *assign;
    float *upper, *lower;
    float *centers, *newc; /* k x dim */
    double *sum;           /* k x dim */
    int64_t *cnt, *start;
    int32_t *members;
    float *shalf, *delta; /* k */
    int32_t *cbest;       /* k (center-center scan) */
    float *cd1, *cd2;     /* k */
    cl_panels cp;
    int32_t *fail, *fbest; /* n */
    float *fd1, *fd2;      /* n */
    int64_t *bstat;        /* nb x 2: distances, changed */
    int64_t relocated;
} km_state;

static void km_state_free(km_state *s)
{
    cl_panels_clear(&s->cp);
    SGAE_FREE_ALL(s->assign, s->upper, s->lower, s->centers, s->newc, s->sum, s->cnt, s->start,
                  s->members, s->shalf, s->delta, s->cbest, s->cd1, s->cd2, s->fail, s->fbest,
                  s->fd1, s->fd2, s->bstat);
    memset(s, 0, sizeof *s);
}

static sgae_status km_state_init(km_state *s, const float *x, int64_t n, int64_t dim, int64_t k,
                                 int spherical)
{
    memset(s, 0, sizeof *s);
    s->x = x;
    s->n = n;
    s->dim = dim;
    s->k = k;
    s->spherical = spherical;
    s->nb = (n + CL_RB - 1) / CL_RB;
    size_t N = (size_t)n, K = (size_t)k, KD = (size_t)(k * dim);
    if (SGAE_ALLOC_ARRAYS("k-means assignment", SGAE_ARRAY(s->assign, N), SGAE_ARRAY(s->upper, N),
                          SGAE_ARRAY(s->lower, N), SGAE_ARRAY(s->centers, KD),
                          SGAE_ARRAY(s->newc, KD), SGAE_ARRAY(s->sum, KD), SGAE_ARRAY(s->cnt, K),
                          SGAE_ARRAY(s->start, K + 1), SGAE_ARRAY(s->members, N),
                          SGAE_ARRAY(s->shalf, K), SGAE_ARRAY(s->delta, K), SGAE_ARRAY(s->cbest, K),
                          SGAE_ARRAY(s->cd1, K), SGAE_ARRAY(s->cd2, K), SGAE_ARRAY(s->fail, N),
                          SGAE_ARRAY(s->fbest, N), SGAE_ARRAY(s->fd1, N), SGAE_ARRAY(s->fd2, N),
                          SGAE_ARRAY(s->bstat, (size_t)s->nb * 2)))
        return SGAE_E_NOMEM;
    return cl_panels_init(&s->cp, k, dim);
}

/* Half the distance from each center to its nearest other center (one
 * kernel call on the centers themselves: the nearest is the center, the
 * second nearest the one wanted). */
static int64_t km_center_gaps(km_state *s)
{
    const int64_t k = s->k, nbk = (k + CL_RB - 1) / CL_RB;
#pragma omp parallel for schedule(dynamic, 1) if (nbk > 1)
    for (int64_t b = 0; b < nbk; b++) {
        int64_t lo = b * CL_RB, hi = lo + CL_RB < k ? lo + CL_RB : k;
        cl_nearest(s->centers + lo * s->dim, s->dim, NULL, hi - lo, &s->cp, s->cbest + lo,
                   s->cd1 + lo, s->cd2 + lo);
        for (int64_t j = lo; j < hi; j++)
            s->shalf[j] = 0.5f * sqrtf(s->cd2[j]);
    }
    return k * k;
}

/* Assignment step: every row (full) or the rows whose bounds allow a
 * change.  Returns the distances computed; *changed the rows that moved. */
static int64_t km_assign(km_state *s, int full, int64_t *changed)
{
    const int64_t n = s->n, dim = s->dim, k = s->k;
#pragma omp parallel for schedule(dynamic, 1) if (s->nb > 1)
    for (int64_t b = 0; b < s->nb; b++) {
        int64_t lo = b * CL_RB, hi = lo + CL_RB < n ? lo + CL_RB : n;
        int64_t nf = 0, dist = 0, ch = 0;
        for (int64_t i = lo; i < hi; i++) {
            if (!full) {
                int32_t a = s->assign[i];
                float m = s->shalf[a] > s->lower[i] ? s->shalf[a] : s->lower[i];
                if (s->upper[i] <= m)
                    continue;
                s->upper[i] = sqrtf(cl_dist2(s->x + i * dim, s->centers + (int64_t)a * dim, dim));
                dist++;
                if (s->upper[i] <= m)
                    continue;
            }
            s->fail[lo + nf++] = (int32_t)i;
        }
        cl_nearest(s->x, dim, s->fail + lo, nf, &s->cp, s->fbest + lo, s->fd1 + lo, s->fd2 + lo);
        dist += nf * k;
        for (int64_t t = 0; t < nf; t++) {
            int64_t i = s->fail[lo + t];
            if (s->fbest[lo + t] != s->assign[i])
                ch++;
            s->assign[i] = s->fbest[lo + t];
            s->upper[i] = sqrtf(s->fd1[lo + t]);
            s->lower[i] = sqrtf(s->fd2[lo + t]);
        }
        s->bstat[2 * b] = dist;
        s->bstat[2 * b + 1] = ch;
    }
    int64_t dist = 0, ch = 0;
    for (int64_t b = 0; b < s->nb; b++) {
        dist += s->bstat[2 * b];
        ch += s->bstat[2 * b + 1];
    }
    *changed = ch;
    return dist;
}

static _Thread_local const float *sort_upper; /* qsort has no context argument */
static int cmp_far(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    float ux = sort_upper[x], uy = sort_upper[y];
    if (ux != uy)
        return ux > uy ? -1 : 1;
    return (x > y) - (x < y);
}

/* Update step: centers = means of their rows (empty clusters refilled);
 * bounds moved by the center shifts.  Returns the summed squared shift. */
static double km_update(km_state *s)
{
    const int64_t n = s->n, dim = s->dim, k = s->k;
    memset(s->cnt, 0, (size_t)k * sizeof *s->cnt);
    for (int64_t i = 0; i < n; i++)
        s->cnt[s->assign[i]]++;
    int64_t empty = 0;
    for (int64_t j = 0; j < k; j++)
        empty += s->cnt[j] == 0;
    if (empty > 0) {
        /* refill each empty cluster, in id order, with the row farthest from
         * its center (by its upper bound; ties: the smaller row) among
         * clusters that keep at least one row */
        int32_t *order = s->fail; /* free between assignment steps */
        for (int64_t i = 0; i < n; i++)
            order[i] = (int32_t)i;
        sort_upper = s->upper;
        qsort(order, (size_t)n, sizeof *order, cmp_far);
        sort_upper = NULL;
        int64_t q = 0;
        for (int64_t j = 0; j < k; j++) {
            if (s->cnt[j] > 0)
                continue;
            while (q < n && s->cnt[s->assign[order[q]]] < 2)
                q++;
            if (q == n)
                break; /* cannot happen with k <= n */
            int32_t far = order[q++];
            s->cnt[s->assign[far]]--;
            s->assign[far] = (int32_t)j;
            s->cnt[j] = 1;
            s->upper[far] = 0;
            s->lower[far] = 0;
            s->relocated++;
        }
    }
    s->start[0] = 0;
    for (int64_t j = 0; j < k; j++)
        s->start[j + 1] = s->start[j] + s->cnt[j];
    memset(s->cnt, 0, (size_t)k * sizeof *s->cnt);
    for (int64_t i = 0; i < n; i++) {
        int32_t a = s->assign[i];
        s->members[s->start[a] + s->cnt[a]++] = (int32_t)i;
    }
#pragma omp parallel for schedule(dynamic, 16) if (k > 64)
    for (int64_t j = 0; j < k; j++) {
        double *acc = s->sum + j * dim;
        float *c = s->newc + j * dim;
        const float *old = s->centers + j * dim;
        for (int64_t t = 0; t < dim; t++)
            acc[t] = 0;
        for (int64_t q = s->start[j]; q < s->start[j + 1]; q++) {
            const float *xi = s->x + (int64_t)s->members[q] * dim;
            for (int64_t t = 0; t < dim; t++)
                acc[t] += xi[t];
        }
        int64_t cn = s->start[j + 1] - s->start[j];
        if (cn == 0) {
            memcpy(c, old, (size_t)dim * sizeof *c);
        } else {
            double norm = 0;
            for (int64_t t = 0; t < dim; t++) {
                acc[t] /= (double)cn;
                norm += acc[t] * acc[t];
            }
            double scale = (s->spherical && norm > 0) ? 1.0 / sqrt(norm) : 1.0;
            for (int64_t t = 0; t < dim; t++)
                c[t] = (float)(acc[t] * scale);
        }
        s->delta[j] = sqrtf(cl_dist2(c, old, dim));
    }
    double shift = 0;
    int64_t jmax = 0;
    float m1 = 0, m2 = 0;
    for (int64_t j = 0; j < k; j++) {
        shift += (double)s->delta[j] * s->delta[j];
        if (s->delta[j] > m1) {
            m2 = m1;
            m1 = s->delta[j];
            jmax = j;
        } else if (s->delta[j] > m2) {
            m2 = s->delta[j];
        }
    }
    float *tmp = s->centers;
    s->centers = s->newc;
    s->newc = tmp;
#pragma omp parallel for schedule(static) if (s->nb > 1)
    for (int64_t i = 0; i < n; i++) {
        int32_t a = s->assign[i];
        s->upper[i] += s->delta[a];
        s->lower[i] -= a == jmax ? m2 : m1;
    }
    cl_panels_fill(&s->cp, s->centers);
    return shift;
}

static double km_inertia(const km_state *s, double *bsum)
{
    const int64_t n = s->n, dim = s->dim;
#pragma omp parallel for schedule(static)
    for (int64_t b = 0; b < s->nb; b++) {
        int64_t hi = (b + 1) * CL_RB < n ? (b + 1) * CL_RB : n;
        double acc = 0;
        for (int64_t i = b * CL_RB; i < hi; i++)
            acc += cl_dist2(s->x + i * dim, s->centers + (int64_t)s->assign[i] * dim, dim);
        bsum[b] = acc;
    }
    double t = 0;
    for (int64_t b = 0; b < s->nb; b++)
        t += bsum[b];
    return t;
}

/* Mean over dimensions of the variance of the rows (two passes, blocks). */
static sgae_status mean_variance(const float *x, int64_t n, int64_t dim, double *out)
{
    const int64_t nb = (n + CL_RB - 1) / CL_RB;
    double *part = sgae_alloc((size_t)(nb * dim), sizeof *part, "k-means variance");
    double *mean = sgae_alloc((size_t)dim, sizeof *mean, "k-means variance");
    if (!part || !mean) {
        free(part);
        free(mean);
        return SGAE_E_NOMEM;
    }
    for (int pass = 0; pass < 2; pass++) {
#pragma omp parallel for schedule(static)
        for (int64_t b = 0; b < nb; b++) {
            int64_t hi = (b + 1) * CL_RB < n ? (b + 1) * CL_RB : n;
            double *p = part + b * dim;
            for (int64_t j = 0; j < dim; j++)
                p[j] = 0;
            for (int64_t i = b * CL_RB; i < hi; i++)
                for (int64_t j = 0; j < dim; j++) {
                    double v = x[i * dim + j];
                    if (pass == 0)
                        p[j] += v;
                    else
                        p[j] += (v - mean[j]) * (v - mean[j]);
                }
        }
        for (int64_t j = 0; j < dim; j++) {
            double s = 0;
            for (int64_t b = 0; b < nb; b++)
                s += part[b * dim + j];
            mean[j] = s / (double)n;
        }
    }
    double v = 0;
    for (int64_t j = 0; j < dim; j++)
        v += mean[j];
    *out = v / (double)dim;
    free(part);
    free(mean);
    return SGAE_OK;
}

sgae_status sgae_kmeans(const float *xin, int64_t n, int64_t dim, const sgae_kmeans_opts *opts,
                        sgae_kmeans_result *r)
{
    sgae_status st = SGAE_OK;
    sgae_kmeans_opts o;
    km_state s = {0};
    float *xnorm = NULL, *xs = NULL;
    double *bsum = NULL;
    sgae_kmeans_iter *iters = NULL;
    double t_start = sgae_now();
    SGAE_OPTS_OR_DEFAULTS(o, opts, sgae_kmeans_opts_default);
    memset(r, 0, sizeof *r);
    if (!xin || n < 1 || dim < 1)
        SGAE_FAIL(SGAE_E_ARG, "k-means: no rows (n = %lld, dim = %lld)", (long long)n,
                  (long long)dim);
    if (n >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "k-means: %lld rows (at most 2^31 - 2)", (long long)n);
    if (o.k < 1 || o.k > n)
        SGAE_FAIL(SGAE_E_ARG, "k-means: k = %lld must be in 1..%lld (the rows)", (long long)o.k,
                  (long long)n);
    if (o.restarts < 1 || o.init)
        o.restarts = 1;
    if (o.max_iter < 1)
        o.max_iter = 1;
    if (o.tol < 0)
        o.tol = 0;
    const int64_t k = o.k;
    int64_t trials = o.local_trials > 0 ? o.local_trials : 2 + (int64_t)floor(log((double)k));
    if (trials > CL_LANES)
        trials = CL_LANES;
    int64_t m = o.seed_sample;
    if (m <= 0) { /* 64 rows per center, within a budget of seeding work */
        int64_t budget = ((int64_t)1 << 31) / (k * trials);
        m = 64 * k < budget ? 64 * k : budget;
        if (m < 20000)
            m = 20000;
    }
    if (m < k)
        m = k;
    if (m > n)
        m = n;
    SGAE_CHECK(cl_rows_prepare(xin, n, dim, o.spherical, &xnorm));
    const float *x = xnorm ? xnorm : xin;
    double var;
    SGAE_CHECK(mean_variance(x, n, dim, &var));
    const double tol_abs = o.tol * var;
    if ((st = km_state_init(&s, x, n, dim, k, o.spherical)))
        SGAE_FAIL(SGAE_E_NOMEM, "k-means: no memory for %lld rows and %lld centers",
                  (long long)n, (long long)k);
    if (SGAE_ALLOC_ARRAYS("k-means inertia", SGAE_ARRAY(bsum, (size_t)s.nb),
                          SGAE_ARRAY(iters, (size_t)o.max_iter + 1), SGAE_ARRAY(r->assign, n),
                          SGAE_ARRAY(r->centers, (size_t)(k * dim)),
                          SGAE_ARRAY(r->iter, (size_t)o.max_iter + 1)))
        SGAE_FAIL(SGAE_E_NOMEM, "k-means: no memory for the result");
    r->n = n;
    r->dim = dim;
    r->k = k;
    r->inertia = INFINITY;
    double last = 0;
    for (int64_t run = 0; run < o.restarts; run++) {
        double t0 = sgae_now();
        uint64_t pur = sgae_rng_purpose(SGAE_RNG_KMEANS, (uint64_t)run);
        if (o.init) {
            memcpy(s.centers, o.init, (size_t)(k * dim) * sizeof *s.centers);
        } else {
            SGAE_CHECK(cl_sample_rows(x, n, dim, m, o.seed, sgae_rng_purpose(pur, KM_SAMPLE),
                                      &xs));
            SGAE_CHECK(kmeanspp(xs ? xs : x, m, dim, k, trials, o.seed,
                                sgae_rng_purpose(pur, KM_SEED), &o, s.centers,
                                &r->seed_distances));
            free(xs);
            xs = NULL;
        }
        double t1 = sgae_now();
        r->seed_seconds += t1 - t0;
        cl_panels_fill(&s.cp, s.centers);
        for (int64_t i = 0; i < n; i++)
            s.assign[i] = -1;
        int64_t it = 0, converged = 0;
        while (it < o.max_iter) {
            double ti = sgae_now();
            int64_t changed, dist = 0;
            int full = it == 0 || !o.bounds;
            if (!full)
                dist += km_center_gaps(&s);
            dist += km_assign(&s, full, &changed);
            if (it > 0 && changed == 0) {
                converged = 1; /* the same labels give the same centers */
                iters[it].seconds = sgae_now() - ti;
                iters[it].distances = dist;
                iters[it].changed = 0;
                it++;
                r->distances += dist;
                r->distances_naive += n * k;
                break;
            }
            double shift = km_update(&s);
            iters[it].seconds = sgae_now() - ti;
            iters[it].distances = dist;
            iters[it].changed = changed;
            it++;
            r->distances += dist;
            r->distances_naive += n * k;
            if (o.progress.fn && (sgae_now() - last > 0.2 || it == o.max_iter)) {
                last = sgae_now();
                sgae_progress_emit(&o.progress, "k-means", it, o.max_iter);
            }
            if (shift <= tol_abs) {
                converged = 1;
                break;
            }
        }
        if (!(it > 0 && iters[it - 1].changed == 0)) {
            /* labels for the final centers */
            int64_t changed, dist = 0;
            if (o.bounds)
                dist += km_center_gaps(&s);
            dist += km_assign(&s, !o.bounds, &changed);
            r->distances += dist;
            r->distances_naive += n * k;
            iters[it - 1].distances += dist;
        }
        double inertia = km_inertia(&s, bsum);
        r->lloyd_seconds += sgae_now() - t1;
        r->restarts = run + 1;
        if (inertia < r->inertia) {
            r->inertia = inertia;
            r->best_restart = run;
            r->iterations = it;
            r->converged = (int)converged;
            memcpy(r->assign, s.assign, (size_t)n * sizeof *r->assign);
            memcpy(r->centers, s.centers, (size_t)(k * dim) * sizeof *r->centers);
            memcpy(r->iter, iters, (size_t)it * sizeof *r->iter);
        }
    }
    r->relocated = s.relocated;
    if (o.progress.fn)
        sgae_progress_emit(&o.progress, "k-means", -1, o.max_iter);
    r->seconds = sgae_now() - t_start;
done:
    if (st)
        sgae_kmeans_result_clear(r);
    km_state_free(&s);
    SGAE_FREE_ALL(xnorm, xs, bsum, iters);
    return st;
}

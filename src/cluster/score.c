/* Scores of a partition: modularity, sizes and conductance on the graph;
 * NMI, ARI, AMI and best-match F1 against a ground truth (scikit-learn's
 * definitions); F1 against an overlapping cover. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "cluster_internal.h"

int64_t cl_id_bound(int64_t n, const int32_t *comm)
{
    int64_t hi = -1;
    int bad = 0;
#pragma omp parallel for schedule(static) reduction(max : hi) reduction(| : bad)
    for (int64_t i = 0; i < n; i++) {
        if (comm[i] < -1)
            bad = 1;
        if (comm[i] > hi)
            hi = comm[i];
    }
    return bad ? -2 : hi + 1;
}

int64_t cl_compact(int64_t n, int32_t *comm)
{
    int64_t bound = cl_id_bound(n, comm);
    if (bound < 0)
        return -1;
    int32_t *map = sgae_alloc((size_t)bound + 1, sizeof *map, "community ids");
    if (!map)
        return -1;
    for (int64_t c = 0; c < bound; c++)
        map[c] = -1;
    int32_t next = 0;
    for (int64_t i = 0; i < n; i++) {
        int32_t c = comm[i];
        if (c < 0)
            continue;
        if (map[c] < 0)
            map[c] = next++;
        comm[i] = map[c];
    }
    free(map);
    return next;
}

/* Per community: total degree D_c and internal adjacency entries (2 L_c). */
static sgae_status comm_degrees(const sgae_graph *g, const int32_t *comm, int64_t bound,
                                int64_t **deg, int64_t **inner)
{
    const int64_t n = g->n;
    int64_t *D = sgae_calloc((size_t)bound + 1, sizeof *D, "community degrees");
    int64_t *I = sgae_calloc((size_t)bound + 1, sizeof *I, "community degrees");
    int32_t *in_node = sgae_alloc((size_t)n + 1, sizeof *in_node, "community degrees");
    if (!D || !I || !in_node) {
        SGAE_FREE_ALL(D, I, in_node);
        return SGAE_E_NOMEM;
    }
    const int64_t *rp = g->adj.rowptr;
    const int32_t *col = g->adj.col;
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t i = 0; i < n; i++) {
        int32_t c = comm[i], cnt = 0;
        if (c >= 0)
            for (int64_t e = rp[i]; e < rp[i + 1]; e++)
                cnt += comm[col[e]] == c;
        in_node[i] = cnt;
    }
    for (int64_t i = 0; i < n; i++)
        if (comm[i] >= 0) {
            D[comm[i]] += rp[i + 1] - rp[i];
            I[comm[i]] += in_node[i];
        }
    free(in_node);
    *deg = D;
    *inner = I;
    return SGAE_OK;
}

/* Weighted modularity Q = sum_c [ I_c / 2W - (S_c / 2W)^2 ], I_c the
 * weights inside c (both directions), S_c the strengths of its nodes, 2W
 * the sum of all strengths; per-node sums in row order, then summed in
 * node order (the same value at any thread count). */
static sgae_status modularity_weighted(const sgae_graph *g, const int32_t *comm, int64_t bound,
                                       double *q)
{
    const int64_t n = g->n;
    double *S = sgae_calloc((size_t)bound + 1, sizeof *S, "community strengths");
    double *nd = sgae_alloc((size_t)n + 1, 2 * sizeof *nd, "node strengths");
    if (!S || !nd) {
        free(S);
        free(nd);
        return SGAE_E_NOMEM;
    }
    const int64_t *rp = g->adj.rowptr;
    const int32_t *col = g->adj.col;
    const float *w = g->adj.val;
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t i = 0; i < n; i++) {
        double si = 0, in = 0;
        for (int64_t e = rp[i]; e < rp[i + 1]; e++) {
            si += (double)w[e];
            if (comm[i] >= 0 && comm[col[e]] == comm[i])
                in += (double)w[e];
        }
        nd[2 * i] = si;
        nd[2 * i + 1] = in;
    }
    double m2 = 0, in2 = 0, sq = 0;
    for (int64_t i = 0; i < n; i++) {
        m2 += nd[2 * i];
        in2 += nd[2 * i + 1];
        if (comm[i] >= 0)
            S[comm[i]] += nd[2 * i];
        else
            sq += nd[2 * i] * nd[2 * i];
    }
    for (int64_t c = 0; c < bound; c++)
        sq += S[c] * S[c];
    *q = m2 > 0 ? in2 / m2 - sq / (m2 * m2) : 0;
    free(S);
    free(nd);
    return SGAE_OK;
}

sgae_status sgae_modularity(const sgae_graph *g, const int32_t *comm, double *q)
{
    sgae_status st = SGAE_OK;
    int64_t *D = NULL, *I = NULL;
    *q = 0;
    const int64_t n = g->n, m2 = g->adj.rowptr ? g->adj.rowptr[n] : 0;
    int64_t bound = cl_id_bound(n, comm);
    if (bound < 0)
        SGAE_FAIL(SGAE_E_ARG, "modularity: a community id below -1");
    if (m2 == 0)
        return SGAE_OK;
    if (g->adj.val)
        return modularity_weighted(g, comm, bound, q);
    SGAE_CHECK(comm_degrees(g, comm, bound, &D, &I));
    {
        unsigned __int128 sq = 0;
        int64_t in2 = 0;
        for (int64_t c = 0; c < bound; c++) {
            sq += (unsigned __int128)D[c] * (unsigned __int128)D[c];
            in2 += I[c];
        }
        for (int64_t i = 0; i < n; i++)
            if (comm[i] < 0) {
                int64_t d = g->adj.rowptr[i + 1] - g->adj.rowptr[i];
                sq += (unsigned __int128)d * (unsigned __int128)d;
            }
        *q = (double)in2 / (double)m2 - (double)sq / ((double)m2 * (double)m2);
    }
done:
    free(D);
    free(I);
    return st;
}

sgae_status sgae_partition_stats_compute(const sgae_graph *g, const int32_t *comm,
                                         sgae_partition_stats *s)
{
    sgae_status st = SGAE_OK;
    int64_t *D = NULL, *I = NULL, *size = NULL, *sz = NULL;
    double *cond = NULL;
    memset(s, 0, sizeof *s);
    const int64_t n = g->n, m2 = g->adj.rowptr ? g->adj.rowptr[n] : 0;
    int64_t bound = cl_id_bound(n, comm);
    if (bound < 0)
        SGAE_FAIL(SGAE_E_ARG, "partition: a community id below -1");
    SGAE_CHECK(sgae_modularity(g, comm, &s->modularity));
    SGAE_CHECK(comm_degrees(g, comm, bound, &D, &I));
    if (SGAE_ALLOC_ARRAYS("community sizes", SGAE_ZARRAY(size, bound + 1),
                          SGAE_ARRAY(sz, bound + 1), SGAE_ARRAY(cond, bound + 1)))
        SGAE_FAIL(SGAE_E_NOMEM, "partition: no memory for %lld communities", (long long)bound);
    for (int64_t i = 0; i < n; i++) {
        if (comm[i] < 0)
            s->unassigned++;
        else
            size[comm[i]]++;
    }
    int64_t nc = 0, ncond = 0, in2 = 0;
    double total = 0;
    for (int64_t c = 0; c < bound; c++) {
        if (size[c] == 0)
            continue;
        sz[nc++] = size[c];
        total += (double)size[c];
        s->singletons += size[c] == 1;
        int b = 0;
        while (b < 31 && (size[c] >> (b + 1)) > 0)
            b++;
        s->size_log2[b]++;
        in2 += I[c];
        int64_t vol = D[c], rest = m2 - D[c], cut = D[c] - I[c];
        int64_t den = vol < rest ? vol : rest;
        if (den > 0)
            cond[ncond++] = (double)cut / (double)den;
    }
    s->communities = nc;
    s->coverage = m2 > 0 ? (double)in2 / (double)m2 : NAN;
    if (nc > 0) {
        qsort(sz, (size_t)nc, sizeof *sz, cl_cmp_i64);
        s->size_min = sz[0];
        s->size_max = sz[nc - 1];
        s->size_mean = total / (double)nc;
        s->size_median = nc % 2 ? (double)sz[nc / 2] : 0.5 * (double)(sz[nc / 2 - 1] + sz[nc / 2]);
    } else {
        s->size_mean = s->size_median = NAN;
    }
    s->conductance_count = ncond;
    if (ncond > 0) {
        double sum = 0;
        for (int64_t c = 0; c < ncond; c++)
            sum += cond[c];
        qsort(cond, (size_t)ncond, sizeof *cond, cl_cmp_dbl);
        s->conductance_mean = sum / (double)ncond;
        s->conductance_median =
            ncond % 2 ? cond[ncond / 2] : 0.5 * (cond[ncond / 2 - 1] + cond[ncond / 2]);
        s->conductance_min = cond[0];
        s->conductance_max = cond[ncond - 1];
    } else {
        s->conductance_mean = s->conductance_median = s->conductance_min = s->conductance_max =
            NAN;
    }
done:
    SGAE_FREE_ALL(D, I, size, sz, cond);
    return st;
}

/* ---- comparison ------------------------------------------------------------ */

/* Sum over nij of (nij/N) log(N nij / (A B)) P(nij), P hypergeometric
 * (A, B, N), outward from the mode.  Terms below the mode and above it
 * decrease geometrically once the ratio is below 1/2 (log-concave pmf);
 * a direction stops when its term is below 1e-22 of the mass summed and
 * the ratio below 1/2 (the tail is then below that term). */
static double emi_pair(int64_t A, int64_t B, int64_t N)
{
    const double dN = (double)N, lN = log(dN), lA = log((double)A), lB = log((double)B);
    int64_t lo = A + B - N > 1 ? A + B - N : 1, hi = A < B ? A : B;
    if (lo > hi)
        return 0;
    int64_t mode = (int64_t)(((double)(A + 1) * (double)(B + 1)) / (dN + 2));
    if (mode < lo)
        mode = lo;
    if (mode > hi)
        mode = hi;
    const double base = lgamma((double)A + 1) + lgamma((double)B + 1) +
                        lgamma(dN - (double)A + 1) + lgamma(dN - (double)B + 1) - lgamma(dN + 1);
    double lp = base - lgamma((double)mode + 1) - lgamma((double)(A - mode) + 1) -
                lgamma((double)(B - mode) + 1) - lgamma((double)(N - A - B + mode) + 1);
    double p0 = exp(lp);
    double mass = p0;
    double sum = ((double)mode / dN) * (lN + log((double)mode) - lA - lB) * p0;
    /* upwards */
    double p = p0;
    for (int64_t v = mode; v < hi; v++) {
        double r = ((double)(A - v) * (double)(B - v)) /
                   ((double)(v + 1) * (double)(N - A - B + v + 1));
        p *= r;
        int64_t u = v + 1;
        sum += ((double)u / dN) * (lN + log((double)u) - lA - lB) * p;
        mass += p;
        if ((p < 1e-22 * mass && r < 0.5) || p == 0)
            break;
    }
    p = p0;
    for (int64_t v = mode; v > lo; v--) {
        double r = ((double)v * (double)(N - A - B + v)) /
                   ((double)(A - v + 1) * (double)(B - v + 1));
        p *= r;
        int64_t u = v - 1;
        sum += ((double)u / dN) * (lN + log((double)u) - lA - lB) * p;
        mass += p;
        if ((p < 1e-22 * mass && r < 0.5) || p == 0)
            break;
    }
    return sum;
}

/* Distinct values of v[0..cnt) with multiplicities (v sorted in place). */
static int64_t distinct(int64_t *v, int64_t cnt, int64_t *mult)
{
    qsort(v, (size_t)cnt, sizeof *v, cl_cmp_i64);
    int64_t u = 0;
    for (int64_t i = 0; i < cnt; i++) {
        if (u > 0 && v[u - 1] == v[i]) {
            mult[u - 1]++;
        } else {
            v[u] = v[i];
            mult[u++] = 1;
        }
    }
    return u;
}

static double expected_mi(const int64_t *a, int64_t R, const int64_t *b, int64_t C, int64_t N,
                          int64_t *scratch, double *rowv)
{
    if (R <= 1 || C <= 1)
        return 0;
    int64_t *va = scratch, *ma = scratch + R, *vb = scratch + 2 * R, *mb = scratch + 2 * R + C;
    memcpy(va, a, (size_t)R * sizeof *va);
    memcpy(vb, b, (size_t)C * sizeof *vb);
    int64_t ua = distinct(va, R, ma), ub = distinct(vb, C, mb);
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t i = 0; i < ua; i++) {
        double row = 0;
        for (int64_t j = 0; j < ub; j++)
            row += (double)mb[j] * emi_pair(va[i], vb[j], N);
        rowv[i] = (double)ma[i] * row;
    }
    double emi = 0; /* summed in order: the same bits at any thread count */
    for (int64_t i = 0; i < ua; i++)
        emi += rowv[i];
    return emi;
}

sgae_status sgae_partition_compare(int64_t n, const int32_t *truth, const int32_t *found,
                                   sgae_compare *c)
{
    sgae_status st = SGAE_OK;
    uint64_t *key = NULL;
    int32_t *tmap = NULL, *fmap = NULL;
    int64_t *a = NULL, *b = NULL, *scratch = NULL;
    int64_t *nzt = NULL, *nzf = NULL, *nzv = NULL;
    double *bestf = NULL, *rowv = NULL;
    memset(c, 0, sizeof *c);
    int64_t tb = cl_id_bound(n, truth), fb = cl_id_bound(n, found);
    if (tb < 0 || fb < 0)
        SGAE_FAIL(SGAE_E_ARG, "compare: a community id below -1");
    if (SGAE_ALLOC_ARRAYS("compare", SGAE_ARRAY(tmap, tb + 1), SGAE_ARRAY(fmap, fb + 1),
                          SGAE_ARRAY(key, n + 1)))
        SGAE_FAIL(SGAE_E_NOMEM, "compare: no memory for %lld nodes", (long long)n);
    for (int64_t t = 0; t < tb; t++)
        tmap[t] = -1;
    for (int64_t f = 0; f < fb; f++)
        fmap[f] = -1;
    int64_t N = 0, R = 0, C = 0;
    /* dense ids of the classes present on the compared nodes, by id order */
    for (int64_t i = 0; i < n; i++)
        if (truth[i] >= 0 && found[i] >= 0) {
            tmap[truth[i]] = 0;
            fmap[found[i]] = 0;
        }
    for (int64_t t = 0; t < tb; t++)
        if (tmap[t] == 0)
            tmap[t] = (int32_t)R++;
        else
            tmap[t] = -1;
    for (int64_t f = 0; f < fb; f++)
        if (fmap[f] == 0)
            fmap[f] = (int32_t)C++;
        else
            fmap[f] = -1;
    for (int64_t i = 0; i < n; i++)
        if (truth[i] >= 0 && found[i] >= 0)
            key[N++] = (uint64_t)tmap[truth[i]] << 32 | (uint32_t)fmap[found[i]];
    c->nodes = N;
    c->truth_classes = R;
    c->found_classes = C;
    if (N == 0 || (R == 1 && C == 1)) {
        /* scikit-learn's limit case: nothing split, a perfect match */
        c->nmi = c->ami = c->ari = 1.0;
        c->f1_truth = c->f1_found = c->f1 = N ? 1.0 : NAN;
        goto done;
    }
    qsort(key, (size_t)N, sizeof *key, cl_cmp_u64);
    int64_t nnz = 0;
    for (int64_t q = 0; q < N; q++)
        nnz += q == 0 || key[q] != key[q - 1];
    if (SGAE_ALLOC_ARRAYS("contingency", SGAE_ZARRAY(a, R), SGAE_ZARRAY(b, C),
                          SGAE_ARRAY(scratch, (size_t)(2 * (R + C))), SGAE_ARRAY(nzt, nnz),
                          SGAE_ARRAY(nzf, nnz), SGAE_ARRAY(nzv, nnz), SGAE_ZARRAY(bestf, C),
                          SGAE_ARRAY(rowv, R)))
        SGAE_FAIL(SGAE_E_NOMEM, "compare: no memory for the contingency table");
    int64_t e = -1;
    for (int64_t q = 0; q < N; q++) {
        if (q == 0 || key[q] != key[q - 1]) {
            e++;
            nzt[e] = (int64_t)(key[q] >> 32);
            nzf[e] = (int64_t)(key[q] & 0xffffffffu);
            nzv[e] = 0;
        }
        nzv[e]++;
    }
    for (e = 0; e < nnz; e++) {
        a[nzt[e]] += nzv[e];
        b[nzf[e]] += nzv[e];
    }
    const double dN = (double)N, lN = log(dN);
    /* entropies */
    double ht = 0, hf = 0;
    for (int64_t t = 0; t < R; t++)
        ht -= ((double)a[t] / dN) * (log((double)a[t]) - lN);
    for (int64_t f = 0; f < C; f++)
        hf -= ((double)b[f] / dN) * (log((double)b[f]) - lN);
    if (R == 1)
        ht = 0;
    if (C == 1)
        hf = 0;
    /* mutual information, term by term as scikit-learn */
    double mi = 0;
    if (R > 1 && C > 1) {
        for (e = 0; e < nnz; e++) {
            double v = (double)nzv[e], cnm = v / dN;
            double outer = (double)a[nzt[e]] * (double)b[nzf[e]];
            double term = cnm * (log(v) - lN) + cnm * (-log(outer) + lN + lN);
            if (fabs(term) >= DBL_EPSILON)
                mi += term;
        }
        if (mi < 0)
            mi = 0;
    }
    c->mi = mi;
    c->h_truth = ht;
    c->h_found = hf;
    double norm = 0.5 * (ht + hf);
    c->nmi = mi == 0 ? 0.0 : mi / norm;
    c->emi = expected_mi(a, R, b, C, N, scratch, rowv);
    double den = norm - c->emi;
    if (den < 0)
        den = den < -DBL_EPSILON ? den : -DBL_EPSILON;
    else
        den = den > DBL_EPSILON ? den : DBL_EPSILON;
    c->ami = (mi - c->emi) / den;
    /* adjusted Rand index from pair counts (ordered pairs, as scikit-learn) */
    {
        __int128 ss = 0, ra = 0, cb = 0, NN = (__int128)N;
        for (e = 0; e < nnz; e++) {
            __int128 v = nzv[e];
            ss += v * v;
            ra += v * a[nzt[e]];
            cb += v * b[nzf[e]];
        }
        __int128 tp = ss - NN, fp = cb - ss, fn = ra - ss, tn = NN * NN - fp - fn - ss;
        if (fn == 0 && fp == 0) {
            c->ari = 1.0;
        } else {
            __int128 num = 2 * (tp * tn - fn * fp);
            __int128 dd = (tp + fn) * (fn + tn) + (tp + fp) * (fp + tn);
            c->ari = (double)num / (double)dd;
        }
    }
    /* best-match F1 both ways */
    {
        double st_sum = 0, sf_sum = 0;
        int64_t t0 = 0;
        for (e = 0; e < nnz; e = t0) {
            double best = 0;
            int64_t t = nzt[e];
            for (t0 = e; t0 < nnz && nzt[t0] == t; t0++) {
                double f1 = 2.0 * (double)nzv[t0] / (double)(a[t] + b[nzf[t0]]);
                if (f1 > best)
                    best = f1;
                if (f1 > bestf[nzf[t0]])
                    bestf[nzf[t0]] = f1;
            }
            st_sum += best;
        }
        for (int64_t f = 0; f < C; f++)
            sf_sum += bestf[f];
        c->f1_truth = st_sum / (double)R;
        c->f1_found = sf_sum / (double)C;
        c->f1 = 0.5 * (c->f1_truth + c->f1_found);
    }
done:
    SGAE_FREE_ALL(key, tmap, fmap, a, b, scratch, nzt, nzf, nzv, bestf, rowv);
    return st;
}

/* ---- covers ---------------------------------------------------------------- */

void sgae_cover_clear(sgae_cover *c)
{
    if (!c)
        return;
    free(c->ptr);
    free(c->node);
    memset(c, 0, sizeof *c);
}

int sgae_cover_to_partition(const sgae_cover *c, int32_t *comm)
{
    for (int64_t i = 0; i < c->n; i++)
        comm[i] = -1;
    for (int64_t k = 0; k < c->count; k++)
        for (int64_t e = c->ptr[k]; e < c->ptr[k + 1]; e++) {
            if (comm[c->node[e]] >= 0)
                return 0;
            comm[c->node[e]] = (int32_t)k;
        }
    return 1;
}

sgae_status sgae_cover_f1(const sgae_cover *truth, const int32_t *found, double *f1_truth,
                          double *f1_found)
{
    sgae_status st = SGAE_OK;
    int64_t *size = NULL, *cnt = NULL;
    int32_t *touched = NULL;
    double *bestf = NULL;
    *f1_truth = *f1_found = NAN;
    const int64_t n = truth->n;
    int64_t fb = cl_id_bound(n, found);
    if (fb < 0)
        SGAE_FAIL(SGAE_E_ARG, "cover F1: a community id below -1");
    if (SGAE_ALLOC_ARRAYS("cover F1", SGAE_ZARRAY(size, fb + 1), SGAE_ZARRAY(cnt, fb + 1),
                          SGAE_ARRAY(touched, fb + 1), SGAE_ZARRAY(bestf, fb + 1)))
        SGAE_FAIL(SGAE_E_NOMEM, "cover F1: no memory for %lld communities", (long long)fb);
    for (int64_t i = 0; i < n; i++)
        if (found[i] >= 0)
            size[found[i]]++;
    double sum_t = 0;
    int64_t nt = 0;
    for (int64_t k = 0; k < truth->count; k++) {
        int64_t len = truth->ptr[k + 1] - truth->ptr[k], nt_ = 0;
        if (len == 0)
            continue;
        nt++;
        for (int64_t e = truth->ptr[k]; e < truth->ptr[k + 1]; e++) {
            int32_t f = found[truth->node[e]];
            if (f < 0)
                continue;
            if (cnt[f]++ == 0)
                touched[nt_++] = f;
        }
        double best = 0;
        for (int64_t q = 0; q < nt_; q++) {
            int32_t f = touched[q];
            double f1 = 2.0 * (double)cnt[f] / (double)(len + size[f]);
            if (f1 > best)
                best = f1;
            if (f1 > bestf[f])
                bestf[f] = f1;
            cnt[f] = 0;
        }
        sum_t += best;
    }
    double sum_f = 0;
    int64_t nf = 0;
    for (int64_t f = 0; f < fb; f++)
        if (size[f] > 0) {
            nf++;
            sum_f += bestf[f];
        }
    if (nt > 0)
        *f1_truth = sum_t / (double)nt;
    if (nf > 0)
        *f1_found = sum_f / (double)nf;
done:
    SGAE_FREE_ALL(size, cnt, touched, bestf);
    return st;
}

/* LFR-style planted-community graphs (see sgae/gen.h).
 *
 * Steps, each parallel where it matters and each drawing its randomness from
 * sgae_rng_u64(seed, purpose, index) with indices that do not depend on the
 * thread count:
 *   1. degrees: truncated power law, lower cutoff tuned to the mean degree;
 *      split into external (random rounding of mu*k) and internal stubs;
 *   2. community sizes: truncated power law, drawn until they cover n;
 *   3. placement: a random permutation of community "slots", then nodes whose
 *      internal degree does not fit their community are swapped with random
 *      nodes for which both fit;
 *   4. internal edges: configuration model per community (parallel over
 *      communities), self-loops and multi-edges repaired by edge swaps;
 *   5. external edges: configuration model over all external stubs (a
 *      parallel random permutation), edges inside one community repaired by
 *      swaps; external multi-edges are dropped by the CSR build;
 *   6. CSR build (sgae_graph_from_pairs); isolated nodes joined to their
 *      community. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "gen_internal.h"
#include "internal.h"
#include "sgae/gen.h"
#include "sgae/rng.h"

#define SWAP_TRIES 1000     /* random partners tried for one bad edge */
#define ASSIGN_TRIES 200000 /* random partners tried for one misplaced node */

void sgae_lfr_defaults(sgae_lfr_params *p)
{
    memset(p, 0, sizeof *p);
    p->nodes = 100000;
    p->avg_degree = 20;
    p->max_degree = 500;
    p->degree_exponent = 2.0;
    p->mu = 0.3;
    p->min_community = 20;
    p->max_community = 1000;
    p->community_exponent = 1.0;
    p->seed = 1;
}

/* ---- truncated power law on [a, b): density ~ x^-t ---- */

static double pl_inv(double u, double a, double b, double t)
{
    if (fabs(t - 1.0) < 1e-9)
        return a * exp(u * log(b / a));
    double e = 1.0 - t, A = pow(a, e), B = pow(b, e);
    return pow(A + u * (B - A), 1.0 / e);
}

static double pl_cdf(double x, double a, double b, double t)
{
    if (fabs(t - 1.0) < 1e-9)
        return log(x / a) / log(b / a);
    double e = 1.0 - t, A = pow(a, e), B = pow(b, e);
    return (pow(x, e) - A) / (B - A);
}

/* E[floor(X)] for X on [a, b) with density ~ x^-t. */
static double pl_floor_mean(double a, double b, double t)
{
    double s = 0;
    for (double d = floor(a); d < b; d += 1.0) {
        double lo = d > a ? d : a, hi = d + 1 < b ? d + 1 : b;
        s += d * (pl_cdf(hi, a, b, t) - pl_cdf(lo, a, b, t));
    }
    return s;
}

static inline int64_t pl_draw(uint64_t seed, uint64_t purpose, uint64_t idx, double a, double b,
                              double t, int64_t lo, int64_t hi)
{
    int64_t k = (int64_t)floor(pl_inv(sgae_rng_uniform(seed, purpose, idx), a, b, t));
    return k < lo ? lo : k > hi ? hi : k;
}

/* ---- small open-addressing multiset of edges (per community) ---- */

typedef struct {
    uint64_t *key;
    int32_t *cnt;
    uint64_t mask;
} edge_set;

#define EMPTY_KEY UINT64_MAX

static inline uint64_t ekey(int32_t a, int32_t b)
{
    return a < b ? ((uint64_t)(uint32_t)a << 32) | (uint32_t)b
                 : ((uint64_t)(uint32_t)b << 32) | (uint32_t)a;
}

/* Slot of key (existing or the empty one where it would go). */
static inline uint64_t es_slot(const edge_set *s, uint64_t k)
{
    uint64_t h = sgae_rng_mix64(k) & s->mask;
    while (s->key[h] != EMPTY_KEY && s->key[h] != k)
        h = (h + 1) & s->mask;
    return h;
}

static inline int32_t es_count(const edge_set *s, uint64_t k)
{
    uint64_t h = es_slot(s, k);
    return s->key[h] == k ? s->cnt[h] : 0;
}

/* Add d to the count of k; returns the count before. */
static inline int32_t es_add(edge_set *s, uint64_t k, int32_t d)
{
    uint64_t h = es_slot(s, k);
    if (s->key[h] != k) {
        s->key[h] = k;
        s->cnt[h] = 0;
    }
    int32_t before = s->cnt[h];
    s->cnt[h] += d;
    return before;
}

/* Per-thread scratch for wiring one community. */
typedef struct {
    int32_t *stub, *ea, *eb;
    int64_t *bad;
    edge_set set;
    int64_t set_cap; /* slots allocated */
} wire_scratch;

/* Free nt scratches and the array (NULL is fine). */
static void wire_scratch_free(wire_scratch *ws, int nt)
{
    if (!ws)
        return;
    for (int t = 0; t < nt; t++) {
        free(ws[t].stub);
        free(ws[t].ea);
        free(ws[t].eb);
        free(ws[t].bad);
        free(ws[t].set.key);
        free(ws[t].set.cnt);
    }
    free(ws);
}

/* Wire community c: members mem[0..s), internal degrees din[node].  Writes
 * its edges (global ids) to u/v starting at `out`, dropped ones as -1; adds
 * to *rewired and *dropped. */
static void wire_community(uint64_t seed, int64_t c, const int32_t *mem, int64_t s,
                           const int32_t *din, wire_scratch *w, int32_t *u, int32_t *v,
                           int64_t *rewired, int64_t *dropped)
{
    int64_t T = 0;
    for (int64_t l = 0; l < s; l++)
        for (int32_t k = 0; k < din[mem[l]]; k++)
            w->stub[T++] = (int32_t)l;
    uint64_t ps = sgae_rng_purpose(sgae_rng_purpose(SGAE_RNG_GEN, GEN_INTRA_SHUFFLE), (uint64_t)c);
    uint64_t pw = sgae_rng_purpose(sgae_rng_purpose(SGAE_RNG_GEN, GEN_INTRA_SWAP), (uint64_t)c);
    for (int64_t i = T - 1; i > 0; i--) {
        int64_t j = (int64_t)sgae_rng_below(seed, ps, (uint64_t)i, (uint64_t)i + 1);
        int32_t t = w->stub[i];
        w->stub[i] = w->stub[j];
        w->stub[j] = t;
    }
    int64_t ne = T / 2;
    if (ne == 0)
        return;
    uint64_t cap = 16;
    while (cap < (uint64_t)ne * 8)
        cap *= 2;
    w->set.mask = cap - 1;
    for (uint64_t h = 0; h < cap; h++)
        w->set.key[h] = EMPTY_KEY;
    int64_t nbad = 0;
    for (int64_t e = 0; e < ne; e++) {
        int32_t a = w->stub[2 * e], b = w->stub[2 * e + 1];
        w->ea[e] = a;
        w->eb[e] = b;
        if (es_add(&w->set, ekey(a, b), 1) > 0 || a == b)
            w->bad[nbad++] = e;
    }
    uint64_t draw = 0;
    for (int64_t q = 0; q < nbad; q++) {
        int64_t e = w->bad[q];
        int32_t a = w->ea[e], b = w->eb[e];
        uint64_t kab = ekey(a, b);
        if (a != b && es_count(&w->set, kab) <= 1)
            continue; /* fixed meanwhile (its twin was swapped away) */
        int done = 0;
        for (int t = 0; t < SWAP_TRIES && !done; t++) {
            uint64_t r64 = sgae_rng_u64(seed, pw, draw++);
            int64_t r = (int64_t)(((__uint128_t)r64 * (uint64_t)ne) >> 64);
            if (r == e || w->ea[r] < 0)
                continue;
            int32_t c2 = w->ea[r], d2 = w->eb[r];
            if (r64 & 1) {
                int32_t x = c2;
                c2 = d2;
                d2 = x;
            }
            /* (a,b),(c2,d2) -> (a,c2),(b,d2) */
            if (a == c2 || b == d2)
                continue;
            uint64_t k1 = ekey(a, c2), k2 = ekey(b, d2), kcd = ekey(c2, d2);
            if (k1 == k2)
                continue;
            es_add(&w->set, kab, -1);
            es_add(&w->set, kcd, -1);
            if (es_count(&w->set, k1) == 0 && es_count(&w->set, k2) == 0) {
                es_add(&w->set, k1, 1);
                es_add(&w->set, k2, 1);
                w->ea[e] = a;
                w->eb[e] = c2;
                w->ea[r] = b;
                w->eb[r] = d2;
                done = 1;
            } else {
                es_add(&w->set, kab, 1);
                es_add(&w->set, kcd, 1);
            }
        }
        if (done) {
            (*rewired)++;
        } else {
            es_add(&w->set, kab, -1);
            w->ea[e] = -1;
            (*dropped)++;
        }
    }
    for (int64_t e = 0; e < ne; e++) {
        if (w->ea[e] < 0) {
            u[e] = v[e] = -1;
        } else {
            u[e] = mem[w->ea[e]];
            v[e] = mem[w->eb[e]];
        }
    }
}

static sgae_status check_params(const sgae_lfr_params *p)
{
    if (p->nodes < 2 || p->nodes >= INT32_MAX)
        return sgae_error_set(SGAE_E_ARG, "lfr: nodes = %" PRId64 " is out of range 2..%d",
                              p->nodes, INT32_MAX - 1);
    if (p->max_degree < 1 || p->max_degree >= p->nodes)
        return sgae_error_set(SGAE_E_ARG,
                              "lfr: max degree %" PRId64 " must be in 1..nodes-1 (%" PRId64 ")",
                              p->max_degree, p->nodes - 1);
    if (!(p->avg_degree >= 1) || p->avg_degree > (double)p->max_degree)
        return sgae_error_set(SGAE_E_ARG,
                              "lfr: average degree %g must be in 1..max degree (%" PRId64 ")",
                              p->avg_degree, p->max_degree);
    if (!(p->mu >= 0 && p->mu <= 1))
        return sgae_error_set(SGAE_E_ARG, "lfr: mu = %g must be in [0, 1]", p->mu);
    if (!(p->degree_exponent >= 0 && p->degree_exponent <= 10))
        return sgae_error_set(SGAE_E_ARG, "lfr: degree exponent %g must be in [0, 10]",
                              p->degree_exponent);
    if (!(p->community_exponent >= 0 && p->community_exponent <= 10))
        return sgae_error_set(SGAE_E_ARG, "lfr: community exponent %g must be in [0, 10]",
                              p->community_exponent);
    if (p->min_community < 2 || p->min_community > p->max_community ||
        p->min_community > p->nodes)
        return sgae_error_set(SGAE_E_ARG,
                              "lfr: community sizes %" PRId64 "..%" PRId64
                              " must satisfy 2 <= min <= max and min <= nodes (%" PRId64 ")",
                              p->min_community, p->max_community, p->nodes);
    return SGAE_OK;
}

/* Progress on stderr, only once generation has taken a noticeable time. */
static void stage(const char *what, int k, double t0)
{
    if (sgae_now() - t0 > 0.5)
        sgae_progress(what, k, 6);
}

sgae_status sgae_gen_lfr(const sgae_lfr_params *p, sgae_graph **gout, int32_t **community,
                         sgae_lfr_stats *stats)
{
    sgae_status st = SGAE_OK;
    double t0 = sgae_now();
    int32_t *deg = NULL, *din = NULL, *comm = NULL, *csize = NULL, *mem = NULL, *xs = NULL;
    int32_t *u = NULL, *v = NULL;
    int64_t *cstart = NULL, *eoff = NULL, *xoff = NULL;
    uint8_t *flag = NULL;
    wire_scratch *ws = NULL;
    sgae_graph *g = NULL;
    int nt = SGAE_NTHREADS();
    int64_t rewired = 0, dropped = 0, isolated = 0;
    *gout = NULL;
    *community = NULL;
    if ((st = check_params(p)))
        return st;
    const int64_t n = p->nodes, kmax = p->max_degree;
    const double tau1 = p->degree_exponent, tau2 = p->community_exponent, mu = p->mu;
    const uint64_t seed = p->seed;
    const uint64_t P = SGAE_RNG_GEN;

    /* ---- 1. degrees ---- */
    stage("lfr: degrees", 0, t0);
    double b = (double)kmax + 1.0, lo = 1.0, hi = (double)kmax;
    double mean_lo = pl_floor_mean(lo, b, tau1);
    if (p->avg_degree < mean_lo - 1e-9) {
        st = sgae_error_set(SGAE_E_ARG,
                            "lfr: average degree %g is below %.3f, the least possible with "
                            "degree exponent %g and max degree %" PRId64,
                            p->avg_degree, mean_lo, tau1, kmax);
        goto done;
    }
    for (int it = 0; it < 100 && hi - lo > 1e-10; it++) {
        double mid = 0.5 * (lo + hi);
        if (pl_floor_mean(mid, b, tau1) < p->avg_degree)
            lo = mid;
        else
            hi = mid;
    }
    const double kmin = 0.5 * (lo + hi);
    deg = sgae_alloc((size_t)n, sizeof *deg, "lfr degrees");
    din = sgae_alloc((size_t)n, sizeof *din, "lfr internal degrees");
    if (!deg || !din) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    const uint64_t pdeg = sgae_rng_purpose(P, GEN_DEGREE), pext = sgae_rng_purpose(P, GEN_EXTERNAL_ROUND);
    int64_t need = 1; /* largest internal degree + 1 */
#pragma omp parallel for schedule(static) reduction(max : need)
    for (int64_t i = 0; i < n; i++) {
        int64_t k = pl_draw(seed, pdeg, (uint64_t)i, kmin, b, tau1, 1, kmax);
        double x = mu * (double)k, fl = floor(x);
        int64_t e = (int64_t)fl + (sgae_rng_uniform(seed, pext, (uint64_t)i) < x - fl ? 1 : 0);
        deg[i] = (int32_t)k;
        din[i] = (int32_t)(k - e);
        if (k - e + 1 > need)
            need = k - e + 1;
    }

    /* ---- 2. community sizes ---- */
    stage("lfr: communities", 1, t0);
    const int64_t minc = p->min_community, maxc = p->max_community;
    if (need > maxc || need > n) {
        st = sgae_error_set(SGAE_E_ARG,
                            "lfr: a node has internal degree %" PRId64
                            " and needs a community of more than that, but max community is %" PRId64
                            " (and nodes %" PRId64 "): raise max community, lower max degree or "
                            "raise mu",
                            need - 1, maxc, n);
        goto done;
    }
    int64_t ccap = n / minc + 2, C = 0, sum = 0;
    csize = sgae_alloc((size_t)ccap, sizeof *csize, "lfr community sizes");
    if (!csize) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    const uint64_t psize = sgae_rng_purpose(P, GEN_SIZE);
    while (sum < n) {
        int64_t s = pl_draw(seed, psize, (uint64_t)C, (double)minc, (double)maxc + 1.0, tau2, minc,
                            maxc);
        if (C == ccap) {
            int32_t *t = sgae_realloc(csize, (size_t)ccap * 2, sizeof *csize, "lfr community sizes");
            if (!t) {
                st = SGAE_E_NOMEM;
                goto done;
            }
            csize = t;
            ccap *= 2;
        }
        csize[C++] = (int32_t)s;
        sum += s;
    }
    int64_t big = 0; /* the largest community must hold the largest internal degree */
    for (int64_t c = 1; c < C; c++)
        if (csize[c] > csize[big])
            big = c;
    if (csize[big] < need) {
        sum += need - csize[big];
        csize[big] = (int32_t)need;
    }
    for (int64_t c = C - 1; c >= 0 && sum > n; c--) { /* trim the excess, last first */
        int64_t floor_c = c == big ? need : minc;
        if (floor_c < minc)
            floor_c = minc;
        int64_t r = csize[c] - floor_c;
        if (r > sum - n)
            r = sum - n;
        if (r > 0) {
            csize[c] -= (int32_t)r;
            sum -= r;
        }
    }
    if (sum != n) {
        st = sgae_error_set(SGAE_E_ARG,
                            "lfr: cannot split %" PRId64 " nodes into communities of %" PRId64
                            "..%" PRId64 " holding internal degree %" PRId64,
                            n, minc, maxc, need - 1);
        goto done;
    }

    /* ---- 3. placement ---- */
    stage("lfr: placing nodes", 2, t0);
    comm = sgae_alloc((size_t)n, sizeof *comm, "lfr communities");
    cstart = sgae_calloc((size_t)C + 1, sizeof *cstart, "lfr community offsets");
    if (!comm || !cstart) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    {
        int64_t w = 0;
        for (int64_t c = 0; c < C; c++)
            for (int32_t k = 0; k < csize[c]; k++)
                comm[w++] = (int32_t)c;
    }
    SGAE_CHECK(sgae_gen_shuffle(comm, n, seed, sgae_rng_purpose(P, GEN_SLOT_SHUFFLE)));
    {
        const uint64_t pa = sgae_rng_purpose(P, GEN_ASSIGN);
        uint64_t draw = 0;
        for (int64_t i = 0; i < n; i++) {
            if (din[i] < csize[comm[i]])
                continue;
            int ok = 0;
            for (int t = 0; t < ASSIGN_TRIES; t++) {
                int64_t j = (int64_t)sgae_rng_below(seed, pa, draw++, (uint64_t)n);
                if (din[i] < csize[comm[j]] && din[j] < csize[comm[i]]) {
                    int32_t x = comm[i];
                    comm[i] = comm[j];
                    comm[j] = x;
                    ok = 1;
                    break;
                }
            }
            if (!ok) {
                st = sgae_error_set(SGAE_E_ARG,
                                    "lfr: cannot place node %" PRId64 " (internal degree %d) in a "
                                    "community larger than its internal degree: raise max "
                                    "community or mu, or lower max degree",
                                    i, (int)din[i]);
                goto done;
            }
        }
    }
    /* members of each community, in increasing node id */
    mem = sgae_alloc((size_t)n, sizeof *mem, "lfr members");
    eoff = sgae_calloc((size_t)C + 1, sizeof *eoff, "lfr edge offsets");
    if (!mem || !eoff) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++) {
        cstart[comm[i]]++;
        eoff[comm[i]] += din[i];
    }
    sgae_prefix_sum(cstart, C);
    int64_t max_stubs = 0, odd = 0;
    for (int64_t c = 0; c < C; c++) {
        if (eoff[c] > max_stubs)
            max_stubs = eoff[c];
        odd += eoff[c] & 1;
        eoff[c] /= 2; /* an odd stub is dropped */
    }
    sgae_prefix_sum(eoff, C);
    {
        int64_t *pos = xoff = sgae_alloc((size_t)C + 1, sizeof *xoff, "lfr positions");
        if (!pos) {
            st = SGAE_E_NOMEM;
            goto done;
        }
        memcpy(pos, cstart, (size_t)(C + 1) * sizeof *pos);
        for (int64_t i = 0; i < n; i++)
            mem[pos[comm[i]]++] = (int32_t)i;
        free(xoff);
        xoff = NULL;
    }
    const int64_t m_int = eoff[C];

    /* external stubs */
    xoff = sgae_alloc((size_t)n + 1, sizeof *xoff, "lfr stub offsets");
    if (!xoff) {
        st = SGAE_E_NOMEM;
        goto done;
    }
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        xoff[i] = deg[i] - din[i];
    sgae_prefix_sum(xoff, n);
    const int64_t S = xoff[n], m_ext = S / 2;
    const int64_t m_all = m_int + m_ext;
    u = sgae_alloc((size_t)m_all + (size_t)n, sizeof *u, "lfr edge sources");
    v = sgae_alloc((size_t)m_all + (size_t)n, sizeof *v, "lfr edge targets");
    if (!u || !v) {
        st = SGAE_E_NOMEM;
        goto done;
    }

    /* ---- 4. internal edges ---- */
    stage("lfr: internal edges", 3, t0);
    ws = sgae_calloc((size_t)nt, sizeof *ws, "lfr scratch");
    if (!ws) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    {
        uint64_t cap = 16;
        while (cap < (uint64_t)(max_stubs / 2) * 8)
            cap *= 2;
        for (int t = 0; t < nt; t++) {
            wire_scratch *w = &ws[t];
            w->stub = sgae_alloc((size_t)max_stubs + 1, sizeof *w->stub, "lfr stubs");
            w->ea = sgae_alloc((size_t)max_stubs / 2 + 1, sizeof *w->ea, "lfr edges");
            w->eb = sgae_alloc((size_t)max_stubs / 2 + 1, sizeof *w->eb, "lfr edges");
            w->bad = sgae_alloc((size_t)max_stubs / 2 + 1, sizeof *w->bad, "lfr bad edges");
            w->set.key = sgae_alloc(cap, sizeof *w->set.key, "lfr edge set");
            w->set.cnt = sgae_alloc(cap, sizeof *w->set.cnt, "lfr edge set");
            if (!w->stub || !w->ea || !w->eb || !w->bad || !w->set.key || !w->set.cnt) {
                st = SGAE_E_NOMEM;
                goto done;
            }
        }
    }
    {
        int64_t rw = 0, dr = 0;
        /* largest communities first would balance better, but dynamic
         * scheduling with small chunks is enough at these sizes */
#pragma omp parallel for schedule(dynamic, 4) reduction(+ : rw, dr)
        for (int64_t c = 0; c < C; c++)
            wire_community(seed, c, mem + cstart[c], cstart[c + 1] - cstart[c], din,
                           &ws[SGAE_TID()], u + eoff[c], v + eoff[c], &rw, &dr);
        rewired += rw;
        dropped += dr;
    }
    wire_scratch_free(ws, nt);
    ws = NULL;

    /* ---- 5. external edges ---- */
    stage("lfr: external edges", 4, t0);
    xs = sgae_alloc((size_t)S + 1, sizeof *xs, "lfr external stubs");
    if (!xs) {
        st = SGAE_E_NOMEM;
        goto done;
    }
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = xoff[i]; k < xoff[i + 1]; k++)
            xs[k] = (int32_t)i;
    free(xoff);
    xoff = NULL;
    SGAE_CHECK(sgae_gen_shuffle(xs, S, seed, sgae_rng_purpose(P, GEN_EXT_SHUFFLE)));
    int32_t *xu = u + m_int, *xv = v + m_int;
    flag = sgae_alloc((size_t)m_ext + 1, 1, "lfr flags");
    if (!flag) {
        st = SGAE_E_NOMEM;
        goto done;
    }
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m_ext; k++) {
        xu[k] = xs[2 * k];
        xv[k] = xs[2 * k + 1];
        flag[k] = comm[xu[k]] == comm[xv[k]];
    }
    free(xs);
    xs = NULL;
    {
        const uint64_t pw = sgae_rng_purpose(P, GEN_EXT_SWAP);
        uint64_t draw = 0;
        for (int64_t k = 0; k < m_ext; k++) {
            if (!flag[k])
                continue;
            int32_t a = xu[k], bb = xv[k];
            if (comm[a] != comm[bb])
                continue; /* fixed meanwhile */
            int done_k = 0;
            for (int t = 0; t < SWAP_TRIES && !done_k; t++) {
                uint64_t r64 = sgae_rng_u64(seed, pw, draw++);
                int64_t r = (int64_t)(((__uint128_t)r64 * (uint64_t)m_ext) >> 64);
                if (r == k)
                    continue;
                int32_t c2 = xu[r], d2 = xv[r];
                if (c2 < 0)
                    continue;
                if (r64 & 1) {
                    int32_t x = c2;
                    c2 = d2;
                    d2 = x;
                }
                if (comm[a] != comm[c2] && comm[bb] != comm[d2]) {
                    xv[k] = c2;
                    xu[r] = bb;
                    xv[r] = d2;
                    done_k = 1;
                }
            }
            if (done_k) {
                rewired++;
            } else {
                xu[k] = xv[k] = -1;
                dropped++;
            }
        }
    }
    free(flag);
    flag = NULL;
    dropped += (S & 1) + odd; /* stubs without a partner, each counted as a drop */

    /* compact away dropped edges (rare) */
    int64_t m = m_all;
    {
        int64_t w = 0;
        int any = 0;
        for (int64_t k = 0; k < m_all && !any; k++)
            any = u[k] < 0;
        if (any) {
            for (int64_t k = 0; k < m_all; k++)
                if (u[k] >= 0) {
                    u[w] = u[k];
                    v[w++] = v[k];
                }
            m = w;
        }
    }

    /* ---- 6. CSR ---- */
    stage("lfr: building CSR", 5, t0);
    SGAE_CHECK(sgae_graph_from_pairs(n, m, u, v, &g));
    {
        const uint64_t pi = sgae_rng_purpose(P, GEN_ISOLATED);
        int64_t m2 = m;
        for (int64_t i = 0; i < n; i++) {
            if (sgae_graph_degree(g, i) > 0)
                continue;
            int64_t c = comm[i], s = cstart[c + 1] - cstart[c];
            int32_t j;
            if (s > 1) {
                int64_t r = (int64_t)sgae_rng_below(seed, pi, (uint64_t)i, (uint64_t)s - 1);
                j = mem[cstart[c] + r];
                if (j == i)
                    j = mem[cstart[c] + s - 1];
            } else {
                j = (int32_t)sgae_rng_below(seed, pi, (uint64_t)i, (uint64_t)n - 1);
                if (j >= i)
                    j++;
            }
            u[m2] = (int32_t)i;
            v[m2++] = j;
            isolated++;
        }
        if (isolated) {
            sgae_graph_free(g);
            g = NULL;
            SGAE_CHECK(sgae_graph_from_pairs(n, m2, u, v, &g));
        }
    }
    dropped += g->duplicates;
    sgae_progress_done("lfr");

    if (stats) {
        memset(stats, 0, sizeof *stats);
        stats->communities = C;
        int64_t inside = 0, nnz = g->adj.rowptr[n];
#pragma omp parallel for schedule(dynamic, 4096) reduction(+ : inside)
        for (int64_t i = 0; i < n; i++)
            for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
                inside += comm[g->adj.col[k]] == comm[i];
        stats->internal_edges = inside / 2;
        stats->external_edges = (nnz - inside) / 2;
        stats->rewired = rewired;
        stats->dropped = dropped;
        stats->isolated_fixed = isolated;
        sgae_gen_mixing(g, comm, &stats->mu_realised, &stats->mu_edges);
        stats->seconds = sgae_now() - t0;
    }
    *gout = g;
    g = NULL;
    *community = comm;
    comm = NULL;
done:
    wire_scratch_free(ws, nt);
    if (st)
        sgae_progress_done("lfr");
    free(deg);
    free(din);
    free(comm);
    free(csize);
    free(mem);
    free(xs);
    free(u);
    free(v);
    free(cstart);
    free(eoff);
    free(xoff);
    free(flag);
    sgae_graph_free(g);
    return st;
}

void sgae_gen_mixing(const sgae_graph *g, const int32_t *community, double *mu_node,
                     double *mu_edge)
{
    /* fixed blocks summed in order: the same bits at any thread count */
    enum { BLK = 65536, MAXB = 4096 };
    double part[MAXB];
    int64_t n = g->n, out = 0, nodes = 0;
    int64_t blk = (n + MAXB - 1) / MAXB;
    if (blk < BLK)
        blk = BLK;
    int64_t nb = (n + blk - 1) / blk;
#pragma omp parallel for schedule(dynamic, 1) reduction(+ : out, nodes)
    for (int64_t b = 0; b < nb; b++) {
        double s = 0;
        int64_t hi = (b + 1) * blk < n ? (b + 1) * blk : n;
        for (int64_t i = b * blk; i < hi; i++) {
            int64_t d = g->adj.rowptr[i + 1] - g->adj.rowptr[i], x = 0;
            if (d == 0)
                continue;
            for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
                x += community[g->adj.col[k]] != community[i];
            out += x;
            nodes++;
            s += (double)x / (double)d;
        }
        part[b] = s;
    }
    double sum = 0;
    for (int64_t b = 0; b < nb; b++)
        sum += part[b];
    *mu_node = nodes ? sum / (double)nodes : 0;
    if (mu_edge) {
        int64_t nnz = g->adj.rowptr[n];
        *mu_edge = nnz ? (double)out / (double)nnz : 0;
    }
}

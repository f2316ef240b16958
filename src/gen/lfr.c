/* LFR-style planted-community graphs (see sgae/gen.h).
 *
 * Stages, each parallel where it matters and each drawing its randomness from
 * sgae_rng_u64(seed, purpose, index) with indices that do not depend on the
 * thread count (one function each below, in this order):
 *   0. degrees (lfr_degrees): truncated power law, lower cutoff tuned to the
 *      mean degree (lfr_kmin); split into external (random rounding of mu*k)
 *      and internal stubs;
 *   1. community sizes (lfr_community_sizes): truncated power law, drawn
 *      until they cover n, then adjusted so that they sum to n exactly and
 *      the largest holds the largest internal degree;
 *   2. placement (lfr_place): a random permutation of community "slots",
 *      then nodes whose internal degree does not fit their community are
 *      swapped with random nodes for which both fit; then the member lists
 *      and edge ranges of the communities (lfr_members) and the external
 *      stub ranges of the nodes (lfr_edge_arrays);
 *   3. internal edges (lfr_wire_internal): configuration model per community
 *      (parallel over communities), self-loops and multi-edges repaired by
 *      edge swaps;
 *   4. external edges (lfr_wire_external): configuration model over all
 *      external stubs (a parallel random permutation), edges inside one
 *      community repaired by swaps; external multi-edges are dropped by the
 *      CSR build; then the edges given up are compacted away (lfr_compact);
 *   5. CSR build (lfr_build_csr, through sgae_graph_from_pairs); isolated
 *      nodes joined to their community. */
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "gen_internal.h"
#include "internal.h"
#include "sgae/gen.h"
#include "sgae/rng.h"

#define SWAP_TRIES 1000     /* random partners tried for one bad edge */
#define ASSIGN_TRIES 200000 /* random partners tried for one misplaced node */

void sgae_lfr_opts_default(sgae_lfr_opts *o)
{
    *o = (sgae_lfr_opts){.nodes = 100000, .avg_degree = 20, .max_degree = 500,
                         .degree_exponent = 2.0, .mu = 0.3, .min_community = 20,
                         .max_community = 1000, .community_exponent = 1.0, .seed = 1};
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
} wire_scratch;

/* Free nt scratches and the array (NULL is fine). */
static void wire_scratch_free(wire_scratch *ws, int nt)
{
    if (!ws)
        return;
    for (int t = 0; t < nt; t++) {
        SGAE_FREE_ALL(ws[t].stub, ws[t].ea, ws[t].eb, ws[t].bad, ws[t].set.key, ws[t].set.cnt);
    }
    free(ws);
}

/* nt scratches for communities of at most max_stubs internal stubs. */
static sgae_status wire_scratch_alloc(int nt, int64_t max_stubs, wire_scratch **out)
{
    sgae_status st = SGAE_OK;
    wire_scratch *ws = sgae_calloc((size_t)nt, sizeof *ws, "lfr scratch");
    *out = NULL;
    if (!ws)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
    uint64_t cap = 16;
    while (cap < (uint64_t)(max_stubs / 2) * 8)
        cap *= 2;
    for (int t = 0; t < nt; t++) {
        wire_scratch *w = &ws[t];
        if (!(w->stub = sgae_alloc((size_t)max_stubs + 1, sizeof *w->stub, "lfr stubs")) ||
            !(w->ea = sgae_alloc((size_t)max_stubs / 2 + 1, sizeof *w->ea, "lfr edges")) ||
            !(w->eb = sgae_alloc((size_t)max_stubs / 2 + 1, sizeof *w->eb, "lfr edges")) ||
            !(w->bad = sgae_alloc((size_t)max_stubs / 2 + 1, sizeof *w->bad, "lfr bad edges")) ||
            !(w->set.key = sgae_alloc(cap, sizeof *w->set.key, "lfr edge set")) ||
            !(w->set.cnt = sgae_alloc(cap, sizeof *w->set.cnt, "lfr edge set")))
            SGAE_CHECK(SGAE_E_NOMEM);
    }
    *out = ws;
    ws = NULL;
done:
    wire_scratch_free(ws, nt);
    return st;
}

/* Configuration model inside community c (members mem[0..s), internal
 * degrees din[node]): the stubs, as local member indices, are shuffled and
 * paired into edges (w->ea[e], w->eb[e]), e < T/2 (an odd last stub is left
 * out), counted in w->set; the edges that are self-loops or repeat an
 * earlier edge are listed in w->bad[0..*nbad).  Returns the number of
 * edges. */
static int64_t intra_pair(uint64_t seed, int64_t c, const int32_t *mem, int64_t s,
                          const int32_t *din, wire_scratch *w, int64_t *nbad)
{
    int64_t T = 0;
    for (int64_t l = 0; l < s; l++)
        for (int32_t k = 0; k < din[mem[l]]; k++)
            w->stub[T++] = (int32_t)l;
    uint64_t ps = sgae_rng_purpose(sgae_rng_purpose(SGAE_RNG_GEN, GEN_INTRA_SHUFFLE), (uint64_t)c);
    for (int64_t i = T - 1; i > 0; i--) {
        int64_t j = (int64_t)sgae_rng_below(seed, ps, (uint64_t)i, (uint64_t)i + 1);
        int32_t t = w->stub[i];
        w->stub[i] = w->stub[j];
        w->stub[j] = t;
    }
    int64_t ne = T / 2;
    *nbad = 0;
    if (ne == 0)
        return 0;
    uint64_t cap = 16;
    while (cap < (uint64_t)ne * 8)
        cap *= 2;
    w->set.mask = cap - 1;
    for (uint64_t h = 0; h < cap; h++)
        w->set.key[h] = EMPTY_KEY;
    for (int64_t e = 0; e < ne; e++) {
        int32_t a = w->stub[2 * e], b = w->stub[2 * e + 1];
        w->ea[e] = a;
        w->eb[e] = b;
        if (es_add(&w->set, ekey(a, b), 1) > 0 || a == b)
            w->bad[(*nbad)++] = e;
    }
    return ne;
}

/* Repair bad edge e = (a, b) of the ne edges of a community by a swap with
 * a random other edge (c, d): (a, b), (c, d) -> (a, c), (b, d) (or with c and
 * d exchanged) when neither new edge is a self-loop or already present.
 * Tries SWAP_TRIES partners, drawn from stream pw at *draw onwards.  Returns
 * 1 if repaired (edges and set updated), 0 if not (nothing changed). */
static int intra_swap(uint64_t seed, uint64_t pw, uint64_t *draw, wire_scratch *w, int64_t e,
                      int64_t ne)
{
    int32_t a = w->ea[e], b = w->eb[e];
    uint64_t kab = ekey(a, b);
    for (int t = 0; t < SWAP_TRIES; t++) {
        uint64_t r64 = sgae_rng_u64(seed, pw, (*draw)++);
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
            return 1;
        }
        es_add(&w->set, kab, 1);
        es_add(&w->set, kcd, 1);
    }
    return 0;
}

/* Wire community c: members mem[0..s), internal degrees din[node].  Writes
 * its edges (global ids) to u/v, those given up as -1; adds to *rewired and
 * *dropped. */
static void wire_community(uint64_t seed, int64_t c, const int32_t *mem, int64_t s,
                           const int32_t *din, wire_scratch *w, int32_t *u, int32_t *v,
                           int64_t *rewired, int64_t *dropped)
{
    int64_t nbad;
    int64_t ne = intra_pair(seed, c, mem, s, din, w, &nbad);
    if (ne == 0)
        return;
    uint64_t pw = sgae_rng_purpose(sgae_rng_purpose(SGAE_RNG_GEN, GEN_INTRA_SWAP), (uint64_t)c);
    uint64_t draw = 0;
    for (int64_t q = 0; q < nbad; q++) {
        int64_t e = w->bad[q];
        int32_t a = w->ea[e], b = w->eb[e];
        uint64_t kab = ekey(a, b);
        if (a != b && es_count(&w->set, kab) <= 1)
            continue; /* fixed meanwhile (its twin was swapped away) */
        if (intra_swap(seed, pw, &draw, w, e, ne)) {
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

static sgae_status check_opts(const sgae_lfr_opts *p)
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

/* One run of the generator: what each stage leaves for the next.  Every
 * array is owned here and freed by lfr_run_clear (a stage frees what no later
 * stage needs as soon as it can, which keeps the peak memory down). */
typedef struct {
    const sgae_lfr_opts *o;
    int64_t n;
    int32_t *deg, *din;  /* degree and internal degree of each node */
    int64_t need;        /* largest internal degree + 1 */
    int32_t *csize;      /* size of each of the C communities */
    int64_t C;
    int32_t *comm;       /* community of each node */
    int64_t *cstart;     /* members of community c: mem[cstart[c] .. cstart[c+1]) */
    int32_t *mem;        /* nodes by community, increasing ids within one */
    int64_t *eoff;       /* internal edges of community c: eoff[c] .. eoff[c+1] */
    int64_t max_stubs;   /* most internal stubs of one community */
    int64_t odd;         /* communities with an odd stub count (one stub lost each) */
    int64_t *xoff;       /* external stubs of node i: xoff[i] .. xoff[i+1] */
    int64_t S;           /* external stubs */
    int64_t m_int, m_ext;
    int32_t *u, *v;      /* edges: m_int internal, m_ext external, room for n more */
    int64_t m;           /* edges kept after lfr_compact */
    int64_t rewired, dropped, isolated;
} lfr_run;

static void lfr_run_clear(lfr_run *L)
{
    SGAE_FREE_ALL(L->deg, L->din, L->csize, L->comm, L->cstart, L->mem, L->eoff, L->xoff, L->u,
                  L->v);
    memset(L, 0, sizeof *L);
}

/* The real lower cutoff kmin of the degree law on [kmin, max_degree + 1)
 * whose floor has mean avg_degree (bisection). */
static sgae_status lfr_kmin(const sgae_lfr_opts *o, double *kmin)
{
    const double tau1 = o->degree_exponent, b = (double)o->max_degree + 1.0;
    double lo = 1.0, hi = (double)o->max_degree;
    double mean_lo = pl_floor_mean(lo, b, tau1);
    if (o->avg_degree < mean_lo - 1e-9)
        return sgae_error_set(SGAE_E_ARG,
                              "lfr: average degree %g is below %.3f, the least possible with "
                              "degree exponent %g and max degree %" PRId64,
                              o->avg_degree, mean_lo, tau1, o->max_degree);
    for (int it = 0; it < 100 && hi - lo > 1e-10; it++) {
        double mid = 0.5 * (lo + hi);
        if (pl_floor_mean(mid, b, tau1) < o->avg_degree)
            lo = mid;
        else
            hi = mid;
    }
    *kmin = 0.5 * (lo + hi);
    return SGAE_OK;
}

/* Stage 0: each node's degree k (power law) and internal degree k - e, e the
 * random rounding of mu * k; L->need. */
static sgae_status lfr_degrees(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    const sgae_lfr_opts *o = L->o;
    const int64_t n = L->n, kmax = o->max_degree;
    const double tau1 = o->degree_exponent, mu = o->mu, b = (double)kmax + 1.0;
    const uint64_t seed = o->seed;
    double kmin;
    SGAE_CHECK(lfr_kmin(o, &kmin));
    L->deg = sgae_alloc((size_t)n, sizeof *L->deg, "lfr degrees");
    L->din = sgae_alloc((size_t)n, sizeof *L->din, "lfr internal degrees");
    if (!L->deg || !L->din)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
    int32_t *deg = L->deg, *din = L->din;
    const uint64_t pdeg = sgae_rng_purpose(SGAE_RNG_GEN, GEN_DEGREE);
    const uint64_t pext = sgae_rng_purpose(SGAE_RNG_GEN, GEN_EXTERNAL_ROUND);
    int64_t need = 1;
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
    L->need = need;
done:
    return st;
}

/* Stage 1: community sizes (power law on [min, max]) drawn until they cover
 * n; the largest raised to L->need if smaller; the excess trimmed from the
 * last communities (none below its floor).  SGAE_E_ARG when no split of n
 * fits. */
static sgae_status lfr_community_sizes(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    const sgae_lfr_opts *o = L->o;
    const int64_t n = L->n, need = L->need, minc = o->min_community, maxc = o->max_community;
    if (need > maxc || need > n)
        SGAE_FAIL(SGAE_E_ARG,
                  "lfr: a node has internal degree %" PRId64
                  " and needs a community of more than that, but max community is %" PRId64
                  " (and nodes %" PRId64 "): raise max community, lower max degree or "
                  "raise mu",
                  need - 1, maxc, n);
    int64_t ccap = n / minc + 2, C = 0, sum = 0;
    if (!(L->csize = sgae_alloc((size_t)ccap, sizeof *L->csize, "lfr community sizes")))
        SGAE_CHECK(SGAE_E_NOMEM);
    const uint64_t psize = sgae_rng_purpose(SGAE_RNG_GEN, GEN_SIZE);
    while (sum < n) {
        int64_t s = pl_draw(o->seed, psize, (uint64_t)C, (double)minc, (double)maxc + 1.0,
                            o->community_exponent, minc, maxc);
        if (C == ccap) {
            int32_t *t = sgae_realloc(L->csize, (size_t)ccap * 2, sizeof *L->csize,
                                      "lfr community sizes");
            if (!t)
                SGAE_CHECK(SGAE_E_NOMEM);
            L->csize = t;
            ccap *= 2;
        }
        L->csize[C++] = (int32_t)s;
        sum += s;
    }
    int32_t *csize = L->csize;
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
    if (sum != n)
        SGAE_FAIL(SGAE_E_ARG,
                  "lfr: cannot split %" PRId64 " nodes into communities of %" PRId64
                  "..%" PRId64 " holding internal degree %" PRId64,
                  n, minc, maxc, need - 1);
    L->C = C;
done:
    return st;
}

/* Stage 2, second half: every node whose internal degree does not fit its
 * community swaps communities with a random node j such that both fit.
 * SGAE_E_ARG when ASSIGN_TRIES partners all fail. */
static sgae_status lfr_fix_placement(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    const int64_t n = L->n;
    const int32_t *din = L->din, *csize = L->csize;
    int32_t *comm = L->comm;
    const uint64_t pa = sgae_rng_purpose(SGAE_RNG_GEN, GEN_ASSIGN);
    uint64_t draw = 0;
    for (int64_t i = 0; i < n; i++) {
        if (din[i] < csize[comm[i]])
            continue;
        int ok = 0;
        for (int t = 0; t < ASSIGN_TRIES; t++) {
            int64_t j = (int64_t)sgae_rng_below(L->o->seed, pa, draw++, (uint64_t)n);
            if (din[i] < csize[comm[j]] && din[j] < csize[comm[i]]) {
                int32_t x = comm[i];
                comm[i] = comm[j];
                comm[j] = x;
                ok = 1;
                break;
            }
        }
        if (!ok)
            SGAE_FAIL(SGAE_E_ARG,
                      "lfr: cannot place node %" PRId64 " (internal degree %d) in a "
                      "community larger than its internal degree: raise max "
                      "community or mu, or lower max degree",
                      i, (int)din[i]);
    }
done:
    return st;
}

/* Stage 2: the community of each node: csize[c] slots of community c,
 * randomly permuted, then repaired by lfr_fix_placement. */
static sgae_status lfr_place(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    if (!(L->comm = sgae_alloc((size_t)L->n, sizeof *L->comm, "lfr communities")))
        SGAE_CHECK(SGAE_E_NOMEM);
    int64_t w = 0;
    for (int64_t c = 0; c < L->C; c++)
        for (int32_t k = 0; k < L->csize[c]; k++)
            L->comm[w++] = (int32_t)c;
    SGAE_CHECK(sgae_gen_shuffle(L->comm, L->n, L->o->seed,
                                sgae_rng_purpose(SGAE_RNG_GEN, GEN_SLOT_SHUFFLE)));
    SGAE_CHECK(lfr_fix_placement(L));
done:
    return st;
}

/* The members of each community in increasing node id (cstart, mem); the
 * range of its internal edges in u/v (eoff, half its stubs rounded down);
 * max_stubs, odd, m_int. */
static sgae_status lfr_members(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    const int64_t n = L->n, C = L->C;
    int64_t *pos = NULL;
    L->cstart = sgae_calloc((size_t)C + 1, sizeof *L->cstart, "lfr community offsets");
    L->mem = L->cstart ? sgae_alloc((size_t)n, sizeof *L->mem, "lfr members") : NULL;
    L->eoff = L->mem ? sgae_calloc((size_t)C + 1, sizeof *L->eoff, "lfr edge offsets") : NULL;
    if (!L->eoff)
        SGAE_CHECK(SGAE_E_NOMEM);
    int64_t *cstart = L->cstart, *eoff = L->eoff;
    for (int64_t i = 0; i < n; i++) {
        cstart[L->comm[i]]++;
        eoff[L->comm[i]] += L->din[i];
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
    if (!(pos = sgae_alloc((size_t)C + 1, sizeof *pos, "lfr positions")))
        SGAE_CHECK(SGAE_E_NOMEM);
    memcpy(pos, cstart, (size_t)(C + 1) * sizeof *pos);
    for (int64_t i = 0; i < n; i++)
        L->mem[pos[L->comm[i]]++] = (int32_t)i;
    L->max_stubs = max_stubs;
    L->odd = odd;
    L->m_int = eoff[C];
done:
    free(pos);
    return st;
}

/* The external stub ranges of the nodes (xoff, S, m_ext) and the edge
 * arrays u/v: m_int + m_ext edges plus room for one per node (isolated
 * nodes joined in stage 5). */
static sgae_status lfr_edge_arrays(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    const int64_t n = L->n;
    if (!(L->xoff = sgae_alloc((size_t)n + 1, sizeof *L->xoff, "lfr stub offsets")))
        SGAE_CHECK(SGAE_E_NOMEM);
    int64_t *xoff = L->xoff;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        xoff[i] = L->deg[i] - L->din[i];
    sgae_prefix_sum(xoff, n);
    L->S = xoff[n];
    L->m_ext = L->S / 2;
    const int64_t m_all = L->m_int + L->m_ext;
    L->u = sgae_alloc((size_t)m_all + (size_t)n, sizeof *L->u, "lfr edge sources");
    L->v = L->u ? sgae_alloc((size_t)m_all + (size_t)n, sizeof *L->v, "lfr edge targets") : NULL;
    if (!L->v)
        SGAE_CHECK(SGAE_E_NOMEM);
done:
    return st;
}

/* Stage 3: the internal edges of every community (wire_community), in
 * parallel over communities with one scratch per thread; into u/v at eoff. */
static sgae_status lfr_wire_internal(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    int nt = SGAE_NTHREADS();
    wire_scratch *ws = NULL;
    SGAE_CHECK(wire_scratch_alloc(nt, L->max_stubs, &ws));
    int64_t rw = 0, dr = 0;
    const uint64_t seed = L->o->seed;
    const int64_t *cstart = L->cstart, *eoff = L->eoff;
    /* largest communities first would balance better, but dynamic
     * scheduling with small chunks is enough at these sizes */
#pragma omp parallel for schedule(dynamic, 4) reduction(+ : rw, dr)
    for (int64_t c = 0; c < L->C; c++)
        wire_community(seed, c, L->mem + cstart[c], cstart[c + 1] - cstart[c], L->din,
                       &ws[SGAE_TID()], L->u + eoff[c], L->v + eoff[c], &rw, &dr);
    L->rewired += rw;
    L->dropped += dr;
done:
    wire_scratch_free(ws, nt);
    return st;
}

/* Repair external edge k = (a, b), whose ends are in one community, by a
 * swap with a random other external edge (c, d): (a, b), (c, d) -> (a, c),
 * (b, d) (or with c and d exchanged) when both new edges leave their
 * communities.  Tries SWAP_TRIES partners from stream pw at *draw onwards.
 * Returns 1 if repaired, 0 if not (nothing changed). */
static int ext_swap(const int32_t *comm, uint64_t seed, uint64_t pw, uint64_t *draw, int32_t *xu,
                    int32_t *xv, int64_t k, int64_t m_ext)
{
    int32_t a = xu[k], bb = xv[k];
    for (int t = 0; t < SWAP_TRIES; t++) {
        uint64_t r64 = sgae_rng_u64(seed, pw, (*draw)++);
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
            return 1;
        }
    }
    return 0;
}

/* Stage 4: the external edges: all external stubs randomly permuted and
 * paired into u/v after the internal edges; then each pair inside one
 * community (flagged as paired) repaired by ext_swap or given up (-1).
 * Frees xoff. */
static sgae_status lfr_wire_external(lfr_run *L)
{
    sgae_status st = SGAE_OK;
    const int64_t n = L->n, S = L->S, m_ext = L->m_ext;
    const int32_t *comm = L->comm;
    const uint64_t seed = L->o->seed;
    int32_t *xs = NULL;
    uint8_t *flag = NULL;
    if (!(xs = sgae_alloc((size_t)S + 1, sizeof *xs, "lfr external stubs")))
        SGAE_CHECK(SGAE_E_NOMEM);
    const int64_t *xoff = L->xoff;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = xoff[i]; k < xoff[i + 1]; k++)
            xs[k] = (int32_t)i;
    free(L->xoff);
    L->xoff = NULL;
    SGAE_CHECK(sgae_gen_shuffle(xs, S, seed, sgae_rng_purpose(SGAE_RNG_GEN, GEN_EXT_SHUFFLE)));
    int32_t *xu = L->u + L->m_int, *xv = L->v + L->m_int;
    if (!(flag = sgae_alloc((size_t)m_ext + 1, 1, "lfr flags")))
        SGAE_CHECK(SGAE_E_NOMEM);
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m_ext; k++) {
        xu[k] = xs[2 * k];
        xv[k] = xs[2 * k + 1];
        flag[k] = comm[xu[k]] == comm[xv[k]];
    }
    free(xs);
    xs = NULL;
    const uint64_t pw = sgae_rng_purpose(SGAE_RNG_GEN, GEN_EXT_SWAP);
    uint64_t draw = 0;
    for (int64_t k = 0; k < m_ext; k++) {
        if (!flag[k])
            continue;
        if (comm[xu[k]] != comm[xv[k]])
            continue; /* fixed meanwhile */
        if (ext_swap(comm, seed, pw, &draw, xu, xv, k, m_ext)) {
            L->rewired++;
        } else {
            xu[k] = xv[k] = -1;
            L->dropped++;
        }
    }
    L->dropped += (S & 1) + L->odd; /* stubs without a partner, each counted as a drop */
done:
    free(xs);
    free(flag);
    return st;
}

/* The edges given up (-1, rare) removed from u/v, order kept; L->m. */
static void lfr_compact(lfr_run *L)
{
    const int64_t m_all = L->m_int + L->m_ext;
    int32_t *u = L->u, *v = L->v;
    int any = 0;
    L->m = m_all;
    for (int64_t k = 0; k < m_all && !any; k++)
        any = u[k] < 0;
    if (!any)
        return;
    int64_t w = 0;
    for (int64_t k = 0; k < m_all; k++)
        if (u[k] >= 0) {
            u[w] = u[k];
            v[w++] = v[k];
        }
    L->m = w;
}

/* Stage 5: the CSR of the m edges; a node left without edges gets one to a
 * random other member of its community (a random node if it is alone), and
 * the CSR is built again.  Duplicates dropped by the build count as drops. */
static sgae_status lfr_build_csr(lfr_run *L, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    const int64_t n = L->n;
    sgae_graph *g = NULL;
    *out = NULL;
    SGAE_CHECK(sgae_graph_from_pairs(n, L->m, L->u, L->v, &g));
    const uint64_t pi = sgae_rng_purpose(SGAE_RNG_GEN, GEN_ISOLATED), seed = L->o->seed;
    int64_t m2 = L->m;
    for (int64_t i = 0; i < n; i++) {
        if (sgae_graph_degree(g, i) > 0)
            continue;
        int64_t c = L->comm[i], s = L->cstart[c + 1] - L->cstart[c];
        int32_t j;
        if (s > 1) {
            int64_t r = (int64_t)sgae_rng_below(seed, pi, (uint64_t)i, (uint64_t)s - 1);
            j = L->mem[L->cstart[c] + r];
            if (j == i)
                j = L->mem[L->cstart[c] + s - 1];
        } else {
            j = (int32_t)sgae_rng_below(seed, pi, (uint64_t)i, (uint64_t)n - 1);
            if (j >= i)
                j++;
        }
        L->u[m2] = (int32_t)i;
        L->v[m2++] = j;
        L->isolated++;
    }
    if (L->isolated) {
        sgae_graph_free(g);
        g = NULL;
        SGAE_CHECK(sgae_graph_from_pairs(n, m2, L->u, L->v, &g));
    }
    L->dropped += g->duplicates;
    *out = g;
    g = NULL;
done:
    sgae_graph_free(g);
    return st;
}

/* The figures of sgae_lfr_stats for the final graph g. */
static void lfr_fill_stats(const lfr_run *L, const sgae_graph *g, double t0, sgae_lfr_stats *stats)
{
    const int64_t n = L->n;
    const int32_t *comm = L->comm;
    memset(stats, 0, sizeof *stats);
    stats->communities = L->C;
    int64_t inside = 0, nnz = g->adj.rowptr[n];
#pragma omp parallel for schedule(dynamic, 4096) reduction(+ : inside)
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
            inside += comm[g->adj.col[k]] == comm[i];
    stats->internal_edges = inside / 2;
    stats->external_edges = (nnz - inside) / 2;
    stats->rewired = L->rewired;
    stats->dropped = L->dropped;
    stats->isolated_fixed = L->isolated;
    sgae_gen_mixing(g, comm, &stats->mu_realised, &stats->mu_edges);
    stats->seconds = sgae_now() - t0;
}

sgae_status sgae_gen_lfr(const sgae_lfr_opts *o, sgae_graph **gout, int32_t **community,
                         sgae_lfr_stats *stats)
{
    sgae_status st = SGAE_OK;
    lfr_run L = {0};
    sgae_graph *g = NULL;
    gen_progress gp;
    gen_progress_begin(&gp, &o->progress, "lfr", 6);
    *gout = NULL;
    *community = NULL;
    SGAE_CHECK(check_opts(o));
    L.o = o;
    L.n = o->nodes;
    gen_progress_stage(&gp, "lfr: degrees", 0);
    SGAE_CHECK(lfr_degrees(&L));
    gen_progress_stage(&gp, "lfr: communities", 1);
    SGAE_CHECK(lfr_community_sizes(&L));
    gen_progress_stage(&gp, "lfr: placing nodes", 2);
    SGAE_CHECK(lfr_place(&L));
    SGAE_CHECK(lfr_members(&L));
    SGAE_CHECK(lfr_edge_arrays(&L));
    gen_progress_stage(&gp, "lfr: internal edges", 3);
    SGAE_CHECK(lfr_wire_internal(&L));
    gen_progress_stage(&gp, "lfr: external edges", 4);
    SGAE_CHECK(lfr_wire_external(&L));
    lfr_compact(&L);
    gen_progress_stage(&gp, "lfr: building CSR", 5);
    SGAE_CHECK(lfr_build_csr(&L, &g));
    if (stats)
        lfr_fill_stats(&L, g, gp.t0, stats);
    *gout = g;
    g = NULL;
    *community = L.comm;
    L.comm = NULL;
done:
    gen_progress_end(&gp);
    lfr_run_clear(&L);
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

/* Link-prediction split: train / validation / test edges and negatives. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "sgae/rng.h"
#include "sgae/train.h"

void sgae_split_clear(sgae_split *s)
{
    if (!s)
        return;
    sgae_pairs *p[5] = {&s->train, &s->val_pos, &s->val_neg, &s->test_pos, &s->test_neg};
    for (int k = 0; k < 5; k++) {
        free(p[k]->u);
        free(p[k]->v);
    }
    memset(s, 0, sizeof *s);
}

static sgae_status pairs_alloc(sgae_pairs *p, int64_t count)
{
    p->count = count;
    p->u = sgae_alloc((size_t)count, sizeof *p->u, "split pairs");
    p->v = sgae_alloc((size_t)count, sizeof *p->v, "split pairs");
    return (p->u && p->v) ? SGAE_OK : SGAE_E_NOMEM;
}

/* Open-addressing set of non-zero 64-bit keys. */
typedef struct {
    uint64_t *slot;
    uint64_t mask;
} keyset;

static int keyset_insert(keyset *h, uint64_t key) /* 1 if new */
{
    uint64_t i = sgae_rng_mix64(key) & h->mask;
    while (h->slot[i]) {
        if (h->slot[i] == key)
            return 0;
        i = (i + 1) & h->mask;
    }
    h->slot[i] = key;
    return 1;
}

/* Candidate batch of draw_negatives: pair q of the batch is candidate
 * c0 + q of the counter stream; `edge` marks the training-graph edges. */
typedef struct {
    int32_t *u, *v;
    unsigned char *edge;
    int64_t cap;
} cand_batch;

#define SPLIT_BATCH ((int64_t)1 << 18)

/* Draw p->count uniform non-edges (u < v) not in the set; counter *c.
 * The candidates (their pair and whether it is an edge: a binary search,
 * the costly part) are made in parallel in batches; the set is then
 * updated in counter order, serially, so the pairs are exactly those of
 * the one-at-a-time loop, and *c ends after the last candidate used. */
static sgae_status draw_negatives(const sgae_graph *g, uint64_t seed, keyset *h, uint64_t *c,
                                  sgae_pairs *p, cand_batch *cb)
{
    const uint64_t n = (uint64_t)g->n;
    const uint64_t pur = sgae_rng_purpose(SGAE_RNG_SPLIT, 1);
    int64_t k = 0;
    uint64_t tries = 0, limit = 1000 * (uint64_t)p->count + 1000000;
    while (k < p->count) {
        /* a batch a little larger than what is still missing */
        int64_t want = (p->count - k) + (p->count - k) / 8 + 1024;
        if (want > cb->cap)
            want = cb->cap;
        const uint64_t c0 = *c;
#pragma omp parallel for schedule(static) if (want > 4096)
        for (int64_t q = 0; q < want; q++) {
            uint64_t cc = c0 + (uint64_t)q;
            uint64_t r1 = sgae_rng_u64(seed, pur, 2 * cc), r2 = sgae_rng_u64(seed, pur, 2 * cc + 1);
            int32_t u = (int32_t)(((__uint128_t)r1 * n) >> 64);
            int32_t v = (int32_t)(((__uint128_t)r2 * (n - 1)) >> 64);
            if (v >= u)
                v++;
            if (u > v) {
                int32_t t = u;
                u = v;
                v = t;
            }
            cb->u[q] = u;
            cb->v[q] = v;
            cb->edge[q] = (unsigned char)sgae_graph_has_edge(g, u, v);
        }
        for (int64_t q = 0; q < want && k < p->count; q++) {
            if (++tries > limit)
                return sgae_error_set(SGAE_E_ARG,
                                      "split: could not find %lld non-edges (graph too dense?)",
                                      (long long)p->count);
            (*c)++;
            const int32_t u = cb->u[q], v = cb->v[q];
            if (cb->edge[q])
                continue;
            if (!keyset_insert(h, (uint64_t)u * n + (uint64_t)v + 1))
                continue;
            p->u[k] = u;
            p->v[k] = v;
            k++;
        }
    }
    return SGAE_OK;
}

sgae_status sgae_split_edges(const sgae_graph *g, double val, double test, uint64_t seed,
                             sgae_split *s)
{
    sgae_status st = SGAE_OK;
    memset(s, 0, sizeof *s);
    keyset h = {0};
    int32_t *eu = NULL, *ev = NULL;
    cand_batch cb = {0};
    if (!(val >= 0 && val < 1) || !(test >= 0 && test < 1))
        return sgae_error_set(SGAE_E_ARG,
                              "split: validation (%g) and test (%g) fractions must be in [0, 1)",
                              val, test);
    if (val + test >= 1)
        return sgae_error_set(SGAE_E_ARG,
                              "split: validation + test fractions (%g + %g) must be below 1", val,
                              test);
    const int64_t n = g->n, E = g->n > 0 ? sgae_graph_edges(g) : 0;
    if (E < 1)
        return sgae_error_set(SGAE_E_ARG, "split: the graph has no edges");
    const int64_t nt = (int64_t)floor((double)E * test), nv = (int64_t)floor((double)E * val);
    const int64_t ntr = E - nt - nv;
    if (ntr < 1)
        return sgae_error_set(SGAE_E_ARG, "split: no training edge left (%lld edges)",
                              (long long)E);
    double nonedges = (double)n * (double)(n - 1) / 2.0 - (double)E;
    if (nonedges < 2.0 * (double)(nt + nv))
        return sgae_error_set(SGAE_E_ARG,
                              "split: %.0f non-edges are too few for %lld negative pairs",
                              nonedges, (long long)(nt + nv));
    s->n = n;
    eu = sgae_alloc((size_t)E, sizeof *eu, "edge list");
    ev = sgae_alloc((size_t)E, sizeof *ev, "edge list");
    if (!eu || !ev) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    /* the edges u < v in row order: counted per block of rows, offsets by a
     * prefix over the blocks, filled in parallel (the same list) */
    {
        enum { EB = 256 }; /* row blocks */
        int64_t off[EB + 1];
        const int64_t rb = (n + EB - 1) / EB;
        const int64_t *rp = g->adj.rowptr;
        const int32_t *col = g->adj.col;
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < EB; b++) {
            int64_t cnt = 0, i1 = (b + 1) * rb < n ? (b + 1) * rb : n;
            for (int64_t i = b * rb; i < i1; i++)
                for (int64_t e = rp[i]; e < rp[i + 1]; e++)
                    cnt += col[e] > i;
            off[b + 1] = cnt;
        }
        off[0] = 0;
        for (int64_t b = 0; b < EB; b++)
            off[b + 1] += off[b];
#pragma omp parallel for schedule(dynamic, 1)
        for (int64_t b = 0; b < EB; b++) {
            int64_t k = off[b], i1 = (b + 1) * rb < n ? (b + 1) * rb : n;
            for (int64_t i = b * rb; i < i1; i++)
                for (int64_t e = rp[i]; e < rp[i + 1]; e++)
                    if (col[e] > i) {
                        eu[k] = (int32_t)i;
                        ev[k] = col[e];
                        k++;
                    }
        }
    }
    /* partial Fisher-Yates: positions 0..nt+nv-1 receive a uniform sample */
    for (int64_t a = 0; a < nt + nv; a++) {
        int64_t b = a + (int64_t)sgae_rng_below(seed, SGAE_RNG_SPLIT, (uint64_t)a,
                                                (uint64_t)(E - a));
        int32_t tu = eu[a], tv = ev[a];
        eu[a] = eu[b];
        ev[a] = ev[b];
        eu[b] = tu;
        ev[b] = tv;
    }
    SGAE_CHECK(pairs_alloc(&s->test_pos, nt));
    SGAE_CHECK(pairs_alloc(&s->val_pos, nv));
    SGAE_CHECK(pairs_alloc(&s->test_neg, nt));
    SGAE_CHECK(pairs_alloc(&s->val_neg, nv));
    memcpy(s->test_pos.u, eu, (size_t)nt * sizeof *eu);
    memcpy(s->test_pos.v, ev, (size_t)nt * sizeof *ev);
    memcpy(s->val_pos.u, eu + nt, (size_t)nv * sizeof *eu);
    memcpy(s->val_pos.v, ev + nt, (size_t)nv * sizeof *ev);
    memmove(eu, eu + nt + nv, (size_t)ntr * sizeof *eu);
    memmove(ev, ev + nt + nv, (size_t)ntr * sizeof *ev);
    s->train.count = ntr;
    s->train.u = sgae_realloc(eu, (size_t)ntr, sizeof *eu, "edge list");
    if (s->train.u)
        eu = NULL;
    s->train.v = sgae_realloc(ev, (size_t)ntr, sizeof *ev, "edge list");
    if (s->train.v)
        ev = NULL;
    if (!s->train.u || !s->train.v) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    /* negatives: validation first, then test; distinct from each other */
    uint64_t cap = 16;
    while (cap < 4 * (uint64_t)(nt + nv))
        cap <<= 1;
    h.slot = sgae_calloc((size_t)cap, sizeof *h.slot, "negative set");
    if (!h.slot) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    h.mask = cap - 1;
    cb.cap = SPLIT_BATCH;
    cb.u = sgae_alloc((size_t)cb.cap, sizeof *cb.u, "negative candidates");
    cb.v = sgae_alloc((size_t)cb.cap, sizeof *cb.v, "negative candidates");
    cb.edge = sgae_alloc((size_t)cb.cap, sizeof *cb.edge, "negative candidates");
    if (!cb.u || !cb.v || !cb.edge) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    uint64_t counter = 0;
    SGAE_CHECK(draw_negatives(g, seed, &h, &counter, &s->val_neg, &cb));
    SGAE_CHECK(draw_negatives(g, seed, &h, &counter, &s->test_neg, &cb));
done:
    free(eu);
    free(ev);
    free(h.slot);
    free(cb.u);
    free(cb.v);
    free(cb.edge);
    if (st)
        sgae_split_clear(s);
    return st;
}

sgae_status sgae_split_train_graph(const sgae_split *s, const sgae_graph *full,
                                   sgae_graph **out)
{
    sgae_status st;
    *out = NULL;
    if (s->n != full->n)
        return sgae_error_set(SGAE_E_ARG, "split: made for %lld nodes, graph has %lld",
                              (long long)s->n, (long long)full->n);
    sgae_graph *tg = NULL;
    float *w = NULL;
    if (full->adj.val) { /* the training edges keep their weights */
        if (!(w = sgae_alloc((size_t)s->train.count + 1, sizeof *w, "training weights")))
            return SGAE_E_NOMEM;
        for (int64_t k = 0; k < s->train.count; k++) {
            int64_t e = sgae_csr_find(&full->adj, s->train.u[k], s->train.v[k]);
            if (e < 0) {
                free(w);
                return sgae_error_set(SGAE_E_ARG, "split: training pair %lld is not an edge "
                                      "of the graph", (long long)k);
            }
            w[k] = full->adj.val[e];
        }
    }
    st = sgae_graph_from_weighted_pairs(full->n, s->train.count, s->train.u, s->train.v, w, &tg);
    free(w);
    if (st)
        return st;
    if ((st = sgae_graph_copy_ids(tg, full))) {
        sgae_graph_free(tg);
        return st;
    }
    *out = tg;
    return SGAE_OK;
}

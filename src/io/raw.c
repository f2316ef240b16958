/* From parsed pairs to a graph: relabelling of arbitrary 64-bit ids. */
#include "raw.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Bytes of the edge buffers at a capacity of cap pairs. */
static int64_t raw_bytes_w(int64_t cap, int weighted)
{
    return cap * (int64_t)(2 * sizeof(uint64_t) + (weighted ? sizeof(float) : 0));
}
#define raw_bytes(cap) raw_bytes_w((cap), raw->weighted)

sgae_status sgae_raw_reserve(sgae_raw *raw, int64_t cap)
{
    if (cap <= raw->cap)
        return SGAE_OK;
    sgae_status st = sgae_budget_check(raw->budget, raw_bytes(cap), raw->path, "the edge list");
    if (st)
        return st;
    SGAE_IO_GROW(raw->u, cap, "edge list");
    SGAE_IO_GROW(raw->v, cap, "edge list");
    if (raw->weighted) {
        SGAE_IO_GROW(raw->w, cap, "edge weights");
    }
    raw->cap = cap;
    return SGAE_OK;
}

sgae_status sgae_raw_push(sgae_raw *raw, uint64_t u, uint64_t v)
{
    return sgae_raw_push_w(raw, u, v, 1.0f);
}

sgae_status sgae_raw_push_w(sgae_raw *raw, uint64_t u, uint64_t v, float w)
{
    if (raw->m > 0 && u != v && !raw->weighted && raw->u[raw->m - 1] == u && raw->v[raw->m - 1] == v) {
        raw->run_dups++;
        return SGAE_OK;
    }
    if (raw->m == raw->cap) {
        int64_t cap = raw->cap ? raw->cap * 2 : 1 << 16;
        if (raw->budget > 0 && raw_bytes(cap) > raw->budget) {
            /* grow to what the budget allows before giving up */
            int64_t fit = raw->budget / raw_bytes(1);
            cap = fit > raw->m ? fit : raw->m + 1;
        }
        sgae_status st = sgae_raw_reserve(raw, cap);
        if (st)
            return st;
    }
    raw->u[raw->m] = u;
    raw->v[raw->m] = v;
    if (raw->weighted)
        raw->w[raw->m] = w;
    raw->m++;
    return SGAE_OK;
}

void sgae_raw_warn(sgae_raw *raw, const char *fmt, ...)
{
    if (raw->warnings++ == 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw->warning, sizeof raw->warning, fmt, ap);
        va_end(ap);
    }
}

void sgae_raw_free(sgae_raw *raw)
{
    free(raw->u);
    free(raw->v);
    free(raw->w);
    free(raw->ids);
    if (raw->names) {
        for (int64_t i = 0; i < raw->nfixed; i++)
            free(raw->names[i]);
        free(raw->names);
    }
    sgae_features_free(raw->features);
    sgae_labels_free(raw->labels);
    memset(raw, 0, sizeof *raw);
}

int sgae_parse_u64(const char **pp, uint64_t *out)
{
    const char *p = *pp;
    if (*p == '-')
        return 3;
    if (*p == '+')
        p++;
    if (*p < '0' || *p > '9')
        return 1;
    uint64_t x = 0;
    while (*p >= '0' && *p <= '9') {
        unsigned dgt = (unsigned)(*p - '0');
        if (x > (UINT64_MAX - dgt) / 10)
            return 2;
        x = x * 10 + dgt;
        p++;
    }
    *pp = p;
    *out = x;
    return 0;
}

int sgae_parse_weight(const char **pp, float *out)
{
    const char *p = *pp;
    /* strtod would skip leading white space, line ends included */
    if (*p == ' ' || *p == '\t' || *p == ',' || *p == '\r' || *p == '\n' || *p == '\0')
        return 1;
    char *end;
    double x = strtod(p, &end);
    if (end == p || !(*end == ' ' || *end == '\t' || *end == ',' || *end == '\r' ||
                      *end == '\n' || *end == '\0'))
        return 1;
    *pp = end;
    float f = (float)x;
    if (!(x > 0) || !isfinite(x) || !isfinite(f) || !(f > 0))
        return 2;
    *out = f;
    return 0;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Open-addressing hash from user id to rank. */
typedef struct {
    uint64_t *key;
    int32_t *val;
    uint64_t mask;
} idhash;

static inline uint64_t hash_id(uint64_t x) { return (x * 0x9e3779b97f4a7c15ULL) ^ (x >> 29); }

sgae_status sgae_raw_finish(sgae_raw *raw, int64_t fixed_nodes, const char *why,
                            sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    int64_t m = raw->m, n = 0;
    int32_t *iu = NULL, *iv = NULL;
    uint64_t *uniq = NULL;
    uint8_t *seen = NULL;
    int32_t *rank = NULL;
    idhash h = {0};
    sgae_graph *g = NULL;
    *out = NULL;
    /* held: the edge buffers; added: the node indices, then the CSR build */
    const int64_t held = raw_bytes(raw->cap) + m * (int64_t)(2 * sizeof *iu);
    SGAE_CHECK(sgae_budget_check(raw->budget, held, raw->path, "relabelling the edge list"));
    SGAE_CHECK_ALLOC(iu = sgae_alloc((size_t)m, sizeof *iu, "edge list"));
    SGAE_CHECK_ALLOC(iv = sgae_alloc((size_t)m, sizeof *iv, "edge list"));
    if (raw->nfixed >= 0 || fixed_nodes >= 0) {
        n = raw->nfixed >= 0 ? raw->nfixed : fixed_nodes;
        for (int64_t k = 0; k < m; k++) {
            uint64_t a = raw->u[k], b = raw->v[k];
            if (a >= (uint64_t)n || b >= (uint64_t)n)
                SGAE_FAIL(SGAE_E_PARSE,
                          "edge %" PRId64 " (%" PRIu64 " %" PRIu64 ") names a node "
                          "outside 0..%" PRId64 " fixed by %s",
                          k + 1, a, b, n - 1, why ? why : "the input");
            iu[k] = (int32_t)a;
            iv[k] = (int32_t)b;
        }
    } else {
        uint64_t maxid = 0;
        for (int64_t k = 0; k < m; k++) {
            if (raw->u[k] > maxid)
                maxid = raw->u[k];
            if (raw->v[k] > maxid)
                maxid = raw->v[k];
        }
        if (m > 0 && maxid < (uint64_t)4 * (uint64_t)m + 1024) {
            SGAE_CHECK(sgae_budget_check(raw->budget,
                                         held + (int64_t)(maxid + 1) * (1 + (int64_t)sizeof *rank),
                                         raw->path, "the id table"));
            /* dense ids: a presence table ranked by prefix count */
            SGAE_CHECK_ALLOC(seen = sgae_calloc((size_t)maxid + 1, 1, "id table"));
            SGAE_CHECK_ALLOC(rank = sgae_alloc((size_t)maxid + 1, sizeof *rank, "id table"));
            for (int64_t k = 0; k < m; k++) {
                seen[raw->u[k]] = 1;
                seen[raw->v[k]] = 1;
            }
            for (uint64_t x = 0; x <= maxid; x++) {
                if (seen[x]) {
                    if (n >= INT32_MAX - 1)
                        SGAE_FAIL(SGAE_E_ARG, "graph has more than %d nodes",
                                  INT32_MAX - 1);
                    rank[x] = (int32_t)n++;
                }
            }
            int identity = (uint64_t)n == maxid + 1;
            if (!identity) {
                SGAE_CHECK_ALLOC(uniq = sgae_alloc((size_t)n, sizeof *uniq, "id map"));
                for (uint64_t x = 0; x <= maxid; x++)
                    if (seen[x])
                        uniq[rank[x]] = x;
            }
#pragma omp parallel for schedule(static)
            for (int64_t k = 0; k < m; k++) {
                iu[k] = rank[raw->u[k]];
                iv[k] = rank[raw->v[k]];
            }
        } else if (m > 0) {
            /* sparse ids: hash the distinct ids, sort them, rank through the hash */
            uint64_t cap = 1024;
            while (cap < (uint64_t)m * 2 * 2)
                cap <<= 1;
            SGAE_CHECK(sgae_budget_check(
                raw->budget, held + (int64_t)cap * (int64_t)(sizeof *h.key + sizeof *h.val),
                raw->path, "the id hash"));
            SGAE_CHECK_ALLOC(h.key = sgae_alloc(cap, sizeof *h.key, "id hash"));
            SGAE_CHECK_ALLOC(h.val = sgae_alloc(cap, sizeof *h.val, "id hash"));
            h.mask = cap - 1;
            memset(h.key, 0xff, cap * sizeof *h.key); /* UINT64_MAX = empty */
            int has_max = 0;                         /* the id UINT64_MAX itself */
            int64_t cnt = 0;
            for (int64_t k = 0; k < 2 * m; k++) {
                uint64_t x = k < m ? raw->u[k] : raw->v[k - m];
                if (x == UINT64_MAX) {
                    has_max = 1;
                    continue;
                }
                uint64_t s = hash_id(x) & h.mask;
                while (h.key[s] != UINT64_MAX && h.key[s] != x)
                    s = (s + 1) & h.mask;
                if (h.key[s] == UINT64_MAX) {
                    h.key[s] = x;
                    cnt++;
                }
            }
            n = cnt + has_max;
            if (n >= INT32_MAX)
                SGAE_FAIL(SGAE_E_ARG, "graph has more than %d nodes", INT32_MAX - 1);
            SGAE_CHECK_ALLOC(uniq = sgae_alloc((size_t)n, sizeof *uniq, "id map"));
            int64_t w = 0;
            for (uint64_t s = 0; s <= h.mask; s++)
                if (h.key[s] != UINT64_MAX)
                    uniq[w++] = h.key[s];
            qsort(uniq, (size_t)w, sizeof *uniq, cmp_u64);
            if (has_max)
                uniq[w++] = UINT64_MAX;
            for (int64_t r = 0; r < cnt; r++) {
                uint64_t s = hash_id(uniq[r]) & h.mask;
                while (h.key[s] != uniq[r])
                    s = (s + 1) & h.mask;
                h.val[s] = (int32_t)r;
            }
#pragma omp parallel for schedule(static)
            for (int64_t k = 0; k < 2 * m; k++) {
                uint64_t x = k < m ? raw->u[k] : raw->v[k - m];
                int32_t r;
                if (x == UINT64_MAX) {
                    r = (int32_t)(n - 1);
                } else {
                    uint64_t s = hash_id(x) & h.mask;
                    while (h.key[s] != x)
                        s = (s + 1) & h.mask;
                    r = h.val[s];
                }
                if (k < m)
                    iu[k] = r;
                else
                    iv[k - m] = r;
            }
        }
    }
    free(seen);
    free(rank);
    free(h.key);
    free(h.val);
    seen = NULL;
    rank = NULL;
    h.key = NULL;
    h.val = NULL;
    /* the CSR build: degrees and offsets, both directions of each pair twice
     * (unsorted, then compacted), beside what is held */
    SGAE_CHECK(sgae_budget_check(raw->budget,
                                 held + (uniq ? n * (int64_t)sizeof *uniq : 0) +
                                     (n + 1) * 2 * (int64_t)sizeof(int64_t) +
                                     m * 4 * (int64_t)sizeof(int32_t),
                                 raw->path, "building the graph"));
    SGAE_CHECK(sgae_graph_from_weighted_pairs(n, m, iu, iv, raw->weighted ? raw->w : NULL, &g));
    g->input_edges += raw->run_dups;
    g->duplicates += raw->run_dups;
    if (raw->nfixed >= 0) {
        g->ids = raw->ids;
        g->names = raw->names;
        g->id_base = raw->ids || raw->names ? 0 : raw->id_base;
        raw->ids = NULL;
        raw->names = NULL;
    } else {
        g->ids = uniq;
        uniq = NULL;
    }
    *out = g;
    g = NULL;
done:
    free(iu);
    free(iv);
    free(uniq);
    free(seen);
    free(rank);
    free(h.key);
    free(h.val);
    sgae_graph_free(g);
    return st;
}

void sgae_io_token_copy(char *dst, size_t cap, const char *s)
{
    size_t t = 0;
    while (s[t] && s[t] != ' ' && s[t] != '\t' && t + 1 < cap) {
        dst[t] = s[t];
        t++;
    }
    dst[t] = '\0';
}

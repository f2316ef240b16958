/* Invariant checks of a CSR and of a graph (sgae_csr_check, sgae_graph_check):
 * what every loader promises and what the fuzzers verify.
 *
 * Rows are checked in parallel; the message is that of the lowest bad row,
 * found again serially, so it does not depend on the thread count. */
#define _DEFAULT_SOURCE /* getentropy */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sgae/graph.h"

/* What is wrong with row i (0: nothing); a message in msg when asked. */
static int row_problem(const sgae_csr *a, int64_t i, int no_diag, char *msg, size_t len)
{
    int64_t lo = a->rowptr[i], hi = a->rowptr[i + 1];
    for (int64_t k = lo; k < hi; k++) {
        int64_t c = a->col[k];
        if (c < 0 || c >= a->ncols) {
            if (msg)
                snprintf(msg, len, "row %" PRId64 ": column %" PRId64 " outside 0..%" PRId64, i,
                         c, a->ncols - 1);
            return 1;
        }
        if (k > lo && c <= a->col[k - 1]) {
            if (msg)
                snprintf(msg, len,
                         "row %" PRId64 ": column %" PRId64 " after %d (columns must be sorted "
                         "and unique)",
                         i, c, (int)a->col[k - 1]);
            return 1;
        }
        if (no_diag && c == i) {
            if (msg)
                snprintf(msg, len, "row %" PRId64 ": self-loop", i);
            return 1;
        }
        if (a->val && !isfinite(a->val[k])) {
            if (msg)
                snprintf(msg, len, "row %" PRId64 ", column %" PRId64 ": value %g is not finite",
                         i, c, (double)a->val[k]);
            return 1;
        }
    }
    return 0;
}

/* The lowest row for which bad(ctx, i) holds, or -1. */
typedef int (*row_pred)(const void *ctx, int64_t i);

static int64_t first_bad_row(const void *ctx, row_pred bad, int64_t n, int64_t work)
{
    int64_t first = n;
#pragma omp parallel for schedule(dynamic, 4096) reduction(min : first) if (work > (1 << 20))
    for (int64_t i = 0; i < n; i++)
        if (i < first && bad(ctx, i))
            first = i;
    return first < n ? first : -1;
}

typedef struct {
    const sgae_csr *a;
    int no_diag;
} rows_ctx;

static int row_bad(const void *ctx, int64_t i)
{
    const rows_ctx *r = ctx;
    return row_problem(r->a, i, r->no_diag, NULL, 0);
}

static sgae_status csr_check(const sgae_csr *a, int no_diag, const char *what)
{
    if (!a)
        return sgae_error_set(SGAE_E_ARG, "%s: no matrix", what);
    if (a->nrows < 0 || a->ncols < 0 || a->ncols > INT32_MAX)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: bad shape %" PRId64 " x %" PRId64, what,
                              a->nrows, a->ncols);
    if (!a->rowptr)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: no row offsets", what);
    if (a->rowptr[0] != 0)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: row offsets start at %" PRId64 ", not 0",
                              what, a->rowptr[0]);
    for (int64_t i = 0; i < a->nrows; i++)
        if (a->rowptr[i + 1] < a->rowptr[i])
            return sgae_error_set(SGAE_E_CORRUPT,
                                  "%s: row %" PRId64 " has a negative length (offsets %" PRId64
                                  " then %" PRId64 ")",
                                  what, i, a->rowptr[i], a->rowptr[i + 1]);
    if (a->rowptr[a->nrows] > 0 && !a->col)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: no column ids", what);
    rows_ctx ctx = {a, no_diag};
    int64_t bad = first_bad_row(&ctx, row_bad, a->nrows, a->rowptr[a->nrows]);
    if (bad >= 0) {
        char msg[256];
        row_problem(a, bad, no_diag, msg, sizeof msg);
        return sgae_error_set(SGAE_E_CORRUPT, "%s: %s", what, msg);
    }
    return SGAE_OK;
}

sgae_status sgae_csr_check(const sgae_csr *a) { return csr_check(a, 0, "matrix"); }

/* Row i has an entry (j, i) for each of its entries (i, j) with j > i. */
static int mirror_missing(const void *ctx, int64_t i)
{
    const sgae_csr *a = ctx;
    for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++)
        if (a->col[k] > i && !sgae_csr_has(a, a->col[k], (int32_t)i))
            return 1;
    return 0;
}

static sgae_status asymmetric(int64_t i, int32_t j)
{
    return sgae_error_set(SGAE_E_CORRUPT,
                          "adjacency is not symmetric: node %" PRId64
                          " lists %d, which does not list it",
                          i, (int)j);
}

static sgae_status check_symmetric(const sgae_csr *a)
{
    int64_t n = a->nrows, nnz = a->rowptr[n];
    int64_t bad = first_bad_row(a, mirror_missing, n, nnz);
    if (bad >= 0) {
        for (int64_t k = a->rowptr[bad]; k < a->rowptr[bad + 1]; k++)
            if (a->col[k] > bad && !sgae_csr_has(a, a->col[k], (int32_t)bad))
                return asymmetric(bad, a->col[k]);
    }
    /* every upper entry has its mirror, rows are unique: the lower entries
     * are exactly the mirrors if there are as many of them */
    int64_t upper = 0;
#pragma omp parallel for schedule(static) reduction(+ : upper) if (nnz > (1 << 20))
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++)
            upper += a->col[k] > i;
    if (2 * upper != nnz) {
        /* name a lower entry without its mirror */
        for (int64_t i = 0; i < n; i++)
            for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1] && a->col[k] < i; k++)
                if (!sgae_csr_has(a, a->col[k], (int32_t)i))
                    return asymmetric(i, a->col[k]);
        return sgae_error_set(SGAE_E_CORRUPT, "adjacency is not symmetric");
    }
    return SGAE_OK;
}

/* A keyed mix of the pair (i, j), i < j: the splitmix64 finaliser (a
 * bijection of 64 bits) of the packed pair plus the key. */
static inline uint64_t pair_mix(int64_t i, int64_t j, uint64_t key)
{
    uint64_t x = ((uint64_t)i << 32 | (uint64_t)j) + key;
    x = (x ^ (x >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)) * UINT64_C(0x94d049bb133111eb);
    return x ^ (x >> 31);
}

/* Symmetry of a checked adjacency (rows sorted and unique) in one streaming
 * pass: the upper entries (i, j), j > i, and the mirrored lower entries
 * (j, i) as two sets of pairs, compared through the sum (mod 2^64) of a
 * keyed mix of each pair.  Equal sets give equal sums; different sets give
 * equal sums with probability about 2^-64 for a key the file cannot know
 * (one drawn per call), so a crafted file cannot aim at a collision.  The
 * sums are exact integer additions: the same at any thread count.
 * 1 if the sums agree. */
static int symmetric_by_hash(const sgae_csr *a)
{
    int64_t n = a->nrows, nnz = a->rowptr[n];
    uint64_t key = (uint64_t)(uintptr_t)&key * UINT64_C(0x9e3779b97f4a7c15);
    unsigned char seed[8];
    if (getentropy(seed, sizeof seed) == 0)
        for (int k = 0; k < 8; k++)
            key ^= (uint64_t)seed[k] << (8 * k);
    uint64_t up = 0, down = 0;
#pragma omp parallel for schedule(dynamic, 4096) reduction(+ : up, down) if (nnz > (1 << 20))
    for (int64_t i = 0; i < n; i++)
        for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++) {
            int64_t j = a->col[k];
            if (j > i)
                up += pair_mix(i, j, key);
            else
                down += pair_mix(j, i, key);
        }
    return up == down;
}

typedef struct {
    uint64_t id;
    int64_t node;
} id_node;

static int cmp_id_node(const void *x, const void *y)
{
    const id_node *a = x, *b = y;
    if (a->id != b->id)
        return a->id < b->id ? -1 : 1;
    return (a->node > b->node) - (a->node < b->node);
}

typedef struct {
    const char *name;
    int64_t node;
} name_node;

static int cmp_name_node(const void *x, const void *y)
{
    const name_node *a = x, *b = y;
    int r = strcmp(a->name, b->name);
    return r ? r : (a->node > b->node) - (a->node < b->node);
}

static sgae_status check_ids(const sgae_graph *g)
{
    sgae_status st = SGAE_OK;
    id_node *s = NULL;
    int64_t n = g->n, i = 1;
    while (i < n && g->ids[i] > g->ids[i - 1]) /* the usual case: increasing */
        i++;
    if (i >= n)
        return SGAE_OK;
    SGAE_CHECK_ALLOC(s = sgae_alloc((size_t)n, sizeof *s, "id check"));
    for (int64_t k = 0; k < n; k++)
        s[k] = (id_node){g->ids[k], k};
    qsort(s, (size_t)n, sizeof *s, cmp_id_node);
    for (int64_t k = 1; k < n; k++)
        if (s[k].id == s[k - 1].id)
            SGAE_FAIL(SGAE_E_CORRUPT, "nodes %" PRId64 " and %" PRId64 " have the same id %" PRIu64,
                      s[k - 1].node, s[k].node, s[k].id);
done:
    free(s);
    return st;
}

static sgae_status check_names(const sgae_graph *g)
{
    sgae_status st = SGAE_OK;
    name_node *s = NULL;
    int64_t n = g->n, i;
    for (i = 0; i < n; i++)
        if (!g->names[i])
            return sgae_error_set(SGAE_E_CORRUPT, "node %" PRId64 " has no name", i);
    for (i = 1; i < n && strcmp(g->names[i], g->names[i - 1]) > 0; i++)
        ;
    if (i >= n)
        return SGAE_OK;
    SGAE_CHECK_ALLOC(s = sgae_alloc((size_t)n, sizeof *s, "name check"));
    for (int64_t k = 0; k < n; k++)
        s[k] = (name_node){g->names[k], k};
    qsort(s, (size_t)n, sizeof *s, cmp_name_node);
    for (int64_t k = 1; k < n; k++)
        if (!strcmp(s[k].name, s[k - 1].name))
            SGAE_FAIL(SGAE_E_CORRUPT, "nodes %" PRId64 " and %" PRId64 " have the same name '%s'",
                      s[k - 1].node, s[k].node, s[k].name);
done:
    free(s);
    return st;
}

static sgae_status graph_check(const sgae_graph *g, int hashed)
{
    sgae_status st;
    if (!g)
        return sgae_error_set(SGAE_E_ARG, "graph check: no graph");
    if (g->n < 0 || g->n >= INT32_MAX)
        return sgae_error_set(SGAE_E_CORRUPT, "graph has %" PRId64 " nodes (0..%d allowed)", g->n,
                              INT32_MAX - 1);
    if (g->adj.nrows != g->n || g->adj.ncols != g->n)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "adjacency is %" PRId64 " x %" PRId64 " for %" PRId64 " nodes",
                              g->adj.nrows, g->adj.ncols, g->n);
    if (g->input_edges < 0 || g->self_loops < 0 || g->duplicates < 0)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "negative construction counts (%" PRId64 " input edges, %" PRId64
                              " self-loops, %" PRId64 " duplicates)",
                              g->input_edges, g->self_loops, g->duplicates);
    if ((st = csr_check(&g->adj, 1, "adjacency")))
        return st;
    /* hashed: the exact check only to name the entry once the sums differ */
    if ((!hashed || !symmetric_by_hash(&g->adj)) && (st = check_symmetric(&g->adj)))
        return st;
    if (g->adj.val) { /* weights: > 0 (finite: csr_check) and w_ij = w_ji */
        for (int64_t i = 0; i < g->n; i++)
            for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++) {
                int32_t j = g->adj.col[k];
                int64_t e = sgae_csr_find(&g->adj, j, (int32_t)i);
                if (!(g->adj.val[k] > 0) || e < 0 || g->adj.val[e] != g->adj.val[k])
                    return sgae_error_set(SGAE_E_CORRUPT,
                                          "edge weight of node %" PRId64 " to %d is %g: "
                                          "weights must be > 0 and equal both ways",
                                          i, (int)j, (double)g->adj.val[k]);
            }
    }
    if (g->ids && g->names)
        return sgae_error_set(SGAE_E_CORRUPT, "graph has both numeric ids and names");
    if (g->ids && (st = check_ids(g)))
        return st;
    if (g->names && (st = check_names(g)))
        return st;
    if (g->norm_valid) {
        for (int64_t i = 0; i < g->n; i++)
            if (!isfinite(g->dinv_sqrt[i]))
                return sgae_error_set(SGAE_E_CORRUPT, "node %" PRId64 ": D^-1/2 is not finite",
                                      i);
        if ((st = csr_check(&g->norm, 0, "normalised operator")))
            return st;
    }
    return SGAE_OK;
}

sgae_status sgae_graph_check(const sgae_graph *g) { return graph_check(g, 0); }

sgae_status sgae_graph_check_fast(const sgae_graph *g) { return graph_check(g, 1); }

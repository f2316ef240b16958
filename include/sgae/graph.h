/*
 * sgae/graph.h - the undirected graph in CSR form, its id map and the cached
 * GCN operator.
 *
 * A graph has n nodes numbered 0..n-1 (the library's ids) and a map back to
 * the user's ids (64-bit integers, or strings for formats such as LINQS).
 * Its adjacency is symmetric, without self-loops, with each row's column ids
 * sorted and unique.  Row offsets are 64-bit (edges may pass 2^31), column
 * ids 32-bit (n < 2^31).
 *
 * Derived properties are cached on the graph in the manner of LAGraph's
 * LAGraph_Graph: computed once on demand, marked valid, freed with the graph.
 */
#ifndef SGAE_GRAPH_H
#define SGAE_GRAPH_H

#include "sgae/export.h"

#include <stddef.h>
#include <stdint.h>

#include "sgae/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Compressed sparse rows.  val may be NULL (a pattern matrix: all ones). */
typedef struct {
    int64_t nrows, ncols;
    int64_t *rowptr; /* nrows + 1 offsets */
    int32_t *col;    /* rowptr[nrows] column ids */
    float *val;      /* rowptr[nrows] values, or NULL */
} sgae_csr;

SGAE_API void sgae_csr_clear(sgae_csr *a); /* frees the arrays, zeroes the struct */
SGAE_API int64_t sgae_csr_nnz(const sgae_csr *a);

/* 1 if column v is in row u of `a`, whose rows are sorted.  Branch-free
 * lower bound (the comparisons are unpredictable: a branchy search
 * mispredicts about every other step). */
static inline int sgae_csr_has(const sgae_csr *a, int64_t u, int32_t v)
{
    const int32_t *base = a->col + a->rowptr[u];
    int64_t len = a->rowptr[u + 1] - a->rowptr[u];
    if (len <= 0)
        return 0;
    while (len > 1) {
        int64_t half = len >> 1;
        base = base[half] <= v ? base + half : base;
        len -= half;
    }
    return *base == v;
}

typedef struct sgae_graph {
    int64_t n;    /* nodes */
    sgae_csr adj; /* symmetric, no self-loops, n x n; adj.val: the edge
                   * weights w_ij = w_ji (finite, > 0), or NULL (unweighted:
                   * every weight 1) */

    /* Id map: node i is the user's ids[i] (NULL: the user's ids are
     * id_base..id_base+n-1, an implicit map that costs no memory per node,
     * e.g. 1..n for Matrix Market), or names[i] for string-id formats (NULL
     * otherwise).  Read numeric ids through sgae_graph_id. */
    uint64_t *ids;
    char **names;
    uint64_t id_base; /* used only when ids and names are NULL */

    /* What construction saw. */
    int64_t input_edges; /* pairs given to the build (for a loaded file: its edge
                            lines or entries) */
    int64_t self_loops;  /* dropped */
    int64_t duplicates;  /* dropped (a directed pair seen again, incl. u v then v u) */

    /* Cached properties (see sgae_graph_norm). */
    int norm_valid;
    float *dinv_sqrt; /* n: 1/sqrt(d_i), d_i = 1 + sum_j w_ij (deg_i + 1 unweighted) */
    sgae_csr norm;    /* D^-1/2 (W+I) D^-1/2, diagonal included, float values */
} sgae_graph;

/* Free everything the graph owns, including the struct; NULL is fine. */
SGAE_API void sgae_graph_free(sgae_graph *g);

/* The user's numeric id of node i (ids[i], or id_base + i without a map). */
static inline uint64_t sgae_graph_id(const sgae_graph *g, int64_t i)
{
    return g->ids ? g->ids[i] : g->id_base + (uint64_t)i;
}

static inline int64_t sgae_graph_degree(const sgae_graph *g, int64_t i)
{
    return g->adj.rowptr[i + 1] - g->adj.rowptr[i];
}

/* 1 if (u, v) is an edge of g. */
static inline int sgae_graph_has_edge(const sgae_graph *g, int64_t u, int32_t v)
{
    return sgae_csr_has(&g->adj, u, v);
}

/* Undirected edges (adjacency nonzeros / 2). */
static inline int64_t sgae_graph_edges(const sgae_graph *g)
{
    return g->adj.rowptr[g->n] / 2;
}

/* Build the cached GCN operator D^-1/2 (W+I) D^-1/2 if it is not valid yet:
 * d_i = 1 + sum_j w_ij (the weighted degree plus 1 for I; deg_i + 1 for an
 * unweighted graph), entries w_ij / sqrt(d_i d_j), diagonal 1 / d_i; the
 * sums in double.  Parallel with OpenMP.  Errors: SGAE_E_NOMEM (the graph
 * is unchanged). */
SGAE_API sgae_status sgae_graph_norm(sgae_graph *g);

/* Build a graph on n nodes (ids 0..n-1) from m pairs (u[k], v[k]), all < n.
 * Directed pairs are symmetrised; self-loops and duplicates dropped and
 * counted.  Parallel: count, prefix sum, fill, sort rows, compact; the same
 * graph at any thread count.  On failure *out is NULL.  Errors: SGAE_E_ARG
 * (n outside 0..2^31-2, m < 0, or a pair with an id outside 0..n-1: the
 * message names the first), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_graph_from_pairs(int64_t n, int64_t m, const int32_t *u,
                                           const int32_t *v, sgae_graph **out);

/* The same with a weight w[k] (finite, > 0) per pair; w NULL: as
 * sgae_graph_from_pairs.  Repeated pairs combine by one rule: the pairs
 * are read as a directed weighted matrix A whose repeated entries add up
 * (as SciPy's COO to CSR), then symmetrised as max(A, A^T), so
 *   "u v 2" once                      -> w_uv = 2
 *   "u v 2" and "v u 2" (both ways)   -> w_uv = 2 (not 4)
 *   "u v 2" twice                     -> w_uv = 4
 *   "u v 2" and "v u 3"               -> w_uv = 3.
 * The sums are in double over each entry's weights in increasing order,
 * so the weights do not depend on the input order or the thread count.
 * Errors: those of sgae_graph_from_pairs; SGAE_E_ARG (a weight that is
 * not finite and > 0, or a sum past the float range: the message names
 * the pair). */
SGAE_API sgae_status sgae_graph_from_weighted_pairs(int64_t n, int64_t m, const int32_t *u,
                                                    const int32_t *v, const float *w,
                                                    sgae_graph **out);

/* Position of column v in row u of `a` (sorted rows), or -1. */
static inline int64_t sgae_csr_find(const sgae_csr *a, int64_t u, int32_t v)
{
    int64_t lo = a->rowptr[u], hi = a->rowptr[u + 1];
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (a->col[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < a->rowptr[u + 1] && a->col[lo] == v ? lo : -1;
}

/* Make dst's id map a deep copy of src's (both with the same n), replacing
 * the one dst had.  On failure dst is unchanged.  Errors: SGAE_E_ARG
 * (different n), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_graph_copy_ids(sgae_graph *dst, const sgae_graph *src);

/* Write the user's id of node i into buf (decimal or string); returns buf. */
SGAE_API const char *sgae_graph_node_name(const sgae_graph *g, int64_t i, char *buf, size_t len);

/* Summary statistics for `sgae info`. */
typedef struct {
    int64_t nodes, edges, self_loops, duplicates, isolated;
    int64_t deg_min, deg_max;
    double deg_median, deg_mean;
    int64_t components, largest_component;
    int64_t csr_bytes; /* adjacency arrays */
    /* Edge weights: weighted = 1 when the graph has them (adj.val); the
     * sum over undirected edges (each once) and the extremes (unweighted:
     * the edge count, 1 and 1; NaN extremes without edges). */
    int64_t weighted;
    double weight_total, weight_min, weight_max;
} sgae_graph_stats;

/* Fill *st for g (median: mean of the two middle degrees for even n).
 * Errors: SGAE_E_NOMEM (*st unchanged). */
SGAE_API sgae_status sgae_graph_stats_compute(const sgae_graph *g, sgae_graph_stats *st);

/* Connected components: comp[i] in 0..ncomp-1 (numbered by smallest node;
 * comp has n entries).  Errors: SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_graph_components(const sgae_graph *g, int32_t *comp, int64_t *ncomp);

/* Check the invariants of a matrix: 0 <= nrows, 0 <= ncols <= 2^31-1, row
 * offsets from 0 and non-decreasing, each row's columns sorted, unique and
 * in 0..ncols-1, values (if any) finite.  Errors: SGAE_E_CORRUPT (the
 * message says what is wrong and in which row; the lowest bad row at any
 * thread count), SGAE_E_ARG (NULL). */
SGAE_API sgae_status sgae_csr_check(const sgae_csr *a);

/* Check everything a graph promises (what every loader guarantees and the
 * fuzzers verify): n in 0..2^31-2, an n x n adjacency as sgae_csr_check
 * without self-loops and symmetric, distinct ids or distinct (non-NULL)
 * names, non-negative construction counts, and if the GCN operator is
 * cached, finite values in it.  Cost: one parallel pass over the edges
 * with a binary search per edge; ids and names are sorted only when not
 * already increasing.  Errors: SGAE_E_CORRUPT (the message names the node,
 * e.g. "adjacency is not symmetric: node 3 lists 7, which does not list
 * it"; callers prefix the file name), SGAE_E_NOMEM, SGAE_E_ARG (NULL). */
SGAE_API sgae_status sgae_graph_check(const sgae_graph *g);

/* sgae_graph_check with the symmetry tested in one streaming pass (no
 * search per edge): the upper entries and the mirrored lower ones compared
 * as sets through a sum of a 64-bit mix keyed by a secret drawn per call.
 * An asymmetric adjacency passes with probability about 2^-64 (a file
 * cannot be crafted for it: the key is not known in advance); when the
 * sums differ, the exact check names the entry as sgae_graph_check does.
 * For loaders of large files (.sgr); tests and fuzzers use the exact one.
 * Errors: those of sgae_graph_check. */
SGAE_API sgae_status sgae_graph_check_fast(const sgae_graph *g);

#ifdef __cplusplus
}
#endif
#endif

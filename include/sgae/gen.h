/*
 * sgae/gen.h - synthetic graphs: planted communities (LFR-style) and
 * Graph500 Kronecker (R-MAT).
 *
 * Both generators are deterministic: every random draw comes from
 * sgae_rng_u64(seed, purpose, index) over a block structure that does not
 * depend on the number of threads, so the same options give a
 * bit-identical graph at any thread count.  Both are parallel (OpenMP).
 *
 * Progress: once a call has run for half a second, each generator reports
 * the start of its stages to the caller's sink (opts.progress), label
 * "<generator>: <stage>", done = the stage's number, total = the number of
 * stages; if it reported anything, a last call with label "<generator>" and
 * done = -1 says it ended (on success and on failure).  Calls come from the
 * calling thread.
 */
#ifndef SGAE_GEN_H
#define SGAE_GEN_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/graph.h"
#include "sgae/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of the LFR-style generator (Lancichinetti, Fortunato, Radicchi
 * 2008).  sgae_lfr_opts_default fills the defaults shown. */
typedef struct {
    int64_t nodes;             /* 100000; 2 .. 2^31-2, at least min_community */
    double avg_degree;         /* 20: mean degree (2 x edges / nodes), 1..max_degree */
    int64_t max_degree;        /* 500: largest degree drawn, below nodes */
    double degree_exponent;    /* 2.0: degrees ~ k^-degree_exponent (LFR tau1), 0..10 */
    double mu;                 /* 0.3: fraction of each node's edges leaving its community */
    int64_t min_community;     /* 20: smallest community size (>= 2) */
    int64_t max_community;     /* 1000: largest community size */
    double community_exponent; /* 1.0: sizes ~ s^-community_exponent (LFR tau2), 0..10 */
    uint64_t seed;             /* 1 */
    sgae_progress_sink progress; /* {NULL, NULL}: silent; 6 stages */
} sgae_lfr_opts;

/* What the LFR generator did (all counts of undirected edges). */
typedef struct {
    int64_t communities;
    int64_t internal_edges, external_edges; /* in the final graph */
    int64_t rewired;           /* self-loops/multi-edges/misplaced edges fixed by swaps */
    int64_t dropped;           /* edges given up (no valid swap found, odd stub counts,
                                  external multi-edges) */
    int64_t isolated_fixed;    /* nodes left without edges, joined to their community */
    double mu_realised;        /* mean over nodes of (edges leaving the community / degree) */
    double mu_edges;           /* fraction of edges between communities */
    double seconds;
} sgae_lfr_stats;

SGAE_API void sgae_lfr_opts_default(sgae_lfr_opts *o);

/* Generate an LFR-style graph.
 *
 * Degrees follow a power law with exponent degree_exponent on
 * [kmin, max_degree], kmin (real-valued) tuned so that the expected degree is
 * avg_degree.  Community sizes follow a power law with exponent
 * community_exponent on [min_community, max_community], drawn until they sum
 * to `nodes`.  Each node i of degree k_i gets round_random(mu * k_i) external
 * and the rest internal stubs, and is placed in a community larger than its
 * internal degree.  Internal stubs are paired by a configuration model inside
 * each community, external stubs by a configuration model across the graph;
 * self-loops, multi-edges and external edges that land inside one community
 * are repaired by random edge swaps (given up, and counted, after many failed
 * tries).  The graph has ids 0..n-1 and no isolated node.
 *
 * On success *g is the graph and *community an array of n community ids in
 * 0..communities-1 (free with free()); `stats` may be NULL.  On failure *g
 * and *community are NULL.
 * Errors: SGAE_E_ARG for inconsistent options (message says which, e.g. a
 * node's internal degree that cannot fit into max_community), SGAE_E_NOMEM.
 * Memory: about 27 bytes per undirected edge at the peak (2.7 GB for
 * 10M nodes / 100M edges). */
SGAE_API sgae_status sgae_gen_lfr(const sgae_lfr_opts *o, sgae_graph **g, int32_t **community,
                                  sgae_lfr_stats *stats);

/* Options of the Graph500 Kronecker generator; sgae_kron_opts_default fills
 * the defaults shown. */
typedef struct {
    int scale;       /* 16: 2^scale nodes, 1..30 */
    int edge_factor; /* 16: edge_factor x 2^scale generated pairs, 1..1024 */
    uint64_t seed;   /* 1 */
    sgae_progress_sink progress; /* {NULL, NULL}: silent; 3 stages */
} sgae_kron_opts;

SGAE_API void sgae_kron_opts_default(sgae_kron_opts *o);

/* Graph500 Kronecker generator: 2^scale nodes, edge_factor * 2^scale pairs
 * drawn by recursive quadrant choice with A = 0.57, B = C = 0.19, D = 0.05,
 * vertex ids randomly permuted; self-loops and duplicates dropped (counted in
 * g->self_loops, g->duplicates).  On failure *g is NULL.
 * Errors: SGAE_E_ARG (scale or edge_factor out of range), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_gen_kron(const sgae_kron_opts *o, sgae_graph **g);

/* Mixing of a labelled graph: *mu_node = mean over non-isolated nodes of the
 * fraction of their edges going to another community; *mu_edge (may be
 * NULL) = fraction of edges between communities. */
SGAE_API void sgae_gen_mixing(const sgae_graph *g, const int32_t *community, double *mu_node,
                              double *mu_edge);

#ifdef __cplusplus
}
#endif
#endif

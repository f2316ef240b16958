/*
 * sgae/cluster.h - communities from embeddings and graphs: k-means, a
 * modularity refinement on the graph, scores against a ground truth, and
 * community ids that stay stable from one night to the next.
 *
 * Partitions are arrays `comm` of n community ids (int32): 0..count-1, or
 * -1 for a node without a community.  Every function is deterministic: the
 * same input and seed give the same bits at any OpenMP thread count (random
 * draws come from sgae/rng.h keyed by (seed, SGAE_RNG_KMEANS, index);
 * parallel reductions run over fixed-size blocks summed in a fixed order).
 */
#ifndef SGAE_CLUSTER_H
#define SGAE_CLUSTER_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/error.h"
#include "sgae/graph.h"
#include "sgae/io.h"
#include "sgae/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- k-means ----------------------------------------------------------
 *
 * Seeding: greedy k-means++ (Arthur & Vassilvitskii 2007, with scikit-learn's
 * `local_trials` candidates per step, the one lowering the potential most
 * kept), run on a uniform sample of at most `seed_sample` rows (all rows
 * when n is smaller).  Lloyd iterations then run on all rows, in parallel
 * over fixed blocks of rows; with `bounds`, Hamerly's bounds (one upper
 * bound per row on the distance to its center, one lower bound on the
 * distance to every other center; Hamerly 2010) skip the rows that cannot
 * change cluster, and the rows that can are compared with every center by a
 * blocked kernel (4 rows x 256 centers per tile).  New centers are the means
 * of their rows, summed in row order in double.  An empty cluster takes the
 * row farthest (by its upper bound) from its center among clusters with at
 * least two rows.  Stop after `max_iter` iterations, when no row changes
 * cluster, or when the summed squared center shift is at most tol x the
 * mean per-dimension variance of the rows (scikit-learn's rule).  Each of
 * `restarts` runs has its own seeding; the lowest inertia is kept (the
 * first on ties). */
typedef struct {
    int64_t k;            /* clusters, 1..n (required) */
    int64_t restarts;     /* independent runs, the lowest inertia kept (default 3) */
    int64_t max_iter;     /* Lloyd iterations per run (default 100) */
    double tol;           /* relative center-shift tolerance (default 1e-4) */
    int spherical;        /* 1: rows L2-normalised, centers renormalised after each
                           * update (cosine k-means); default 0 */
    int bounds;           /* 1 (default): Hamerly's bounds; 0: every row against every
                           * center in every iteration (the reference) */
    int64_t seed_sample;  /* rows the seeding runs on; 0 (default): max(20000,
                           * min(64 k, 2^31 / (k x local_trials))) */
    int64_t local_trials; /* k-means++ candidates per step; 0 (default): 2 + floor(ln k) */
    uint64_t seed;        /* default 1 */
    const float *init;    /* optional k x dim starting centers (used as given, also
                           * when spherical): one run, no seeding */
    sgae_progress_sink progress; /* stages "k-means seeding", "k-means" (iterations) */
} sgae_kmeans_opts;

SGAE_API void sgae_kmeans_opts_default(sgae_kmeans_opts *o);

/* One Lloyd iteration of the kept run. */
typedef struct {
    double seconds;    /* assignment, update and bound maintenance */
    int64_t distances; /* row-center distances computed (n x k without bounds) */
    int64_t changed;   /* rows that changed cluster */
} sgae_kmeans_iter;

typedef struct {
    int64_t n, dim, k;
    int32_t *assign;         /* n cluster ids in 0..k-1 */
    float *centers;          /* k x dim */
    double inertia;          /* sum of squared distances of the rows (normalised when
                              * spherical) to their centers, recomputed exactly */
    int64_t iterations;      /* Lloyd iterations of the kept run */
    int converged;           /* the kept run stopped before max_iter */
    int64_t best_restart;    /* 0-based index of the kept run */
    int64_t restarts;        /* runs made */
    int64_t distances;       /* row-center distances, all Lloyd iterations of all runs */
    int64_t distances_naive; /* n x k per iteration: what a full scan would have computed */
    int64_t seed_distances;  /* distances computed by the seedings */
    int64_t relocated;       /* empty clusters refilled, all runs */
    double seed_seconds, lloyd_seconds, seconds;
    sgae_kmeans_iter *iter;  /* `iterations` entries of the kept run */
} sgae_kmeans_result;

/* Cluster the n rows of x (n x dim, row-major).  Errors: SGAE_E_ARG (k
 * outside 1..n, dim < 1, a NaN or infinite value: the message names the row),
 * SGAE_E_NOMEM.  On failure *r is left empty. */
SGAE_API sgae_status sgae_kmeans(const float *x, int64_t n, int64_t dim, const sgae_kmeans_opts *o,
                                 sgae_kmeans_result *r);
SGAE_API void sgae_kmeans_result_clear(sgae_kmeans_result *r); /* frees, zeroes */

/* ---- scores on the graph ---------------------------------------------- */

/* Newman's modularity of an unweighted graph,
 *     Q = sum_c [ L_c / m - (D_c / 2m)^2 ],
 * L_c the edges inside community c, D_c its total degree, m the edges.  Of
 * a weighted graph (adj.val, sgae_load_opts.weighted),
 *     Q = 1/(2W) sum_ij (w_ij - s_i s_j / 2W) delta(c_i, c_j),
 * s_i = sum_j w_ij the strengths, 2W = sum_i s_i (NetworkX's
 * modularity(G, communities, weight="weight")); sums in double.  A
 * node with id -1 counts as a community of its own.  0 for a graph without
 * edges.  The other partition statistics (coverage, conductance) and the
 * refinement's moves (sgae_refine) count edges, unweighted.  Errors: SGAE_E_ARG (an id below -1), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_modularity(const sgae_graph *g, const int32_t *comm, double *q);

typedef struct {
    int64_t communities;  /* non-empty communities (ids >= 0) */
    int64_t unassigned;   /* nodes with id -1 */
    int64_t singletons;   /* communities of one node */
    int64_t size_min, size_max;
    double size_mean, size_median;
    int64_t size_log2[32]; /* communities with floor(log2(size)) = b */
    double modularity;
    double coverage;      /* fraction of the edges inside a community */
    /* conductance cut(S) / min(vol S, vol V - vol S) of each community with
     * both volumes positive (NaN when there is none) */
    int64_t conductance_count;
    double conductance_mean, conductance_median, conductance_min, conductance_max;
} sgae_partition_stats;

/* Errors: SGAE_E_ARG (an id below -1), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_partition_stats_compute(const sgae_graph *g, const int32_t *comm,
                                                  sgae_partition_stats *s);

/* ---- comparison with a ground truth ------------------------------------
 *
 * On the nodes labelled in both partitions (ids >= 0), with natural
 * logarithms, as scikit-learn 1.2 defines them (including its special
 * cases: both sides one cluster, or no node -> NMI = AMI = ARI = 1):
 *   NMI = MI / ((H(truth) + H(found)) / 2)   (average_method="arithmetic")
 *   ARI = Hubert & Arabie's adjusted Rand index (pair counts in 128-bit)
 *   AMI = (MI - E[MI]) / ((H(truth) + H(found)) / 2 - E[MI])
 * E[MI] is the exact expectation under the hypergeometric model (Vinh,
 * Epps & Bailey 2010): for each pair of cluster sizes the sum over n_ij
 * runs outward from the mode with the terms in log space (lgamma) and the
 * next term from the previous by the hypergeometric ratio; it stops once
 * the remaining tail is below 1e-17 of the sum (log-concave terms), and
 * equal sizes are grouped. */
typedef struct {
    int64_t nodes;           /* compared */
    int64_t truth_classes, found_classes;
    double mi, h_truth, h_found, emi;
    double nmi, ari, ami;
    /* average best-match F1, F1(A, B) = 2 |A n B| / (|A| + |B|): each truth
     * class against its best found community, the reverse, and their mean */
    double f1_truth, f1_found, f1;
} sgae_compare;

/* Errors: SGAE_E_ARG (an id below -1), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_partition_compare(int64_t n, const int32_t *truth, const int32_t *found,
                                            sgae_compare *c);

/* A cover: communities that may overlap (SNAP .cmty ground truth). */
typedef struct {
    int64_t n;     /* nodes of the node set */
    int64_t count; /* communities */
    int64_t *ptr;  /* count + 1 offsets into node */
    int32_t *node; /* members of community c: node[ptr[c] .. ptr[c+1]), sorted, unique */
} sgae_cover;

SGAE_API void sgae_cover_clear(sgae_cover *c); /* frees, zeroes */

/* Average best-match F1 of a cover against a partition `found` (n ids):
 * *f1_truth over the cover's non-empty communities, *f1_found over the
 * non-empty communities of found.  Errors: SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_cover_f1(const sgae_cover *truth, const int32_t *found, double *f1_truth,
                                   double *f1_found);

/* If no node is in two communities of c, write the partition into comm (n
 * ids, -1 for nodes in none) and return 1; otherwise return 0. */
SGAE_API int sgae_cover_to_partition(const sgae_cover *c, int32_t *comm);

/* ---- refinement: modularity local moves ----------------------------------
 *
 * Starting from a partition, nodes move between neighbouring communities
 * (to a community of one of their neighbours, never to a new one) while a
 * move raises modularity, in synchronous rounds: every node's best move is
 * found in parallel against the frozen state of the round (gain computed
 * exactly in 64-bit integers: 2m (k_iB - k_iA) - k_i (D_B - D_A + k_i) > 0,
 * ties to the smaller id), then the nodes with a move are visited in node
 * order and each moves to its best community under the current state if
 * that still gains.  Modularity rises with every move, so the rounds end;
 * they stop after max_rounds or a round without a move.  Unassigned nodes
 * (-1) take part as singletons, and end in a community. */
typedef struct {
    int64_t max_rounds;          /* default 50 */
    sgae_progress_sink progress; /* stage "refine" (rounds) */
} sgae_refine_opts;

SGAE_API void sgae_refine_opts_default(sgae_refine_opts *o);

typedef struct {
    double modularity_before, modularity_after;
    int64_t rounds, moves;
    int64_t communities_before, communities_after;
    double seconds;
} sgae_refine_result;

/* Refine comm (n ids in -1..INT32_MAX-1) in place; on success the ids are
 * renumbered 0..communities_after-1 in order of the smallest node.
 * Errors: SGAE_E_ARG (an id below -1), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_refine(const sgae_graph *g, int32_t *comm, const sgae_refine_opts *o,
                                 sgae_refine_result *r);

/* ---- stable ids across nights ------------------------------------------
 *
 * prev[i] is yesterday's id of node i (any id >= 0, or -1: the node had no
 * community or did not exist), comm[i] tonight's (0..INT32_MAX-1 or -1).
 * Tonight's communities are renamed in place: an optimal assignment between
 * tonight's and yesterday's communities maximises the number of nodes that
 * keep their id (max-weight bipartite matching on the sparse overlap matrix,
 * by successive shortest augmenting paths with Dijkstra and potentials,
 * stopped when no path gains; exact, O(k E log k) for E nonzero overlaps);
 * a matched community takes yesterday's id, the others fresh ids max(prev)+1,
 * +2, ... in order of their smallest node.  Nodes with -1 keep -1. */
typedef struct {
    int64_t common;  /* nodes with a community on both nights */
    int64_t changed; /* of those, nodes whose id is not yesterday's */
    int64_t matched; /* tonight's communities that took one of yesterday's ids */
    int64_t fresh;   /* tonight's communities given a new id */
    int64_t kept;    /* nodes keeping their id (common - changed) */
    double nmi;      /* between the two nights, on the common nodes */
} sgae_match_result;

/* Errors: SGAE_E_ARG (an id below -1), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_communities_match(int64_t n, const int32_t *prev, int32_t *comm,
                                            sgae_match_result *r);

/* ---- the whole clustering step -----------------------------------------
 *
 * k-means on the embeddings, then (with a graph and `refine`) the local
 * moves.  kmeans.k = 0 chooses k automatically (a graph is needed): the
 * modularity of the k-means partition is evaluated cheaply (one run, at
 * most 20 iterations, seeded and iterated on a uniform sample of
 * max(20000, 64 k) rows, then every row assigned to its nearest center,
 * then with `refine` the local moves, whose end modularity counts) for
 * k on a doubling grid from k_min to k_max, then at k x 2^(+-1/2) and
 * k x 2^(+-1/4) around the best; of the candidates whose modularity is
 * within k_tol (relative) of the highest, the largest k is run in full
 * (modularity is flat near its peak and the cheap evaluation is noisy;
 * the refinement may still empty communities).
 *
 * With `start` (e.g. yesterday's communities), k-means starts from the
 * means of the rows of each group of `start` instead (one run, k = the
 * number of non-empty groups; kmeans.k and the automatic choice are not
 * used), so a partition that still fits tonight's embeddings is kept. */
typedef struct {
    sgae_kmeans_opts kmeans; /* kmeans.k = 0: automatic */
    const int32_t *start;    /* optional n ids (-1: none) to start from */
    int64_t k_min;           /* automatic range, default 2 */
    int64_t k_max;           /* default 0: min(n, max(k_min, round(2 sqrt(n)))) */
    double k_tol;            /* default 0.01 */
    int refine;              /* default 0 */
    sgae_refine_opts refine_opts;
} sgae_cluster_opts;

SGAE_API void sgae_cluster_opts_default(sgae_cluster_opts *o);

/* One candidate of the automatic choice. */
typedef struct {
    int64_t k;
    double modularity;
    double seconds;
} sgae_autok_point;

typedef struct {
    int64_t n;
    int32_t *comm;           /* n ids 0..communities-1 */
    int64_t k;               /* k of the k-means run */
    int64_t communities;     /* non-empty communities in comm */
    sgae_kmeans_result kmeans;
    int refined;
    sgae_refine_result refine;
    double modularity_kmeans; /* NaN without a graph */
    double modularity;        /* of comm (NaN without a graph) */
    int64_t autok_count;
    sgae_autok_point *autok;  /* candidates in the order evaluated */
    double autok_seconds;
    double seconds;
} sgae_cluster_result;

/* Rows of x (n x dim) are the nodes of g when g is given (g->n == n).
 * Errors: those of sgae_kmeans; SGAE_E_ARG (automatic k or refine without a
 * graph, n differs from g->n). */
SGAE_API sgae_status sgae_cluster(const sgae_graph *g, const float *x, int64_t n, int64_t dim,
                                  const sgae_cluster_opts *o, sgae_cluster_result *r);
SGAE_API void sgae_cluster_result_clear(sgae_cluster_result *r); /* frees, zeroes */

/* ---- files --------------------------------------------------------------
 *
 * Node sets are graphs: a partition file is read over the nodes of g (its
 * id map); an edgeless graph does for embeddings without a graph (see
 * sgae_embeddings_load). */

/* Embeddings as `sgae train --embeddings X.npy` writes them: the float32
 * matrix and its id map `X.ids.tsv` (header `node_id<TAB>row`, then one line
 * per row; `ids` NULL: X's name with .npy replaced by .ids.tsv).  *x is
 * rows x cols (free()); *nodes an edgeless graph whose node r is row r, with
 * the ids of the file (numbers when every id is a decimal integer, names
 * otherwise).  Errors: those of sgae_npy_load; SGAE_E_PARSE (ids file:
 * malformed line, a row out of range or given twice, a missing row, a
 * repeated id: file:line named), SGAE_E_IO, SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_embeddings_load(const char *npy, const char *ids, float **x,
                                          int64_t *rows, int64_t *cols, sgae_graph **nodes);

/* row_of[i] = the row of the embeddings (node set `rows`, from
 * sgae_embeddings_load) holding node i of g, matched by the user's id.
 * Errors: SGAE_E_ARG (a node of g without a row, or a row that is no node
 * of g: the message names `what` and the id), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_embeddings_align(const sgae_graph *rows, const sgae_graph *g,
                                           const char *what, int64_t *row_of);

/* A partition file over the nodes of g: lines `node community` (TAB, space
 * or comma separated; '#'/'%' comments; one optional header line such as
 * `node<TAB>community` or a CSV header; .gz/.zst streamed).  Ids as
 * sgae_labels number them (integers in numeric order, -1 = none; otherwise
 * in order of first appearance); class_names hold the ids as written.  A
 * node not in g is an error (file:line), or with skip_unknown is skipped and
 * counted in *skipped (may be NULL).  Errors: SGAE_E_IO, SGAE_E_PARSE,
 * SGAE_E_CORRUPT, SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_partition_load(const char *path, const sgae_graph *g, int skip_unknown,
                                         sgae_labels **out, int64_t *skipped);

/* A SNAP community file over the nodes of g: one community per line,
 * members separated by TABs or spaces, a node may be in several (duplicates
 * within a line are dropped); comments and blank lines skipped.  Unknown
 * nodes as for sgae_partition_load.  On failure *out is left empty. */
SGAE_API sgae_status sgae_cover_load(const char *path, const sgae_graph *g, int skip_unknown,
                                     sgae_cover *out, int64_t *skipped);

/* Write `node<TAB>community` lines (a header line `node<TAB>community`, then
 * one line per node with an id >= 0, in node order, the user's ids of g)
 * through a temporary file beside `path` that is fsync'ed and renamed over
 * it, so `path` never holds a partial file.  Errors: SGAE_E_IO (the message
 * names the path; the temporary file is removed), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_communities_save(const sgae_graph *g, const int32_t *comm,
                                           const char *path);

#ifdef __cplusplus
}
#endif
#endif

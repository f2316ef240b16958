/*
 * sgae/order.h - renumbering a graph's nodes for memory locality.
 *
 * SpMM gathers one row of the dense operand per nonzero; when the neighbours
 * of consecutive rows have nearby ids, those rows come from cache instead of
 * memory.  sgae_graph_reorder renumbers the library's node ids 0..n-1 in
 * place and carries the id map along, so everything written for users (which
 * goes through the id map, see sgae_graph_node_name) still names the user's
 * original nodes: the permutation is never visible outside the library.
 * A loaded data set (graph, features, labels) is renumbered as a whole by
 * sgae_dataset_reorder (sgae/io.h).
 */
#ifndef SGAE_ORDER_H
#define SGAE_ORDER_H

#include "sgae/export.h"

#include "sgae/graph.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SGAE_ORDER_NONE = 0, /* keep the order of the input */
    SGAE_ORDER_DEGREE,   /* by decreasing degree (ties: input order) */
    SGAE_ORDER_RCM       /* reverse Cuthill-McKee, per connected component */
} sgae_order_method;

/* "none", "degree", "rcm" <-> enum.  Parse: SGAE_E_ARG for another name. */
SGAE_API const char *sgae_order_name(sgae_order_method m);
SGAE_API sgae_status sgae_order_parse(const char *name, sgae_order_method *m);

/* The permutation of method m: perm[old] = new (n entries, caller's array).
 * Deterministic (no randomness, independent of the thread count).
 * Errors: SGAE_E_ARG (unknown method), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_order_compute(const sgae_graph *g, sgae_order_method m, int32_t *perm);

/* Renumber g by perm (perm[old] = new, a permutation of 0..n-1): the
 * adjacency (rows re-sorted), the id map (ids/names; an identity map becomes
 * an explicit one) are permuted and the cached operator is dropped.
 * Edge counts and statistics are unchanged.  On failure g is unchanged.
 * Errors: SGAE_E_ARG (perm is not a permutation), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_graph_permute(sgae_graph *g, const int32_t *perm);

/* sgae_order_compute + sgae_graph_permute; SGAE_ORDER_NONE does nothing. */
SGAE_API sgae_status sgae_graph_reorder(sgae_graph *g, sgae_order_method m);

#ifdef __cplusplus
}
#endif
#endif

/* Internal: a graph as parsed, before relabelling and CSR construction.
 * Each format's parser fills a sgae_raw; sgae_raw_finish turns it into a
 * sgae_graph.  Shared by every text format in src/io/. */
#ifndef SGAE_IO_RAW_H
#define SGAE_IO_RAW_H

#include <stdint.h>

#include "reader.h"
#include "sgae/io.h"

typedef struct {
    /* Edge endpoints.  When nfixed < 0 they are the user's 64-bit ids, to be
     * relabelled; when nfixed >= 0 they are already node indices < nfixed. */
    int64_t m, cap;
    uint64_t *u, *v;
    int64_t nfixed;
    /* With nfixed >= 0: optional id map for the fixed node set. */
    uint64_t *ids;
    char **names;
    /* Set by formats that carry them (LINQS, GML); owned until moved out. */
    sgae_features *features;
    sgae_labels *labels;
} sgae_raw;

sgae_status sgae_raw_push(sgae_raw *raw, uint64_t u, uint64_t v);
void sgae_raw_free(sgae_raw *raw);

/* Relabel (if needed), symmetrise, build the CSR.  `min_nodes` >= 0 forces
 * the node set to 0..min_nodes-1 for relabelled input whose ids must all be
 * below it (the Planetoid features convention; `why` names the file that
 * fixes it, for the error message).  On success the raw's id arrays are
 * moved into the graph. */
sgae_status sgae_raw_finish(sgae_raw *raw, int64_t fixed_nodes, const char *why,
                            sgae_graph **out);

/* Parsers. */
sgae_status sgae_edgelist_parse(sgae_reader *r, sgae_raw *raw);

/* Parse a non-negative decimal integer at *p (no sign); advances *p.
 * Returns 0 ok, 1 not a number, 2 overflow (> 2^64-1), 3 negative. */
int sgae_parse_u64(const char **p, uint64_t *out);



/* Format parsers beyond edge lists (src/io/<format>.c). */
sgae_status sgae_mtx_parse(sgae_reader *r, sgae_raw *raw);
sgae_status sgae_gml_parse(sgae_reader *r, const char *label_attr, sgae_raw *raw);
sgae_status sgae_linqs_parse(const char *path, sgae_raw *raw);

/* Planetoid features: Matrix Market n x dim, row r = node r-1. */
sgae_status sgae_features_read(const char *path, sgae_features **out);
/* "node label" lines in the user's ids of g (header allowed). */
sgae_status sgae_labels_read(const char *path, const sgae_graph *g, sgae_labels **out);
#endif

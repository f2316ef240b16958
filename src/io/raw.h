/* Internal: a graph as parsed, before relabelling and CSR construction.
 * Each format's parser fills a sgae_raw; sgae_raw_finish turns it into a
 * sgae_graph.  Shared by every text format in src/io/. */
#ifndef SGAE_IO_RAW_H
#define SGAE_IO_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "reader.h"
#include "sgae/io.h"

typedef struct {
    /* Edge endpoints.  When nfixed < 0 they are the user's 64-bit ids, to be
     * relabelled; when nfixed >= 0 they are already node indices < nfixed. */
    int64_t m, cap;
    uint64_t *u, *v;
    /* Edge weights (sgae_load_opts.weighted): w[k] of pair k, finite and
     * > 0; NULL when weights are not read (set `weighted` before parsing). */
    float *w;
    int weighted;
    int64_t nfixed;
    /* With nfixed >= 0: optional id map for the fixed node set (none:
     * the ids are id_base + index, see sgae_graph.id_base). */
    uint64_t *ids;
    char **names;
    uint64_t id_base;
    /* Set by formats that carry them (LINQS, GML); owned until moved out. */
    sgae_features *features;
    sgae_labels *labels;
    /* Set by the loader before parsing (0 = none): the user's ids must be
     * below `limit` (rows of the features file `limit_why`); parsers that
     * see ids check it and report the line. */
    int64_t limit;
    const char *limit_why;
    /* Set by the loader: where the parsers report progress (may be NULL). */
    const sgae_progress_sink *progress;
    /* Set by the loader: the memory budget in bytes (0: none) that the edge
     * buffers and the CSR build are checked against, and the file named in
     * the message. */
    int64_t budget;
    const char *path;
    /* Pairs equal to the pair before them, counted by sgae_raw_push instead
     * of stored (a run of one repeated edge costs no memory); added to the
     * graph's input_edges and duplicates by sgae_raw_finish. */
    int64_t run_dups;
    /* Warnings of the parse: the count and the first (sgae_raw_warn). */
    int warnings;
    char warning[256];
    /* Set by the loader: refuse what would be dropped with a warning. */
    int strict;
    /* LINQS cites dropped (a paper missing from .content). */
    int64_t dropped;
} sgae_raw;

/* Does the name, without a .gz or .zst ending, end with suffix (any case)? */
int sgae_io_has_suffix(const char *path, const char *suffix);

/* Copies the token at s (up to a space, a tab or the end) into dst[0..cap),
 * cut to cap - 1 characters and NUL-terminated: for error messages. */
void sgae_io_token_copy(char *dst, size_t cap, const char *s);

/* Grows the array ptr to cap elements through sgae_realloc; on failure
 * returns SGAE_E_NOMEM from the calling function and leaves ptr as it was. */
#define SGAE_IO_GROW(ptr, cap, what)                                                       \
    do {                                                                                   \
        void *grown_ = sgae_realloc((ptr), (size_t)(cap), sizeof *(ptr), (what));          \
        if (!grown_)                                                                       \
            return SGAE_E_NOMEM;                                                           \
        (ptr) = grown_;                                                                    \
    } while (0)

/* Record a warning (printf format; only the first is kept as text). */
void sgae_raw_warn(sgae_raw *raw, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Append a pair; one equal to the last stored pair is only counted
 * (run_dups), unless it is a self-loop. */
sgae_status sgae_raw_push(sgae_raw *raw, uint64_t u, uint64_t v);
/* The same with a weight (stored when raw->weighted; a run of one
 * repeated pair is then stored, not only counted: the weights add up). */
sgae_status sgae_raw_push_w(sgae_raw *raw, uint64_t u, uint64_t v, float w);
/* Make room for at least cap pairs (u and v); never shrinks.  SGAE_E_NOMEM
 * naming the file when that passes the budget. */
sgae_status sgae_raw_reserve(sgae_raw *raw, int64_t cap);
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
/* The same for an uncompressed file, read whole and parsed in parallel
 * chunks (same result and same errors as the streaming parser). */
sgae_status sgae_edgelist_parse_plain(const char *path, sgae_raw *raw);

/* Parse a non-negative decimal integer at *p (no sign); advances *p.
 * Returns 0 ok, 1 not a number, 2 overflow (> 2^64-1), 3 negative. */
int sgae_parse_u64(const char **p, uint64_t *out);
/* Parse an edge weight at *p, a number that ends at a blank, TAB, comma,
 * CR, LF or NUL; advances *p.  Returns 0 ok (finite, > 0 and finite as a
 * float), 1 no number there, 2 a number that is not finite or not > 0. */
int sgae_parse_weight(const char **p, float *out);



/* Format parsers beyond edge lists (src/io/<format>.c). */
sgae_status sgae_mtx_parse(sgae_reader *r, sgae_raw *raw);
sgae_status sgae_gml_parse(sgae_reader *r, const char *label_attr, sgae_raw *raw);
sgae_status sgae_linqs_parse(const char *path, sgae_raw *raw);

/* Matrix Market coordinate files, shared by the graph and feature readers. */
typedef struct {
    int field;     /* SGAE_MTX_PATTERN, _REAL or _INTEGER */
    int symmetric; /* 0 general, 1 symmetric */
    int64_t rows, cols, nnz;
    int64_t entries; /* entries read so far */
    int one_percent; /* the banner began "%MatrixMarket" (accepted, worth a warning) */
} sgae_mtx_header;
enum { SGAE_MTX_PATTERN, SGAE_MTX_REAL, SGAE_MTX_INTEGER };

/* Read the banner, comments and sizes line. */
sgae_status sgae_mtx_header_read(sgae_reader *r, sgae_mtx_header *h);
/* Next entry: 0-based row and column (range-checked), value (1 for pattern).
 * *more = 0 once all declared entries were read and only blank/comment
 * lines remain (anything else is an error). */
sgae_status sgae_mtx_entry(sgae_reader *r, sgae_mtx_header *h, int *more, int64_t *i,
                           int64_t *j, double *val);

/* Labels from one token per node (NULL = unlabelled).  All tokens integers:
 * classes are the distinct values in numeric order and "-1" = unlabelled;
 * otherwise classes in order of first appearance, where the input's order
 * is order[0..norder) (node indices), or 0..n-1 when order is NULL. */
sgae_status sgae_labels_from_tokens(int64_t n, char *const *tok, const int64_t *order,
                                    int64_t norder, sgae_labels **out);

/* Lookup of a node by the user's id as text (decimal id or name). */
typedef struct {
    const sgae_graph *g;
    int64_t *perm; /* nodes sorted by id or name, when the map is not sorted */
} sgae_node_index;
sgae_status sgae_node_index_init(sgae_node_index *ix, const sgae_graph *g);
int64_t sgae_node_index_find(const sgae_node_index *ix, const char *s); /* -1: none */
/* Frees the scratch of a node-to-token file reader: tok[0..n) and tok,
 * order and ix's permutation (any may be NULL). */
void sgae_node_tokens_free(char **tok, int64_t n, int64_t *order, sgae_node_index *ix);

/* Features (and labels) of the nodes of g from a LINQS .content file: each
 * row names its node; every node needs exactly one row. */
sgae_status sgae_linqs_features_read(const char *path, const sgae_graph *g, sgae_features **f,
                                     sgae_labels **l);

/* Planetoid features: Matrix Market n x dim, row r = node r-1. */
sgae_status sgae_features_read(const char *path, sgae_features **out);
/* "node label" lines in the user's ids of g (header allowed). */
sgae_status sgae_labels_read(const char *path, const sgae_graph *g, sgae_labels **out);
#endif

/*
 * sgae/io.h - reading graphs, node features and labels; the binary .sgr file.
 *
 * Text formats (detected from content and file name, or forced):
 *   SGAE_FMT_EDGELIST  "u v [w]" lines; whitespace, TAB or comma separated;
 *                      '#' and '%' comments; one optional header line; CRLF.
 *                      Ids are non-negative 64-bit integers, relabelled to
 *                      0..n-1 in increasing order of the user's id (so
 *                      contiguous 0-based ids map to themselves).  A third
 *                      column (weight) is ignored, or read with
 *                      sgae_load_opts.weighted.
 *                      A comment "# nodes N" before the first data line
 *                      (sgae_edgelist_save writes one) fixes the node
 *                      count: after it a line with a single id declares
 *                      a node without edges; if the distinct ids number N
 *                      they are the nodes, else if all are below N the
 *                      nodes are 0..N-1 (ids not named are isolated);
 *                      anything else is an error naming the file.
 *   SGAE_FMT_MTX       Matrix Market coordinate pattern/real/integer,
 *                      general/symmetric, 1-based, square; node i is row/col
 *                      i+1 (its user id); values are checked and ignored
 *                      (read as weights with `weighted`); the
 *                      declared entry count must match exactly.
 *   SGAE_FMT_LINQS     LINQS `.content` (+ `.cites` beside it): string paper
 *                      ids, binary word features, class names as labels.
 *                      Give either file; the other is found by its suffix
 *                      (same compression suffix first, then none, .gz, .zst).
 *                      Nodes are the papers of `.content`, in file order; a
 *                      cite naming another paper is dropped, counted
 *                      (sgae_dataset.dropped_citations) and warned about
 *                      once with its line (an error with opts.strict).
 *   SGAE_FMT_GML       Newman GML: graph [ node [ id .. ] edge [ source ..
 *                      target .. ] ]; ids relabelled in increasing order; a
 *                      node attribute gives labels (see label_attr); an edge
 *                      to an undeclared node is an error.
 *   SGAE_FMT_SGR       sgae's binary graph (see sgae_sgr_save).
 * Any text format may be gzip- or zstd-compressed: detected by magic bytes,
 * streamed, never decompressed to a temporary file.  gzip: several members,
 * trailing zero padding.  zstd: several frames, skippable frames anywhere,
 * windows up to 2^27 bytes by default, 2^31 with SGAE_ZSTD_WINDOW_LOG=31
 * (see sgae/reader.h).  xz, bzip2, lz4, lzma, 7z and zip files are refused
 * with SGAE_E_FORMAT naming the compression.  A UTF-8 byte-order mark at the start of a text file is skipped.  A Matrix
 * Market banner with one '%' is read with a warning (sgae_dataset.warning);
 * a Matrix Market file forced to SGAE_FMT_EDGELIST is refused.
 *
 * Errors name the file and line: SGAE_E_IO (cannot open/read), SGAE_E_PARSE
 * (malformed text), SGAE_E_CORRUPT (truncated/damaged compressed or binary
 * data), SGAE_E_FORMAT (unknown format or version).
 */
#ifndef SGAE_IO_H
#define SGAE_IO_H

#include "sgae/export.h"

#include <stdint.h>

#include "sgae/graph.h"
#include "sgae/order.h"
#include "sgae/util.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SGAE_FMT_AUTO = 0,
    SGAE_FMT_EDGELIST,
    SGAE_FMT_MTX,
    SGAE_FMT_LINQS,
    SGAE_FMT_GML,
    SGAE_FMT_SGR
} sgae_format;

/* "auto", "edgelist", "mtx", "linqs", "gml", "sgr" <-> enum.  Parse returns
 * SGAE_E_ARG for an unknown name. */
SGAE_API const char *sgae_format_name(sgae_format f);
SGAE_API sgae_status sgae_format_parse(const char *name, sgae_format *f);

/* Node labels (ground-truth classes or communities).  From a "node label"
 * file (user ids; one optional header line; a node not listed is
 * unlabelled), LINQS class names or a GML attribute.  If every label is an
 * integer, classes are the distinct values in numeric order and -1 means
 * unlabelled (Planetoid); otherwise classes are numbered in order of first
 * appearance in the input. */
typedef struct {
    int64_t n;          /* = graph nodes */
    int32_t *label;     /* n class indices in 0..nclasses-1, or -1 = unlabelled */
    int32_t nclasses;
    char **class_names; /* nclasses names as written in the input */
} sgae_labels;

/* Node features: an n x dim sparse matrix with float values (row i = node i). */
typedef struct {
    sgae_csr x;
} sgae_features;

SGAE_API void sgae_labels_free(sgae_labels *l);     /* frees struct too; NULL ok */
SGAE_API void sgae_features_free(sgae_features *f); /* frees struct too; NULL ok */

typedef struct {
    const char *graph;      /* required */
    sgae_format format;     /* SGAE_FMT_AUTO to detect */
    const char *features;   /* optional: Matrix Market file (Planetoid convention:
                             * row r is node r-1), or a LINQS X.content file
                             * (each row names its node; its classes become the
                             * labels unless `labels` is given) */
    const char *labels;     /* optional "node label" file */
    const char *label_attr; /* GML node attribute for labels; NULL: "value", or if no
                             * node has one, the first other scalar attribute
                             * besides id and label (e.g. karate's "club") */
    sgae_progress_sink progress; /* optional: progress of long parses ("reading edges") */
    /* Memory budget in bytes for the text loaders' edge buffers and graph
     * build (see sgae_memory_budget_default in sgae/util.h): 0 = the
     * default (SGAE_MEMORY_BUDGET, else 3/4 of physical memory), < 0 = none.
     * Past it the load fails with SGAE_E_NOMEM naming the file and budget. */
    int64_t memory_budget;
    /* 1: read edge weights into graph->adj.val: the third column of an
     * edge list (required on every edge line), the values of a Matrix
     * Market real/integer file (a pattern file is an error), the weights
     * an .sgr file stores (one without weights is an error).  Weights must
     * be finite and > 0 (else SGAE_E_PARSE naming file:line); repeated
     * edges combine as sgae_graph_from_weighted_pairs says (sum per
     * direction, then the larger direction: "u v w" with "v u w" is w).
     * GML and LINQS have no weights (SGAE_E_ARG).  0: weights are ignored
     * (an .sgr file's are dropped); the graph is the pattern. */
    int weighted;
    /* Refuse input that is otherwise accepted with a warning and data
     * dropped (a LINQS cite naming a paper missing from .content): an
     * SGAE_E_PARSE error naming file:line instead. */
    int strict;
} sgae_load_opts;

typedef struct {
    sgae_graph *graph;
    sgae_features *features; /* NULL unless given or part of the format */
    sgae_labels *labels;     /* NULL unless given or part of the format */
    double load_seconds;
    sgae_format format; /* the format read (detected or forced) */
    /* Input accepted with a warning (a Matrix Market banner with one '%'):
     * how many warnings, and the first as "file:line: what" ("" if none). */
    int warnings;
    char warning[256];
    /* LINQS: cites naming a paper missing from .content, dropped (0 else). */
    int64_t dropped_citations;
} sgae_dataset;

/* Load a graph and, optionally, its features and labels.  With a Matrix
 * Market features file, the node set is 0..rows-1 of that matrix (Planetoid
 * convention): an edge naming a node without a feature row is an error
 * (file:line of the edge), and so is a graph with a fixed node set of another
 * size.  With a LINQS .content features file, every node needs exactly one
 * row and every row must name a node.  A label for a node that is not in the
 * graph is an error.  Errors: those of the formats above, SGAE_E_ARG (no
 * graph; features given for a format that carries its own).  On failure *ds
 * is left empty. */
SGAE_API sgae_status sgae_dataset_load(const sgae_load_opts *opts, sgae_dataset *ds);
SGAE_API void sgae_dataset_clear(sgae_dataset *ds); /* frees members, zeroes struct */

/* Reorder a loaded data set right after sgae_dataset_load: the graph as
 * sgae_graph_reorder (sgae/order.h), and the rows of the features and the
 * labels with it, so that node i is the same node in all three.  On failure
 * the data set is unchanged.  Errors: as sgae_graph_reorder, and SGAE_E_ARG
 * when the features or labels do not have one row per node. */
SGAE_API sgae_status sgae_dataset_reorder(sgae_dataset *ds, sgae_order_method m);

/* Convenience: graph only, format detected. */
SGAE_API sgae_status sgae_graph_load(const char *path, sgae_format fmt, sgae_graph **out);

/* Options of the writers below; sgae_save_opts_defaults fills the defaults
 * shown.  A NULL options pointer means the defaults. */
typedef struct {
    int level;   /* 1: compression level (zstd for .sgr and .zst outputs, 1..19;
                  * zlib for .gz outputs, 1..9) */
    int threads; /* 0: OpenMP's thread count; else the threads that format
                  * and compress (the bytes written do not depend on it) */
    sgae_progress_sink progress; /* optional */
} sgae_save_opts;

SGAE_API void sgae_save_opts_defaults(sgae_save_opts *o);

/* Every writer replaces its file atomically through sgae/file.h: the data
 * goes to a temporary file beside `path`, is fsynced and renamed over
 * `path`, and the directory is fsynced, so `path` holds either its previous
 * content or the complete new file, whatever happens (crash, kill, full
 * disk).  Errors name `path`: SGAE_E_IO (cannot create, write, sync or
 * rename; the temporary file is removed), SGAE_E_NOMEM, SGAE_E_DEP,
 * SGAE_E_ARG. */

/* Binary graph file (.sgr): the CSR (degrees, and each row's sorted columns
 * as gaps), the id map (numbers or names) and the construction counts, in a
 * sectioned container (sgae/container.h; magic "SGAEGRPH", version 2.0; the
 * sections are listed in src/io/sgr.c): a checksummed header, sections of at
 * most 8 MiB each one zstd frame with zstd's content checksum and a 64-bit
 * hash in the table, the table, a checksummed trailer.  Chunks are
 * (de)compressed in parallel.  A weighted graph's weights are a section
 * of their own (version 2.1; sgae_sgr_load returns them in adj.val).
 * Features and labels are not stored.
 *
 * sgae_sgr_load reads such a file (or one of version 1, written before the
 * container) into a new graph (*out; NULL on failure).  Every declared size
 * is checked against the file before anything is allocated.  Errors:
 * SGAE_E_IO (cannot open/read), SGAE_E_FORMAT (not an .sgr file, or a newer
 * major version: the message names both), SGAE_E_CORRUPT (empty or
 * truncated file, checksum mismatch, trailing bytes, inconsistent sizes, or
 * a CSR that breaks the invariants), SGAE_E_NOMEM.  Every message names the
 * file. */
SGAE_API sgae_status sgae_sgr_save(const sgae_graph *g, const char *path,
                                   const sgae_save_opts *opts);
SGAE_API sgae_status sgae_sgr_load(const char *path, sgae_graph **out);

/* Write the graph as an edge list "u v" (u < v, user's ids, one line per
 * undirected edge; "u v w" for a weighted graph, w with 9 significant
 * digits, which reads back as the same float; the two ids separated by a TAB when the name, less a
 * .gz/.zst suffix, ends in .tsv, by a comma for .csv, else by a blank)
 * after two '#' comment lines: "# sgae edge list: N nodes, E undirected
 * edges" and "# nodes N"; compressed with zstd or gzip when the name ends
 * in .zst or .gz.  So that the file reads back with the same node set:
 * when the graph has an id map (ids or names), every isolated node is a
 * line holding its id alone (in row order among the edges); when its ids
 * are 0..n-1, the "# nodes N" line alone keeps the isolated ones (the
 * reader's rule is under SGAE_FMT_EDGELIST above).  The bytes do not
 * depend on the thread count. */
SGAE_API sgae_status sgae_edgelist_save(const sgae_graph *g, const char *path,
                                        const sgae_save_opts *opts);

/* Write the graph as a Matrix Market file "coordinate pattern symmetric"
 * ("coordinate real symmetric" with 9-digit weights for a weighted graph)
 * (.zst/.gz as above): the banner, a '%' comment, "n n E", then each
 * undirected edge once as "i j" with i > j, 1-based: node r is row and
 * column r+1.  Isolated nodes are kept (the size line gives n); the user's
 * ids are not (Matrix Market has positions only: write .sgr or an edge
 * list to keep them).  The bytes do not depend on the thread count. */
SGAE_API sgae_status sgae_mtx_save(const sgae_graph *g, const char *path,
                                   const sgae_save_opts *opts);

/* Write labels as "node label" lines in the user's ids (.zst/.gz as above):
 * the class name, or the class index when class_names is NULL; unlabelled
 * nodes (-1) are left out.  SGAE_E_ARG if l->n differs from g->n, a label
 * is outside -1..nclasses-1, or a class name could not be read back (empty,
 * or holding a blank, comma, '#' or '%'). */
SGAE_API sgae_status sgae_labels_save(const sgae_graph *g, const sgae_labels *l,
                                      const char *path, const sgae_save_opts *opts);

/* Write a float32 row-major rows x cols matrix as a NumPy .npy file (format
 * 1.0, little-endian '<f4'). */
SGAE_API sgae_status sgae_npy_save(const char *path, const float *data, int64_t rows,
                                   int64_t cols);

/* Write "node_id<TAB>row" lines (a header line, then the user's ids of g,
 * row = 0..n-1). */
SGAE_API sgae_status sgae_ids_save(const sgae_graph *g, const char *path);

/* Both of the above as one output: the rows x cols matrix to npy_path and
 * the id map of g (g->n == rows) to ids_path, committed together
 * (sgae_file_commit_pair): if anything fails, both files keep their
 * previous content; the id map is renamed first, so a new .npy always has
 * its new id map beside it. */
SGAE_API sgae_status sgae_npy_ids_save(const char *npy_path, const char *ids_path,
                                       const float *data, int64_t rows, int64_t cols,
                                       const sgae_graph *g);

/* The rows x cols matrix as text, one line per node: the user's id of row
 * r in g (g->n == rows), then its values, TAB-separated, each printed with
 * 9 significant digits (float32 round trips exactly); written through the
 * atomic helper.  Errors: those of sgae_file_begin/commit, SGAE_E_ARG. */
SGAE_API sgae_status sgae_tsv_save(const sgae_graph *g, const float *data, int64_t rows,
                                   int64_t cols, const char *path);

/* ---- NumPy .npy reader (cluster topic) ---------------------------------
 *
 * Read a NumPy .npy file (format 1.0, 2.0 or 3.0) holding a 1-D or 2-D
 * array of float32 or float64 (either byte order, C or Fortran order), as
 * `sgae train --embeddings` writes them, into a new row-major float32
 * matrix *data (rows x cols; a 1-D array is one column; free()).  Errors:
 * SGAE_E_IO (cannot open or read), SGAE_E_FORMAT (not .npy, another dtype
 * or rank), SGAE_E_CORRUPT (truncated, trailing bytes), SGAE_E_NOMEM; the
 * message names the file. */
SGAE_API sgae_status sgae_npy_load(const char *path, float **data, int64_t *rows, int64_t *cols);

#ifdef __cplusplus
}
#endif
#endif

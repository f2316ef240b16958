/*
 * sgae/io.h - reading graphs, node features and labels; the binary .sgr file.
 *
 * Text formats (detected from content and file name, or forced):
 *   SGAE_FMT_EDGELIST  "u v [w]" lines; whitespace, TAB or comma separated;
 *                      '#' and '%' comments; one optional header line; CRLF.
 *                      Ids are non-negative 64-bit integers, relabelled to
 *                      0..n-1 in increasing order of the user's id (so
 *                      contiguous 0-based ids map to themselves).  A third
 *                      column (weight) is accepted and ignored.
 *   SGAE_FMT_MTX       Matrix Market coordinate pattern/real/integer,
 *                      general/symmetric, 1-based, square; node i is row/col
 *                      i+1 (its user id); values are checked and ignored; the
 *                      declared entry count must match exactly.
 *   SGAE_FMT_LINQS     LINQS `.content` (+ `.cites` beside it): string paper
 *                      ids, binary word features, class names as labels.
 *                      Give either file; the other is found by its suffix
 *                      (same compression suffix first, then none, .gz, .zst).
 *                      Nodes are the papers of `.content`, in file order; a
 *                      cite naming another paper is an error.
 *   SGAE_FMT_GML       Newman GML: graph [ node [ id .. ] edge [ source ..
 *                      target .. ] ]; ids relabelled in increasing order; a
 *                      node attribute gives labels (see label_attr); an edge
 *                      to an undeclared node is an error.
 *   SGAE_FMT_SGR       sgae's binary graph (see sgae_sgr_save).
 * Any text format may be gzip- or zstd-compressed: detected by magic bytes,
 * streamed, never decompressed to a temporary file.
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
    int quiet;              /* no progress on stderr */
} sgae_load_opts;

typedef struct {
    sgae_graph *graph;
    sgae_features *features; /* NULL unless given or part of the format */
    sgae_labels *labels;     /* NULL unless given or part of the format */
    double load_seconds;
    sgae_format format; /* the format read (detected or forced) */
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

/* Convenience: graph only, format detected. */
SGAE_API sgae_status sgae_graph_load(const char *path, sgae_format fmt, sgae_graph **out);

/* Binary graph file (.sgr): the CSR (degrees, and each row's sorted columns
 * as gaps), the id map (numbers or names) and the construction counts.
 * Layout: a 128-byte header (magic "SGAEGRPH", format version, sizes) with
 * its own 64-bit hash; a chunk table with its own hash; then the sections
 * cut into chunks of at most 8 MiB, each one zstd frame carrying zstd's
 * content checksum, plus a 64-bit hash of its compressed bytes recorded in
 * the table.  Chunks are (de)compressed in parallel.  Features and labels are
 * not stored.
 *
 * sgae_sgr_save writes to a temporary file beside `path` (same directory),
 * fsyncs it and renames it over `path`, so a crash never leaves a
 * half-written file under `path`.  Errors: SGAE_E_IO (cannot create, write
 * or rename; the message names `path`), SGAE_E_NOMEM, SGAE_E_DEP (zstd).
 *
 * sgae_sgr_load reads such a file into a new graph (*out; NULL on failure).
 * Errors: SGAE_E_IO (cannot open/read), SGAE_E_FORMAT (not an .sgr file, or
 * a version this build does not read), SGAE_E_CORRUPT (truncated file,
 * checksum mismatch, trailing bytes, or a CSR that breaks the invariants),
 * SGAE_E_PARSE (empty file), SGAE_E_NOMEM.  Every message names the file. */
SGAE_API sgae_status sgae_sgr_save(const sgae_graph *g, const char *path);
SGAE_API sgae_status sgae_sgr_load(const char *path, sgae_graph **out);

/* Write the graph as an edge list "u v" (u < v, user's ids, one line per
 * undirected edge) after one '#' comment line giving the counts; compressed
 * with zstd (level 1) or gzip (level 1) when the name ends in .zst or .gz.
 * Isolated nodes do not appear.  Written to PATH.tmp.<pid>, fsync'ed and
 * renamed, so PATH is never half-written.  Errors: SGAE_E_IO (cannot create,
 * write or rename; the temporary file is removed), SGAE_E_DEP, SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_edgelist_save(const sgae_graph *g, const char *path);

/* Write labels as "node label" lines in the user's ids (.zst/.gz and the
 * temporary file as above): the class name, or the class index when
 * class_names is NULL; unlabelled nodes (-1) are left out.  SGAE_E_ARG if
 * l->n differs from g->n or a label is outside -1..nclasses-1. */
SGAE_API sgae_status sgae_labels_save(const sgae_graph *g, const sgae_labels *l, const char *path);

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

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
 *                      general/symmetric, 1-based; node i is row/col i+1.
 *   SGAE_FMT_LINQS     LINQS `.content` (+ `.cites` beside it): string paper
 *                      ids, binary word features, class names as labels.
 *                      Give either file; the other is found by its suffix.
 *   SGAE_FMT_GML       Newman GML; a node attribute gives labels.
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
const char *sgae_format_name(sgae_format f);
sgae_status sgae_format_parse(const char *name, sgae_format *f);

/* Node labels (ground-truth classes or communities). */
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

void sgae_labels_free(sgae_labels *l);     /* frees struct too; NULL ok */
void sgae_features_free(sgae_features *f); /* frees struct too; NULL ok */

typedef struct {
    const char *graph;      /* required */
    sgae_format format;     /* SGAE_FMT_AUTO to detect */
    const char *features;   /* optional Matrix Market file (Planetoid convention) */
    const char *labels;     /* optional "node label" file */
    const char *label_attr; /* GML node attribute for labels (default "value") */
    int quiet;              /* no progress on stderr */
} sgae_load_opts;

typedef struct {
    sgae_graph *graph;
    sgae_features *features; /* NULL unless given or part of the format */
    sgae_labels *labels;     /* NULL unless given or part of the format */
    double load_seconds;
} sgae_dataset;

/* Load a graph and, optionally, its features and labels.  With a features
 * file, the node set is 0..rows-1 of that matrix (Planetoid convention): an
 * edge naming a node without a feature row is an error.  A label for a node
 * that is not in the graph is an error.  On failure *ds is left empty. */
sgae_status sgae_dataset_load(const sgae_load_opts *opts, sgae_dataset *ds);
void sgae_dataset_free(sgae_dataset *ds); /* frees members, zeroes struct */

/* Convenience: graph only, format detected. */
sgae_status sgae_graph_load(const char *path, sgae_format fmt, sgae_graph **out);

/* Binary graph file: magic "SGAEGRPH", version, CSR + id map, zstd-compressed
 * sections, each with an XXH64 checksum; written to a temporary file and
 * renamed, so a crash never leaves a half-written file under `path`. */
sgae_status sgae_sgr_save(const sgae_graph *g, const char *path);
sgae_status sgae_sgr_load(const char *path, sgae_graph **out);

/* Write the graph as an edge list "u v" (u < v, user's ids, one line per
 * undirected edge); compressed with zstd or gzip when the name ends in .zst
 * or .gz.  Written to a temporary file and renamed. */
sgae_status sgae_edgelist_save(const sgae_graph *g, const char *path);

/* Write labels as "node label" lines in the user's ids (.zst/.gz as above). */
sgae_status sgae_labels_save(const sgae_graph *g, const sgae_labels *l, const char *path);

#ifdef __cplusplus
}
#endif
#endif

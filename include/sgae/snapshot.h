/*
 * sgae/snapshot.h - zstd snapshots of a training run: checkpoint, exact
 * resume, warm start on a changed graph, export of the embeddings.
 *
 * File format (version 1.1), a sectioned container (sgae/container.h) with
 * the magic "SGAESNAP":
 *  - the container header (magic, format major.minor, a 64-bit hash of
 *    the header), the section table and a trailer, each with its own hash;
 *  - every section one zstd frame with zstd's content checksum plus the
 *    table's hash of its compressed bytes; large float sections are
 *    byte-plane shuffled before compression (the 4 bytes of each float
 *    become 4 planes, which zstd compresses far better) and compressed
 *    with zstd's worker threads;
 *  - sections:
 *      "run"        text, one `key value` per line: the run configuration
 *                   (every resolved option of sgae_train_opts, the seed),
 *                   the RNG position (`epoch`), the fingerprint of the
 *                   training graph and split (`nodes`, `edges`,
 *                   `graph_hash`, `val_edges`, `test_edges`, `split_hash`,
 *                   `features`, `features_hash`), the best validation
 *                   AUC/AP and epoch, and one `array NAME DTYPE ROWS COLS`
 *                   line per state array below;
 *      "ids"        the node id map: n uint64 user ids (kind 1), or the
 *                   user's names as n NUL-terminated strings (kind 2), or
 *                   empty for ids 0..n-1 (kind 0);
 *      "state/NAME" every array of the trainer's state (sgae_trainer_state_*:
 *                   weights, both Adam moments and the step, the epoch, the
 *                   early-stopping state, the kept best embeddings, the
 *                   metric history), raw little-endian;
 *      "mu", "logstd" the current parameters' embeddings (n x latent
 *                   float32; logstd for VGAE only), for export without the
 *                   graph; absent when written with embeddings = 0 (the
 *                   periodic checkpoints of `sgae train`).
 *    Version 1.1 added the `min_epochs` option line; a 1.0 file lacks it
 *    (and is resumed without checking it).
 *    Readers skip sections they do not know; a file whose major version is
 *    newer than SGAE_SNAPSHOT_VERSION_MAJOR is refused (SGAE_E_FORMAT, the
 *    message names the file and both versions).
 *
 * Hashes: graph_hash covers n and the training graph's CSR (rowptr, col);
 * split_hash the validation and test pairs; features_hash the feature
 * matrix (shape, pattern and values).  All are sgae_hash64 values.
 */
#ifndef SGAE_SNAPSHOT_H
#define SGAE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "sgae/export.h"
#include "sgae/error.h"
#include "sgae/graph.h"
#include "sgae/train.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SGAE_SNAPSHOT_VERSION_MAJOR 1
#define SGAE_SNAPSHOT_VERSION_MINOR 1

typedef struct {
    int level;     /* zstd level (default 1) */
    int threads;   /* zstd worker threads for large sections (0: the OpenMP
                    * thread count; 1: none) */
    int shuffle;   /* byte-plane shuffle of float sections (default 1) */
    int keep;      /* keep the previous keep-1 snapshots as PATH.1 (newest)
                    * .. PATH.(keep-1), by hard links and renames made
                    * before the new file is renamed into place (default 1:
                    * only PATH) */
    int embeddings; /* store "mu" and "logstd" (default 1).  0 for periodic
                     * checkpoints: resume needs only the state arrays, and
                     * these sections are derivable from w0, w1 and the graph
                     * but cost a forward pass and 2 n latent floats; export
                     * then gives only SGAE_EMB_BEST */
} sgae_snapshot_opts;

SGAE_API void sgae_snapshot_opts_default(sgae_snapshot_opts *o);

/* Write the trainer's whole state to `path` through the core's atomic
 * writer (temporary file in the same directory, fsync, rename, fsync of the
 * directory): a crash at any moment leaves the previous file or the new
 * one, complete; temporaries PATH.tmp.XXXXXX that a killed earlier write
 * left are removed first (one writer per path).  Errors: SGAE_E_IO (the message names `path`), SGAE_E_NOMEM,
 * SGAE_E_DEP (zstd). */
SGAE_API sgae_status sgae_snapshot_save(const char *path, sgae_trainer *t,
                                        const sgae_snapshot_opts *opts);

typedef struct sgae_snapshot sgae_snapshot;

/* Open and check a snapshot: container header, table and trailer hashes,
 * the version, and the "run" section (parsed).  Section payloads are read
 * (and their checksums verified) when used.  Errors: SGAE_E_IO, SGAE_E_FORMAT
 * (not a snapshot, a newer major version), SGAE_E_CORRUPT (truncated or
 * damaged: the message names the file and what is wrong), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_snapshot_open(const char *path, sgae_snapshot **out);
SGAE_API void sgae_snapshot_free(sgae_snapshot *s); /* NULL is fine */

typedef struct {
    int version_major, version_minor;
    int64_t epoch;                /* epochs run */
    int64_t nodes, edges;         /* training graph (edges undirected) */
    int64_t val_edges, test_edges;
    uint64_t graph_hash, split_hash, features_hash;
    int64_t features;             /* input dimension, 0 featureless */
    sgae_train_opts opts;         /* resolved options of the run (no callbacks) */
    double best_val_auc, best_val_ap;
    int64_t best_epoch;
    int64_t file_bytes, raw_bytes; /* on disk; uncompressed sections */
    int sections;
} sgae_snapshot_info;

SGAE_API void sgae_snapshot_info_get(const sgae_snapshot *s, sgae_snapshot_info *info);

typedef struct {
    const char *name;
    int64_t bytes, raw_bytes;
} sgae_snapshot_section;

/* Section `index` (0..info.sections-1), as the container lists it. */
SGAE_API sgae_status sgae_snapshot_section_get(const sgae_snapshot *s, int index,
                                               sgae_snapshot_section *sec);

/* Read every section and check its checksums and sizes (sgae_snapshot_open
 * checks only the header, table and "run").  Errors: SGAE_E_CORRUPT naming
 * the file and the section, SGAE_E_IO, SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_snapshot_verify(sgae_snapshot *s);

/* Exact resume: check that `t` was created on the same training graph,
 * split and features (fingerprints) with the same options (all but
 * `epochs`, the run's total, which may be larger than the snapshot's
 * epoch), then set its whole state from the snapshot.  Stepping `t` then
 * gives the bits the snapshotted run would have given.  The sections are
 * decompressed concurrently (OpenMP threads), the weights and Adam moments
 * straight into the model.  Errors: SGAE_E_ARG (what differs, with both
 * values; nothing is changed), those of reading sections (found after the
 * shapes are checked: the trainer's state is then partly overwritten, so
 * free it). */
SGAE_API sgae_status sgae_snapshot_restore(sgae_snapshot *s, sgae_trainer *t);

/* Warm start on a changed graph: nodes of `t`'s graph are matched to the
 * snapshot's by the user's ids; the matched rows of the first layer
 * (featureless) and the shared weights (W1, and W0 with features of the
 * same dimension) are copied, new nodes keep their initialisation, vanished
 * nodes are dropped; Adam, the epoch and the kept embeddings start afresh.
 * *matched (optional) receives the number of matched nodes.  Errors:
 * SGAE_E_ARG (another model shape), those of reading sections. */
SGAE_API sgae_status sgae_snapshot_warm_start(sgae_snapshot *s, sgae_trainer *t,
                                              int64_t *matched);

/* Embeddings stored in the snapshot, for export: SGAE_EMB_MU, SGAE_EMB_LOGSTD
 * (VGAE), SGAE_EMB_Z (mu + eps exp(min(logstd, max_logstd)) with the noise
 * of the next epoch, as sgae_trainer_embeddings gives it) or SGAE_EMB_BEST.
 * *data is allocated (free() it), rows x cols row-major. */
SGAE_API sgae_status sgae_snapshot_embeddings(sgae_snapshot *s, sgae_embedding which,
                                              float **data, int64_t *rows, int64_t *cols);

/* The snapshot's nodes as a graph without edges carrying the id map (for
 * sgae_ids_save and matching); free with sgae_graph_free. */
SGAE_API sgae_status sgae_snapshot_id_graph(sgae_snapshot *s, sgae_graph **out);

#ifdef __cplusplus
}
#endif
#endif

/*
 * sgae/dist.h - distributed building blocks on MPI (optional: compiled only
 * when the build finds MPI, meson option `mpi`; SGAE_HAVE_MPI is then 1 in
 * programs built with sgae's dependency).
 *
 * 1D row partition: rank q owns the contiguous rows bounds[q]..bounds[q+1]-1
 * of the (renumbered, e.g. RCM: sgae/order.h) graph, the blocks balanced by
 * nonzeros + rows and aligned to `align` rows, so that any per-block
 * computation sees the same blocks at any rank count.  A distributed
 * operator holds only its rows of a CSR matrix, with the columns renumbered
 * to local ids: owned rows first (0..nloc-1), then the ghost rows (columns
 * outside the block, sorted by global id, hence grouped by owner).  Before
 * each product exactly the ghost rows are exchanged (MPI_Alltoallv), then
 * the public sgae_spmm runs on the local block: row i of the result is the
 * same sum in the same order as in one process, so the product is
 * bit-identical to sgae_spmm on the whole matrix at any rank count.
 *
 * Every function taking an operator is collective over its communicator
 * unless it says otherwise.
 */
#ifndef SGAE_DIST_H
#define SGAE_DIST_H

#include "sgae/export.h"

#include <stdint.h>

#include <mpi.h>

#include "sgae/error.h"
#include "sgae/graph.h"
#include "sgae/model.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Row bounds (nparts + 1 entries, bounds[0] = 0, bounds[nparts] = nrows) of
 * contiguous blocks of A's rows with about equal nonzeros + rows each, every
 * bound a multiple of `align` (>= 1) or nrows.  Local (no communication),
 * deterministic.  Errors: SGAE_E_ARG (nparts < 1, align < 1). */
SGAE_API sgae_status sgae_dist_partition(const sgae_csr *A, int nparts, int64_t align,
                                         int64_t *bounds);

typedef struct sgae_dist_op sgae_dist_op;

/* The calling rank's rows of A (rows bounds[rank]..bounds[rank+1]-1 of the
 * square matrix A; only those rows of A are read, so a caller may pass a
 * matrix holding only them at their global row offsets) and the exchange
 * plan of its ghost rows.  Collective over comm (every rank passes the same
 * bounds, comm's size + 1 entries).  Errors: SGAE_E_ARG (bad bounds),
 * SGAE_E_NOMEM, SGAE_E_DEP (an MPI error; the message names the call). */
SGAE_API sgae_status sgae_dist_op_create(MPI_Comm comm, const sgae_csr *A,
                                         const int64_t *bounds, sgae_dist_op **out);
SGAE_API void sgae_dist_op_free(sgae_dist_op *op); /* NULL is fine; not collective */

/* Owned rows [*r0, *r1) and ghost rows of this rank (not collective). */
SGAE_API void sgae_dist_op_rows(const sgae_dist_op *op, int64_t *r0, int64_t *r1,
                                int64_t *ghosts);

/* Y = A H on this rank's rows: H and Y are nloc x d (the owned rows of the
 * n x d operand and result, row-major).  The ghost rows of H are fetched
 * from their owners into a buffer the operator keeps (grown on the first
 * call with a larger d; no allocation afterwards).  Errors: SGAE_E_NOMEM,
 * SGAE_E_DEP (MPI). */
SGAE_API sgae_status sgae_dist_op_spmm(sgae_dist_op *op, const float *H, int64_t d, float *Y);

/* Communication figures of this rank since creation (not collective). */
typedef struct {
    int64_t exchanges;     /* ghost exchanges run */
    int64_t bytes_sent;    /* payload bytes this rank sent */
    int64_t bytes_recv;
    double comm_seconds;   /* packing + MPI_Alltoallv */
    double compute_seconds; /* the local sgae_spmm */
} sgae_dist_stats;
SGAE_API void sgae_dist_op_stats(const sgae_dist_op *op, sgae_dist_stats *s);

/* Gather the nloc x d blocks of every rank into the n x d matrix `all` on
 * `root` (all may be NULL elsewhere), rows in global order. */
SGAE_API sgae_status sgae_dist_op_gather(sgae_dist_op *op, const float *local, int64_t d,
                                         float *all, int root);

/* ---- distributed training (featureless VGAE / GAE) ----------------------
 *
 * The model of sgae/model.h without node features, over a 1D row partition
 * whose bounds are multiples of SGAE_DIST_BLOCK rows (the model's row
 * block: sgae_dist_partition(A, np, SGAE_DIST_BLOCK, bounds)).  Each rank
 * holds its rows of Â, of every n x d array, of W0 (n x h) and of W0's Adam
 * moments; W1 (h x L) and its moments are replicated.  One epoch
 * (sgae_dist_model_epoch) is sgae_model_forward(m, epoch, 1, ..) +
 * sgae_model_backward + sgae_model_adam of one process, with the same
 * float operations in the same order: the embeddings are bit-identical to
 * the one-process model's at any rank count (tests/dist/test_dist_train.c).
 * The loss terms pos, kl and l2 are bit-identical too; the negative term is
 * summed per rank and then across ranks (equal to rounding, about 1e-15
 * relative).  Negatives: the permutation sampler only (the default; the
 * i.i.d. and degree samplers are refused with SGAE_E_ARG); every rank draws
 * the permutation (4 bytes per node, the one global array), and fetches the
 * Z rows of the remote endpoints of its pairs each epoch (at most n - nloc
 * rows: with r negatives per node that is min(n - nloc, 2 r nloc) rows). */
#define SGAE_DIST_BLOCK 4096

typedef struct sgae_dist_model sgae_dist_model;

typedef struct {
    int64_t epochs;          /* epochs run */
    int64_t spmm_exchanges;  /* ghost exchanges of the SpMMs */
    int64_t bytes_sent;      /* payload bytes this rank sent (SpMM ghosts,
                                decoder rows and requests, reductions) */
    int64_t max_fetched;     /* most Z rows fetched for the decoder in an epoch */
    double comm_seconds;     /* in MPI calls and packing */
    double compute_seconds;  /* local arithmetic */
    double seconds;          /* whole epochs */
} sgae_dist_train_stats;

/* A is Â of the training graph (sgae_graph_norm; only this rank's rows are
 * read), bounds as sgae_dist_op_create with every inner bound a multiple of
 * SGAE_DIST_BLOCK.  opts NULL: the defaults.  Collective.  Errors:
 * SGAE_E_ARG, SGAE_E_NOMEM, SGAE_E_DEP (MPI). */
SGAE_API sgae_status sgae_dist_model_create(MPI_Comm comm, const sgae_csr *A,
                                            const int64_t *bounds, const sgae_model_opts *opts,
                                            sgae_dist_model **out);
SGAE_API void sgae_dist_model_free(sgae_dist_model *m); /* not collective */

/* One training epoch (0-based `epoch`): forward, loss, backward, Adam.
 * Collective.  Errors: SGAE_E_NUMERIC (loss not finite), SGAE_E_NOMEM,
 * SGAE_E_DEP. */
SGAE_API sgae_status sgae_dist_model_epoch(sgae_dist_model *m, int64_t epoch, sgae_loss *loss);

/* mu of the current parameters on the owned rows (nloc x latent, valid
 * until the next call on m).  Collective. */
SGAE_API sgae_status sgae_dist_model_embed(sgae_dist_model *m, const float **mu);

/* Parameter `which` (0: W0's owned rows, nloc x h; 1: W1, h x L) or its
 * Adam moment (order 1, 2); order 0: the parameter.  Not collective. */
SGAE_API float *sgae_dist_model_param(sgae_dist_model *m, int which, int order, int64_t *rows,
                                      int64_t *cols);
SGAE_API int64_t sgae_dist_model_steps(const sgae_dist_model *m);
SGAE_API void sgae_dist_model_set_steps(sgae_dist_model *m, int64_t steps);
/* The model's operator (its rows, gather). */
SGAE_API sgae_dist_op *sgae_dist_model_op(sgae_dist_model *m);
SGAE_API void sgae_dist_model_stats(const sgae_dist_model *m, sgae_dist_train_stats *s);

#ifdef __cplusplus
}
#endif
#endif

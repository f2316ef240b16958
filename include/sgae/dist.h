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

#ifdef __cplusplus
}
#endif
#endif

/* Distributed operator on MPI: 1D row partition, ghost-row exchange with
 * MPI_Alltoallv, and the public sgae_spmm on the local block (see
 * sgae/dist.h). */
#include <string.h>

#include "dist_internal.h"
#include "internal.h"
#include "sgae/dist.h"
#include "sgae/kernels.h"
#include "sgae/util.h"

struct sgae_dist_op {
    MPI_Comm comm;
    int rank, np;
    int64_t n, r0, r1, nloc, nghost;
    int64_t *bounds; /* np + 1 */
    sgae_csr A;      /* nloc x (nloc + nghost), local column ids */
    int32_t *ghost;  /* nghost global ids, sorted */
    /* exchange plan, in rows: what this rank sends to / receives from each rank */
    int *scnt, *sdsp, *rcnt, *rdsp; /* np each */
    int32_t *sidx;   /* local rows to send, grouped by destination */
    int64_t nsend;
    /* per-call buffers (rows of width cap_d) */
    int *sc, *sd, *rc, *rd; /* np each: counts scaled by d */
    float *ext;      /* (nloc + nghost) x cap_d */
    float *sbuf;     /* nsend x cap_d */
    int64_t cap_d;
    sgae_dist_stats st;
};

static sgae_status mpi_check(int rc, const char *call)
{
    if (rc == MPI_SUCCESS)
        return SGAE_OK;
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(rc, msg, &len);
    return sgae_error_set(SGAE_E_DEP, "dist: %s failed: %s", call, msg);
}

sgae_status sgae_dist_partition(const sgae_csr *A, int nparts, int64_t align, int64_t *bounds)
{
    if (nparts < 1 || align < 1)
        return sgae_error_set(SGAE_E_ARG, "dist: %d parts aligned to %lld rows", nparts,
                              (long long)align);
    const int64_t n = A->nrows;
    const double total = (double)A->rowptr[n] + (double)n;
    bounds[0] = 0;
    int q = 1;
    /* walk the aligned boundaries; part q ends at the first boundary whose
     * cost prefix reaches q/nparts of the total */
    for (int64_t b = align; b < n && q < nparts; b += align) {
        double cost = (double)A->rowptr[b] + (double)b;
        while (q < nparts && cost >= total * q / nparts)
            bounds[q++] = b;
    }
    while (q <= nparts)
        bounds[q++] = n;
    return SGAE_OK;
}

void sgae_dist_op_free(sgae_dist_op *op)
{
    if (!op)
        return;
    sgae_csr_clear(&op->A);
    /* op->sc also holds sd, rc, rd */
    SGAE_FREE_ALL(op->bounds, op->ghost, op->scnt, op->sdsp, op->rcnt, op->rdsp, op->sidx,
                  op->sc, op->ext, op->sbuf, op);
}

/* Owner rank of global row g (bounds are sorted; empty parts are skipped). */
static int owner(const sgae_dist_op *op, int64_t g)
{
    int lo = 0, hi = op->np - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (op->bounds[mid] <= g)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

int sgae_dist_cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Local id of global column g: owned rows first, then ghosts. */
static int32_t local_col(const sgae_dist_op *op, int32_t g)
{
    if (g >= op->r0 && g < op->r1)
        return (int32_t)(g - op->r0);
    const int32_t *p = bsearch(&g, op->ghost, (size_t)op->nghost, sizeof g, sgae_dist_cmp_i32);
    return (int32_t)(op->nloc + (p - op->ghost));
}

sgae_status sgae_dist_op_create(MPI_Comm comm, const sgae_csr *A, const int64_t *bounds,
                                sgae_dist_op **out)
{
    sgae_status st = SGAE_OK;
    sgae_dist_op *op = NULL;
    *out = NULL;
    op = sgae_calloc(1, sizeof *op, "distributed operator");
    if (!op)
        return SGAE_E_NOMEM;
    op->comm = comm;
    SGAE_CHECK(mpi_check(MPI_Comm_rank(comm, &op->rank), "MPI_Comm_rank"));
    SGAE_CHECK(mpi_check(MPI_Comm_size(comm, &op->np), "MPI_Comm_size"));
    const int np = op->np;
    op->n = A->nrows;
    if (A->ncols != A->nrows || bounds[0] != 0 || bounds[np] != op->n)
        SGAE_FAIL(SGAE_E_ARG, "dist: bounds 0..%lld do not cover the %lld x %lld matrix",
                  (long long)bounds[np], (long long)A->nrows, (long long)A->ncols);
    for (int q = 0; q < np; q++)
        if (bounds[q + 1] < bounds[q])
            SGAE_FAIL(SGAE_E_ARG, "dist: bounds are not increasing at part %d", q);
    op->bounds = sgae_alloc((size_t)np + 1, sizeof *op->bounds, "partition bounds");
    op->scnt = sgae_calloc((size_t)np, sizeof(int), "exchange plan");
    op->sdsp = sgae_calloc((size_t)np, sizeof(int), "exchange plan");
    op->rcnt = sgae_calloc((size_t)np, sizeof(int), "exchange plan");
    op->rdsp = sgae_calloc((size_t)np, sizeof(int), "exchange plan");
    op->sc = sgae_calloc((size_t)np * 4, sizeof(int), "exchange plan");
    if (!op->bounds || !op->scnt || !op->sdsp || !op->rcnt || !op->rdsp || !op->sc)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: exchange plan");
    op->sd = op->sc + np;
    op->rc = op->sc + 2 * np;
    op->rd = op->sc + 3 * np;
    memcpy(op->bounds, bounds, ((size_t)np + 1) * sizeof *bounds);
    op->r0 = bounds[op->rank];
    op->r1 = bounds[op->rank + 1];
    op->nloc = op->r1 - op->r0;
    const int64_t e0 = A->rowptr[op->r0], nnz = A->rowptr[op->r1] - e0;

    /* ghosts: the distinct columns outside [r0, r1), sorted */
    int32_t *g = sgae_alloc((size_t)nnz + 1, sizeof *g, "ghost rows");
    if (!g)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: ghost rows");
    int64_t ng = 0;
    for (int64_t e = 0; e < nnz; e++) {
        int32_t c = A->col[e0 + e];
        if (c < op->r0 || c >= op->r1)
            g[ng++] = c;
    }
    qsort(g, (size_t)ng, sizeof *g, sgae_dist_cmp_i32);
    int64_t u = 0;
    for (int64_t k = 0; k < ng; k++)
        if (u == 0 || g[k] != g[u - 1])
            g[u++] = g[k];
    op->ghost = g;
    op->nghost = u;

    /* the local block, columns renumbered, entries in the same order */
    op->A.nrows = op->nloc;
    op->A.ncols = op->nloc + op->nghost;
    op->A.rowptr = sgae_alloc((size_t)op->nloc + 1, sizeof *op->A.rowptr, "local operator");
    op->A.col = sgae_alloc((size_t)nnz + 1, sizeof *op->A.col, "local operator");
    if (A->val)
        op->A.val = sgae_alloc((size_t)nnz + 1, sizeof *op->A.val, "local operator");
    if (!op->A.rowptr || !op->A.col || (A->val && !op->A.val))
        SGAE_FAIL(SGAE_E_NOMEM, "dist: local operator");
    for (int64_t i = 0; i <= op->nloc; i++)
        op->A.rowptr[i] = A->rowptr[op->r0 + i] - e0;
    for (int64_t e = 0; e < nnz; e++)
        op->A.col[e] = local_col(op, A->col[e0 + e]);
    if (A->val)
        memcpy(op->A.val, A->val + e0, (size_t)nnz * sizeof *op->A.val);

    /* plan: ghosts per owner (they arrive grouped by owner, in id order),
     * then every rank learns which of its rows the others need */
    for (int64_t k = 0; k < op->nghost; k++)
        op->rcnt[owner(op, op->ghost[k])]++;
    for (int q = 1; q < np; q++)
        op->rdsp[q] = op->rdsp[q - 1] + op->rcnt[q - 1];
    SGAE_CHECK(mpi_check(MPI_Alltoall(op->rcnt, 1, MPI_INT, op->scnt, 1, MPI_INT, comm),
                         "MPI_Alltoall"));
    for (int q = 1; q < np; q++)
        op->sdsp[q] = op->sdsp[q - 1] + op->scnt[q - 1];
    op->nsend = np ? op->sdsp[np - 1] + op->scnt[np - 1] : 0;
    op->sidx = sgae_alloc((size_t)op->nsend + 1, sizeof *op->sidx, "exchange plan");
    if (!op->sidx)
        SGAE_FAIL(SGAE_E_NOMEM, "dist: exchange plan");
    SGAE_CHECK(mpi_check(MPI_Alltoallv(op->ghost, op->rcnt, op->rdsp, MPI_INT32_T, op->sidx,
                                       op->scnt, op->sdsp, MPI_INT32_T, comm),
                         "MPI_Alltoallv"));
    for (int64_t k = 0; k < op->nsend; k++)
        op->sidx[k] -= (int32_t)op->r0;
    *out = op;
    op = NULL;
done:
    sgae_dist_op_free(op);
    return st;
}

void sgae_dist_op_rows(const sgae_dist_op *op, int64_t *r0, int64_t *r1, int64_t *ghosts)
{
    if (r0)
        *r0 = op->r0;
    if (r1)
        *r1 = op->r1;
    if (ghosts)
        *ghosts = op->nghost;
}

/* Room for rows of width d in the exchange buffers. */
static sgae_status ensure_width(sgae_dist_op *op, int64_t d)
{
    if (d <= op->cap_d)
        return SGAE_OK;
    float *ext = sgae_alloc_aligned((size_t)((op->nloc + op->nghost) * d) + 1, sizeof(float),
                                    "ghost rows");
    float *sb = sgae_alloc((size_t)(op->nsend * d) + 1, sizeof(float), "ghost rows to send");
    if (!ext || !sb) {
        free(ext);
        free(sb);
        return SGAE_E_NOMEM;
    }
    free(op->ext);
    free(op->sbuf);
    op->ext = ext;
    op->sbuf = sb;
    op->cap_d = d;
    return SGAE_OK;
}

sgae_status sgae_dist_op_spmm(sgae_dist_op *op, const float *H, int64_t d, float *Y)
{
    sgae_status st = SGAE_OK;
    double t0 = sgae_now();
    SGAE_CHECK(ensure_width(op, d));
    const size_t rb = (size_t)d * sizeof(float);
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < op->nsend; k++)
        memcpy(op->sbuf + k * d, H + (int64_t)op->sidx[k] * d, rb);
    for (int q = 0; q < op->np; q++) {
        op->sc[q] = op->scnt[q] * (int)d;
        op->sd[q] = op->sdsp[q] * (int)d;
        op->rc[q] = op->rcnt[q] * (int)d;
        op->rd[q] = op->rdsp[q] * (int)d;
    }
    memcpy(op->ext, H, (size_t)op->nloc * rb);
    SGAE_CHECK(mpi_check(MPI_Alltoallv(op->sbuf, op->sc, op->sd, MPI_FLOAT,
                                       op->ext + op->nloc * d, op->rc, op->rd, MPI_FLOAT,
                                       op->comm),
                         "MPI_Alltoallv"));
    double t1 = sgae_now();
    sgae_spmm(&op->A, op->ext, d, Y, 0);
    op->st.exchanges++;
    op->st.bytes_sent += (int64_t)op->nsend * (int64_t)rb;
    op->st.bytes_recv += op->nghost * (int64_t)rb;
    op->st.comm_seconds += t1 - t0;
    op->st.compute_seconds += sgae_now() - t1;
done:
    return st;
}

void sgae_dist_op_stats(const sgae_dist_op *op, sgae_dist_stats *s) { *s = op->st; }

sgae_status sgae_dist_op_gather(sgae_dist_op *op, const float *local, int64_t d, float *all,
                                int root)
{
    for (int q = 0; q < op->np; q++) {
        op->rc[q] = (int)((op->bounds[q + 1] - op->bounds[q]) * d);
        op->rd[q] = (int)(op->bounds[q] * d);
    }
    return mpi_check(MPI_Gatherv(local, (int)(op->nloc * d), MPI_FLOAT, all, op->rc, op->rd,
                                 MPI_FLOAT, root, op->comm),
                     "MPI_Gatherv");
}

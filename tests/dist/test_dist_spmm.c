/* The distributed SpMM on Cora's GCN operator, under mpirun -np 1, 2, 4:
 * bit-identical to sgae_spmm on the whole matrix (rows are summed in the
 * same order whatever the partition), the partition covers the rows in
 * aligned blocks, and exactly the ghost rows are exchanged. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>

#include "sgae.h"
#include "sgae/dist.h"

#include "dist_check.h"

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, np;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &np);
    sgae_graph *g = NULL;
    sgae_status st = sgae_graph_load(SGAE_SOURCE_DIR "/datasets/planetoid/cora.edges.zst",
                                     SGAE_FMT_AUTO, &g);
    if (st) {
        fprintf(stderr, "load: %s\n", sgae_last_error());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    CHECK(sgae_graph_reorder(g, SGAE_ORDER_RCM) == SGAE_OK);
    CHECK(sgae_graph_norm(g) == SGAE_OK);
    const sgae_csr *A = &g->norm;
    const int64_t n = g->n, align = 64;
    int64_t *bounds = malloc(((size_t)np + 1) * sizeof *bounds);
    CHECK(sgae_dist_partition(A, np, align, bounds) == SGAE_OK);
    CHECK(bounds[0] == 0 && bounds[np] == n);
    for (int q = 0; q < np; q++) {
        CHECK(bounds[q] <= bounds[q + 1]);
        CHECK(bounds[q] % align == 0 || bounds[q] == n);
    }
    if (np > 1) /* a real split: the first part neither empty nor everything */
        CHECK(bounds[1] > 0 && bounds[1] < n);
    CHECK(sgae_dist_partition(A, 0, align, bounds) == SGAE_E_ARG);
    CHECK(sgae_dist_partition(A, np, align, bounds) == SGAE_OK);

    sgae_dist_op *op = NULL;
    CHECK(sgae_dist_op_create(MPI_COMM_WORLD, A, bounds, &op) == SGAE_OK);
    int64_t r0, r1, ng;
    sgae_dist_op_rows(op, &r0, &r1, &ng);
    CHECK(r0 == bounds[rank] && r1 == bounds[rank + 1]);
    /* the ghosts: the distinct columns of the block outside it */
    {
        char *seen = calloc((size_t)n, 1);
        int64_t want = 0;
        for (int64_t e = A->rowptr[r0]; e < A->rowptr[r1]; e++) {
            int32_t c = A->col[e];
            if ((c < r0 || c >= r1) && !seen[c]) {
                seen[c] = 1;
                want++;
            }
        }
        CHECK(ng == want);
        if (np == 1)
            CHECK(ng == 0);
        free(seen);
    }
    for (int64_t d = 16; d <= 32; d += 16) {
        float *H = sgae_dense_alloc(n, d), *Y = sgae_dense_alloc(n, d);
        float *Yd = sgae_dense_alloc(n, d);
        float *Yl = malloc((size_t)((r1 - r0) * d + 1) * sizeof *Yl);
        for (int64_t k = 0; k < n * d; k++)
            H[k] = (float)(sgae_rng_uniform(7, 1, (uint64_t)k) - 0.5);
        sgae_spmm(A, H, d, Y, 0);
        /* twice: the second call reuses the buffers */
        for (int rep = 0; rep < 2; rep++) {
            CHECK(sgae_dist_op_spmm(op, H + r0 * d, d, Yl) == SGAE_OK);
            CHECK(sgae_dist_op_gather(op, Yl, d, rank == 0 ? Yd : NULL, 0) == SGAE_OK);
            if (rank == 0)
                CHECK(memcmp(Y, Yd, (size_t)(n * d) * sizeof *Y) == 0);
        }
        free(H);
        free(Y);
        free(Yd);
        free(Yl);
    }
    sgae_dist_stats s;
    sgae_dist_op_stats(op, &s);
    CHECK(s.exchanges == 4);
    CHECK(s.bytes_recv == ng * 4 * (2 * 16 + 2 * 32));
    int64_t sent = 0, recv = 0;
    MPI_Allreduce(&s.bytes_sent, &sent, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&s.bytes_recv, &recv, 1, MPI_INT64_T, MPI_SUM, MPI_COMM_WORLD);
    CHECK(sent == recv);
    if (np > 1)
        CHECK(sent > 0);
    if (rank == 0)
        printf("np %d: rows %lld..%lld, ghosts %lld, bytes sent (all ranks) %lld\n", np,
               (long long)r0, (long long)r1, (long long)ng, (long long)sent);
    sgae_dist_op_free(op);
    free(bounds);
    sgae_graph_free(g);
    return dist_check_finish();
}

/* Allocation failures in sgae_pairmat_build (src/kernels/pairs.c): every
 * allocation of a first build (offsets, entries, the scratch and its growth)
 * fails in turn, with 2 threads and enough pairs for the per-thread path;
 * each gives SGAE_E_NOMEM with a message, leaves the matrix empty, and the
 * same struct then builds the same matrix as a fresh one.  Leaks are caught
 * by the ASan build. */
#include <omp.h>
#include <stdint.h>

#include "graph/alloc_sweep.h"
#include "testutil.h"

enum { N = 5000, M = 100000 };
static int32_t pu[M], pv[M];

typedef struct {
    sgae_pairmat pm, ref;
} pm_ctx;

static int same_pairmat(const sgae_pairmat *a, const sgae_pairmat *b)
{
    int64_t nnz = b->p.rowptr[N];
    return a->p.nrows == N && a->p.rowptr[N] == nnz &&
           !memcmp(a->p.rowptr, b->p.rowptr, (N + 1) * sizeof(int64_t)) &&
           !memcmp(a->p.col, b->p.col, (size_t)nnz * sizeof(int32_t)) &&
           !memcmp(a->pair_of, b->pair_of, (size_t)nnz * sizeof(int64_t));
}

static sgae_status pm_run(void *p)
{
    pm_ctx *c = p;
    memset(&c->pm, 0, sizeof c->pm);
    return sgae_pairmat_build(&c->pm, N, M, pu, pv);
}
static void pm_ok(void *p)
{
    pm_ctx *c = p;
    CHECK(same_pairmat(&c->pm, &c->ref));
    sgae_pairmat_clear(&c->pm);
}
static void pm_failed(void *p)
{
    pm_ctx *c = p;
    /* empty (no offsets, or all zero) and reusable */
    int empty = 1;
    if (c->pm.p.rowptr)
        for (int64_t i = 0; i <= c->pm.p.nrows; i++)
            empty &= c->pm.p.rowptr[i] == 0;
    CHECK(empty);
    CHECK_OK(sgae_pairmat_build(&c->pm, N, M, pu, pv));
    CHECK(same_pairmat(&c->pm, &c->ref));
    sgae_pairmat_clear(&c->pm);
}

int main(void)
{
    omp_set_num_threads(2);
    uint64_t x = 7;
    for (int k = 0; k < M; k++) {
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        pu[k] = (int32_t)((x >> 33) % N);
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
        pv[k] = (int32_t)((x >> 33) % N);
    }
    pm_ctx c;
    memset(&c, 0, sizeof c);
    CHECK_OK(sgae_pairmat_build(&c.ref, N, M, pu, pv));
    alloc_case ac = {"pairmat_build", &c, pm_run, pm_ok, pm_failed};
    CHECK(alloc_sweep(&ac) >= 5);
    sgae_pairmat_clear(&c.ref);
    return t_done("kernels_pairmat_alloc");
}

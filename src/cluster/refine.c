/* Modularity refinement: Louvain-style local moves between neighbouring
 * communities in synchronous rounds (parallel proposals from a frozen
 * state, then moves applied in node order with the gain re-checked). */
#include <string.h>

#include "cluster_internal.h"

void sgae_refine_opts_default(sgae_refine_opts *o)
{
    memset(o, 0, sizeof *o);
    o->max_rounds = 50;
}

/* Sparse accumulator of edge counts from one node to communities. */
typedef struct {
    int32_t *cnt;     /* K, zero between uses */
    int32_t *touched; /* K */
} acc_t;

/* Best move of node i under the state (comm, D): *to = target community
 * (comm[i] if none gains), return the scaled gain (> 0 for a move). */
static int64_t best_move(const sgae_graph *g, const int32_t *comm, const int64_t *D, int64_t m2,
                         int64_t i, acc_t *acc, int32_t *to)
{
    const int64_t *rp = g->adj.rowptr;
    const int32_t *col = g->adj.col;
    const int32_t A = comm[i];
    const int64_t ki = rp[i + 1] - rp[i];
    *to = A;
    if (ki == 0)
        return 0;
    int64_t nt = 0;
    for (int64_t e = rp[i]; e < rp[i + 1]; e++) {
        int32_t c = comm[col[e]];
        if (acc->cnt[c]++ == 0)
            acc->touched[nt++] = c;
    }
    const int64_t kiA = acc->cnt[A];
    int64_t best = 0;
    int32_t bc = A;
    for (int64_t q = 0; q < nt; q++) {
        int32_t B = acc->touched[q];
        int64_t kiB = acc->cnt[B];
        acc->cnt[B] = 0;
        if (B == A)
            continue;
        int64_t gain = m2 * (kiB - kiA) - ki * (D[B] - D[A] + ki);
        if (gain > best || (gain == best && gain > 0 && B < bc)) {
            best = gain;
            bc = B;
        }
    }
    acc->cnt[A] = 0;
    *to = bc;
    return best;
}

sgae_status sgae_refine(const sgae_graph *g, int32_t *comm, const sgae_refine_opts *opts,
                        sgae_refine_result *r)
{
    sgae_status st = SGAE_OK;
    sgae_refine_opts o;
    int64_t *D = NULL;
    int32_t *cnt = NULL, *touched = NULL;
    uint8_t *cand = NULL;
    double t0 = sgae_now();
    SGAE_OPTS_OR_DEFAULTS(o, opts, sgae_refine_opts_default);
    memset(r, 0, sizeof *r);
    const int64_t n = g->n, m2 = g->adj.rowptr ? g->adj.rowptr[n] : 0;
    int64_t bound = cl_id_bound(n, comm);
    if (bound < 0)
        SGAE_FAIL(SGAE_E_ARG, "refine: a community id below -1");
    int64_t K = bound;
    for (int64_t i = 0; i < n; i++)
        if (comm[i] < 0) {
            if (K >= INT32_MAX)
                SGAE_FAIL(SGAE_E_ARG, "refine: too many communities");
            comm[i] = (int32_t)K++; /* unassigned: a singleton */
        }
    {
        int32_t *tmp = sgae_alloc((size_t)K + 1, sizeof *tmp, "refine");
        if (!tmp)
            SGAE_FAIL(SGAE_E_NOMEM, "refine: no memory");
        memset(tmp, 0, ((size_t)K + 1) * sizeof *tmp);
        int64_t used = 0;
        for (int64_t i = 0; i < n; i++)
            if (!tmp[comm[i]]++)
                used++;
        free(tmp);
        r->communities_before = used;
    }
    SGAE_CHECK(sgae_modularity(g, comm, &r->modularity_before));
    r->modularity_after = r->modularity_before;
    if (m2 == 0 || o.max_rounds < 1)
        goto finish;
    const int nt = SGAE_NTHREADS();
    if (SGAE_ALLOC_ARRAYS("refine degrees", SGAE_ZARRAY(D, K + 1),
                          SGAE_ZARRAY(cnt, (size_t)nt * (size_t)K),
                          SGAE_ARRAY(touched, (size_t)nt * (size_t)K), SGAE_ARRAY(cand, n)))
        SGAE_FAIL(SGAE_E_NOMEM, "refine: no memory for %lld communities", (long long)K);
    for (int64_t i = 0; i < n; i++)
        D[comm[i]] += g->adj.rowptr[i + 1] - g->adj.rowptr[i];
    for (int64_t round = 0; round < o.max_rounds; round++) {
        int64_t ncand = 0;
#pragma omp parallel num_threads(nt) reduction(+ : ncand)
        {
            acc_t acc = {cnt + (size_t)SGAE_TID() * (size_t)K,
                         touched + (size_t)SGAE_TID() * (size_t)K};
#pragma omp for schedule(dynamic, 1024)
            for (int64_t i = 0; i < n; i++) {
                int32_t to;
                cand[i] = best_move(g, comm, D, m2, i, &acc, &to) > 0;
                ncand += cand[i];
            }
        }
        int64_t moves = 0;
        if (ncand > 0) {
            acc_t acc = {cnt, touched};
            for (int64_t i = 0; i < n; i++) {
                if (!cand[i])
                    continue;
                int32_t to;
                if (best_move(g, comm, D, m2, i, &acc, &to) > 0) {
                    int64_t ki = g->adj.rowptr[i + 1] - g->adj.rowptr[i];
                    D[comm[i]] -= ki;
                    D[to] += ki;
                    comm[i] = to;
                    moves++;
                }
            }
        }
        r->rounds = round + 1;
        r->moves += moves;
        sgae_progress_emit(&o.progress, "refine", round + 1, o.max_rounds);
        if (moves == 0)
            break;
    }
    sgae_progress_emit(&o.progress, "refine", -1, o.max_rounds);
    SGAE_CHECK(sgae_modularity(g, comm, &r->modularity_after));
finish:
    {
        int64_t c = cl_compact(n, comm);
        if (c < 0)
            SGAE_FAIL(SGAE_E_NOMEM, "refine: no memory");
        r->communities_after = c;
    }
    r->seconds = sgae_now() - t0;
done:
    SGAE_FREE_ALL(D, cnt, touched, cand);
    return st;
}

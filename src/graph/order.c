/* Renumbering nodes for locality: degree order, reverse Cuthill-McKee. */
#include <stdlib.h>
#include <string.h>

#include "graph_sort.h"
#include "internal.h"
#include "sgae/order.h"

const char *sgae_order_name(sgae_order_method m)
{
    switch (m) {
    case SGAE_ORDER_NONE:
        return "none";
    case SGAE_ORDER_DEGREE:
        return "degree";
    case SGAE_ORDER_RCM:
        return "rcm";
    }
    return "?";
}

sgae_status sgae_order_parse(const char *name, sgae_order_method *m)
{
    static const sgae_order_method all[] = {SGAE_ORDER_NONE, SGAE_ORDER_DEGREE, SGAE_ORDER_RCM};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!strcmp(name, sgae_order_name(all[i]))) {
            *m = all[i];
            return SGAE_OK;
        }
    return sgae_error_set(SGAE_E_ARG, "order: unknown method '%s' (want none, degree or rcm)",
                          name);
}

/* Largest degree of g. */
static int64_t max_degree(const sgae_graph *g)
{
    int64_t maxd = 0;
    for (int64_t i = 0; i < g->n; i++)
        if (sgae_graph_degree(g, i) > maxd)
            maxd = sgae_graph_degree(g, i);
    return maxd;
}

/* Nodes sorted by degree, stable: ascending (dir > 0) or descending. */
static sgae_status by_degree(const sgae_graph *g, int dir, int32_t *out)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n, maxd = max_degree(g);
    int64_t *cnt = sgae_calloc((size_t)maxd + 2, sizeof *cnt, "degree counts");
    if (!cnt)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
    for (int64_t i = 0; i < n; i++) {
        int64_t d = sgae_graph_degree(g, i);
        cnt[dir > 0 ? d : maxd - d]++;
    }
    sgae_prefix_sum(cnt, maxd + 1);
    for (int64_t i = 0; i < n; i++) {
        int64_t d = sgae_graph_degree(g, i);
        out[cnt[dir > 0 ? d : maxd - d]++] = (int32_t)i;
    }
done:
    free(cnt);
    return st;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

/* Sort a[0..len): insertion sort for short arrays (most rows: it beats
 * qsort's calls), qsort otherwise. */
static void sort_i64(int64_t *a, int64_t len)
{
    if (len >= 32) {
        qsort(a, (size_t)len, sizeof *a, cmp_i64);
        return;
    }
    for (int64_t i = 1; i < len; i++) {
        int64_t key = a[i], j = i - 1;
        while (j >= 0 && a[j] > key) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = key;
    }
}

static void sort_i32(int32_t *a, int64_t len)
{
    if (len >= 32) {
        qsort(a, (size_t)len, sizeof *a, cmp_i32);
        return;
    }
    sgae_graph_insertion_i32(a, len);
}

/* Cuthill-McKee visit of the component of r: breadth-first from r, the
 * unseen neighbours of each node enqueued by increasing (degree, id).
 * queue[*tail..] receives the component; nb is scratch of max degree
 * entries. */
static void cm_component(const sgae_graph *g, int32_t r, unsigned char *seen, int32_t *queue,
                         int64_t *tail, int64_t *nb)
{
    int64_t head = *tail, t = *tail;
    seen[r] = 1;
    queue[t++] = r;
    while (head < t) {
        int32_t x = queue[head++];
        int64_t m = 0;
        for (int64_t k = g->adj.rowptr[x]; k < g->adj.rowptr[x + 1]; k++) {
            int32_t y = g->adj.col[k];
            if (!seen[y]) {
                seen[y] = 1;
                nb[m++] = (sgae_graph_degree(g, y) << 32) | y;
            }
        }
        sort_i64(nb, m);
        for (int64_t k = 0; k < m; k++)
            queue[t++] = (int32_t)(nb[k] & 0xffffffff);
    }
    *tail = t;
}

/* Reverse Cuthill-McKee: each component from its least-degree node (ties:
 * smallest id), components in that order; the visit order reversed. */
static sgae_status rcm(const sgae_graph *g, int32_t *perm)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n;
    int32_t *seeds = sgae_alloc((size_t)n + 1, sizeof *seeds, "rcm seeds");
    int32_t *queue = seeds ? sgae_alloc((size_t)n + 1, sizeof *queue, "rcm queue") : NULL;
    unsigned char *seen = queue ? sgae_calloc((size_t)n + 1, 1, "rcm marks") : NULL;
    int64_t *nb = seen ? sgae_alloc((size_t)max_degree(g) + 1, sizeof *nb, "rcm neighbours")
                       : NULL;
    if (!nb)
        SGAE_CHECK(SGAE_E_NOMEM);
    SGAE_CHECK(by_degree(g, 1, seeds));
    int64_t tail = 0;
    for (int64_t s = 0; s < n; s++)
        if (!seen[seeds[s]])
            cm_component(g, seeds[s], seen, queue, &tail, nb);
    for (int64_t k = 0; k < n; k++)
        perm[queue[k]] = (int32_t)(n - 1 - k);
done:
    free(seeds);
    free(queue);
    free(seen);
    free(nb);
    return st;
}

sgae_status sgae_order_compute(const sgae_graph *g, sgae_order_method m, int32_t *perm)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n;
    int32_t *order = NULL;
    switch (m) {
    case SGAE_ORDER_NONE:
        for (int64_t i = 0; i < n; i++)
            perm[i] = (int32_t)i;
        break;
    case SGAE_ORDER_DEGREE:
        if (!(order = sgae_alloc((size_t)n + 1, sizeof *order, "degree order")))
            SGAE_CHECK(SGAE_E_NOMEM);
        SGAE_CHECK(by_degree(g, -1, order));
        for (int64_t k = 0; k < n; k++)
            perm[order[k]] = (int32_t)k;
        break;
    case SGAE_ORDER_RCM:
        SGAE_CHECK(rcm(g, perm));
        break;
    default:
        SGAE_FAIL(SGAE_E_ARG, "order: unknown method %d", (int)m);
    }
done:
    free(order);
    return st;
}

/* inv = perm^-1; SGAE_E_ARG when perm is not a permutation of 0..n-1. */
static sgae_status invert_perm(int64_t n, const int32_t *perm, int32_t *inv)
{
    for (int64_t i = 0; i < n; i++)
        inv[i] = -1;
    for (int64_t i = 0; i < n; i++) {
        if (perm[i] < 0 || perm[i] >= n || inv[perm[i]] >= 0)
            return sgae_error_set(SGAE_E_ARG, "order: not a permutation (entry %lld)",
                                  (long long)i);
        inv[perm[i]] = (int32_t)i;
    }
    return SGAE_OK;
}

/* The adjacency renumbered: row r is old row inv[r] with columns mapped by
 * perm and re-sorted, into rp (n + 1 offsets) and col. */
static void permute_rows(const sgae_graph *g, const int32_t *perm, const int32_t *inv,
                         int64_t *rp, int32_t *col)
{
    const int64_t n = g->n;
    rp[0] = 0;
    for (int64_t r = 0; r < n; r++)
        rp[r + 1] = rp[r] + sgae_graph_degree(g, inv[r]);
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t r = 0; r < n; r++) {
        int64_t o = inv[r], w = rp[r];
        for (int64_t k = g->adj.rowptr[o]; k < g->adj.rowptr[o + 1]; k++)
            col[w++] = perm[g->adj.col[k]];
        sort_i32(col + rp[r], w - rp[r]);
    }
}

sgae_status sgae_graph_permute(sgae_graph *g, const int32_t *perm)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n, nnz = g->adj.rowptr[n];
    int32_t *inv = NULL, *col = NULL;
    int64_t *rp = NULL;
    uint64_t *ids = NULL;
    char **names = NULL;
    inv = sgae_alloc((size_t)n + 1, sizeof *inv, "inverse permutation");
    rp = inv ? sgae_alloc((size_t)n + 1, sizeof *rp, "permuted offsets") : NULL;
    col = rp ? sgae_alloc((size_t)(nnz > 0 ? nnz : 1), sizeof *col, "permuted columns") : NULL;
    if (!col)
        SGAE_CHECK(SGAE_E_NOMEM);
    SGAE_CHECK(invert_perm(n, perm, inv));
    if (g->names && !(names = sgae_alloc((size_t)n + 1, sizeof *names, "permuted names")))
        SGAE_CHECK(SGAE_E_NOMEM);
    if ((g->ids || !g->names) && !(ids = sgae_alloc((size_t)n + 1, sizeof *ids, "permuted ids")))
        SGAE_CHECK(SGAE_E_NOMEM);
    permute_rows(g, perm, inv, rp, col);
    /* commit: nothing below can fail */
    for (int64_t r = 0; r < n; r++) {
        int64_t o = inv[r];
        if (names)
            names[r] = g->names[o];
        if (ids)
            ids[r] = sgae_graph_id(g, o);
    }
    if (names) {
        free(g->names);
        g->names = names;
        names = NULL;
    }
    if (ids) {
        free(g->ids);
        g->ids = ids;
        ids = NULL;
    }
    free(g->adj.rowptr);
    free(g->adj.col);
    g->adj.rowptr = rp;
    g->adj.col = col;
    rp = NULL;
    col = NULL;
    sgae_csr_clear(&g->norm);
    free(g->dinv_sqrt);
    g->dinv_sqrt = NULL;
    g->norm_valid = 0;
done:
    free(inv);
    free(rp);
    free(col);
    free(ids);
    free(names);
    return st;
}

sgae_status sgae_graph_reorder(sgae_graph *g, sgae_order_method m)
{
    sgae_status st = SGAE_OK;
    int32_t *perm = NULL;
    if (m == SGAE_ORDER_NONE)
        return SGAE_OK;
    if (!(perm = sgae_alloc((size_t)g->n + 1, sizeof *perm, "permutation")))
        SGAE_CHECK(SGAE_E_NOMEM);
    SGAE_CHECK(sgae_order_compute(g, m, perm));
    SGAE_CHECK(sgae_graph_permute(g, perm));
done:
    free(perm);
    return st;
}

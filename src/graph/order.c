/* Renumbering nodes for locality: degree order, reverse Cuthill-McKee. */
#include <stdlib.h>
#include <string.h>

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

/* Nodes sorted by degree, stable: ascending (dir > 0) or descending. */
static sgae_status by_degree(const sgae_graph *g, int dir, int32_t *out)
{
    int64_t n = g->n, maxd = 0;
    for (int64_t i = 0; i < n; i++)
        if (sgae_graph_degree(g, i) > maxd)
            maxd = sgae_graph_degree(g, i);
    int64_t *cnt = sgae_calloc((size_t)maxd + 2, sizeof *cnt, "degree counts");
    if (!cnt)
        return SGAE_E_NOMEM;
    for (int64_t i = 0; i < n; i++) {
        int64_t d = sgae_graph_degree(g, i);
        cnt[dir > 0 ? d : maxd - d]++;
    }
    sgae_prefix_sum(cnt, maxd + 1);
    for (int64_t i = 0; i < n; i++) {
        int64_t d = sgae_graph_degree(g, i);
        out[cnt[dir > 0 ? d : maxd - d]++] = (int32_t)i;
    }
    free(cnt);
    return SGAE_OK;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static sgae_status rcm(const sgae_graph *g, int32_t *perm)
{
    sgae_status st = SGAE_OK;
    int64_t n = g->n, maxd = 0;
    int32_t *seeds = sgae_alloc((size_t)n + 1, sizeof *seeds, "rcm seeds");
    int32_t *queue = sgae_alloc((size_t)n + 1, sizeof *queue, "rcm queue");
    unsigned char *seen = sgae_calloc((size_t)n + 1, 1, "rcm marks");
    int64_t *nb = NULL;
    if (!seeds || !queue || !seen) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++)
        if (sgae_graph_degree(g, i) > maxd)
            maxd = sgae_graph_degree(g, i);
    nb = sgae_alloc((size_t)maxd + 1, sizeof *nb, "rcm neighbours");
    if (!nb || (st = by_degree(g, 1, seeds)) != SGAE_OK) {
        st = st ? st : SGAE_E_NOMEM;
        goto done;
    }
    /* Cuthill-McKee: each component from its least-degree node; neighbours
     * enqueued by increasing (degree, id) */
    int64_t head = 0, tail = 0;
    for (int64_t s = 0; s < n; s++) {
        int32_t r = seeds[s];
        if (seen[r])
            continue;
        seen[r] = 1;
        queue[tail++] = r;
        while (head < tail) {
            int32_t x = queue[head++];
            int64_t m = 0;
            for (int64_t k = g->adj.rowptr[x]; k < g->adj.rowptr[x + 1]; k++) {
                int32_t y = g->adj.col[k];
                if (!seen[y]) {
                    seen[y] = 1;
                    nb[m++] = (sgae_graph_degree(g, y) << 32) | y;
                }
            }
            if (m < 32) { /* most rows: insertion sort beats qsort's calls */
                for (int64_t a = 1; a < m; a++) {
                    int64_t key = nb[a], b = a - 1;
                    while (b >= 0 && nb[b] > key) {
                        nb[b + 1] = nb[b];
                        b--;
                    }
                    nb[b + 1] = key;
                }
            } else {
                qsort(nb, (size_t)m, sizeof *nb, cmp_i64);
            }
            for (int64_t k = 0; k < m; k++)
                queue[tail++] = (int32_t)(nb[k] & 0xffffffff);
        }
    }
    /* reversed */
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
    int64_t n = g->n;
    sgae_status st = SGAE_OK;
    switch (m) {
    case SGAE_ORDER_NONE:
        for (int64_t i = 0; i < n; i++)
            perm[i] = (int32_t)i;
        return SGAE_OK;
    case SGAE_ORDER_DEGREE: {
        int32_t *order = sgae_alloc((size_t)n + 1, sizeof *order, "degree order");
        if (!order)
            return SGAE_E_NOMEM;
        st = by_degree(g, -1, order);
        if (st == SGAE_OK)
            for (int64_t k = 0; k < n; k++)
                perm[order[k]] = (int32_t)k;
        free(order);
        return st;
    }
    case SGAE_ORDER_RCM:
        return rcm(g, perm);
    }
    return sgae_error_set(SGAE_E_ARG, "order: unknown method %d", (int)m);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

sgae_status sgae_graph_permute(sgae_graph *g, const int32_t *perm)
{
    sgae_status st = SGAE_OK;
    int64_t n = g->n, nnz = g->adj.rowptr[n];
    int32_t *inv = sgae_alloc((size_t)n + 1, sizeof *inv, "inverse permutation");
    int64_t *rp = sgae_alloc((size_t)n + 1, sizeof *rp, "permuted offsets");
    int32_t *col = sgae_alloc((size_t)(nnz > 0 ? nnz : 1), sizeof *col, "permuted columns");
    uint64_t *ids = NULL;
    char **names = NULL;
    if (!inv || !rp || !col) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++)
        inv[i] = -1;
    for (int64_t i = 0; i < n; i++) {
        if (perm[i] < 0 || perm[i] >= n || inv[perm[i]] >= 0) {
            st = sgae_error_set(SGAE_E_ARG, "order: not a permutation (entry %lld)", (long long)i);
            goto done;
        }
        inv[perm[i]] = (int32_t)i;
    }
    if (g->names) {
        names = sgae_alloc((size_t)n + 1, sizeof *names, "permuted names");
        if (!names) {
            st = SGAE_E_NOMEM;
            goto done;
        }
    }
    if (g->ids || !g->names) {
        ids = sgae_alloc((size_t)n + 1, sizeof *ids, "permuted ids");
        if (!ids) {
            st = SGAE_E_NOMEM;
            goto done;
        }
    }
    rp[0] = 0;
    for (int64_t r = 0; r < n; r++)
        rp[r + 1] = rp[r] + sgae_graph_degree(g, inv[r]);
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t r = 0; r < n; r++) {
        int64_t o = inv[r], w = rp[r];
        for (int64_t k = g->adj.rowptr[o]; k < g->adj.rowptr[o + 1]; k++)
            col[w++] = perm[g->adj.col[k]];
        int32_t *c = col + rp[r];
        int64_t len = w - rp[r];
        if (len < 32) {
            for (int64_t a = 1; a < len; a++) {
                int32_t key = c[a];
                int64_t b = a - 1;
                while (b >= 0 && c[b] > key) {
                    c[b + 1] = c[b];
                    b--;
                }
                c[b + 1] = key;
            }
        } else {
            qsort(c, (size_t)len, sizeof *c, cmp_i32);
        }
    }
    /* commit: nothing below can fail */
    for (int64_t r = 0; r < n; r++) {
        int64_t o = inv[r];
        if (names)
            names[r] = g->names[o];
        if (ids)
            ids[r] = g->ids ? g->ids[o] : (uint64_t)o;
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
    if (m == SGAE_ORDER_NONE)
        return SGAE_OK;
    int32_t *perm = sgae_alloc((size_t)g->n + 1, sizeof *perm, "permutation");
    if (!perm)
        return SGAE_E_NOMEM;
    sgae_status st = sgae_order_compute(g, m, perm);
    if (st == SGAE_OK)
        st = sgae_graph_permute(g, perm);
    free(perm);
    return st;
}

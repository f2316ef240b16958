/* Reordering a loaded data set: the graph through sgae_order_compute and
 * sgae_graph_permute (src/graph/order.c), and the rows of the features and
 * the labels with it. */
#include <string.h>

#include "internal.h"
#include "sgae/io.h"

sgae_status sgae_dataset_reorder(sgae_dataset *ds, sgae_order_method m)
{
    sgae_status st = SGAE_OK;
    int32_t *perm = NULL, *lab = NULL;
    sgae_csr nx = {0};
    if (m == SGAE_ORDER_NONE || !ds->graph)
        return SGAE_OK;
    sgae_graph *g = ds->graph;
    int64_t n = g->n;
    sgae_csr *x = ds->features ? &ds->features->x : NULL;
    sgae_labels *l = ds->labels;
    if ((x && x->nrows != n) || (l && l->n != n))
        SGAE_FAIL(SGAE_E_ARG, "order: features or labels do not match the graph");
    perm = sgae_alloc((size_t)n + 1, sizeof *perm, "permutation");
    if (!perm || (l && !(lab = sgae_alloc((size_t)n + 1, sizeof *lab, "permuted labels"))))
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
    SGAE_CHECK(sgae_order_compute(g, m, perm));
    if (x) {
        int64_t nnz = x->rowptr[n];
        nx.nrows = n;
        nx.ncols = x->ncols;
        const size_t cap = (size_t)(nnz > 0 ? nnz : 1);
        nx.rowptr = sgae_alloc((size_t)n + 1, sizeof *nx.rowptr, "permuted feature offsets");
        nx.col = nx.rowptr ? sgae_alloc(cap, sizeof *nx.col, "permuted features") : NULL;
        if (nx.col && x->val)
            nx.val = sgae_alloc(cap, sizeof *nx.val, "permuted feature values");
        if (!nx.col || (x->val && !nx.val))
            SGAE_CHECK(SGAE_E_NOMEM);
        /* the inverse, through the row offsets: count row r's length */
        for (int64_t i = 0; i < n; i++)
            nx.rowptr[perm[i]] = x->rowptr[i + 1] - x->rowptr[i];
        sgae_prefix_sum(nx.rowptr, n);
#pragma omp parallel for schedule(dynamic, 1024)
        for (int64_t i = 0; i < n; i++) {
            int64_t len = x->rowptr[i + 1] - x->rowptr[i], w = nx.rowptr[perm[i]];
            memcpy(nx.col + w, x->col + x->rowptr[i], (size_t)len * sizeof *nx.col);
            if (x->val)
                memcpy(nx.val + w, x->val + x->rowptr[i], (size_t)len * sizeof *nx.val);
        }
    }
    if (l)
        for (int64_t i = 0; i < n; i++)
            lab[perm[i]] = l->label[i];
    SGAE_CHECK(sgae_graph_permute(g, perm)); /* last step that can fail */
    if (x) {
        sgae_csr_clear(x);
        *x = nx;
        memset(&nx, 0, sizeof nx);
    }
    if (l) {
        free(l->label);
        l->label = lab;
        lab = NULL;
    }
done:
    free(perm);
    free(lab);
    sgae_csr_clear(&nx);
    return st;
}

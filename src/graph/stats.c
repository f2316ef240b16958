/* Connected components and the summary statistics of `sgae info`. */
#include <string.h>

#include "internal.h"
#include "sgae/graph.h"

sgae_status sgae_graph_components(const sgae_graph *g, int32_t *comp, int64_t *ncomp)
{
    int64_t n = g->n;
    int32_t *queue = sgae_alloc((size_t)n + 1, sizeof *queue, "component queue");
    if (!queue)
        return SGAE_E_NOMEM;
    for (int64_t i = 0; i < n; i++)
        comp[i] = -1;
    int64_t c = 0;
    for (int64_t s = 0; s < n; s++) {
        if (comp[s] >= 0)
            continue;
        int64_t head = 0, tail = 0;
        queue[tail++] = (int32_t)s;
        comp[s] = (int32_t)c;
        while (head < tail) {
            int32_t x = queue[head++];
            for (int64_t k = g->adj.rowptr[x]; k < g->adj.rowptr[x + 1]; k++) {
                int32_t y = g->adj.col[k];
                if (comp[y] < 0) {
                    comp[y] = (int32_t)c;
                    queue[tail++] = y;
                }
            }
        }
        c++;
    }
    free(queue);
    *ncomp = c;
    return SGAE_OK;
}

sgae_status sgae_graph_stats_compute(const sgae_graph *g, sgae_graph_stats *st)
{
    sgae_status rc = SGAE_OK;
    int64_t n = g->n;
    int32_t *comp = NULL;
    int64_t *hist = NULL, *csize = NULL;
    memset(st, 0, sizeof *st);
    st->nodes = n;
    st->edges = sgae_graph_edges(g);
    st->self_loops = g->self_loops;
    st->duplicates = g->duplicates;
    st->csr_bytes = (n + 1) * (int64_t)sizeof(int64_t) + g->adj.rowptr[n] * (int64_t)sizeof(int32_t);
    if (n == 0)
        return SGAE_OK;
    int64_t dmax = 0, dmin = INT64_MAX, iso = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t d = sgae_graph_degree(g, i);
        if (d > dmax)
            dmax = d;
        if (d < dmin)
            dmin = d;
        iso += d == 0;
    }
    st->deg_min = dmin;
    st->deg_max = dmax;
    st->isolated = iso;
    st->deg_mean = (double)g->adj.rowptr[n] / (double)n;
    hist = sgae_calloc((size_t)dmax + 1, sizeof *hist, "degree histogram");
    comp = sgae_alloc((size_t)n, sizeof *comp, "components");
    if (!hist || !comp) {
        rc = SGAE_E_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++)
        hist[sgae_graph_degree(g, i)]++;
    /* median: mean of the two middle order statistics for even n */
    int64_t lo = (n - 1) / 2, hi = n / 2, seen = 0;
    int64_t dlo = -1, dhi = -1;
    for (int64_t d = 0; d <= dmax; d++) {
        seen += hist[d];
        if (dlo < 0 && seen > lo)
            dlo = d;
        if (dhi < 0 && seen > hi) {
            dhi = d;
            break;
        }
    }
    st->deg_median = 0.5 * (double)(dlo + dhi);
    int64_t nc = 0;
    if ((rc = sgae_graph_components(g, comp, &nc)) != SGAE_OK)
        goto done;
    csize = sgae_calloc((size_t)nc, sizeof *csize, "component sizes");
    if (!csize) {
        rc = SGAE_E_NOMEM;
        goto done;
    }
    for (int64_t i = 0; i < n; i++)
        csize[comp[i]]++;
    int64_t big = 0;
    for (int64_t c = 0; c < nc; c++)
        if (csize[c] > big)
            big = csize[c];
    st->components = nc;
    st->largest_component = big;
done:
    free(hist);
    free(comp);
    free(csize);
    return rc;
}

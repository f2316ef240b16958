/* Connected components and the summary statistics of `sgae info`. */
#include <math.h>
#include <string.h>

#include "internal.h"
#include "sgae/graph.h"

sgae_status sgae_graph_components(const sgae_graph *g, int32_t *comp, int64_t *ncomp)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n;
    int32_t *queue = sgae_alloc((size_t)n + 1, sizeof *queue, "component queue");
    if (!queue)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocator recorded the message */
    for (int64_t i = 0; i < n; i++)
        comp[i] = -1;
    int64_t c = 0;
    for (int64_t s = 0; s < n; s++) {
        if (comp[s] >= 0)
            continue;
        /* breadth-first search from s, the smallest node not reached yet */
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
    *ncomp = c;
done:
    free(queue);
    return st;
}

/* Median degree (the mean of the two middle order statistics for even n)
 * through a degree histogram; n > 0, dmax the largest degree. */
static sgae_status degree_median(const sgae_graph *g, int64_t dmax, double *median)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n;
    int64_t *hist = sgae_calloc((size_t)dmax + 1, sizeof *hist, "degree histogram");
    if (!hist)
        SGAE_CHECK(SGAE_E_NOMEM);
    for (int64_t i = 0; i < n; i++)
        hist[sgae_graph_degree(g, i)]++;
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
    *median = 0.5 * (double)(dlo + dhi);
done:
    free(hist);
    return st;
}

/* Number of connected components and the size of the largest: a visited
 * bitmap (n/8 bytes) and a queue touched only as far as the largest
 * component (an isolated node is a component of one, never queued), so a
 * mostly-isolated graph costs well under a byte per node here. */
static sgae_status component_sizes(const sgae_graph *g, int64_t *ncomp, int64_t *largest)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n;
    int64_t nc = 0, big = 0;
    int32_t *queue = NULL;
    uint64_t *seen = sgae_calloc((size_t)(n + 63) / 64 + 1, sizeof *seen, "components");
    if (!seen || !(queue = sgae_alloc((size_t)n + 1, sizeof *queue, "component queue")))
        SGAE_CHECK(SGAE_E_NOMEM);
    for (int64_t s = 0; s < n; s++) {
        if (seen[s >> 6] >> (s & 63) & 1)
            continue;
        nc++;
        if (sgae_graph_degree(g, s) == 0) {
            if (big < 1)
                big = 1;
            continue;
        }
        int64_t head = 0, tail = 0;
        queue[tail++] = (int32_t)s;
        seen[s >> 6] |= UINT64_C(1) << (s & 63);
        while (head < tail) {
            int32_t x = queue[head++];
            for (int64_t k = g->adj.rowptr[x]; k < g->adj.rowptr[x + 1]; k++) {
                int32_t y = g->adj.col[k];
                if (!(seen[y >> 6] >> (y & 63) & 1)) {
                    seen[y >> 6] |= UINT64_C(1) << (y & 63);
                    queue[tail++] = y;
                }
            }
        }
        if (tail > big)
            big = tail;
    }
    *ncomp = nc;
    *largest = big;
done:
    free(seen);
    free(queue);
    return st;
}

sgae_status sgae_graph_stats_compute(const sgae_graph *g, sgae_graph_stats *out)
{
    sgae_status st = SGAE_OK;
    const int64_t n = g->n;
    sgae_graph_stats s;
    memset(&s, 0, sizeof s);
    s.nodes = n;
    s.edges = sgae_graph_edges(g);
    s.self_loops = g->self_loops;
    s.duplicates = g->duplicates;
    s.csr_bytes = (n + 1) * (int64_t)sizeof(int64_t) + g->adj.rowptr[n] * (int64_t)sizeof(int32_t);
    if (g->adj.val) {
        s.weighted = 1;
        s.csr_bytes += g->adj.rowptr[n] * (int64_t)sizeof(float);
        s.weight_min = s.weight_max = NAN;
        for (int64_t i = 0; i < n; i++)
            for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
                if (g->adj.col[k] > i) {
                    double w = g->adj.val[k];
                    s.weight_total += w;
                    if (!(w >= s.weight_min))
                        s.weight_min = w;
                    if (!(w <= s.weight_max))
                        s.weight_max = w;
                }
    } else {
        s.weight_total = (double)s.edges;
        s.weight_min = s.weight_max = s.edges > 0 ? 1.0 : NAN;
    }
    if (n > 0) {
        int64_t dmax = 0, dmin = INT64_MAX, iso = 0;
        for (int64_t i = 0; i < n; i++) {
            int64_t d = sgae_graph_degree(g, i);
            if (d > dmax)
                dmax = d;
            if (d < dmin)
                dmin = d;
            iso += d == 0;
        }
        s.deg_min = dmin;
        s.deg_max = dmax;
        s.isolated = iso;
        s.deg_mean = (double)g->adj.rowptr[n] / (double)n;
        SGAE_CHECK(degree_median(g, dmax, &s.deg_median));
        SGAE_CHECK(component_sizes(g, &s.components, &s.largest_component));
    }
    *out = s;
done:
    return st;
}

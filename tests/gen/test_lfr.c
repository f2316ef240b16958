/* LFR generator: realised mixing, degree and community-size distributions on
 * a 100k-node graph, structural invariants, determinism across thread counts,
 * argument errors.
 *
 * Tolerances (stated here, checked below):
 *  - mean per-node mu within +-0.03 of the requested mu (computed by a serial
 *    loop in this file, not by the library);
 *  - mean degree within 5% of the requested average; max degree <= max_degree;
 *  - degree tail: least-squares slope of log(density) vs log(degree) over
 *    log-spaced bins in [10, 200] within +-0.3 of -degree_exponent;
 *  - community sizes all in [min, max]; for exponent 1 (log-uniform sizes) the
 *    fraction of communities below the geometric mean of min and max+1 within
 *    0.5 +- 0.1 (about 4 standard deviations at ~370 communities);
 *  - 1 and 2 threads give bit-identical CSR arrays and communities. */
#include <omp.h>
#include <stdint.h>

#include "testutil.h"

/* CSR invariants: sorted unique columns, no self-loops, symmetric. */
static int csr_ok(const sgae_graph *g)
{
    const sgae_csr *a = &g->adj;
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++) {
            int32_t j = a->col[k];
            if (j < 0 || j >= g->n || j == i)
                return 0;
            if (k > a->rowptr[i] && a->col[k - 1] >= j)
                return 0;
            /* binary search i in row j */
            int64_t lo = a->rowptr[j], hi = a->rowptr[j + 1];
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (a->col[mid] < i)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == a->rowptr[j + 1] || a->col[lo] != i)
                return 0;
        }
    return 1;
}

static double serial_mu(const sgae_graph *g, const int32_t *c)
{
    double s = 0;
    int64_t nodes = 0;
    for (int64_t i = 0; i < g->n; i++) {
        int64_t d = sgae_graph_degree(g, i), x = 0;
        if (!d)
            continue;
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
            x += c[g->adj.col[k]] != c[i];
        s += (double)x / (double)d;
        nodes++;
    }
    return s / (double)nodes;
}

/* Least-squares slope of log(density) vs log(degree), bins in [lo, hi). */
static double degree_slope(const sgae_graph *g, double lo, double hi)
{
    double edges[64];
    int nb = 0;
    for (double e = lo; e <= hi * 1.0001 && nb < 63; e *= 1.3)
        edges[nb++] = floor(e);
    int64_t cnt[64] = {0};
    for (int64_t i = 0; i < g->n; i++) {
        double d = (double)sgae_graph_degree(g, i);
        for (int b = 0; b + 1 < nb; b++)
            if (d >= edges[b] && d < edges[b + 1])
                cnt[b]++;
    }
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int m = 0;
    for (int b = 0; b + 1 < nb; b++) {
        if (!cnt[b])
            continue;
        double w = edges[b + 1] - edges[b];
        double x = log(sqrt(edges[b] * (edges[b + 1] - 1))), y = log((double)cnt[b] / w);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
        m++;
    }
    return (m * sxy - sx * sy) / (m * sxx - sx * sx);
}

static void check_graph(const char *what, const sgae_lfr_opts *p, const sgae_graph *g,
                        const int32_t *comm, const sgae_lfr_stats *s, int check_tail)
{
    int64_t n = g->n;
    CHECK_INT(n, p->nodes);
    CHECK_MSG(csr_ok(g), "%s: CSR invariants", what);
    CHECK_INT(g->self_loops, 0);
    int64_t maxd, iso;
    t_degree_stats(g, &maxd, &iso);
    double mean = 2.0 * (double)sgae_graph_edges(g) / (double)n;
    CHECK_MSG(fabs(mean - p->avg_degree) <= 0.05 * p->avg_degree, "%s: mean degree %.3f vs %g",
              what, mean, p->avg_degree);
    CHECK_MSG(maxd <= p->max_degree, "%s: max degree %lld > %lld", what, (long long)maxd,
              (long long)p->max_degree);
    CHECK_INT(iso, 0);
    double mu = serial_mu(g, comm);
    CHECK_MSG(fabs(mu - p->mu) <= 0.03, "%s: realised mu %.4f vs %g", what, mu, p->mu);
    CHECK_MSG(fabs(mu - s->mu_realised) < 1e-9, "%s: stats mu %.6f vs serial %.6f", what,
              s->mu_realised, mu);
    CHECK_INT(s->internal_edges + s->external_edges, sgae_graph_edges(g));

    /* communities: ids 0..C-1, all non-empty, sizes in range */
    int64_t C = s->communities;
    int64_t *size = calloc((size_t)C, sizeof *size);
    int badid = 0;
    for (int64_t i = 0; i < n; i++) {
        if (comm[i] < 0 || comm[i] >= C)
            badid = 1;
        else
            size[comm[i]]++;
    }
    CHECK_MSG(!badid, "%s: community id out of range", what);
    int64_t out_of_range = 0, below = 0;
    double gm = sqrt((double)p->min_community * (double)(p->max_community + 1));
    for (int64_t c = 0; c < C; c++) {
        out_of_range += size[c] < p->min_community || size[c] > p->max_community;
        below += (double)size[c] < gm;
    }
    CHECK_MSG(out_of_range == 0, "%s: %lld community sizes outside [%lld, %lld]", what,
              (long long)out_of_range, (long long)p->min_community, (long long)p->max_community);
    if (p->community_exponent == 1.0) {
        double f = (double)below / (double)C;
        CHECK_MSG(fabs(f - 0.5) <= 0.1, "%s: %.3f of %lld communities below geometric mean", what,
                  f, (long long)C);
    }
    free(size);
    if (check_tail) {
        double slope = degree_slope(g, 10, 200);
        CHECK_MSG(fabs(slope + p->degree_exponent) <= 0.3, "%s: degree slope %.3f vs %g", what,
                  slope, -p->degree_exponent);
        printf("%s: n %lld, edges %lld, mean degree %.3f, max %lld, mu %.4f, slope %.3f, "
               "%lld communities (%.2f below gm), rewired %lld, dropped %lld\n",
               what, (long long)n, (long long)sgae_graph_edges(g), mean, (long long)maxd, mu,
               slope, (long long)C, (double)below / (double)C, (long long)s->rewired,
               (long long)s->dropped);
    }
}

static int same_graph(const sgae_graph *a, const sgae_graph *b)
{
    if (a->n != b->n || a->adj.rowptr[a->n] != b->adj.rowptr[b->n])
        return 0;
    return !memcmp(a->adj.rowptr, b->adj.rowptr, (size_t)(a->n + 1) * sizeof(int64_t)) &&
           !memcmp(a->adj.col, b->adj.col, (size_t)a->adj.rowptr[a->n] * sizeof(int32_t));
}

int main(void)
{
    sgae_lfr_opts p;
    sgae_lfr_stats s1, s2;
    sgae_graph *g1 = NULL, *g2 = NULL;
    int32_t *c1 = NULL, *c2 = NULL;

    /* 100k nodes, defaults (mu 0.3, tau1 2, tau2 1, avg 20, max 500, 20..1000) */
    sgae_lfr_opts_default(&p);
    p.nodes = 100000;
    p.seed = 42;
    omp_set_num_threads(1);
    CHECK_OK(sgae_gen_lfr(&p, &g1, &c1, &s1));
    omp_set_num_threads(2);
    CHECK_OK(sgae_gen_lfr(&p, &g2, &c2, &s2));
    if (g1 && g2) {
        check_graph("default 100k", &p, g2, c2, &s2, 1);
        CHECK_MSG(same_graph(g1, g2), "1 and 2 threads give different graphs");
        CHECK(!memcmp(c1, c2, (size_t)p.nodes * sizeof *c1));
        CHECK(s1.rewired == s2.rewired && s1.dropped == s2.dropped);
        CHECK(s1.mu_realised == s2.mu_realised);
    }
    sgae_graph_free(g1);
    free(c1);
    g1 = NULL;
    c1 = NULL;

    /* another seed gives another graph */
    p.seed = 43;
    CHECK_OK(sgae_gen_lfr(&p, &g1, &c1, &s1));
    if (g1 && g2)
        CHECK(!same_graph(g1, g2));
    sgae_graph_free(g1);
    sgae_graph_free(g2);
    free(c1);
    free(c2);

    /* other mixing values and exponents, smaller graphs */
    const double mus[] = {0.05, 0.5, 0.8};
    for (int k = 0; k < 3; k++) {
        sgae_lfr_opts_default(&p);
        p.nodes = 30000;
        p.mu = mus[k];
        p.max_degree = 300;
        p.seed = 7 + (uint64_t)k;
        char what[64];
        snprintf(what, sizeof what, "mu %g", mus[k]);
        CHECK_OK(sgae_gen_lfr(&p, &g1, &c1, &s1));
        if (g1)
            check_graph(what, &p, g1, c1, &s1, 0);
        sgae_graph_free(g1);
        free(c1);
    }
    p = t_lfr_opts(100000, 15, 0, 10, 500, -1);
    p.degree_exponent = 2.5;
    p.community_exponent = 1.5;
    CHECK_OK(sgae_gen_lfr(&p, &g1, &c1, &s1));
    if (g1)
        check_graph("tau1 2.5 tau2 1.5", &p, g1, c1, &s1, 1);
    if (g1) { /* tau2 1.5: more small communities than log-uniform */
        int64_t *size = calloc((size_t)s1.communities, sizeof *size), below = 0;
        for (int64_t i = 0; i < p.nodes; i++)
            size[c1[i]]++;
        for (int64_t c = 0; c < s1.communities; c++)
            below += (double)size[c] < sqrt(10.0 * 501.0);
        /* P(s < sqrt(ab)) for density s^-1.5 on [a,b): (1 - (a/b)^(1/4)) / (1 - (a/b)^(1/2)) */
        double r = 10.0 / 501.0, expect = (1 - pow(r, 0.25)) / (1 - pow(r, 0.5));
        double f = (double)below / (double)s1.communities;
        CHECK_MSG(fabs(f - expect) < 0.08, "tau2 1.5: %.3f below gm, expected %.3f", f, expect);
        free(size);
    }
    sgae_graph_free(g1);
    free(c1);

    /* small graph: still valid, deterministic across threads */
    p = t_lfr_opts(500, 10, 40, 10, 60, -1);
    omp_set_num_threads(1);
    CHECK_OK(sgae_gen_lfr(&p, &g1, &c1, &s1));
    omp_set_num_threads(2);
    CHECK_OK(sgae_gen_lfr(&p, &g2, &c2, &s2));
    if (g1 && g2) {
        CHECK(csr_ok(g1));
        CHECK(same_graph(g1, g2));
        CHECK(!memcmp(c1, c2, (size_t)p.nodes * sizeof *c1));
        CHECK_MSG(fabs(serial_mu(g1, c1) - p.mu) < 0.05, "small: mu %.3f", serial_mu(g1, c1));
    }
    sgae_graph_free(g1);
    sgae_graph_free(g2);
    free(c1);
    free(c2);

    /* argument errors */
    sgae_lfr_opts_default(&p);
    p.mu = 0.0;
    p.max_degree = 2000;
    p.max_community = 1000; /* internal degree 2000 cannot fit */
    CHECK_INT(sgae_gen_lfr(&p, &g1, &c1, NULL), SGAE_E_ARG);
    CHECK(g1 == NULL && c1 == NULL);
    CHECK(strstr(sgae_last_error(), "community") != NULL);
    sgae_lfr_opts_default(&p);
    p.avg_degree = 600; /* above max degree */
    CHECK_INT(sgae_gen_lfr(&p, &g1, &c1, NULL), SGAE_E_ARG);
    sgae_lfr_opts_default(&p);
    p.mu = 1.5;
    CHECK_INT(sgae_gen_lfr(&p, &g1, &c1, NULL), SGAE_E_ARG);
    sgae_lfr_opts_default(&p);
    p.min_community = 1;
    CHECK_INT(sgae_gen_lfr(&p, &g1, &c1, NULL), SGAE_E_ARG);
    sgae_lfr_opts_default(&p);
    p.avg_degree = 1.5; /* below the least mean possible with tau1 2, max 500 */
    CHECK_INT(sgae_gen_lfr(&p, &g1, &c1, NULL), SGAE_E_ARG);
    return t_done("gen_lfr");
}

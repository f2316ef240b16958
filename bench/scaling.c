/*
 * scaling - the engine's kernels at 1, 2, ... threads: a speedup table and an
 * SVG plot of speedup against threads.
 *
 * usage: scaling [--d D] [--trials N] [--threads LIST] [--svg FILE] [--json]
 *                [--reorder M] [--only LIST] [--no-grb] GRAPH
 *
 * To add a measurement: write a `static int run_NAME(ctx *c)` below, set up
 * what it needs in `ctx_setup`, and add a row to `kernels[]`.  Every kernel
 * with an `out` function is verified after each timed run: its output must
 * be bit-identical at every thread count (the kernels are deterministic),
 * and SpMM's also within 1e-5 of the serial loop.  `train_epoch` (one VGAE
 * epoch of sgae/model.h: forward, backward, Adam; featureless, defaults)
 * changes the model at every run, so it is checked only for a finite loss.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "common.h"
#include "sgae/model.h"
#include "sgae/order.h"

typedef struct {
    const sgae_csr *A;
    int64_t n, d;
    float *H, *Y, *Yref;
    /* decoder pairs: the graph's edges (u < v) followed by as many random
     * pairs, as in one training epoch */
    int64_t m;
    int32_t *u, *v;
    float *s, *g, *dZ;
    sgae_pairmat pm;
    GrB_Matrix GA, GH, GC;
    int grb;
    sgae_graph *gr;
    sgae_model *model; /* train_epoch */
    int64_t epoch;
    double neg_ratio;
    bench_triad triad;
    int have_triad;
    /* train_epoch: phase seconds of the timed runs, per thread count */
    double ph[64][SGAE_PHASE_COUNT];
    int cur_t;
} ctx;

static int run_spmm(ctx *c)
{
    sgae_spmm(c->A, c->H, c->d, c->Y, 0);
    return 0;
}

static int run_grb(ctx *c)
{
    return bench_grb_mxm(&c->GC, c->GA, c->GH) != GrB_SUCCESS;
}

static int run_scores(ctx *c)
{
    sgae_pair_scores(c->H, c->d, c->m, c->u, c->v, c->s);
    return 0;
}

static int run_pairmat(ctx *c)
{
    return sgae_pairmat_build(&c->pm, c->n, c->m, c->u, c->v) != SGAE_OK;
}

static int run_scatter(ctx *c)
{
    memset(c->dZ, 0, (size_t)(c->n * c->d) * sizeof *c->dZ);
    sgae_pair_scatter(&c->pm, c->g, c->H, c->d, c->dZ);
    return 0;
}

static int run_triad(ctx *c)
{
    return !(bench_triad_run(&c->triad) > 0);
}

static int run_epoch(ctx *c)
{
    sgae_loss loss;
    double before[SGAE_PHASE_COUNT];
    memcpy(before, sgae_model_phase_seconds(c->model), sizeof before);
    sgae_status st = sgae_model_grad(c->model, c->epoch++, 1, &loss);
    if (st != SGAE_OK) {
        fprintf(stderr, "scaling: train_epoch: %s\n", sgae_last_error());
        return 1;
    }
    sgae_model_adam(c->model);
    const double *after = sgae_model_phase_seconds(c->model);
    for (int p = 0; p < SGAE_PHASE_COUNT; p++)
        c->ph[c->cur_t][p] += after[p] - before[p];
    return !isfinite(loss.total);
}

typedef struct {
    const char *name;
    int (*run)(ctx *c);
    int needs_grb;
    /* the output to check for bit-identity across thread counts (or NULL) */
    const void *(*out)(const ctx *c, size_t *bytes);
} kernel;

static const void *out_y(const ctx *c, size_t *b)
{
    *b = (size_t)(c->n * c->d) * sizeof(float);
    return c->Y;
}
static const void *out_s(const ctx *c, size_t *b)
{
    *b = (size_t)c->m * sizeof(float);
    return c->s;
}
static const void *out_pm(const ctx *c, size_t *b)
{
    *b = (size_t)(2 * c->m) * sizeof(int64_t);
    return c->pm.pair_of;
}
static const void *out_dz(const ctx *c, size_t *b)
{
    *b = (size_t)(c->n * c->d) * sizeof(float);
    return c->dZ;
}

static const kernel kernels[] = {
    {"triad", run_triad, 0, NULL},
    {"spmm", run_spmm, 0, out_y},
    {"grb_mxm", run_grb, 1, NULL},
    {"pair_scores", run_scores, 0, out_s},
    {"pairmat_build", run_pairmat, 0, out_pm},
    {"pair_scatter", run_scatter, 0, out_dz},
    {"train_epoch", run_epoch, 0, NULL},
};
enum { NK = sizeof kernels / sizeof kernels[0] };

static int selected(const char *list, const char *name);

static int ctx_setup(ctx *c, sgae_graph *gr, int64_t d, const char *only)
{
    c->gr = gr;
    if (selected(only, "train_epoch")) {
        sgae_model_opts o;
        sgae_model_opts_default(&o);
        if (c->neg_ratio > 0)
            o.neg_ratio = c->neg_ratio;
        if (sgae_model_create(gr, NULL, &o, &c->model) != SGAE_OK) {
            fprintf(stderr, "scaling: model: %s\n", sgae_last_error());
            return 1;
        }
    }
    if (selected(only, "triad")) {
        if (bench_triad_init(&c->triad, 0))
            return 1;
        c->have_triad = 1;
    }
    c->A = &gr->norm;
    c->n = gr->n;
    c->d = d;
    c->H = bench_dense_random(c->n, d, 42);
    c->Y = malloc((size_t)(c->n * d) * sizeof *c->Y);
    c->Yref = malloc((size_t)(c->n * d) * sizeof *c->Yref);
    c->dZ = malloc((size_t)(c->n * d) * sizeof *c->dZ);
    int64_t e = sgae_graph_edges(gr);
    c->m = 2 * e;
    c->u = malloc((size_t)(c->m + 1) * sizeof *c->u);
    c->v = malloc((size_t)(c->m + 1) * sizeof *c->v);
    c->s = malloc((size_t)(c->m + 1) * sizeof *c->s);
    c->g = malloc((size_t)(c->m + 1) * sizeof *c->g);
    if (!c->H || !c->Y || !c->Yref || !c->dZ || !c->u || !c->v || !c->s || !c->g)
        return 1;
    int64_t k = 0;
    for (int64_t i = 0; i < c->n; i++)
        for (int64_t p = gr->adj.rowptr[i]; p < gr->adj.rowptr[i + 1]; p++)
            if (gr->adj.col[p] > i) {
                c->u[k] = (int32_t)i;
                c->v[k++] = gr->adj.col[p];
            }
#pragma omp parallel for schedule(static)
    for (int64_t q = 0; q < e; q++) {
        c->u[e + q] = (int32_t)sgae_rng_below(7, SGAE_RNG_NEG, 2 * (uint64_t)q, (uint64_t)c->n);
        c->v[e + q] = (int32_t)sgae_rng_below(7, SGAE_RNG_NEG, 2 * (uint64_t)q + 1, (uint64_t)c->n);
    }
#pragma omp parallel for schedule(static)
    for (int64_t q = 0; q < c->m; q++)
        c->g[q] = (float)(sgae_rng_uniform(7, 99, (uint64_t)q) - 0.5);
    sgae_spmm_naive(c->A, c->H, d, c->Yref, 0);
    /* so that pair_scatter can run without pairmat_build */
    return sgae_pairmat_build(&c->pm, c->n, c->m, c->u, c->v) != SGAE_OK;
}

static void ctx_free(ctx *c)
{
    free(c->H);
    free(c->Y);
    free(c->Yref);
    free(c->dZ);
    free(c->u);
    free(c->v);
    free(c->s);
    free(c->g);
    sgae_pairmat_clear(&c->pm);
    sgae_model_free(c->model);
    if (c->have_triad)
        bench_triad_free(&c->triad);
    GrB_Matrix_free(&c->GA);
    GrB_Matrix_free(&c->GH);
    GrB_Matrix_free(&c->GC);
}

/* Speedup against threads: one line per kernel, the ideal as a dashed line. */
static int write_svg(const char *path, const char *title, const int64_t *th, int nt,
                     double sec[][64])
{
    FILE *f = fopen(path, "w");
    if (!f)
        return 1;
    const char *colour[] = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b",
                            "#e377c2"};
    const double W = 640, Hh = 440, L = 60, R = 170, T = 40, B = 50;
    double xmax = (double)th[nt - 1], ymax = xmax;
    for (int k = 0; k < NK; k++)
        for (int t = 0; t < nt; t++)
            if (sec[k][t] > 0 && sec[k][0] / sec[k][t] > ymax)
                ymax = sec[k][0] / sec[k][t];
    ymax = ceil(ymax);
    double xmin = (double)th[0];
    if (xmax <= xmin)
        xmax = xmin + 1;
#define PX(x) (L + ((x) - xmin) / (xmax - xmin) * (W - L - R))
#define PY(y) (Hh - B - (y) / ymax * (Hh - T - B))
    fprintf(f,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
            "font-family=\"sans-serif\" font-size=\"12\">\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n"
            "<text x=\"%.0f\" y=\"22\" font-size=\"14\">",
            W, Hh, L);
    for (const char *p = title; *p; p++) /* escape for XML */
        if (*p == '<')
            fputs("&lt;", f);
        else if (*p == '&')
            fputs("&amp;", f);
        else
            fputc(*p, f);
    fputs("</text>\n", f);
    /* axes, grid, ticks */
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L,
            PY(0), W - R, PY(0));
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"black\"/>\n", L,
            PY(0), L, PY(ymax));
    for (int t = 0; t < nt; t++)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%lld</text>\n",
                PX((double)th[t]), PY(0) + 18, (long long)th[t]);
    double ystep = ymax > 8 ? 2 : ymax > 3 ? 1 : 0.5;
    for (double y = 0; y <= ymax + 1e-9; y += ystep) {
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>\n", L,
                PY(y), W - R, PY(y));
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", L - 6,
                PY(y) + 4, y);
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">threads</text>\n",
            (L + W - R) / 2, Hh - 12);
    fprintf(f,
            "<text x=\"16\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 16 %.1f)\">"
            "speedup over %lld thread%s</text>\n",
            (T + Hh - B) / 2, (T + Hh - B) / 2, (long long)th[0], th[0] > 1 ? "s" : "");
    /* ideal */
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"gray\" "
            "stroke-dasharray=\"5,4\"/>\n",
            PX(xmin), PY(1), PX(xmax), PY(xmax / xmin));
    fprintf(f,
            "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"gray\" "
            "stroke-dasharray=\"5,4\"/><text x=\"%.1f\" y=\"%.1f\">ideal</text>\n",
            W - R + 10, T + 10.0, W - R + 30, T + 10.0, W - R + 36, T + 14.0);
    int row = 1;
    for (int k = 0; k < NK; k++) {
        if (!(sec[k][0] > 0))
            continue;
        const char *col = colour[k % 7];
        fprintf(f, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col);
        for (int t = 0; t < nt; t++)
            if (sec[k][t] > 0)
                fprintf(f, "%.1f,%.1f ", PX((double)th[t]), PY(sec[k][0] / sec[k][t]));
        fputs("\"/>\n", f);
        for (int t = 0; t < nt; t++)
            if (sec[k][t] > 0)
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>\n",
                        PX((double)th[t]), PY(sec[k][0] / sec[k][t]), col);
        fprintf(f,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                "stroke-width=\"2\"/><text x=\"%.1f\" y=\"%.1f\">%s</text>\n",
                W - R + 10, T + 10.0 + 18 * row, W - R + 30, T + 10.0 + 18 * row, col,
                W - R + 36, T + 14.0 + 18 * row, kernels[k].name);
        row++;
    }
#undef PX
#undef PY
    fputs("</svg>\n", f);
    return fclose(f) != 0;
}

/* Is `name` in the comma-separated list (NULL: everything)? */
static int selected(const char *list, const char *name)
{
    if (!list)
        return 1;
    size_t len = strlen(name);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == len && !strncmp(p, name, len))
            return 1;
        p += l + (e != NULL);
    }
    return 0;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: scaling [options] GRAPH\n"
            "Time the engine's kernels (SpMM, GrB_mxm, pair scores, pair-matrix build,\n"
            "pair gradient scatter, one VGAE training epoch) at several thread counts;\n"
            "print a speedup table and write an SVG plot of speedup against threads.\n"
            "GRAPH as for `spmm`.\n"
            "  --d D            width of the dense operands (default 32)\n"
            "  --trials N       timed runs per kernel and thread count (default 5)\n"
            "  --threads LIST   thread counts, e.g. 1,2 (default 1..number of cores)\n"
            "  --svg FILE       plot file (default scaling.svg)\n"
            "  --reorder M      renumber nodes first: none, degree, rcm (default none)\n"
            "  --only LIST      only these kernels, e.g. triad,spmm,train_epoch\n"
            "  --neg-ratio R    negatives per positive of train_epoch (default 10)\n"
            "  --no-grb         skip GraphBLAS\n"
            "  --json           one JSON object per measurement on stdout\n"
            "Exit status: 0 ok, 1 a result differed between thread counts or a failure,\n"
            "2 usage.\n");
}

int main(int argc, char **argv)
{
    int64_t d = 32, th[64];
    int nt = 0, trials = 5, json = 0, grb = 1;
    double neg_ratio = 10;
    const char *path = NULL, *svg = "scaling.svg", *only = NULL, *reorder = "none";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(a, "--json")) {
            json = 1;
        } else if (!strcmp(a, "--no-grb")) {
            grb = 0;
        } else if (!strcmp(a, "--d") && i + 1 < argc) {
            d = atoll(argv[++i]);
            if (d < 1 || d > 4096) {
                fprintf(stderr, "scaling: --d wants 1..4096\n");
                return 2;
            }
        } else if (!strcmp(a, "--trials") && i + 1 < argc) {
            trials = atoi(argv[++i]);
            if (trials < 1 || trials > 1000) {
                fprintf(stderr, "scaling: --trials wants 1..1000\n");
                return 2;
            }
        } else if (!strcmp(a, "--threads") && i + 1 < argc) {
            if (!bench_parse_list(argv[++i], th, 64, &nt)) {
                fprintf(stderr, "scaling: bad --threads '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(a, "--reorder") && i + 1 < argc) {
            reorder = argv[++i];
        } else if (!strcmp(a, "--neg-ratio") && i + 1 < argc) {
            neg_ratio = atof(argv[++i]);
            if (!(neg_ratio > 0)) {
                fprintf(stderr, "scaling: --neg-ratio wants a positive number\n");
                return 2;
            }
        } else if (!strcmp(a, "--only") && i + 1 < argc) {
            only = argv[++i];
        } else if (!strcmp(a, "--svg") && i + 1 < argc) {
            svg = argv[++i];
        } else if (bench_arg_graph("scaling", a, &path, usage)) {
            return 2;
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    sgae_order_method om;
    if (sgae_order_parse(reorder, &om) != SGAE_OK) {
        fprintf(stderr, "scaling: %s\n", sgae_last_error());
        return 2;
    }
    if (nt == 0) {
        int p = omp_get_num_procs();
        for (nt = 0; nt < p && nt < 64; nt++)
            th[nt] = nt + 1;
    }
    int rc = 1, grb_init = 0;
    ctx c;
    memset(&c, 0, sizeof c);
    c.neg_ratio = neg_ratio;
    static double sec[NK][64];
    double *ts = malloc((size_t)trials * 64 * sizeof *ts);
    void *first[NK] = {0};
    sgae_graph *gr = NULL;
    double load_s;
    if (bench_graph_open(path, &gr, &load_s) != SGAE_OK || sgae_graph_reorder(gr, om) != SGAE_OK ||
        sgae_graph_norm(gr) != SGAE_OK) {
        fprintf(stderr, "scaling: %s: %s\n", path, sgae_last_error());
        goto done;
    }
    fprintf(stderr, "scaling: %s: %lld nodes, %lld nonzeros, loaded in %.2f s\n", path,
            (long long)gr->n, (long long)gr->norm.rowptr[gr->n], load_s);
    if (!ts || ctx_setup(&c, gr, d, only)) {
        fprintf(stderr, "scaling: out of memory\n");
        goto done;
    }
    if (grb) {
        if (GrB_init(GrB_NONBLOCKING) != GrB_SUCCESS || (grb_init = 1, 0) ||
            bench_grb_csr(c.A, &c.GA) != GrB_SUCCESS ||
            bench_grb_dense(&c.H, c.n, d, &c.GH) != GrB_SUCCESS) {
            fprintf(stderr, "scaling: GraphBLAS setup failed\n");
            goto done;
        }
        c.grb = 1;
    }
    rc = 0;
    /* Kernel by kernel; the trials cycle through the thread counts (1, 2,
     * ..., 1, 2, ...) so that a change in the machine's load hits every
     * thread count alike.  Medians per thread count. */
    for (int k = 0; k < NK; k++) {
        const kernel *K = &kernels[k];
        for (int t = 0; t < nt; t++)
            sec[k][t] = NAN;
        if ((K->needs_grb && !c.grb) || !selected(only, K->name))
            continue;
        /* H is lent to GraphBLAS: let the other kernels see it */
        if (c.grb && !K->needs_grb && bench_grb_dense_release(&c.GH, &c.H, c.n, d)) {
            rc = 1;
            goto done;
        }
        int bad = 0, okt[64];
        for (int r = -1; r < trials && !bad; r++) { /* r = -1: warm-up */
            for (int t = 0; t < nt && !bad; t++) {
                omp_set_num_threads((int)th[t]);
                c.cur_t = r >= 0 ? t : 63; /* slot 63: the warm-up's phases */
                if (grb)
                    GxB_Global_Option_set(GxB_NTHREADS, (int)th[t]);
                double t0 = bench_now();
                bad = K->run(&c);
                if (r >= 0)
                    ts[(int64_t)t * trials + r] = bench_now() - t0;
                /* verification: the same bits at every thread count */
                int ok = !bad;
                if (ok && K->out) {
                    size_t bytes;
                    const void *o = K->out(&c, &bytes);
                    if (!first[k]) {
                        first[k] = malloc(bytes ? bytes : 1);
                        if (first[k])
                            memcpy(first[k], o, bytes);
                    } else {
                        ok = !memcmp(first[k], o, bytes);
                    }
                }
                if (ok && K->run == run_spmm && r < 0)
                    ok = bench_rel_err(c.Y, c.Yref, c.n * d) <= 1e-5;
                if (r < 0)
                    okt[t] = ok;
                else
                    okt[t] &= ok;
            }
        }
        if (c.grb && !K->needs_grb && bench_grb_dense(&c.H, c.n, d, &c.GH)) {
            rc = 1;
            goto done;
        }
        for (int t = 0; t < nt; t++) {
            int ok = !bad && okt[t];
            sec[k][t] = bad ? NAN : bench_median(ts + (int64_t)t * trials, trials);
            if (!ok) {
                rc = 1;
                fprintf(stderr, "scaling: %s at %lld threads: %s\n", K->name, (long long)th[t],
                        bad ? "failed" : "result differs");
            }
            if (json) {
                cli_json j;
                bench_json_begin(&j);
                cli_json_str(&j, "bench", "scaling");
                cli_json_str(&j, "kernel", K->name);
                cli_json_str(&j, "graph", path);
                cli_json_str(&j, "order", reorder);
                cli_json_int(&j, "n", c.n);
                cli_json_int(&j, "nnz", c.A->rowptr[c.n]);
                cli_json_int(&j, "pairs", c.m);
                cli_json_int(&j, "d", d);
                cli_json_int(&j, "threads", th[t]);
                cli_json_num(&j, "seconds", sec[k][t]);
                cli_json_num(&j, "speedup", sec[k][0] / sec[k][t]);
                cli_json_bool(&j, "verified", ok);
                cli_json_end(&j);
            }
        }
    }
    if (!json) {
        printf("%-14s", "kernel");
        for (int t = 0; t < nt; t++)
            printf("  %3lld thr (s)  speedup", (long long)th[t]);
        printf("\n");
        for (int k = 0; k < NK; k++) {
            if (!(sec[k][0] > 0))
                continue;
            printf("%-14s", kernels[k].name);
            for (int t = 0; t < nt; t++)
                printf("  %12.4f  %7.2f", sec[k][t], sec[k][0] / sec[k][t]);
            printf("\n");
        }
    }
    if (c.model && c.epoch > 0) { /* where the epochs' time went, per thread count */
        int ke = -1, ks = -1, kt = -1;
        for (int k = 0; k < NK; k++) {
            if (kernels[k].run == run_epoch)
                ke = k;
            if (kernels[k].run == run_spmm)
                ks = k;
            if (kernels[k].run == run_triad)
                kt = k;
        }
        for (int t = 0; t < nt; t++) {
            printf("train_epoch %lld thr: phases per epoch (mean of %d):", (long long)th[t],
                   trials);
            for (int p = 0; p < SGAE_PHASE_COUNT; p++)
                printf(" %s %.4f s", sgae_phase_name((sgae_phase)p), c.ph[t][p] / trials);
            if (sec[ks][t] > 0)
                printf("; epoch / spmm = %.2f", sec[ke][t] / sec[ks][t]);
            if (kt >= 0 && sec[kt][t] > 0)
                printf("; triad %.1f GB/s", bench_triad_to_gbps(&c.triad, sec[kt][t]));
            printf("\n");
        }
    }
    char title[256];
    snprintf(title, sizeof title, "sgae kernels, d = %lld, %lld nodes, %lld nonzeros, order %s",
             (long long)d, (long long)c.n, (long long)c.A->rowptr[c.n], reorder);
    if (write_svg(svg, title, th, nt, sec)) {
        fprintf(stderr, "scaling: cannot write %s\n", svg);
        rc = 1;
    } else {
        fprintf(stderr, "scaling: plot written to %s\n", svg);
    }
done:
    for (int k = 0; k < NK; k++)
        free(first[k]);
    ctx_free(&c);
    if (grb_init)
        GrB_finalize();
    free(ts);
    sgae_graph_free(gr);
    return rc;
}

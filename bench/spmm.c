/*
 * spmm - benchmark of Y = A H, A the GCN operator D^-1/2 (A+I) D^-1/2 of a
 * graph, H dense n x d: sgae_spmm against GraphBLAS GrB_mxm on the same
 * matrices and a naive OpenMP CSR loop, in the same run as a STREAM triad.
 * Every kernel's result is verified against the serial reference loop.
 *
 * usage: spmm [--d D[,D...]] [--trials N] [--threads T] [--json] [--no-grb]
 *             [--reorder M[,M...]] GRAPH
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "common.h"
#include "sgae/order.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: spmm [options] GRAPH\n"
            "Time Y = A H (A = D^-1/2 (A+I) D^-1/2 of GRAPH, H dense n x d) with\n"
            "sgae_spmm, GraphBLAS GrB_mxm and a naive OpenMP CSR loop, next to a\n"
            "STREAM triad taken in the same run (each trial runs all four in turn);\n"
            "verify each against a serial loop.\n"
            "GRAPH is a file in any format sgae reads, or a generator\n"
            "chunglu:N:AVGDEG[:MU[:KMAX[:SEED]]] (see bench/README.md).\n"
            "  --d D[,D...]     widths of H (default 32)\n"
            "  --trials N       timed runs per kernel; medians reported (default 5)\n"
            "  --threads T      OpenMP threads (default: all)\n"
            "  --reorder M[,M]  node numberings to compare, each of none, degree, rcm\n"
            "                   (default none); all are timed in the same trials\n"
            "  --no-grb         skip GraphBLAS\n"
            "  --json           one JSON object per measurement on stdout\n"
            "Exit status: 0 all verified, 1 a result was wrong or a failure, 2 usage.\n");
}

/* The naive OpenMP CSR loop: rows shared out dynamically, y in memory. */
static void spmm_naive_omp(const sgae_csr *A, const float *H, int64_t d, float *Y)
{
    const int64_t *rp = A->rowptr;
    const int32_t *ci = A->col;
    const float *av = A->val;
#pragma omp parallel for schedule(dynamic, 256)
    for (int64_t i = 0; i < A->nrows; i++) {
        float *y = Y + i * d;
        memset(y, 0, (size_t)d * sizeof *y);
        for (int64_t k = rp[i]; k < rp[i + 1]; k++) {
            float a = av[k];
            const float *h = H + (int64_t)ci[k] * d;
            for (int64_t c = 0; c < d; c++)
                y[c] += a * h[c];
        }
    }
}

/* One numbering of the graph under test and its per-width results. */
typedef struct {
    sgae_order_method om;
    sgae_graph *g;
    GrB_Matrix GA;
    float *Y, *Yn, *Yref;
    double *to, *tn, *tg; /* per-trial seconds: ours, naive, GrB */
    double serial_s, order_s;
} variant;

enum { MAXV = 3 };

int main(int argc, char **argv)
{
    int64_t ds[16] = {32};
    int nd = 1, trials = 5, json = 0, grb = 1;
    int threads = omp_get_max_threads();
    const char *path = NULL, *reorder = "none";
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r;
        if ((r = bench_arg_std(a, &json, usage)) == 2)
            return 0;
        if (r)
            continue;
        if (!strcmp(a, "--no-grb")) {
            grb = 0;
        } else if ((r = bench_arg_list("spmm", argc, argv, &i, "--d", ds, 16, &nd)) ||
                   (r = bench_arg_int("spmm", argc, argv, &i, "--trials", 1, 1000, &trials)) ||
                   (r = bench_arg_int("spmm", argc, argv, &i, "--threads", 1, 1024, &threads))) {
            if (r < 0)
                return 2;
        } else if (!strcmp(a, "--reorder") && i + 1 < argc) {
            reorder = argv[++i];
        } else if (bench_arg_graph("spmm", a, &path, usage)) {
            return 2;
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    variant v[MAXV];
    memset(v, 0, sizeof v);
    int nv = 0;
    {
        char buf[256];
        snprintf(buf, sizeof buf, "%s", reorder);
        for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
            if (nv == MAXV || sgae_order_parse(tok, &v[nv].om) != SGAE_OK) {
                fprintf(stderr, "spmm: bad --reorder '%s' (at most %d of none, degree, rcm)\n",
                        reorder, MAXV);
                return 2;
            }
            nv++;
        }
        if (nv == 0) {
            fprintf(stderr, "spmm: empty --reorder\n");
            return 2;
        }
    }
    omp_set_num_threads(threads);
    int rc = 1, grb_init = 0;
    GrB_Matrix GH = NULL, GC = NULL;
    float *H = NULL;
    double *ts = malloc((size_t)trials * (1 + 3 * MAXV) * sizeof *ts);
    double *tt = ts;
    bench_triad tri = {0};
    if (!ts)
        goto done;
    for (int o = 0; o < nv; o++) {
        v[o].to = ts + trials * (1 + 3 * o);
        v[o].tn = v[o].to + trials;
        v[o].tg = v[o].tn + trials;
    }

    if (grb) {
        if (GrB_init(GrB_NONBLOCKING) != GrB_SUCCESS) {
            fprintf(stderr, "spmm: GrB_init failed\n");
            goto done;
        }
        grb_init = 1;
        GxB_Global_Option_set(GxB_NTHREADS, threads);
    }
    int64_t n = 0, nnz = 0;
    for (int o = 0; o < nv; o++) {
        double load_s;
        if (bench_graph_open(path, &v[o].g, &load_s) != SGAE_OK) {
            fprintf(stderr, "spmm: %s: %s\n", path, sgae_last_error());
            goto done;
        }
        double t0 = bench_now();
        if (sgae_graph_reorder(v[o].g, v[o].om) != SGAE_OK) {
            fprintf(stderr, "spmm: reorder: %s\n", sgae_last_error());
            goto done;
        }
        v[o].order_s = bench_now() - t0;
        if (sgae_graph_norm(v[o].g) != SGAE_OK) {
            fprintf(stderr, "spmm: %s\n", sgae_last_error());
            goto done;
        }
        n = v[o].g->n;
        nnz = v[o].g->norm.rowptr[n];
        fprintf(stderr, "spmm: %s: %lld nodes, %lld nonzeros (with self-loops), loaded in %.2f s, "
                "order %s in %.2f s\n", path, (long long)n, (long long)nnz, load_s,
                sgae_order_name(v[o].om), v[o].order_s);
        if (grb && bench_grb_csr(&v[o].g->norm, &v[o].GA) != GrB_SUCCESS) {
            fprintf(stderr, "spmm: cannot build the GraphBLAS matrix\n");
            goto done;
        }
    }
    if (bench_triad_init(&tri, 0)) {
        fprintf(stderr, "spmm: out of memory for the triad arrays\n");
        goto done;
    }

    rc = 0;
    for (int di = 0; di < nd; di++) {
        int64_t d = ds[di];
        free(H);
        H = bench_dense_random(n, d, 42);
        int oom = !H;
        for (int o = 0; o < nv; o++) {
            free(v[o].Y);
            free(v[o].Yn);
            free(v[o].Yref);
            v[o].Y = malloc((size_t)(n * d) * sizeof(float));
            v[o].Yn = malloc((size_t)(n * d) * sizeof(float));
            v[o].Yref = malloc((size_t)(n * d) * sizeof(float));
            oom |= !v[o].Y || !v[o].Yn || !v[o].Yref;
        }
        if (oom) {
            fprintf(stderr, "spmm: out of memory for d = %lld\n", (long long)d);
            rc = 1;
            goto done;
        }
        for (int o = 0; o < nv; o++) {
            double t0 = bench_now();
            sgae_spmm_naive(&v[o].g->norm, H, d, v[o].Yref, 0);
            v[o].serial_s = bench_now() - t0;
        }

        /* Each trial runs the triad, then ours, the naive loop and GrB_mxm
         * on every numbering, one after the other, so that a change in the
         * machine's load (it is shared) hits them alike; the first round
         * is a warm-up. */
        for (int r = -1; r < trials; r++) {
            double x = bench_triad_run(&tri);
            if (r >= 0)
                tt[r] = x;
            for (int o = 0; o < nv; o++) {
                const sgae_csr *A = &v[o].g->norm;
                double t0 = bench_now();
                sgae_spmm(A, H, d, v[o].Y, 0);
                if (r >= 0)
                    v[o].to[r] = bench_now() - t0;
                t0 = bench_now();
                spmm_naive_omp(A, H, d, v[o].Yn);
                if (r >= 0)
                    v[o].tn[r] = bench_now() - t0;
                if (grb) {
                    if (bench_grb_dense(&H, n, d, &GH) != GrB_SUCCESS) {
                        fprintf(stderr, "spmm: GraphBLAS: cannot wrap H\n");
                        rc = 1;
                        goto done;
                    }
                    t0 = bench_now();
                    GrB_Info info = bench_grb_mxm(&GC, v[o].GA, GH);
                    if (r >= 0)
                        v[o].tg[r] = bench_now() - t0;
                    if (bench_grb_dense_release(&GH, &H, n, d) != GrB_SUCCESS ||
                        info != GrB_SUCCESS) {
                        fprintf(stderr, "spmm: GraphBLAS failed (%d)\n", (int)info);
                        rc = 1;
                        goto done;
                    }
                    if (r == trials - 1) { /* keep the last result to verify */
                        info = bench_grb_to_dense(GC, n, d, v[o].Yn);
                        if (info != GrB_SUCCESS) {
                            fprintf(stderr, "spmm: GraphBLAS failed (%d)\n", (int)info);
                            rc = 1;
                            goto done;
                        }
                    }
                    GrB_Matrix_free(&GC);
                }
            }
        }
        double triad = bench_triad_to_gbps(&tri, bench_min(tt, trials));
        for (int o = 0; o < nv; o++) {
            variant *V = &v[o];
            double best = bench_min(V->to, trials), ours = bench_median(V->to, trials);
            double naive = bench_median(V->tn, trials);
            double err = bench_rel_err(V->Y, V->Yref, n * d);
            /* Yn holds GrB's result when GrB ran, else the naive loop's */
            double grb_s = NAN, grb_err = NAN, naive_err = NAN;
            if (grb) {
                grb_s = bench_median(V->tg, trials);
                grb_err = bench_rel_err(V->Yn, V->Yref, n * d);
                spmm_naive_omp(&V->g->norm, H, d, V->Yn);
            }
            naive_err = bench_rel_err(V->Yn, V->Yref, n * d);
            int ok = err <= 1e-5 && naive_err <= 1e-5 && (!grb || grb_err <= 1e-5);
            if (!ok)
                rc = 1;
            double bytes = (8.0 + 4.0 * (double)d) * (double)nnz;
            double eff = bytes / ours / 1e9;
            const char *oname = sgae_order_name(V->om);
            if (json) {
                cli_json j;
                bench_json_begin(&j);
                cli_json_str(&j, "bench", "spmm");
                cli_json_str(&j, "graph", path);
                cli_json_str(&j, "order", oname);
                cli_json_num(&j, "order_seconds", V->order_s);
                cli_json_int(&j, "n", n);
                cli_json_int(&j, "nnz", nnz);
                cli_json_int(&j, "d", d);
                cli_json_int(&j, "threads", threads);
                cli_json_int(&j, "trials", trials);
                cli_json_num(&j, "seconds", ours);
                cli_json_num(&j, "seconds_min", best);
                cli_json_num(&j, "grb_seconds", grb_s);
                cli_json_num(&j, "naive_seconds", naive);
                cli_json_num(&j, "serial_seconds", V->serial_s);
                cli_json_num(&j, "nnz_per_s", (double)nnz / ours);
                cli_json_num(&j, "eff_gbps", eff);
                cli_json_num(&j, "triad_gbps", triad);
                cli_json_num(&j, "triad_fraction", eff / triad);
                cli_json_num(&j, "speedup_vs_grb", grb_s / ours);
                cli_json_num(&j, "speedup_vs_naive", naive / ours);
                cli_json_num(&j, "speedup_vs_first_order",
                               bench_median(v[0].to, trials) / ours);
                cli_json_num(&j, "rel_err", err);
                cli_json_num(&j, "grb_rel_err", grb_err);
                cli_json_num(&j, "naive_rel_err", naive_err);
                cli_json_bool(&j, "verified", ok);
                cli_json_end(&j);
            } else {
                char gtxt[64] = "GrB_mxm skipped";
                if (grb)
                    snprintf(gtxt, sizeof gtxt, "GrB_mxm %.4f s (x%.2f)", grb_s, grb_s / ours);
                printf("spmm d=%lld threads=%d nnz=%lld order=%s: sgae %.4f s (%.1f Mnnz/s, "
                       "%.2f GB/s = %.0f%% of triad %.1f GB/s) | %s | naive omp %.4f s (x%.2f) | "
                       "serial %.3f s | %s\n",
                       (long long)d, threads, (long long)nnz, oname, ours,
                       (double)nnz / ours / 1e6, eff, 100.0 * eff / triad, triad, gtxt, naive,
                       naive / ours, V->serial_s, ok ? "verified" : "WRONG");
                fflush(stdout);
            }
            if (!ok)
                fprintf(stderr, "spmm: d=%lld order %s: relative errors sgae %.3g, naive %.3g, "
                        "GrB %.3g\n", (long long)d, oname, err, naive_err, grb_err);
        }
    }
done:
    GrB_Matrix_free(&GH);
    GrB_Matrix_free(&GC);
    for (int o = 0; o < nv; o++) {
        GrB_Matrix_free(&v[o].GA);
        free(v[o].Y);
        free(v[o].Yn);
        free(v[o].Yref);
        sgae_graph_free(v[o].g);
    }
    if (grb_init)
        GrB_finalize();
    free(H);
    free(ts);
    bench_triad_free(&tri);
    return rc;
}

/*
 * isa - the SpMM and pair kernels compiled for each instruction set
 * (x86-64 baseline, x86-64-v3 = AVX2, x86-64-v4 = AVX-512, -march=native;
 * src/kernels/meson.build builds them under renamed symbols), timed side by
 * side in one process and checked to give the same bits.
 *
 * This is what a portable build costs against a native one, measured so
 * that the load of a shared machine hits every variant alike: each trial
 * runs every variant once, in an order rotated from trial to trial.
 *
 * usage: isa [--d D[,D...]] [--trials N] [--threads T] [--json] GRAPH
 */
#include <stdlib.h>
#include <string.h>

#include <omp.h>

#include "common.h"

typedef void (*spmm_fn)(const sgae_csr *, const float *, const int64_t *, const float *, int64_t,
                        float *, int);
typedef void (*scores_fn)(const float *, int64_t, int64_t, const int32_t *, const int32_t *,
                          float *);
typedef void (*scatter_fn)(sgae_pairmat *, const float *, const float *, int64_t, float *);

#define VARIANT_DECL(p)                                                                    \
    void sgae_isa_##p##_kern_spmm(const sgae_csr *, const float *, const int64_t *,          \
                                  const float *, int64_t, float *, int);                     \
    void sgae_isa_##p##_pair_scores(const float *, int64_t, int64_t, const int32_t *,        \
                                    const int32_t *, float *);                               \
    void sgae_isa_##p##_pair_scatter(sgae_pairmat *, const float *, const float *, int64_t,  \
                                     float *);
#define VARIANT(p, name, cpu)                                                              \
    {name, cpu, sgae_isa_##p##_kern_spmm, sgae_isa_##p##_pair_scores,                        \
     sgae_isa_##p##_pair_scatter}

typedef struct {
    const char *name, *cpu; /* cpu: __builtin_cpu_supports name, NULL = always */
    spmm_fn spmm;
    scores_fn scores;
    scatter_fn scatter;
} variant;

#ifdef SGAE_ISA_BASE
VARIANT_DECL(base)
#endif
#ifdef SGAE_ISA_V3
VARIANT_DECL(v3)
#endif
#ifdef SGAE_ISA_V4
VARIANT_DECL(v4)
#endif
#ifdef SGAE_ISA_NATIVE
VARIANT_DECL(native)
#endif

static const variant all[] = {
#ifdef SGAE_ISA_BASE
    VARIANT(base, "x86-64", NULL),
#endif
#ifdef SGAE_ISA_V3
    VARIANT(v3, "x86-64-v3", "x86-64-v3"),
#endif
#ifdef SGAE_ISA_V4
    VARIANT(v4, "x86-64-v4", "x86-64-v4"),
#endif
#ifdef SGAE_ISA_NATIVE
    VARIANT(native, "native", NULL), /* built here: runs here */
#endif
};
enum { NALL = sizeof all / sizeof all[0], NK = 3 };
static const char *kname[NK] = {"spmm", "pair_scores", "pair_scatter"};

static void usage(FILE *f)
{
    fprintf(f, "usage: isa [options] GRAPH\n"
               "Time sgae's SpMM (Y = A H, A the GCN operator of GRAPH), pair scores and\n"
               "pair scatter (the edges u < v plus as many random pairs) compiled for each\n"
               "instruction set this CPU runs, interleaved in one process; check that all\n"
               "give the bits of the x86-64 baseline.  GRAPH as for `spmm`.\n"
               "  --d D[,D...]   widths (default 16,32,64)\n"
               "  --trials N     timed rounds, every variant once per round (default 9)\n"
               "  --threads T    OpenMP threads (default: all)\n"
               "  --json         one JSON object per kernel, width and variant\n"
               "Exit status: 0 all bit-identical, 1 a difference or a failure, 2 usage.\n");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    int64_t ds[16] = {16, 32, 64};
    int nd = 3, trials = 9, json = 0;
    const char *path = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int r, t = 0;
        if ((r = bench_arg_std(a, &json, usage)) == 2)
            return 0;
        if (r)
            continue;
        if ((r = bench_arg_list("isa", argc, argv, &i, "--d", ds, 16, &nd)) ||
            (r = bench_arg_int("isa", argc, argv, &i, "--trials", 1, 1000, &trials)) ||
            (r = bench_arg_int("isa", argc, argv, &i, "--threads", 1, 4096, &t))) {
            if (r < 0)
                return 2;
            if (t)
                omp_set_num_threads(t);
        } else if (bench_arg_graph("isa", a, &path, usage)) {
            return 2;
        }
    }
    if (!path) {
        usage(stderr);
        return 2;
    }
    variant v[NALL];
    int nv = 0;
    __builtin_cpu_init();
    for (int k = 0; k < NALL; k++)
        if (!all[k].cpu || (!strcmp(all[k].cpu, "x86-64-v3") && __builtin_cpu_supports("x86-64-v3")) ||
            (!strcmp(all[k].cpu, "x86-64-v4") && __builtin_cpu_supports("x86-64-v4")))
            v[nv++] = all[k];
    if (nv == 0 || strcmp(v[0].name, "x86-64")) {
        fprintf(stderr, "isa: no x86-64 baseline variant built\n");
        return 1;
    }

    sgae_graph *g = NULL;
    double load_s;
    if (bench_graph_open(path, &g, &load_s) != SGAE_OK || sgae_graph_norm(g) != SGAE_OK) {
        fprintf(stderr, "isa: %s\n", sgae_last_error());
        sgae_graph_free(g);
        return 1;
    }
    const int64_t n = g->n, e = sgae_graph_edges(g), m = 2 * e;
    int32_t *pu = malloc((size_t)(m > 0 ? m : 1) * sizeof *pu);
    int32_t *pv = malloc((size_t)(m > 0 ? m : 1) * sizeof *pv);
    float *gv = malloc((size_t)(m > 0 ? m : 1) * sizeof *gv);
    sgae_pairmat pm = {0};
    int rc = 0;
    if (!pu || !pv || !gv) {
        fprintf(stderr, "isa: out of memory\n");
        rc = 1;
        goto done;
    }
    {
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++)
            for (int64_t q = g->adj.rowptr[i]; q < g->adj.rowptr[i + 1]; q++)
                if (g->adj.col[q] > i) {
                    pu[k] = (int32_t)i;
                    pv[k] = g->adj.col[q];
                    k++;
                }
        uint64_t x = 88172645463325252ull;
        for (; k < m; k++) { /* random pairs (xorshift) */
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            pu[k] = (int32_t)(x % (uint64_t)n);
            pv[k] = (int32_t)((x >> 32) % (uint64_t)n);
        }
        for (k = 0; k < m; k++)
            gv[k] = (float)((k * 2654435761u) % 2001u) / 1000.0f - 1.0f;
    }
    if (sgae_pairmat_build(&pm, n, m, pu, pv) != SGAE_OK) {
        fprintf(stderr, "isa: %s\n", sgae_last_error());
        rc = 1;
        goto done;
    }
    if (!json)
        printf("isa: %s: %lld nodes, %lld nonzeros, %lld pairs, %d threads, %d trials; "
               "variants:", path, (long long)n, (long long)g->norm.rowptr[n], (long long)m,
               omp_get_max_threads(), trials);
    if (!json) {
        for (int k = 0; k < nv; k++)
            printf(" %s", v[k].name);
        printf("\n");
    }

    for (int di = 0; di < nd && !rc; di++) {
        const int64_t d = ds[di];
        float *H = bench_dense_random(n, d, 7);
        float *Y[NALL] = {0}, *S[NALL] = {0}, *D[NALL] = {0};
        double *t = calloc((size_t)NK * nv * trials, sizeof *t);
        int ok = H && t;
        for (int k = 0; k < nv && ok; k++) {
            Y[k] = sgae_dense_alloc(n, d);
            D[k] = sgae_dense_alloc(n, d);
            S[k] = malloc((size_t)(m > 0 ? m : 1) * sizeof(float));
            ok = Y[k] && D[k] && S[k];
        }
        if (!ok) {
            fprintf(stderr, "isa: out of memory at d = %lld\n", (long long)d);
            rc = 1;
        }
        for (int r = 0; r <= trials && ok; r++) /* round 0: warm-up */
            for (int kk = 0; kk < nv; kk++) {
                int k = (kk + r) % nv;
                double t0 = bench_now();
                v[k].spmm(&g->norm, g->norm.val, NULL, H, d, Y[k], 0);
                double t1 = bench_now();
                v[k].scores(H, d, m, pu, pv, S[k]);
                double t2 = bench_now();
                memset(D[k], 0, (size_t)(n * d) * sizeof(float));
                double t3 = bench_now();
                v[k].scatter(&pm, gv, H, d, D[k]);
                double t4 = bench_now();
                if (r > 0) {
                    t[(0 * nv + k) * trials + r - 1] = t1 - t0;
                    t[(1 * nv + k) * trials + r - 1] = t2 - t1;
                    t[(2 * nv + k) * trials + r - 1] = t4 - t3;
                }
            }
        for (int k = 1; k < nv && ok; k++) {
            int same[NK] = {!memcmp(Y[k], Y[0], (size_t)(n * d) * sizeof(float)),
                            !memcmp(S[k], S[0], (size_t)m * sizeof(float)),
                            !memcmp(D[k], D[0], (size_t)(n * d) * sizeof(float))};
            for (int q = 0; q < NK; q++)
                if (!same[q]) {
                    fprintf(stderr, "isa: d = %lld: %s of %s differs from x86-64\n",
                            (long long)d, kname[q], v[k].name);
                    rc = 1;
                }
        }
        for (int q = 0; q < NK && ok; q++) {
            double med[NALL], ref;
            for (int k = 0; k < nv; k++) {
                double *tk = t + (q * nv + k) * trials;
                qsort(tk, (size_t)trials, sizeof *tk, cmp_double);
                med[k] = tk[trials / 2];
            }
            ref = med[nv - 1]; /* the last variant: native if built, else the widest */
            if (!json)
                printf("d=%-4lld %-13s", (long long)d, kname[q]);
            for (int k = 0; k < nv; k++) {
                if (json) {
                    cli_json j;
                    bench_json_begin(&j);
                    cli_json_str(&j, "bench", "isa");
                    cli_json_str(&j, "graph", path);
                    cli_json_str(&j, "kernel", kname[q]);
                    cli_json_str(&j, "variant", v[k].name);
                    cli_json_int(&j, "d", d);
                    cli_json_int(&j, "threads", omp_get_max_threads());
                    cli_json_int(&j, "trials", trials);
                    cli_json_num(&j, "seconds", med[k]);
                    cli_json_num(&j, "ratio", med[k] / ref);
                    cli_json_str(&j, "ratio_to", v[nv - 1].name);
                    cli_json_bool(&j, "bit_identical", !rc);
                    cli_json_end(&j);
                } else {
                    printf("  %s %.4g s (x%.2f)", v[k].name, med[k], med[k] / ref);
                }
            }
            if (!json)
                printf("\n");
        }
        free(H);
        free(t);
        for (int k = 0; k < nv; k++) {
            free(Y[k]);
            free(S[k]);
            free(D[k]);
        }
    }
    if (!json)
        printf("isa: %s\n", rc ? "BITS DIFFER" : "every variant gave the same bits");
done:
    sgae_pairmat_clear(&pm);
    free(pu);
    free(pv);
    free(gv);
    sgae_graph_free(g);
    return rc;
}

/* Shared plumbing of the benchmark programs (see common.h). */
#include "common.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef _OPENMP
#include <omp.h>
#endif

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double bench_median(double *t, int n)
{
    if (n <= 0)
        return NAN;
    qsort(t, (size_t)n, sizeof *t, cmp_double);
    return n % 2 ? t[n / 2] : 0.5 * (t[n / 2 - 1] + t[n / 2]);
}

double bench_min(const double *t, int n)
{
    double m = INFINITY;
    for (int i = 0; i < n; i++)
        if (t[i] < m)
            m = t[i];
    return m;
}

int bench_triad_init(bench_triad *t, int64_t elems)
{
    if (elems <= 0)
        elems = 20 * 1000 * 1000;
    t->elems = elems;
    t->a = malloc((size_t)elems * sizeof *t->a);
    t->b = malloc((size_t)elems * sizeof *t->b);
    t->c = malloc((size_t)elems * sizeof *t->c);
    if (!t->a || !t->b || !t->c) {
        bench_triad_free(t);
        return 1;
    }
    double *a = t->a, *b = t->b, *c = t->c;
    /* first touch by the threads that will use the pages */
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < elems; i++) {
        a[i] = 0.0;
        b[i] = 1.0;
        c[i] = 2.0;
    }
    return 0;
}

double bench_triad_run(bench_triad *t)
{
    double *a = t->a;
    const double *b = t->b, *c = t->c, s = 3.0;
    int64_t n = t->elems;
    double t0 = bench_now();
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        a[i] = b[i] + s * c[i];
    double dt = bench_now() - t0;
    if (a[n / 2] != 7.0) /* keep the result alive */
        return NAN;
    return dt;
}

double bench_triad_to_gbps(const bench_triad *t, double seconds)
{
    return 24.0 * (double)t->elems / seconds / 1e9;
}

void bench_triad_free(bench_triad *t)
{
    free(t->a);
    free(t->b);
    free(t->c);
    t->a = t->b = t->c = NULL;
}

double bench_triad_gbps(int64_t elems, int trials)
{
    bench_triad t;
    if (bench_triad_init(&t, elems))
        return -1;
    double best = INFINITY;
    for (int r = 0; r < (trials < 1 ? 1 : trials) + 1; r++) {
        double dt = bench_triad_run(&t);
        if (r > 0 && dt < best) /* the first run is a warm-up */
            best = dt;
    }
    double g = bench_triad_to_gbps(&t, best);
    bench_triad_free(&t);
    return isfinite(g) ? g : -1;
}

/* ---- JSON ---------------------------------------------------------------- */

void bench_json_begin(cli_json *j)
{
    cli_json_begin(j);
    j->digits = 6;
}

/* ---- graph input ---------------------------------------------------------- */

/* Degree-corrected planted partition with power-law expected degrees. */
/* The smallest a' >= a with gcd(a', n) = 1 (x -> (a'x + c) mod n is then a
 * bijection of 0..n-1). */
static uint64_t coprime_from(uint64_t a, uint64_t n)
{
    for (;; a++) {
        uint64_t x = a, y = n;
        while (y) {
            uint64_t t = x % y;
            x = y;
            y = t;
        }
        if (x == 1)
            return a;
    }
}

/* The largest i in [lo, hi) with cdf[i] <= x (cdf increasing, cdf[lo] <= x). */
static int64_t cdf_find(const double *cdf, int64_t lo, int64_t hi, double x)
{
    int64_t pos = lo, len = hi - lo; /* the answer is in [pos, pos + len) */
    while (len > 1) {
        int64_t half = len / 2;
        if (cdf[pos + half] <= x) {
            pos += half;
            len -= half;
        } else {
            len = half;
        }
    }
    return pos;
}

static sgae_status gen_chunglu(int64_t n, double avgdeg, double mu, double kmax, uint64_t seed,
                               sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    const double alpha = 1.0 / (2.5 - 1.0);
    int64_t m = (int64_t)(0.5 * avgdeg * (double)n);
    double *cdf = malloc(((size_t)n + 1) * sizeof *cdf);
    int64_t *cstart = malloc(((size_t)n + 1) * sizeof *cstart);
    int32_t *comm = malloc((size_t)n * sizeof *comm);
    int32_t *u = malloc((size_t)(m > 0 ? m : 1) * sizeof *u);
    int32_t *v = malloc((size_t)(m > 0 ? m : 1) * sizeof *v);
    *out = NULL;
    if (!cdf || !cstart || !comm || !u || !v) {
        st = sgae_error_set(SGAE_E_NOMEM, "bench: out of memory generating a graph");
        goto done;
    }
    /* weights (i + i0)^-alpha in rank order; i0 chosen so max/mean = kmax/avgdeg */
    double want = kmax / avgdeg, lo = 1.0, hi = (double)n;
    for (int it = 0; it < 60; it++) {
        double i0 = sqrt(lo * hi), sum = 0;
        for (int64_t r = 0; r < n; r += 997) /* sampled mean is plenty */
            sum += pow((double)r + i0, -alpha);
        double mean = sum / (double)((n + 996) / 997);
        if (pow(i0, -alpha) / mean > want)
            lo = i0;
        else
            hi = i0;
    }
    double i0 = sqrt(lo * hi);
    /* internal node i gets the weight of rank (a*i + b) mod n (a bijection),
     * so communities (contiguous blocks of i) mix hubs and leaves */
    uint64_t a = 2654435761ULL % (uint64_t)n;
    while (a < 2)
        a += 1;
    a = coprime_from(a, (uint64_t)n);
    cdf[0] = 0;
    for (int64_t i = 0; i < n; i++) {
        uint64_t r = ((uint64_t)i * a + 12345) % (uint64_t)n;
        cdf[i + 1] = cdf[i] + pow((double)r + i0, -alpha);
    }
    /* communities: sizes 20..1000, power law (exponent 2) */
    int64_t nc = 0;
    for (int64_t i = 0; i < n; nc++) {
        double x = sgae_rng_uniform(seed, SGAE_RNG_GEN, 0x100000000ULL + (uint64_t)nc);
        int64_t s = (int64_t)(20.0 / (1.0 - x * (1.0 - 20.0 / 1000.0)));
        if (s > n - i)
            s = n - i;
        cstart[nc] = i;
        for (int64_t k = 0; k < s; k++)
            comm[i + k] = (int32_t)nc;
        i += s;
    }
    cstart[nc] = n;
    const double total = cdf[n];
    /* final labels: another bijection, so ids carry no community order */
    uint64_t b = coprime_from((uint64_t)n / 2 + 1, (uint64_t)n);
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        double x = sgae_rng_uniform(seed, SGAE_RNG_GEN, 3 * (uint64_t)k) * total;
        int64_t i = cdf_find(cdf, 0, n, x), j;
        double y = sgae_rng_uniform(seed, SGAE_RNG_GEN, 3 * (uint64_t)k + 1);
        double z = sgae_rng_uniform(seed, SGAE_RNG_GEN, 3 * (uint64_t)k + 2);
        int64_t c0 = 0, c1 = n;
        if (y >= mu) {
            c0 = cstart[comm[i]];
            c1 = cstart[comm[i] + 1];
        }
        x = cdf[c0] + z * (cdf[c1] - cdf[c0]);
        j = cdf_find(cdf, c0, c1, x);
        u[k] = (int32_t)(((uint64_t)i * b + 7) % (uint64_t)n);
        v[k] = (int32_t)(((uint64_t)j * b + 7) % (uint64_t)n);
    }
    st = sgae_graph_from_pairs(n, m, u, v, out);
done:
    free(cdf);
    free(cstart);
    free(comm);
    free(u);
    free(v);
    return st;
}

sgae_status bench_graph_open(const char *spec, sgae_graph **out, double *seconds)
{
    double t0 = bench_now();
    sgae_status st;
    *out = NULL;
    if (strncmp(spec, "chunglu:", 8) == 0) {
        double p[5] = {0, 0, 0.3, 1000, 1};
        int np = 0;
        const char *s = spec + 8;
        while (np < 5 && *s) {
            char *end;
            errno = 0;
            p[np++] = strtod(s, &end);
            if (end == s || errno)
                break;
            s = end;
            if (*s == ':')
                s++;
            else
                break;
        }
        if (np < 2 || *s || p[0] < 2 || p[0] >= 2147483647.0 || p[1] <= 0 || p[2] < 0 ||
            p[2] > 1 || p[3] < p[1])
            return sgae_error_set(SGAE_E_ARG,
                                  "bench: bad generator '%s' (want chunglu:N:AVGDEG[:MU[:KMAX[:SEED]]])",
                                  spec);
        st = gen_chunglu((int64_t)p[0], p[1], p[2], p[3], (uint64_t)p[4], out);
    } else {
        st = sgae_graph_load(spec, SGAE_FMT_AUTO, out);
    }
    if (seconds)
        *seconds = bench_now() - t0;
    return st;
}

float *bench_dense_random(int64_t n, int64_t d, uint64_t seed)
{
    float *h = sgae_dense_alloc(n, d);
    if (!h)
        return NULL;
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n * d; i++)
        h[i] = (float)(2.0 * sgae_rng_uniform(seed, 1000, (uint64_t)i) - 1.0);
    return h;
}

double bench_rel_err(const float *a, const float *b, int64_t n)
{
    double num = 0, den = 1e-30;
#pragma omp parallel for reduction(max : num, den) schedule(static)
    for (int64_t i = 0; i < n; i++) {
        double e = fabs((double)a[i] - (double)b[i]);
        if (e > num || e != e)
            num = e != e ? INFINITY : e;
        if (fabs((double)b[i]) > den)
            den = fabs((double)b[i]);
    }
    return num / den;
}

/* ---- GraphBLAS ------------------------------------------------------------- */

GrB_Info bench_grb_csr(const sgae_csr *A, GrB_Matrix *out)
{
    int64_t n = A->nrows, nnz = A->rowptr[n];
    GrB_Index *ap = malloc(((size_t)n + 1) * sizeof *ap);
    GrB_Index *aj = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof *aj);
    float *ax = malloc((size_t)(nnz > 0 ? nnz : 1) * sizeof *ax);
    if (!ap || !aj || !ax) {
        free(ap);
        free(aj);
        free(ax);
        return GrB_OUT_OF_MEMORY;
    }
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i <= n; i++)
        ap[i] = (GrB_Index)A->rowptr[i];
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < nnz; k++) {
        aj[k] = (GrB_Index)A->col[k];
        ax[k] = A->val ? A->val[k] : 1.0f;
    }
    /* GraphBLAS takes the arrays (allocated with malloc, its default) */
    GrB_Info info = GxB_Matrix_import_CSR(out, GrB_FP32, (GrB_Index)n, (GrB_Index)A->ncols, &ap,
                                          &aj, (void **)&ax, ((GrB_Index)n + 1) * sizeof *ap,
                                          (GrB_Index)(nnz > 0 ? nnz : 1) * sizeof *aj,
                                          (GrB_Index)(nnz > 0 ? nnz : 1) * sizeof *ax, false,
                                          false, NULL);
    if (info != GrB_SUCCESS) {
        free(ap);
        free(aj);
        free(ax);
    }
    return info;
}

GrB_Info bench_grb_dense(float **H, int64_t n, int64_t d, GrB_Matrix *out)
{
    GrB_Info info = GrB_Matrix_new(out, GrB_FP32, (GrB_Index)n, (GrB_Index)d);
    if (info != GrB_SUCCESS)
        return info;
    info = GxB_Matrix_pack_FullR(*out, (void **)H, (GrB_Index)(n * d) * sizeof(float), false,
                                 NULL);
    if (info != GrB_SUCCESS)
        GrB_Matrix_free(out);
    return info;
}

GrB_Info bench_grb_dense_release(GrB_Matrix *M, float **H, int64_t n, int64_t d)
{
    GrB_Index size;
    bool iso;
    (void)n;
    (void)d;
    GrB_Info info = GxB_Matrix_unpack_FullR(*M, (void **)H, &size, &iso, NULL);
    GrB_Matrix_free(M);
    return info;
}

GrB_Info bench_grb_mxm(GrB_Matrix *C, GrB_Matrix A, GrB_Matrix H)
{
    GrB_Index n, d;
    GrB_Info info;
    GrB_Matrix_free(C);
    if ((info = GrB_Matrix_nrows(&n, A)) != GrB_SUCCESS ||
        (info = GrB_Matrix_ncols(&d, H)) != GrB_SUCCESS ||
        (info = GrB_Matrix_new(C, GrB_FP32, n, d)) != GrB_SUCCESS)
        return info;
    if ((info = GrB_mxm(*C, NULL, NULL, GrB_PLUS_TIMES_SEMIRING_FP32, A, H, NULL)) != GrB_SUCCESS)
        return info;
    return GrB_Matrix_wait(*C, GrB_MATERIALIZE);
}

GrB_Info bench_grb_to_dense(GrB_Matrix C, int64_t nrows, int64_t d, float *Y)
{
    GrB_Index nv;
    GrB_Info info = GrB_Matrix_nvals(&nv, C);
    if (info != GrB_SUCCESS)
        return info;
    GrB_Index *I = malloc((size_t)(nv ? nv : 1) * sizeof *I);
    GrB_Index *J = malloc((size_t)(nv ? nv : 1) * sizeof *J);
    float *X = malloc((size_t)(nv ? nv : 1) * sizeof *X);
    if (!I || !J || !X) {
        info = GrB_OUT_OF_MEMORY;
        goto done;
    }
    if ((info = GrB_Matrix_extractTuples_FP32(I, J, X, &nv, C)) != GrB_SUCCESS)
        goto done;
    memset(Y, 0, (size_t)(nrows * d) * sizeof *Y);
    for (GrB_Index k = 0; k < nv; k++)
        Y[I[k] * (GrB_Index)d + J[k]] = X[k];
done:
    free(I);
    free(J);
    free(X);
    return info;
}

int bench_parse_list(const char *s, int64_t *v, int max, int *n)
{
    *n = 0;
    while (*s) {
        char *end;
        errno = 0;
        long long x = strtoll(s, &end, 10);
        if (end == s || errno || x <= 0 || *n >= max)
            return 0;
        v[(*n)++] = x;
        s = end;
        if (*s == ',')
            s++;
        else if (*s)
            return 0;
    }
    return *n > 0;
}

int bench_arg_graph(const char *prog, const char *arg, const char **path, void (*usage)(FILE *))
{
    if (arg[0] == '-' && arg[1]) {
        fprintf(stderr, "%s: unknown option '%s'\n", prog, arg);
        usage(stderr);
        return 2;
    }
    if (*path) {
        fprintf(stderr, "%s: more than one GRAPH\n", prog);
        return 2;
    }
    *path = arg;
    return 0;
}

int bench_arg_std(const char *arg, int *json, void (*usage)(FILE *))
{
    if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) {
        usage(stdout);
        return 2;
    }
    if (strcmp(arg, "--json"))
        return 0;
    *json = 1;
    return 1;
}

int bench_arg_int(const char *prog, int argc, char **argv, int *i, const char *name, int lo,
                  int hi, int *out)
{
    if (strcmp(argv[*i], name) || *i + 1 >= argc)
        return 0;
    *out = atoi(argv[++*i]);
    if (*out >= lo && *out <= hi)
        return 1;
    fprintf(stderr, "%s: %s wants %d..%d\n", prog, name, lo, hi);
    return -1;
}

int bench_arg_list(const char *prog, int argc, char **argv, int *i, const char *name, int64_t *v,
                   int max, int *n)
{
    if (strcmp(argv[*i], name) || *i + 1 >= argc)
        return 0;
    if (bench_parse_list(argv[++*i], v, max, n))
        return 1;
    fprintf(stderr, "%s: bad %s '%s'\n", prog, name, argv[*i]);
    return -1;
}

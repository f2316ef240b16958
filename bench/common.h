/*
 * bench/common.h - plumbing shared by the benchmark programs: timing and
 * medians, the STREAM triad, one-line JSON records, graph input (a file in
 * any format sgae reads, or an in-memory generator), and GraphBLAS wrappers.
 */
#ifndef SGAE_BENCH_COMMON_H
#define SGAE_BENCH_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include <GraphBLAS.h>

#include "json.h" /* src/cli/json.h, through sgae_tool_support */
#include "sgae.h"

double bench_now(void);

/* Median of t[0..n) (sorts t in place); n = 0 gives NaN. */
double bench_median(double *t, int n);
/* Smallest of t[0..n). */
double bench_min(const double *t, int n);

/* STREAM triad a[i] = b[i] + s * c[i] on doubles with the current OpenMP
 * thread count: `trials` timed runs over three arrays of `elems` doubles
 * each (0: 3 x 20M doubles = 480 MB, far beyond the caches).  Returns the
 * best bandwidth in GB/s counting 24 bytes per element (STREAM's rule: the
 * write-allocate read is not counted), or a negative value when out of
 * memory. */
double bench_triad_gbps(int64_t elems, int trials);

/* The same, one run at a time, to interleave with other measurements:
 * init allocates and first-touches the arrays (0 on success), run returns
 * the seconds of one triad, gbps converts seconds to GB/s. */
typedef struct {
    int64_t elems;
    double *a, *b, *c;
} bench_triad;
int bench_triad_init(bench_triad *t, int64_t elems);
double bench_triad_run(bench_triad *t);
double bench_triad_to_gbps(const bench_triad *t, double seconds);
void bench_triad_free(bench_triad *t);

/* One JSON object per line on stdout, written member by member with the
 * sgae tool's writer (src/cli/json.c); bench_json_begin is cli_json_begin
 * with numbers to 6 significant digits. */
void bench_json_begin(cli_json *j);

/* Graph input.  `spec` is a file (any format sgae_graph_load reads) or a
 * generator:
 *   chunglu:N:AVGDEG[:MU[:KMAX[:SEED]]]
 * a degree-corrected planted-partition graph: N nodes, expected degrees from
 * a power law (exponent 2.5) with mean AVGDEG and maximum KMAX (default
 * 1000), communities of 20..1000 nodes; each edge stays inside its
 * community with probability 1 - MU (default 0.3); node ids are randomly
 * permuted so that ids say nothing about communities (as in a crawled
 * graph).  Deterministic in SEED (default 1). */
sgae_status bench_graph_open(const char *spec, sgae_graph **out, double *seconds);

/* Dense n x d matrix of uniform values in [-1, 1), deterministic in seed;
 * NULL when out of memory. */
float *bench_dense_random(int64_t n, int64_t d, uint64_t seed);

/* Max relative error max|a-b| / max|b| over n values. */
double bench_rel_err(const float *a, const float *b, int64_t n);

/* GraphBLAS: the CSR A (FP32 values; ones when A->val is NULL) as a new
 * GrB_Matrix, copied; the dense n x d row-major H as a full GrB_Matrix that
 * borrows H (bench_grb_dense_release gives it back without freeing it). */
GrB_Info bench_grb_csr(const sgae_csr *A, GrB_Matrix *out);
GrB_Info bench_grb_dense(float **H, int64_t n, int64_t d, GrB_Matrix *out);
GrB_Info bench_grb_dense_release(GrB_Matrix *M, float **H, int64_t n, int64_t d);
/* C = A * H over plus-times FP32, materialised; C is (re)created. */
GrB_Info bench_grb_mxm(GrB_Matrix *C, GrB_Matrix A, GrB_Matrix H);
/* Copy C (nrows x d, any sparsity) into the dense row-major Y (zeros where C
 * has no entry). */
GrB_Info bench_grb_to_dense(GrB_Matrix C, int64_t nrows, int64_t d, float *Y);

/* The end of a program's option loop: `arg` is an unknown option (print it
 * and the usage on stderr) or the GRAPH operand (stored in *path; a second
 * one is an error).  Returns 0, or 2 after an error (the exit status). */
int bench_arg_graph(const char *prog, const char *arg, const char **path, void (*usage)(FILE *));

/* Integer-list option "16,32,64" -> v[0..*n) (at most max); 0 on error. */
int bench_parse_list(const char *s, int64_t *v, int max, int *n);
/* Option parsing of the benches.  bench_arg_std: -h/--help (usage on
 * stdout, returns 2: exit 0) or --json (*json = 1, returns 1), else 0.
 * bench_arg_int: argv[*i] is `name` followed by an integer in lo..hi (into
 * *out, returns 1), or a bad value ("PROG: NAME wants LO..HI", returns -1);
 * bench_arg_list: the same for a comma list (bench_parse_list); both return
 * 0 for any other argument. */
int bench_arg_std(const char *arg, int *json, void (*usage)(FILE *));
int bench_arg_int(const char *prog, int argc, char **argv, int *i, const char *name, int lo,
                  int hi, int *out);
int bench_arg_list(const char *prog, int argc, char **argv, int *i, const char *name, int64_t *v,
                   int max, int *n);

#endif

/* Internal helpers of src/cluster (not installed). */
#ifndef SGAE_CLUSTER_INTERNAL_H
#define SGAE_CLUSTER_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "internal.h"
#include "sgae/cluster.h"

/* Rows per block of the parallel loops (fixed: results do not depend on
 * the thread count). */
#define CL_RB 1024
/* Centers per panel of the distance kernel (one 64-byte vector of floats). */
#define CL_LANES 16

/* Centers laid out for the kernel: panel q holds centers q*16..q*16+15 as
 * dim x 16 floats (dimension-major inside the panel); missing centers of
 * the last panel are far away (never the nearest). */
typedef struct {
    int64_t k, dim, panels;
    float *p; /* panels x dim x 16, 64-byte aligned */
} cl_panels;

sgae_status cl_panels_init(cl_panels *cp, int64_t k, int64_t dim);
void cl_panels_fill(cl_panels *cp, const float *centers);
void cl_panels_clear(cl_panels *cp);

/* For rows idx[0..cnt) of x (n x dim; idx NULL: rows 0..cnt-1): the nearest
 * center (ties: the smaller id), its squared distance and the squared
 * distance of the second nearest (FLT_MAX when k = 1). */
void cl_nearest(const float *x, int64_t dim, const int32_t *idx, int64_t cnt,
                const cl_panels *cp, int32_t *best, float *d1, float *d2);

/* qsort comparators of int32_t, int64_t, uint64_t and double (ascending). */
int cl_cmp_i32(const void *a, const void *b);
int cl_cmp_i64(const void *a, const void *b);
int cl_cmp_u64(const void *a, const void *b);
int cl_cmp_dbl(const void *a, const void *b);

/* Squared Euclidean distance, summed in dimension order. */
static inline float cl_dist2(const float *a, const float *b, int64_t dim)
{
    float s = 0.0f;
    for (int64_t j = 0; j < dim; j++) {
        float t = a[j] - b[j];
        s += t * t;
    }
    return s;
}

/* Validate and optionally L2-normalise rows: *out = x (not normalised) or a
 * new normalised copy (free()).  SGAE_E_ARG names the first non-finite row. */
sgae_status cl_rows_prepare(const float *x, int64_t n, int64_t dim, int normalise, float **copy);

/* A uniform sample of m of the n rows (in row order) copied to *out;
 * *out = NULL when m >= n (use the rows themselves). */
sgae_status cl_sample_rows(const float *x, int64_t n, int64_t dim, int64_t m, uint64_t seed,
                           uint64_t purpose, float **out);

/* Renumber ids (>= 0) to 0..count-1 in order of the smallest node; -1 kept.
 * Returns the count, or -1 on allocation failure. */
int64_t cl_compact(int64_t n, int32_t *comm);

/* Largest id + 1 (0 if none); -2 if an id is below -1. */
int64_t cl_id_bound(int64_t n, const int32_t *comm);

#endif

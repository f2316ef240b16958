/* Graph construction from pairs, the cached GCN operator, ids. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "graph_sort.h"
#include "internal.h"
#include "sgae/graph.h"

void sgae_csr_clear(sgae_csr *a)
{
    if (!a)
        return;
    free(a->rowptr);
    free(a->col);
    free(a->val);
    memset(a, 0, sizeof *a);
}

int64_t sgae_csr_nnz(const sgae_csr *a) { return a->rowptr ? a->rowptr[a->nrows] : 0; }

void sgae_graph_free(sgae_graph *g)
{
    if (!g)
        return;
    sgae_csr_clear(&g->adj);
    sgae_csr_clear(&g->norm);
    free(g->dinv_sqrt);
    free(g->ids);
    if (g->names) {
        for (int64_t i = 0; i < g->n; i++)
            free(g->names[i]);
        free(g->names);
    }
    free(g);
}

/* Sift a[root] down the max-heap a[0..end). */
static void sift_down_i32(int32_t *a, int64_t root, int64_t end)
{
    for (;;) {
        int64_t child = 2 * root + 1;
        if (child >= end)
            break;
        if (child + 1 < end && a[child] < a[child + 1])
            child++;
        if (a[root] >= a[child])
            break;
        int32_t t = a[root];
        a[root] = a[child];
        a[child] = t;
        root = child;
    }
}

static void heapsort_i32(int32_t *a, int64_t len)
{
    for (int64_t start = len / 2 - 1; start >= 0; start--)
        sift_down_i32(a, start, len);
    for (int64_t end = len - 1; end > 0; end--) {
        int32_t t = a[0];
        a[0] = a[end];
        a[end] = t;
        sift_down_i32(a, 0, end);
    }
}

/* Introsort: quicksort (median of three, Hoare partition) down to short
 * ranges finished by insertion sort; heapsort past a depth limit.  In place,
 * no allocation, O(len log len) worst case. */
static void introsort_i32(int32_t *a, int64_t len, int depth)
{
    while (len > 24) {
        if (depth-- == 0) {
            heapsort_i32(a, len);
            return;
        }
        int32_t x = a[0], y = a[len / 2], z = a[len - 1];
        int32_t pivot = x < y ? (y < z ? y : (x < z ? z : x)) : (x < z ? x : (y < z ? z : y));
        int64_t i = -1, j = len;
        for (;;) {
            do
                i++;
            while (a[i] < pivot);
            do
                j--;
            while (a[j] > pivot);
            if (i >= j)
                break;
            int32_t t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
        /* a[0..j] <= pivot <= a[j+1..len): recurse on the smaller side */
        int64_t left = j + 1, right = len - j - 1;
        if (left < right) {
            introsort_i32(a, left, depth);
            a += left;
            len = right;
        } else {
            introsort_i32(a + left, right, depth);
            len = left;
        }
    }
    sgae_graph_insertion_i32(a, len);
}

static void sort_i32(int32_t *a, int64_t len)
{
    int depth = 0;
    for (int64_t k = len; k > 1; k >>= 1)
        depth += 2;
    introsort_i32(a, len, depth);
}

/* Pass 1 of the build: the number of entries of each row (cnt[0..n), two
 * per pair that is not a self-loop) and the self-loops.  SGAE_E_ARG for the
 * first pair with an id outside 0..n-1 (the same one at any thread count). */
static sgae_status pairs_count(int64_t n, int64_t m, const int32_t *u, const int32_t *v,
                               int64_t *cnt, int64_t *self_loops)
{
    /* bad: the first pair out of range (m: none) */
    int64_t loops = 0, bad = m;
#pragma omp parallel for reduction(+ : loops) reduction(min : bad) schedule(static)
    for (int64_t k = 0; k < m; k++) {
        int32_t a = u[k], b = v[k];
        if (a < 0 || b < 0 || a >= n || b >= n) {
            if (k < bad)
                bad = k;
            continue;
        }
        if (a == b) {
            loops++;
            continue;
        }
#pragma omp atomic
        cnt[a]++;
#pragma omp atomic
        cnt[b]++;
    }
    if (bad < m)
        return sgae_error_set(SGAE_E_ARG,
                              "graph: pair %" PRId64 " has a node id outside 0..%" PRId64, bad,
                              n - 1);
    *self_loops = loops;
    return SGAE_OK;
}

/* ---- weighted build: each row's entries as 64-bit keys, column << 32 |
 * direction << 31 | weight bits (a positive float's bits order as its
 * value), sorted, so that equal keys are equal entries and each entry's
 * weights come in increasing order whatever the input order. */

static uint32_t float_bits(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b;
}

static float bits_float(uint32_t b)
{
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

/* Pass 2: both directions of every pair that is not a self-loop into the
 * rows of tmp (row i from cnt[i]; pos is a copy of cnt, used as cursors);
 * weighted (w), into the rows of key instead: column << 32 | direction
 * << 31 | weight bits, direction 0 in row u (the pair as given), 1 in v. */
static void pairs_fill(int64_t m, const int32_t *u, const int32_t *v, const float *w,
                       int64_t *pos, int32_t *tmp, uint64_t *key)
{
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        int32_t a = u[k], b = v[k];
        if (a == b)
            continue;
        int64_t pa, pb;
#pragma omp atomic capture
        pa = pos[a]++;
#pragma omp atomic capture
        pb = pos[b]++;
        if (w) {
            uint64_t wb = float_bits(w[k]);
            key[pa] = (uint64_t)(uint32_t)b << 32 | wb;
            key[pb] = (uint64_t)(uint32_t)a << 32 | (uint64_t)1 << 31 | wb;
        } else {
            tmp[pa] = b;
            tmp[pb] = a;
        }
    }
}

/* Pass 3: each row of tmp sorted and its repeats removed in place; its
 * length afterwards into len[i]. */
static void rows_sort_unique(int64_t n, const int64_t *cnt, int32_t *tmp, int64_t *len_out)
{
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t i = 0; i < n; i++) {
        int32_t *r = tmp + cnt[i];
        int64_t len = cnt[i + 1] - cnt[i];
        sort_i32(r, len);
        int64_t w = 0;
        for (int64_t k = 0; k < len; k++)
            if (w == 0 || r[k] != r[w - 1])
                r[w++] = r[k];
        len_out[i] = w;
    }
}

static int cmp_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Pass 3 (weighted): each row's keys sorted and combined (sum per
 * direction, then the larger of the two directions) into columns
 * col[cnt[i]..] and weights val[cnt[i]..]; the row's length into len[i].
 * The lowest row whose weight overflows a float, or n. */
static int64_t rows_combine(int64_t n, const int64_t *cnt, uint64_t *key, int32_t *col,
                            float *val, int64_t *len_out)
{
    int64_t bad = n;
#pragma omp parallel for schedule(dynamic, 1024) reduction(min : bad)
    for (int64_t i = 0; i < n; i++) {
        uint64_t *r = key + cnt[i];
        int64_t len = cnt[i + 1] - cnt[i], w = 0;
        qsort(r, (size_t)len, sizeof *r, cmp_key);
        for (int64_t k = 0; k < len;) {
            uint32_t c = (uint32_t)(r[k] >> 32);
            double s[2] = {0, 0};
            for (; k < len && (uint32_t)(r[k] >> 32) == c; k++)
                s[(r[k] >> 31) & 1] += (double)bits_float((uint32_t)(r[k] & 0x7fffffffu));
            float x = (float)(s[0] > s[1] ? s[0] : s[1]);
            if (!isfinite(x) && i < bad)
                bad = i;
            col[cnt[i] + w] = (int32_t)c;
            val[cnt[i] + w] = x;
            w++;
        }
        len_out[i] = w;
    }
    return bad;
}

sgae_status sgae_graph_from_pairs(int64_t n, int64_t m, const int32_t *u, const int32_t *v,
                                  sgae_graph **out)
{
    return sgae_graph_from_weighted_pairs(n, m, u, v, NULL, out);
}

sgae_status sgae_graph_from_weighted_pairs(int64_t n, int64_t m, const int32_t *u,
                                           const int32_t *v, const float *wt, sgae_graph **out)
{
    uint64_t *key = NULL;
    float *tval = NULL;
    sgae_status st = SGAE_OK;
    sgae_graph *g = NULL;
    int64_t *cnt = NULL, *pos = NULL;
    int32_t *tmp = NULL;
    *out = NULL;
    if (n < 0 || n >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "graph: %" PRId64 " nodes is out of range (max %d)", n,
                  INT32_MAX - 1);
    if (m < 0)
        SGAE_FAIL(SGAE_E_ARG, "graph: %" PRId64 " pairs is negative", m);
    g = sgae_calloc(1, sizeof *g, "graph");
    cnt = g ? sgae_calloc((size_t)n + 1, sizeof *cnt, "graph degrees") : NULL;
    pos = cnt ? sgae_alloc((size_t)n + 1, sizeof *pos, "graph offsets") : NULL;
    if (!pos)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
    g->n = n;
    g->input_edges = m;
    if (wt) {
        int64_t badw = m;
#pragma omp parallel for schedule(static) reduction(min : badw)
        for (int64_t k = 0; k < m; k++)
            if (!(wt[k] > 0) || !isfinite(wt[k]))
                badw = k < badw ? k : badw;
        if (badw < m)
            SGAE_FAIL(SGAE_E_ARG, "graph: pair %" PRId64 " has weight %g (weights must be "
                      "finite and > 0)", badw, (double)wt[badw]);
    }
    SGAE_CHECK(pairs_count(n, m, u, v, cnt, &g->self_loops));
    sgae_prefix_sum(cnt, n);
    memcpy(pos, cnt, (size_t)(n + 1) * sizeof *pos);
    if (!(tmp = sgae_alloc((size_t)cnt[n], sizeof *tmp, "graph columns")))
        SGAE_CHECK(SGAE_E_NOMEM);
    if (wt) {
        SGAE_CHECK_ALLOC(key = sgae_alloc((size_t)cnt[n], sizeof *key, "graph weights"));
        SGAE_CHECK_ALLOC(tval = sgae_alloc((size_t)cnt[n], sizeof *tval, "graph weights"));
        pairs_fill(m, u, v, wt, pos, NULL, key);
        int64_t bad = rows_combine(n, cnt, key, tmp, tval, pos);
        if (bad < n)
            SGAE_FAIL(SGAE_E_ARG, "graph: the weights of an edge of node %" PRId64
                      " add up past the float range", bad);
        free(key);
        key = NULL;
    } else {
        pairs_fill(m, u, v, NULL, pos, tmp, NULL);
        rows_sort_unique(n, cnt, tmp, pos);
    }
    /* compact the unique entries into the adjacency */
    sgae_prefix_sum(pos, n);
    g->adj.nrows = g->adj.ncols = n;
    g->adj.rowptr = pos;
    pos = NULL;
    if (!(g->adj.col = sgae_alloc((size_t)g->adj.rowptr[n], sizeof(int32_t), "graph columns")))
        SGAE_CHECK(SGAE_E_NOMEM);
    if (tval && !(g->adj.val = sgae_alloc((size_t)g->adj.rowptr[n] + 1, sizeof(float),
                                          "graph weights")))
        SGAE_CHECK(SGAE_E_NOMEM);
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t i = 0; i < n; i++) {
        size_t len = (size_t)(g->adj.rowptr[i + 1] - g->adj.rowptr[i]);
        memcpy(g->adj.col + g->adj.rowptr[i], tmp + cnt[i], len * sizeof(int32_t));
        if (tval)
            memcpy(g->adj.val + g->adj.rowptr[i], tval + cnt[i], len * sizeof(float));
    }
    g->duplicates = (m - g->self_loops) - g->adj.rowptr[n] / 2;
    *out = g;
    g = NULL;
done:
    free(cnt);
    free(pos);
    free(tmp);
    free(key);
    free(tval);
    sgae_graph_free(g);
    return st;
}

/* Rows of D^-1/2 (A+I) D^-1/2 into a (offsets set): row i is row i of the
 * adjacency with the diagonal entry inserted in column order. */
static void norm_fill(const sgae_graph *g, const float *dinv, sgae_csr *a)
{
    const int64_t n = g->n;
#pragma omp parallel for schedule(dynamic, 1024)
    for (int64_t i = 0; i < n; i++) {
        int64_t w = a->rowptr[i];
        int placed = 0;
        double di = dinv[i];
        const float *wt = g->adj.val;
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++) {
            int32_t j = g->adj.col[k];
            if (!placed && j > i) {
                a->col[w] = (int32_t)i;
                a->val[w++] = (float)(di * di);
                placed = 1;
            }
            a->col[w] = j;
            a->val[w++] = wt ? (float)((double)wt[k] * di * (double)dinv[j])
                             : (float)(di * (double)dinv[j]);
        }
        if (!placed) {
            a->col[w] = (int32_t)i;
            a->val[w++] = (float)(di * di);
        }
    }
}

sgae_status sgae_graph_norm(sgae_graph *g)
{
    sgae_status st = SGAE_OK;
    sgae_csr a = {0};
    float *dinv = NULL;
    if (g->norm_valid)
        return SGAE_OK;
    const int64_t n = g->n, nnz = g->adj.rowptr[n] + n;
    a.nrows = a.ncols = n;
    dinv = sgae_alloc((size_t)n + 1, sizeof *dinv, "degree scaling");
    a.rowptr = dinv ? sgae_alloc((size_t)n + 1, sizeof *a.rowptr, "operator offsets") : NULL;
    a.col = a.rowptr ? sgae_alloc((size_t)nnz, sizeof *a.col, "operator columns") : NULL;
    a.val = a.col ? sgae_alloc((size_t)nnz, sizeof *a.val, "operator values") : NULL;
    if (!a.val)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++) {
        double d = (double)(sgae_graph_degree(g, i) + 1);
        if (g->adj.val) { /* weighted degree + 1, summed in row order */
            d = 1.0;
            for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++)
                d += (double)g->adj.val[k];
        }
        dinv[i] = (float)(1.0 / sqrt(d));
        a.rowptr[i] = g->adj.rowptr[i] + i;
    }
    a.rowptr[n] = nnz;
    norm_fill(g, dinv, &a);
    g->dinv_sqrt = dinv;
    g->norm = a;
    g->norm_valid = 1;
    dinv = NULL;
    memset(&a, 0, sizeof a);
done:
    free(dinv);
    sgae_csr_clear(&a);
    return st;
}

sgae_status sgae_graph_copy_ids(sgae_graph *dst, const sgae_graph *src)
{
    sgae_status st = SGAE_OK;
    uint64_t *ids = NULL;
    char **names = NULL;
    if (dst->n != src->n)
        SGAE_FAIL(SGAE_E_ARG, "graph: id maps of different sizes (%" PRId64 " and %" PRId64
                  " nodes)", dst->n, src->n);
    if (src->ids) {
        if (!(ids = sgae_alloc((size_t)src->n, sizeof *ids, "id map")))
            SGAE_CHECK(SGAE_E_NOMEM); /* the allocators record the message */
        memcpy(ids, src->ids, (size_t)src->n * sizeof *ids);
    }
    if (src->names) {
        if (!(names = sgae_calloc((size_t)src->n, sizeof *names, "id names")))
            SGAE_CHECK(SGAE_E_NOMEM);
        for (int64_t i = 0; i < src->n; i++)
            if (!(names[i] = sgae_strdup(src->names[i])))
                SGAE_CHECK(SGAE_E_NOMEM);
    }
    /* commit: dst's old map is replaced */
    free(dst->ids);
    dst->ids = ids;
    dst->id_base = src->id_base;
    ids = NULL;
    if (dst->names)
        for (int64_t i = 0; i < dst->n; i++)
            free(dst->names[i]);
    free(dst->names);
    dst->names = names;
    names = NULL;
done:
    free(ids);
    if (names)
        for (int64_t i = 0; i < src->n; i++)
            free(names[i]);
    free(names);
    return st;
}

const char *sgae_graph_node_name(const sgae_graph *g, int64_t i, char *buf, size_t len)
{
    if (g->names)
        snprintf(buf, len, "%s", g->names[i]);
    else
        snprintf(buf, len, "%" PRIu64, sgae_graph_id(g, i));
    return buf;
}

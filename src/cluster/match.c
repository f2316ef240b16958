/* Stable community ids: tonight's communities take yesterday's ids by an
 * optimal assignment on the sparse overlap matrix.
 *
 * The maximum-weight matching between tonight's communities (rows) and
 * yesterday's (columns) is solved as a rectangular assignment in which
 * every row also has a private "unmatched" column of cost 0 and a real
 * column p costs -overlap(row, p).  Rows are added one at a time
 * (Hungarian method, shortest augmenting paths): a Dijkstra search over
 * the columns with reduced costs c(i,j) - v(j) - u(i) >= 0 (Jonker &
 * Volgenant's column prices), stopped at the first free column, then the
 * prices of the scanned columns are updated and the path augmented.  The
 * private column bounds every search by the row's own "stay unmatched"
 * option, so searches stay local; integers throughout, so the optimum is
 * exact and ties are broken by column index (deterministic). */
#include <string.h>

#include "cluster_internal.h"

typedef struct {
    int64_t d;
    int32_t c;
} heap_item;

typedef struct {
    heap_item *a;
    int64_t n, cap;
} heap_t;

static int item_less(heap_item x, heap_item y) { return x.d < y.d || (x.d == y.d && x.c < y.c); }

static sgae_status heap_push(heap_t *h, int64_t d, int32_t c)
{
    if (h->n == h->cap) {
        int64_t cap = h->cap ? 2 * h->cap : 1024;
        heap_item *a = sgae_realloc(h->a, (size_t)cap, sizeof *a, "matching heap");
        if (!a)
            return SGAE_E_NOMEM;
        h->a = a;
        h->cap = cap;
    }
    int64_t i = h->n++;
    heap_item it = {d, c};
    while (i > 0) {
        int64_t p = (i - 1) / 2;
        if (!item_less(it, h->a[p]))
            break;
        h->a[i] = h->a[p];
        i = p;
    }
    h->a[i] = it;
    return SGAE_OK;
}

static heap_item heap_pop(heap_t *h)
{
    heap_item top = h->a[0], last = h->a[--h->n];
    int64_t i = 0;
    for (;;) {
        int64_t l = 2 * i + 1, r = l + 1, m = i;
        heap_item best = last;
        if (l < h->n && item_less(h->a[l], best)) {
            m = l;
            best = h->a[l];
        }
        if (r < h->n && item_less(h->a[r], best))
            m = r;
        if (m == i)
            break;
        h->a[i] = h->a[m];
        i = m;
    }
    if (h->n > 0)
        h->a[i] = last;
    return top;
}

/* Maximum-weight matching: rows 0..T-1 with edges (rp, cols, w) to columns
 * 0..P-1; mate[t] = column or -1. */
static sgae_status assign_rows(int64_t T, int64_t P, const int64_t *rp, const int32_t *cols,
                               const int64_t *w, int32_t *mate)
{
    sgae_status st = SGAE_OK;
    const int64_t NC = P + T; /* real columns, then one private column per row */
    int64_t *v = sgae_calloc((size_t)NC, sizeof *v, "matching prices");
    int64_t *d = sgae_alloc((size_t)NC, sizeof *d, "matching distances");
    int32_t *pred = sgae_alloc((size_t)NC, sizeof *pred, "matching paths");
    int32_t *row_of = sgae_alloc((size_t)NC, sizeof *row_of, "matching");
    uint8_t *state = sgae_calloc((size_t)NC, 1, "matching"); /* 1 seen, 2 scanned */
    int32_t *touched = sgae_alloc((size_t)NC, sizeof *touched, "matching");
    int32_t *col_of = sgae_alloc((size_t)T + 1, sizeof *col_of, "matching");
    heap_t h = {0};
    if (!v || !d || !pred || !row_of || !state || !touched || !col_of)
        SGAE_FAIL(SGAE_E_NOMEM, "matching: no memory for %lld x %lld communities", (long long)T,
                  (long long)P);
    for (int64_t c = 0; c < NC; c++)
        row_of[c] = -1;
    for (int64_t r = 0; r < T; r++) {
        int64_t nt = 0;
        h.n = 0;
        /* the row's own columns: its overlaps and its private column */
#define RELAX(col, dist, from)                                                             \
    do {                                                                                   \
        int32_t c_ = (col);                                                                \
        int64_t nd_ = (dist);                                                              \
        if (state[c_] == 0) {                                                              \
            state[c_] = 1;                                                                 \
            touched[nt++] = c_;                                                            \
            d[c_] = nd_;                                                                   \
            pred[c_] = (int32_t)(from);                                                    \
            SGAE_CHECK(heap_push(&h, nd_, c_));                                            \
        } else if (state[c_] == 1 && nd_ < d[c_]) {                                        \
            d[c_] = nd_;                                                                   \
            pred[c_] = (int32_t)(from);                                                    \
            SGAE_CHECK(heap_push(&h, nd_, c_));                                            \
        }                                                                                  \
    } while (0)
        for (int64_t e = rp[r]; e < rp[r + 1]; e++)
            RELAX(cols[e], -w[e] - v[cols[e]], r);
        RELAX((int32_t)(P + r), -v[P + r], r);
        int32_t sink = -1;
        int64_t dsink = 0;
        while (h.n > 0) {
            heap_item it = heap_pop(&h);
            int32_t j = it.c;
            if (state[j] == 2 || it.d != d[j])
                continue;
            state[j] = 2;
            if (row_of[j] < 0) {
                sink = j;
                dsink = d[j];
                break;
            }
            int32_t i = row_of[j];
            /* u(i) = c(i, j) - v(j) on the matched (tight) edge */
            int64_t cij = j >= P ? 0 : 0;
            if (j < P)
                for (int64_t e = rp[i]; e < rp[i + 1]; e++)
                    if (cols[e] == j) {
                        cij = -w[e];
                        break;
                    }
            int64_t ui = cij - v[j];
            for (int64_t e = rp[i]; e < rp[i + 1]; e++)
                if (state[cols[e]] != 2)
                    RELAX(cols[e], d[j] + (-w[e] - v[cols[e]]) - ui, i);
            if (state[P + i] != 2)
                RELAX((int32_t)(P + i), d[j] + (-v[P + i]) - ui, i);
        }
        if (sink < 0)
            SGAE_FAIL(SGAE_E_INTERNAL, "matching: no augmenting path for row %lld", (long long)r);
        /* prices of the scanned columns; reset the search state */
        for (int64_t q = 0; q < nt; q++) {
            int32_t c = touched[q];
            if (state[c] == 2 && c != sink)
                v[c] += d[c] - dsink;
            state[c] = 0;
        }
        /* augment */
        int32_t j = sink;
        for (;;) {
            int32_t i = pred[j];
            int32_t prev = i == r ? -1 : col_of[i];
            row_of[j] = i;
            col_of[i] = j;
            if (i == r)
                break;
            j = prev;
        }
#undef RELAX
    }
    for (int64_t r = 0; r < T; r++)
        mate[r] = col_of[r] < P ? col_of[r] : -1;
done:
    SGAE_FREE_ALL(v, d, pred, row_of, state, touched, col_of, h.a);
    return st;
}

sgae_status sgae_communities_match(int64_t n, const int32_t *prev, int32_t *comm,
                                   sgae_match_result *r)
{
    sgae_status st = SGAE_OK;
    int32_t *dense = NULL, *pvals = NULL, *pdense = NULL, *mate = NULL, *cols = NULL;
    uint64_t *key = NULL;
    int64_t *rp = NULL, *w = NULL;
    memset(r, 0, sizeof *r);
    if (cl_id_bound(n, prev) < 0 || cl_id_bound(n, comm) < 0)
        SGAE_FAIL(SGAE_E_ARG, "match: a community id below -1");
    if (SGAE_ALLOC_ARRAYS("match", SGAE_ARRAY(dense, n + 1), SGAE_ARRAY(pdense, n + 1),
                          SGAE_ARRAY(pvals, n + 1), SGAE_ARRAY(key, n + 1)))
        SGAE_FAIL(SGAE_E_NOMEM, "match: no memory for %lld nodes", (long long)n);
    memcpy(dense, comm, (size_t)n * sizeof *dense);
    int64_t T = cl_compact(n, dense);
    if (T < 0)
        SGAE_FAIL(SGAE_E_NOMEM, "match: no memory");
    /* yesterday's distinct ids, in increasing order */
    int64_t P = 0;
    for (int64_t i = 0; i < n; i++)
        if (prev[i] >= 0)
            pvals[P++] = prev[i];
    qsort(pvals, (size_t)P, sizeof *pvals, cl_cmp_i32);
    {
        int64_t u = 0;
        for (int64_t q = 0; q < P; q++)
            if (u == 0 || pvals[q] != pvals[u - 1])
                pvals[u++] = pvals[q];
        P = u;
    }
    int64_t maxprev = P ? pvals[P - 1] : -1;
    int64_t N = 0;
    for (int64_t i = 0; i < n; i++) {
        pdense[i] = -1;
        if (prev[i] < 0)
            continue;
        int64_t lo = 0, hi = P - 1;
        while (lo < hi) {
            int64_t mid = (lo + hi) / 2;
            if (pvals[mid] < prev[i])
                lo = mid + 1;
            else
                hi = mid;
        }
        pdense[i] = (int32_t)lo;
        if (dense[i] >= 0)
            key[N++] = (uint64_t)dense[i] << 32 | (uint32_t)lo;
    }
    qsort(key, (size_t)N, sizeof *key, cl_cmp_u64);
    int64_t nnz = 0;
    for (int64_t q = 0; q < N; q++)
        nnz += q == 0 || key[q] != key[q - 1];
    if (SGAE_ALLOC_ARRAYS("match overlaps", SGAE_ZARRAY(rp, T + 1), SGAE_ARRAY(cols, nnz + 1),
                          SGAE_ARRAY(w, nnz + 1), SGAE_ARRAY(mate, T + 1)))
        SGAE_FAIL(SGAE_E_NOMEM, "match: no memory for %lld overlaps", (long long)nnz);
    int64_t e = -1;
    for (int64_t q = 0; q < N; q++) {
        if (q == 0 || key[q] != key[q - 1]) {
            e++;
            cols[e] = (int32_t)(key[q] & 0xffffffffu);
            w[e] = 0;
            rp[(key[q] >> 32) + 1]++;
        }
        w[e]++;
    }
    for (int64_t t = 0; t < T; t++)
        rp[t + 1] += rp[t];
    SGAE_CHECK(assign_rows(T, P, rp, cols, w, mate));
    if (maxprev + 1 + T > INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "match: ids would pass 2^31 - 1");
    int64_t fresh = 0;
    for (int64_t t = 0; t < T; t++) {
        if (mate[t] >= 0) {
            mate[t] = pvals[mate[t]];
            r->matched++;
        } else {
            mate[t] = (int32_t)(maxprev + 1 + fresh++);
        }
    }
    r->fresh = fresh;
    for (int64_t i = 0; i < n; i++) {
        if (dense[i] < 0)
            continue;
        int32_t id = mate[dense[i]];
        if (prev[i] >= 0) {
            r->common++;
            r->changed += id != prev[i];
        }
    }
    r->kept = r->common - r->changed;
    {
        sgae_compare cmpr;
        SGAE_CHECK(sgae_partition_compare(n, pdense, dense, &cmpr));
        r->nmi = cmpr.nmi;
    }
    for (int64_t i = 0; i < n; i++)
        comm[i] = dense[i] < 0 ? -1 : mate[dense[i]];
done:
    SGAE_FREE_ALL(dense, pvals, pdense, mate, cols, key, rp, w);
    return st;
}

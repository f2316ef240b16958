/* Node features from a Matrix Market file (Planetoid convention: row r,
 * 1-based, is node r-1). */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <string.h>

#include "internal.h"
#include "raw.h"

typedef struct {
    int32_t row, col;
    float val;
} entry;

sgae_status sgae_features_read(const char *path, sgae_features **out)
{
    sgae_status st = SGAE_OK;
    sgae_reader *r = NULL;
    sgae_features *f = NULL;
    entry *e = NULL;
    int64_t *cnt = NULL;
    sgae_mtx_header h;
    *out = NULL;
    SGAE_CHECK(sgae_reader_open(path, &r));
    SGAE_CHECK(sgae_mtx_header_read(r, &h));
    if (h.symmetric)
        SGAE_FAIL(SGAE_E_FORMAT,
                  "%s: a feature matrix must be 'general', not 'symmetric'", path);
    if (h.rows >= INT32_MAX || h.cols >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "%s: %" PRId64 " x %" PRId64 " feature matrix is too large",
                  path, h.rows, h.cols);
    /* entries grow as they are read: the declared count is checked against
     * the lines actually present (sgae_mtx_entry), never trusted for memory;
     * the rows are counted once every entry was read */
    int64_t m = 0, cap = 0;
    for (;;) {
        int more;
        int64_t i, j;
        double x;
        SGAE_CHECK(sgae_mtx_entry(r, &h, &more, &i, &j, &x));
        if (!more)
            break;
        if (!(fabs(x) <= FLT_MAX))
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: feature value %g is outside the float range",
                      path, (long long)sgae_reader_lineno(r), x);
        if (m == cap) {
            int64_t ncap = cap ? 2 * cap : 4096;
            entry *ne = sgae_realloc(e, (size_t)ncap, sizeof *e, "feature entries");
            if (!ne)
                SGAE_CHECK(SGAE_E_NOMEM);
            e = ne;
            cap = ncap;
        }
        e[m].row = (int32_t)i;
        e[m].col = (int32_t)j;
        e[m].val = (float)x;
        m++;
    }
    /* the row table (8 bytes per declared row) is the one per-row cost */
    SGAE_CHECK(sgae_budget_check(sgae_memory_budget_default(),
                                 (h.rows + 1) * (int64_t)sizeof *cnt +
                                     m * (int64_t)(sizeof *e + sizeof(int32_t) + sizeof(float)),
                                 path, "the feature matrix"));
    SGAE_CHECK_ALLOC(cnt = sgae_calloc((size_t)h.rows + 2, sizeof *cnt, "feature rows"));
    SGAE_CHECK_ALLOC(f = sgae_calloc(1, sizeof *f, "features"));
    /* counting sort by row with one table: cnt[i + 1] counts row i, its
     * exclusive prefix sum is where row i starts; placing each entry at
     * cnt[row + 1]++ leaves cnt[i + 1] at the end of row i, so cnt is the
     * row offsets (cnt[0] = 0) */
    for (int64_t k = 0; k < m; k++)
        cnt[e[k].row + 1]++;
    sgae_prefix_sum(cnt + 1, h.rows);
    SGAE_CHECK_ALLOC(f->x.col =
                         sgae_alloc((size_t)(m > 0 ? m : 1), sizeof *f->x.col, "feature columns"));
    SGAE_CHECK_ALLOC(f->x.val =
                         sgae_alloc((size_t)(m > 0 ? m : 1), sizeof *f->x.val, "feature values"));
    for (int64_t k = 0; k < m; k++) {
        int64_t p = cnt[e[k].row + 1]++;
        f->x.col[p] = e[k].col;
        f->x.val[p] = e[k].val;
    }
    /* then each row sorted by column */
    f->x.nrows = h.rows;
    f->x.ncols = h.cols;
    f->x.rowptr = cnt;
    cnt = NULL;
    for (int64_t i = 0; i < h.rows; i++) {
        int64_t a = f->x.rowptr[i], b = f->x.rowptr[i + 1];
        for (int64_t k = a + 1; k < b; k++) { /* insertion sort: rows are short */
            int32_t c = f->x.col[k];
            float v = f->x.val[k];
            int64_t q = k - 1;
            while (q >= a && f->x.col[q] > c) {
                f->x.col[q + 1] = f->x.col[q];
                f->x.val[q + 1] = f->x.val[q];
                q--;
            }
            f->x.col[q + 1] = c;
            f->x.val[q + 1] = v;
        }
        for (int64_t k = a + 1; k < b; k++)
            if (f->x.col[k] == f->x.col[k - 1])
                SGAE_FAIL(SGAE_E_PARSE,
                          "%s: duplicate entry (%" PRId64 ", %d) in the feature matrix",
                          path, i + 1, f->x.col[k] + 1);
    }
    *out = f;
    f = NULL;
done:
    sgae_reader_close(r);
    sgae_features_free(f);
    free(e);
    free(cnt);
    return st;
}

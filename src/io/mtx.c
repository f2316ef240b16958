/* Matrix Market coordinate files: the header, entries, and graphs. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "raw.h"

static inline int is_ws(char c) { return c == ' ' || c == '\t'; }

/* Next whitespace-separated word of s into w (at most len-1 chars); returns
 * the position after it, or NULL if there is none. */
static char *word(char *s, char *w, size_t len)
{
    while (is_ws(*s))
        s++;
    if (!*s)
        return NULL;
    size_t k = 0;
    while (s[k] && !is_ws(s[k])) {
        if (k + 1 < len)
            w[k] = s[k];
        k++;
    }
    w[k < len ? k : len - 1] = '\0';
    return s + k;
}

#define LN(r) sgae_reader_path(r), (long long)sgae_reader_lineno(r)

sgae_status sgae_mtx_header_read(sgae_reader *r, sgae_mtx_header *h)
{
    sgae_status st;
    char *line;
    size_t len;
    char w[5][32];
    memset(h, 0, sizeof *h);
    if ((st = sgae_reader_line(r, &line, &len)))
        return st;
    if (!line)
        return sgae_error_set(SGAE_E_PARSE, "%s: empty file", sgae_reader_path(r));
    char *p = line;
    for (int k = 0; k < 5; k++)
        if (!(p = word(p, w[k], sizeof w[k])))
            return sgae_error_set(SGAE_E_PARSE,
                                  "%s:%lld: malformed Matrix Market banner (need "
                                  "'%%%%MatrixMarket matrix coordinate FIELD SYMMETRY')",
                                  LN(r));
    /* "%MatrixMarket" with one '%' (as Network Repository writes it) is accepted */
    h->one_percent = strcmp(w[0], "%MatrixMarket") == 0;
    if ((strcmp(w[0], "%%MatrixMarket") != 0 && !h->one_percent) ||
        strcasecmp(w[1], "matrix") != 0)
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: malformed Matrix Market banner '%s'",
                              LN(r), line);
    if (strcasecmp(w[2], "coordinate") != 0)
        return sgae_error_set(SGAE_E_FORMAT,
                              "%s:%lld: Matrix Market '%s' format is not supported (only "
                              "'coordinate')",
                              LN(r), w[2]);
    if (!strcasecmp(w[3], "pattern"))
        h->field = SGAE_MTX_PATTERN;
    else if (!strcasecmp(w[3], "real") || !strcasecmp(w[3], "double"))
        h->field = SGAE_MTX_REAL;
    else if (!strcasecmp(w[3], "integer"))
        h->field = SGAE_MTX_INTEGER;
    else
        return sgae_error_set(SGAE_E_FORMAT,
                              "%s:%lld: Matrix Market field '%s' is not supported (pattern, "
                              "real, integer)",
                              LN(r), w[3]);
    if (!strcasecmp(w[4], "general"))
        h->symmetric = 0;
    else if (!strcasecmp(w[4], "symmetric"))
        h->symmetric = 1;
    else
        return sgae_error_set(SGAE_E_FORMAT,
                              "%s:%lld: Matrix Market symmetry '%s' is not supported (general, "
                              "symmetric)",
                              LN(r), w[4]);
    /* comments, then the sizes line */
    for (;;) {
        if ((st = sgae_reader_line(r, &line, &len)))
            return st;
        if (!line)
            return sgae_error_set(SGAE_E_PARSE,
                                  "%s:%lld: end of file before the Matrix Market sizes line",
                                  LN(r));
        p = line;
        while (is_ws(*p))
            p++;
        if (*p == '%' || *p == '\0')
            continue;
        break;
    }
    uint64_t v[3];
    const char *q = p;
    for (int k = 0; k < 3; k++) {
        while (is_ws(*q))
            q++;
        int e = sgae_parse_u64(&q, &v[k]);
        if (e || (*q && !is_ws(*q)) || v[k] > (uint64_t)INT64_MAX)
            return sgae_error_set(SGAE_E_PARSE,
                                  "%s:%lld: malformed Matrix Market sizes line '%s' (need "
                                  "'ROWS COLS ENTRIES', non-negative integers)",
                                  LN(r), p);
    }
    while (is_ws(*q))
        q++;
    if (*q)
        return sgae_error_set(SGAE_E_PARSE,
                              "%s:%lld: malformed Matrix Market sizes line '%s' (need exactly "
                              "'ROWS COLS ENTRIES')",
                              LN(r), p);
    h->rows = (int64_t)v[0];
    h->cols = (int64_t)v[1];
    h->nnz = (int64_t)v[2];
    if (h->symmetric && h->rows != h->cols)
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: symmetric matrix must be square (%" PRId64
                                            " x %" PRId64 ")",
                              LN(r), h->rows, h->cols);
    /* the declared entry count cannot exceed the matrix size */
    if (h->rows > 0 && h->cols > 0 &&
        (unsigned __int128)h->nnz > (unsigned __int128)h->rows * (unsigned __int128)h->cols)
        return sgae_error_set(SGAE_E_PARSE,
                              "%s:%lld: %" PRId64 " entries declared for a %" PRId64 " x %" PRId64
                              " matrix",
                              LN(r), h->nnz, h->rows, h->cols);
    if ((h->rows == 0 || h->cols == 0) && h->nnz > 0)
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: %" PRId64 " entries declared for an empty matrix",
                              LN(r), h->nnz);
    return SGAE_OK;
}

sgae_status sgae_mtx_entry(sgae_reader *r, sgae_mtx_header *h, int *more, int64_t *i,
                           int64_t *j, double *val)
{
    sgae_status st;
    char *line;
    size_t len;
    *more = 0;
    for (;;) {
        if ((st = sgae_reader_line(r, &line, &len)))
            return st;
        if (!line) {
            if (h->entries < h->nnz)
                return sgae_error_set(SGAE_E_PARSE,
                                      "%s:%lld: end of file after %" PRId64 " of %" PRId64
                                      " declared entries",
                                      LN(r), h->entries, h->nnz);
            return SGAE_OK;
        }
        const char *p = line;
        while (is_ws(*p))
            p++;
        if (*p == '\0' || *p == '%')
            continue;
        break;
    }
    if (h->entries >= h->nnz)
        return sgae_error_set(SGAE_E_PARSE,
                              "%s:%lld: more entries than the %" PRId64 " declared", LN(r),
                              h->nnz);
    const char *p = line;
    uint64_t a[2];
    for (int k = 0; k < 2; k++) {
        while (is_ws(*p))
            p++;
        if (!*p)
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: missing %s index (need 'ROW COL%s')",
                                  LN(r), k ? "column" : "row",
                                  h->field == SGAE_MTX_PATTERN ? "" : " VALUE");
        const char *s = p;
        int e = sgae_parse_u64(&p, &a[k]);
        if (e == 0 && *p && !is_ws(*p))
            e = 1;
        if (e) {
            char tok[32];
            sgae_io_token_copy(tok, sizeof tok, s);
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: %s index '%s' is not a positive integer",
                                  LN(r), k ? "column" : "row", tok);
        }
    }
    for (int k = 0; k < 2; k++) {
        int64_t lim = k ? h->cols : h->rows;
        if (a[k] < 1 || a[k] > (uint64_t)lim)
            return sgae_error_set(SGAE_E_PARSE,
                                  "%s:%lld: entry (%" PRIu64 ", %" PRIu64 ") out of range: %s "
                                  "index must be in 1..%" PRId64,
                                  LN(r), a[0], a[1], k ? "column" : "row", lim);
    }
    double x = 1.0;
    while (is_ws(*p))
        p++;
    if (h->field != SGAE_MTX_PATTERN) {
        if (!*p)
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: missing value (need 'ROW COL VALUE')",
                                  LN(r));
        char *end;
        errno = 0;
        if (h->field == SGAE_MTX_INTEGER) {
            long long v = strtoll(p, &end, 10);
            x = (double)v;
        } else {
            x = strtod(p, &end);
        }
        if (end == p || (*end && !is_ws(*end)) || errno == ERANGE || !isfinite(x))
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: bad %s value '%s'", LN(r),
                                  h->field == SGAE_MTX_INTEGER ? "integer" : "real", p);
        p = end;
        while (is_ws(*p))
            p++;
    }
    if (*p)
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: unexpected text '%s' after the entry",
                              LN(r), p);
    h->entries++;
    *i = (int64_t)a[0] - 1;
    *j = (int64_t)a[1] - 1;
    *val = x;
    *more = 1;
    return SGAE_OK;
}

sgae_status sgae_mtx_parse(sgae_reader *r, sgae_raw *raw)
{
    sgae_status st = SGAE_OK;
    sgae_mtx_header h;
    sgae_progress_meter meter;
    sgae_progress_meter_init(&meter, raw->progress, "reading entries");
    SGAE_CHECK(sgae_mtx_header_read(r, &h));
    if (h.one_percent)
        sgae_raw_warn(raw, "%s:1: Matrix Market banner begins with one '%%' (%%MatrixMarket); "
                           "read as '%%%%MatrixMarket'",
                      sgae_reader_path(r));
    if (h.rows != h.cols)
        SGAE_FAIL(SGAE_E_PARSE, "%s: adjacency matrix must be square, got %" PRId64 " x %" PRId64,
                  sgae_reader_path(r), h.rows, h.cols);
    if (h.rows >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "%s: %" PRId64 " nodes is more than the maximum %d",
                  sgae_reader_path(r), h.rows, INT32_MAX - 1);
    raw->nfixed = h.rows;
    if (raw->weighted && h.field == SGAE_MTX_PATTERN)
        SGAE_FAIL(SGAE_E_ARG, "%s:1: a 'pattern' Matrix Market file has no values to read as "
                              "weights: drop --weighted",
                  sgae_reader_path(r));
    /* nothing per declared row or entry before the entries are read: a
     * short or malformed entry list fails before the node set costs memory */
    for (;;) {
        int more;
        int64_t i, j;
        double x;
        SGAE_CHECK(sgae_mtx_entry(r, &h, &more, &i, &j, &x));
        if (!more)
            break;
        if (raw->weighted && !(x > 0 && isfinite((float)x) && (float)x > 0))
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: weight %g must be finite and > 0 (--weighted)",
                      LN(r), x);
        SGAE_CHECK(sgae_raw_push_w(raw, (uint64_t)i, (uint64_t)j, (float)x));
        if ((raw->m & 0xfffff) == 0)
            sgae_progress_meter_tick(&meter, raw->m, h.nnz);
    }
    sgae_progress_meter_end(&meter);
    raw->id_base = 1; /* the ids are 1..rows: an implicit map, nothing per node */
done:
    return st; /* what was parsed stays in raw: the caller frees it */
}

/* Text edge lists: "u v [weight]" per line. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "raw.h"

static inline int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* Copy a short token for an error message. */
static const char *token(const char *p, char *buf, size_t len)
{
    size_t k = 0;
    while (p[k] && !is_sep(p[k]) && k + 1 < len)
        k++;
    memcpy(buf, p, k);
    buf[k] = '\0';
    return buf;
}

static sgae_status bad_id(sgae_reader *r, int why, const char *p, int column)
{
    char tok[48];
    const char *path = sgae_reader_path(r);
    long long ln = (long long)sgae_reader_lineno(r);
    switch (why) {
    case 2:
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column %d: id '%s' exceeds 2^64-1", path,
                              ln, column, token(p, tok, sizeof tok));
    case 3:
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column %d: negative id '%s'", path, ln,
                              column, token(p, tok, sizeof tok));
    default:
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column %d: non-numeric token '%s'", path,
                              ln, column, token(p, tok, sizeof tok));
    }
}

/* The weight column (--weighted) at p, after the second id. */
static sgae_status read_weight(sgae_reader *r, const char *p, float *w)
{
    char tok[48];
    while (is_sep(*p))
        p++;
    const char *start = p;
    int e = sgae_parse_weight(&p, w);
    if (e == 0)
        return SGAE_OK;
    if (*start == '\0')
        return sgae_error_set(SGAE_E_PARSE,
                              "%s:%lld: missing weight (third column; --weighted needs "
                              "'u v weight' on every edge line)",
                              sgae_reader_path(r), (long long)sgae_reader_lineno(r));
    return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column 3: weight '%s' %s",
                          sgae_reader_path(r), (long long)sgae_reader_lineno(r),
                          token(start, tok, sizeof tok),
                          e == 1 ? "is not a number" : "must be finite and > 0");
}

/* ---- the "# nodes N" line (written by sgae_edgelist_save) ------------------
 * A comment "# nodes N" before the first data line fixes the node count;
 * after it, a line with one id declares a node that has no edge.  At the
 * end (nodes_apply): if every id is below N the nodes are 0..N-1, else the
 * distinct ids must number N and are the nodes (in increasing order, as the
 * relabelling would give them). */

typedef struct {
    int64_t declared; /* N, or -1: no such line */
    sgae_raw single;  /* ids of single-id lines (as pairs (id, id)) */
} nodes_decl;

/* N if the comment line [p, eol) is "# nodes N", else -1. */
static int64_t nodes_header(const char *p, const char *eol)
{
    static const char key[] = "nodes";
    uint64_t v;
    if (*p++ != '#')
        return -1;
    while (p < eol && (*p == ' ' || *p == '\t'))
        p++;
    if (eol - p < 6 || memcmp(p, key, 5) != 0 || (p[5] != ' ' && p[5] != '\t'))
        return -1;
    p += 5;
    while (p < eol && (*p == ' ' || *p == '\t'))
        p++;
    if (sgae_parse_u64(&p, &v) || v >= (uint64_t)INT32_MAX)
        return -1;
    while (p < eol && (*p == ' ' || *p == '\t' || *p == '\r'))
        p++;
    return p == eol ? (int64_t)v : -1;
}

/* N of a "# nodes N" line among the comment lines that open buf[0..size)
 * (each line ends in '\n'), else -1. */
static int64_t nodes_header_lead(const char *buf, int64_t size)
{
    const char *p = buf, *end = buf + size;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        while (p < eol && (*p == ' ' || *p == '\t'))
            p++;
        if (p < eol && *p == '#') {
            int64_t n = nodes_header(p, eol);
            if (n >= 0)
                return n;
        } else if (p < eol && *p != '%' && !(*p == '\r' && p + 1 == eol)) {
            return -1; /* the first data (or header) line; "\r" alone is blank */
        }
        p = eol + 1;
    }
    return -1;
}

static int cmp_id(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Rank of id x in the sorted ids[0..n). */
static int64_t id_rank(const uint64_t *ids, int64_t n, uint64_t x)
{
    int64_t lo = 0, hi = n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (ids[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Fix the node set of raw by the "# nodes N" line (frees d's ids). */
static sgae_status nodes_apply(const char *path, nodes_decl *d, sgae_raw *raw)
{
    sgae_status st = SGAE_OK;
    uint64_t *all = NULL;
    const int64_t N = d->declared, m = raw->m;
    if (N < 0)
        goto done;
    uint64_t maxid = 0;
    for (int64_t k = 0; k < m; k++)
        maxid = raw->u[k] > maxid ? raw->u[k] : raw->v[k] > maxid ? raw->v[k] : maxid;
    const int64_t ns = d->single.m;
    for (int64_t k = 0; k < ns; k++)
        maxid = d->single.u[k] > maxid ? d->single.u[k] : maxid;
    if (m + ns == 0 || maxid < (uint64_t)N) {
        raw->nfixed = N; /* the ids are the node indices */
        goto done;
    }
    int64_t tot = 2 * m + ns, w = 0;
    SGAE_CHECK_ALLOC(all = sgae_alloc((size_t)tot, sizeof *all, "node ids"));
    if (m) {
        memcpy(all, raw->u, (size_t)m * sizeof *all);
        memcpy(all + m, raw->v, (size_t)m * sizeof *all);
    }
    if (ns)
        memcpy(all + 2 * m, d->single.u, (size_t)ns * sizeof *all);
    qsort(all, (size_t)tot, sizeof *all, cmp_id);
    for (int64_t k = 0; k < tot; k++)
        if (w == 0 || all[k] != all[w - 1])
            all[w++] = all[k];
    if (w != N)
        SGAE_FAIL(SGAE_E_PARSE,
                  "%s: the line '# nodes %" PRId64 "' declares %" PRId64 " nodes, but the file "
                  "names %" PRId64 " distinct ids, not all below %" PRId64
                  " (fix or delete that line)",
                  path, N, N, w, N);
    for (int64_t k = 0; k < m; k++) {
        raw->u[k] = (uint64_t)id_rank(all, w, raw->u[k]);
        raw->v[k] = (uint64_t)id_rank(all, w, raw->v[k]);
    }
    free(raw->ids);
    raw->ids = all;
    all = NULL;
    raw->nfixed = N;
done:
    free(all);
    sgae_raw_free(&d->single);
    d->declared = -1;
    return st;
}

sgae_status sgae_edgelist_parse(sgae_reader *r, sgae_raw *raw)
{
    sgae_status st;
    char *line;
    size_t len;
    int64_t data_lines = 0;
    sgae_progress_meter meter;
    nodes_decl nd = {-1, {0}};
    sgae_progress_meter_init(&meter, raw->progress, "reading edges");
    raw->nfixed = -1;
    for (;;) {
        if ((st = sgae_reader_line(r, &line, &len)))
            goto done;
        if (!line)
            break;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '#' && data_lines == 0 && nd.declared < 0)
            nd.declared = nodes_header(p, line + len);
        if (*p == '\0' || *p == '#' || *p == '%')
            continue;
        uint64_t a, b;
        const char *start = p;
        int e = sgae_parse_u64(&p, &a);
        if (e == 0 && *p && !is_sep(*p))
            e = 1;
        if (e) {
            if (e == 1 && data_lines == 0) { /* one header line, e.g. "id_1,id_2" */
                data_lines = -1;
                continue;
            }
            st = bad_id(r, e, start, 1);
            goto done;
        }
        while (is_sep(*p))
            p++;
        int single = *p == '\0' && nd.declared >= 0;
        if (single) {
            b = a; /* a node without edges (after "# nodes N") */
        } else if (*p == '\0') {
            st = sgae_error_set(SGAE_E_PARSE, "%s:%lld: missing second column (need 'u v')",
                                sgae_reader_path(r), (long long)sgae_reader_lineno(r));
            goto done;
        } else {
            start = p;
            e = sgae_parse_u64(&p, &b);
            if (e == 0 && *p && !is_sep(*p))
                e = 1;
            if (e) {
                st = bad_id(r, e, start, 2);
                goto done;
            }
        }
        float w = 1.0f;
        if (raw->weighted && !single && (st = read_weight(r, p, &w)))
            goto done;
        if (raw->limit > 0 && (a >= (uint64_t)raw->limit || b >= (uint64_t)raw->limit)) {
            st = sgae_error_set(SGAE_E_PARSE,
                                  "%s:%lld: node %" PRIu64 " has no row in the features file %s "
                                  "(%" PRId64 " rows: nodes 0..%" PRId64 ")",
                                  sgae_reader_path(r), (long long)sgae_reader_lineno(r),
                                  a >= (uint64_t)raw->limit ? a : b, raw->limit_why, raw->limit,
                                  raw->limit - 1);
            goto done;
        }
        if ((st = single ? sgae_raw_push(&nd.single, a, a) : sgae_raw_push_w(raw, a, b, w)))
            goto done;
        data_lines = data_lines < 0 ? 1 : data_lines + 1;
        if ((raw->m & 0xfffff) == 0)
            sgae_progress_meter_tick(&meter, raw->m, 0);
    }
    sgae_progress_meter_end(&meter);
done:
    if (st == SGAE_OK)
        return nodes_apply(sgae_reader_path(r), &nd, raw);
    sgae_raw_free(&nd.single);
    return st;
}

/* ---- plain files: the whole file in memory, parsed in parallel chunks ----
 *
 * The file is cut into chunks at line boundaries; each chunk is parsed into
 * its own slice of the edge arrays (sized by its line count) and the slices
 * are closed up in chunk order, so the pairs come out in file order whatever
 * the thread count.  Anything unusual (a parse error, a possible header line
 * outside the first chunk, a NUL byte, an over-long line) sends the whole
 * file to the streaming parser above, which reports errors with their line
 * numbers; the result is the same either way. */

enum { L_DATA, L_SKIP, L_HEADER, L_BAD };

/* One line [p, eol); *eol is '\n' or '\r' (never a digit or separator). */
static inline int scan_line(const char *p, const char *eol, uint64_t *a, uint64_t *b,
                            float *w)
{
    while (*p == ' ' || *p == '\t')
        p++;
    if (p == eol || *p == '#' || *p == '%')
        return L_SKIP;
    int e = sgae_parse_u64(&p, a);
    if (e == 0 && p != eol && !is_sep(*p))
        e = 1;
    if (e)
        return e == 1 ? L_HEADER : L_BAD;
    while (is_sep(*p))
        p++;
    if (p == eol)
        return L_BAD;
    e = sgae_parse_u64(&p, b);
    if (e || (p != eol && !is_sep(*p)))
        return L_BAD;
    if (w) { /* --weighted: the third column */
        while (is_sep(*p))
            p++;
        if (p == eol || sgae_parse_weight(&p, w))
            return L_BAD;
    }
    return L_DATA;
}

typedef struct {
    int64_t begin, end; /* byte range */
    int64_t off;        /* first slot in the edge arrays */
    int64_t m;          /* pairs parsed */
    int bad;
} chunk_t;

static sgae_status read_file(const char *path, char **out, int64_t *size)
{
    sgae_status st = SGAE_OK;
    char *buf = NULL;
    int fd = open(path, O_RDONLY);
    *out = NULL;
    if (fd < 0)
        return sgae_error_set(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot stat: %s", path, strerror(errno));
    int64_t n = (int64_t)sb.st_size;
    SGAE_CHECK_ALLOC(buf = sgae_alloc((size_t)n + 1, 1, "file buffer"));
    int64_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, buf + got, (size_t)(n - got) < ((size_t)1 << 30)
                                            ? (size_t)(n - got) : (size_t)1 << 30);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            SGAE_FAIL(SGAE_E_IO, "%s: read error: %s", path, strerror(errno));
        if (k == 0)
            break; /* the file shrank: parse what is there */
        got += k;
    }
    buf[got] = '\n'; /* sentinel: every line ends in '\n' */
    *size = got;
    *out = buf;
    buf = NULL;
done:
    close(fd);
    free(buf);
    return st;
}

sgae_status sgae_edgelist_parse_plain(const char *path, sgae_raw *raw)
{
    sgae_status st = SGAE_OK;
    char *buf = NULL;
    int64_t size = 0;
    chunk_t *ch = NULL;
    sgae_reader *r = NULL;
    raw->nfixed = -1;
    SGAE_CHECK(read_file(path, &buf, &size));
    /* a UTF-8 byte-order mark at the start is not text (as in sgae_reader) */
    const int64_t bom = size >= 3 && !memcmp(buf, "\xef\xbb\xbf", 3) ? 3 : 0;
    int nth = SGAE_NTHREADS();
    int64_t nch = size < ((int64_t)1 << 20) ? 1 : 4 * (int64_t)nth;
    SGAE_CHECK_ALLOC(ch = sgae_calloc((size_t)nch + 1, sizeof *ch, "parse chunks"));
    ch[0].begin = bom;
    for (int64_t k = 1; k < nch; k++) {
        int64_t x = size * k / nch;
        const char *nl = memchr(buf + x - 1, '\n', (size_t)(size - (x - 1)));
        int64_t b = nl ? nl - buf + 1 : size;
        ch[k].begin = b > ch[k - 1].begin ? b : ch[k - 1].begin;
        ch[k - 1].end = ch[k].begin;
    }
    ch[nch - 1].end = size;
    int anomaly = 0;
    /* capacity of each chunk: its line count */
#pragma omp parallel for schedule(dynamic, 1) reduction(| : anomaly)
    for (int64_t k = 0; k < nch; k++) {
        int64_t lines = 0;
        const char *p = buf + ch[k].begin, *end = buf + ch[k].end;
        if (memchr(p, '\0', (size_t)(end - p)))
            anomaly = 1;
        while (p < end && (p = memchr(p, '\n', (size_t)(end - p))) != NULL) {
            lines++;
            p++;
        }
        ch[k].m = lines + 1;
    }
    int64_t cap = 0;
    for (int64_t k = 0; k < nch; k++) {
        ch[k].off = cap;
        cap += ch[k].m;
    }
    if (!anomaly) {
        SGAE_CHECK(sgae_raw_reserve(raw, cap + 1));
        raw->m = 0;
        uint64_t limit = raw->limit > 0 ? (uint64_t)raw->limit : UINT64_MAX;
#pragma omp parallel for schedule(dynamic, 1) reduction(| : anomaly)
        for (int64_t k = 0; k < nch; k++) {
            const char *p = buf + ch[k].begin, *end = buf + ch[k].end;
            uint64_t *cu = raw->u + ch[k].off, *cv = raw->v + ch[k].off;
            float *cw = raw->weighted ? raw->w + ch[k].off : NULL, wk = 1.0f;
            int64_t m = 0, data_lines = 0;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p) + 1); /* sentinel */
                if (nl - p > SGAE_MAX_LINE) {
                    ch[k].bad = 1;
                    break;
                }
                const char *eol = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
                uint64_t a, b;
                int c = scan_line(p, eol, &a, &b, cw ? &wk : NULL);
                p = nl + 1;
                if (c == L_SKIP)
                    continue;
                if (c == L_HEADER && k == 0 && data_lines == 0) {
                    data_lines = -1;
                    continue;
                }
                if (c != L_DATA || (limit != UINT64_MAX && (a >= limit || b >= limit))) {
                    ch[k].bad = 1;
                    break;
                }
                cu[m] = a;
                cv[m] = b;
                if (cw)
                    cw[m] = wk;
                m++;
                data_lines = 1;
            }
            ch[k].m = m;
            anomaly |= ch[k].bad;
        }
    }
    if (anomaly) {
        /* the streaming parser finds (and words) the problem */
        raw->m = 0;
        SGAE_CHECK(sgae_reader_open(path, &r));
        SGAE_CHECK(sgae_edgelist_parse(r, raw));
        goto done;
    }
    /* close up the slices, in order */
    int64_t w = 0;
    for (int64_t k = 0; k < nch; k++) {
        if (w != ch[k].off && ch[k].m > 0) {
            memmove(raw->u + w, raw->u + ch[k].off, (size_t)ch[k].m * sizeof *raw->u);
            memmove(raw->v + w, raw->v + ch[k].off, (size_t)ch[k].m * sizeof *raw->v);
            if (raw->weighted)
                memmove(raw->w + w, raw->w + ch[k].off, (size_t)ch[k].m * sizeof *raw->w);
        }
        w += ch[k].m;
    }
    raw->m = w;
    nodes_decl nd = {nodes_header_lead(buf + bom, size - bom), {0}};
    st = nodes_apply(path, &nd, raw);
done:
    sgae_reader_close(r);
    free(buf);
    free(ch);
    return st;
}

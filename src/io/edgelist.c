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

sgae_status sgae_edgelist_parse(sgae_reader *r, sgae_raw *raw)
{
    sgae_status st;
    char *line;
    size_t len;
    int64_t data_lines = 0;
    sgae_progress_meter meter;
    sgae_progress_meter_init(&meter, raw->progress, "reading edges");
    raw->nfixed = -1;
    for (;;) {
        if ((st = sgae_reader_line(r, &line, &len)))
            return st;
        if (!line)
            break;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
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
            return bad_id(r, e, start, 1);
        }
        while (is_sep(*p))
            p++;
        if (*p == '\0')
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: missing second column (need 'u v')",
                                  sgae_reader_path(r), (long long)sgae_reader_lineno(r));
        start = p;
        e = sgae_parse_u64(&p, &b);
        if (e == 0 && *p && !is_sep(*p))
            e = 1;
        if (e)
            return bad_id(r, e, start, 2);
        if (raw->limit > 0 && (a >= (uint64_t)raw->limit || b >= (uint64_t)raw->limit))
            return sgae_error_set(SGAE_E_PARSE,
                                  "%s:%lld: node %" PRIu64 " has no row in the features file %s "
                                  "(%" PRId64 " rows: nodes 0..%" PRId64 ")",
                                  sgae_reader_path(r), (long long)sgae_reader_lineno(r),
                                  a >= (uint64_t)raw->limit ? a : b, raw->limit_why, raw->limit,
                                  raw->limit - 1);
        if ((st = sgae_raw_push(raw, a, b)))
            return st;
        data_lines = data_lines < 0 ? 1 : data_lines + 1;
        if ((raw->m & 0xfffff) == 0)
            sgae_progress_meter_tick(&meter, raw->m, 0);
    }
    sgae_progress_meter_end(&meter);
    return SGAE_OK;
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
static inline int scan_line(const char *p, const char *eol, uint64_t *a, uint64_t *b)
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
    int nth = SGAE_NTHREADS();
    int64_t nch = size < ((int64_t)1 << 20) ? 1 : 4 * (int64_t)nth;
    SGAE_CHECK_ALLOC(ch = sgae_calloc((size_t)nch + 1, sizeof *ch, "parse chunks"));
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
            int64_t m = 0, data_lines = 0;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p) + 1); /* sentinel */
                if (nl - p > SGAE_MAX_LINE) {
                    ch[k].bad = 1;
                    break;
                }
                const char *eol = (nl > p && nl[-1] == '\r') ? nl - 1 : nl;
                uint64_t a, b;
                int c = scan_line(p, eol, &a, &b);
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
        }
        w += ch[k].m;
    }
    raw->m = w;
done:
    sgae_reader_close(r);
    free(buf);
    free(ch);
    return st;
}

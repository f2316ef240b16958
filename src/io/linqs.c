/* LINQS citation data: X.content ("paper word... class") + X.cites ("cited citing"). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"
#include "raw.h"

static inline int is_ws(char c) { return c == ' ' || c == '\t'; }

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

/* Find the sibling file: `stem` + `want` + compression suffix (the same as
 * `comp` first, then none, .gz, .zst), in *out. */
static sgae_status sibling(const char *given, const char *stem, const char *want,
                           const char *comp, char **out)
{
    sgae_status st = SGAE_OK;
    const char *tries[] = {comp, "", ".gz", ".zst"};
    size_t cap = strlen(stem) + strlen(want) + 8;
    char *p = NULL;
    SGAE_CHECK_ALLOC(p = sgae_alloc(cap, 1, "path"));
    for (int k = 0; k < 4; k++) {
        snprintf(p, cap, "%s%s%s", stem, want, tries[k]);
        if (access(p, F_OK) == 0) {
            *out = p;
            p = NULL;
            goto done;
        }
    }
    SGAE_FAIL(SGAE_E_IO, "%s: cannot find the LINQS %s file beside it (%s%s[.gz|.zst])", given,
              want, stem, want);
done:
    free(p);
    return st;
}

typedef struct {
    int64_t n, cap;
    char **name;
    char **cls;
    int64_t *line; /* line of each paper in .content */
    int32_t *slot; /* hash: node index or -1 */
    uint64_t mask;
} papers;

static sgae_status papers_grow_hash(papers *pp)
{
    uint64_t cap = pp->mask ? (pp->mask + 1) * 2 : 4096;
    int32_t *slot = sgae_alloc(cap, sizeof *slot, "paper index");
    if (!slot)
        return SGAE_E_NOMEM;
    memset(slot, 0xff, cap * sizeof *slot);
    for (int64_t i = 0; i < pp->n; i++) {
        uint64_t s = hash_str(pp->name[i]) & (cap - 1);
        while (slot[s] >= 0)
            s = (s + 1) & (cap - 1);
        slot[s] = (int32_t)i;
    }
    free(pp->slot);
    pp->slot = slot;
    pp->mask = cap - 1;
    return SGAE_OK;
}

/* Slot of name: holds its index, or -1 where it would go. */
static uint64_t papers_slot(const papers *pp, const char *name)
{
    uint64_t s = hash_str(name) & pp->mask;
    while (pp->slot[s] >= 0 && strcmp(pp->name[pp->slot[s]], name) != 0)
        s = (s + 1) & pp->mask;
    return s;
}

typedef struct {
    int64_t nnz, cap;
    int32_t *col;
    float *val;
    int64_t *rowptr;
} csrb;

/* Free what pp owns (name may have been handed on: NULL). */
static void papers_free(papers *pp)
{
    for (int64_t i = 0; i < pp->n; i++) {
        if (pp->name)
            free(pp->name[i]);
        free(pp->cls[i]);
    }
    free(pp->name);
    free(pp->cls);
    free(pp->line);
    free(pp->slot);
}

static void csrb_free(csrb *x)
{
    free(x->col);
    free(x->val);
    free(x->rowptr);
}

/* Reallocate the array `a` to `cap` elements (unchanged on failure: then
 * st = SGAE_E_NOMEM and go to the function's `done`). */
#define GROW_OR_FAIL(a, cap, what)                                                      \
    do {                                                                               \
        void *grown_ = sgae_realloc((a), (size_t)(cap), sizeof *(a), (what));         \
        if (!grown_) {                                                                 \
            st = SGAE_E_NOMEM;                                                         \
            goto done;                                                                 \
        }                                                                              \
        (a) = grown_;                                                                  \
    } while (0)

/* The next line of r that is not blank or a comment (# or %): the line and
 * its length, p at its first non-blank character, ln its number; *line is
 * NULL at the end. */
static sgae_status data_line(sgae_reader *r, char **line, size_t *len, char **p, long long *ln)
{
    for (;;) {
        sgae_status st = sgae_reader_line(r, line, len);
        if (st || !*line)
            return st;
        char *q = *line;
        while (is_ws(*q))
            q++;
        if (*q && *q != '#' && *q != '%') {
            *p = q;
            *ln = (long long)sgae_reader_lineno(r);
            return SGAE_OK;
        }
    }
}

static sgae_status read_content(const char *path, papers *pp, csrb *x, int64_t *dim_out)
{
    sgae_status st = SGAE_OK;
    sgae_reader *r = NULL;
    int64_t dim = -1;
    SGAE_CHECK(sgae_reader_open(path, &r));
    char *line, *p;
    size_t len;
    long long ln;
    while (!(st = data_line(r, &line, &len, &p, &ln)) && line) {
        /* tokens: id, words..., class */
        char *id = p;
        while (*p && !is_ws(*p))
            p++;
        if (!*p)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: need 'paper_id words... class'", path, ln);
        *p++ = '\0';
        /* the class is the last token */
        char *end = line + len;
        while (end > p && is_ws(end[-1]))
            *--end = '\0';
        char *cls = end;
        while (cls > p && !is_ws(cls[-1]))
            cls--;
        if (cls == end || cls <= p)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: need 'paper_id words... class'", path, ln);
        cls[-1] = '\0';
        /* grow */
        if (pp->n == pp->cap) {
            int64_t cap = pp->cap ? pp->cap * 2 : 1024;
            GROW_OR_FAIL(pp->name, cap, "papers");
            GROW_OR_FAIL(pp->cls, cap, "papers");
            GROW_OR_FAIL(pp->line, cap, "papers");
            GROW_OR_FAIL(x->rowptr, cap + 1, "features");
            pp->cap = cap;
        }
        if ((uint64_t)pp->n * 2 >= pp->mask)
            SGAE_CHECK(papers_grow_hash(pp));
        uint64_t s = papers_slot(pp, id);
        if (pp->slot[s] >= 0)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: paper '%.64s' appears twice", path, ln, id);
        if (pp->n >= INT32_MAX - 1)
            SGAE_FAIL(SGAE_E_ARG, "%s: too many papers", path);
        int64_t i = pp->n;
        pp->name[i] = pp->cls[i] = NULL;
        pp->n++; /* papers_free frees both */
        SGAE_CHECK_ALLOC(pp->name[i] = sgae_strdup(id));
        SGAE_CHECK_ALLOC(pp->cls[i] = sgae_strdup(cls));
        pp->slot[s] = (int32_t)i;
        pp->line[i] = ln;
        if (i == 0)
            x->rowptr[0] = 0;
        /* words */
        int64_t c = 0;
        while (*p) {
            while (is_ws(*p))
                p++;
            if (!*p)
                break;
            char *e;
            float v;
            errno = 0;
            if ((p[0] == '0' || p[0] == '1') && (p[1] == '\0' || is_ws(p[1]))) {
                v = (float)(p[0] - '0'); /* the usual binary word column */
                e = p + 1;
            } else {
                v = strtof(p, &e);
            }
            if (e == p || (*e && !is_ws(*e)) || errno == ERANGE || !isfinite(v)) {
                char tok[32];
                sgae_io_token_copy(tok, sizeof tok, p);
                SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: word column %lld: non-numeric value '%s'",
                          path, ln, (long long)c + 1, tok);
            }
            p = e;
            if (v != 0.0f) {
                if (x->nnz == x->cap) {
                    int64_t cap = x->cap ? x->cap * 2 : 1 << 16;
                    GROW_OR_FAIL(x->col, cap, "features");
                    GROW_OR_FAIL(x->val, cap, "features");
                    x->cap = cap;
                }
                x->col[x->nnz] = (int32_t)c;
                x->val[x->nnz++] = v;
            }
            c++;
            if (c >= INT32_MAX)
                SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: too many word columns", path, ln);
        }
        if (dim < 0)
            dim = c;
        else if (c != dim)
            SGAE_FAIL(SGAE_E_PARSE,
                      "%s:%lld: %lld word columns, but the first paper has %lld", path,
                      ln, (long long)c, (long long)dim);
        x->rowptr[i + 1] = x->nnz;
    }
    SGAE_CHECK(st);
    if (pp->n == 0)
        SGAE_FAIL(SGAE_E_PARSE, "%s: empty file (no papers)", path);
    *dim_out = dim;
done:
    sgae_reader_close(r);
    return st;
}

static sgae_status read_cites(const char *path, papers *pp, sgae_raw *raw)
{
    sgae_status st = SGAE_OK;
    sgae_reader *r = NULL;
    long long first_ln = 0;
    char first_tok[72] = "";
    SGAE_CHECK(sgae_reader_open(path, &r));
    char *line, *p;
    size_t len;
    long long ln;
    while (!(st = data_line(r, &line, &len, &p, &ln)) && line) {
        char *tok[2];
        for (int k = 0; k < 2; k++) {
            while (is_ws(*p))
                p++;
            if (!*p)
                SGAE_FAIL(SGAE_E_PARSE,
                          "%s:%lld: missing second column (need 'cited citing')", path,
                          ln);
            tok[k] = p;
            while (*p && !is_ws(*p))
                p++;
            if (*p)
                *p++ = '\0';
        }
        while (is_ws(*p))
            p++;
        if (*p)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: unexpected text '%.32s' (need 'cited citing')",
                      path, ln, p);
        int64_t node[2];
        int missing = -1;
        for (int k = 0; k < 2; k++) {
            uint64_t s = papers_slot(pp, tok[k]);
            node[k] = pp->slot[s];
            if (node[k] < 0 && missing < 0)
                missing = k;
        }
        if (missing >= 0) {
            if (raw->strict)
                SGAE_FAIL(SGAE_E_PARSE,
                          "%s:%lld: unknown paper '%.64s' (not in the .content file)", path,
                          ln, tok[missing]);
            if (raw->dropped++ == 0) {
                first_ln = ln;
                snprintf(first_tok, sizeof first_tok, "%.64s", tok[missing]);
            }
            continue;
        }
        SGAE_CHECK(sgae_raw_push(raw, (uint64_t)node[1], (uint64_t)node[0]));
    }
    SGAE_CHECK(st);
    if (raw->dropped)
        sgae_raw_warn(raw,
                      "%s:%lld: %lld citation%s name papers missing from the .content file "
                      "(first: '%s'); dropped (--strict refuses them)",
                      path, first_ln, (long long)raw->dropped, raw->dropped == 1 ? "" : "s",
                      first_tok);
done:
    sgae_reader_close(r);
    return st;
}

sgae_status sgae_linqs_parse(const char *path, sgae_raw *raw)
{
    sgae_status st = SGAE_OK;
    char *stem = NULL, *content = NULL, *cites = NULL;
    papers pp = {0};
    csrb x = {0};
    int64_t dim = 0;
    /* split "<stem>.(content|cites)[.gz|.zst]" */
    size_t len = strlen(path);
    const char *comp = "";
    if (len > 3 && !strcasecmp(path + len - 3, ".gz"))
        comp = ".gz";
    else if (len > 4 && !strcasecmp(path + len - 4, ".zst"))
        comp = ".zst";
    size_t base = len - strlen(comp);
    int is_content = base >= 8 && !strncasecmp(path + base - 8, ".content", 8);
    int is_cites = base >= 6 && !strncasecmp(path + base - 6, ".cites", 6);
    if (!is_content && !is_cites)
        SGAE_FAIL(SGAE_E_ARG,
                  "%s: a LINQS graph is named X.content or X.cites (optionally .gz/.zst)",
                  path);
    size_t stemlen = base - (is_content ? 8 : 6);
    SGAE_CHECK_ALLOC(stem = sgae_alloc(stemlen + 1, 1, "path"));
    memcpy(stem, path, stemlen);
    stem[stemlen] = '\0';
    if (is_content) {
        SGAE_CHECK_ALLOC(content = sgae_strdup(path));
        SGAE_CHECK(sibling(path, stem, ".cites", comp, &cites));
    } else {
        SGAE_CHECK_ALLOC(cites = sgae_strdup(path));
        SGAE_CHECK(sibling(path, stem, ".content", comp, &content));
    }
    SGAE_CHECK(read_content(content, &pp, &x, &dim));
    SGAE_CHECK(read_cites(cites, &pp, raw));
    /* features */
    SGAE_CHECK_ALLOC(raw->features = sgae_calloc(1, sizeof *raw->features, "features"));
    raw->features->x.nrows = pp.n;
    raw->features->x.ncols = dim;
    raw->features->x.rowptr = x.rowptr;
    raw->features->x.col = x.col ? x.col : sgae_alloc(1, sizeof(int32_t), "features");
    raw->features->x.val = x.val ? x.val : sgae_alloc(1, sizeof(float), "features");
    memset(&x, 0, sizeof x);
    if (!raw->features->x.col || !raw->features->x.val)
        SGAE_CHECK(SGAE_E_NOMEM);
    SGAE_CHECK(sgae_labels_from_tokens(pp.n, pp.cls, NULL, 0, &raw->labels));
    raw->nfixed = pp.n;
    raw->names = pp.name;
    pp.name = NULL;
done:
    papers_free(&pp);
    csrb_free(&x);
    free(stem);
    free(content);
    free(cites);
    return st;
}

sgae_status sgae_linqs_features_read(const char *path, const sgae_graph *g, sgae_features **fout,
                                     sgae_labels **lout)
{
    sgae_status st = SGAE_OK;
    papers pp = {0};
    csrb x = {0};
    int64_t dim = 0, n = g->n;
    int64_t *row_of = NULL; /* node -> content row */
    char **tok = NULL;
    sgae_node_index ix = {0};
    sgae_features *f = NULL;
    *fout = NULL;
    *lout = NULL;
    SGAE_CHECK(read_content(path, &pp, &x, &dim));
    SGAE_CHECK(sgae_node_index_init(&ix, g));
    SGAE_CHECK_ALLOC(row_of = sgae_alloc((size_t)n + 1, sizeof *row_of, "features"));
    SGAE_CHECK_ALLOC(tok = sgae_calloc((size_t)n + 1, sizeof *tok, "labels"));
    SGAE_CHECK_ALLOC(f = sgae_calloc(1, sizeof *f, "features"));
    for (int64_t i = 0; i < n; i++)
        row_of[i] = -1;
    for (int64_t r = 0; r < pp.n; r++) {
        int64_t node = sgae_node_index_find(&ix, pp.name[r]);
        if (node < 0)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: paper '%.64s' is not a node of the graph",
                      path, (long long)pp.line[r], pp.name[r]);
        if (row_of[node] >= 0) /* e.g. "7" and "007" for a numeric id map */
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: paper '%.64s' names the same node as line %lld",
                      path, (long long)pp.line[r], pp.name[r],
                      (long long)pp.line[row_of[node]]);
        row_of[node] = r;
    }
    for (int64_t i = 0; i < n; i++)
        if (row_of[i] < 0) {
            char buf[64];
            SGAE_FAIL(SGAE_E_PARSE, "%s: node '%s' of the graph has no row", path,
                      sgae_graph_node_name(g, i, buf, sizeof buf));
        }
    f->x.nrows = n;
    f->x.ncols = dim;
    SGAE_CHECK_ALLOC(f->x.rowptr = sgae_alloc((size_t)n + 1, sizeof *f->x.rowptr, "features"));
    SGAE_CHECK_ALLOC(f->x.col = sgae_alloc((size_t)x.nnz + 1, sizeof *f->x.col, "features"));
    SGAE_CHECK_ALLOC(f->x.val = sgae_alloc((size_t)x.nnz + 1, sizeof *f->x.val, "features"));
    int64_t w = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t r = row_of[i], a = x.rowptr[r], b = x.rowptr[r + 1];
        f->x.rowptr[i] = w;
        memcpy(f->x.col + w, x.col + a, (size_t)(b - a) * sizeof *f->x.col);
        memcpy(f->x.val + w, x.val + a, (size_t)(b - a) * sizeof *f->x.val);
        w += b - a;
        tok[i] = pp.cls[r];
    }
    f->x.rowptr[n] = w;
    /* classes numbered in the order of .content */
    for (int64_t r = 0; r < pp.n; r++)
        row_of[r] = sgae_node_index_find(&ix, pp.name[r]);
    SGAE_CHECK(sgae_labels_from_tokens(n, tok, row_of, pp.n, lout));
    *fout = f;
    f = NULL;
done:
    papers_free(&pp);
    csrb_free(&x);
    free(row_of);
    free(tok);
    free(ix.perm);
    sgae_features_free(f);
    return st;
}

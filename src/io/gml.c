/* GML (Newman's network data): graph [ node [ id label value ] edge [ source target ] ]. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "raw.h"

enum { T_EOF, T_KEY, T_NUM, T_STR, T_LBR, T_RBR };

typedef struct {
    sgae_reader *r;
    char *p;          /* position in the current line (NULL: need a line) */
    char *text;       /* text of the last key/number/string token */
    size_t len, cap;
    int64_t line;     /* line of the last token */
} gtok;

typedef struct {
    int64_t n, cap;
    uint64_t *id;
    int64_t *line;
    char **lab; /* primary label attribute */
    char **fb;  /* fallback attribute (when no node has the primary one) */
    int has_id;
} gnodes;

typedef struct {
    gtok t;
    const char *path;
    const char *attr; /* label attribute */
    int fallback;     /* choose another attribute if no node has `attr` */
    char fb_key[64];
    gnodes nd;
    int64_t *eline; /* line of each edge */
    int64_t ecap;
    int graphs;
    const sgae_raw *raw; /* its budget and edge buffers */
} gml;

/* Bytes per node of the parse's node arrays. */
#define NODE_BYTES ((int64_t)(sizeof(uint64_t) + sizeof(int64_t) + 2 * sizeof(char *)))

/* What the parse holds with node arrays of ncap, edge lines of ecap, the
 * raw edge buffers and `extra` bytes, against the loader's memory budget. */
static sgae_status budget(const gml *g, int64_t ncap, int64_t ecap, int64_t extra)
{
    int64_t held = ncap * NODE_BYTES + ecap * (int64_t)sizeof(int64_t) +
                   g->raw->cap * 2 * (int64_t)sizeof(uint64_t) + extra;
    return sgae_budget_check(g->raw->budget, held, g->path, "the GML nodes and edges");
}

static sgae_status text_put(gtok *t, char c)
{
    if (t->len + 1 >= t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char *s = sgae_realloc(t->text, cap, 1, "GML token");
        if (!s)
            return SGAE_E_NOMEM;
        t->text = s;
        t->cap = cap;
    }
    t->text[t->len++] = c;
    t->text[t->len] = '\0';
    return SGAE_OK;
}

static inline int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}
static inline int is_key(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static sgae_status next_line(gtok *t, int *eof)
{
    char *line;
    size_t len;
    sgae_status st = sgae_reader_line(t->r, &line, &len);
    if (st)
        return st;
    t->p = line;
    *eof = line == NULL;
    return SGAE_OK;
}

static sgae_status next(gtok *t, int *type)
{
    sgae_status st;
    int eof;
    t->len = 0;
    if ((st = text_put(t, 0)))
        return st;
    t->len = 0;
    for (;;) {
        if (!t->p) {
            if ((st = next_line(t, &eof)))
                return st;
            if (eof) {
                t->line = sgae_reader_lineno(t->r);
                *type = T_EOF;
                return SGAE_OK;
            }
        }
        while (is_ws(*t->p))
            t->p++;
        if (*t->p == '\0' || *t->p == '#') {
            t->p = NULL;
            continue;
        }
        break;
    }
    t->line = sgae_reader_lineno(t->r);
    char c = *t->p;
    if (c == '[' || c == ']') {
        t->p++;
        *type = c == '[' ? T_LBR : T_RBR;
        return SGAE_OK;
    }
    if (c == '"') {
        t->p++;
        for (;;) {
            while (*t->p && *t->p != '"')
                if ((st = text_put(t, *t->p++)))
                    return st;
            if (*t->p == '"') {
                t->p++;
                break;
            }
            /* the string goes on over the next line */
            if ((st = next_line(t, &eof)))
                return st;
            if (eof)
                return sgae_error_set(SGAE_E_PARSE, "%s:%lld: unterminated string",
                                      sgae_reader_path(t->r), (long long)t->line);
            if ((st = text_put(t, '\n')))
                return st;
        }
        *type = T_STR;
        return SGAE_OK;
    }
    if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.') {
        while (*t->p && !is_ws(*t->p) && *t->p != '[' && *t->p != ']')
            if ((st = text_put(t, *t->p++)))
                return st;
        *type = T_NUM;
        return SGAE_OK;
    }
    if (is_key(c)) {
        while (is_key(*t->p))
            if ((st = text_put(t, *t->p++)))
                return st;
        *type = T_KEY;
        return SGAE_OK;
    }
    return sgae_error_set(SGAE_E_PARSE, "%s:%lld: unexpected character '%c'",
                          sgae_reader_path(t->r), (long long)t->line, c);
}

#define ERR(g, ...) sgae_error_set(SGAE_E_PARSE, __VA_ARGS__)

/* After `key` was read: read its value; a list is skipped entirely.
 * *type is the value's token type (T_LBR for a skipped list). */
static sgae_status value(gml *g, const char *key, int *type)
{
    sgae_status st;
    if ((st = next(&g->t, type)))
        return st;
    if (*type == T_EOF || *type == T_RBR || *type == T_KEY)
        return ERR(g, "%s:%lld: key '%s' has no value", g->path, (long long)g->t.line, key);
    if (*type == T_LBR) {
        int depth = 1, tt;
        int64_t start = g->t.line;
        while (depth > 0) {
            if ((st = next(&g->t, &tt)))
                return st;
            if (tt == T_EOF)
                return ERR(g, "%s:%lld: list '%s [' opened on line %lld is never closed",
                           g->path, (long long)g->t.line, key, (long long)start);
            depth += tt == T_LBR;
            depth -= tt == T_RBR;
        }
        *type = T_LBR;
    }
    return SGAE_OK;
}

static sgae_status int_value(gml *g, const char *key, uint64_t *out)
{
    const char *p = g->t.text;
    int e = sgae_parse_u64(&p, out);
    if (e == 3)
        return ERR(g, "%s:%lld: negative node id '%s' in '%s'", g->path, (long long)g->t.line,
                   g->t.text, key);
    if (e == 2)
        return ERR(g, "%s:%lld: node id '%s' exceeds 2^64-1", g->path, (long long)g->t.line,
                   g->t.text);
    if (e || *p)
        return ERR(g, "%s:%lld: '%s' needs an integer node id, got '%s'", g->path,
                   (long long)g->t.line, key, g->t.text);
    return SGAE_OK;
}

/* Read the next key of the block `what [ ... ]` opened on line `start`:
 * *more = 1 with the key in key[64], or *more = 0 at the closing ']'. */
static sgae_status block_key(gml *g, const char *what, int64_t start, char key[64], int *more)
{
    sgae_status st;
    int tt;
    if ((st = next(&g->t, &tt)))
        return st;
    *more = tt != T_RBR;
    if (tt == T_RBR)
        return SGAE_OK;
    if (tt == T_EOF)
        return ERR(g, "%s:%lld: '%s [' opened on line %lld is never closed", g->path,
                   (long long)g->t.line, what, (long long)start);
    if (tt != T_KEY)
        return ERR(g, "%s:%lld: expected a key inside '%s [ ... ]', got '%s'", g->path,
                   (long long)g->t.line, what, tt == T_LBR ? "[" : g->t.text);
    snprintf(key, 64, "%s", g->t.text);
    return SGAE_OK;
}

/* The next `key value` member of the block (see block_key), skipping those
 * whose value is a list: with *more = 1 the value is in g->t. */
static sgae_status block_member(gml *g, const char *what, int64_t start, char key[64], int *more)
{
    sgae_status st;
    for (;;) {
        int tt;
        if ((st = block_key(g, what, start, key, more)) || !*more)
            return st;
        if ((st = value(g, key, &tt)))
            return st;
        if (tt != T_LBR)
            return SGAE_OK;
    }
}

static sgae_status parse_node(gml *g, int64_t start)
{
    sgae_status st;
    gnodes *nd = &g->nd;
    if (nd->n == nd->cap) {
        int64_t cap = nd->cap ? nd->cap * 2 : 256;
        if ((st = budget(g, cap, g->ecap, 0)))
            return st;
        SGAE_IO_GROW(nd->id, cap, "GML nodes");
        SGAE_IO_GROW(nd->line, cap, "GML nodes");
        SGAE_IO_GROW(nd->lab, cap, "GML nodes");
        SGAE_IO_GROW(nd->fb, cap, "GML nodes");
        nd->cap = cap;
    }
    int64_t k = nd->n++;
    nd->lab[k] = nd->fb[k] = NULL;
    nd->line[k] = start;
    int have_id = 0;
    char key[64];
    int more;
    while (!(st = block_member(g, "node", start, key, &more)) && more) {
        if (!strcmp(key, "id")) {
            if (have_id)
                return ERR(g, "%s:%lld: node has two ids", g->path, (long long)g->t.line);
            if ((st = int_value(g, "id", &nd->id[k])))
                return st;
            have_id = 1;
        } else if (!strcmp(key, g->attr)) {
            free(nd->lab[k]);
            if (!(nd->lab[k] = sgae_strdup(g->t.text)))
                return SGAE_E_NOMEM;
        } else if (g->fallback && strcmp(key, "label") != 0) {
            if (!g->fb_key[0])
                snprintf(g->fb_key, sizeof g->fb_key, "%s", key);
            if (!strcmp(key, g->fb_key)) {
                free(nd->fb[k]);
                if (!(nd->fb[k] = sgae_strdup(g->t.text)))
                    return SGAE_E_NOMEM;
            }
        }
    }
    if (st)
        return st;
    if (!have_id)
        return ERR(g, "%s:%lld: node without an id", g->path, (long long)start);
    return SGAE_OK;
}

static sgae_status parse_edge(gml *g, sgae_raw *raw, int64_t start)
{
    sgae_status st;
    uint64_t s = 0, t = 0;
    int have = 0;
    char key[64];
    int more;
    while (!(st = block_member(g, "edge", start, key, &more)) && more) {
        if (!strcmp(key, "source")) {
            if ((st = int_value(g, "source", &s)))
                return st;
            have |= 1;
        } else if (!strcmp(key, "target")) {
            if ((st = int_value(g, "target", &t)))
                return st;
            have |= 2;
        }
    }
    if (st)
        return st;
    if (have != 3)
        return ERR(g, "%s:%lld: edge without %s", g->path, (long long)start,
                   have & 1 ? "a target" : "a source");
    if ((st = sgae_raw_push(raw, s, t)))
        return st;
    if (raw->m > g->ecap) {
        int64_t cap = g->ecap ? g->ecap * 2 : 1024;
        while (cap < raw->m)
            cap *= 2;
        if ((st = budget(g, g->nd.cap, cap, 0)))
            return st;
        SGAE_IO_GROW(g->eline, cap, "GML edges");
        g->ecap = cap;
    }
    g->eline[raw->m - 1] = start;
    return SGAE_OK;
}

static sgae_status parse_graph(gml *g, sgae_raw *raw, int64_t start)
{
    sgae_status st;
    char key[64];
    int more;
    for (;;) {
        int tt;
        if ((st = block_key(g, "graph", start, key, &more)) || !more)
            return st;
        int64_t kl = g->t.line;
        if (!strcmp(key, "node") || !strcmp(key, "edge")) {
            if ((st = next(&g->t, &tt)))
                return st;
            if (tt != T_LBR)
                return ERR(g, "%s:%lld: expected '[' after '%s'", g->path, (long long)g->t.line,
                           key);
            st = key[0] == 'n' ? parse_node(g, kl) : parse_edge(g, raw, kl);
            if (st)
                return st;
        } else if ((st = value(g, key, &tt))) {
            return st;
        }
    }
}

static int cmp_idx_id(const void *a, const void *b, void *ctx)
{
    const uint64_t *id = ctx;
    uint64_t x = id[*(const int64_t *)a], y = id[*(const int64_t *)b];
    return (x > y) - (x < y);
}

sgae_status sgae_gml_parse(sgae_reader *r, const char *label_attr, sgae_raw *raw)
{
    sgae_status st = SGAE_OK;
    gml g = {0};
    int64_t *perm = NULL, *inv = NULL;
    char **tok = NULL;
    g.t.r = r;
    g.path = sgae_reader_path(r);
    g.attr = label_attr ? label_attr : "value";
    g.fallback = label_attr == NULL;
    g.raw = raw;
    for (;;) {
        int tt;
        SGAE_CHECK(next(&g.t, &tt));
        if (tt == T_EOF)
            break;
        if (tt != T_KEY)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: expected a key such as 'graph', got '%s'", g.path,
                      (long long)g.t.line, tt == T_LBR ? "[" : tt == T_RBR ? "]" : g.t.text);
        if (!strcmp(g.t.text, "graph")) {
            int64_t kl = g.t.line;
            if (g.graphs++)
                SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: more than one graph in the file", g.path,
                          (long long)kl);
            SGAE_CHECK(next(&g.t, &tt));
            if (tt != T_LBR)
                SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: expected '[' after 'graph'", g.path,
                          (long long)g.t.line);
            SGAE_CHECK(parse_graph(&g, raw, kl));
        } else {
            char key[64];
            snprintf(key, sizeof key, "%s", g.t.text);
            SGAE_CHECK(value(&g, key, &tt));
        }
    }
    if (!g.graphs)
        SGAE_FAIL(SGAE_E_PARSE, "%s: no 'graph [ ... ]' in the file", g.path);
    int64_t n = g.nd.n;
    if (n >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "%s: more than %d nodes", g.path, INT32_MAX - 1);
    /* relabel: nodes in increasing order of id */
    /* the sort permutation, the id map, the label tokens and their inverse */
    SGAE_CHECK(budget(&g, g.nd.cap, g.ecap, n * 4 * (int64_t)sizeof(int64_t)));
    SGAE_CHECK_ALLOC(perm = sgae_alloc((size_t)n + 1, sizeof *perm, "GML nodes"));
    SGAE_CHECK_ALLOC(raw->ids = sgae_alloc((size_t)n + 1, sizeof *raw->ids, "id map"));
    SGAE_CHECK_ALLOC(tok = sgae_calloc((size_t)n + 1, sizeof *tok, "GML labels"));
    for (int64_t i = 0; i < n; i++)
        perm[i] = i;
    qsort_r(perm, (size_t)n, sizeof *perm, cmp_idx_id, g.nd.id);
    for (int64_t i = 0; i < n; i++) {
        raw->ids[i] = g.nd.id[perm[i]];
        if (i > 0 && raw->ids[i] == raw->ids[i - 1]) {
            int64_t a = g.nd.line[perm[i - 1]], b = g.nd.line[perm[i]];
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: duplicate node id %" PRIu64 " (also on line %lld)",
                      g.path, (long long)(a > b ? a : b), raw->ids[i], (long long)(a > b ? b : a));
        }
    }
    raw->nfixed = n;
    for (int64_t k = 0; k < raw->m; k++) {
        for (int side = 0; side < 2; side++) {
            uint64_t x = side ? raw->v[k] : raw->u[k];
            int64_t lo = 0, hi = n;
            while (lo < hi) {
                int64_t mid = lo + (hi - lo) / 2;
                if (raw->ids[mid] < x)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == n || raw->ids[lo] != x)
                SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: edge %s %" PRIu64 " is not a declared node",
                          g.path, (long long)g.eline[k], side ? "target" : "source", x);
            if (side)
                raw->v[k] = (uint64_t)lo;
            else
                raw->u[k] = (uint64_t)lo;
        }
    }
    /* labels */
    char **src = g.nd.lab;
    int any = 0;
    for (int64_t i = 0; i < n && !any; i++)
        any = g.nd.lab[i] != NULL;
    if (!any && g.fallback && g.fb_key[0]) {
        src = g.nd.fb;
        any = 1;
    }
    if (any) {
        /* perm[i] = file position of node i; inv = nodes in file order */
        SGAE_CHECK_ALLOC(inv = sgae_alloc((size_t)n + 1, sizeof *inv, "GML labels"));
        for (int64_t i = 0; i < n; i++) {
            tok[i] = src[perm[i]];
            inv[perm[i]] = i;
        }
        SGAE_CHECK(sgae_labels_from_tokens(n, tok, inv, n, &raw->labels));
    }
done:
    for (int64_t i = 0; i < g.nd.n; i++) {
        free(g.nd.lab[i]);
        free(g.nd.fb[i]);
    }
    free(g.nd.id);
    free(g.nd.line);
    free(g.nd.lab);
    free(g.nd.fb);
    free(g.eline);
    free(g.t.text);
    free(perm);
    free(inv);
    free(tok);
    return st;
}

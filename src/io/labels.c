/* Node labels: "node label" files, and the class numbering shared with the
 * formats that carry labels (LINQS, GML). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "raw.h"

static int parse_int(const char *s, long long *v)
{
    char *end;
    errno = 0;
    *v = strtoll(s, &end, 10);
    return end != s && *end == '\0' && errno == 0;
}

static int cmp_ll(const void *a, const void *b)
{
    long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

/* String hash set: token -> class index, in order of first appearance. */
typedef struct {
    int32_t *slot; /* class index or -1 */
    uint64_t mask;
} strset;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
    return h;
}

sgae_status sgae_labels_from_tokens(int64_t n, char *const *tok, const int64_t *order,
                                    int64_t norder, sgae_labels **out)
{
    sgae_status st = SGAE_OK;
    sgae_labels *l = NULL;
    long long *vals = NULL;
    strset hs = {0};
    *out = NULL;
    SGAE_CHECK_ALLOC(l = sgae_calloc(1, sizeof *l, "labels"));
    SGAE_CHECK_ALLOC(l->label = sgae_alloc((size_t)n + 1, sizeof *l->label, "labels"));
    l->n = n;
    int numeric = 1;
    int64_t given = 0;
    for (int64_t i = 0; i < n; i++) {
        long long v;
        if (!tok[i])
            continue;
        given++;
        if (!parse_int(tok[i], &v))
            numeric = 0;
    }
    if (numeric) {
        SGAE_CHECK_ALLOC(vals = sgae_alloc((size_t)given + 1, sizeof *vals, "labels"));
        int64_t k = 0;
        for (int64_t i = 0; i < n; i++) {
            long long v;
            if (tok[i] && parse_int(tok[i], &v) && v != -1)
                vals[k++] = v;
        }
        qsort(vals, (size_t)k, sizeof *vals, cmp_ll);
        int64_t u = 0;
        for (int64_t q = 0; q < k; q++)
            if (u == 0 || vals[q] != vals[u - 1])
                vals[u++] = vals[q];
        if (u >= INT32_MAX)
            SGAE_FAIL(SGAE_E_ARG, "labels: too many classes");
        l->nclasses = (int32_t)u;
        SGAE_CHECK_ALLOC(l->class_names =
                             sgae_calloc((size_t)u + 1, sizeof *l->class_names, "class names"));
        for (int64_t c = 0; c < u; c++) {
            char buf[32];
            snprintf(buf, sizeof buf, "%lld", vals[c]);
            SGAE_CHECK_ALLOC(l->class_names[c] = sgae_strdup(buf));
        }
        for (int64_t i = 0; i < n; i++) {
            long long v;
            l->label[i] = -1;
            if (!tok[i] || !parse_int(tok[i], &v) || v == -1)
                continue;
            int64_t lo = 0, hi = u - 1;
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (vals[mid] < v)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            l->label[i] = (int32_t)lo;
        }
    } else {
        uint64_t cap = 64;
        while (cap < (uint64_t)given * 2 + 2)
            cap <<= 1;
        hs.mask = cap - 1;
        SGAE_CHECK_ALLOC(hs.slot = sgae_alloc(cap, sizeof *hs.slot, "class table"));
        memset(hs.slot, 0xff, cap * sizeof *hs.slot);
        int64_t capn = 16;
        SGAE_CHECK_ALLOC(l->class_names =
                             sgae_calloc((size_t)capn, sizeof *l->class_names, "class names"));
        for (int64_t i = 0; i < n; i++)
            l->label[i] = -1;
        int64_t cnt = order ? norder : n;
        for (int64_t q = 0; q < cnt; q++) {
            int64_t i = order ? order[q] : q;
            if (!tok[i])
                continue;
            uint64_t s = hash_str(tok[i]) & hs.mask;
            while (hs.slot[s] >= 0 && strcmp(l->class_names[hs.slot[s]], tok[i]) != 0)
                s = (s + 1) & hs.mask;
            if (hs.slot[s] < 0) {
                if (l->nclasses == capn) {
                    char **nn;
                    SGAE_CHECK_ALLOC(nn = sgae_realloc(l->class_names, (size_t)capn * 2,
                                                       sizeof *nn, "class names"));
                    memset(nn + capn, 0, (size_t)capn * sizeof *nn);
                    l->class_names = nn;
                    capn *= 2;
                }
                SGAE_CHECK_ALLOC(l->class_names[l->nclasses] = sgae_strdup(tok[i]));
                hs.slot[s] = l->nclasses++;
            }
            l->label[i] = hs.slot[s];
        }
    }
    *out = l;
    l = NULL;
done:
    sgae_labels_free(l);
    free(vals);
    free(hs.slot);
    return st;
}

/* ---- the "node label" file ------------------------------------------ */


static int ids_sorted(const sgae_graph *g)
{
    for (int64_t i = 1; i < g->n; i++)
        if (g->ids[i] <= g->ids[i - 1])
            return 0;
    return 1;
}

static _Thread_local const sgae_graph *sort_g; /* qsort has no context argument */
static int cmp_node(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    if (sort_g->names)
        return strcmp(sort_g->names[x], sort_g->names[y]);
    return (sort_g->ids[x] > sort_g->ids[y]) - (sort_g->ids[x] < sort_g->ids[y]);
}

sgae_status sgae_node_index_init(sgae_node_index *lk, const sgae_graph *g)
{
    lk->g = g;
    lk->perm = NULL;
    if (!g->names && (!g->ids || ids_sorted(g)))
        return SGAE_OK;
    lk->perm = sgae_alloc((size_t)g->n + 1, sizeof *lk->perm, "node index");
    if (!lk->perm)
        return SGAE_E_NOMEM;
    for (int64_t i = 0; i < g->n; i++)
        lk->perm[i] = i;
    sort_g = g;
    qsort(lk->perm, (size_t)g->n, sizeof *lk->perm, cmp_node);
    sort_g = NULL;
    return SGAE_OK;
}

/* Node of the user's id `s`, or -1. */
int64_t sgae_node_index_find(const sgae_node_index *lk, const char *s)
{
    const sgae_graph *g = lk->g;
    if (g->names) {
        int64_t lo = 0, hi = g->n;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            int c = strcmp(g->names[lk->perm[mid]], s);
            if (c == 0)
                return lk->perm[mid];
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        return -1;
    }
    uint64_t id;
    const char *p = s;
    if (sgae_parse_u64(&p, &id) || *p)
        return -1;
    if (!g->ids)
        return id >= g->id_base && id - g->id_base < (uint64_t)g->n ? (int64_t)(id - g->id_base)
                                                                     : -1;
    int64_t lo = 0, hi = g->n;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int64_t node = lk->perm ? lk->perm[mid] : mid;
        if (g->ids[node] == id)
            return node;
        if (g->ids[node] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static inline int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* The field at *p (up to a separator or the end): returns its start, sets
 * *end past it and moves *p over the separators that follow. */
static char *next_field(char **p, char **end)
{
    char *a = *p, *q = *p;
    while (*q && !is_sep(*q))
        q++;
    *end = q;
    while (is_sep(*q))
        q++;
    *p = q;
    return a;
}

sgae_status sgae_labels_read(const char *path, const sgae_graph *g, sgae_labels **out)
{
    sgae_status st = SGAE_OK;
    sgae_reader *r = NULL;
    char **tok = NULL;
    int64_t *order = NULL, norder = 0;
    sgae_node_index lk = {0};
    int64_t n = g->n, data = 0;
    *out = NULL;
    SGAE_CHECK(sgae_reader_open(path, &r));
    SGAE_CHECK(sgae_node_index_init(&lk, g));
    SGAE_CHECK_ALLOC(tok = sgae_calloc((size_t)n + 1, sizeof *tok, "labels"));
    SGAE_CHECK_ALLOC(order = sgae_alloc((size_t)n + 1, sizeof *order, "labels"));
    for (;;) {
        char *line;
        size_t len;
        SGAE_CHECK(sgae_reader_line(r, &line, &len));
        if (!line)
            break;
        char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#' || *p == '%')
            continue;
        char *aend, *bend;
        char *a = next_field(&p, &aend);
        char *b = next_field(&p, &bend);
        char save = *aend;
        *aend = '\0';
        int64_t node = sgae_node_index_find(&lk, a);
        if (node < 0 && data == 0) { /* one header line, e.g. "node label" */
            data = 1;
            continue;
        }
        data++;
        if (node < 0)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: unknown node '%.64s'", path,
                      (long long)sgae_reader_lineno(r), a);
        *aend = save;
        if (b == bend)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: missing label (need 'node label')",
                      path, (long long)sgae_reader_lineno(r));
        if (*p)
            SGAE_FAIL(SGAE_E_PARSE,
                      "%s:%lld: unexpected text '%.64s' after the label (need "
                      "'node label')",
                      path, (long long)sgae_reader_lineno(r), p);
        *bend = '\0';
        if (tok[node])
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: second label for node '%.*s'", path,
                      (long long)sgae_reader_lineno(r), (int)(aend - a), a);
        SGAE_CHECK_ALLOC(tok[node] = sgae_strdup(b));
        order[norder++] = node;
    }
    if (data == 0)
        SGAE_FAIL(SGAE_E_PARSE, "%s: no labels in the file", path);
    st = sgae_labels_from_tokens(n, tok, order, norder, out);
done:
    sgae_reader_close(r);
    sgae_node_tokens_free(tok, n, order, &lk);
    return st;
}

void sgae_node_tokens_free(char **tok, int64_t n, int64_t *order, sgae_node_index *ix)
{
    if (tok)
        for (int64_t i = 0; i < n; i++)
            free(tok[i]);
    free(tok);
    free(order);
    free(ix->perm);
}

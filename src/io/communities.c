/* Files of the cluster topic (declared in sgae/cluster.h, I/O so they live
 * in src/io): embeddings with their id map, partition and cover (SNAP
 * .cmty) readers, the communities writer (through the core's atomic file
 * helper). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "raw.h"
#include "sgae/cluster.h"
#include "sgae/file.h"

sgae_status sgae_communities_save(const sgae_graph *g, const int32_t *comm, const char *path)
{
    sgae_status st = SGAE_OK;
    sgae_file *f = NULL;
    FILE *s;
    char name[512];
    if (!g || !comm || !path)
        return sgae_error_set(SGAE_E_ARG, "communities writer: no graph, communities or path");
    SGAE_CHECK(sgae_file_begin(path, &f));
    SGAE_CHECK(sgae_file_stream(f, &s));
    fputs("node\tcommunity\n", s);
    for (int64_t i = 0; i < g->n; i++)
        if (comm[i] >= 0)
            fprintf(s, "%s\t%" PRId32 "\n", sgae_graph_node_name(g, i, name, sizeof name),
                    comm[i]);
    st = sgae_file_commit(f); /* write errors surface here; frees f */
    f = NULL;
done:
    sgae_file_abort(f);
    return st;
}

/* ---- tokens ------------------------------------------------------------- */

static inline int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* Split line into at most max tokens (NUL-terminated in place); returns the
 * count, or max + 1 if there are more. */
static int split(char *p, char **tok, int max)
{
    int nt = 0;
    for (;;) {
        while (is_sep(*p))
            p++;
        if (!*p)
            return nt;
        if (nt == max)
            return max + 1;
        tok[nt++] = p;
        while (*p && !is_sep(*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
}

static int skip_line(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return *p == '\0' || *p == '#' || *p == '%';
}

/* Next line that is neither blank nor a comment; *line is NULL at the end.
 * *ln is its 1-based line number. */
static sgae_status next_line(sgae_reader *rd, char **line, long long *ln)
{
    for (;;) {
        size_t len;
        sgae_status st = sgae_reader_line(rd, line, &len);
        if (st || !*line)
            return st;
        if (!skip_line(*line)) {
            *ln = (long long)sgae_reader_lineno(rd);
            return SGAE_OK;
        }
    }
}

/* ---- partitions ----------------------------------------------------------- */

sgae_status sgae_partition_load(const char *path, const sgae_graph *g, int skip_unknown,
                                sgae_labels **out, int64_t *skipped)
{
    sgae_status st = SGAE_OK;
    sgae_reader *rd = NULL;
    char **tok = NULL;
    int64_t *order = NULL, norder = 0, skip = 0, data = 0;
    sgae_node_index ix = {0};
    const int64_t n = g->n;
    *out = NULL;
    if (skipped)
        *skipped = 0;
    SGAE_CHECK(sgae_reader_open(path, &rd));
    if ((st = sgae_node_index_init(&ix, g)))
        SGAE_FAIL(st, "%s: no memory for the node index", path);
    tok = sgae_calloc((size_t)n + 1, sizeof *tok, "partition");
    order = sgae_alloc((size_t)n + 1, sizeof *order, "partition");
    if (!tok || !order)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
    char *line, *t[3];
    long long ln;
    while (!(st = next_line(rd, &line, &ln)) && line) {
        int nt = split(line, t, 2);
        int64_t node = nt >= 1 ? sgae_node_index_find(&ix, t[0]) : -1;
        if (data == 0 && (node < 0 || nt != 2)) {
            data = 1; /* one header line, e.g. "node<TAB>community" */
            continue;
        }
        data++;
        if (nt != 2)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: expected 'node community' (%s)", path, ln,
                      nt < 2 ? "missing community" : "more than two columns");
        if (node < 0) {
            if (skip_unknown) {
                skip++;
                continue;
            }
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: unknown node '%.64s'", path, ln, t[0]);
        }
        if (tok[node])
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: second community for node '%.64s'", path, ln, t[0]);
        if (!(tok[node] = sgae_strdup(t[1])))
            SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
        order[norder++] = node;
    }
    SGAE_CHECK(st);
    if (norder == 0 && skip == 0)
        SGAE_FAIL(SGAE_E_PARSE, "%s: no 'node community' lines", path);
    if ((st = sgae_labels_from_tokens(n, tok, order, norder, out)))
        SGAE_FAIL(st, "%s: %s", path, st == SGAE_E_NOMEM ? "no memory" : sgae_last_error());
    if (skipped)
        *skipped = skip;
done:
    sgae_reader_close(rd);
    sgae_node_tokens_free(tok, n, order, &ix);
    return st;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

sgae_status sgae_cover_load(const char *path, const sgae_graph *g, int skip_unknown,
                            sgae_cover *out, int64_t *skipped)
{
    sgae_status st = SGAE_OK;
    sgae_reader *rd = NULL;
    sgae_node_index ix = {0};
    sgae_cover c = {0};
    int64_t cap_nodes = 1024, cap_comm = 64, skip = 0;
    memset(out, 0, sizeof *out);
    if (skipped)
        *skipped = 0;
    c.n = g->n;
    SGAE_CHECK(sgae_reader_open(path, &rd));
    if ((st = sgae_node_index_init(&ix, g)))
        SGAE_FAIL(st, "%s: no memory for the node index", path);
    c.ptr = sgae_alloc((size_t)cap_comm + 1, sizeof *c.ptr, "cover");
    c.node = sgae_alloc((size_t)cap_nodes, sizeof *c.node, "cover");
    if (!c.ptr || !c.node)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
    c.ptr[0] = 0;
    int64_t used = 0;
    for (;;) {
        char *line;
        long long ln;
        SGAE_CHECK(next_line(rd, &line, &ln));
        if (!line)
            break;
        int64_t start = used;
        char *p = line;
        for (;;) {
            while (*p == ' ' || *p == '\t' || *p == ',')
                p++;
            if (!*p)
                break;
            char *t = p;
            while (*p && *p != ' ' && *p != '\t' && *p != ',')
                p++;
            if (*p)
                *p++ = '\0';
            int64_t node = sgae_node_index_find(&ix, t);
            if (node < 0) {
                if (skip_unknown) {
                    skip++;
                    continue;
                }
                SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: unknown node '%.64s'", path, ln, t);
            }
            if (used == cap_nodes) {
                int32_t *nn = sgae_realloc(c.node, (size_t)cap_nodes * 2, sizeof *nn, "cover");
                if (!nn)
                    SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
                c.node = nn;
                cap_nodes *= 2;
            }
            c.node[used++] = (int32_t)node;
        }
        if (used == start)
            continue;
        qsort(c.node + start, (size_t)(used - start), sizeof *c.node, cmp_i32);
        int64_t u = start;
        for (int64_t q = start; q < used; q++)
            if (u == start || c.node[q] != c.node[u - 1])
                c.node[u++] = c.node[q];
        used = u;
        if (c.count == cap_comm) {
            int64_t *np = sgae_realloc(c.ptr, (size_t)cap_comm * 2 + 1, sizeof *np, "cover");
            if (!np)
                SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
            c.ptr = np;
            cap_comm *= 2;
        }
        c.ptr[++c.count] = used;
    }
    if (c.count == 0 && skip == 0)
        SGAE_FAIL(SGAE_E_PARSE, "%s: no communities in the file", path);
    *out = c;
    memset(&c, 0, sizeof c);
    if (skipped)
        *skipped = skip;
done:
    sgae_reader_close(rd);
    sgae_cover_clear(&c);
    free(ix.perm);
    return st;
}

/* ---- embeddings ------------------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

sgae_status sgae_embeddings_load(const char *npy, const char *ids, float **x, int64_t *rows,
                                 int64_t *cols, sgae_graph **nodes)
{
    sgae_status st = SGAE_OK;
    float *data = NULL;
    char *idp = NULL, **name = NULL;
    uint64_t *num = NULL, *sorted = NULL;
    sgae_reader *rd = NULL;
    sgae_graph *g = NULL;
    int64_t r = 0, c = 0;
    *x = NULL;
    *rows = *cols = 0;
    *nodes = NULL;
    SGAE_CHECK(sgae_npy_load(npy, &data, &r, &c));
    if (!ids) {
        size_t len = strlen(npy);
        if (len >= 4 && strcmp(npy + len - 4, ".npy") == 0)
            len -= 4;
        idp = sgae_alloc(len + 9, 1, "ids path");
        if (!idp)
            SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", npy);
        memcpy(idp, npy, len);
        memcpy(idp + len, ".ids.tsv", 9);
        ids = idp;
    }
    if (r >= INT32_MAX)
        SGAE_FAIL(SGAE_E_ARG, "%s: %lld rows (at most 2^31 - 2)", npy, (long long)r);
    name = sgae_calloc((size_t)r + 1, sizeof *name, "embedding ids");
    if (!name)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", ids);
    SGAE_CHECK(sgae_reader_open(ids, &rd));
    int64_t data_lines = 0;
    char *line, *t[3];
    long long ln;
    while (!(st = next_line(rd, &line, &ln)) && line) {
        /* TAB separated: ids may hold spaces */
        char *tab = strchr(line, '\t');
        int nt;
        if (tab) {
            *tab = '\0';
            t[0] = line;
            t[1] = tab + 1;
            nt = strchr(t[1], '\t') ? 3 : 2;
        } else {
            nt = split(line, t, 2);
        }
        uint64_t row = 0;
        const char *q = nt == 2 ? t[1] : "";
        int bad = nt != 2 || sgae_parse_u64(&q, &row) != 0 || *q;
        if (bad && data_lines == 0) {
            data_lines = 1; /* the header "node_id<TAB>row" */
            continue;
        }
        data_lines++;
        if (bad)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: expected 'node_id<TAB>row'", ids, ln);
        if (row >= (uint64_t)r)
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: row %llu out of range (%s has %lld rows)", ids, ln,
                      (unsigned long long)row, npy, (long long)r);
        if (name[row])
            SGAE_FAIL(SGAE_E_PARSE, "%s:%lld: row %llu given twice", ids, ln,
                      (unsigned long long)row);
        if (!(name[row] = sgae_strdup(t[0])))
            SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", ids);
    }
    SGAE_CHECK(st);
    for (int64_t i = 0; i < r; i++)
        if (!name[i])
            SGAE_FAIL(SGAE_E_PARSE, "%s: no id for row %lld of %s", ids, (long long)i, npy);
    /* numbers when every id is a canonical decimal, names otherwise */
    int numeric = 1;
    num = sgae_alloc((size_t)r + 1, sizeof *num, "embedding ids");
    sorted = sgae_alloc((size_t)r + 1, sizeof *sorted, "embedding ids");
    if (!num || !sorted)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", ids);
    for (int64_t i = 0; i < r && numeric; i++) {
        const char *q = name[i];
        char buf[32];
        if (sgae_parse_u64(&q, &num[i]) != 0 || *q)
            numeric = 0;
        else if (strcmp(name[i], (snprintf(buf, sizeof buf, "%" PRIu64, num[i]), buf)) != 0)
            numeric = 0; /* e.g. "007": keep the text */
    }
    if (numeric) {
        memcpy(sorted, num, (size_t)r * sizeof *sorted);
        qsort(sorted, (size_t)r, sizeof *sorted, cmp_u64);
        for (int64_t i = 1; i < r; i++)
            if (sorted[i] == sorted[i - 1])
                SGAE_FAIL(SGAE_E_PARSE, "%s: id %" PRIu64 " names two rows", ids, sorted[i]);
    } else {
        char **sn = (char **)sorted; /* same size as a pointer array */
        if (sizeof(char *) > sizeof(uint64_t))
            SGAE_FAIL(SGAE_E_INTERNAL, "pointer size");
        memcpy(sn, name, (size_t)r * sizeof *sn);
        qsort(sn, (size_t)r, sizeof *sn, cmp_str);
        for (int64_t i = 1; i < r; i++)
            if (strcmp(sn[i], sn[i - 1]) == 0)
                SGAE_FAIL(SGAE_E_PARSE, "%s: id '%.64s' names two rows", ids, sn[i]);
    }
    SGAE_CHECK(sgae_graph_from_pairs(r, 0, NULL, NULL, &g));
    if (numeric) {
        g->ids = num;
        num = NULL;
    } else {
        g->names = name;
        name = NULL;
    }
    *x = data;
    *rows = r;
    *cols = c;
    *nodes = g;
    data = NULL;
    g = NULL;
done:
    sgae_reader_close(rd);
    if (name)
        for (int64_t i = 0; i < r; i++)
            free(name[i]);
    free(name);
    free(num);
    free(sorted);
    free(idp);
    free(data);
    sgae_graph_free(g);
    return st;
}

sgae_status sgae_embeddings_align(const sgae_graph *rows, const sgae_graph *g, const char *what,
                                  int64_t *row_of)
{
    sgae_status st = SGAE_OK;
    sgae_node_index ix = {0};
    char name[512];
    if ((st = sgae_node_index_init(&ix, g)))
        SGAE_FAIL(st, "%s: no memory for the node index", what);
    for (int64_t i = 0; i < g->n; i++)
        row_of[i] = -1;
    for (int64_t r = 0; r < rows->n; r++) {
        sgae_graph_node_name(rows, r, name, sizeof name);
        int64_t node = sgae_node_index_find(&ix, name);
        if (node < 0)
            SGAE_FAIL(SGAE_E_ARG, "%s: row %lld is node '%.64s', which is not in the graph", what,
                      (long long)r, name);
        row_of[node] = r;
    }
    for (int64_t i = 0; i < g->n; i++)
        if (row_of[i] < 0)
            SGAE_FAIL(SGAE_E_ARG, "%s: no row for node '%.64s' of the graph", what,
                      sgae_graph_node_name(g, i, name, sizeof name));
done:
    free(ix.perm);
    return st;
}

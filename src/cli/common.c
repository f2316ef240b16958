#include "common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#ifdef _OPENMP
#include <omp.h>
#endif

int cli_fail(const char *cmd, sgae_status st)
{
    fprintf(stderr, "sgae %s: %s: %s\n", cmd, sgae_status_string(st), sgae_last_error());
    return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sgae %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sgae %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t len = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, len) != 0)
        return 0;
    if (a[len] == '=') {
        *val = a + len + 1;
        return 1;
    }
    if (a[len] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        *val = NULL; /* caller reports the missing value */
        return 1;
    }
    *val = argv[++*i];
    return 1;
}

int cli_flag(char **argv, int i, const char *name) { return strcmp(argv[i], name) == 0; }

/* --memory-budget SIZE: a size, or "unlimited" (none). */
static int memory_budget_call(const char *cmd, const char *name, const char *val, void *dst)
{
    int64_t b;
    if (!val)
        return cli_usage_error(cmd, "option %s needs a value", name), 0;
    if (sgae_size_parse(val, &b))
        return cli_usage_error(cmd, "option %s: %s", name, sgae_last_error()), 0;
    *(int64_t *)dst = b > 0 ? b : -1;
    return 1;
}

/* "expected A, B or C" of a choice list. */
static void choices_usage_error(const char *cmd, const char *name, const char *const *c)
{
    char buf[256];
    size_t off = 0;
    for (int k = 0; c[k] && off < sizeof buf; k++)
        off += (size_t)snprintf(buf + off, sizeof buf - off, "%s%s",
                                k == 0 ? "" : c[k + 1] ? ", " : " or ", c[k]);
    cli_usage_error(cmd, "option %s: expected %s", name, buf);
}

/* Store the value `val` of row o; 1, or 0 with a usage error printed. */
static int option_store(const char *cmd, const cli_option *o, const char *val)
{
    switch (o->kind) {
    case CLI_INT: return cli_int(cmd, o->name, val, (int64_t)o->lo, (int64_t)o->hi, o->dst);
    case CLI_U64: return cli_u64(cmd, o->name, val, o->dst);
    case CLI_NUM: return cli_double(cmd, o->name, val, o->lo, o->hi, o->dst);
    case CLI_CHOICE:
        for (int k = 0; val && o->choices[k]; k++)
            if (!strcmp(val, o->choices[k]))
                return *(int *)o->dst = k, 1;
        return choices_usage_error(cmd, o->name, o->choices), 0;
    case CLI_CALL: return o->call(cmd, o->name, val, o->dst);
    default: break;
    }
    if (!val)
        return cli_usage_error(cmd, "option %s needs a value", o->name), 0;
    if (o->kind == CLI_FORMAT && sgae_format_parse(val, o->dst))
        return cli_usage_error(cmd, "%s", sgae_last_error()), 0;
    if (o->kind == CLI_STR)
        *(const char **)o->dst = val;
    return 1;
}

int cli_option_match(const char *cmd, int argc, char **argv, int *i, const cli_option *t)
{
    const char *val;
    for (; t->name; t++) {
        if (!t->dst && t->kind != CLI_HELP)
            continue; /* an option this command does not take */
        if (t->kind == CLI_FLAG || t->kind == CLI_HELP) {
            if (!cli_flag(argv, *i, t->name) && !(t->alias && cli_flag(argv, *i, t->alias)))
                continue;
            if (t->kind == CLI_HELP)
                return 2;
            *(int *)t->dst = (int)t->lo;
            return 1;
        }
        if (cli_opt(argc, argv, i, t->name, &val) ||
            (t->alias && cli_opt(argc, argv, i, t->alias, &val)))
            return option_store(cmd, t, val) ? 1 : -1;
    }
    return 0;
}

int cli_parse(const cli_command *c, int argc, char **argv, const cli_option *const *tables,
              const char **slot, int *rc)
{
    *rc = CLI_USAGE;
    for (int i = 1; i < argc; i++) {
        int r = 0;
        for (const cli_option *const *t = tables; *t && !r; t++)
            r = cli_option_match(c->name, argc, argv, &i, *t);
        if (r == 2) {
            if (c->help_arg)
                printf(c->help, c->help_arg);
            else
                fputs(c->help, stdout);
            if (c->memory_help) {
                fputs(cli_weighted_help, stdout);
                fputs(cli_memory_help, stdout);
            }
            *rc = CLI_OK;
            return 1;
        }
        if (r < 0)
            return 1;
        if (r == 0 && !c->what)
            return cli_usage_error(c->name, "unknown option '%s'", argv[i]), 1;
        if (r == 0 && cli_positional(c->name, argv, i, slot, c->what) != CLI_OK)
            return 1;
    }
    *rc = CLI_OK;
    return 0;
}

cli_option *cli_load_options(cli_option *rows, sgae_load_opts *o, int labels, int64_t *threads)
{
    cli_option *r = rows;
    *r++ = (cli_option){"--format", NULL, CLI_FORMAT, &o->format, 0, 0, NULL, NULL};
    *r++ = (cli_option){"--features", NULL, CLI_STR, &o->features, 0, 0, NULL, NULL};
    if (labels)
        *r++ = (cli_option){"--labels", NULL, CLI_STR, &o->labels, 0, 0, NULL, NULL};
    *r++ = (cli_option){"--weighted", NULL, CLI_FLAG, &o->weighted, 1, 0, NULL, NULL};
    *r++ = (cli_option){"--strict", NULL, CLI_FLAG, &o->strict, 1, 0, NULL, NULL};
    if (threads)
        *r++ = (cli_option){"--threads", NULL, CLI_INT, threads, 1, 4096, NULL, NULL};
    *r++ = (cli_option){"--memory-budget", NULL, CLI_CALL, &o->memory_budget, 0, 0, NULL,
                        memory_budget_call};
    *r = (cli_option)CLI_END;
    return rows;
}

int cli_load_training_set(const char *cmd, const sgae_load_opts *lo, int quiet,
                          sgae_dataset *ds)
{
    sgae_status st = sgae_dataset_load(lo, ds);
    if (st) {
        memset(ds, 0, sizeof *ds);
        return cli_fail(cmd, st);
    }
    cli_load_warnings(cmd, ds);
    const int64_t n = ds->graph->n, E = n ? sgae_graph_edges(ds->graph) : 0;
    if (ds->features && ds->features->x.nrows != n)
        st = sgae_error_set(SGAE_E_ARG, "%s has %lld rows but the graph has %lld nodes",
                            lo->features, (long long)ds->features->x.nrows, (long long)n);
    else if (E < 1)
        st = sgae_error_set(SGAE_E_ARG, "%s has no edges: nothing to train on", lo->graph);
    if (st) {
        sgae_dataset_clear(ds);
        return cli_fail(cmd, st);
    }
    if (!quiet)
        fprintf(stderr, "graph: %lld nodes, %lld edges%s (loaded in %.2f s)\n", (long long)n,
                (long long)E, ds->features ? ", with features" : ", featureless",
                ds->load_seconds);
    return CLI_OK;
}

const char cli_weighted_help[] =
    "  --weighted         read edge weights: an edge list's third column (on every\n"
    "                     edge line), Matrix Market real/integer values, an .sgr\n"
    "                     file's weights; finite and > 0; repeated edges add up per\n"
    "                     direction, then the larger direction counts ('u v w' and\n"
    "                     'v u w' give w); the GCN operator is D^-1/2 (W+I) D^-1/2\n"
    "                     and modularity weighted\n";

const char cli_memory_help[] =
    "\n"
    "Memory budget (loading text files):\n"
    "  --memory-budget SIZE  stop loading with an error naming the file once the\n"
    "                  edge buffers and graph build would pass SIZE (512M, 8G,\n"
    "                  50%, unlimited); default: SGAE_MEMORY_BUDGET from the\n"
    "                  environment, else 3/4 of physical memory (MemTotal).  A\n"
    "                  run of one repeated edge is counted, not stored.  zstd\n"
    "                  windows up to 2^27 bytes are read (as the zstd command),\n"
    "                  at most half the budget; SGAE_ZSTD_WINDOW_LOG=N sets the\n"
    "                  limit 2^N (31 reads zstd --long=31 files)\n";

void cli_load_warnings(const char *cmd, const sgae_dataset *ds)
{
    if (ds->warnings > 0)
        fprintf(stderr, "sgae %s: warning: %s%s\n", cmd, ds->warning,
                ds->warnings > 1 ? " (and more)" : "");
}

int cli_int(const char *cmd, const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s)
        return cli_usage_error(cmd, "option %s needs a value", opt), 0;
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        cli_usage_error(cmd, "option %s: '%s' is not an integer in %lld..%lld", opt, s,
                        (long long)lo, (long long)hi);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
    if (!s)
        return cli_usage_error(cmd, "option %s needs a value", opt), 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        cli_usage_error(cmd, "option %s: '%s' is not a non-negative integer", opt, s);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out)
{
    if (!s)
        return cli_usage_error(cmd, "option %s needs a value", opt), 0;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        cli_usage_error(cmd, "option %s: '%s' is not a number in [%g, %g]", opt, s, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

/* 1 if path (of length len) ends with suf, any case. */
static int ends_nocase(const char *path, size_t len, const char *suf)
{
    size_t k = strlen(suf);
    return len >= k && !strncasecmp(path + len - k, suf, k);
}

static const char graph_exts[] =
    ".sgr, .txt, .edges, .tsv, .csv (edge lists), .mtx (Matrix Market); the text ones "
    "optionally followed by .gz or .zst";

int cli_graph_kind(const char *cmd, const char *path)
{
    size_t len = strlen(path);
    if (ends_nocase(path, len, ".sgr"))
        return CLI_GRAPH_SGR;
    if (ends_nocase(path, len, ".gz"))
        len -= 3;
    else if (ends_nocase(path, len, ".zst"))
        len -= 4;
    static const char *const edges[] = {".txt", ".edges", ".tsv", ".csv"};
    for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++)
        if (ends_nocase(path, len, edges[k]))
            return CLI_GRAPH_EDGELIST;
    if (ends_nocase(path, len, ".mtx"))
        return CLI_GRAPH_MTX;
    cli_usage_error(cmd, "%s: unknown output format; give a name ending in %s", path,
                    graph_exts);
    return -1;
}

const char *cli_graph_kind_name(int kind)
{
    return kind == CLI_GRAPH_SGR ? "sgr" : kind == CLI_GRAPH_MTX ? "mtx" : "edgelist";
}

sgae_status cli_graph_save(const sgae_graph *g, const char *path, int kind)
{
    switch (kind) {
    case CLI_GRAPH_SGR: return sgae_sgr_save(g, path, NULL);
    case CLI_GRAPH_MTX: return sgae_mtx_save(g, path, NULL);
    default: return sgae_edgelist_save(g, path, NULL);
    }
}

sgae_status cli_graph_load(const char *path, sgae_format fmt, int weighted, sgae_graph **g)
{
    if (!weighted)
        return sgae_graph_load(path, fmt, g);
    sgae_load_opts o = {.graph = path, .format = fmt, .weighted = 1};
    sgae_dataset ds;
    sgae_status st = sgae_dataset_load(&o, &ds);
    *g = st ? NULL : ds.graph;
    if (!st) {
        ds.graph = NULL;
        sgae_dataset_clear(&ds);
    }
    return st;
}

int cli_graph_output(const char *cmd, const char *path, int *kind)
{
    if ((*kind = cli_graph_kind(cmd, path)) < 0)
        return CLI_USAGE;
    sgae_status st = cli_check_output(path);
    return st ? cli_fail(cmd, st) : CLI_OK;
}

int cli_embeddings_output(const char *cmd, const char *opt, const char *path, int *tsv,
                          char **idp)
{
    *idp = NULL;
    *tsv = cli_has_suffix(path, ".tsv");
    if (!*tsv && !cli_has_suffix(path, ".npy"))
        return cli_usage_error(cmd,
                               "%s %s: give a name ending in .npy (NumPy float32 + "
                               "OUT.ids.tsv) or .tsv (text)",
                               opt, path);
    sgae_status st = cli_check_output(path);
    if (st == SGAE_OK && !*tsv && !(*idp = cli_ids_path(path)))
        st = SGAE_E_NOMEM;
    if (st == SGAE_OK && *idp)
        st = cli_check_output(*idp);
    if (st) {
        free(*idp);
        *idp = NULL;
        return cli_fail(cmd, st);
    }
    return CLI_OK;
}

sgae_status cli_embeddings_save(const char *path, const char *idp, const float *z, int64_t n,
                                int64_t dim, const sgae_graph *g)
{
    return idp ? sgae_npy_ids_save(path, idp, z, n, dim, g) : sgae_tsv_save(g, z, n, dim, path);
}

int cli_option_error(const char *cmd, sgae_status st)
{
    if (st != SGAE_E_ARG)
        return cli_fail(cmd, st);
    return cli_usage_error(cmd, "%s", sgae_last_error());
}

const char *cli_plural_threads(int n) { return n == 1 ? "thread" : "threads"; }

void cli_set_threads(int64_t t)
{
#ifdef _OPENMP
    if (t > 0)
        omp_set_num_threads((int)t);
#else
    (void)t;
#endif
}

int cli_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

/* State of the progress line: when it was last written, whether a line is
 * open on a terminal (to be overwritten or cleared). */
static struct {
    double last;
    int open;
} cli_progress_state;

static void cli_progress_fn(void *ctx, const char *label, int64_t done, int64_t total)
{
    (void)ctx;
    int tty = isatty(STDERR_FILENO);
    if (done < 0) {
        if (cli_progress_state.open)
            fputs("\r\033[K", stderr);
        cli_progress_state.open = 0;
        cli_progress_state.last = 0;
        return;
    }
    double t = sgae_now();
    int last_unit = total > 0 && done >= total;
    if (cli_progress_state.last > 0 && t - cli_progress_state.last < 0.25 && !last_unit)
        return;
    cli_progress_state.last = t;
    const char *pre = tty ? "\r\033[K" : "", *post = tty ? "" : "\n";
    if (total > 0)
        fprintf(stderr, "%s%s: %lld / %lld (%.0f%%)%s", pre, label, (long long)done,
                (long long)total, 100.0 * (double)done / (double)total, post);
    else
        fprintf(stderr, "%s%s: %lld%s", pre, label, (long long)done, post);
    fflush(stderr);
    cli_progress_state.open = tty;
}

sgae_progress_sink cli_progress_sink(int quiet)
{
    sgae_progress_sink s = {NULL, NULL};
    if (!quiet)
        s.fn = cli_progress_fn;
    return s;
}

sgae_status cli_check_output(const char *path) { return sgae_file_check_writable(path); }

int cli_has_suffix(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

char *cli_ids_path(const char *npy)
{
    size_t len = strlen(npy);
    if (cli_has_suffix(npy, ".npy"))
        len -= 4;
    char *p = malloc(len + 9);
    if (!p) {
        sgae_error_set(SGAE_E_NOMEM, "path");
        return NULL;
    }
    memcpy(p, npy, len);
    memcpy(p + len, ".ids.tsv", 9);
    return p;
}

int cli_positional(const char *cmd, char **argv, int i, const char **slot, const char *what)
{
    if (argv[i][0] == '-' && argv[i][1])
        return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
    if (*slot)
        return cli_usage_error(cmd, "more than one %s given ('%s')", what, argv[i]);
    *slot = argv[i];
    return CLI_OK;
}

/* Format detection and the dataset loader. */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "raw.h"

static const char *const fmt_names[] = {"auto", "edgelist", "mtx", "linqs", "gml", "sgr"};

const char *sgae_format_name(sgae_format f)
{
    return (unsigned)f < sizeof fmt_names / sizeof fmt_names[0] ? fmt_names[f] : "?";
}

sgae_status sgae_format_parse(const char *name, sgae_format *f)
{
    for (unsigned i = 0; i < sizeof fmt_names / sizeof fmt_names[0]; i++)
        if (!strcmp(name, fmt_names[i])) {
            *f = (sgae_format)i;
            return SGAE_OK;
        }
    return sgae_error_set(SGAE_E_ARG,
                          "unknown format '%s' (auto, edgelist, mtx, linqs, gml, sgr)", name);
}

void sgae_labels_free(sgae_labels *l)
{
    if (!l)
        return;
    if (l->class_names)
        for (int32_t c = 0; c < l->nclasses; c++)
            free(l->class_names[c]);
    free(l->class_names);
    free(l->label);
    free(l);
}

void sgae_features_free(sgae_features *f)
{
    if (!f)
        return;
    sgae_csr_clear(&f->x);
    free(f);
}

void sgae_dataset_clear(sgae_dataset *ds)
{
    sgae_graph_free(ds->graph);
    sgae_features_free(ds->features);
    sgae_labels_free(ds->labels);
    memset(ds, 0, sizeof *ds);
}

int sgae_io_has_suffix(const char *path, const char *suffix)
{
    size_t n = strlen(path), k = strlen(suffix);
    const char *comp[] = {".gz", ".zst", ""};
    for (int c = 0; c < 3; c++) {
        size_t z = strlen(comp[c]);
        if (n >= k + z && !strcasecmp(path + n - z, comp[c]) &&
            !strncasecmp(path + n - z - k, suffix, k))
            return 1;
    }
    return 0;
}

/* Text that begins with a Matrix Market banner (one '%' or two). */
static int is_mtx_banner(const char *buf, size_t len)
{
    return (len >= 14 && !memcmp(buf, "%%MatrixMarket", 14)) ||
           (len >= 13 && !memcmp(buf, "%MatrixMarket", 13));
}

/* The format of `path` by its name, else by its first bytes.  A text format
 * detected by content leaves its reader open in *keep (the caller passes it
 * to load_raw): a pipe such as /dev/stdin can be read only once. */
static sgae_status detect(const char *path, sgae_format *fmt, sgae_reader **keep)
{
    sgae_status st;
    if (sgae_io_has_suffix(path, ".sgr"))
        *fmt = SGAE_FMT_SGR;
    else if (sgae_io_has_suffix(path, ".mtx"))
        *fmt = SGAE_FMT_MTX;
    else if (sgae_io_has_suffix(path, ".gml"))
        *fmt = SGAE_FMT_GML;
    else if (sgae_io_has_suffix(path, ".content") || sgae_io_has_suffix(path, ".cites"))
        *fmt = SGAE_FMT_LINQS;
    else {
        sgae_reader *r;
        const char *buf;
        size_t len;
        if ((st = sgae_reader_open(path, &r)))
            return st;
        st = sgae_reader_peek(r, &buf, &len);
        if (st == SGAE_OK) {
            *fmt = SGAE_FMT_EDGELIST;
            if (len >= 8 && !memcmp(buf, "SGAEGRPH", 8))
                *fmt = SGAE_FMT_SGR;
            else if (is_mtx_banner(buf, len))
                *fmt = SGAE_FMT_MTX;
            else {
                /* GML: the keyword "graph" followed by '[' before any digit line */
                const char *p = buf, *end = buf + len;
                while (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
                    p++;
                if (((size_t)(end - p) >= 5 && !memcmp(p, "graph", 5)) ||
                    ((size_t)(end - p) >= 7 && !memcmp(p, "Creator", 7)))
                    *fmt = SGAE_FMT_GML;
            }
        }
        if (st == SGAE_OK && *fmt != SGAE_FMT_SGR)
            *keep = r;
        else
            sgae_reader_close(r);
        if (st)
            return st;
    }
    return SGAE_OK;
}

/* Is the file small enough to be read whole: under a quarter of physical
 * memory and of the budget (bytes; <= 0: none)? */
static int fits_in_memory(const char *path, int64_t budget)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    int64_t phys = sgae_physical_memory();
    return (phys <= 0 || (double)sb.st_size < 0.25 * (double)phys) &&
           (budget <= 0 || (int64_t)sb.st_size <= budget / 4);
}

/* Parse the text input of o into raw; `r` is the reader detect() left open
 * (NULL: open the file here).  Closes r in any case. */
static sgae_status load_raw(const sgae_load_opts *o, sgae_format fmt, sgae_raw *raw,
                            sgae_reader *r)
{
    sgae_status st;
    if (fmt == SGAE_FMT_LINQS) {
        sgae_reader_close(r);
        return sgae_linqs_parse(o->graph, raw);
    }
    if (!r && (st = sgae_reader_open(o->graph, &r)))
        return st;
    {
        const char *buf;
        size_t len;
        SGAE_CHECK(sgae_reader_peek(r, &buf, &len));
        if (len == 0)
            SGAE_FAIL(SGAE_E_PARSE, "%s: empty file", o->graph);
        /* a forced edge list must not read a Matrix Market size line as an edge */
        if (fmt == SGAE_FMT_EDGELIST && is_mtx_banner(buf, len))
            SGAE_FAIL(SGAE_E_FORMAT,
                      "%s:1: this is a Matrix Market file (its first line is the "
                      "%%MatrixMarket banner), not an edge list: use --format mtx or auto",
                      o->graph);
    }
    /* the parallel plain parser reads the whole file (and its pairs) at once:
     * only when that fits in memory and in the budget */
    if (fmt == SGAE_FMT_EDGELIST && sgae_reader_compression(r) == SGAE_COMP_NONE &&
        fits_in_memory(o->graph, raw->budget)) {
        sgae_reader_close(r);
        r = NULL;
        st = sgae_edgelist_parse_plain(o->graph, raw);
    } else if (fmt == SGAE_FMT_EDGELIST)
        st = sgae_edgelist_parse(r, raw);
    else if (fmt == SGAE_FMT_MTX)
        st = sgae_mtx_parse(r, raw);
    else if (fmt == SGAE_FMT_GML)
        st = sgae_gml_parse(r, o->label_attr, raw);
    else
        st = sgae_error_set(SGAE_E_INTERNAL, "%s: no text parser for format %s", o->graph,
                            sgae_format_name(fmt));
    if (fmt == SGAE_FMT_EDGELIST && st == SGAE_OK && raw->m == 0 && raw->nfixed < 0)
        st = sgae_error_set(SGAE_E_PARSE, "%s: empty file (no edges: only comments, blank "
                            "lines or a header)", o->graph);
done:
    sgae_reader_close(r);
    return st;
}

sgae_status sgae_dataset_load(const sgae_load_opts *o, sgae_dataset *ds)
{
    sgae_status st = SGAE_OK;
    sgae_raw raw = {0};
    sgae_dataset d = {0};
    sgae_reader *pre = NULL; /* the reader format detection opened */
    double t0 = sgae_now();
    memset(ds, 0, sizeof *ds);
    if (!o || !o->graph)
        return sgae_error_set(SGAE_E_ARG, "no graph file given");
    sgae_format fmt = o->format;
    if (fmt == SGAE_FMT_AUTO)
        SGAE_CHECK(detect(o->graph, &fmt, &pre));
    /* features from a LINQS .content file name their nodes: read after the graph */
    int content_features = o->features && sgae_io_has_suffix(o->features, ".content");
    if (o->features && !content_features)
        SGAE_CHECK(sgae_features_read(o->features, &d.features));
    if (o->weighted && (fmt == SGAE_FMT_GML || fmt == SGAE_FMT_LINQS))
        SGAE_FAIL(SGAE_E_ARG, "%s: --weighted reads edge lists, Matrix Market and .sgr files; "
                  "%s has no edge weights", o->graph, sgae_format_name(fmt));
    if (fmt == SGAE_FMT_SGR) {
        SGAE_CHECK(sgae_sgr_load(o->graph, &d.graph));
        if (o->weighted && !d.graph->adj.val)
            SGAE_FAIL(SGAE_E_ARG, "%s stores no edge weights (it was written from an "
                      "unweighted graph): drop --weighted", o->graph);
        if (!o->weighted && d.graph->adj.val) {
            free(d.graph->adj.val); /* weights are ignored without --weighted */
            d.graph->adj.val = NULL;
        }
        if (d.features && d.features->x.nrows != d.graph->n)
            SGAE_FAIL(SGAE_E_PARSE, "%s: %lld feature rows but graph %s has %lld nodes",
                      o->features, (long long)d.features->x.nrows, o->graph,
                      (long long)d.graph->n);
    } else {
        raw.nfixed = -1;
        raw.progress = &o->progress;
        raw.budget = o->memory_budget > 0   ? o->memory_budget
                     : o->memory_budget < 0 ? 0
                                            : sgae_memory_budget_default();
        raw.path = o->graph;
        raw.weighted = o->weighted != 0;
        raw.strict = o->strict;
        if (d.features) {
            raw.limit = d.features->x.nrows;
            raw.limit_why = o->features;
        }
        sgae_reader *r = pre;
        pre = NULL;
        SGAE_CHECK(load_raw(o, fmt, &raw, r));
        if (d.features && raw.features)
            SGAE_FAIL(SGAE_E_ARG, "%s carries its own features; drop --features",
                      o->graph);
        int64_t fixed = d.features ? d.features->x.nrows : -1;
        if (d.features && raw.nfixed >= 0 && raw.nfixed != fixed)
            SGAE_FAIL(SGAE_E_PARSE, "%s: %lld feature rows but graph %s has %lld nodes",
                      o->features, (long long)fixed, o->graph, (long long)raw.nfixed);
        SGAE_CHECK(sgae_raw_finish(&raw, fixed, o->features, &d.graph));
        d.warnings = raw.warnings;
        memcpy(d.warning, raw.warning, sizeof d.warning);
        d.dropped_citations = raw.dropped;
        if (raw.features) {
            d.features = raw.features;
            raw.features = NULL;
        }
        if (raw.labels) {
            d.labels = raw.labels;
            raw.labels = NULL;
        }
    }
    if (content_features) {
        sgae_labels *cl = NULL;
        if (d.features)
            SGAE_FAIL(SGAE_E_ARG, "%s carries its own features; drop --features",
                      o->graph);
        SGAE_CHECK(sgae_linqs_features_read(o->features, d.graph, &d.features, &cl));
        if (d.labels)
            sgae_labels_free(cl);
        else
            d.labels = cl;
    }
    if (o->labels) {
        sgae_labels_free(d.labels);
        d.labels = NULL;
        SGAE_CHECK(sgae_labels_read(o->labels, d.graph, &d.labels));
    }
    d.load_seconds = sgae_now() - t0;
    d.format = fmt;
    *ds = d;
    memset(&d, 0, sizeof d);
done:
    sgae_reader_close(pre);
    sgae_raw_free(&raw);
    sgae_dataset_clear(&d);
    return st;
}

sgae_status sgae_graph_load(const char *path, sgae_format fmt, sgae_graph **out)
{
    sgae_load_opts o = {.graph = path, .format = fmt};
    sgae_dataset ds;
    *out = NULL;
    sgae_status st = sgae_dataset_load(&o, &ds);
    if (st)
        return st;
    *out = ds.graph;
    ds.graph = NULL;
    sgae_dataset_clear(&ds);
    return SGAE_OK;
}

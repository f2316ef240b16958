/* Text writers: the edge list ("u v" per undirected edge), Matrix Market
 * (lower triangle of the symmetric pattern) and the labels file ("node
 * label" per node), plain, gzip or zstd by file name, written through
 * the atomic file helper (sgae/file.h).
 *
 * Lines are formatted in parallel: rows are cut into fixed blocks, a round of
 * blocks (one per thread) is formatted into per-thread buffers, then written
 * in block order, so the bytes do not depend on the thread count. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

#include "internal.h"
#include "raw.h"
#include "sgae/file.h"
#include "sgae/io.h"

enum { OUT_PLAIN, OUT_GZIP, OUT_ZSTD };

#define OUT_BUF (1 << 20)

typedef struct {
    sgae_file *file;
    const char *path;
    int kind;
    unsigned char *zbuf; /* compressed output buffer (OUT_BUF bytes) */
    ZSTD_CCtx *zc;
    z_stream gz;
    int gz_init;
} out_file;

static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcmp(s + a - b, suf) == 0;
}

/* Give up: nothing appears under the path. */
static void out_discard(out_file *o)
{
    sgae_file_abort(o->file);
    if (o->zc)
        ZSTD_freeCCtx(o->zc);
    if (o->gz_init)
        deflateEnd(&o->gz);
    free(o->zbuf);
    memset(o, 0, sizeof *o);
}

static sgae_status out_open(out_file *o, const char *path, const sgae_save_opts *opt, int threads)
{
    sgae_status st = SGAE_OK;
    memset(o, 0, sizeof *o);
    o->path = path;
    o->kind = ends_with(path, ".zst") ? OUT_ZSTD : ends_with(path, ".gz") ? OUT_GZIP : OUT_PLAIN;
    if (o->kind == OUT_GZIP && (opt->level < 1 || opt->level > 9))
        SGAE_FAIL(SGAE_E_ARG, "%s: gzip level %d outside 1..9", path, opt->level);
    if (o->kind == OUT_ZSTD && (opt->level < ZSTD_minCLevel() || opt->level > ZSTD_maxCLevel()))
        SGAE_FAIL(SGAE_E_ARG, "%s: zstd level %d outside %d..%d", path, opt->level,
                  ZSTD_minCLevel(), ZSTD_maxCLevel());
    SGAE_CHECK(sgae_file_begin(path, &o->file));
    if (o->kind == OUT_PLAIN)
        goto done;
    SGAE_CHECK_ALLOC(o->zbuf = sgae_alloc(OUT_BUF, 1, "compression buffer"));
    if (o->kind == OUT_ZSTD) {
        if (!(o->zc = ZSTD_createCCtx()))
            SGAE_FAIL(SGAE_E_NOMEM, "%s: zstd: cannot create a compression context", path);
        ZSTD_CCtx_setParameter(o->zc, ZSTD_c_compressionLevel, opt->level);
        ZSTD_CCtx_setParameter(o->zc, ZSTD_c_checksumFlag, 1);
        /* worker threads when libzstd was built with them (the call fails
         * harmlessly otherwise); any count >= 1 gives the same bytes */
        ZSTD_CCtx_setParameter(o->zc, ZSTD_c_nbWorkers, threads);
    } else {
        /* windowBits 15 + 16: gzip wrapper */
        if (deflateInit2(&o->gz, opt->level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            SGAE_FAIL(SGAE_E_NOMEM, "%s: zlib: cannot initialise the compressor", path);
        o->gz_init = 1;
    }
done:
    if (st)
        out_discard(o);
    return st;
}

/* Compress (or copy) len bytes; `last` finishes the stream. */
static sgae_status out_put(out_file *o, const void *buf, size_t len, int last)
{
    sgae_status st = SGAE_OK;
    if (o->kind == OUT_PLAIN) {
        if (len)
            SGAE_CHECK(sgae_file_write(o->file, buf, len));
    } else if (o->kind == OUT_ZSTD) {
        ZSTD_inBuffer in = {buf, len, 0};
        ZSTD_EndDirective mode = last ? ZSTD_e_end : ZSTD_e_continue;
        for (;;) {
            ZSTD_outBuffer ob = {o->zbuf, OUT_BUF, 0};
            size_t r = ZSTD_compressStream2(o->zc, &ob, &in, mode);
            if (ZSTD_isError(r))
                SGAE_FAIL(SGAE_E_DEP, "%s: zstd: %s", o->path, ZSTD_getErrorName(r));
            if (ob.pos)
                SGAE_CHECK(sgae_file_write(o->file, o->zbuf, ob.pos));
            if (last ? r == 0 : in.pos == in.size)
                break;
        }
    } else {
        const unsigned char *src = buf;
        size_t left = len;
        for (;;) {
            uInt chunk = left > (1u << 30) ? (1u << 30) : (uInt)left;
            o->gz.next_in = src ? (Bytef *)(uintptr_t)(src + (len - left)) : Z_NULL;
            o->gz.avail_in = chunk;
            int flush = (last && chunk == left) ? Z_FINISH : Z_NO_FLUSH;
            int r;
            do {
                o->gz.next_out = o->zbuf;
                o->gz.avail_out = OUT_BUF;
                r = deflate(&o->gz, flush);
                if (r == Z_STREAM_ERROR)
                    SGAE_FAIL(SGAE_E_DEP, "%s: zlib: deflate failed", o->path);
                size_t have = OUT_BUF - o->gz.avail_out;
                if (have)
                    SGAE_CHECK(sgae_file_write(o->file, o->zbuf, have));
            } while (o->gz.avail_out == 0 || (flush == Z_FINISH && r != Z_STREAM_END));
            left -= chunk;
            if (left == 0)
                break;
        }
    }
done:
    return st;
}

/* Finish the stream and commit the file; o is released either way. */
static sgae_status out_close(out_file *o)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(out_put(o, NULL, 0, 1));
    st = sgae_file_commit(o->file);
    o->file = NULL;
done:
    out_discard(o);
    return st;
}

/* Decimal digits of v at p; returns the end. */
static inline char *put_u64(char *p, uint64_t v)
{
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (k)
        *p++ = tmp[--k];
    return p;
}

static inline char *put_str(char *p, const char *s)
{
    size_t len = strlen(s);
    memcpy(p, s, len);
    return p + len;
}

/* Bytes one node's name takes at most. */
static size_t name_len(const sgae_graph *g, int64_t i)
{
    return g->names ? strlen(g->names[i]) : 20;
}

static inline char *put_node(char *p, const sgae_graph *g, int64_t i)
{
    if (g->names)
        return put_str(p, g->names[i]);
    return put_u64(p, sgae_graph_id(g, i));
}

/* Rows per block: fixed (independent of the thread count). */
#define ROWS_PER_BLOCK 16384

typedef struct {
    char *buf;
    size_t cap, len;
} text_buf;

static sgae_status tb_reserve(text_buf *t, size_t need)
{
    if (need <= t->cap)
        return SGAE_OK;
    size_t cap = t->cap ? t->cap : (1u << 20);
    while (cap < need)
        cap *= 2;
    char *b = sgae_realloc(t->buf, cap, 1, "text buffer");
    if (!b)
        return SGAE_E_NOMEM;
    t->buf = b;
    t->cap = cap;
    return SGAE_OK;
}

/* What a text writer writes per row. */
enum { TXT_EDGES, TXT_LABELS, TXT_MTX };
typedef struct {
    const sgae_graph *g;
    const sgae_labels *l;
    int kind;
    char sep;    /* between the two ids of an edge */
    int singles; /* edge list: an isolated node is a line with its id alone */
} text_job;

/* A weight as text: a separator and 9 significant digits (a float reads
 * back exactly); at most WEIGHT_LEN bytes. */
#define WEIGHT_LEN 24
static inline char *put_weight(char *p, char sep, float w)
{
    *p++ = sep;
    return p + snprintf(p, WEIGHT_LEN, "%.9g", (double)w);
}

/* Upper bound of the bytes of rows [lo, hi). */
static size_t block_bound(const text_job *j, int64_t lo, int64_t hi)
{
    const sgae_graph *g = j->g;
    const sgae_csr *a = &g->adj;
    size_t b = 0;
    for (int64_t i = lo; i < hi; i++) {
        if (j->kind == TXT_EDGES) {
            size_t ni = name_len(g, i);
            if (j->singles && a->rowptr[i + 1] == a->rowptr[i])
                b += ni + 1;
            for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++)
                if (a->col[k] > i)
                    b += ni + name_len(g, a->col[k]) + 2 + (a->val ? WEIGHT_LEN : 0);
        } else if (j->kind == TXT_MTX) {
            b += (size_t)(a->rowptr[i + 1] - a->rowptr[i]) * (42 + (a->val ? WEIGHT_LEN : 0));
        } else if (j->l->label[i] >= 0) {
            size_t lab = j->l->class_names ? strlen(j->l->class_names[j->l->label[i]]) : 11;
            b += name_len(g, i) + lab + 2;
        }
    }
    return b;
}

static void block_format(const text_job *j, int64_t lo, int64_t hi, text_buf *t)
{
    const sgae_graph *g = j->g;
    const sgae_csr *a = &g->adj;
    const sgae_labels *l = j->l;
    char *p = t->buf;
    for (int64_t i = lo; i < hi; i++) {
        if (j->kind == TXT_EDGES) {
            if (j->singles && a->rowptr[i + 1] == a->rowptr[i]) {
                p = put_node(p, g, i);
                *p++ = '\n';
            }
            for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1]; k++) {
                int64_t c = a->col[k];
                if (c <= i)
                    continue;
                int64_t x = i, y = c;
                if (g->ids && !g->names && g->ids[y] < g->ids[x]) {
                    x = c; /* "u v" with u < v in the user's ids */
                    y = i;
                }
                p = put_node(p, g, x);
                *p++ = j->sep;
                p = put_node(p, g, y);
                if (a->val)
                    p = put_weight(p, j->sep, a->val[k]);
                *p++ = '\n';
            }
        } else if (j->kind == TXT_MTX) {
            /* the lower triangle, 1-based: "row col" with row > col */
            for (int64_t k = a->rowptr[i]; k < a->rowptr[i + 1] && a->col[k] < i; k++) {
                p = put_u64(p, (uint64_t)i + 1);
                *p++ = ' ';
                p = put_u64(p, (uint64_t)a->col[k] + 1);
                if (a->val)
                    p = put_weight(p, ' ', a->val[k]);
                *p++ = '\n';
            }
        } else if (l->label[i] >= 0) {
            p = put_node(p, g, i);
            *p++ = ' ';
            if (l->class_names)
                p = put_str(p, l->class_names[l->label[i]]);
            else
                p = put_u64(p, (uint64_t)l->label[i]);
            *p++ = '\n';
        }
    }
    t->len = (size_t)(p - t->buf);
}

static sgae_status write_text(const text_job *j, const char *path, const char *header,
                              const sgae_save_opts *opts)
{
    static const char *const what[] = {"writing edges", "writing labels", "writing entries"};
    sgae_status st = SGAE_OK;
    sgae_save_opts opt;
    out_file o = {0};
    text_buf *tb = NULL;
    if (opts)
        opt = *opts;
    else
        sgae_save_opts_defaults(&opt);
    int nt = opt.threads > 0 ? opt.threads : SGAE_NTHREADS();
    sgae_progress_meter meter;
    sgae_progress_meter_init(&meter, &opt.progress, what[j->kind]);
    SGAE_CHECK(out_open(&o, path, &opt, nt));
    SGAE_CHECK_ALLOC(tb = sgae_calloc((size_t)nt, sizeof *tb, "text buffers"));
    if (header)
        SGAE_CHECK(out_put(&o, header, strlen(header), 0));
    int64_t n = j->g->n;
    int64_t nblocks = (n + ROWS_PER_BLOCK - 1) / ROWS_PER_BLOCK;
    for (int64_t b0 = 0; b0 < nblocks; b0 += nt) {
        int cnt = (int)(nblocks - b0 < nt ? nblocks - b0 : nt);
        int64_t bad = -1;
#pragma omp parallel for schedule(static, 1) num_threads(nt) if (cnt > 1)
        for (int t = 0; t < cnt; t++) {
            int64_t lo = (b0 + t) * ROWS_PER_BLOCK;
            int64_t hi = lo + ROWS_PER_BLOCK < n ? lo + ROWS_PER_BLOCK : n;
            size_t need = block_bound(j, lo, hi) + 1;
            if (tb_reserve(&tb[t], need)) {
#pragma omp critical
                bad = t;
                continue;
            }
            block_format(j, lo, hi, &tb[t]);
        }
        if (bad >= 0) /* the allocator's message is on the thread that failed */
            SGAE_FAIL(SGAE_E_NOMEM, "%s: cannot allocate a text buffer", path);
        for (int t = 0; t < cnt; t++)
            SGAE_CHECK(out_put(&o, tb[t].buf, tb[t].len, 0));
        int64_t rows = (b0 + cnt) * ROWS_PER_BLOCK;
        sgae_progress_meter_tick(&meter, rows < n ? rows : n, n);
    }
    sgae_progress_meter_end(&meter);
    st = out_close(&o);
done:
    if (st)
        out_discard(&o);
    if (tb) {
        for (int t = 0; t < nt; t++)
            free(tb[t].buf);
        free(tb);
    }
    return st;
}

sgae_status sgae_edgelist_save(const sgae_graph *g, const char *path, const sgae_save_opts *opts)
{
    if (!g || !path || !g->adj.rowptr)
        return sgae_error_set(SGAE_E_ARG, "edge list writer: no graph or no path");
    text_job j = {g, NULL, TXT_EDGES, ' ', g->ids || g->names || g->id_base};
    if (sgae_io_has_suffix(path, ".tsv"))
        j.sep = '\t';
    else if (sgae_io_has_suffix(path, ".csv"))
        j.sep = ',';
    char header[200];
    snprintf(header, sizeof header,
             "# sgae edge list: %" PRId64 " nodes, %" PRId64 " undirected edges\n"
             "# nodes %" PRId64 "\n",
             g->n, sgae_graph_edges(g), g->n);
    return write_text(&j, path, header, opts);
}

sgae_status sgae_mtx_save(const sgae_graph *g, const char *path, const sgae_save_opts *opts)
{
    if (!g || !path || !g->adj.rowptr)
        return sgae_error_set(SGAE_E_ARG, "Matrix Market writer: no graph or no path");
    text_job j = {g, NULL, TXT_MTX, ' ', 0};
    char header[200];
    snprintf(header, sizeof header,
             "%%%%MatrixMarket matrix coordinate %s symmetric\n"
             "%% written by sgae: node i is row and column i+1\n"
             "%" PRId64 " %" PRId64 " %" PRId64 "\n",
             g->adj.val ? "real" : "pattern", g->n, g->n, sgae_graph_edges(g));
    return write_text(&j, path, header, opts);
}

sgae_status sgae_labels_save(const sgae_graph *g, const sgae_labels *l, const char *path,
                             const sgae_save_opts *opts)
{
    if (!g || !l || !path || !l->label)
        return sgae_error_set(SGAE_E_ARG, "labels writer: no graph, labels or path");
    if (l->n != g->n)
        return sgae_error_set(SGAE_E_ARG,
                              "labels writer: %" PRId64 " labels for a graph of %" PRId64 " nodes",
                              l->n, g->n);
    for (int64_t i = 0; i < l->n; i++)
        if (l->label[i] < -1 || (l->label[i] >= l->nclasses && l->nclasses > 0) ||
            (l->class_names && l->label[i] >= l->nclasses))
            return sgae_error_set(SGAE_E_ARG,
                                  "labels writer: node %" PRId64 " has label %d outside -1..%d",
                                  i, (int)l->label[i], (int)l->nclasses - 1);
    for (int32_t c = 0; l->class_names && c < l->nclasses; c++) {
        const char *s = l->class_names[c];
        if (!*s || strpbrk(s, " \t,\r\n#%"))
            return sgae_error_set(SGAE_E_ARG,
                                  "%s: class name '%s' cannot be written as 'node label' (it is "
                                  "empty or holds a blank, comma or comment sign)",
                                  path, s);
    }
    text_job j = {g, l, TXT_LABELS, ' ', 0};
    return write_text(&j, path, NULL, opts);
}

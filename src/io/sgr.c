/* The binary graph file (.sgr), a sectioned container (sgae/container.h)
 * with magic "SGAEGRPH", format version 2.0.
 *
 * Sections (kind in parentheses):
 *   "meta" (1)           u64 n, nnz (adjacency entries = 2 x edges),
 *                        input_edges, self_loops, duplicates, names_bytes,
 *                        id_kind (0: ids 0..n-1, 1: numeric map, 2: names),
 *                        chunk_bytes; later minor versions may append fields
 *   "degrees.K" (2)      n x i32 degrees
 *   "columns.K" (3)      nnz x i32, each row delta-coded (first column, then
 *                        the gaps)
 *   "ids.K" (4)          n x u64 user ids, delta-coded (id_kind 1)
 *   "names.K" (5)        names_bytes: n NUL-terminated names (id_kind 2)
 *   "weights.K" (6)      nnz x f32 edge weights in CSR order (since 2.1;
 *                        present only for a weighted graph: "weights.0"
 *                        marks one; readers of 2.0 skip it and read the
 *                        pattern)
 * Each array is cut into chunks of chunk_bytes raw bytes (the last one
 * shorter; none for an empty array), chunk K covering bytes K x chunk_bytes
 * onwards, so that chunks are (de)compressed in parallel.
 *
 * Loading runs in stages: open and check the container; read "meta" and
 * check every declared size against the section table (so nothing is
 * allocated that the file cannot hold); allocate; decompress the chunks in
 * parallel; rebuild the offsets from the degrees, the columns from the gaps
 * (checking that rows are sorted, unique, in range and without self-loops),
 * the id map and the names.
 *
 * Version 1 files (before the container: a 128-byte header, a chunk table,
 * the same four arrays) are still read, by sgr1_read below. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "internal.h"
#include "raw.h"
#include "sgae/container.h"

#define SGR_MAJOR 2u
#define SGR_MINOR 1u
#define META_BYTES 64
#define CHUNK ((size_t)8 << 20)
#define PAR_MIN (1 << 20) /* below this many entries, loops run serially */

enum { ARR_DEG, ARR_COL, ARR_IDS, ARR_NAMES, ARR_W, ARR_COUNT };
static const char *const arr_name[ARR_COUNT] = {"degrees", "columns", "ids", "names", "weights"};
enum { KIND_META = 1, KIND_DEG, KIND_COL, KIND_IDS, KIND_NAMES, KIND_WEIGHTS };
enum { ID_NONE, ID_NUMERIC, ID_NAMES };

static const sgae_container_format sgr_format = {
    .magic = {'S', 'G', 'A', 'E', 'G', 'R', 'P', 'H'},
    .name = ".sgr",
    .major = SGR_MAJOR,
    .minor = SGR_MINOR,
    .flags = 0,
};

/* What "meta" says. */
typedef struct {
    int64_t n, nnz, input_edges, self_loops, duplicates, names_bytes;
    int id_kind;
    uint64_t chunk_bytes;
    int weighted; /* not in "meta": told by the "weights.0" section */
} sgr_meta;

/* The four arrays as stored (degrees, gaps, delta ids, the name blob). */
typedef struct {
    void *data[ARR_COUNT];
    uint64_t bytes[ARR_COUNT];
} sgr_arrays;

static void meta_bytes(const sgr_meta *m, uint64_t bytes[ARR_COUNT])
{
    bytes[ARR_DEG] = (uint64_t)m->n * 4;
    bytes[ARR_COL] = (uint64_t)m->nnz * 4;
    bytes[ARR_IDS] = m->id_kind == ID_NUMERIC ? (uint64_t)m->n * 8 : 0;
    bytes[ARR_NAMES] = m->id_kind == ID_NAMES ? (uint64_t)m->names_bytes : 0;
    bytes[ARR_W] = m->weighted ? (uint64_t)m->nnz * 4 : 0;
}

/* ---- saving ------------------------------------------------------------------- */

void sgae_save_opts_defaults(sgae_save_opts *o)
{
    memset(o, 0, sizeof *o);
    o->level = 1;
}

/* Encode raw bytes [off, off + len) of array `a` of g into buf. */
static void encode_chunk(const sgae_graph *g, int a, uint64_t off, size_t len, void *buf)
{
    const sgae_csr *adj = &g->adj;
    if (a == ARR_DEG) {
        int32_t *d = buf;
        int64_t i0 = (int64_t)(off / 4), cnt = (int64_t)(len / 4);
#pragma omp parallel for schedule(static) if (cnt > PAR_MIN)
        for (int64_t i = 0; i < cnt; i++)
            d[i] = (int32_t)(adj->rowptr[i0 + i + 1] - adj->rowptr[i0 + i]);
    } else if (a == ARR_COL) {
        int32_t *d = buf;
        int64_t k0 = (int64_t)(off / 4), cnt = (int64_t)(len / 4);
        /* the row of entry k0: last i with rowptr[i] <= k0 */
        int64_t lo = 0, hi = g->n;
        while (lo < hi) {
            int64_t mid = lo + (hi - lo + 1) / 2;
            if (adj->rowptr[mid] <= k0)
                lo = mid;
            else
                hi = mid - 1;
        }
        int64_t i = lo;
        for (int64_t k = k0; k < k0 + cnt; k++) {
            while (adj->rowptr[i + 1] <= k)
                i++;
            d[k - k0] = k == adj->rowptr[i] ? adj->col[k] : adj->col[k] - adj->col[k - 1];
        }
    } else if (a == ARR_IDS) {
        uint64_t *d = buf;
        int64_t i0 = (int64_t)(off / 8), cnt = (int64_t)(len / 8);
        for (int64_t i = i0; i < i0 + cnt; i++)
            d[i - i0] = sgae_graph_id(g, i) - (i ? sgae_graph_id(g, i - 1) : 0);
    }
}

/* The name blob: n NUL-terminated names. */
static sgae_status names_blob(const sgae_graph *g, char **out, int64_t *bytes)
{
    sgae_status st = SGAE_OK;
    int64_t total = 0;
    char *blob = NULL;
    for (int64_t i = 0; i < g->n; i++)
        total += (int64_t)strlen(g->names[i]) + 1;
    SGAE_CHECK_ALLOC(blob = sgae_alloc((size_t)total + 1, 1, "sgr names"));
    char *w = blob;
    for (int64_t i = 0; i < g->n; i++) {
        size_t l = strlen(g->names[i]) + 1;
        memcpy(w, g->names[i], l);
        w += l;
    }
    *out = blob;
    *bytes = total;
    blob = NULL;
done:
    free(blob);
    return st;
}

static void meta_encode(const sgr_meta *m, unsigned char out[META_BYTES])
{
    uint64_t f[8] = {(uint64_t)m->n,          (uint64_t)m->nnz,         (uint64_t)m->input_edges,
                     (uint64_t)m->self_loops, (uint64_t)m->duplicates,  (uint64_t)m->names_bytes,
                     (uint64_t)m->id_kind,    m->chunk_bytes};
    for (int k = 0; k < 8; k++)
        sgae_put_u64(out + 8 * k, f[k]);
}

/* Write array a as its chunk sections (encoded chunk by chunk into buf, or
 * straight from `data` when it is stored as is). */
static sgae_status write_array(sgae_container_writer *w, const sgae_graph *g, int a,
                               uint64_t bytes, const void *data, void *buf)
{
    sgae_status st = SGAE_OK;
    for (uint64_t off = 0, k = 0; off < bytes; off += CHUNK, k++) {
        size_t len = bytes - off < CHUNK ? (size_t)(bytes - off) : CHUNK;
        char name[SGAE_SECTION_NAME_MAX + 1];
        snprintf(name, sizeof name, "%s.%" PRIu64, arr_name[a], k);
        const void *src = data ? (const char *)data + off : buf;
        if (!data)
            encode_chunk(g, a, off, len, buf);
        SGAE_CHECK(sgae_container_add(w, name, (uint32_t)(KIND_DEG + a), 0, src, len));
    }
done:
    return st;
}

sgae_status sgae_sgr_save(const sgae_graph *g, const char *path, const sgae_save_opts *opts)
{
    sgae_status st = SGAE_OK;
    sgae_save_opts o;
    sgae_container_writer *w = NULL;
    char *names = NULL;
    void *buf = NULL;
    if (!g || !path || !g->adj.rowptr)
        return sgae_error_set(SGAE_E_ARG, ".sgr writer: no graph or no path");
    if (opts)
        o = *opts;
    else
        sgae_save_opts_defaults(&o);
    sgr_meta m = {.n = g->n, .nnz = g->adj.rowptr[g->n], .input_edges = g->input_edges,
                  .self_loops = g->self_loops, .duplicates = g->duplicates,
                  .id_kind = g->names ? ID_NAMES : g->ids || g->id_base ? ID_NUMERIC : ID_NONE,
                  .chunk_bytes = CHUNK, .weighted = g->adj.val != NULL};
    if (g->names)
        SGAE_CHECK(names_blob(g, &names, &m.names_bytes));
    sgae_container_opts co;
    sgae_container_opts_defaults(&co);
    co.level = o.level;
    co.threads = o.threads > 0 ? o.threads : SGAE_NTHREADS();
    co.progress = o.progress;
    SGAE_CHECK_ALLOC(buf = sgae_alloc(CHUNK, 1, "sgr chunk"));
    SGAE_CHECK(sgae_container_create(path, &sgr_format, &co, &w));
    unsigned char meta[META_BYTES];
    meta_encode(&m, meta);
    SGAE_CHECK(sgae_container_add(w, "meta", KIND_META, 0, meta, sizeof meta));
    uint64_t bytes[ARR_COUNT];
    meta_bytes(&m, bytes);
    for (int a = 0; a < ARR_COUNT; a++)
        SGAE_CHECK(write_array(w, g, a, bytes[a],
                               a == ARR_NAMES ? names : a == ARR_W ? (void *)g->adj.val : NULL,
                               buf));
    st = sgae_container_commit(w);
    w = NULL;
done:
    sgae_container_abort(w);
    free(names);
    free(buf);
    return st;
}

/* ---- loading: the stages shared by both versions ------------------------------- */

/* Sizes of a header that can be trusted to index arrays. */
static sgae_status meta_check(const char *path, const sgr_meta *m)
{
    if (m->n < 0 || m->n >= INT32_MAX || m->nnz < 0 || m->nnz % 2 || m->names_bytes < 0 ||
        m->id_kind < ID_NONE || m->id_kind > ID_NAMES ||
        (m->id_kind == ID_NAMES && m->names_bytes < m->n) ||
        (m->id_kind != ID_NAMES && m->names_bytes != 0) ||
        (m->n > 0 && m->nnz / m->n >= m->n) || (m->n == 0 && m->nnz != 0))
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: inconsistent .sgr header (%" PRId64 " nodes, %" PRId64
                              " adjacency entries, %" PRId64 " name bytes)",
                              path, m->n, m->nnz, m->names_bytes);
    return SGAE_OK;
}

/* Allocate the graph and the stored arrays: the columns go straight into
 * the graph's CSR, the degrees, ids and names into buffers of their own.
 * All of it (and the names' copies) checked first against the memory
 * budget (sgae_memory_budget_default: SGAE_MEMORY_BUDGET). */
static sgae_status graph_alloc(const char *path, const sgr_meta *m, sgae_graph **gout,
                               sgr_arrays *arr)
{
    sgae_status st = SGAE_OK;
    sgae_graph *g = NULL;
    memset(arr, 0, sizeof *arr);
    meta_bytes(m, arr->bytes);
    uint64_t need = ((uint64_t)m->n + 1) * sizeof *g->adj.rowptr;
    for (int a = 0; a < ARR_COUNT; a++)
        need += arr->bytes[a];
    if (m->id_kind == ID_NAMES) /* the split names: a pointer and a copy each */
        need += (uint64_t)m->n * 2 * sizeof(char *) + (uint64_t)m->names_bytes;
    SGAE_CHECK(sgae_budget_check(sgae_memory_budget_default(),
                                 need > (uint64_t)INT64_MAX ? INT64_MAX : (int64_t)need, path,
                                 "loading the graph"));
    SGAE_CHECK_ALLOC(g = sgae_calloc(1, sizeof *g, "graph"));
    g->n = m->n;
    g->adj.nrows = g->adj.ncols = m->n;
    g->input_edges = m->input_edges;
    g->self_loops = m->self_loops;
    g->duplicates = m->duplicates;
    SGAE_CHECK_ALLOC(g->adj.rowptr = sgae_alloc((size_t)m->n + 1, sizeof *g->adj.rowptr,
                                                "graph offsets"));
    SGAE_CHECK_ALLOC(g->adj.col = sgae_alloc((size_t)m->nnz + 1, sizeof *g->adj.col,
                                             "graph columns"));
    SGAE_CHECK_ALLOC(arr->data[ARR_DEG] = sgae_alloc((size_t)m->n + 1, 4, "sgr degrees"));
    arr->data[ARR_COL] = g->adj.col;
    if (m->id_kind == ID_NUMERIC)
        SGAE_CHECK_ALLOC(g->ids = arr->data[ARR_IDS] =
                             sgae_alloc((size_t)m->n + 1, sizeof *g->ids, "id map"));
    if (m->id_kind == ID_NAMES)
        SGAE_CHECK_ALLOC(arr->data[ARR_NAMES] =
                             sgae_alloc((size_t)m->names_bytes + 1, 1, "sgr names"));
    if (m->weighted)
        SGAE_CHECK_ALLOC(g->adj.val = arr->data[ARR_W] = sgae_alloc(
                             (size_t)m->nnz + 1, sizeof *g->adj.val, "graph weights"));
    *gout = g;
    g = NULL;
done:
    if (g) {
        free(arr->data[ARR_DEG]);
        free(arr->data[ARR_NAMES]);
        memset(arr->data, 0, sizeof arr->data);
    }
    sgae_graph_free(g);
    return st;
}

/* Row offsets from the degrees. */
static sgae_status build_offsets(const char *path, sgae_graph *g, const int32_t *deg)
{
    int64_t run = 0, n = g->n;
    for (int64_t i = 0; i < n; i++) {
        g->adj.rowptr[i] = run;
        if (deg[i] < 0 || deg[i] >= n)
            return sgae_error_set(SGAE_E_CORRUPT, "%s: node %" PRId64 " has degree %d", path, i,
                                  (int)deg[i]);
        run += deg[i];
    }
    g->adj.rowptr[n] = run;
    return SGAE_OK;
}

/* Columns from the gaps; rows must come out sorted, unique, in range and
 * without self-loops. */
static sgae_status decode_columns(const char *path, sgae_graph *g)
{
    int64_t n = g->n, nnz = g->adj.rowptr[n];
    int badrow = 0;
#pragma omp parallel for schedule(dynamic, 4096) reduction(| : badrow) if (nnz > PAR_MIN)
    for (int64_t i = 0; i < n; i++) {
        int64_t a = g->adj.rowptr[i], b = g->adj.rowptr[i + 1];
        int64_t prev = -1;
        for (int64_t k = a; k < b; k++) {
            int64_t gap = g->adj.col[k];
            int64_t c = k == a ? gap : prev + gap;
            if ((k > a && gap <= 0) || c < 0 || c >= n || c == i) {
                badrow = 1;
                break;
            }
            g->adj.col[k] = (int32_t)c;
            prev = c;
        }
    }
    if (badrow)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: adjacency rows are not sorted, unique and in range", path);
    return SGAE_OK;
}

static void decode_ids(sgae_graph *g)
{
    uint64_t prev = 0;
    for (int64_t i = 0; g->ids && i < g->n; i++) {
        prev += g->ids[i];
        g->ids[i] = prev;
    }
}

/* n names from the blob (exactly n NUL-terminated strings). */
static sgae_status split_names(const char *path, sgae_graph *g, const char *blob, int64_t bytes)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK_ALLOC(g->names = sgae_calloc((size_t)g->n + 1, sizeof *g->names, "names"));
    const char *p = blob, *end = blob + bytes;
    for (int64_t i = 0; i < g->n; i++) {
        const char *z = p < end ? memchr(p, '\0', (size_t)(end - p)) : NULL;
        if (!z)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: damaged name table (name %" PRId64 " is cut off)",
                      path, i);
        SGAE_CHECK_ALLOC(g->names[i] = sgae_strdup(p));
        p = z + 1;
    }
    if (p != end)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: damaged name table (%td bytes after the last name)", path,
                  end - p);
done:
    return st;
}

/* The stages after the arrays are read; frees arr's own buffers. */
static sgae_status build_graph(const char *path, sgae_graph *g, sgr_arrays *arr)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(build_offsets(path, g, arr->data[ARR_DEG]));
    if (g->adj.rowptr[g->n] != (int64_t)(arr->bytes[ARR_COL] / 4))
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: degrees add up to %" PRId64 ", not %" PRIu64, path,
                  g->adj.rowptr[g->n], arr->bytes[ARR_COL] / 4);
    SGAE_CHECK(decode_columns(path, g));
    decode_ids(g);
    if (arr->data[ARR_NAMES])
        SGAE_CHECK(split_names(path, g, arr->data[ARR_NAMES], (int64_t)arr->bytes[ARR_NAMES]));
    /* what the rows alone cannot tell: symmetry, distinct ids and names */
    if ((st = sgae_graph_check_fast(g))) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", sgae_last_error());
        SGAE_FAIL(st, "%s: %s", path, msg);
    }
done:
    free(arr->data[ARR_DEG]);
    free(arr->data[ARR_NAMES]);
    arr->data[ARR_DEG] = arr->data[ARR_NAMES] = NULL;
    return st;
}

/* Run job(k) for k = 0..count-1 in parallel; on failures, the status and
 * message of the lowest failing k (the same at any thread count). */
typedef sgae_status (*job_fn)(const void *ctx, int64_t k);

static sgae_status run_parallel(const void *ctx, job_fn job, int64_t count)
{
    int64_t bad = -1;
    sgae_status bad_st = SGAE_OK;
    char msg[1024] = "";
#pragma omp parallel for schedule(dynamic, 1) if (count > 2) /* small files: one thread */
    for (int64_t k = 0; k < count; k++) {
        int64_t b;
#pragma omp atomic read
        b = bad;
        if (b >= 0 && b < k)
            continue; /* a failure before this one is reported anyway */
        sgae_status s = job(ctx, k);
        if (s) {
#pragma omp critical
            if (bad < 0 || k < bad) {
                bad_st = s;
                snprintf(msg, sizeof msg, "%s", sgae_last_error());
#pragma omp atomic write
                bad = k;
            }
        }
    }
    if (bad >= 0)
        return sgae_error_set(bad_st, "%s", msg);
    return SGAE_OK;
}

/* ---- loading version 2 ------------------------------------------------------------ */

typedef struct {
    const sgae_container *c;
    const sgr_arrays *arr;
    uint64_t chunk;
    int64_t first[ARR_COUNT + 1]; /* job index of each array's chunk 0 */
} v2_jobs;

static sgae_status v2_job(const void *ctx, int64_t k)
{
    const v2_jobs *j = ctx;
    int a = 0;
    while (k >= j->first[a + 1])
        a++;
    uint64_t idx = (uint64_t)(k - j->first[a]), off = idx * j->chunk;
    char name[SGAE_SECTION_NAME_MAX + 1];
    snprintf(name, sizeof name, "%s.%" PRIu64, arr_name[a], idx);
    return sgae_container_read(j->c, name, (char *)j->arr->data[a] + off,
                               (size_t)(j->arr->bytes[a] - off));
}

/* "meta", and every array's chunks exactly as it announces them. */
static sgae_status v2_meta(const sgae_container *c, sgr_meta *m)
{
    sgae_status st = SGAE_OK;
    const char *path = sgae_container_path(c);
    const sgae_section_info *s = sgae_container_find(c, "meta");
    unsigned char buf[META_BYTES];
    if (!s || s->raw_bytes < META_BYTES || s->raw_bytes > 4096)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: no valid 'meta' section", path);
    {
        void *full = NULL;
        size_t got;
        SGAE_CHECK(sgae_container_read_alloc(c, "meta", 4096, &full, &got));
        memcpy(buf, full, META_BYTES);
        free(full);
    }
    uint64_t f[8];
    for (int k = 0; k < 8; k++)
        f[k] = sgae_get_u64(buf + 8 * k);
    if (f[0] > INT64_MAX || f[1] > INT64_MAX || f[5] > INT64_MAX || f[6] > ID_NAMES)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: inconsistent .sgr header", path);
    *m = (sgr_meta){.n = (int64_t)f[0], .nnz = (int64_t)f[1], .input_edges = (int64_t)f[2],
                    .self_loops = (int64_t)f[3], .duplicates = (int64_t)f[4],
                    .names_bytes = (int64_t)f[5], .id_kind = (int)f[6], .chunk_bytes = f[7]};
    SGAE_CHECK(meta_check(path, m));
    m->weighted = sgae_container_find(c, "weights.0") != NULL;
    if (m->chunk_bytes < 4096 || m->chunk_bytes > ((uint64_t)1 << 30) || m->chunk_bytes % 8)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: inconsistent .sgr header (chunks of %" PRIu64 " bytes)",
                  path, m->chunk_bytes);
    uint64_t bytes[ARR_COUNT];
    meta_bytes(m, bytes);
    for (int a = 0; a < ARR_COUNT; a++) {
        uint64_t chunks = (bytes[a] + m->chunk_bytes - 1) / m->chunk_bytes;
        for (uint64_t k = 0; k <= chunks; k++) {
            char name[SGAE_SECTION_NAME_MAX + 1];
            snprintf(name, sizeof name, "%s.%" PRIu64, arr_name[a], k);
            s = sgae_container_find(c, name);
            uint64_t want = k == chunks ? 0 : bytes[a] - k * m->chunk_bytes;
            if (want > m->chunk_bytes)
                want = m->chunk_bytes;
            if (k < chunks && (!s || s->raw_bytes != want || s->kind != (uint32_t)(KIND_DEG + a)))
                SGAE_FAIL(SGAE_E_CORRUPT,
                          "%s: section '%s' is %s (the header announces %" PRIu64
                          " bytes of %s)",
                          path, name, s ? "inconsistent" : "missing", bytes[a], arr_name[a]);
            if (k == chunks && s)
                SGAE_FAIL(SGAE_E_CORRUPT, "%s: section '%s' is more than the header announces",
                          path, name);
        }
    }
done:
    return st;
}

static sgae_status sgr2_read(const char *path, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    sgae_container *c = NULL;
    sgae_graph *g = NULL;
    sgr_arrays arr = {0};
    sgr_meta m;
    SGAE_CHECK(sgae_container_open(path, &sgr_format, &c));
    SGAE_CHECK(v2_meta(c, &m));
    SGAE_CHECK(graph_alloc(path, &m, &g, &arr));
    v2_jobs j = {.c = c, .arr = &arr, .chunk = m.chunk_bytes};
    for (int a = 0; a < ARR_COUNT; a++)
        j.first[a + 1] = j.first[a] + (int64_t)((arr.bytes[a] + m.chunk_bytes - 1) / m.chunk_bytes);
    SGAE_CHECK(run_parallel(&j, v2_job, j.first[ARR_COUNT]));
    SGAE_CHECK(build_graph(path, g, &arr));
    *out = g;
    g = NULL;
done:
    free(arr.data[ARR_DEG]);
    free(arr.data[ARR_NAMES]);
    sgae_graph_free(g);
    sgae_container_close(c);
    return st;
}

/* ---- loading version 1 --------------------------------------------------------------
 *
 *   header, 128 bytes: "SGAEGRPH", u32 version (1), u32 flags (1: numeric id
 *     map, 2: names), i64 n, nnz, input_edges, self_loops, duplicates,
 *     names_bytes, nchunks, zero up to byte 120, u64 v1_hash of bytes 0..119;
 *   chunk table: nchunks x 6 u64 {array + 1, raw_offset, raw_bytes,
 *     file_offset, comp_bytes, v1_hash of the compressed bytes}, then the
 *     v1_hash of the table;
 *   chunks: one zstd frame each, of at most 8 MiB raw, back to back. */

#define V1_HEADER 128
#define V1_ENTRY 48
/* a zstd frame expands at most about 32768 times (RLE blocks): a chunk
 * claiming more raw bytes than that is damaged, refused before allocation */
#define V1_MAX_RATIO 32768u

static uint64_t v1_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t a = 0x9e3779b97f4a7c15ULL ^ len, b = 0xc2b2ae3d27d4eb4fULL;
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        uint64_t x = sgae_get_u64(p + i), y = sgae_get_u64(p + i + 8);
        a = (a ^ x) * 0xff51afd7ed558ccdULL;
        a ^= a >> 29;
        b = (b ^ y) * 0xc4ceb9fe1a85ec53ULL;
        b ^= b >> 31;
    }
    for (; i < len; i++)
        a = (a ^ p[i]) * 0x100000001b3ULL;
    uint64_t h = a ^ (b * 0x9e3779b97f4a7c15ULL);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

typedef struct {
    uint64_t arr, raw_off, raw_bytes, file_off, comp_bytes, hash;
} v1_chunk;

typedef struct {
    const char *path;
    int fd;
    const v1_chunk *ch;
    const sgr_arrays *arr;
} v1_jobs;

static sgae_status v1_job(const void *ctx, int64_t k)
{
    sgae_status st = SGAE_OK;
    const v1_jobs *j = ctx;
    const v1_chunk *c = &j->ch[k];
    unsigned char *comp = NULL;
    SGAE_CHECK_ALLOC(comp = sgae_alloc((size_t)c->comp_bytes, 1, "sgr chunk"));
    ssize_t got = pread(j->fd, comp, (size_t)c->comp_bytes, (off_t)c->file_off);
    if (got != (ssize_t)c->comp_bytes)
        SGAE_FAIL(got < 0 ? SGAE_E_IO : SGAE_E_CORRUPT, "%s: cannot read chunk %" PRId64 ": %s",
                  j->path, k, got < 0 ? strerror(errno) : "truncated file");
    if (v1_hash(comp, (size_t)c->comp_bytes) != c->hash)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: chunk %" PRId64 " at byte %" PRIu64
                  " is damaged (checksum mismatch)", j->path, k, c->file_off);
    char *dst = (char *)j->arr->data[c->arr] + c->raw_off;
    size_t z = ZSTD_decompress(dst, (size_t)c->raw_bytes, comp, (size_t)c->comp_bytes);
    if (ZSTD_isError(z) || z != c->raw_bytes)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: chunk %" PRId64 " at byte %" PRIu64 " is damaged (%s)",
                  j->path, k, c->file_off, ZSTD_isError(z) ? ZSTD_getErrorName(z) : "short");
done:
    free(comp);
    return st;
}

/* Header and chunk table, all sizes checked against the file before use. */
static sgae_status v1_table(const char *path, int fd, uint64_t size, sgr_meta *m,
                            v1_chunk **out, int64_t *nout)
{
    sgae_status st = SGAE_OK;
    unsigned char h[V1_HEADER];
    unsigned char *tab = NULL;
    v1_chunk *ch = NULL;
    *out = NULL;
    if (size < V1_HEADER || pread(fd, h, V1_HEADER, 0) != V1_HEADER)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: truncated .sgr file (%" PRIu64 " bytes, header needs %d)",
                  path, size, V1_HEADER);
    if (sgae_get_u64(h + 120) != v1_hash(h, 120))
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: header checksum mismatch (damaged file)", path);
    uint32_t flags = sgae_get_u32(h + 12);
    uint64_t nchunks = sgae_get_u64(h + 64);
    *m = (sgr_meta){.n = (int64_t)sgae_get_u64(h + 16), .nnz = (int64_t)sgae_get_u64(h + 24),
                    .input_edges = (int64_t)sgae_get_u64(h + 32),
                    .self_loops = (int64_t)sgae_get_u64(h + 40),
                    .duplicates = (int64_t)sgae_get_u64(h + 48),
                    .names_bytes = (int64_t)sgae_get_u64(h + 56),
                    .id_kind = (flags & 2) ? ID_NAMES : (flags & 1) ? ID_NUMERIC : ID_NONE,
                    .chunk_bytes = CHUNK};
    if ((flags & ~3u) || flags == 3u)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: inconsistent .sgr header (flags %u)", path, flags);
    SGAE_CHECK(meta_check(path, m));
    if (nchunks > (size - V1_HEADER) / V1_ENTRY)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: truncated .sgr file (chunk table cut off)", path);
    size_t tbytes = (size_t)nchunks * V1_ENTRY + 8;
    if (size < V1_HEADER + tbytes)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: truncated .sgr file (chunk table cut off)", path);
    SGAE_CHECK_ALLOC(tab = sgae_alloc(tbytes, 1, "sgr chunk table"));
    if (pread(fd, tab, tbytes, V1_HEADER) != (ssize_t)tbytes)
        SGAE_FAIL(SGAE_E_IO, "%s: read error", path);
    if (sgae_get_u64(tab + tbytes - 8) != v1_hash(tab, tbytes - 8))
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: chunk table checksum mismatch (damaged file)", path);
    SGAE_CHECK_ALLOC(ch = sgae_alloc((size_t)nchunks + 1, sizeof *ch, "sgr chunk table"));
    uint64_t bytes[ARR_COUNT], seen[ARR_COUNT] = {0}, off = V1_HEADER + tbytes;
    meta_bytes(m, bytes);
    for (uint64_t k = 0; k < nchunks; k++) {
        uint64_t *f = &ch[k].arr;
        for (int q = 0; q < 6; q++)
            f[q] = sgae_get_u64(tab + k * V1_ENTRY + (size_t)q * 8);
        uint64_t a = ch[k].arr - 1;
        if (ch[k].arr < 1 || a >= ARR_COUNT || ch[k].raw_off != seen[a] || ch[k].raw_bytes == 0 ||
            ch[k].raw_bytes > CHUNK || ch[k].raw_bytes > bytes[a] - seen[a] ||
            ch[k].file_off != off || ch[k].comp_bytes > size - off ||
            ch[k].raw_bytes / V1_MAX_RATIO >= ch[k].comp_bytes)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: inconsistent chunk table (entry %" PRIu64 ")", path,
                      k);
        ch[k].arr = a;
        seen[a] += ch[k].raw_bytes;
        off += ch[k].comp_bytes;
    }
    for (int a = 0; a < ARR_COUNT; a++)
        if (seen[a] != bytes[a])
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: inconsistent chunk table (%s)", path, arr_name[a]);
    if (off != size)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: %" PRIu64 " unexpected bytes after the data", path,
                  size - off);
    *out = ch;
    *nout = (int64_t)nchunks;
    ch = NULL;
done:
    free(tab);
    free(ch);
    return st;
}

static sgae_status sgr1_read(const char *path, int fd, uint64_t size, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    v1_chunk *ch = NULL;
    int64_t nch = 0;
    sgae_graph *g = NULL;
    sgr_arrays arr = {0};
    sgr_meta m;
    SGAE_CHECK(v1_table(path, fd, size, &m, &ch, &nch));
    SGAE_CHECK(graph_alloc(path, &m, &g, &arr));
    v1_jobs j = {.path = path, .fd = fd, .ch = ch, .arr = &arr};
    SGAE_CHECK(run_parallel(&j, v1_job, nch));
    SGAE_CHECK(build_graph(path, g, &arr));
    *out = g;
    g = NULL;
done:
    free(ch);
    free(arr.data[ARR_DEG]);
    free(arr.data[ARR_NAMES]);
    sgae_graph_free(g);
    return st;
}

sgae_status sgae_sgr_load(const char *path, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    unsigned char head[12] = {0};
    int fd = -1;
    *out = NULL;
    /* a version 1 file, told by its version field; everything else goes to
     * the container reader, which words the errors */
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot stat: %s", path, strerror(errno));
    if (pread(fd, head, sizeof head, 0) == (ssize_t)sizeof head &&
        !memcmp(head, sgr_format.magic, 8) && sgae_get_u32(head + 8) == 1)
        SGAE_CHECK(sgr1_read(path, fd, (uint64_t)sb.st_size, out));
    else
        SGAE_CHECK(sgr2_read(path, out));
done:
    if (fd >= 0)
        close(fd);
    return st;
}

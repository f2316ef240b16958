/* The binary graph file (.sgr): CSR + id map, zstd-compressed, checksummed.
 *
 * Layout (all integers little-endian):
 *   header, 128 bytes:
 *     0   "SGAEGRPH"
 *     8   u32 version (1)
 *     12  u32 flags (1: numeric id map, 2: string id map)
 *     16  i64 n, i64 nnz (adjacency entries = 2 x edges), i64 input_edges,
 *         i64 self_loops, i64 duplicates, i64 names_bytes, i64 nchunks
 *     72  reserved (zero)
 *     120 u64 hash of bytes 0..119
 *   chunk table: nchunks entries of 6 x u64
 *         {section, raw_offset, raw_bytes, file_offset, comp_bytes, hash},
 *     then u64 hash of the table;
 *   chunk data: each chunk one zstd frame (with zstd's content checksum) of
 *     at most CHUNK raw bytes; `hash` is sgr_hash of the compressed bytes.
 * Sections: 1 = degrees (n x i32), 2 = columns (nnz x i32, each row
 * delta-coded: first column, then gaps), 3 = ids (n x u64, delta-coded),
 * 4 = names (names_bytes: n NUL-terminated strings).
 * Chunks are (de)compressed in parallel. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "internal.h"
#include "raw.h"

#define SGR_VERSION 1u
#define HEADER_BYTES 128
#define CHUNK ((size_t)8 << 20)
#define ZLEVEL 1
#define PAR_MIN (1 << 20) /* below this many entries, loops run serially */

enum { SEC_DEG = 1, SEC_COL, SEC_IDS, SEC_NAMES, SEC_END };

typedef struct {
    uint64_t section, raw_off, raw_bytes, file_off, comp_bytes, hash;
} chunk;

/* 64-bit hash of a byte string (8 bytes a step, two lanes). */
static uint64_t sgr_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t a = 0x9e3779b97f4a7c15ULL ^ len, b = 0xc2b2ae3d27d4eb4fULL;
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        uint64_t x, y;
        memcpy(&x, p + i, 8);
        memcpy(&y, p + i + 8, 8);
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

static void put64(unsigned char *p, uint64_t x) { memcpy(p, &x, 8); }
static void put32(unsigned char *p, uint32_t x) { memcpy(p, &x, 4); }
static uint64_t get64(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8);
    return x;
}
static uint32_t get32(const unsigned char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

static sgae_status write_all(int fd, const void *buf, size_t len, const char *path)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t k = write(fd, p, len > ((size_t)1 << 30) ? (size_t)1 << 30 : len);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return sgae_error_set(SGAE_E_IO, "%s: write error: %s", path, strerror(errno));
        p += k;
        len -= (size_t)k;
    }
    return SGAE_OK;
}

sgae_status sgae_sgr_save(const sgae_graph *g, const char *path)
{
    sgae_status st = SGAE_OK;
    int64_t n = g->n, nnz = g->adj.rowptr ? g->adj.rowptr[n] : 0;
    int32_t *deg = NULL, *col = NULL;
    uint64_t *ids = NULL;
    char *names = NULL, *tmp = NULL;
    int64_t names_bytes = 0;
    chunk *ch = NULL;
    void **cbuf = NULL;
    unsigned char *table = NULL;
    int fd = -1;
    int64_t nchunks = 0;

    deg = sgae_alloc((size_t)n + 1, sizeof *deg, "sgr degrees");
    col = sgae_alloc((size_t)nnz + 1, sizeof *col, "sgr columns");
    if (!deg || !col) {
        st = SGAE_E_NOMEM;
        goto done;
    }
#pragma omp parallel for schedule(dynamic, 4096) if (nnz > PAR_MIN)
    for (int64_t i = 0; i < n; i++) {
        int64_t a = g->adj.rowptr[i], b = g->adj.rowptr[i + 1];
        deg[i] = (int32_t)(b - a);
        int32_t prev = 0;
        for (int64_t k = a; k < b; k++) {
            col[k] = g->adj.col[k] - prev;
            prev = g->adj.col[k];
        }
    }
    if (g->ids) {
        ids = sgae_alloc((size_t)n + 1, sizeof *ids, "sgr ids");
        if (!ids) {
            st = SGAE_E_NOMEM;
            goto done;
        }
        uint64_t prev = 0;
        for (int64_t i = 0; i < n; i++) {
            ids[i] = g->ids[i] - prev;
            prev = g->ids[i];
        }
    }
    if (g->names) {
        for (int64_t i = 0; i < n; i++)
            names_bytes += (int64_t)strlen(g->names[i]) + 1;
        names = sgae_alloc((size_t)names_bytes + 1, 1, "sgr names");
        if (!names) {
            st = SGAE_E_NOMEM;
            goto done;
        }
        char *w = names;
        for (int64_t i = 0; i < n; i++) {
            size_t l = strlen(g->names[i]) + 1;
            memcpy(w, g->names[i], l);
            w += l;
        }
    }
    /* chunk list */
    const void *sec_data[SEC_END] = {0};
    uint64_t sec_bytes[SEC_END] = {0};
    sec_data[SEC_DEG] = deg;
    sec_bytes[SEC_DEG] = (uint64_t)n * 4;
    sec_data[SEC_COL] = col;
    sec_bytes[SEC_COL] = (uint64_t)nnz * 4;
    sec_data[SEC_IDS] = ids;
    sec_bytes[SEC_IDS] = ids ? (uint64_t)n * 8 : 0;
    sec_data[SEC_NAMES] = names;
    sec_bytes[SEC_NAMES] = (uint64_t)names_bytes;
    for (int s = SEC_DEG; s < SEC_END; s++)
        nchunks += (int64_t)((sec_bytes[s] + CHUNK - 1) / CHUNK);
    ch = sgae_calloc((size_t)nchunks + 1, sizeof *ch, "sgr chunks");
    cbuf = sgae_calloc((size_t)nchunks + 1, sizeof *cbuf, "sgr chunks");
    if (!ch || !cbuf) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    int64_t c = 0;
    for (int s = SEC_DEG; s < SEC_END; s++)
        for (uint64_t off = 0; off < sec_bytes[s]; off += CHUNK) {
            ch[c].section = (uint64_t)s;
            ch[c].raw_off = off;
            ch[c].raw_bytes = sec_bytes[s] - off < CHUNK ? sec_bytes[s] - off : CHUNK;
            c++;
        }
    /* compress in parallel */
    int failed = 0;
    char zerr[128] = "";
#pragma omp parallel if (nchunks > 2)
    {
        ZSTD_CCtx *cc = ZSTD_createCCtx();
        if (cc) {
            ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, ZLEVEL);
            ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
        }
#pragma omp for schedule(dynamic, 1)
        for (int64_t k = 0; k < nchunks; k++) {
            if (!cc) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            size_t bound = ZSTD_compressBound(ch[k].raw_bytes);
            void *out = malloc(bound);
            if (!out) {
#pragma omp atomic write
                failed = 1;
                continue;
            }
            const char *src = (const char *)sec_data[ch[k].section] + ch[k].raw_off;
            size_t z = ZSTD_compress2(cc, out, bound, src, ch[k].raw_bytes);
            if (ZSTD_isError(z)) {
#pragma omp critical
                snprintf(zerr, sizeof zerr, "%s", ZSTD_getErrorName(z));
#pragma omp atomic write
                failed = 1;
                free(out);
                continue;
            }
            cbuf[k] = out;
            ch[k].comp_bytes = z;
            ch[k].hash = sgr_hash(out, z);
        }
        ZSTD_freeCCtx(cc);
    }
    if (failed) {
        st = sgae_error_set(zerr[0] ? SGAE_E_DEP : SGAE_E_NOMEM, "%s: compression failed%s%s",
                            path, zerr[0] ? ": " : "", zerr);
        goto done;
    }
    /* header and table */
    unsigned char hdr[HEADER_BYTES] = {0};
    memcpy(hdr, "SGAEGRPH", 8);
    put32(hdr + 8, SGR_VERSION);
    put32(hdr + 12, (g->ids ? 1u : 0u) | (g->names ? 2u : 0u));
    put64(hdr + 16, (uint64_t)n);
    put64(hdr + 24, (uint64_t)nnz);
    put64(hdr + 32, (uint64_t)g->input_edges);
    put64(hdr + 40, (uint64_t)g->self_loops);
    put64(hdr + 48, (uint64_t)g->duplicates);
    put64(hdr + 56, (uint64_t)names_bytes);
    put64(hdr + 64, (uint64_t)nchunks);
    put64(hdr + 120, sgr_hash(hdr, 120));
    size_t tbytes = (size_t)nchunks * 48 + 8;
    table = sgae_alloc(tbytes, 1, "sgr table");
    if (!table) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    uint64_t off = HEADER_BYTES + tbytes;
    for (int64_t k = 0; k < nchunks; k++) {
        ch[k].file_off = off;
        off += ch[k].comp_bytes;
        uint64_t *f = &ch[k].section;
        for (int q = 0; q < 6; q++)
            put64(table + (size_t)k * 48 + (size_t)q * 8, f[q]);
    }
    put64(table + tbytes - 8, sgr_hash(table, tbytes - 8));
    /* write to a temporary file beside the target, then rename */
    size_t plen = strlen(path);
    tmp = sgae_alloc(plen + 16, 1, "path");
    if (!tmp) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    snprintf(tmp, plen + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
        st = sgae_error_set(SGAE_E_IO, "%s: cannot create a temporary file: %s", path,
                            strerror(errno));
        free(tmp);
        tmp = NULL;
        goto done;
    }
    SGAE_CHECK(write_all(fd, hdr, HEADER_BYTES, path));
    SGAE_CHECK(write_all(fd, table, tbytes, path));
    for (int64_t k = 0; k < nchunks; k++)
        SGAE_CHECK(write_all(fd, cbuf[k], ch[k].comp_bytes, path));
    if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
        st = sgae_error_set(SGAE_E_IO, "%s: cannot sync: %s", path, strerror(errno));
        goto done;
    }
    if (close(fd) != 0) {
        fd = -1;
        st = sgae_error_set(SGAE_E_IO, "%s: write error: %s", path, strerror(errno));
        goto done;
    }
    fd = -1;
    if (rename(tmp, path) != 0) {
        st = sgae_error_set(SGAE_E_IO, "%s: cannot rename the temporary file: %s", path,
                            strerror(errno));
        goto done;
    }
    free(tmp);
    tmp = NULL;
done:
    if (fd >= 0)
        close(fd);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    if (cbuf)
        for (int64_t k = 0; k < nchunks; k++)
            free(cbuf[k]);
    free(cbuf);
    free(ch);
    free(table);
    free(deg);
    free(col);
    free(ids);
    free(names);
    return st;
}

sgae_status sgae_sgr_load(const char *path, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    int fd = -1;
    unsigned char *map = NULL;
    size_t size = 0;
    chunk *ch = NULL;
    int32_t *deg = NULL;
    char *names = NULL;
    sgae_graph *g = NULL;
    *out = NULL;
    fd = open(path, O_RDONLY);
    if (fd < 0) {
        st = sgae_error_set(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
        goto done;
    }
    struct stat sb;
    if (fstat(fd, &sb) != 0) {
        st = sgae_error_set(SGAE_E_IO, "%s: cannot stat: %s", path, strerror(errno));
        goto done;
    }
    size = (size_t)sb.st_size;
    if (size < 8) {
        st = sgae_error_set(size == 0 ? SGAE_E_PARSE : SGAE_E_CORRUPT,
                            "%s: %s", path, size == 0 ? "empty file" : "truncated .sgr file (no header)");
        goto done;
    }
    map = mmap(NULL, size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (map == MAP_FAILED) {
        map = NULL;
        st = sgae_error_set(SGAE_E_IO, "%s: cannot map: %s", path, strerror(errno));
        goto done;
    }
    if (memcmp(map, "SGAEGRPH", 8) != 0) {
        st = sgae_error_set(SGAE_E_FORMAT, "%s: not an .sgr file (bad magic bytes)", path);
        goto done;
    }
    if (size < HEADER_BYTES) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: truncated .sgr file (%zu bytes, header needs %d)",
                            path, size, HEADER_BYTES);
        goto done;
    }
    if (get64(map + 120) != sgr_hash(map, 120)) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: header checksum mismatch (damaged file)", path);
        goto done;
    }
    uint32_t version = get32(map + 8), flags = get32(map + 12);
    if (version != SGR_VERSION) {
        st = sgae_error_set(SGAE_E_FORMAT, "%s: .sgr version %u is not supported (this build reads %u)",
                            path, version, SGR_VERSION);
        goto done;
    }
    int64_t n = (int64_t)get64(map + 16), nnz = (int64_t)get64(map + 24);
    int64_t names_bytes = (int64_t)get64(map + 56), nchunks = (int64_t)get64(map + 64);
    if (n < 0 || n >= INT32_MAX || nnz < 0 || nnz % 2 || names_bytes < 0 || nchunks < 0 ||
        (uint64_t)nchunks > size / 48 || (flags & ~3u) || ((flags & 2) && names_bytes < n)) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: inconsistent header", path);
        goto done;
    }
    size_t tbytes = (size_t)nchunks * 48 + 8;
    if (size < HEADER_BYTES + tbytes) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: truncated .sgr file (chunk table cut off)", path);
        goto done;
    }
    const unsigned char *tab = map + HEADER_BYTES;
    if (get64(tab + tbytes - 8) != sgr_hash(tab, tbytes - 8)) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: chunk table checksum mismatch (damaged file)", path);
        goto done;
    }
    ch = sgae_alloc((size_t)nchunks + 1, sizeof *ch, "sgr chunks");
    g = sgae_calloc(1, sizeof *g, "graph");
    deg = sgae_alloc((size_t)n + 1, sizeof *deg, "sgr degrees");
    if (!ch || !g || !deg) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    g->n = n;
    g->input_edges = (int64_t)get64(map + 32);
    g->self_loops = (int64_t)get64(map + 40);
    g->duplicates = (int64_t)get64(map + 48);
    g->adj.nrows = g->adj.ncols = n;
    g->adj.rowptr = sgae_alloc((size_t)n + 1, sizeof *g->adj.rowptr, "graph offsets");
    g->adj.col = sgae_alloc((size_t)nnz + 1, sizeof *g->adj.col, "graph columns");
    if (flags & 1)
        g->ids = sgae_alloc((size_t)n + 1, sizeof *g->ids, "id map");
    if (flags & 2)
        names = sgae_alloc((size_t)names_bytes + 1, 1, "names");
    if (!g->adj.rowptr || !g->adj.col || ((flags & 1) && !g->ids) || ((flags & 2) && !names)) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    void *sec_data[SEC_END] = {0};
    uint64_t sec_bytes[SEC_END] = {0}, sec_seen[SEC_END] = {0};
    sec_data[SEC_DEG] = deg;
    sec_bytes[SEC_DEG] = (uint64_t)n * 4;
    sec_data[SEC_COL] = g->adj.col;
    sec_bytes[SEC_COL] = (uint64_t)nnz * 4;
    sec_data[SEC_IDS] = g->ids;
    sec_bytes[SEC_IDS] = (flags & 1) ? (uint64_t)n * 8 : 0;
    sec_data[SEC_NAMES] = names;
    sec_bytes[SEC_NAMES] = (flags & 2) ? (uint64_t)names_bytes : 0;
    uint64_t expect_off = HEADER_BYTES + tbytes;
    for (int64_t k = 0; k < nchunks; k++) {
        uint64_t *f = &ch[k].section;
        for (int q = 0; q < 6; q++)
            f[q] = get64(tab + (size_t)k * 48 + (size_t)q * 8);
        uint64_t s = ch[k].section;
        if (s < SEC_DEG || s >= SEC_END || ch[k].raw_off != sec_seen[s] ||
            ch[k].raw_bytes == 0 || ch[k].raw_bytes > CHUNK ||
            ch[k].raw_bytes > sec_bytes[s] - sec_seen[s] || ch[k].file_off != expect_off) {
            st = sgae_error_set(SGAE_E_CORRUPT, "%s: inconsistent chunk table (entry %" PRId64 ")",
                                path, k);
            goto done;
        }
        if (ch[k].comp_bytes > size || expect_off + ch[k].comp_bytes > size) {
            st = sgae_error_set(SGAE_E_CORRUPT,
                                "%s: truncated .sgr file (%zu bytes; chunk %" PRId64
                                " ends at byte %" PRIu64 ")",
                                path, size, k, expect_off + ch[k].comp_bytes);
            goto done;
        }
        sec_seen[s] += ch[k].raw_bytes;
        expect_off += ch[k].comp_bytes;
    }
    for (int s = SEC_DEG; s < SEC_END; s++)
        if (sec_seen[s] != sec_bytes[s]) {
            st = sgae_error_set(SGAE_E_CORRUPT, "%s: inconsistent chunk table (section %d)", path, s);
            goto done;
        }
    if (expect_off > size) {
        st = sgae_error_set(SGAE_E_CORRUPT,
                            "%s: truncated .sgr file (%zu bytes, %" PRIu64 " expected)", path,
                            size, expect_off);
        goto done;
    }
    if (expect_off < size) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: %zu unexpected bytes after the data", path,
                            size - (size_t)expect_off);
        goto done;
    }
    /* verify and decompress in parallel */
    int64_t bad = -1;
    char zerr[128] = "";
#pragma omp parallel if (nchunks > 2)
    {
        ZSTD_DCtx *dc = ZSTD_createDCtx();
#pragma omp for schedule(dynamic, 1)
        for (int64_t k = 0; k < nchunks; k++) {
            const unsigned char *src = map + ch[k].file_off;
            int ok = dc && sgr_hash(src, ch[k].comp_bytes) == ch[k].hash;
            if (ok) {
                char *dst = (char *)sec_data[ch[k].section] + ch[k].raw_off;
                size_t z = ZSTD_decompressDCtx(dc, dst, ch[k].raw_bytes, src, ch[k].comp_bytes);
                ok = !ZSTD_isError(z) && z == ch[k].raw_bytes;
                if (!ok && ZSTD_isError(z)) {
#pragma omp critical
                    snprintf(zerr, sizeof zerr, " (%s)", ZSTD_getErrorName(z));
                }
            }
            if (!ok) {
#pragma omp critical
                if (bad < 0 || k < bad)
                    bad = k;
            }
        }
        ZSTD_freeDCtx(dc);
    }
    if (bad >= 0) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: chunk %" PRId64 " at byte %" PRIu64
                                            " is damaged (checksum mismatch)%s",
                            path, bad, ch[bad].file_off, zerr);
        goto done;
    }
    /* rebuild offsets and columns; check the CSR invariants */
    int64_t run = 0;
    for (int64_t i = 0; i < n; i++) {
        g->adj.rowptr[i] = run;
        if (deg[i] < 0 || deg[i] >= n) {
            run = -1;
            break;
        }
        run += deg[i];
    }
    if (run != nnz) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: degrees do not add up to %" PRId64, path, nnz);
        goto done;
    }
    g->adj.rowptr[n] = nnz;
    int badrow = 0;
#pragma omp parallel for schedule(dynamic, 4096) reduction(| : badrow) if (nnz > PAR_MIN)
    for (int64_t i = 0; i < n; i++) {
        int64_t a = g->adj.rowptr[i], b = g->adj.rowptr[i + 1];
        int64_t prev = -1;
        for (int64_t k = a; k < b; k++) {
            int64_t c = (k == a ? 0 : prev) + (int64_t)g->adj.col[k];
            if (c <= prev || c >= n || c == i || (k > a && g->adj.col[k] <= 0)) {
                badrow = 1;
                break;
            }
            g->adj.col[k] = (int32_t)c;
            prev = c;
        }
    }
    if (badrow) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: adjacency rows are not sorted, unique and in range",
                            path);
        goto done;
    }
    if (g->ids) {
        uint64_t prev = 0;
        for (int64_t i = 0; i < n; i++) {
            prev += g->ids[i];
            g->ids[i] = prev;
        }
    }
    if (names && n > 0) {
        if (names[names_bytes - 1] != '\0') {
            st = sgae_error_set(SGAE_E_CORRUPT, "%s: damaged name table", path);
            goto done;
        }
        g->names = sgae_calloc((size_t)n + 1, sizeof *g->names, "names");
        if (!g->names) {
            st = SGAE_E_NOMEM;
            goto done;
        }
        const char *p = names, *end = names + names_bytes;
        for (int64_t i = 0; i < n; i++) {
            if (p >= end) {
                st = sgae_error_set(SGAE_E_CORRUPT, "%s: damaged name table", path);
                goto done;
            }
            size_t l = strlen(p);
            if (!(g->names[i] = sgae_strdup(p))) {
                st = SGAE_E_NOMEM;
                goto done;
            }
            p += l + 1;
        }
        if (p != end) {
            st = sgae_error_set(SGAE_E_CORRUPT, "%s: damaged name table", path);
            goto done;
        }
    }
    if (names && n == 0 && names_bytes != 0) {
        st = sgae_error_set(SGAE_E_CORRUPT, "%s: damaged name table", path);
        goto done;
    }
    if (names && !g->names && !(g->names = sgae_calloc(1, sizeof *g->names, "names"))) {
        st = SGAE_E_NOMEM;
        goto done;
    }
    *out = g;
    g = NULL;
done:
    if (map)
        munmap(map, size);
    if (fd >= 0)
        close(fd);
    free(ch);
    free(deg);
    free(names);
    sgae_graph_free(g);
    return st;
}

/* The sectioned container (layout in sgae/container.h).
 *
 * It lives in the core because it knows nothing of graphs: the .sgr file
 * (src/io) and training snapshots (src/train) are both built on it, beside
 * the atomic file helper it writes through. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zstd.h>

#include "internal.h"
#include "sgae/container.h"
#include "sgae/file.h"

#define HEADER_BYTES 64
#define ENTRY_BYTES 72
#define TRAILER_BYTES 40
#define LAYOUT 1u
#define OUT_BUF ((size_t)1 << 20)
#define ENCODING_MASK 0xffffu
/* zstd cannot expand a frame by more than this: a block of at most 128 KiB
 * takes at least 4 bytes (an RLE block: 3 header bytes and the byte). */
#define MAX_RATIO 32768u

typedef struct {
    sgae_section_info info;
    uint64_t hash;
} entry;

static const char *fmt_name(const sgae_container_format *f)
{
    return f && f->name ? f->name : "container";
}

void sgae_container_opts_defaults(sgae_container_opts *o)
{
    memset(o, 0, sizeof *o);
    o->level = 1;
    o->threads = 1;
    o->mt_min_bytes = (int64_t)4 << 20;
}

/* ---- byte planes ---------------------------------------------------------- */

static void shuffle4(const unsigned char *in, unsigned char *out, size_t len)
{
    size_t n = len / 4;
    for (size_t i = 0; i < n; i++) {
        out[i] = in[4 * i];
        out[n + i] = in[4 * i + 1];
        out[2 * n + i] = in[4 * i + 2];
        out[3 * n + i] = in[4 * i + 3];
    }
}

static void unshuffle4(const unsigned char *in, unsigned char *out, size_t len)
{
    size_t n = len / 4;
    for (size_t i = 0; i < n; i++) {
        out[4 * i] = in[i];
        out[4 * i + 1] = in[n + i];
        out[4 * i + 2] = in[2 * n + i];
        out[4 * i + 3] = in[3 * n + i];
    }
}

/* ---- writing ---------------------------------------------------------------- */

struct sgae_container_writer {
    sgae_file *file;
    const char *path;
    sgae_container_opts opt;
    uint64_t off; /* bytes written */
    entry *sec;
    int64_t count, cap;
    ZSTD_CCtx *cc1, *ccmt; /* single-threaded; with workers (large sections) */
    unsigned char *out;    /* compressed output, OUT_BUF bytes */
    /* the open section */
    int open;
    ZSTD_CCtx *cc;
    entry cur;
    uint64_t raw_seen;
    sgae_hash64_state h;
    unsigned char *stage, *planes; /* shuffle block and its planes */
    size_t stage_len;
    int broken; /* an error happened: only abort remains */
    uint64_t raw_done;
    sgae_progress_meter meter;
    char label[48];
};

static sgae_status zstd_error(const sgae_container_writer *w, size_t r)
{
    return sgae_error_set(SGAE_E_DEP, "%s: zstd: %s", w->path, ZSTD_getErrorName(r));
}

static sgae_status cctx_new(sgae_container_writer *w, int workers, ZSTD_CCtx **out)
{
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    if (!cc)
        return sgae_error_set(SGAE_E_NOMEM, "%s: zstd: cannot create a compression context",
                              w->path);
    size_t r = ZSTD_CCtx_setParameter(cc, ZSTD_c_compressionLevel, w->opt.level);
    if (!ZSTD_isError(r))
        r = ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    if (!ZSTD_isError(r))
        r = ZSTD_CCtx_setParameter(cc, ZSTD_c_contentSizeFlag, 1);
    /* nbWorkers >= 1 gives the same bytes for any count; libzstd without
     * threads refuses the parameter: compress in this thread then */
    if (!ZSTD_isError(r) && workers > 0)
        (void)ZSTD_CCtx_setParameter(cc, ZSTD_c_nbWorkers, workers);
    if (ZSTD_isError(r)) {
        ZSTD_freeCCtx(cc);
        return zstd_error(w, r);
    }
    *out = cc;
    return SGAE_OK;
}

static sgae_status put(sgae_container_writer *w, const void *buf, size_t len)
{
    sgae_status st = sgae_file_write(w->file, buf, len);
    if (st == SGAE_OK)
        w->off += len;
    return st;
}

sgae_status sgae_container_create(const char *path, const sgae_container_format *fmt,
                                  const sgae_container_opts *opts, sgae_container_writer **out)
{
    sgae_status st = SGAE_OK;
    sgae_container_writer *w = NULL;
    *out = NULL;
    if (!fmt)
        return sgae_error_set(SGAE_E_ARG, "%s: no container format given", path ? path : "?");
    SGAE_CHECK_ALLOC(w = sgae_calloc(1, sizeof *w, "container writer"));
    w->path = path;
    SGAE_OPTS_OR_DEFAULTS(w->opt, opts, sgae_container_opts_defaults);
    if (w->opt.level < ZSTD_minCLevel() || w->opt.level > ZSTD_maxCLevel())
        SGAE_FAIL(SGAE_E_ARG, "%s: zstd level %d outside %d..%d", path, w->opt.level,
                  ZSTD_minCLevel(), ZSTD_maxCLevel());
    if (w->opt.threads < 1)
        w->opt.threads = 1;
    SGAE_CHECK_ALLOC(w->out = sgae_alloc(OUT_BUF, 1, "container output buffer"));
    SGAE_CHECK(cctx_new(w, 0, &w->cc1));
    SGAE_CHECK(sgae_file_begin(path, &w->file));
    w->path = sgae_file_path(w->file);
    unsigned char h[HEADER_BYTES] = {0};
    memcpy(h, fmt->magic, 8);
    sgae_put_u32(h + 8, fmt->major);
    sgae_put_u32(h + 12, fmt->minor);
    sgae_put_u32(h + 16, fmt->flags);
    sgae_put_u32(h + 20, LAYOUT);
    sgae_put_u64(h + 56, sgae_hash64(h, 56, 0));
    SGAE_CHECK(put(w, h, sizeof h));
    snprintf(w->label, sizeof w->label, "writing %s", fmt_name(fmt));
    sgae_progress_meter_init(&w->meter, &w->opt.progress, w->label);
    *out = w;
    w = NULL;
done:
    sgae_container_abort(w);
    return st;
}

void sgae_container_abort(sgae_container_writer *w)
{
    if (!w)
        return;
    sgae_file_abort(w->file);
    ZSTD_freeCCtx(w->cc1);
    ZSTD_freeCCtx(w->ccmt);
    SGAE_FREE_ALL(w->sec, w->out, w->stage, w->planes, w);
}

/* Compress in[0..len) (end: and finish the frame), writing the output. */
static sgae_status feed(sgae_container_writer *w, const void *data, size_t len, int end)
{
    sgae_status st = SGAE_OK;
    ZSTD_inBuffer in = {data, len, 0};
    for (;;) {
        ZSTD_outBuffer ob = {w->out, OUT_BUF, 0};
        size_t r = ZSTD_compressStream2(w->cc, &ob, &in, end ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(r))
            SGAE_CHECK(zstd_error(w, r));
        if (ob.pos) {
            sgae_hash64_update(&w->h, w->out, ob.pos);
            SGAE_CHECK(put(w, w->out, ob.pos));
            w->cur.info.bytes += ob.pos;
        }
        if (end ? r == 0 : in.pos == in.size)
            break;
    }
done:
    return st;
}

static sgae_status check_usable(sgae_container_writer *w, int want_open)
{
    if (w->broken)
        return sgae_error_set(SGAE_E_ARG, "%s: the container writer failed earlier", w->path);
    if (w->open != want_open)
        return sgae_error_set(SGAE_E_ARG, "%s: %s", w->path,
                              want_open ? "no section is open" : "a section is still open");
    return SGAE_OK;
}

sgae_status sgae_container_section_begin(sgae_container_writer *w, const char *name,
                                         uint32_t kind, uint32_t flags, uint64_t raw_bytes)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(check_usable(w, 0));
    size_t nl = name ? strlen(name) : 0;
    if (nl == 0 || nl > SGAE_SECTION_NAME_MAX)
        SGAE_FAIL(SGAE_E_ARG, "%s: section name '%s' must have 1..%d bytes", w->path,
                  name ? name : "", SGAE_SECTION_NAME_MAX);
    for (int64_t i = 0; i < w->count; i++)
        if (!strcmp(w->sec[i].info.name, name))
            SGAE_FAIL(SGAE_E_ARG, "%s: section '%s' written twice", w->path, name);
    if ((flags & ENCODING_MASK) & ~SGAE_SECTION_SHUFFLE4)
        SGAE_FAIL(SGAE_E_ARG, "%s: section '%s': unknown encoding flags 0x%x", w->path, name,
                  (unsigned)(flags & ENCODING_MASK));
    if ((flags & SGAE_SECTION_SHUFFLE4) && raw_bytes % 4)
        SGAE_FAIL(SGAE_E_ARG, "%s: section '%s': %" PRIu64 " bytes cannot be shuffled as 4-byte "
                  "values", w->path, name, raw_bytes);
    if ((flags & SGAE_SECTION_SHUFFLE4) && !w->stage) {
        SGAE_CHECK_ALLOC(w->stage = sgae_alloc(SGAE_SHUFFLE_BLOCK, 1, "shuffle buffer"));
        SGAE_CHECK_ALLOC(w->planes = sgae_alloc(SGAE_SHUFFLE_BLOCK, 1, "shuffle buffer"));
    }
    if (w->count == w->cap) {
        int64_t cap = w->cap ? 2 * w->cap : 16;
        entry *s;
        SGAE_CHECK_ALLOC(s = sgae_realloc(w->sec, (size_t)cap, sizeof *s, "section table"));
        w->sec = s;
        w->cap = cap;
    }
    int mt = raw_bytes >= (uint64_t)w->opt.mt_min_bytes;
    if (mt && !w->ccmt)
        SGAE_CHECK(cctx_new(w, w->opt.threads, &w->ccmt));
    w->cc = mt ? w->ccmt : w->cc1;
    size_t r = ZSTD_CCtx_reset(w->cc, ZSTD_reset_session_only);
    if (!ZSTD_isError(r))
        r = ZSTD_CCtx_setPledgedSrcSize(w->cc, raw_bytes);
    if (ZSTD_isError(r))
        SGAE_CHECK(zstd_error(w, r));
    memset(&w->cur, 0, sizeof w->cur);
    memcpy(w->cur.info.name, name, nl);
    w->cur.info.kind = kind;
    w->cur.info.flags = flags;
    w->cur.info.offset = w->off;
    w->cur.info.raw_bytes = raw_bytes;
    w->raw_seen = 0;
    w->stage_len = 0;
    sgae_hash64_init(&w->h, 0);
    w->open = 1;
done:
    if (st && st != SGAE_E_ARG)
        w->broken = 1;
    return st;
}

sgae_status sgae_container_section_write(sgae_container_writer *w, const void *data,
                                         size_t bytes)
{
    sgae_status st = SGAE_OK;
    const unsigned char *p = data;
    SGAE_CHECK(check_usable(w, 1));
    if (bytes > w->cur.info.raw_bytes - w->raw_seen)
        SGAE_FAIL(SGAE_E_ARG, "%s: section '%s': more than the %" PRIu64 " bytes announced",
                  w->path, w->cur.info.name, w->cur.info.raw_bytes);
    w->raw_seen += bytes;
    if (!(w->cur.info.flags & SGAE_SECTION_SHUFFLE4)) {
        SGAE_CHECK(feed(w, p, bytes, 0));
    } else {
        while (bytes > 0) {
            size_t k = SGAE_SHUFFLE_BLOCK - w->stage_len;
            if (k > bytes)
                k = bytes;
            memcpy(w->stage + w->stage_len, p, k);
            w->stage_len += k;
            p += k;
            bytes -= k;
            if (w->stage_len == SGAE_SHUFFLE_BLOCK) {
                shuffle4(w->stage, w->planes, w->stage_len);
                SGAE_CHECK(feed(w, w->planes, w->stage_len, 0));
                w->stage_len = 0;
            }
        }
    }
    w->raw_done += (uint64_t)(p - (const unsigned char *)data);
    sgae_progress_meter_tick(&w->meter, (int64_t)w->raw_done, 0);
done:
    if (st)
        w->broken = 1;
    return st;
}

sgae_status sgae_container_section_end(sgae_container_writer *w)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(check_usable(w, 1));
    if (w->raw_seen != w->cur.info.raw_bytes)
        SGAE_FAIL(SGAE_E_ARG, "%s: section '%s': %" PRIu64 " of the %" PRIu64
                  " bytes announced were written", w->path, w->cur.info.name, w->raw_seen,
                  w->cur.info.raw_bytes);
    if (w->stage_len) {
        shuffle4(w->stage, w->planes, w->stage_len);
        SGAE_CHECK(feed(w, w->planes, w->stage_len, 0));
        w->stage_len = 0;
    }
    SGAE_CHECK(feed(w, NULL, 0, 1));
    w->cur.hash = sgae_hash64_final(&w->h);
    w->sec[w->count++] = w->cur;
    w->open = 0;
done:
    if (st)
        w->broken = 1;
    return st;
}

sgae_status sgae_container_add(sgae_container_writer *w, const char *name, uint32_t kind,
                               uint32_t flags, const void *data, size_t bytes)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(sgae_container_section_begin(w, name, kind, flags, bytes));
    SGAE_CHECK(sgae_container_section_write(w, data, bytes));
    SGAE_CHECK(sgae_container_section_end(w));
done:
    return st;
}

sgae_status sgae_container_commit(sgae_container_writer *w)
{
    sgae_status st = SGAE_OK;
    unsigned char *tab = NULL;
    SGAE_CHECK(check_usable(w, 0));
    size_t tbytes = (size_t)w->count * ENTRY_BYTES;
    SGAE_CHECK_ALLOC(tab = sgae_calloc(tbytes + 1, 1, "section table"));
    for (int64_t i = 0; i < w->count; i++) {
        unsigned char *e = tab + (size_t)i * ENTRY_BYTES;
        const entry *s = &w->sec[i];
        memcpy(e, s->info.name, sizeof s->info.name);
        sgae_put_u32(e + 32, s->info.kind);
        sgae_put_u32(e + 36, s->info.flags);
        sgae_put_u64(e + 40, s->info.offset);
        sgae_put_u64(e + 48, s->info.bytes);
        sgae_put_u64(e + 56, s->info.raw_bytes);
        sgae_put_u64(e + 64, s->hash);
    }
    unsigned char t[TRAILER_BYTES];
    sgae_put_u64(t, w->off);
    sgae_put_u64(t + 8, (uint64_t)w->count);
    sgae_put_u64(t + 16, sgae_hash64(tab, tbytes, 0));
    sgae_put_u64(t + 24, w->off + tbytes + TRAILER_BYTES);
    sgae_put_u64(t + 32, sgae_hash64(t, 32, 0));
    SGAE_CHECK(put(w, tab, tbytes));
    SGAE_CHECK(put(w, t, sizeof t));
    sgae_progress_meter_end(&w->meter);
    st = sgae_file_commit(w->file);
    w->file = NULL;
done:
    free(tab);
    sgae_container_abort(w);
    return st;
}

/* ---- reading ---------------------------------------------------------------- */

struct sgae_container {
    char *path;
    int fd;
    uint64_t size;
    uint32_t major, minor, flags;
    int64_t count;
    entry *sec;
    const entry **by_name; /* sorted by name */
};

static sgae_status pread_all(const sgae_container *c, void *buf, size_t len, uint64_t off)
{
    char *p = buf;
    while (len > 0) {
        ssize_t k = pread(c->fd, p, len, (off_t)off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return sgae_error_set(SGAE_E_IO, "%s: read error: %s", c->path, strerror(errno));
        if (k == 0)
            return sgae_error_set(SGAE_E_CORRUPT, "%s: truncated file (it shrank while read)",
                                  c->path);
        p += k;
        len -= (size_t)k;
        off += (uint64_t)k;
    }
    return SGAE_OK;
}

static int cmp_name(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    return strcmp(x->info.name, y->info.name);
}

void sgae_container_close(sgae_container *c)
{
    if (!c)
        return;
    if (c->fd >= 0)
        close(c->fd);
    SGAE_FREE_ALL(c->path, c->sec, c->by_name, c);
}

/* The header: magic, hash, layout, version. */
static sgae_status check_header(sgae_container *c, const sgae_container_format *fmt)
{
    unsigned char h[HEADER_BYTES];
    size_t got = c->size < HEADER_BYTES ? (size_t)c->size : HEADER_BYTES;
    const char *what = fmt_name(fmt);
    if (c->size == 0)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: empty file (not a %s file)", c->path, what);
    sgae_status st = pread_all(c, h, got, 0);
    if (st)
        return st;
    if (got < 8 || memcmp(h, fmt->magic, 8) != 0)
        return got < 8 && memcmp(h, fmt->magic, got) == 0
                   ? sgae_error_set(SGAE_E_CORRUPT, "%s: truncated %s file (%" PRIu64 " bytes)",
                                    c->path, what, c->size)
                   : sgae_error_set(SGAE_E_FORMAT, "%s: not a %s file (wrong magic bytes)",
                                    c->path, what);
    if (c->size < HEADER_BYTES + TRAILER_BYTES)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: truncated %s file (%" PRIu64 " bytes)",
                              c->path, what, c->size);
    if (sgae_get_u64(h + 56) != sgae_hash64(h, 56, 0))
        return sgae_error_set(SGAE_E_CORRUPT, "%s: damaged %s header (checksum mismatch)",
                              c->path, what);
    c->major = sgae_get_u32(h + 8);
    c->minor = sgae_get_u32(h + 12);
    c->flags = sgae_get_u32(h + 16);
    uint32_t layout = sgae_get_u32(h + 20);
    if (c->major > fmt->major)
        return sgae_error_set(SGAE_E_FORMAT,
                              "%s: %s format version %u.%u is newer than this build reads "
                              "(%u.x): upgrade sgae",
                              c->path, what, c->major, c->minor, fmt->major);
    if (layout != LAYOUT)
        return sgae_error_set(SGAE_E_FORMAT,
                              "%s: container layout %u is not the one this build reads (%u)",
                              c->path, layout, LAYOUT);
    return SGAE_OK;
}

/* The trailer: where the table is; *toff, *count checked against the size. */
static sgae_status check_trailer(const sgae_container *c, const char *what, uint64_t *toff,
                                 uint64_t *count, uint64_t *thash)
{
    unsigned char t[TRAILER_BYTES];
    sgae_status st = pread_all(c, t, sizeof t, c->size - TRAILER_BYTES);
    if (st)
        return st;
    if (sgae_get_u64(t + 32) != sgae_hash64(t, 32, 0))
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: truncated or damaged %s file (no valid trailer in its last "
                              "%d bytes)",
                              c->path, what, TRAILER_BYTES);
    uint64_t fbytes = sgae_get_u64(t + 24);
    if (fbytes != c->size)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: the file has %" PRIu64 " bytes but was written with %" PRIu64,
                              c->path, c->size, fbytes);
    *toff = sgae_get_u64(t);
    *count = sgae_get_u64(t + 8);
    *thash = sgae_get_u64(t + 16);
    uint64_t room = c->size - HEADER_BYTES - TRAILER_BYTES;
    if (*count > room / ENTRY_BYTES || *toff < HEADER_BYTES ||
        *toff != c->size - TRAILER_BYTES - *count * ENTRY_BYTES)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: inconsistent trailer (a table of %" PRIu64
                              " sections at byte %" PRIu64 " in a file of %" PRIu64 " bytes)",
                              c->path, *count, *toff, c->size);
    return SGAE_OK;
}

/* One table entry; *next is where the following section must start. */
static sgae_status parse_entry(sgae_container *c, const unsigned char *e, int64_t i,
                               uint64_t toff, uint64_t *next)
{
    entry *s = &c->sec[i];
    size_t nl = strnlen((const char *)e, 32);
    int pad_ok = nl < 32;
    for (size_t k = nl; k < 32 && pad_ok; k++)
        pad_ok = e[k] == 0;
    if (nl == 0 || !pad_ok)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: section %" PRId64 " has a malformed name",
                              c->path, i);
    memcpy(s->info.name, e, nl);
    s->info.name[nl] = '\0';
    s->info.kind = sgae_get_u32(e + 32);
    s->info.flags = sgae_get_u32(e + 36);
    s->info.offset = sgae_get_u64(e + 40);
    s->info.bytes = sgae_get_u64(e + 48);
    s->info.raw_bytes = sgae_get_u64(e + 56);
    s->hash = sgae_get_u64(e + 64);
    if (s->info.offset != *next || s->info.bytes == 0 || s->info.bytes > toff - *next)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: section '%s' (bytes %" PRIu64 "..+%" PRIu64
                              ") does not fit the file's layout",
                              c->path, s->info.name, s->info.offset, s->info.bytes);
    if (s->info.raw_bytes / MAX_RATIO > s->info.bytes)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: section '%s' claims %" PRIu64 " raw bytes from %" PRIu64
                              " compressed (more than zstd can expand)",
                              c->path, s->info.name, s->info.raw_bytes, s->info.bytes);
    *next += s->info.bytes;
    return SGAE_OK;
}

sgae_status sgae_container_open(const char *path, const sgae_container_format *fmt,
                                sgae_container **out)
{
    sgae_status st = SGAE_OK;
    sgae_container *c = NULL;
    unsigned char *tab = NULL;
    *out = NULL;
    if (!path || !fmt)
        return sgae_error_set(SGAE_E_ARG, "container open: no path or format given");
    const char *what = fmt_name(fmt);
    SGAE_CHECK_ALLOC(c = sgae_calloc(1, sizeof *c, "container"));
    c->fd = -1;
    SGAE_CHECK_ALLOC(c->path = sgae_strdup(path));
    c->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (c->fd < 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(c->fd, &sb) != 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot stat: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        SGAE_FAIL(SGAE_E_IO, "%s: not a regular file", path);
    c->size = (uint64_t)sb.st_size;
    SGAE_CHECK(check_header(c, fmt));
    uint64_t toff = 0, count = 0, thash = 0;
    SGAE_CHECK(check_trailer(c, what, &toff, &count, &thash));
    /* now the table's size is known to fit the file */
    size_t tbytes = (size_t)count * ENTRY_BYTES;
    SGAE_CHECK_ALLOC(tab = sgae_alloc(tbytes + 1, 1, "section table"));
    SGAE_CHECK(pread_all(c, tab, tbytes, toff));
    if (sgae_hash64(tab, tbytes, 0) != thash)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: damaged section table (checksum mismatch)", path);
    SGAE_CHECK_ALLOC(c->sec = sgae_calloc((size_t)count + 1, sizeof *c->sec, "section table"));
    SGAE_CHECK_ALLOC(c->by_name = sgae_alloc((size_t)count + 1, sizeof *c->by_name,
                                             "section table"));
    c->count = (int64_t)count;
    uint64_t next = HEADER_BYTES;
    for (int64_t i = 0; i < c->count; i++) {
        SGAE_CHECK(parse_entry(c, tab + (size_t)i * ENTRY_BYTES, i, toff, &next));
        c->by_name[i] = &c->sec[i];
    }
    if (next != toff)
        SGAE_FAIL(SGAE_E_CORRUPT,
                  "%s: %" PRIu64 " bytes between the last section and the table", path,
                  toff - next);
    qsort(c->by_name, (size_t)c->count, sizeof *c->by_name, cmp_name);
    for (int64_t i = 1; i < c->count; i++)
        if (!strcmp(c->by_name[i]->info.name, c->by_name[i - 1]->info.name))
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: two sections named '%s'", path,
                      c->by_name[i]->info.name);
    *out = c;
    c = NULL;
done:
    free(tab);
    sgae_container_close(c);
    return st;
}

void sgae_container_version(const sgae_container *c, uint32_t *major, uint32_t *minor,
                            uint32_t *flags)
{
    if (major)
        *major = c->major;
    if (minor)
        *minor = c->minor;
    if (flags)
        *flags = c->flags;
}

uint64_t sgae_container_file_bytes(const sgae_container *c) { return c->size; }
const char *sgae_container_path(const sgae_container *c) { return c->path; }
int64_t sgae_container_count(const sgae_container *c) { return c->count; }

const sgae_section_info *sgae_container_section(const sgae_container *c, int64_t i)
{
    return i >= 0 && i < c->count ? &c->sec[i].info : NULL;
}

static const entry *find_entry(const sgae_container *c, const char *name)
{
    int64_t lo = 0, hi = c->count;
    while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        int r = strcmp(c->by_name[mid]->info.name, name);
        if (r == 0)
            return c->by_name[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

const sgae_section_info *sgae_container_find(const sgae_container *c, const char *name)
{
    const entry *s = find_entry(c, name);
    return s ? &s->info : NULL;
}

static sgae_status decode(const sgae_container *c, const entry *s, void *buf)
{
    sgae_status st = SGAE_OK;
    unsigned char *comp = NULL, *block = NULL;
    ZSTD_DCtx *dc = NULL;
    const char *name = s->info.name;
    uint64_t raw = s->info.raw_bytes;
    int shuffled = (s->info.flags & SGAE_SECTION_SHUFFLE4) != 0;
    if ((s->info.flags & ENCODING_MASK) & ~SGAE_SECTION_SHUFFLE4)
        SGAE_FAIL(SGAE_E_FORMAT, "%s: section '%s' uses an encoding this build does not know "
                  "(flags 0x%x)", c->path, name, (unsigned)(s->info.flags & ENCODING_MASK));
    if (shuffled && raw % 4)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: section '%s': %" PRIu64 " shuffled bytes are not whole "
                  "4-byte values", c->path, name, raw);
    SGAE_CHECK_ALLOC(comp = sgae_alloc((size_t)s->info.bytes, 1, "compressed section"));
    SGAE_CHECK(pread_all(c, comp, (size_t)s->info.bytes, s->info.offset));
    if (sgae_hash64(comp, (size_t)s->info.bytes, 0) != s->hash)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: section '%s' at byte %" PRIu64 " is damaged (checksum "
                  "mismatch)", c->path, name, s->info.offset);
    size_t fsize = ZSTD_findFrameCompressedSize(comp, (size_t)s->info.bytes);
    unsigned long long csize = ZSTD_getFrameContentSize(comp, (size_t)s->info.bytes);
    if (ZSTD_isError(fsize) || fsize != s->info.bytes || csize != raw)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: section '%s' is not one zstd frame of %" PRIu64 " bytes",
                  c->path, name, raw);
    if (!(dc = ZSTD_createDCtx()))
        SGAE_FAIL(SGAE_E_NOMEM, "%s: zstd: cannot create a decompression context", c->path);
    size_t r = ZSTD_decompressDCtx(dc, buf, (size_t)raw, comp, (size_t)s->info.bytes);
    if (ZSTD_isError(r) || r != raw)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: section '%s' is damaged (%s)", c->path, name,
                  ZSTD_isError(r) ? ZSTD_getErrorName(r) : "short frame");
    if (shuffled && raw > 0) {
        SGAE_CHECK_ALLOC(block = sgae_alloc(SGAE_SHUFFLE_BLOCK, 1, "shuffle buffer"));
        unsigned char *p = buf;
        for (uint64_t off = 0; off < raw; off += SGAE_SHUFFLE_BLOCK) {
            size_t len = raw - off < SGAE_SHUFFLE_BLOCK ? (size_t)(raw - off) : SGAE_SHUFFLE_BLOCK;
            memcpy(block, p + off, len);
            unshuffle4(block, p + off, len);
        }
    }
done:
    ZSTD_freeDCtx(dc);
    free(comp);
    free(block);
    return st;
}

static sgae_status lookup(const sgae_container *c, const char *name, const entry **s)
{
    *s = find_entry(c, name);
    if (!*s)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: no section '%s' in the file", c->path, name);
    return SGAE_OK;
}

sgae_status sgae_container_read(const sgae_container *c, const char *name, void *buf,
                                size_t cap)
{
    sgae_status st = SGAE_OK;
    const entry *s;
    SGAE_CHECK(lookup(c, name, &s));
    if (cap < s->info.raw_bytes)
        SGAE_FAIL(SGAE_E_ARG, "%s: section '%s' has %" PRIu64 " bytes, more than the %zu given",
                  c->path, name, s->info.raw_bytes, cap);
    SGAE_CHECK(decode(c, s, buf));
done:
    return st;
}

sgae_status sgae_container_read_alloc(const sgae_container *c, const char *name,
                                      uint64_t max_raw, void **buf, size_t *bytes)
{
    sgae_status st = SGAE_OK;
    const entry *s;
    void *p = NULL;
    *buf = NULL;
    *bytes = 0;
    SGAE_CHECK(lookup(c, name, &s));
    if (max_raw > 0 && s->info.raw_bytes > max_raw)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: section '%s' declares %" PRIu64 " bytes, more than the "
                  "%" PRIu64 " it can have", c->path, name, s->info.raw_bytes, max_raw);
    if (s->info.raw_bytes > SIZE_MAX / 2)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: section '%s' is too large", c->path, name);
    SGAE_CHECK_ALLOC(p = sgae_alloc_aligned((size_t)s->info.raw_bytes, 1, "section"));
    SGAE_CHECK(decode(c, s, p));
    *buf = p;
    *bytes = (size_t)s->info.raw_bytes;
    p = NULL;
done:
    free(p);
    return st;
}

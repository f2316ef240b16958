/* Streaming decompression and line splitting. */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "internal.h"

#define BUF_SIZE (4u << 20)
#define IN_SIZE (1u << 20)
/* zstd windows: 2^31 bytes is the largest zstd writes (--long=31) */
#define WINDOW_LOG_MAX 31
#define WINDOW_LOG_MIN 10
#define WINDOW_LOG_DEFAULT 27

struct sgae_reader {
    char *path;
    int fd;
    sgae_compression comp;
    /* decompressed data in buf[start..end) */
    char *buf;
    size_t start, end;
    int eof;       /* no more decompressed data will come */
    int64_t lineno;
    /* compressed input */
    unsigned char *in;
    size_t in_pos, in_len;
    int in_eof;
    z_stream zs;
    int zs_init;
    ZSTD_DStream *zd;
    size_t zstd_frame_left; /* last ZSTD_decompressStream hint (0 = frame complete) */
    int zstd_window_log;    /* largest window accepted (ZSTD_d_windowLogMax) */
    int64_t frame_at;       /* file offset where the current zstd frame began */
    int64_t in_offset;      /* file offset of in[0] */
    int bom_checked, bom_skipped; /* the start was checked for a byte-order mark */
    int consumed;                 /* bytes were handed out */
};

static sgae_status fill_raw(sgae_reader *r, unsigned char *dst, size_t cap, size_t *got)
{
    *got = 0;
    for (;;) {
        ssize_t k = read(r->fd, dst, cap);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return sgae_error_set(SGAE_E_IO, "%s: read error: %s", r->path, strerror(errno));
        *got = (size_t)k;
        return SGAE_OK;
    }
}

static sgae_status refill_input(sgae_reader *r)
{
    if (r->in_pos < r->in_len || r->in_eof)
        return SGAE_OK;
    size_t got;
    sgae_status st = fill_raw(r, r->in, IN_SIZE, &got);
    if (st)
        return st;
    r->in_offset += (int64_t)r->in_len;
    r->in_pos = 0;
    r->in_len = got;
    if (got == 0)
        r->in_eof = 1;
    return SGAE_OK;
}

/* The window of the zstd frame header at file offset `at` (0: unknown). */
static uint64_t zstd_window_at(const char *path, int64_t at)
{
    unsigned char h[6];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return 0;
    ssize_t k = pread(fd, h, sizeof h, (off_t)at);
    close(fd);
    if (k < 6 || h[0] != 0x28 || h[1] != 0xb5 || h[2] != 0x2f || h[3] != 0xfd)
        return 0;
    if (h[4] & 0x20) /* single segment: the window is the content size */
        return 0;
    unsigned e = h[5] >> 3, mant = h[5] & 7;
    uint64_t base = (uint64_t)1 << (10 + e);
    return base + base / 8 * mant;
}

static sgae_status window_too_large(sgae_reader *r)
{
    uint64_t w = zstd_window_at(r->path, r->frame_at);
    char need[64] = "";
    if (w)
        snprintf(need, sizeof need, " of %llu MiB", (unsigned long long)(w >> 20));
    return sgae_error_set(SGAE_E_CORRUPT,
                          "%s: the zstd frame at byte %lld needs a window%s, more than the "
                          "limit of %llu MiB (2^%d); raise it with the environment variable "
                          "SGAE_ZSTD_WINDOW_LOG (at most %d; by default 27, as the zstd command, "
                          "and at most half of SGAE_MEMORY_BUDGET)",
                          r->path, (long long)r->frame_at, need,
                          (unsigned long long)(((uint64_t)1 << r->zstd_window_log) >> 20),
                          r->zstd_window_log, WINDOW_LOG_MAX);
}

/* Decompress into dst[0..cap); *got bytes produced; 0 only at the end. */
static sgae_status produce(sgae_reader *r, char *dst, size_t cap, size_t *got)
{
    sgae_status st;
    *got = 0;
    if (r->comp == SGAE_COMP_NONE)
        return fill_raw(r, (unsigned char *)dst, cap, got);
    while (*got == 0) {
        if ((st = refill_input(r)))
            return st;
        if (r->comp == SGAE_COMP_GZIP) {
            if (r->in_eof && r->in_pos == r->in_len) {
                if (r->zs_init == 2) /* between members: clean end */
                    return SGAE_OK;
                return sgae_error_set(SGAE_E_CORRUPT,
                                      "%s: truncated gzip stream (unexpected end of file)",
                                      r->path);
            }
            if (r->zs_init == 2) {
                /* zero bytes after a member are padding (gzip -d ignores them) */
                while (r->in_pos < r->in_len && r->in[r->in_pos] == 0)
                    r->in_pos++;
                if (r->in_pos == r->in_len)
                    continue;
                if (r->in[r->in_pos] != 0x1f)
                    return sgae_error_set(SGAE_E_CORRUPT,
                                          "%s: trailing data after the gzip stream at byte "
                                          "%lld (not another gzip member)",
                                          r->path, (long long)(r->in_offset + (int64_t)r->in_pos));
                /* a new member follows the previous one */
                inflateReset(&r->zs);
                r->zs_init = 1;
            }
            r->zs.next_in = r->in + r->in_pos;
            r->zs.avail_in = (uInt)(r->in_len - r->in_pos);
            r->zs.next_out = (Bytef *)dst;
            r->zs.avail_out = (uInt)cap;
            int zr = inflate(&r->zs, Z_NO_FLUSH);
            r->in_pos = r->in_len - r->zs.avail_in;
            *got = cap - r->zs.avail_out;
            if (zr == Z_STREAM_END)
                r->zs_init = 2;
            else if (zr != Z_OK && zr != Z_BUF_ERROR)
                return sgae_error_set(SGAE_E_CORRUPT, "%s: corrupt gzip data (%s)", r->path,
                                      r->zs.msg ? r->zs.msg : "inflate failed");
        } else {
            if (r->in_eof && r->in_pos == r->in_len) {
                if (r->zstd_frame_left == 0)
                    return SGAE_OK;
                return sgae_error_set(SGAE_E_CORRUPT,
                                      "%s: truncated zstd stream (unexpected end of file)",
                                      r->path);
            }
            ZSTD_inBuffer ib = {r->in, r->in_len, r->in_pos};
            ZSTD_outBuffer ob = {dst, cap, 0};
            if (r->zstd_frame_left == 0)
                r->frame_at = r->in_offset + (int64_t)r->in_pos;
            size_t zr = ZSTD_decompressStream(r->zd, &ob, &ib);
            if (ZSTD_isError(zr) &&
                ZSTD_getErrorCode(zr) == ZSTD_error_frameParameter_windowTooLarge)
                return window_too_large(r);
            if (ZSTD_isError(zr))
                return sgae_error_set(SGAE_E_CORRUPT, "%s: corrupt zstd data (%s)", r->path,
                                      ZSTD_getErrorName(zr));
            r->zstd_frame_left = zr;
            r->in_pos = ib.pos;
            *got = ob.pos;
        }
    }
    return SGAE_OK;
}

/* Formats that are named but not read: magic bytes and the name. */
static const struct {
    unsigned char magic[6];
    unsigned len;
    const char *name;
} unsupported[] = {
    {{0xfd, '7', 'z', 'X', 'Z', 0x00}, 6, "xz"},
    {{'B', 'Z', 'h'}, 3, "bzip2"},
    {{0x04, 0x22, 0x4d, 0x18}, 4, "lz4"},
    {{0x02, 0x21, 0x4c, 0x18}, 4, "lz4 (legacy)"},
    {{'P', 'K', 0x03, 0x04}, 4, "zip"},
    {{'P', 'K', 0x05, 0x06}, 4, "zip"},
    {{0x5d, 0x00, 0x00}, 3, "lzma"},
    {{'7', 'z', 0xbc, 0xaf, 0x27, 0x1c}, 6, "7z"},
};

static sgae_compression detect_bytes(const unsigned char *m, size_t k, const char **other)
{
    *other = NULL;
    if (k >= 2 && m[0] == 0x1f && m[1] == 0x8b)
        return SGAE_COMP_GZIP;
    if (k >= 4 && m[0] == 0x28 && m[1] == 0xb5 && m[2] == 0x2f && m[3] == 0xfd)
        return SGAE_COMP_ZSTD;
    /* a zstd skippable frame: magic 0x184D2A50..5F, little-endian */
    if (k >= 4 && (m[0] & 0xf0) == 0x50 && m[1] == 0x2a && m[2] == 0x4d && m[3] == 0x18)
        return SGAE_COMP_ZSTD;
    for (size_t i = 0; i < sizeof unsupported / sizeof unsupported[0]; i++)
        if (k >= unsupported[i].len && !memcmp(m, unsupported[i].magic, unsupported[i].len))
            *other = unsupported[i].name;
    return SGAE_COMP_NONE;
}

sgae_status sgae_compression_detect(const char *path, sgae_compression *c)
{
    unsigned char m[6] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return sgae_error_set(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t k = fread(m, 1, sizeof m, f);
    fclose(f);
    const char *other;
    *c = detect_bytes(m, k, &other);
    if (other)
        return sgae_error_set(SGAE_E_FORMAT,
                              "%s: %s-compressed: decompress it first, or recompress it with "
                              "zstd or gzip (the compressions sgae reads)",
                              path, other);
    return SGAE_OK;
}

/* The largest zstd window accepted: SGAE_ZSTD_WINDOW_LOG if set (10..31),
 * else 2^27 bytes (the limit of the zstd command without --long or
 * --memory: a 21-byte frame may declare a 2 GiB window), lowered to at most
 * half the memory budget. */
static int zstd_window_log(void)
{
    const char *e = getenv("SGAE_ZSTD_WINDOW_LOG");
    if (e && *e) {
        char *end;
        long v = strtol(e, &end, 10);
        if (!*end && v >= WINDOW_LOG_MIN && v <= WINDOW_LOG_MAX)
            return (int)v;
    }
    int64_t b = sgae_memory_budget_default();
    int w = WINDOW_LOG_DEFAULT;
    while (w > 20 && b > 0 && ((int64_t)1 << w) > b / 2)
        w--;
    return w;
}

sgae_status sgae_reader_open(const char *path, sgae_reader **out)
{
    sgae_status st = SGAE_OK;
    *out = NULL;
    sgae_reader *r = sgae_calloc(1, sizeof *r, "reader");
    if (!r)
        return SGAE_E_NOMEM;
    r->fd = -1;
    SGAE_CHECK_ALLOC(r->path = sgae_strdup(path));
    r->fd = open(path, O_RDONLY);
    if (r->fd < 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
    /* A pipe (/dev/stdin) can be read once: its first bytes, read here to
     * name its compression, are kept as the start of the input. */
    struct stat sb;
    unsigned char m[6];
    size_t k = 0;
    int piped = fstat(r->fd, &sb) == 0 && !S_ISREG(sb.st_mode);
    if (piped) {
        for (size_t got = 1; k < sizeof m && got > 0; k += got)
            SGAE_CHECK(fill_raw(r, m + k, sizeof m - k, &got));
        const char *other;
        r->comp = detect_bytes(m, k, &other);
        if (other)
            SGAE_FAIL(SGAE_E_FORMAT,
                      "%s: %s-compressed: decompress it first, or recompress it with "
                      "zstd or gzip (the compressions sgae reads)",
                      path, other);
    } else {
        SGAE_CHECK(sgae_compression_detect(path, &r->comp));
    }
    SGAE_CHECK_ALLOC(r->buf = sgae_alloc(BUF_SIZE + 1, 1, "read buffer"));
    if (r->comp != SGAE_COMP_NONE) {
        SGAE_CHECK_ALLOC(r->in = sgae_alloc(IN_SIZE, 1, "read buffer"));
        memcpy(r->in, m, k);
        r->in_len = k;
    } else {
        memcpy(r->buf, m, k);
        r->end = k;
    }
    if (r->comp == SGAE_COMP_GZIP) {
        if (inflateInit2(&r->zs, 15 + 16) != Z_OK)
            SGAE_FAIL(SGAE_E_DEP, "%s: zlib initialisation failed", path);
        r->zs_init = 1;
    } else if (r->comp == SGAE_COMP_ZSTD) {
        r->zd = ZSTD_createDStream();
        if (!r->zd)
            SGAE_FAIL(SGAE_E_NOMEM, "%s: zstd initialisation failed", path);
        ZSTD_initDStream(r->zd);
        r->zstd_window_log = zstd_window_log();
        ZSTD_DCtx_setParameter(r->zd, ZSTD_d_windowLogMax, r->zstd_window_log);
        r->zstd_frame_left = 0; /* before the first frame: an empty file is an error below */
    }
    *out = r;
    r = NULL;
done:
    sgae_reader_close(r);
    return st;
}

void sgae_reader_close(sgae_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    if (r->zs_init)
        inflateEnd(&r->zs);
    if (r->zd)
        ZSTD_freeDStream(r->zd);
    free(r->in);
    free(r->buf);
    free(r->path);
    free(r);
}

/* Read more decompressed data behind buf[start..end), compacting first. */
static sgae_status more(sgae_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    size_t got = 0;
    sgae_status st = SGAE_OK;
    if (r->end < BUF_SIZE) {
        st = produce(r, r->buf + r->end, BUF_SIZE - r->end, &got);
        if (st)
            return st;
    }
    if (got == 0)
        r->eof = 1;
    r->end += got;
    /* a UTF-8 byte-order mark at the very start is not text; a compression
     * sgae does not read, inside gzip or zstd, is named as it is in a plain
     * file (sgae_compression_detect), whatever the wrapping */
    if (!r->bom_checked && (r->end >= 3 || r->eof)) {
        r->bom_checked = 1;
        const char *other = NULL;
        if (r->comp != SGAE_COMP_NONE && !r->consumed)
            detect_bytes((const unsigned char *)r->buf, r->end < 6 ? r->end : 6, &other);
        if (other)
            return sgae_error_set(SGAE_E_FORMAT,
                                  "%s: %s-compressed data inside %s: decompress it first, or "
                                  "recompress it with zstd or gzip (the compressions sgae reads)",
                                  r->path, other, r->comp == SGAE_COMP_GZIP ? "gzip" : "zstd");
        if (!r->consumed && r->end >= 3 && !memcmp(r->buf, "\xef\xbb\xbf", 3)) {
            r->start = 3;
            r->bom_skipped = 1;
        }
    }
    return SGAE_OK;
}

sgae_status sgae_reader_line(sgae_reader *r, char **line, size_t *len)
{
    sgae_status st;
    size_t scanned = 0;
    *line = NULL;
    *len = 0;
    for (;;) {
        char *s = r->buf + r->start;
        size_t avail = r->end - r->start;
        char *nl = avail > scanned ? memchr(s + scanned, '\n', avail - scanned) : NULL;
        if (nl || (r->eof && avail > 0)) {
            size_t l = nl ? (size_t)(nl - s) : avail;
            if (l > SGAE_MAX_LINE)
                return sgae_error_set(SGAE_E_PARSE, "%s:%lld: line longer than %d bytes",
                                      r->path, (long long)r->lineno + 1, SGAE_MAX_LINE);
            r->start += nl ? l + 1 : l;
            r->lineno++;
            if (l > 0 && s[l - 1] == '\r')
                l--;
            s[l] = '\0';
            if (memchr(s, '\0', l))
                return sgae_error_set(SGAE_E_PARSE, "%s:%lld: NUL byte in text (binary file?)",
                                      r->path, (long long)r->lineno);
            *line = s;
            *len = l;
            r->consumed = 1;
            return SGAE_OK;
        }
        if (r->eof)
            return SGAE_OK; /* end of input */
        if (avail > SGAE_MAX_LINE)
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: line longer than %d bytes", r->path,
                                  (long long)r->lineno + 1, SGAE_MAX_LINE);
        scanned = avail;
        if ((st = more(r)))
            return st;
        if (r->bom_skipped) { /* the mark left the front: scan again */
            r->bom_skipped = 0;
            scanned = 0;
        }
    }
}

sgae_status sgae_reader_read(sgae_reader *r, void *buf, size_t len, size_t *got)
{
    sgae_status st;
    size_t done = 0;
    while (done < len) {
        if (r->start == r->end) {
            if (r->eof)
                break;
            if ((st = more(r)))
                return st;
            continue;
        }
        size_t k = r->end - r->start;
        if (k > len - done)
            k = len - done;
        memcpy((char *)buf + done, r->buf + r->start, k);
        r->start += k;
        done += k;
        r->consumed = 1;
    }
    *got = done;
    return SGAE_OK;
}

sgae_status sgae_reader_peek(sgae_reader *r, const char **buf, size_t *len)
{
    sgae_status st;
    while (!r->eof && r->end - r->start < 4096)
        if ((st = more(r)))
            return st;
    *buf = r->buf + r->start;
    *len = r->end - r->start;
    return SGAE_OK;
}

int64_t sgae_reader_lineno(const sgae_reader *r) { return r->lineno; }
const char *sgae_reader_path(const sgae_reader *r) { return r->path; }
sgae_compression sgae_reader_compression(const sgae_reader *r) { return r->comp; }

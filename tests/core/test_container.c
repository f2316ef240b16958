/* The sectioned container (sgae/container.h): XXH64 against published
 * values, round trips (from memory, in parts, shuffled floats, zstd
 * workers, empty sections), the same bytes at any thread count, versions,
 * unknown sections, every truncation and flipped byte refused, hostile
 * tables refused before allocating, writer misuse, and every allocation and
 * file operation failing in turn. */
#include <math.h>
#include <sys/stat.h>

#include "core/sweep.h"
#include "io/iotest.h"

static const sgae_container_format fmt = {
    .magic = {'T', 'E', 'S', 'T', 'C', 'O', 'N', 'T'}, .name = "test", .major = 2, .minor = 1,
    .flags = 0xabcd};

#define NBIG ((size_t)400000) /* floats: 1.6 MB, above mt_min_bytes below */

static float *big;
static unsigned char small[1000];

static void fill(void)
{
    big = malloc(NBIG * sizeof *big);
    for (size_t i = 0; i < NBIG; i++) /* smooth values: the byte planes compress */
        big[i] = (float)(sin((double)i * 1e-3) * 100.0 + (double)(i % 17) * 1e-3);
    for (size_t i = 0; i < sizeof small; i++)
        small[i] = (unsigned char)(i * i);
}

typedef struct {
    const char *path;
    int threads;
    int shuffle;
    int with_big;
    const sgae_container_format *f;
    size_t parts_values; /* 0: 300001 */
} job;

static sgae_status write_file(void *vctx)
{
    job *j = vctx;
    sgae_container_opts o;
    sgae_container_opts_defaults(&o);
    o.threads = j->threads;
    o.mt_min_bytes = 256 << 10; /* "big" and "parts" go to the zstd workers */
    sgae_container_writer *w = NULL;
    sgae_status st = sgae_container_create(j->path, j->f ? j->f : &fmt, &o, &w);
    if (st)
        return st;
    uint32_t sh = j->shuffle ? SGAE_SECTION_SHUFFLE4 : 0;
    if (!st)
        st = sgae_container_add(w, "small", 7, 0x10000, small, sizeof small);
    if (!st)
        st = sgae_container_add(w, "empty", 8, 0, NULL, 0);
    if (!st && j->with_big)
        st = sgae_container_add(w, "big", 9, sh, big, NBIG * sizeof *big);
    /* in parts of awkward sizes (not multiples of 4 or of the shuffle block) */
    size_t total = (j->parts_values ? j->parts_values : 300001) * 4, done = 0, part = 7777;
    if (!st)
        st = sgae_container_section_begin(w, "parts", 10, sh, total);
    while (!st && done < total) {
        size_t k = total - done < part ? total - done : part;
        st = sgae_container_section_write(w, (const char *)big + done, k);
        done += k;
        part = part * 3 % 100003 + 1;
    }
    if (!st)
        st = sgae_container_section_end(w);
    if (st) {
        sgae_container_abort(w);
        return st;
    }
    return sgae_container_commit(w);
}

/* Open and read every section; the first failure. */
static sgae_status read_all(const char *path, int check)
{
    sgae_container *c = NULL;
    sgae_status st = sgae_container_open(path, &fmt, &c);
    for (int64_t i = 0; st == SGAE_OK && i < sgae_container_count(c); i++) {
        const sgae_section_info *s = sgae_container_section(c, i);
        void *buf = NULL;
        size_t len;
        st = sgae_container_read_alloc(c, s->name, 0, &buf, &len);
        if (st == SGAE_OK && check) {
            const void *want = !strcmp(s->name, "small") ? (const void *)small : big;
            CHECK_MSG(len == s->raw_bytes && (len == 0 || !memcmp(buf, want, len)),
                      "section %s differs", s->name);
        }
        free(buf);
    }
    sgae_container_close(c);
    return st;
}

static sgae_status read_all_v(void *vctx) { return read_all(((job *)vctx)->path, 0); }

static uint64_t file_size(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0 ? (uint64_t)sb.st_size : 0;
}

/* Patch the table entry `i` of a file (raw_bytes at +56) and fix every
 * hash so that only the sizes are wrong. */
static void patch_entry(char *data, size_t len, int64_t i, uint64_t field_off, uint64_t value,
                        size_t width)
{
    unsigned char *t = (unsigned char *)data + len - 40;
    uint64_t toff, count;
    memcpy(&toff, t, 8);
    memcpy(&count, t + 8, 8);
    unsigned char *e = (unsigned char *)data + toff + (size_t)i * 72;
    memcpy(e + field_off, &value, width); /* little-endian */
    uint64_t h = sgae_hash64(data + toff, (size_t)count * 72, 0);
    memcpy(t + 16, &h, 8);
    h = sgae_hash64(t, 32, 0);
    memcpy(t + 32, &h, 8);
}

int main(void)
{
    const char *dir = t_tmp_init("container");
    fill();

    /* XXH64: values of the reference implementation (xxhsum -H64) */
    CHECK(sgae_hash64("", 0, 0) == 0xef46db3751d8e999ULL);
    CHECK(sgae_hash64("a", 1, 0) == 0xd24ec4f1a98c6e5bULL);
    CHECK(sgae_hash64("abc", 3, 0) == 0x44bc2cf5ad770999ULL);
    CHECK(sgae_hash64("abc", 3, 1) == 0xbea9ca8199328908ULL);
    CHECK(sgae_hash64("Nobody inspects the spammish repetition", 39, 0) == 0xfbcea83c8a378bf1ULL);
    CHECK(sgae_hash64("0123456789abcdef0123456789abcdef0123456789", 42, 0) ==
          0xa76190c3acf08a1cULL);

    /* round trip, with workers and the shuffle */
    const char *p = t_tmp("a.tc");
    job j = {p, 2, 1, 1, NULL, 0};
    CHECK_OK(write_file(&j));
    CHECK_OK(read_all(p, 1));
    {
        sgae_container *c = NULL;
        CHECK_OK(sgae_container_open(p, &fmt, &c));
        if (c) {
            uint32_t ma, mi, fl;
            sgae_container_version(c, &ma, &mi, &fl);
            CHECK(ma == 2 && mi == 1 && fl == 0xabcd);
            CHECK(sgae_container_file_bytes(c) == file_size(p));
            CHECK(!strcmp(sgae_container_path(c), p));
            CHECK_INT(sgae_container_count(c), 4);
            const char *names[] = {"small", "empty", "big", "parts"};
            uint32_t kinds[] = {7, 8, 9, 10};
            uint64_t off = 64;
            for (int i = 0; i < 4; i++) {
                const sgae_section_info *s = sgae_container_section(c, i);
                CHECK(s && !strcmp(s->name, names[i]) && s->kind == kinds[i] && s->offset == off);
                off += s ? s->bytes : 0;
            }
            CHECK(sgae_container_section(c, 4) == NULL && sgae_container_section(c, -1) == NULL);
            CHECK(sgae_container_find(c, "small")->flags == 0x10000);
            CHECK(sgae_container_find(c, "big")->flags == SGAE_SECTION_SHUFFLE4);
            CHECK(sgae_container_find(c, "nope") == NULL);
            CHECK(sgae_container_find(c, "parts")->raw_bytes == 300001 * 4);
            unsigned char buf[1000];
            CHECK_OK(sgae_container_read(c, "small", buf, sizeof buf));
            CHECK(!memcmp(buf, small, sizeof buf));
            CHECK_INT(sgae_container_read(c, "small", buf, 999), SGAE_E_ARG);
            CHECK_INT(sgae_container_read(c, "nope", buf, sizeof buf), SGAE_E_CORRUPT);
            CHECK(strstr(sgae_last_error(), "nope") && strstr(sgae_last_error(), p));
            void *x = NULL;
            size_t len;
            CHECK_INT(sgae_container_read_alloc(c, "big", 1000, &x, &len), SGAE_E_CORRUPT);
            CHECK(x == NULL);
            CHECK_OK(sgae_container_read_alloc(c, "empty", 10, &x, &len));
            CHECK(len == 0);
            free(x);
            /* reads from several threads at once */
            int bad = 0;
#pragma omp parallel for reduction(+ : bad)
            for (int t = 0; t < 8; t++) {
                void *b = NULL;
                size_t l;
                bad += sgae_container_read_alloc(c, t % 2 ? "big" : "parts", 0, &b, &l) != 0 ||
                       memcmp(b, big, l) != 0;
                free(b);
            }
            CHECK_INT(bad, 0);
        }
        sgae_container_close(c);
    }

    /* the same bytes with 1 or 2 workers; the shuffle pays on floats */
    {
        const char *q = t_tmp("b.tc"), *r = t_tmp("c.tc");
        job j1 = {q, 1, 1, 1, NULL, 0}, j3 = {r, 1, 0, 1, NULL, 0};
        CHECK_OK(write_file(&j1));
        size_t la, lb;
        char *a = t_slurp(p, &la), *b = t_slurp(q, &lb);
        CHECK(a && b && la == lb && !memcmp(a, b, la));
        free(a);
        free(b);
        CHECK_OK(write_file(&j3));
        CHECK_OK(read_all(r, 1));
        sgae_container *c1 = NULL, *c2 = NULL;
        CHECK_OK(sgae_container_open(p, &fmt, &c1));
        CHECK_OK(sgae_container_open(r, &fmt, &c2));
        if (c1 && c2) {
            double raw = (double)(NBIG * 4);
            double s1 = (double)sgae_container_find(c1, "big")->bytes;
            double s2 = (double)sgae_container_find(c2, "big")->bytes;
            printf("floats: ratio %.2f shuffled, %.2f plain\n", raw / s1, raw / s2);
            CHECK(s1 < s2);
        }
        sgae_container_close(c1);
        sgae_container_close(c2);
    }

    /* versions: a newer minor is read, a newer major refused naming both;
     * other magic bytes are another format; unknown sections are skipped */
    {
        sgae_container_format newer = fmt;
        newer.minor = 9;
        const char *q = t_tmp("minor.tc");
        job jn = {q, 1, 0, 0, &newer, 0};
        CHECK_OK(write_file(&jn));
        CHECK_OK(read_all(q, 1));
        newer.major = 3;
        newer.minor = 1;
        CHECK_OK(write_file(&jn));
        sgae_container *c = NULL;
        CHECK_INT(sgae_container_open(q, &fmt, &c), SGAE_E_FORMAT);
        CHECK(c == NULL);
        const char *m = sgae_last_error();
        CHECK_MSG(strstr(m, q) && strstr(m, "3.1") && strstr(m, "2.x"), "%s", m);
        sgae_container_format other = fmt;
        memcpy(other.magic, "OTHERFMT", 8);
        CHECK_INT(sgae_container_open(p, &other, &c), SGAE_E_FORMAT);
        CHECK(strstr(sgae_last_error(), "not a test file") != NULL);
        /* a reader that knows only "small" ignores the rest */
        CHECK_OK(sgae_container_open(p, &fmt, &c));
        unsigned char buf[1000];
        if (c)
            CHECK_OK(sgae_container_read(c, "small", buf, sizeof buf));
        sgae_container_close(c);
        /* a section with an encoding of a future version */
        size_t len;
        char *data = t_slurp(p, &len);
        patch_entry(data, len, 0, 36, 0x2, 4);
        const char *fut = t_tmp("future.tc");
        t_write(fut, data, len);
        CHECK_OK(sgae_container_open(fut, &fmt, &c));
        if (c) {
            CHECK_INT(sgae_container_read(c, "small", buf, sizeof buf), SGAE_E_FORMAT);
            CHECK(strstr(sgae_last_error(), "encoding") != NULL);
        }
        sgae_container_close(c);
        free(data);
    }

    /* damage: every truncation, appended bytes, a flipped bit at every
     * header/table/trailer byte and every 97th data byte */
    {
        job js = {t_tmp("s.tc"), 1, 1, 0, NULL, 3001};
        CHECK_OK(write_file(&js));
        size_t len;
        char *data = t_slurp(js.path, &len);
        const char *bad = t_tmp("bad.tc");
        int cut_ok = 1, flip_ok = 1, msg_ok = 1;
        for (size_t cut = 0; cut < len; cut += cut < 300 || cut > len - 3000 ? 1 : 89) {
            t_write(bad, data, cut);
            sgae_status st = read_all(bad, 0);
            if (st != SGAE_E_CORRUPT) {
                cut_ok = 0;
                fprintf(stderr, "cut at %zu: %s\n", cut, sgae_last_error());
            }
            msg_ok &= strstr(sgae_last_error(), bad) != NULL;
        }
        char *more = malloc(len + 5);
        memcpy(more, data, len);
        memcpy(more + len, "extra", 5);
        t_write(bad, more, len + 5);
        CHECK_INT(read_all(bad, 0), SGAE_E_CORRUPT);
        free(more);
        for (size_t pos = 0; pos < len; pos += pos < 300 || pos > len - 3000 ? 1 : 97) {
            data[pos] ^= (char)(1u << (pos % 8));
            t_write(bad, data, len);
            sgae_status st = read_all(bad, 0);
            sgae_status want = pos < 8 ? SGAE_E_FORMAT : SGAE_E_CORRUPT;
            if (st != want) {
                flip_ok = 0;
                fprintf(stderr, "flip at %zu: %s %s\n", pos, sgae_status_string(st),
                        sgae_last_error());
            }
            msg_ok &= strstr(sgae_last_error(), bad) != NULL;
            data[pos] ^= (char)(1u << (pos % 8));
        }
        CHECK(cut_ok);
        CHECK(flip_ok);
        CHECK(msg_ok);
        t_write(bad, data, len);
        CHECK_OK(read_all(bad, 1));

        /* hostile tables with valid hashes: refused at open, before any
         * allocation sized by them */
        char *h = malloc(len);
        memcpy(h, data, len);
        patch_entry(h, len, 2, 56, (uint64_t)1 << 62, 8); /* raw bytes of "parts" */
        t_write(bad, h, len);
        sgae_container *c = NULL;
        sgae_alloc_fail_at(0);
        CHECK_INT(sgae_container_open(bad, &fmt, &c), SGAE_E_CORRUPT);
        CHECK(strstr(sgae_last_error(), "parts") != NULL);
        memcpy(h, data, len);
        patch_entry(h, len, 0, 48, 1000000, 8); /* compressed bytes beyond the file */
        t_write(bad, h, len);
        CHECK_INT(sgae_container_open(bad, &fmt, &c), SGAE_E_CORRUPT);
        /* a trailer announcing a huge table */
        memcpy(h, data, len);
        unsigned char *t = (unsigned char *)h + len - 40;
        uint64_t huge = (uint64_t)1 << 40, hh;
        memcpy(t + 8, &huge, 8);
        hh = sgae_hash64(t, 32, 0);
        memcpy(t + 32, &hh, 8);
        t_write(bad, h, len);
        CHECK_INT(sgae_container_open(bad, &fmt, &c), SGAE_E_CORRUPT);
        CHECK(strstr(sgae_last_error(), "trailer") != NULL);
        /* two sections of one name */
        memcpy(h, data, len);
        uint64_t toff;
        memcpy(&toff, h + len - 40, 8);
        memcpy(h + toff + 72, h + toff, 8); /* "empty" renamed "small" + padding */
        memset(h + toff + 72 + 5, 0, 27);
        patch_entry(h, len, 0, 56, 1000, 8);
        t_write(bad, h, len);
        CHECK_INT(sgae_container_open(bad, &fmt, &c), SGAE_E_CORRUPT);
        CHECK(strstr(sgae_last_error(), "two sections") != NULL);
        free(h);
        free(data);
        /* not a regular file; missing */
        CHECK_INT(sgae_container_open(dir, &fmt, &c), SGAE_E_IO);
        CHECK_INT(sgae_container_open(t_tmp("missing.tc"), &fmt, &c), SGAE_E_IO);
    }

    /* writer misuse; an abort leaves the previous file */
    {
        const char *q = t_tmp("misuse.tc");
        t_write(q, "previous", 8);
        sgae_container_writer *w = NULL;
        CHECK_OK(sgae_container_create(q, &fmt, NULL, &w));
        CHECK_INT(sgae_container_add(w, "", 0, 0, small, 4), SGAE_E_ARG);
        CHECK_INT(sgae_container_add(w, "a-name-longer-than-31-bytes-xxxx", 0, 0, small, 4),
                  SGAE_E_ARG);
        CHECK_INT(sgae_container_add(w, "odd", 0, SGAE_SECTION_SHUFFLE4, small, 6), SGAE_E_ARG);
        CHECK_INT(sgae_container_add(w, "enc", 0, 0x8000, small, 4), SGAE_E_ARG);
        CHECK_OK(sgae_container_add(w, "ok", 0, 0, small, 4));
        CHECK_INT(sgae_container_add(w, "ok", 0, 0, small, 4), SGAE_E_ARG);
        sgae_container_abort(w);
        CHECK(t_same_file(q, "previous", 8));
        CHECK_OK(sgae_container_create(q, &fmt, NULL, &w));
        CHECK_OK(sgae_container_section_begin(w, "s", 0, 0, 10));
        CHECK_INT(sgae_container_section_write(w, small, 11), SGAE_E_ARG);
        CHECK_INT(sgae_container_commit(w), SGAE_E_ARG); /* after an error: nothing */
        CHECK(t_same_file(q, "previous", 8));
        CHECK_OK(sgae_container_create(q, &fmt, NULL, &w));
        CHECK_OK(sgae_container_section_begin(w, "s", 0, 0, 10));
        CHECK_OK(sgae_container_section_write(w, small, 5));
        CHECK_INT(sgae_container_section_end(w), SGAE_E_ARG);
        sgae_container_abort(w);
        CHECK_OK(sgae_container_create(q, &fmt, NULL, &w));
        CHECK_OK(sgae_container_section_begin(w, "s", 0, 0, 10));
        CHECK_INT(sgae_container_commit(w), SGAE_E_ARG); /* a section still open */
        CHECK(t_same_file(q, "previous", 8));
        sgae_container_opts o;
        sgae_container_opts_defaults(&o);
        o.level = 99;
        CHECK_INT(sgae_container_create(q, &fmt, &o, &w), SGAE_E_ARG);
        CHECK(w == NULL);
        CHECK_INT(t_count_files(dir, ".tmp."), 0);
    }

    /* every allocation and every file operation failing in turn */
    {
        job js = {t_tmp("sweep.tc"), 1, 1, 0, NULL, 3001};
        t_alloc_sweep("container write", write_file, &js, dir);
        t_alloc_sweep("container read", read_all_v, &js, NULL);
        t_fault_sweep("container write", write_file, &js, js.path, dir, "previous", 8);
    }

    free(big);
    t_tmp_cleanup();
    return t_done("core_container");
}

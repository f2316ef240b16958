/* The atomic file helper (sgae/file.h): contents, mode, stream and direct
 * writes, abort, the checks before writing, messages naming the caller's
 * path, the paired commit, and every allocation and file operation failing
 * in turn (ENOSPC) with the previous file left intact. */
#include <sys/stat.h>
#include <unistd.h>

#include "core/sweep.h"
#include "io/iotest.h"

static const char prev[] = "the previous content\n";

/* Write `bytes` bytes (a pattern), partly direct and partly through the
 * stream, to path. */
typedef struct {
    const char *path;
    size_t bytes;
} write_job;

static unsigned char pattern(size_t i) { return (unsigned char)(i * 7 + i / 251); }

static sgae_status write_some(void *vctx)
{
    write_job *j = vctx;
    sgae_file *f = NULL;
    sgae_status st = sgae_file_begin(j->path, &f);
    if (st)
        return st;
    static unsigned char buf[65536];
    size_t half = j->bytes / 2, i = 0;
    while (i < half && st == SGAE_OK) {
        size_t k = half - i < sizeof buf ? half - i : sizeof buf;
        for (size_t q = 0; q < k; q++)
            buf[q] = pattern(i + q);
        st = sgae_file_write(f, buf, k);
        i += k;
    }
    FILE *s = NULL;
    if (st == SGAE_OK)
        st = sgae_file_stream(f, &s);
    for (; st == SGAE_OK && i < j->bytes; i++)
        fputc(pattern(i), s);
    if (st) {
        sgae_file_abort(f);
        return st;
    }
    return sgae_file_commit(f);
}

static int has_pattern(const char *path, size_t bytes)
{
    size_t len;
    char *got = t_slurp(path, &len);
    int ok = got && len == bytes;
    for (size_t i = 0; ok && i < len; i++)
        ok = (unsigned char)got[i] == pattern(i);
    free(got);
    return ok;
}

/* Two files committed together. */
typedef struct {
    const char *a, *b;
    const char *ca, *cb; /* their new contents */
} pair_job;

static sgae_status write_pair(void *vctx)
{
    pair_job *j = vctx;
    sgae_file *a = NULL, *b = NULL;
    sgae_status st = sgae_file_begin(j->a, &a);
    if (st == SGAE_OK)
        st = sgae_file_begin(j->b, &b);
    if (st == SGAE_OK)
        st = sgae_file_write(a, j->ca, strlen(j->ca));
    if (st == SGAE_OK)
        st = sgae_file_write(b, j->cb, strlen(j->cb));
    if (st) {
        sgae_file_abort(a);
        sgae_file_abort(b);
        return st;
    }
    return sgae_file_commit_pair(a, b);
}

static int same_str(const char *path, const char *s) { return t_same_file(path, s, strlen(s)); }

int main(void)
{
    const char *dir = t_tmp_init("file");
    const char *p = t_tmp("out.bin");

    /* a new file, then a replacement; mode 0644 less the umask */
    write_job j = {p, (size_t)3 << 20};
    CHECK_OK(write_some(&j));
    CHECK(has_pattern(p, j.bytes));
    mode_t mask = umask(022);
    umask(mask);
    struct stat sb;
    CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == (0644 & ~mask));
    j.bytes = 1000;
    CHECK_OK(write_some(&j));
    CHECK(has_pattern(p, 1000));
    j.bytes = 0;
    CHECK_OK(write_some(&j));
    CHECK(has_pattern(p, 0));
    CHECK_INT(t_count_files(dir, ".tmp."), 0);

    /* abort: the previous content stays; before the commit only the
     * temporary file exists */
    {
        t_write(p, prev, strlen(prev));
        sgae_file *f = NULL;
        CHECK_OK(sgae_file_begin(p, &f));
        CHECK_OK(sgae_file_write(f, "new", 3));
        CHECK_INT(t_count_files(dir, ".tmp."), 1);
        CHECK(same_str(p, prev));
        CHECK(!strcmp(sgae_file_path(f), p));
        sgae_file_abort(f);
        CHECK(same_str(p, prev));
        CHECK_INT(t_count_files(dir, ".tmp."), 0);
        sgae_file_abort(NULL);
        /* and a stream with buffered data is discarded, not written */
        CHECK_OK(sgae_file_begin(p, &f));
        FILE *s;
        CHECK_OK(sgae_file_stream(f, &s));
        fputs("buffered", s);
        sgae_file_abort(f);
        CHECK(same_str(p, prev));
        CHECK_INT(t_count_files(dir, ".tmp."), 0);
    }

    /* bad paths: errors name the caller's path, never a temporary */
    {
        sgae_file *f = (sgae_file *)&j;
        CHECK_INT(sgae_file_begin(dir, &f), SGAE_E_IO);
        CHECK(f == NULL);
        CHECK(strstr(sgae_last_error(), dir) && strstr(sgae_last_error(), "directory"));
        const char *missing = t_tmp("no/such/dir/x.bin");
        CHECK_INT(sgae_file_begin(missing, &f), SGAE_E_IO);
        CHECK(strstr(sgae_last_error(), missing) && !strstr(sgae_last_error(), ".tmp."));
        CHECK_INT(sgae_file_begin("", &f), SGAE_E_ARG);
        char slash[1100];
        snprintf(slash, sizeof slash, "%s/", p);
        CHECK_INT(sgae_file_begin(slash, &f), SGAE_E_IO);

        CHECK_OK(sgae_file_check_writable(p));
        CHECK_OK(sgae_file_check_writable(t_tmp("not-yet.bin")));
        CHECK(access(t_tmp("not-yet.bin"), F_OK) != 0);
        CHECK_INT(t_count_files(dir, ".tmp."), 0);
        CHECK_INT(sgae_file_check_writable(dir), SGAE_E_IO);
        CHECK(strstr(sgae_last_error(), dir) != NULL);
        CHECK_INT(sgae_file_check_writable(missing), SGAE_E_IO);
        CHECK(strstr(sgae_last_error(), missing) != NULL);
        /* a file where a directory should be */
        char under_file[1100];
        snprintf(under_file, sizeof under_file, "%s/x", p);
        CHECK_INT(sgae_file_check_writable(under_file), SGAE_E_IO);
        CHECK(strstr(sgae_last_error(), "not a directory") != NULL);
        if (geteuid() != 0) { /* root writes anywhere */
            const char *ro = t_tmp("ro");
            CHECK(mkdir(ro, 0555) == 0);
            char in_ro[1100];
            snprintf(in_ro, sizeof in_ro, "%s/x.bin", ro);
            CHECK_INT(sgae_file_check_writable(in_ro), SGAE_E_IO);
            CHECK(strstr(sgae_last_error(), in_ro) != NULL);
            CHECK_INT(sgae_file_begin(in_ro, &f), SGAE_E_IO);
            chmod(ro, 0755);
        }
    }

    /* a write error is sticky and fails the commit */
    {
        t_write(p, prev, strlen(prev));
        sgae_file *f = NULL;
        CHECK_OK(sgae_file_begin(p, &f));
        sgae_file_fail_at(1, ENOSPC);
        CHECK_INT(sgae_file_write(f, "abc", 3), SGAE_E_IO);
        sgae_file_fail_at(0, 0);
        CHECK(strstr(sgae_last_error(), p) && strstr(sgae_last_error(), strerror(ENOSPC)));
        CHECK_INT(sgae_file_write(f, "abc", 3), SGAE_E_IO);
        CHECK_INT(sgae_file_commit(f), SGAE_E_IO);
        CHECK(same_str(p, prev));
        CHECK_INT(t_count_files(dir, ".tmp."), 0);
    }

    /* the paired commit */
    pair_job pj = {t_tmp("x.npy"), t_tmp("x.ids.tsv"), "new data\n", "new ids\n"};
    CHECK_OK(write_pair(&pj));
    CHECK(same_str(pj.a, pj.ca) && same_str(pj.b, pj.cb));
    {
        /* every operation failing: both previous, except a failed rename
         * of the first (the second is new) and the directory fsync (both
         * new) */
        t_write(pj.a, "old data\n", 9);
        t_write(pj.b, "old ids\n", 8);
        sgae_file_fail_at(0, 0);
        CHECK_OK(write_pair(&pj));
        int64_t count = sgae_file_op_count();
        CHECK(count >= 7);
        int bad = 0;
        for (int64_t k = 1; k <= count; k++) {
            t_write(pj.a, "old data\n", 9);
            t_write(pj.b, "old ids\n", 8);
            sgae_file_fail_at(k, ENOSPC);
            sgae_status st = write_pair(&pj);
            sgae_file_fail_at(0, 0);
            int a_new = k == count, b_new = k >= count - 1;
            int ok = st == SGAE_E_IO && t_count_files(dir, ".tmp.") == 0 &&
                     same_str(pj.a, a_new ? pj.ca : "old data\n") &&
                     same_str(pj.b, b_new ? pj.cb : "old ids\n") &&
                     (strstr(sgae_last_error(), pj.a) || strstr(sgae_last_error(), pj.b));
            if (k == count - 1)
                ok = ok && strstr(sgae_last_error(), pj.b) && strstr(sgae_last_error(), "already");
            if (!ok && bad++ < 5)
                fprintf(stderr, "pair: operation %lld of %lld: %s\n", (long long)k,
                        (long long)count, sgae_last_error());
        }
        CHECK_INT(bad, 0);
    }

    /* every allocation and every file operation failing in turn */
    j.bytes = (size_t)2 << 20;
    t_alloc_sweep("file helper", write_some, &j, dir);
    int64_t ops = t_fault_sweep("file helper", write_some, &j, p, dir, prev, strlen(prev));
    CHECK(ops >= 5); /* writes, fsync, close, rename, directory fsync */
    t_alloc_sweep("paired commit", write_pair, &pj, dir);

    t_tmp_cleanup();
    return t_done("core_file");
}

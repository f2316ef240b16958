/* Atomic file replacement (sgae/file.h): a temporary file in the target's
 * directory, fsync, rename, fsync of the directory; and the write-fault
 * hook of the tests. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "sgae/container.h"
#include "sgae/file.h"

#define STREAM_BUF ((size_t)1 << 20)
#define WRITE_MAX ((size_t)1 << 30)

struct sgae_file {
    char *path; /* the caller's path */
    char *tmp;  /* the temporary file beside it */
    char *dir;  /* their directory, for the fsync after the rename */
    int fd;
    FILE *stream; /* sgae_file_stream's stdio stream, or NULL */
    char *sbuf;   /* its buffer */
    int err;      /* errno of the first failed write (sticky) */
};

/* ---- the write-fault hook ------------------------------------------------ */

static _Atomic int64_t fault_k;
static _Atomic int64_t fault_ops;
static _Atomic int fault_err;

void sgae_file_fail_at(int64_t k, int err)
{
    fault_k = k > 0 ? k : 0;
    fault_err = err > 0 ? err : EIO;
    fault_ops = 0;
}

int64_t sgae_file_op_count(void) { return fault_ops; }

/* Count one operation: the errno it must fail with, or 0. */
static int fault_next(void)
{
    int64_t c = ++fault_ops;
    int64_t k = fault_k;
    return k > 0 && c == k ? fault_err : 0;
}

/* ---- names ----------------------------------------------------------------- */

/* Directory part of path ("." when there is none); malloc'ed. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sgae_strdup(".");
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *d = sgae_alloc(len + 1, 1, "directory name");
    if (d) {
        memcpy(d, path, len);
        d[len] = '\0';
    }
    return d;
}

/* Six characters of a fresh unique-looking suffix. */
static void random_suffix(char out[7], const void *salt)
{
    static _Atomic uint64_t counter;
    uint64_t seed[4] = {(uint64_t)getpid(), ++counter, (uint64_t)(sgae_now() * 1e9),
                        (uint64_t)(uintptr_t)salt};
    uint64_t h = sgae_hash64(seed, sizeof seed, 0x5eed);
    static const char digits[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int i = 0; i < 6; i++) {
        out[i] = digits[h % 36];
        h /= 36;
    }
    out[6] = '\0';
}

/* Create "<path>.tmp.XXXXXX" exclusively; fills tmp (strlen(path) + 12
 * bytes) and returns the descriptor, or -1 with errno set. */
static int create_temp(const char *path, char *tmp, size_t cap)
{
    for (int tries = 0; tries < 100; tries++) {
        char sfx[7];
        random_suffix(sfx, tmp);
        snprintf(tmp, cap, "%s.tmp.%s", path, sfx);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd >= 0 || errno != EEXIST)
            return fd;
    }
    errno = EEXIST;
    return -1;
}

/* The checks both sgae_file_begin and sgae_file_check_writable make before
 * creating anything. */
static sgae_status check_target(const char *path, const char *dir)
{
    struct stat sb;
    if (!path || !*path)
        return sgae_error_set(SGAE_E_ARG, "no output file name given");
    size_t len = strlen(path);
    if (path[len - 1] == '/' || (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)))
        return sgae_error_set(SGAE_E_IO, "%s: is a directory, not a file name", path);
    if (stat(dir, &sb) != 0)
        return sgae_error_set(SGAE_E_IO, "%s: cannot write: directory %s: %s", path, dir,
                              strerror(errno));
    if (!S_ISDIR(sb.st_mode))
        return sgae_error_set(SGAE_E_IO, "%s: cannot write: %s is not a directory", path, dir);
    return SGAE_OK;
}

sgae_status sgae_file_check_writable(const char *path)
{
    sgae_status st = SGAE_OK;
    char *dir = NULL, *tmp = NULL;
    if (!path || !*path)
        return sgae_error_set(SGAE_E_ARG, "no output file name given");
    SGAE_CHECK_ALLOC(dir = dir_of(path));
    SGAE_CHECK(check_target(path, dir));
    size_t cap = strlen(path) + 16;
    SGAE_CHECK_ALLOC(tmp = sgae_alloc(cap, 1, "file name"));
    int fd = create_temp(path, tmp, cap);
    if (fd < 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot create files in %s: %s", path, dir, strerror(errno));
    close(fd);
    unlink(tmp);
done:
    free(dir);
    free(tmp);
    return st;
}

/* ---- writing ---------------------------------------------------------------- */

static void file_free(sgae_file *f)
{
    if (!f)
        return;
    if (f->stream) {
        if (!f->err)
            f->err = ECANCELED; /* fclose must not write what is buffered */
        fclose(f->stream);  /* no close function: the descriptor stays ours */
    }
    if (f->fd >= 0)
        close(f->fd);
    if (f->tmp)
        unlink(f->tmp);
    SGAE_FREE_ALL(f->sbuf, f->path, f->tmp, f->dir, f);
}

sgae_status sgae_file_begin(const char *path, sgae_file **out)
{
    sgae_status st = SGAE_OK;
    sgae_file *f = NULL;
    *out = NULL;
    if (!path || !*path)
        return sgae_error_set(SGAE_E_ARG, "no output file name given");
    SGAE_CHECK_ALLOC(f = sgae_calloc(1, sizeof *f, "output file"));
    f->fd = -1;
    SGAE_CHECK_ALLOC(f->path = sgae_strdup(path));
    SGAE_CHECK_ALLOC(f->dir = dir_of(path));
    SGAE_CHECK(check_target(path, f->dir));
    size_t cap = strlen(path) + 16;
    SGAE_CHECK_ALLOC(f->tmp = sgae_alloc(cap, 1, "file name"));
    f->fd = create_temp(path, f->tmp, cap);
    if (f->fd < 0) {
        free(f->tmp); /* nothing was created: nothing to unlink */
        f->tmp = NULL;
        SGAE_FAIL(SGAE_E_IO, "%s: cannot create a file in %s: %s", path, f->dir,
                  strerror(errno));
    }
    *out = f;
    f = NULL;
done:
    file_free(f);
    return st;
}

const char *sgae_file_path(const sgae_file *f) { return f->path; }

/* Write everything; 0 or the errno of the failure (recorded in f->err). */
static int raw_write(sgae_file *f, const void *buf, size_t len)
{
    const char *p = buf;
    if (f->err)
        return f->err;
    while (len > 0) {
        int e = fault_next();
        ssize_t k = -1;
        if (!e) {
            k = write(f->fd, p, len > WRITE_MAX ? WRITE_MAX : len);
            if (k < 0 && errno == EINTR)
                continue;
            if (k < 0)
                e = errno;
            else if (k == 0)
                e = EIO;
        }
        if (e) {
            f->err = e;
            return e;
        }
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

static sgae_status write_error(const sgae_file *f)
{
    return sgae_error_set(SGAE_E_IO, "%s: cannot write: %s", f->path, strerror(f->err));
}

sgae_status sgae_file_write(sgae_file *f, const void *buf, size_t len)
{
    if (f->stream && fflush(f->stream) != 0 && !f->err)
        f->err = EIO;
    if (raw_write(f, buf, len))
        return write_error(f);
    return SGAE_OK;
}

static ssize_t cookie_write(void *cookie, const char *buf, size_t size)
{
    sgae_file *f = cookie;
    int e = raw_write(f, buf, size);
    if (e) {
        errno = e;
        return -1;
    }
    return (ssize_t)size;
}

sgae_status sgae_file_stream(sgae_file *f, FILE **out)
{
    sgae_status st = SGAE_OK;
    *out = NULL;
    if (!f->stream) {
        cookie_io_functions_t io = {.read = NULL, .write = cookie_write, .seek = NULL,
                                    .close = NULL};
        SGAE_CHECK_ALLOC(f->sbuf = sgae_alloc(STREAM_BUF, 1, "output buffer"));
        f->stream = fopencookie(f, "w", io);
        if (!f->stream)
            SGAE_FAIL(SGAE_E_NOMEM, "%s: cannot create an output stream", f->path);
        setvbuf(f->stream, f->sbuf, _IOFBF, STREAM_BUF);
    }
    *out = f->stream;
done:
    return st;
}

/* Everything up to the rename: flush the stream, fsync, close. */
static sgae_status finish_data(sgae_file *f)
{
    if (f->stream) {
        int bad = fflush(f->stream) != 0 || ferror(f->stream);
        fclose(f->stream);
        f->stream = NULL;
        if (bad && !f->err)
            f->err = EIO;
    }
    if (f->err)
        return write_error(f);
    int e = fault_next();
    if (!e && fsync(f->fd) != 0)
        e = errno;
    if (e)
        return sgae_error_set(SGAE_E_IO, "%s: cannot write (fsync): %s", f->path, strerror(e));
    e = fault_next();
    int r = close(f->fd);
    f->fd = -1;
    if (!e && r != 0)
        e = errno;
    if (e)
        return sgae_error_set(SGAE_E_IO, "%s: cannot write (close): %s", f->path, strerror(e));
    return SGAE_OK;
}

static sgae_status rename_into_place(sgae_file *f)
{
    int e = fault_next();
    if (!e && rename(f->tmp, f->path) != 0)
        e = errno;
    if (e)
        return sgae_error_set(SGAE_E_IO, "%s: cannot replace the file: %s", f->path,
                              strerror(e));
    free(f->tmp); /* renamed: nothing left to unlink */
    f->tmp = NULL;
    return SGAE_OK;
}

static sgae_status sync_dir(const sgae_file *f)
{
    int e = fault_next();
    if (!e) {
        int dfd = open(f->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd < 0)
            e = errno;
        else {
            if (fsync(dfd) != 0 && errno != EINVAL)
                e = errno;
            close(dfd);
        }
    }
    if (e)
        return sgae_error_set(SGAE_E_IO,
                              "%s: written, but the rename may not be durable (fsync of %s: %s)",
                              f->path, f->dir, strerror(e));
    return SGAE_OK;
}

sgae_status sgae_file_commit(sgae_file *f)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(finish_data(f));
    SGAE_CHECK(rename_into_place(f));
    SGAE_CHECK(sync_dir(f));
done:
    file_free(f);
    return st;
}

void sgae_file_abort(sgae_file *f) { file_free(f); }

sgae_status sgae_file_commit_pair(sgae_file *first, sgae_file *second)
{
    sgae_status st = SGAE_OK;
    SGAE_CHECK(finish_data(first));
    SGAE_CHECK(finish_data(second));
    SGAE_CHECK(rename_into_place(second));
    st = rename_into_place(first);
    if (st) {
        char msg[1024];
        snprintf(msg, sizeof msg, "%s", sgae_last_error());
        SGAE_FAIL(st, "%s (%s was already replaced)", msg, second->path);
    }
    SGAE_CHECK(sync_dir(second));
    if (strcmp(first->dir, second->dir) != 0)
        SGAE_CHECK(sync_dir(first));
done:
    file_free(first);
    file_free(second);
    return st;
}

/* The tool's progress printer (cli_progress_sink, src/cli/common.c): plain
 * lines when stderr is a file, a line overwritten in place on a terminal (a
 * pseudo-terminal here), rate-limited, cleared at the end of a stage, silent
 * when quiet. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "testutil.h"

static void emit(sgae_progress_sink s, const char *label, int64_t done, int64_t total)
{
    if (s.fn)
        s.fn(s.ctx, label, done, total);
}

/* The calls of both runs: two stages; the updates inside 0.25 s are dropped
 * except a stage's last unit. */
static void stages(sgae_progress_sink s)
{
    emit(s, "load", 0, 10);
    for (int k = 1; k <= 10; k++)
        emit(s, "load", k, 10);
    emit(s, "load", -1, 0);
    emit(s, "read", 5, 0);
    emit(s, "read", 6, 0);
    usleep(300000);
    emit(s, "read", 7, 0);
    emit(s, "read", -1, 0);
}

/* Read what fd holds (a file from its start, or a pty master) into buf. */
static size_t slurp(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    ssize_t r;
    while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
        n += (size_t)r;
    buf[n] = '\0';
    return n;
}

/* Both stages with stderr on fd; stderr back to `saved` after. */
static void stages_on(int fd, int saved)
{
    fflush(stderr);
    dup2(fd, STDERR_FILENO);
    stages(cli_progress_sink(0));
    fflush(stderr);
    dup2(saved, STDERR_FILENO);
}

int main(void)
{
    char buf[4096];
    int saved = dup(STDERR_FILENO);
    CHECK(saved >= 0);

    /* quiet: no function at all */
    sgae_progress_sink q = cli_progress_sink(1);
    CHECK(q.fn == NULL);

    /* stderr a file: one plain line per update shown */
    char path[] = "/tmp/sgae-test-progress-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    stages_on(fd, saved);
    lseek(fd, 0, SEEK_SET);
    slurp(fd, buf, sizeof buf);
    close(fd);
    unlink(path);
    const char *want = "load: 0 / 10 (0%)\nload: 10 / 10 (100%)\nread: 5\nread: 7\n";
    CHECK_MSG(!strcmp(buf, want), "file output:\n%s\nexpected:\n%s", buf, want);

    /* stderr a terminal: each line rewrites the last, the stage end clears it */
    int m = posix_openpt(O_RDWR | O_NOCTTY);
    CHECK(m >= 0);
    if (m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0) {
        int sl = open(ptsname(m), O_RDWR | O_NOCTTY);
        CHECK(sl >= 0);
        stages_on(sl, saved);
        close(sl);
        fcntl(m, F_SETFL, O_NONBLOCK);
        slurp(m, buf, sizeof buf);
        const char *cl = "\r\033[K";
        char tw[256];
        snprintf(tw, sizeof tw, "%sload: 0 / 10 (0%%)%sload: 10 / 10 (100%%)%s%sread: 5%sread: 7%s",
                 cl, cl, cl, cl, cl, cl);
        CHECK_MSG(!strcmp(buf, tw), "terminal output differs (%zu bytes, expected %zu)",
                  strlen(buf), strlen(tw));
    }
    if (m >= 0)
        close(m);
    close(saved);
    return t_done("cli_progress");
}

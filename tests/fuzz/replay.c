/* Replays a regression corpus through a fuzz target without libFuzzer (the
 * normal test suite, built with gcc; also under ASan/UBSan): calls
 * LLVMFuzzerTestOneInput on every file of the directories and files given.
 *
 * A defect shows as a crash (the targets abort, see fuzz.h) or as one of
 * the limits below being passed, which is what libFuzzer would report:
 *  - an address-space limit (not under ASan, whose shadow memory needs
 *    terabytes of it): SGAE_REPLAY_AS_MB, default 3072 MiB, so that an
 *    allocation sized by a header fails and the target reports the
 *    SGAE_E_NOMEM;
 *  - the peak RSS after each input: SGAE_REPLAY_RSS_MB, default 1024 MiB;
 *  - seconds per input: SGAE_REPLAY_SECONDS, default 20 (SIGALRM).
 * Prints one line per input with its time and the peak RSS so far. */
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif
#ifndef UNDER_ASAN
#define UNDER_ASAN 0
#endif

static const char *current = "";

static void on_alarm(int sig)
{
    (void)sig;
    static const char m[] = "replay: time limit passed on ";
    if (write(2, m, sizeof m - 1) < 0 || write(2, current, strlen(current)) < 0 ||
        write(2, "\n", 1) < 0) {
    }
    _exit(3);
}

static long env_long(const char *name, long dflt)
{
    const char *s = getenv(name);
    return s && *s ? strtol(s, NULL, 10) : dflt;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int failures, count;
static long rss_mb, seconds;

static void run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        failures++;
        return;
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *buf = malloc((size_t)(n > 0 ? n : 1));
    if (!buf || (n > 0 && fread(buf, 1, (size_t)n, f) != (size_t)n)) {
        fprintf(stderr, "replay: cannot read %s\n", path);
        failures++;
        fclose(f);
        free(buf);
        return;
    }
    fclose(f);
    current = path;
    fprintf(stderr, "replay: %s (%ld bytes)\n", path, n);
    double t0 = now();
    alarm((unsigned)seconds);
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    alarm(0);
    free(buf);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    long peak = ru.ru_maxrss / 1024;
    fprintf(stderr, "replay:   %.3f s, peak RSS %ld MiB\n", now() - t0, peak);
    if (peak > rss_mb) {
        fprintf(stderr, "replay: %s: peak RSS %ld MiB passes the %ld MiB limit\n", path, peak,
                rss_mb);
        failures++;
    }
    count++;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run_path(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        fprintf(stderr, "replay: no such file or directory: %s\n", path);
        failures++;
        return;
    }
    if (!S_ISDIR(sb.st_mode)) {
        run_file(path);
        return;
    }
    DIR *d = opendir(path);
    if (!d) {
        failures++;
        return;
    }
    char **names = NULL;
    size_t nn = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (nn == cap) {
            cap = cap ? 2 * cap : 64;
            names = realloc(names, cap * sizeof *names);
        }
        size_t l = strlen(path) + strlen(e->d_name) + 2;
        names[nn] = malloc(l);
        snprintf(names[nn++], l, "%s/%s", path, e->d_name);
    }
    closedir(d);
    qsort(names, nn, sizeof *names, cmp_str); /* the same order everywhere */
    for (size_t i = 0; i < nn; i++) {
        run_path(names[i]);
        free(names[i]);
    }
    free(names);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR_OR_FILE...\n", argv[0]);
        return 2;
    }
    rss_mb = env_long("SGAE_REPLAY_RSS_MB", 1024);
    seconds = env_long("SGAE_REPLAY_SECONDS", 20);
    signal(SIGALRM, on_alarm);
    if (!UNDER_ASAN) {
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)env_long("SGAE_REPLAY_AS_MB", 3072) << 20;
        setrlimit(RLIMIT_AS, &rl);
    }
    for (int i = 1; i < argc; i++)
        run_path(argv[i]);
    printf("%d inputs replayed, %d failed\n", count, failures);
    return failures || count == 0 ? 1 : 0;
}

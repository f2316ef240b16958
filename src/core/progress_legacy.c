/* TRANSITIONAL (revert this commit at merge time): the old process-wide
 * progress printer, kept only so that src/gen (converted to progress sinks
 * on another branch) and src/cli/cmd_train.c (rewritten by the lead) still
 * build on this branch.  Nothing in src/core or src/io calls it. */
#include <stdio.h>
#include <unistd.h>

#include "internal.h"

static int progress_quiet;
static double progress_last;
static int progress_active;

void sgae_progress_quiet(int quiet) { progress_quiet = quiet; }
int sgae_progress_is_quiet(void) { return progress_quiet; }

void sgae_progress(const char *label, int64_t done, int64_t total)
{
    if (progress_quiet)
        return;
    double t = sgae_now();
    if (t - progress_last < 0.25 && done < total)
        return;
    progress_last = t;
    int tty = isatty(2);
    if (total > 0)
        fprintf(stderr, "%s%s: %lld / %lld (%.0f%%)%s", tty ? "\r\033[K" : "", label,
                (long long)done, (long long)total, 100.0 * (double)done / (double)total,
                tty ? "" : "\n");
    else
        fprintf(stderr, "%s%s: %lld%s", tty ? "\r\033[K" : "", label, (long long)done,
                tty ? "" : "\n");
    progress_active = tty;
}

void sgae_progress_done(const char *label)
{
    (void)label;
    if (progress_quiet)
        return;
    if (progress_active)
        fputs("\r\033[K", stderr);
    progress_active = 0;
    progress_last = 0;
}

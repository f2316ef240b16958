/* Failure sweeps shared by the core and io tests: run an operation once to
 * count its allocations (or file operations), then once per count with the
 * k-th one failing, and check that every failure is clean: the right
 * status, a message, no temporary file left, the previous output intact.
 * Leaks are caught by LeakSanitizer in the ASan build (meson test --setup
 * asan). */
#ifndef SGAE_TEST_SWEEP_H
#define SGAE_TEST_SWEEP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef sgae_status (*sweep_fn)(void *ctx);

/* Allocation sweep: fn must succeed unhooked, then return SGAE_E_NOMEM with
 * a message for every k = 1..count, leaving no temporary in `dir` (NULL:
 * not checked).  Returns the count (0 if the unhooked run failed). */
static inline int64_t t_alloc_sweep(const char *what, sweep_fn fn, void *ctx, const char *dir)
{
    sgae_alloc_fail_at(0);
    sgae_status st = fn(ctx);
    int64_t count = sgae_alloc_count();
    CHECK_MSG(st == SGAE_OK, "%s: %s", what, sgae_last_error());
    if (st != SGAE_OK)
        return 0;
    int bad = 0;
    for (int64_t k = 1; k <= count; k++) {
        sgae_error_clear();
        sgae_alloc_fail_at(k);
        st = fn(ctx);
        sgae_alloc_fail_at(0);
        int ok = st == SGAE_E_NOMEM && sgae_last_error()[0] != '\0' &&
                 (!dir || t_count_files(dir, ".tmp.") == 0);
        if (!ok && bad++ < 5)
            fprintf(stderr, "%s: allocation %lld of %lld failing: %s: '%s'%s\n", what,
                    (long long)k, (long long)count, sgae_status_string(st), sgae_last_error(),
                    dir && t_count_files(dir, ".tmp.") ? " (temporary file left)" : "");
    }
    CHECK_MSG(bad == 0, "%s: %d of %lld allocation failures not clean", what, bad,
              (long long)count);
    printf("%s: %lld allocations, each failure clean\n", what, (long long)count);
    return count;
}

/* Write-fault sweep of a writer of `path`: before each run `path` holds
 * `prev`; fn must succeed unhooked (its output is then the "new" content),
 * then, with operation k of the file helper failing with ENOSPC, return
 * SGAE_E_IO naming `path` and leave `path` byte-identical to `prev` and no
 * temporary in `dir` -- except when the failing operation is the final
 * fsync of the directory (the last one), after which `path` holds the new
 * content.  Returns the operation count. */
static inline int64_t t_fault_sweep(const char *what, sweep_fn fn, void *ctx, const char *path,
                                    const char *dir, const char *prev, size_t prev_len)
{
    t_write(path, prev, prev_len);
    sgae_file_fail_at(0, 0);
    sgae_status st = fn(ctx);
    int64_t count = sgae_file_op_count();
    CHECK_MSG(st == SGAE_OK, "%s: %s", what, sgae_last_error());
    if (st != SGAE_OK)
        return 0;
    size_t new_len;
    char *fresh = t_slurp(path, &new_len);
    int bad = 0;
    for (int64_t k = 1; k <= count; k++) {
        t_write(path, prev, prev_len);
        sgae_error_clear();
        sgae_file_fail_at(k, ENOSPC);
        st = fn(ctx);
        sgae_file_fail_at(0, 0);
        int last = k == count;
        int ok = st == SGAE_E_IO && strstr(sgae_last_error(), path) &&
                 (last || strstr(sgae_last_error(), strerror(ENOSPC))) &&
                 t_count_files(dir, ".tmp.") == 0 &&
                 (last ? t_same_file(path, fresh, new_len)
                       : t_same_file(path, prev, prev_len));
        if (!ok && bad++ < 5)
            fprintf(stderr, "%s: operation %lld of %lld failing: %s: '%s'\n", what,
                    (long long)k, (long long)count, sgae_status_string(st), sgae_last_error());
    }
    free(fresh);
    CHECK_MSG(bad == 0, "%s: %d of %lld write faults not clean", what, bad, (long long)count);
    printf("%s: %lld file operations, each fault clean\n", what, (long long)count);
    return count;
}

#endif

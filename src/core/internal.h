/* Internal helpers shared by libsgae's source files (not installed). */
#ifndef SGAE_INTERNAL_H
#define SGAE_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sgae/error.h"
#include "sgae/util.h"

#ifdef _OPENMP
#include <omp.h>
#define SGAE_NTHREADS() omp_get_max_threads()
#define SGAE_TID() omp_get_thread_num()
#else
#define SGAE_NTHREADS() 1
#define SGAE_TID() 0
#endif

/* Allocate n elements of size sz with overflow check; NULL after recording
 * SGAE_E_NOMEM naming `what`. */
void *sgae_alloc(size_t n, size_t sz, const char *what);
void *sgae_calloc(size_t n, size_t sz, const char *what);
void *sgae_realloc(void *p, size_t n, size_t sz, const char *what);
char *sgae_strdup(const char *s);
/* n elements of size sz on a 64-byte (cache-line) boundary; 8 MiB and more
 * on a 2 MiB boundary, advised to use transparent huge pages (fewer TLB
 * misses in random row gathers).  Free with free(). */
void *sgae_alloc_aligned(size_t n, size_t sz, const char *what);

/* Exclusive prefix sum of a[0..n) in place, result a[n] = total (a has n+1
 * slots).  Parallel for large n. */
void sgae_prefix_sum(int64_t *a, int64_t n);

/* Progress line on stderr: `sgae_progress(label, done, total)`; rate-limited
 * to a few updates a second; overwritten in place on a terminal.  Silent
 * when sgae_progress_quiet(1) was called. */
void sgae_progress(const char *label, int64_t done, int64_t total);
void sgae_progress_done(const char *label);
void sgae_progress_quiet(int quiet);
int sgae_progress_is_quiet(void);

/* Report progress to a caller's sink (nothing when s or s->fn is NULL). */
static inline void sgae_progress_emit(const sgae_progress_sink *s, const char *label,
                                      int64_t done, int64_t total)
{
    if (s && s->fn)
        s->fn(s->ctx, label, done, total);
}

/* The allocation-failure hook (sgae_alloc_fail_at): 1 if this allocation
 * must fail.  Every allocator of the library calls it once. */
int sgae_alloc_should_fail_(void);

/* The cleanup idiom of the whole library: a function declares
 * `sgae_status st = SGAE_OK;`, calls fallible steps through SGAE_CHECK, fails
 * with a message through SGAE_FAIL, and ends in one `done:` label that
 * releases everything it owns (free(NULL)-safe) and returns st. */
#define SGAE_FAIL(code, ...)                                                               \
    do {                                                                                   \
        st = sgae_error_set((code), __VA_ARGS__);                                          \
        goto done;                                                                         \
    } while (0)

#define SGAE_CHECK(expr)                                                                   \
    do {                                                                                   \
        st = (expr);                                                                       \
        if (st != SGAE_OK)                                                                 \
            goto done;                                                                     \
    } while (0)

#endif

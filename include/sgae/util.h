/*
 * sgae/util.h - clocks, memory figures, progress reporting and the
 * allocation-failure hook of the tests (the core topic).
 */
#ifndef SGAE_UTIL_H
#define SGAE_UTIL_H

#include <stdint.h>

#include "sgae/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Monotonic wall-clock seconds. */
SGAE_API double sgae_now(void);

/* Peak resident set size of this process in bytes (0 if unknown). */
SGAE_API int64_t sgae_peak_rss(void);

/* Progress of a long library call, reported to a handler the caller owns
 * (the library itself never prints).  `done` of `total` units of the stage
 * `label` (total 0: unknown); a final call with done < 0 says the stage
 * ended.  Calls come from the thread that made the library call, at most a
 * few times a second.  A sink whose fn is NULL is silent. */
typedef void (*sgae_progress_fn)(void *ctx, const char *label, int64_t done, int64_t total);
typedef struct {
    sgae_progress_fn fn;
    void *ctx;
} sgae_progress_sink;

/* Testing hook (allocator-failure tests): from this call on, the k-th
 * allocation made by libsgae (counted over all threads) fails with
 * SGAE_E_NOMEM, and those after it succeed again; k = 0 turns the hook off.
 * sgae_alloc_count() gives the allocations counted since the last
 * sgae_alloc_fail_at call, so a test can run k = 1 .. count. */
SGAE_API void sgae_alloc_fail_at(int64_t k);
SGAE_API int64_t sgae_alloc_count(void);

#ifdef __cplusplus
}
#endif
#endif

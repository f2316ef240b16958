/*
 * sgae/util.h - clocks, memory figures, progress reporting and the
 * allocation-failure hook of the tests (the core topic).
 */
#ifndef SGAE_UTIL_H
#define SGAE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "sgae/error.h"
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

/* ---- Memory budget of the loaders --------------------------------------
 *
 * The loaders (sgae_dataset_load) check their large allocations (the edge
 * buffer of a text file as it grows, the relabelling and CSR build) against
 * a budget in bytes and fail with SGAE_E_NOMEM, naming the file and the
 * budget, before going past it; so a decompression bomb (a small .gz that
 * expands to billions of edges) stops with a clear message instead of
 * taking the machine's memory.  sgae_memory_budget_default gives the
 * budget used when the caller sets none: SGAE_MEMORY_BUDGET from the
 * environment if it is set and valid (a size as sgae_size_parse reads it),
 * otherwise 3/4 of the physical memory (MemTotal).  0 from it means "no
 * budget" (SGAE_MEMORY_BUDGET=unlimited). */
SGAE_API int64_t sgae_memory_budget_default(void);

/* Physical memory in bytes (0 if unknown). */
SGAE_API int64_t sgae_physical_memory(void);

/* A size as users write it: a non-negative number with an optional binary
 * suffix K, M, G or T (KiB .. TiB; "B", "iB" and lower case accepted:
 * "512M", "1.5G", "8GiB"), a percentage of physical memory ("50%"), or
 * "unlimited"/"none" (0 = no budget).  SGAE_E_ARG for anything else. */
SGAE_API sgae_status sgae_size_parse(const char *s, int64_t *bytes);

/* "1.5 GiB", "512 MiB", "800 bytes" into buf (always terminated). */
SGAE_API const char *sgae_size_format(int64_t bytes, char *buf, size_t len);

#ifdef __cplusplus
}
#endif
#endif

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

/* A group of arrays allocated in one call: each row names the pointer that
 * receives the array, its element count and whether it is zeroed, e.g.
 *   SGAE_ALLOC_ARRAYS("match", SGAE_ARRAY(a, n), SGAE_ZARRAY(b, n + 1))
 * SGAE_OK, or SGAE_E_NOMEM (from sgae_alloc / sgae_calloc, naming `what`)
 * with every array of the group from the failed one on NULL; those made
 * before it stay in their pointers for the caller's cleanup. */
typedef struct {
    void *slot; /* the address of the receiving pointer */
    size_t n, sz;
    int zero;
} sgae_array_req;
#define SGAE_ARRAY(p, count) {&(p), (size_t)(count), sizeof *(p), 0}
#define SGAE_ZARRAY(p, count) {&(p), (size_t)(count), sizeof *(p), 1}
sgae_status sgae_alloc_arrays(const char *what, const sgae_array_req *a, size_t count);
#define SGAE_ALLOC_ARRAYS(what, ...)                                                        \
    sgae_alloc_arrays(what, (const sgae_array_req[]){__VA_ARGS__},                          \
                      sizeof((const sgae_array_req[]){__VA_ARGS__}) / sizeof(sgae_array_req))

/* Free every pointer given (NULL ones too), in one call: the cleanup of a
 * function's buffers, SGAE_FREE_ALL(a, b, c).  All the values are read
 * before the first is freed, so a struct may come after its members. */
void sgae_free_all_(void *const *p, size_t n);
#define SGAE_FREE_ALL(...)                                                                  \
    sgae_free_all_((void *const[]){__VA_ARGS__},                                            \
                   sizeof((void *const[]){__VA_ARGS__}) / sizeof(void *))

/* dst = *opts, or the defaults (fn(&dst)) when opts is NULL: the first step
 * of every call that takes an options struct. */
#define SGAE_OPTS_OR_DEFAULTS(dst, opts, fn)                                                \
    do {                                                                                   \
        if (opts)                                                                          \
            (dst) = *(opts);                                                               \
        else                                                                               \
            fn(&(dst));                                                                    \
    } while (0)

/* Exclusive prefix sum of a[0..n) in place, result a[n] = total (a has n+1
 * slots).  Parallel for large n. */
void sgae_prefix_sum(int64_t *a, int64_t n);

/* Report progress to a caller's sink (nothing when s or s->fn is NULL). */
static inline void sgae_progress_emit(const sgae_progress_sink *s, const char *label,
                                      int64_t done, int64_t total)
{
    if (s && s->fn)
        s->fn(s->ctx, label, done, total);
}

/* Rate-limited progress for a loop: nothing during the first quarter
 * second, then at most about four reports a second (and the last one,
 * done == total, once anything was shown).  `sink` may be NULL (silent).
 * sgae_progress_meter_end reports the end of the stage (done = -1) if
 * anything was reported. */
typedef struct {
    const sgae_progress_sink *sink;
    const char *label;
    double last;
    int shown;
} sgae_progress_meter;

void sgae_progress_meter_init(sgae_progress_meter *m, const sgae_progress_sink *sink,
                              const char *label);
void sgae_progress_meter_tick(sgae_progress_meter *m, int64_t done, int64_t total);
void sgae_progress_meter_end(sgae_progress_meter *m);

/* 64-bit XXH64 (see sgae/container.h) in steps, for data that arrives in
 * pieces; sgae_hash64_final does not change the state. */
typedef struct {
    uint64_t total, seed;
    uint64_t v[4];
    unsigned char mem[32];
    unsigned memsize;
} sgae_hash64_state;

void sgae_hash64_init(sgae_hash64_state *s, uint64_t seed);
void sgae_hash64_update(sgae_hash64_state *s, const void *data, size_t len);
uint64_t sgae_hash64_final(const sgae_hash64_state *s);

/* Little-endian fields of the binary formats (this library targets
 * little-endian machines, as the .npy writer states). */
static inline void sgae_put_u32(unsigned char *p, uint32_t x)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(x >> (8 * i));
}
static inline void sgae_put_u64(unsigned char *p, uint64_t x)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(x >> (8 * i));
}
static inline uint32_t sgae_get_u32(const unsigned char *p)
{
    uint32_t x = 0;
    for (int i = 3; i >= 0; i--)
        x = (x << 8) | p[i];
    return x;
}
static inline uint64_t sgae_get_u64(const unsigned char *p)
{
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--)
        x = (x << 8) | p[i];
    return x;
}

/* The allocation-failure hook (sgae_alloc_fail_at): 1 if this allocation
 * must fail.  Every allocator of the library calls it once. */
int sgae_alloc_should_fail_(void);

/* SGAE_E_NOMEM when `bytes` exceed `budget` (bytes; <= 0: no budget): the
 * message names `path`, `what` needs the memory, and the budget, and says how
 * to raise it.  SGAE_OK otherwise. */
sgae_status sgae_budget_check(int64_t budget, int64_t bytes, const char *path,
                              const char *what);

/* The cleanup idiom of the whole library: a function declares
 * `sgae_status st = SGAE_OK;`, calls fallible steps through SGAE_CHECK, fails
 * with a message through SGAE_FAIL, and ends in one `done:` label that
 * releases everything it owns (free(NULL)-safe) and returns st. */
#define SGAE_FAIL(code, ...)                                                               \
    do {                                                                                   \
        st = sgae_error_set((code), __VA_ARGS__);                                          \
        goto done;                                                                         \
    } while (0)

/* SGAE_CHECK_ALLOC(p = sgae_alloc(...)): st = SGAE_E_NOMEM (the allocator
 * recorded the message) and goto done when the pointer is NULL. */
#define SGAE_CHECK_ALLOC(ptr_expr)                                                         \
    do {                                                                                   \
        if ((ptr_expr) == NULL) {                                                          \
            st = SGAE_E_NOMEM;                                                             \
            goto done;                                                                     \
        }                                                                                  \
    } while (0)

#define SGAE_CHECK(expr)                                                                   \
    do {                                                                                   \
        st = (expr);                                                                       \
        if (st != SGAE_OK)                                                                 \
            goto done;                                                                     \
    } while (0)

#endif

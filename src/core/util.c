#define _POSIX_C_SOURCE 200809L
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

#include "internal.h"

/* The allocation-failure hook: the k-th allocation from the last
 * sgae_alloc_fail_at call fails (0: off).  Atomic so that allocations made
 * inside parallel regions are counted exactly once. */
static _Atomic int64_t alloc_fail_k;
static _Atomic int64_t alloc_counted;

void sgae_alloc_fail_at(int64_t k)
{
    alloc_fail_k = k > 0 ? k : 0;
    alloc_counted = 0;
}

int64_t sgae_alloc_count(void) { return alloc_counted; }

int sgae_alloc_should_fail_(void)
{
    int64_t c = ++alloc_counted;
    return alloc_fail_k > 0 && c == alloc_fail_k;
}

void *sgae_alloc(size_t n, size_t sz, const char *what)
{
    if (sz && n > SIZE_MAX / sz) {
        sgae_error_set(SGAE_E_NOMEM, "%s: size overflow (%zu x %zu bytes)", what, n, sz);
        return NULL;
    }
    void *p = sgae_alloc_should_fail_() ? NULL : malloc((n && sz) ? n * sz : 1);
    if (!p)
        sgae_error_set(SGAE_E_NOMEM, "%s: cannot allocate %zu bytes", what, n * sz);
    return p;
}

void *sgae_calloc(size_t n, size_t sz, const char *what)
{
    void *p = sgae_alloc_should_fail_() ? NULL : calloc(n ? n : 1, sz ? sz : 1);
    if (!p)
        sgae_error_set(SGAE_E_NOMEM, "%s: cannot allocate %zu x %zu bytes", what, n, sz);
    return p;
}

void *sgae_realloc(void *p, size_t n, size_t sz, const char *what)
{
    if (sz && n > SIZE_MAX / sz) {
        sgae_error_set(SGAE_E_NOMEM, "%s: size overflow", what);
        return NULL;
    }
    void *q = sgae_alloc_should_fail_() ? NULL : realloc(p, (n && sz) ? n * sz : 1);
    if (!q)
        sgae_error_set(SGAE_E_NOMEM, "%s: cannot allocate %zu bytes", what, n * sz);
    return q;
}

sgae_status sgae_alloc_arrays(const char *what, const sgae_array_req *a, size_t count)
{
    sgae_status st = SGAE_OK;
    for (size_t k = 0; k < count; k++) {
        void *p = NULL;
        if (st == SGAE_OK) {
            p = a[k].zero ? sgae_calloc(a[k].n, a[k].sz, what) : sgae_alloc(a[k].n, a[k].sz, what);
            if (!p)
                st = SGAE_E_NOMEM; /* the message set by the allocator */
        }
        memcpy(a[k].slot, &p, sizeof p);
    }
    return st;
}

void sgae_free_all_(void *const *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        free(p[k]);
}

void *sgae_alloc_aligned(size_t n, size_t sz, const char *what)
{
    if (sz && n > (SIZE_MAX - ((size_t)2 << 20)) / sz) {
        sgae_error_set(SGAE_E_NOMEM, "%s: size overflow (%zu x %zu bytes)", what, n, sz);
        return NULL;
    }
    size_t bytes = n * sz;
    size_t align = bytes >= ((size_t)8 << 20) ? ((size_t)2 << 20) : 64;
    bytes = bytes ? (bytes + align - 1) / align * align : align; /* aligned_alloc wants this */
    void *p = sgae_alloc_should_fail_() ? NULL : aligned_alloc(align, bytes);
    if (!p) {
        sgae_error_set(SGAE_E_NOMEM, "%s: cannot allocate %zu bytes", what, bytes);
        return NULL;
    }
#ifdef MADV_HUGEPAGE
    if (align > 64)
        (void)madvise(p, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
#endif
    return p;
}

char *sgae_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = sgae_alloc(len, 1, "string");
    if (d)
        memcpy(d, s, len);
    return d;
}

double sgae_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int64_t sgae_peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (int64_t)ru.ru_maxrss * 1024; /* Linux reports KiB */
}

void sgae_prefix_sum(int64_t *a, int64_t n)
{
    int64_t run = 0;
    for (int64_t i = 0; i < n; i++) {
        int64_t c = a[i];
        a[i] = run;
        run += c;
    }
    a[n] = run;
}

void sgae_progress_meter_init(sgae_progress_meter *m, const sgae_progress_sink *sink,
                              const char *label)
{
    m->sink = sink && sink->fn ? sink : NULL;
    m->label = label;
    m->last = m->sink ? sgae_now() : 0; /* quick stages report nothing */
    m->shown = 0;
}

void sgae_progress_meter_tick(sgae_progress_meter *m, int64_t done, int64_t total)
{
    if (!m->sink)
        return;
    double t = sgae_now();
    if (t - m->last < 0.25 && !(m->shown && total > 0 && done >= total))
        return;
    m->last = t;
    m->shown = 1;
    m->sink->fn(m->sink->ctx, m->label, done, total);
}

void sgae_progress_meter_end(sgae_progress_meter *m)
{
    if (m->sink && m->shown)
        m->sink->fn(m->sink->ctx, m->label, -1, 0);
    m->shown = 0;
}

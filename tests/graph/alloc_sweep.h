/* Allocation-failure sweep shared by the tests of src/graph and src/gen:
 * run an operation once to count its allocations (sgae_alloc_count), then
 * once for every k = 1 .. count with the k-th allocation failing
 * (sgae_alloc_fail_at): each must return SGAE_E_NOMEM with the allocator's
 * message, and leave what the test's `failed` callback checks.  Leaks show
 * in the ASan build (detect_leaks=1 fails the test at exit). */
#ifndef SGAE_TESTS_ALLOC_SWEEP_H
#define SGAE_TESTS_ALLOC_SWEEP_H

#include "testutil.h"

typedef struct {
    const char *what;
    void *ctx;
    sgae_status (*run)(void *ctx);   /* the operation */
    void (*succeeded)(void *ctx);    /* checks and releases a success (may be NULL) */
    void (*failed)(void *ctx);       /* checks and releases a failure (may be NULL) */
} alloc_case;

/* Returns the allocations of a successful run (0 if it failed). */
static int64_t alloc_sweep(const alloc_case *c)
{
    sgae_alloc_fail_at(0); /* resets the count */
    sgae_status st = c->run(c->ctx);
    int64_t count = sgae_alloc_count();
    CHECK_MSG(st == SGAE_OK, "%s: %s", c->what, sgae_last_error());
    if (st != SGAE_OK)
        return 0;
    if (c->succeeded)
        c->succeeded(c->ctx);
    CHECK_MSG(count > 0, "%s: no allocation counted", c->what);
    int64_t bad = 0;
    for (int64_t k = 1; k <= count; k++) {
        sgae_error_clear();
        sgae_alloc_fail_at(k);
        st = c->run(c->ctx);
        int64_t seen = sgae_alloc_count();
        sgae_alloc_fail_at(0);
        int ok = st == SGAE_E_NOMEM && strstr(sgae_last_error(), "allocate") != NULL &&
                 seen >= k;
        if (!ok && bad++ < 5)
            CHECK_MSG(ok, "%s: allocation %lld of %lld failing gave %s (%s), %lld allocations",
                      c->what, (long long)k, (long long)count, sgae_status_string(st),
                      sgae_last_error(), (long long)seen);
        if (st == SGAE_OK) {
            if (c->succeeded)
                c->succeeded(c->ctx);
        } else if (c->failed) {
            c->failed(c->ctx);
        }
    }
    CHECK_MSG(bad == 0, "%s: %lld of %lld failure points misbehaved", c->what, (long long)bad,
              (long long)count);
    /* and a clean run afterwards still works */
    st = c->run(c->ctx);
    CHECK_MSG(st == SGAE_OK, "%s after the sweep: %s", c->what, sgae_last_error());
    if (st == SGAE_OK && c->succeeded)
        c->succeeded(c->ctx);
    printf("%s: %lld allocations, %lld failure points misbehaved\n", c->what, (long long)count,
           (long long)bad);
    return count;
}

#endif

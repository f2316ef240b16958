/* Minimal test harness: CHECK macros, data paths, dense comparisons.
 * Every test program prints "N passed, N failed" and exits non-zero on any
 * failure. */
#ifndef SGAE_TESTUTIL_H
#define SGAE_TESTUTIL_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sgae.h"

static int t_pass, t_fail;

#define CHECK(cond)                                                                        \
    do {                                                                                   \
        if (cond) {                                                                        \
            t_pass++;                                                                      \
        } else {                                                                           \
            t_fail++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);       \
        }                                                                                  \
    } while (0)

#define CHECK_MSG(cond, ...)                                                               \
    do {                                                                                   \
        if (cond) {                                                                        \
            t_pass++;                                                                      \
        } else {                                                                           \
            t_fail++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s: ", __FILE__, __LINE__, #cond);       \
            fprintf(stderr, __VA_ARGS__);                                                  \
            fputc('\n', stderr);                                                           \
        }                                                                                  \
    } while (0)

/* A call that must succeed; prints the library's message otherwise. */
#define CHECK_OK(expr)                                                                     \
    do {                                                                                   \
        sgae_status st_ = (expr);                                                          \
        CHECK_MSG(st_ == SGAE_OK, "%s: %s", sgae_status_string(st_), sgae_last_error());   \
    } while (0)

#define CHECK_INT(a, b)                                                                    \
    do {                                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                                \
        CHECK_MSG(a_ == b_, "%s = %lld, expected %lld", #a, a_, b_);                       \
    } while (0)

/* Path of a shipped data set file: SGAE_SOURCE_DIR/datasets/<rel>. */
static inline const char *t_data(const char *rel)
{
    static char buf[8][4096];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/datasets/%s", SGAE_SOURCE_DIR, rel);
    return buf[k];
}

/* Max relative error max|a-b| / max(max|b|, tiny). */
static inline double t_rel_err(const float *a, const float *b, long long n)
{
    double num = 0, den = 1e-30;
    for (long long i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (d > num)
            num = d;
        if (fabs((double)b[i]) > den)
            den = fabs((double)b[i]);
    }
    return num / den;
}

static inline int t_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
    return t_fail ? 1 : 0;
}

#endif

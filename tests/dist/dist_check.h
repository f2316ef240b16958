/* CHECK of the tests of src/dist: a failed check is counted (in `fails`,
 * summed over the ranks at the end) and named on stderr. */
#ifndef SGAE_TESTS_DIST_CHECK_H
#define SGAE_TESTS_DIST_CHECK_H
#include <stdio.h>

static int fails;
#define CHECK(c)                                                                     \
    do {                                                                             \
        if (!(c)) {                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);   \
            fails++;                                                                 \
        }                                                                            \
    } while (0)
#endif

/* CHECK of the tests of src/dist: a failed check is counted (in `fails`,
 * summed over the ranks at the end) and named on stderr. */
#ifndef SGAE_TESTS_DIST_CHECK_H
#define SGAE_TESTS_DIST_CHECK_H
#include <stdio.h>

#include <mpi.h>

static int fails;
#define CHECK(c)                                                                     \
    do {                                                                             \
        if (!(c)) {                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #c);   \
            fails++;                                                                 \
        }                                                                            \
    } while (0)

/* The end of a test's main: the failed checks summed over the ranks, then
 * MPI_Finalize; returns the exit status (1 if any rank failed a check). */
static int dist_check_finish(void)
{
    int all = 0;
    MPI_Allreduce(&fails, &all, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    MPI_Finalize();
    return all ? 1 : 0;
}
#endif

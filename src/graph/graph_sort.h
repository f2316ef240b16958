/* Private to src/graph: small sorting helpers shared by its files. */
#ifndef SGAE_GRAPH_SORT_H
#define SGAE_GRAPH_SORT_H

#include <stdint.h>

/* Insertion sort of a[0..len) into increasing order (short arrays). */
static inline void sgae_graph_insertion_i32(int32_t *a, int64_t len)
{
    for (int64_t i = 1; i < len; i++) {
        int32_t x = a[i];
        int64_t j = i - 1;
        while (j >= 0 && a[j] > x) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = x;
    }
}

#endif

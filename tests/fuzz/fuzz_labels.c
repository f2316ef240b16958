/* Label files for a small fixed graph (ids 1, 2, 3, 10, 20): each input as
 * "node label" lines and as a SNAP .cmty file (one community per line). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= FZ_MAX_INPUT) {
        fz_load_beside("1 2\n2 3\n3 1\n10 20\n", "labels.txt", data, size, 1);
        fz_load_beside("1 2\n2 3\n3 1\n10 20\n", "labels.cmty", data, size, 1);
    }
    return 0;
}

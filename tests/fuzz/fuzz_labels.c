/* "node label" files for a small fixed graph (ids 1, 2, 3, 10, 20). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size <= FZ_MAX_INPUT)
        fz_load_beside("1 2\n2 3\n3 1\n10 20\n", "labels.txt", data, size, 1);
    return 0;
}

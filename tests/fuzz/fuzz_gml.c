/* GML graphs (with their labels attribute). */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    const char *p = fz_file(0, "g.gml", data, size);
    sgae_load_opts o = {.graph = p, .format = SGAE_FMT_GML};
    sgae_dataset ds;
    fz_load_dataset(&o, p, &ds);
    sgae_dataset_clear(&ds);
    unlink(p);
    return 0;
}

/* Edge lists: the plain reader (whole file, parallel chunks below 1 MiB: one
 * chunk) against the streaming reader on the same bytes gzip-compressed and
 * zstd-compressed.  All three must agree: the same graph, or all fail. */
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    sgae_graph *a = NULL, *b = NULL, *c = NULL;
    const char *pa = fz_file(0, "el.txt", data, size);
    const char *pb = fz_file_gz(1, "el.txt.gz", data, size);
    const char *pc = fz_file_zst(2, "el.txt.zst", data, size);
    sgae_status sa = fz_load_graph(pa, SGAE_FMT_EDGELIST, &a);
    sgae_status sb = fz_load_graph(pb, SGAE_FMT_EDGELIST, &b);
    sgae_status sc = fz_load_graph(pc, SGAE_FMT_EDGELIST, &c);
    fz_same_outcome(sa, sb, "plain / gzip edge list");
    fz_same_outcome(sa, sc, "plain / zstd edge list");
    if (!sa) {
        fz_same_graph(a, b, "edge list plain vs gzip");
        fz_same_graph(a, c, "edge list plain vs zstd");
    }
    fz_cleanup(a, b, pa, pb);
    fz_cleanup(c, NULL, pc, NULL);
    return 0;
}

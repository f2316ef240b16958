/* Edge lists: the plain reader (whole file, parallel chunks below 1 MiB: one
 * chunk) against the streaming reader on the same bytes gzip-compressed and
 * zstd-compressed.  All three must agree: the same graph, or all fail. */
#include "fuzz.h"

static sgae_status load(const char *path, sgae_graph **g)
{
    sgae_status st = sgae_graph_load(path, SGAE_FMT_EDGELIST, g);
    if (st)
        fz_expect_input_error(st, path);
    else
        fz_check_graph(*g, path);
    return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > FZ_MAX_INPUT)
        return 0;
    sgae_graph *a = NULL, *b = NULL, *c = NULL;
    const char *pa = fz_file(0, "el.txt", data, size);
    const char *pb = fz_file_gz(1, "el.txt.gz", data, size);
    const char *pc = fz_file_zst(2, "el.txt.zst", data, size);
    sgae_status sa = load(pa, &a), sb = load(pb, &b), sc = load(pc, &c);
    if ((sa == SGAE_OK) != (sb == SGAE_OK) || (sa == SGAE_OK) != (sc == SGAE_OK))
        fz_fail("plain / gzip / zstd edge list disagree: %s / %s / %s", sgae_status_string(sa),
                sgae_status_string(sb), sgae_status_string(sc));
    if (!sa) {
        fz_same_graph(a, b, "edge list plain vs gzip");
        fz_same_graph(a, c, "edge list plain vs zstd");
    }
    sgae_graph_free(a);
    sgae_graph_free(b);
    sgae_graph_free(c);
    unlink(pa);
    unlink(pb);
    unlink(pc);
    return 0;
}

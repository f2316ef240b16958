/* Writes the crafted .sgr reproducers of corpus/sgr/ (files a writer of
 * this library never makes: an asymmetric adjacency, duplicate ids or
 * names, declared sizes the file cannot hold), through the public container
 * API.  Usage: mkrepro OUTDIR.  Not run by the tests (the files are in the
 * repository); kept so they can be made again. */
#include <stdio.h>
#include <string.h>

#include "sgae.h"

static const sgae_container_format sgr = {
    .magic = {'S', 'G', 'A', 'E', 'G', 'R', 'P', 'H'}, .name = ".sgr", .major = 2, .minor = 0};

/* meta: n, nnz, input_edges, self_loops, duplicates, names_bytes, id_kind, chunk_bytes */
static int write_sgr(const char *dir, const char *name, const uint64_t meta[8], const int32_t *deg,
                     const int32_t *gaps, const uint64_t *ids, const char *names)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unsigned char m[64];
    for (int k = 0; k < 64; k++) /* little-endian */
        m[k] = (unsigned char)(meta[k / 8] >> (8 * (k % 8)));
    sgae_container_writer *w;
    if (sgae_container_create(path, &sgr, NULL, &w))
        return 1;
    int bad = sgae_container_add(w, "meta", 1, 0, m, sizeof m) != SGAE_OK;
    if (!bad && deg && meta[0])
        bad = sgae_container_add(w, "degrees.0", 2, 0, deg, meta[0] * 4) != SGAE_OK;
    if (!bad && gaps && meta[1])
        bad = sgae_container_add(w, "columns.0", 3, 0, gaps, meta[1] * 4) != SGAE_OK;
    if (!bad && ids)
        bad = sgae_container_add(w, "ids.0", 4, 0, ids, meta[0] * 8) != SGAE_OK;
    if (!bad && names)
        bad = sgae_container_add(w, "names.0", 5, 0, names, meta[5]) != SGAE_OK;
    if (bad) {
        sgae_container_abort(w);
        return 1;
    }
    return sgae_container_commit(w) != SGAE_OK;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
        return 2;
    }
    const char *d = argv[1];
    const uint64_t C = (uint64_t)8 << 20;
    int bad = 0;
    /* 0 lists 1, 1 lists 2: sorted, in range, no self-loop, not symmetric */
    {
        uint64_t m[8] = {3, 2, 2, 0, 0, 0, 0, C};
        int32_t deg[3] = {1, 1, 0}, gaps[2] = {1, 2};
        bad |= write_sgr(d, "repro-asymmetric.sgr", m, deg, gaps, NULL, NULL);
    }
    /* one edge, both nodes with user id 5 (delta-coded: 5, 0) */
    {
        uint64_t m[8] = {2, 2, 1, 0, 0, 0, 1, C}, ids[2] = {5, 0};
        int32_t deg[2] = {1, 1}, gaps[2] = {1, 0};
        bad |= write_sgr(d, "repro-duplicate-ids.sgr", m, deg, gaps, ids, NULL);
    }
    /* one edge, both nodes named "a" */
    {
        uint64_t m[8] = {2, 2, 1, 0, 0, 4, 2, C};
        int32_t deg[2] = {1, 1}, gaps[2] = {1, 0};
        bad |= write_sgr(d, "repro-duplicate-names.sgr", m, deg, gaps, NULL, "a\0a");
    }
    /* a valid header announcing 2^31-2 nodes and 2^40 name bytes, no arrays */
    {
        uint64_t m[8] = {((uint64_t)1 << 31) - 2, 0, 0, 0, 0, (uint64_t)1 << 40, 2, C};
        bad |= write_sgr(d, "repro-huge-counts.sgr", m, NULL, NULL, NULL, NULL);
    }
    /* a valid header announcing 2^30 nodes and 2^34 adjacency entries */
    {
        uint64_t m[8] = {(uint64_t)1 << 30, (uint64_t)1 << 34, 0, 0, 0, 0, 0, C};
        bad |= write_sgr(d, "repro-huge-nnz.sgr", m, NULL, NULL, NULL, NULL);
    }
    if (bad)
        fprintf(stderr, "mkrepro: %s\n", sgae_last_error());
    return bad;
}

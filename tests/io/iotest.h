/* Helpers of the io tests: writing gzip / zstd files, reading zstd ones,
 * comparing graphs (temporary directories and plain files: testutil.h). */
#ifndef SGAE_IOTEST_H
#define SGAE_IOTEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "testutil.h"

/* Read a whole file; exits if it cannot be opened. */
static inline char *t_read_all(const char *path, size_t *len)
{
    char *buf = t_slurp(path, len);
    if (!buf) {
        perror(path);
        exit(1);
    }
    return buf;
}

static inline char *t_unzstd(const char *path, size_t *len)
{
    size_t clen;
    char *c = t_read_all(path, &clen);
    ZSTD_DStream *ds = ZSTD_createDStream();
    ZSTD_initDStream(ds);
    size_t cap = clen * 4 + 1024, n = 0;
    char *out = malloc(cap);
    ZSTD_inBuffer in = {c, clen, 0};
    while (in.pos < in.size) {
        if (n == cap)
            out = realloc(out, cap *= 2);
        ZSTD_outBuffer ob = {out + n, cap - n, 0};
        size_t r = ZSTD_decompressStream(ds, &ob, &in);
        if (ZSTD_isError(r)) {
            fprintf(stderr, "%s: %s\n", path, ZSTD_getErrorName(r));
            exit(1);
        }
        n += ob.pos;
    }
    ZSTD_freeDStream(ds);
    free(c);
    *len = n;
    return out;
}

static inline void t_write_gz(const char *path, const void *data, size_t len)
{
    gzFile f = gzopen(path, "wb6");
    if (!f || (len && gzwrite(f, data, (unsigned)len) != (int)len) || gzclose(f) != Z_OK) {
        fprintf(stderr, "%s: gzip write failed\n", path);
        exit(1);
    }
}

static inline void t_write_zst(const char *path, const void *data, size_t len)
{
    size_t cap = ZSTD_compressBound(len);
    void *out = malloc(cap);
    ZSTD_CCtx *cc = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(cc, ZSTD_c_checksumFlag, 1);
    size_t z = ZSTD_compress2(cc, out, cap, data, len);
    ZSTD_freeCCtx(cc);
    if (ZSTD_isError(z)) {
        fprintf(stderr, "%s: %s\n", path, ZSTD_getErrorName(z));
        exit(1);
    }
    t_write(path, out, z);
    free(out);
}

/* One call of a writer of src/io, for the allocation and write-fault
 * sweeps. */
typedef struct {
    const sgae_graph *g;
    const sgae_labels *l;
    const char *path, *path2;
    const float *x;
    int kind; /* 0 sgr, 1 edge list, 2 labels, 3 npy, 4 ids, 5 npy + ids */
} save_job;

static inline sgae_status t_save_job(const save_job *j, const sgae_save_opts *o)
{
    switch (j->kind) {
    case 0: return sgae_sgr_save(j->g, j->path, o);
    case 1: return sgae_edgelist_save(j->g, j->path, o);
    case 2: return sgae_labels_save(j->g, j->l, j->path, o);
    case 3: return sgae_npy_save(j->path, j->x, j->g->n, 3);
    case 4: return sgae_ids_save(j->g, j->path);
    default: return sgae_npy_ids_save(j->path, j->path2, j->x, j->g->n, 3, j->g);
    }
}

/* Equal graphs: n, CSR, id map, construction counts. */
static inline int t_graph_equal(const sgae_graph *a, const sgae_graph *b)
{
    if (!a || !b || a->n != b->n)
        return 0;
    int64_t n = a->n;
    if (memcmp(a->adj.rowptr, b->adj.rowptr, (size_t)(n + 1) * sizeof(int64_t)) != 0)
        return 0;
    if (memcmp(a->adj.col, b->adj.col, (size_t)a->adj.rowptr[n] * sizeof(int32_t)) != 0)
        return 0;
    if (!a->ids != !b->ids || !a->names != !b->names)
        return 0;
    if (a->ids && memcmp(a->ids, b->ids, (size_t)n * sizeof(uint64_t)) != 0)
        return 0;
    if (a->names)
        for (int64_t i = 0; i < n; i++)
            if (strcmp(a->names[i], b->names[i]) != 0)
                return 0;
    return a->input_edges == b->input_edges && a->self_loops == b->self_loops &&
           a->duplicates == b->duplicates;
}

/* Structural invariants: symmetric, sorted unique rows, no self-loops. */
static inline int t_graph_valid(const sgae_graph *g)
{
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t k = g->adj.rowptr[i]; k < g->adj.rowptr[i + 1]; k++) {
            int32_t j = g->adj.col[k];
            if (j < 0 || j >= g->n || j == i)
                return 0;
            if (k > g->adj.rowptr[i] && g->adj.col[k - 1] >= j)
                return 0;
            /* (j, i) present? */
            int64_t lo = g->adj.rowptr[j], hi = g->adj.rowptr[j + 1];
            while (lo < hi) {
                int64_t mid = (lo + hi) / 2;
                if (g->adj.col[mid] < i)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            if (lo == g->adj.rowptr[j + 1] || g->adj.col[lo] != i)
                return 0;
        }
    return 1;
}

/* Loads the shipped karate club GML into *ds; 0 when it has no graph or
 * no labels (the caller then ends the test). */
static inline int t_load_karate(sgae_dataset *ds)
{
    sgae_load_opts ko = {.graph = t_data("newman/karate.gml.zst")};
    CHECK_OK(sgae_dataset_load(&ko, ds));
    return ds->graph && ds->labels;
}

#endif

/* Shared helpers of the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput: it writes the input to a
 * temporary file (the readers take paths), loads it, checks what it got
 * with sgae_graph_check / sgae_csr_check, compares two paths that must
 * agree where there are two, and frees everything.  A defect is reported by
 * fz_fail (message, then abort()), which libFuzzer and the replay driver
 * (replay.c) both see as a crash:
 *  - a loaded graph or matrix that breaks the invariants;
 *  - SGAE_E_NOMEM or SGAE_E_INTERNAL from an input of a few KiB (a size
 *    trusted before it was checked: the replay driver caps the address
 *    space, libFuzzer the RSS and single allocations);
 *  - a failure without a message naming the file;
 *  - two paths that disagree. */
#ifndef SGAE_FUZZ_H
#define SGAE_FUZZ_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "sgae.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FZ_FN static __attribute__((unused))

FZ_FN void fz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("FUZZ DEFECT: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* A temporary path "<dir>/sgae-fuzz-<pid>-<tag>" (slot: 0..3, one buffer each). */
FZ_FN const char *fz_path(int slot, const char *tag)
{
    static char buf[4][512];
    const char *dir = getenv("TMPDIR");
    snprintf(buf[slot], sizeof buf[slot], "%s/sgae-fuzz-%ld-%s", dir && *dir ? dir : "/tmp",
             (long)getpid(), tag);
    return buf[slot];
}

FZ_FN void fz_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fz_fail("cannot write %s", path); /* the harness, not the library */
}

/* The input as a file; returns its path (slot as fz_path). */
FZ_FN const char *fz_file(int slot, const char *tag, const void *data, size_t size)
{
    const char *p = fz_path(slot, tag);
    fz_write_file(p, data, size);
    return p;
}

/* The input gzip- or zstd-compressed into a file. */
FZ_FN const char *fz_file_gz(int slot, const char *tag, const void *data, size_t size)
{
    const char *p = fz_path(slot, tag);
    gzFile g = gzopen(p, "wb1");
    if (!g || (size && gzwrite(g, data, (unsigned)size) != (int)size) || gzclose(g) != Z_OK)
        fz_fail("cannot write %s", p);
    return p;
}

FZ_FN const char *fz_file_zst(int slot, const char *tag, const void *data, size_t size)
{
    size_t cap = ZSTD_compressBound(size);
    void *buf = malloc(cap ? cap : 1);
    size_t z = buf ? ZSTD_compress(buf, cap, data, size, 1) : 0;
    if (!buf || ZSTD_isError(z))
        fz_fail("zstd compression of the input failed");
    const char *p = fz_file(slot, tag, buf, z);
    free(buf);
    return p;
}

/* What a failing load must look like: an input error with a message that
 * names the file (path or its base name). */
FZ_FN void fz_expect_input_error(sgae_status st, const char *path)
{
    const char *msg = sgae_last_error();
    if (st == SGAE_E_NOMEM || st == SGAE_E_INTERNAL || st == SGAE_E_NUMERIC)
        fz_fail("%s from a small input (%s): %s", sgae_status_string(st), path, msg);
    if (!msg[0])
        fz_fail("%s without a message (%s)", sgae_status_string(st), path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    /* names the file, or a file found beside it (LINQS .cites/.content) */
    if (!strstr(msg, "sgae-fuzz-") && !strstr(msg, base))
        fz_fail("message does not name the file %s: %s", path, msg);
}

FZ_FN void fz_check_graph(const sgae_graph *g, const char *what)
{
    if (sgae_graph_check(g))
        fz_fail("%s: loaded graph breaks the invariants: %s", what, sgae_last_error());
}

FZ_FN void fz_check_csr(const sgae_csr *a, int64_t rows, const char *what)
{
    if (sgae_csr_check(a))
        fz_fail("%s: loaded matrix breaks the invariants: %s", what, sgae_last_error());
    if (rows >= 0 && a->nrows != rows)
        fz_fail("%s: %lld rows for %lld nodes", what, (long long)a->nrows, (long long)rows);
}

FZ_FN void fz_check_labels(const sgae_labels *l, int64_t n, const char *what)
{
    if (l->n != n)
        fz_fail("%s: labels for %lld nodes, graph has %lld", what, (long long)l->n,
                (long long)n);
    for (int64_t i = 0; i < n; i++)
        if (l->label[i] < -1 || l->label[i] >= l->nclasses)
            fz_fail("%s: node %lld has label %d of %d classes", what, (long long)i,
                    (int)l->label[i], (int)l->nclasses);
}

/* Everything of a data set the checks above cover. */
FZ_FN void fz_check_dataset(const sgae_dataset *ds, const char *what)
{
    fz_check_graph(ds->graph, what);
    if (ds->features)
        fz_check_csr(&ds->features->x, ds->graph->n, what);
    if (ds->labels)
        fz_check_labels(ds->labels, ds->graph->n, what);
}

FZ_FN int fz_csr_equal(const sgae_csr *a, const sgae_csr *b)
{
    if (a->nrows != b->nrows || a->ncols != b->ncols)
        return 0;
    int64_t nnz = a->rowptr[a->nrows];
    if (memcmp(a->rowptr, b->rowptr, (size_t)(a->nrows + 1) * sizeof *a->rowptr) ||
        (nnz && memcmp(a->col, b->col, (size_t)nnz * sizeof *a->col)))
        return 0;
    if (!a->val != !b->val || (a->val && nnz && memcmp(a->val, b->val, (size_t)nnz * 4)))
        return 0;
    return 1;
}

/* Two loads of the same data must give the same graph and id map. */
FZ_FN void fz_same_graph(const sgae_graph *a, const sgae_graph *b, const char *what)
{
    if (a->n != b->n || !fz_csr_equal(&a->adj, &b->adj))
        fz_fail("%s: the two paths give different graphs (%lld vs %lld nodes)", what,
                (long long)a->n, (long long)b->n);
    if (a->input_edges != b->input_edges || a->self_loops != b->self_loops ||
        a->duplicates != b->duplicates)
        fz_fail("%s: the two paths count different input edges / self-loops / duplicates",
                what);
    char x[64], y[64];
    for (int64_t i = 0; i < a->n; i++)
        if (strcmp(sgae_graph_node_name(a, i, x, sizeof x),
                   sgae_graph_node_name(b, i, y, sizeof y)))
            fz_fail("%s: node %lld is '%s' on one path, '%s' on the other", what, (long long)i,
                    x, y);
}

/* The first number of the first line that is neither blank nor a '%'
 * comment after the banner: the rows a Matrix Market header declares
 * (-1: none found).  Targets skip inputs declaring more than FZ_MAX_ROWS:
 * a Matrix Market file may declare that many isolated nodes, which then
 * cost memory per node by design (the memory budget bounds that). */
#define FZ_MAX_ROWS ((int64_t)1 << 20)
FZ_FN int64_t fz_mtx_rows(const uint8_t *d, size_t n)
{
    size_t i = 0;
    int line = 0;
    while (i < n) {
        size_t j = i;
        while (j < n && d[j] != '\n')
            j++;
        size_t k = i;
        while (k < j && (d[k] == ' ' || d[k] == '\t' || d[k] == '\r'))
            k++;
        if (line++ > 0 && k < j && d[k] != '%') {
            int64_t v = 0;
            if (k < j && d[k] == '+')
                k++;
            if (k >= j || d[k] < '0' || d[k] > '9')
                return -1;
            while (k < j && d[k] >= '0' && d[k] <= '9') {
                v = v * 10 + (d[k] - '0');
                if (v > FZ_MAX_ROWS)
                    return v;
                k++;
            }
            return v;
        }
        i = j + 1;
    }
    return -1;
}

/* Load a graph; check it, or the error it gave (blame: the file it must
 * name).  Returns the status. */
FZ_FN sgae_status fz_load_graph(const char *path, sgae_format fmt, sgae_graph **g)
{
    sgae_status st = sgae_graph_load(path, fmt, g);
    if (st)
        fz_expect_input_error(st, path);
    else
        fz_check_graph(*g, path);
    return st;
}

FZ_FN sgae_status fz_load_dataset(const sgae_load_opts *o, const char *blame, sgae_dataset *ds)
{
    sgae_status st = sgae_dataset_load(o, ds);
    if (st)
        fz_expect_input_error(st, blame);
    else
        fz_check_dataset(ds, blame);
    return st;
}

/* A small fixed graph (edge list `edges`) with the input as its features
 * (labels = 0) or its labels file (labels = 1). */
FZ_FN void fz_load_beside(const char *edges, const char *tag, const uint8_t *data, size_t size,
                          int labels)
{
    const char *pg = fz_file(0, "g.txt", edges, strlen(edges));
    const char *px = fz_file(1, tag, data, size);
    sgae_load_opts o = {.graph = pg, .features = labels ? NULL : px, .labels = labels ? px : NULL};
    sgae_dataset ds;
    fz_load_dataset(&o, px, &ds);
    sgae_dataset_clear(&ds);
    unlink(pg);
    unlink(px);
}

/* Both loads succeed or both fail. */
FZ_FN void fz_same_outcome(sgae_status a, sgae_status b, const char *what)
{
    if ((a == SGAE_OK) != (b == SGAE_OK))
        fz_fail("%s disagree: %s / %s", what, sgae_status_string(a), sgae_status_string(b));
}

/* The end of a target: free two graphs (NULL ones too), remove two files
 * (NULL: none). */
FZ_FN void fz_cleanup(sgae_graph *a, sgae_graph *b, const char *pa, const char *pb)
{
    sgae_graph_free(a);
    sgae_graph_free(b);
    if (pa)
        unlink(pa);
    if (pb)
        unlink(pb);
}

/* The same bytes in two files pa and pb (say plain and compressed), loaded
 * in format fmt: both fail, or both give the same graph.  `what` names the
 * two paths in the defect's message.  Removes both files. */
FZ_FN void fz_two_paths(const char *pa, const char *pb, sgae_format fmt, const char *what)
{
    sgae_graph *a = NULL, *b = NULL;
    sgae_status sa = fz_load_graph(pa, fmt, &a);
    sgae_status sb = fz_load_graph(pb, fmt, &b);
    fz_same_outcome(sa, sb, what);
    if (!sa)
        fz_same_graph(a, b, what);
    fz_cleanup(a, b, pa, pb);
}

/* Inputs beyond this are cut (the replay driver feeds whole corpus files;
 * libFuzzer's -max_len is smaller). */
#define FZ_MAX_INPUT ((size_t)1 << 20)

#endif

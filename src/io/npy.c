/* Writers for learned embeddings: NumPy .npy (format 1.0) and the id map,
 * alone or committed together. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "sgae/file.h"
#include "sgae/io.h"

/* Write the .npy bytes of a rows x cols float32 matrix to f. */
static sgae_status npy_write(sgae_file *f, const float *data, int64_t rows, int64_t cols)
{
    sgae_status st = SGAE_OK;
    char hdr[256];
    if (rows < 0 || cols < 0 || (rows > 0 && cols > 0 && !data))
        SGAE_FAIL(SGAE_E_ARG, "%s: no data for a %" PRId64 " x %" PRId64 " matrix",
                  sgae_file_path(f), rows, cols);
    int len = snprintf(hdr, sizeof hdr,
                       "{'descr': '<f4', 'fortran_order': False, 'shape': (%" PRId64 ", %" PRId64
                       "), }",
                       rows, cols);
    /* magic (6) + version (2) + header length (2) + header, padded with
     * spaces and ended by '\n' to a multiple of 64 bytes */
    int total = 10 + len + 1;
    int pad = (64 - total % 64) % 64;
    memset(hdr + len, ' ', (size_t)pad);
    len += pad;
    hdr[len++] = '\n';
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(len & 0xff),
                             (unsigned char)(len >> 8)};
    SGAE_CHECK(sgae_file_write(f, pre, sizeof pre));
    SGAE_CHECK(sgae_file_write(f, hdr, (size_t)len));
    /* little-endian float32 (this library targets little-endian machines) */
    SGAE_CHECK(sgae_file_write(f, data, (size_t)rows * (size_t)cols * sizeof *data));
done:
    return st;
}

/* Write the id map of g to f. */
static sgae_status ids_write(sgae_file *f, const sgae_graph *g)
{
    sgae_status st = SGAE_OK;
    FILE *s;
    char name[512];
    SGAE_CHECK(sgae_file_stream(f, &s));
    fputs("node_id\trow\n", s);
    for (int64_t i = 0; i < g->n; i++)
        fprintf(s, "%s\t%" PRId64 "\n", sgae_graph_node_name(g, i, name, sizeof name), i);
    /* write errors surface at the commit */
done:
    return st;
}

sgae_status sgae_npy_save(const char *path, const float *data, int64_t rows, int64_t cols)
{
    sgae_status st = SGAE_OK;
    sgae_file *f = NULL;
    SGAE_CHECK(sgae_file_begin(path, &f));
    SGAE_CHECK(npy_write(f, data, rows, cols));
    st = sgae_file_commit(f);
    f = NULL;
done:
    sgae_file_abort(f);
    return st;
}

sgae_status sgae_ids_save(const sgae_graph *g, const char *path)
{
    sgae_status st = SGAE_OK;
    sgae_file *f = NULL;
    if (!g)
        return sgae_error_set(SGAE_E_ARG, "%s: no graph given", path ? path : "?");
    SGAE_CHECK(sgae_file_begin(path, &f));
    SGAE_CHECK(ids_write(f, g));
    st = sgae_file_commit(f);
    f = NULL;
done:
    sgae_file_abort(f);
    return st;
}

sgae_status sgae_npy_ids_save(const char *npy_path, const char *ids_path, const float *data,
                              int64_t rows, int64_t cols, const sgae_graph *g)
{
    sgae_status st = SGAE_OK;
    sgae_file *a = NULL, *b = NULL;
    if (!g || g->n != rows)
        SGAE_FAIL(SGAE_E_ARG, "%s: %" PRId64 " rows but the graph has %" PRId64 " nodes",
                  npy_path ? npy_path : "?", rows, g ? g->n : 0);
    SGAE_CHECK(sgae_file_begin(npy_path, &a));
    SGAE_CHECK(sgae_file_begin(ids_path, &b));
    SGAE_CHECK(npy_write(a, data, rows, cols));
    SGAE_CHECK(ids_write(b, g));
    st = sgae_file_commit_pair(a, b);
    a = b = NULL;
done:
    sgae_file_abort(a);
    sgae_file_abort(b);
    return st;
}

sgae_status sgae_tsv_save(const sgae_graph *g, const float *data, int64_t rows, int64_t cols,
                          const char *path)
{
    sgae_status st = SGAE_OK;
    sgae_file *f = NULL;
    FILE *s;
    char name[512];
    if (!g || g->n != rows || rows < 0 || cols < 0 || (rows && cols && !data))
        return sgae_error_set(SGAE_E_ARG, "%s: %" PRId64 " rows for a graph of %" PRId64
                              " nodes", path, rows, g ? g->n : (int64_t)-1);
    SGAE_CHECK(sgae_file_begin(path, &f));
    SGAE_CHECK(sgae_file_stream(f, &s));
    for (int64_t i = 0; i < rows; i++) {
        fputs(sgae_graph_node_name(g, i, name, sizeof name), s);
        for (int64_t c = 0; c < cols; c++)
            fprintf(s, "\t%.9g", (double)data[i * cols + c]);
        fputc('\n', s);
    }
    st = sgae_file_commit(f);
    f = NULL;
done:
    sgae_file_abort(f);
    return st;
}

/* Writers for learned embeddings: NumPy .npy (format 1.0) and the id map. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sgae/train.h"

static void tmp_name(char *buf, size_t len, const char *path)
{
    snprintf(buf, len, "%s.tmp.%ld", path, (long)getpid());
}

static sgae_status finish(FILE *f, const char *tmp, const char *path, int ok)
{
    if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0)
        ok = 0; /* fsync before rename: a crash leaves the old file or the new one */
    int err = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (ok && rename(tmp, path) != 0) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        remove(tmp);
        return sgae_error_set(SGAE_E_IO, "%s: cannot write: %s", path, strerror(err));
    }
    return SGAE_OK;
}

sgae_status sgae_npy_save(const char *path, const float *data, int64_t rows, int64_t cols)
{
    char tmp[4096], hdr[256];
    if (strlen(path) + 32 > sizeof tmp)
        return sgae_error_set(SGAE_E_IO, "%s: path too long", path);
    tmp_name(tmp, sizeof tmp, path);
    int len = snprintf(hdr, sizeof hdr, "{'descr': '<f4', 'fortran_order': False, 'shape': (%lld, %lld), }",
                       (long long)rows, (long long)cols);
    /* magic (6) + version (2) + header length (2) + header, padded with
     * spaces and ended by '\n' to a multiple of 64 bytes */
    int total = 10 + len + 1;
    int pad = (64 - total % 64) % 64;
    memset(hdr + len, ' ', (size_t)pad);
    len += pad;
    hdr[len++] = '\n';
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return sgae_error_set(SGAE_E_IO, "%s: cannot create: %s", tmp, strerror(errno));
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(len & 0xff),
                             (unsigned char)(len >> 8)};
    int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(hdr, 1, (size_t)len, f) == (size_t)len;
    /* little-endian float32 (this library targets little-endian machines) */
    size_t cnt = (size_t)rows * (size_t)cols;
    if (ok && cnt)
        ok = fwrite(data, sizeof *data, cnt, f) == cnt;
    return finish(f, tmp, path, ok);
}

sgae_status sgae_ids_save(const sgae_graph *g, const char *path)
{
    char tmp[4096], name[512];
    if (strlen(path) + 32 > sizeof tmp)
        return sgae_error_set(SGAE_E_IO, "%s: path too long", path);
    tmp_name(tmp, sizeof tmp, path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return sgae_error_set(SGAE_E_IO, "%s: cannot create: %s", tmp, strerror(errno));
    int ok = fputs("node_id\trow\n", f) >= 0;
    for (int64_t i = 0; ok && i < g->n; i++)
        ok = fprintf(f, "%s\t%lld\n", sgae_graph_node_name(g, i, name, sizeof name),
                     (long long)i) > 0;
    return finish(f, tmp, path, ok);
}

/* Reader of NumPy .npy files (format versions 1.0, 2.0 and 3.0): 1-D or
 * 2-D arrays of float32 or float64 in either byte order, C or Fortran
 * order, returned as a row-major float32 matrix. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "sgae/io.h"

/* The value after 'key': in the header dict (a Python literal), or NULL. */
static const char *npy_field(const char *hdr, const char *key)
{
    char pat[32];
    snprintf(pat, sizeof pat, "'%s'", key);
    const char *p = strstr(hdr, pat);
    if (!p) {
        snprintf(pat, sizeof pat, "\"%s\"", key);
        p = strstr(hdr, pat);
    }
    if (!p)
        return NULL;
    p += strlen(pat);
    while (*p == ' ')
        p++;
    if (*p != ':')
        return NULL;
    p++;
    while (*p == ' ')
        p++;
    return p;
}

/* Parse "(a, b)" / "(a,)" / "()" into dims; returns the count or -1. */
static int npy_shape(const char *p, int64_t dims[3])
{
    if (*p != '(')
        return -1;
    p++;
    int nd = 0;
    for (;;) {
        while (*p == ' ')
            p++;
        if (*p == ')')
            return nd;
        if (*p < '0' || *p > '9' || nd == 3)
            return -1;
        int64_t v = 0;
        while (*p >= '0' && *p <= '9') {
            if (v > (INT64_MAX - 9) / 10)
                return -1;
            v = v * 10 + (*p++ - '0');
        }
        dims[nd++] = v;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p != ')')
            return -1;
    }
}

static void swap_bytes(unsigned char *b, size_t size)
{
    for (size_t i = 0; i < size / 2; i++) {
        unsigned char t = b[i];
        b[i] = b[size - 1 - i];
        b[size - 1 - i] = t;
    }
}

sgae_status sgae_npy_load(const char *path, float **data, int64_t *rows, int64_t *cols)
{
    sgae_status st = SGAE_OK;
    FILE *f = NULL;
    char *hdr = NULL;
    float *out = NULL;
    unsigned char *buf = NULL;
    *data = NULL;
    *rows = *cols = 0;
    f = fopen(path, "rb");
    if (!f)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot open: %s", path, strerror(errno));
    unsigned char pre[12];
    if (fread(pre, 1, 10, f) != 10 || memcmp(pre, "\x93NUMPY", 6) != 0)
        SGAE_FAIL(SGAE_E_FORMAT, "%s: not a NumPy .npy file (no \\x93NUMPY magic)", path);
    int major = pre[6];
    uint64_t hlen;
    long data_off;
    if (major == 1) {
        hlen = (uint64_t)pre[8] | (uint64_t)pre[9] << 8;
        data_off = 10;
    } else if (major == 2 || major == 3) {
        if (fread(pre + 10, 1, 2, f) != 2)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: truncated .npy header", path);
        hlen = (uint64_t)pre[8] | (uint64_t)pre[9] << 8 | (uint64_t)pre[10] << 16 |
               (uint64_t)pre[11] << 24;
        data_off = 12;
    } else {
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy format version %d.%d is not supported", path, major,
                  pre[7]);
    }
    if (hlen > (1u << 20))
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: .npy header of %llu bytes", path, (unsigned long long)hlen);
    hdr = sgae_alloc((size_t)hlen + 1, 1, "npy header");
    if (!hdr)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory for the header", path);
    if (fread(hdr, 1, (size_t)hlen, f) != (size_t)hlen)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: truncated .npy header", path);
    hdr[hlen] = '\0';
    data_off += (long)hlen;

    const char *d = npy_field(hdr, "descr");
    const char *fo = npy_field(hdr, "fortran_order");
    const char *sh = npy_field(hdr, "shape");
    if (!d || !fo || !sh)
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy header lacks descr, fortran_order or shape: %.200s",
                  path, hdr);
    char q = *d;
    if (q != '\'' && q != '"')
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy descr is not a string", path);
    char descr[16] = {0};
    size_t dl = 0;
    for (d++; *d && *d != q && dl < sizeof descr - 1; d++)
        descr[dl++] = *d;
    int big = 0;
    size_t item;
    if (!strcmp(descr, "<f4") || !strcmp(descr, "=f4") || !strcmp(descr, ">f4"))
        item = 4;
    else if (!strcmp(descr, "<f8") || !strcmp(descr, "=f8") || !strcmp(descr, ">f8"))
        item = 8;
    else
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy dtype '%s' is not supported (need float32 or float64)",
                  path, descr);
    big = descr[0] == '>';
    int fortran;
    if (!strncmp(fo, "False", 5))
        fortran = 0;
    else if (!strncmp(fo, "True", 4))
        fortran = 1;
    else
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy fortran_order is neither True nor False", path);
    int64_t dims[3] = {0, 0, 0};
    int nd = npy_shape(sh, dims);
    if (nd != 1 && nd != 2)
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy shape must have 1 or 2 dimensions: %.64s", path, sh);
    int64_t r = dims[0], c = nd == 2 ? dims[1] : 1;
    if (c > 0 && r > INT64_MAX / 8 / c)
        SGAE_FAIL(SGAE_E_FORMAT, "%s: .npy shape %lld x %lld is too large", path, (long long)r,
                  (long long)c);
    uint64_t cnt = (uint64_t)r * (uint64_t)c;
    struct stat sb;
    if (fstat(fileno(f), &sb) != 0)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot stat: %s", path, strerror(errno));
    uint64_t want = (uint64_t)data_off + cnt * item;
    if ((uint64_t)sb.st_size < want)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: truncated .npy data (%lld bytes, %llu expected)", path,
                  (long long)sb.st_size, (unsigned long long)want);
    if ((uint64_t)sb.st_size > want)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: %llu trailing bytes after the .npy data", path,
                  (unsigned long long)((uint64_t)sb.st_size - want));
    out = sgae_alloc((size_t)cnt + 1, sizeof *out, "npy data");
    if (!out)
        SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory for %lld x %lld floats", path, (long long)r,
                  (long long)c);
    if (item == 4 && !big) {
        if (cnt && fread(out, 4, (size_t)cnt, f) != (size_t)cnt)
            SGAE_FAIL(SGAE_E_IO, "%s: read failed", path);
    } else {
        /* convert in chunks */
        const size_t chunk = 1 << 16;
        buf = sgae_alloc(chunk, item, "npy buffer");
        if (!buf)
            SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
        for (uint64_t k = 0; k < cnt;) {
            size_t m = cnt - k < chunk ? (size_t)(cnt - k) : chunk;
            if (fread(buf, item, m, f) != m)
                SGAE_FAIL(SGAE_E_IO, "%s: read failed", path);
            for (size_t t = 0; t < m; t++) {
                unsigned char *b = buf + t * item;
                if (big)
                    swap_bytes(b, item);
                if (item == 4) {
                    float v;
                    memcpy(&v, b, 4);
                    out[k + t] = v;
                } else {
                    double v;
                    memcpy(&v, b, 8);
                    out[k + t] = (float)v;
                }
            }
            k += m;
        }
    }
    if (fortran && nd == 2 && r > 1 && c > 1) {
        float *t = sgae_alloc((size_t)cnt, sizeof *t, "npy transpose");
        if (!t)
            SGAE_FAIL(SGAE_E_NOMEM, "%s: no memory", path);
        for (int64_t j = 0; j < c; j++)
            for (int64_t i = 0; i < r; i++)
                t[i * c + j] = out[j * r + i];
        free(out);
        out = t;
    }
    *data = out;
    *rows = r;
    *cols = c;
    out = NULL;
done:
    if (f)
        fclose(f);
    free(hdr);
    free(buf);
    free(out);
    return st;
}

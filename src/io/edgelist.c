/* Text edge lists: "u v [weight]" per line. */
#include <inttypes.h>
#include <string.h>

#include "internal.h"
#include "raw.h"

static inline int is_sep(char c) { return c == ' ' || c == '\t' || c == ','; }

/* Copy a short token for an error message. */
static const char *token(const char *p, char *buf, size_t len)
{
    size_t k = 0;
    while (p[k] && !is_sep(p[k]) && k + 1 < len)
        k++;
    memcpy(buf, p, k);
    buf[k] = '\0';
    return buf;
}

static sgae_status bad_id(sgae_reader *r, int why, const char *p, int column)
{
    char tok[48];
    const char *path = sgae_reader_path(r);
    long long ln = (long long)sgae_reader_lineno(r);
    switch (why) {
    case 2:
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column %d: id '%s' exceeds 2^64-1", path,
                              ln, column, token(p, tok, sizeof tok));
    case 3:
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column %d: negative id '%s'", path, ln,
                              column, token(p, tok, sizeof tok));
    default:
        return sgae_error_set(SGAE_E_PARSE, "%s:%lld: column %d: non-numeric token '%s'", path,
                              ln, column, token(p, tok, sizeof tok));
    }
}

sgae_status sgae_edgelist_parse(sgae_reader *r, sgae_raw *raw)
{
    sgae_status st;
    char *line;
    size_t len;
    int64_t data_lines = 0;
    raw->nfixed = -1;
    for (;;) {
        if ((st = sgae_reader_line(r, &line, &len)))
            return st;
        if (!line)
            break;
        const char *p = line;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '\0' || *p == '#' || *p == '%')
            continue;
        uint64_t a, b;
        const char *start = p;
        int e = sgae_parse_u64(&p, &a);
        if (e == 0 && *p && !is_sep(*p))
            e = 1;
        if (e) {
            if (e == 1 && data_lines == 0) { /* one header line, e.g. "id_1,id_2" */
                data_lines = -1;
                continue;
            }
            return bad_id(r, e, start, 1);
        }
        while (is_sep(*p))
            p++;
        if (*p == '\0')
            return sgae_error_set(SGAE_E_PARSE, "%s:%lld: missing second column (need 'u v')",
                                  sgae_reader_path(r), (long long)sgae_reader_lineno(r));
        start = p;
        e = sgae_parse_u64(&p, &b);
        if (e == 0 && *p && !is_sep(*p))
            e = 1;
        if (e)
            return bad_id(r, e, start, 2);
        if ((st = sgae_raw_push(raw, a, b)))
            return st;
        data_lines = data_lines < 0 ? 1 : data_lines + 1;
        if ((raw->m & 0xfffff) == 0)
            sgae_progress("reading edges", raw->m, 0);
    }
    sgae_progress_done("reading edges");
    return SGAE_OK;
}

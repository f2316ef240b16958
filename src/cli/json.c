/* One-line JSON objects on stdout (the sgae tool's --json, and the
 * benchmarks'). */
#include "json.h"

#include <math.h>

void cli_json_quote(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\r': fputs("\\r", f); break;
        case '\t': fputs("\\t", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
    }
    fputc('"', f);
}

static void json_key(cli_json *j, const char *key)
{
    fputs(j->n++ ? ", " : "", j->f);
    cli_json_quote(j->f, key);
    fputs(": ", j->f);
}

void cli_json_begin(cli_json *j)
{
    j->f = stdout;
    j->n = 0;
    j->digits = 17;
    fputc('{', j->f);
}

void cli_json_int(cli_json *j, const char *key, int64_t v)
{
    json_key(j, key);
    fprintf(j->f, "%lld", (long long)v);
}

void cli_json_num(cli_json *j, const char *key, double v)
{
    json_key(j, key);
    if (isfinite(v))
        fprintf(j->f, "%.*g", j->digits, v);
    else
        fputs("null", j->f);
}

void cli_json_str(cli_json *j, const char *key, const char *v)
{
    json_key(j, key);
    cli_json_quote(j->f, v);
}

void cli_json_bool(cli_json *j, const char *key, int v)
{
    json_key(j, key);
    fputs(v ? "true" : "false", j->f);
}

void cli_json_raw(cli_json *j, const char *key, const char *raw)
{
    json_key(j, key);
    fputs(raw, j->f);
}

void cli_json_end(cli_json *j)
{
    fputs("}\n", j->f);
    fflush(j->f);
}

#include "common.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#ifdef _OPENMP
#include <omp.h>
#endif

int cli_fail(const char *cmd, sgae_status st)
{
    fprintf(stderr, "sgae %s: %s: %s\n", cmd, sgae_status_string(st), sgae_last_error());
    return CLI_FAIL;
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "sgae %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'sgae %s --help'.\n", cmd);
    return CLI_USAGE;
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
    size_t len = strlen(name);
    const char *a = argv[*i];
    if (strncmp(a, name, len) != 0)
        return 0;
    if (a[len] == '=') {
        *val = a + len + 1;
        return 1;
    }
    if (a[len] != '\0')
        return 0;
    if (*i + 1 >= argc) {
        *val = NULL; /* caller reports the missing value */
        return 1;
    }
    *val = argv[++*i];
    return 1;
}

int cli_flag(char **argv, int i, const char *name) { return strcmp(argv[i], name) == 0; }

int cli_int(const char *cmd, const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out)
{
    if (!s) {
        cli_usage_error(cmd, "option %s needs a value", opt);
        return 0;
    }
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) {
        cli_usage_error(cmd, "option %s: '%s' is not an integer in %lld..%lld", opt, s,
                        (long long)lo, (long long)hi);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out)
{
    if (!s) {
        cli_usage_error(cmd, "option %s needs a value", opt);
        return 0;
    }
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || end == s || *end || s[0] == '-') {
        cli_usage_error(cmd, "option %s: '%s' is not a non-negative integer", opt, s);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out)
{
    if (!s) {
        cli_usage_error(cmd, "option %s needs a value", opt);
        return 0;
    }
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !(v >= lo && v <= hi)) {
        cli_usage_error(cmd, "option %s: '%s' is not a number in [%g, %g]", opt, s, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

void cli_set_threads(int64_t t)
{
#ifdef _OPENMP
    if (t > 0)
        omp_set_num_threads((int)t);
#else
    (void)t;
#endif
}

int cli_threads(void)
{
#ifdef _OPENMP
    return omp_get_max_threads();
#else
    return 1;
#endif
}

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
        fprintf(j->f, "%.17g", v);
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

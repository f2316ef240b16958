/* The memory budget of the loaders: sizes, the default, the check. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "internal.h"

int64_t sgae_physical_memory(void)
{
    long pages = sysconf(_SC_PHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    if (pages <= 0 || psize <= 0)
        return 0;
    return (int64_t)pages * (int64_t)psize;
}

/* 0 ok, 1 malformed, 2 a percentage with physical memory unknown. */
static int parse_size(const char *s, int64_t *bytes)
{
    if (!s || !*s)
        return 1;
    if (!strcasecmp(s, "unlimited") || !strcasecmp(s, "none")) {
        *bytes = 0;
        return 0;
    }
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (end == s || errno || !isfinite(x) || x < 0 || s[0] == '-')
        goto bad;
    double mul = 1;
    if (*end == '%') {
        if (end[1] || x > 100)
            goto bad;
        mul = (double)sgae_physical_memory() / 100;
        if (mul <= 0)
            return 2;
        end++;
    } else if (*end) {
        const char *u = "KMGT";
        const char *k = strchr(u, *end >= 'a' ? *end - 32 : *end);
        if (!k)
            goto bad;
        mul = ldexp(1.0, 10 * (int)(k - u + 1));
        end++;
        if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
            end += strlen(end);
    }
    if (*end)
        goto bad;
    x *= mul;
    if (x >= 9.2e18)
        goto bad;
    *bytes = (int64_t)x;
    return 0;
bad:
    return 1;
}

sgae_status sgae_size_parse(const char *s, int64_t *bytes)
{
    int e = parse_size(s, bytes);
    if (e == 2)
        return sgae_error_set(SGAE_E_ARG, "size '%s': the physical memory is unknown", s);
    if (e)
        return sgae_error_set(SGAE_E_ARG,
                          "'%s' is not a size (a number with an optional K, M, G or T suffix, "
                          "a percentage of physical memory such as 50%%, or unlimited)",
                          s ? s : "");
    return SGAE_OK;
}

int64_t sgae_memory_budget_default(void)
{
    const char *e = getenv("SGAE_MEMORY_BUDGET");
    int64_t b;
    if (e && *e && parse_size(e, &b) == 0)
        return b;
    return sgae_physical_memory() / 4 * 3;
}

const char *sgae_size_format(int64_t bytes, char *buf, size_t len)
{
    static const char *unit[] = {"KiB", "MiB", "GiB", "TiB"};
    if (!buf || !len)
        return buf;
    if (bytes < 1024) {
        snprintf(buf, len, "%lld bytes", (long long)bytes);
        return buf;
    }
    double x = (double)bytes;
    int u = -1;
    while (x >= 1024 && u < 3) {
        x /= 1024;
        u++;
    }
    snprintf(buf, len, x == floor(x) ? "%.0f %s" : "%.2f %s", x, unit[u]);
    return buf;
}

sgae_status sgae_budget_check(int64_t budget, int64_t bytes, const char *path,
                              const char *what)
{
    if (budget <= 0 || bytes <= budget)
        return SGAE_OK;
    char b[32], need[32];
    return sgae_error_set(SGAE_E_NOMEM,
                          "%s: %s passes the memory budget of %s (%s needed; raise it "
                          "with --memory-budget SIZE or SGAE_MEMORY_BUDGET, e.g. 32G or "
                          "unlimited)",
                          path ? path : "input", what, sgae_size_format(budget, b, sizeof b),
                          sgae_size_format(bytes, need, sizeof need));
}

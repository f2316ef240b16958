/* A JSON object written to stdout, one member at a time: the sgae tool's
 * --json output, also linked by the benchmarks (bench/). */
#ifndef SGAE_CLI_JSON_H
#define SGAE_CLI_JSON_H

#include <stdint.h>
#include <stdio.h>

typedef struct {
    FILE *f;
    int n;      /* members written */
    int digits; /* significant digits of numbers (cli_json_begin: 17) */
} cli_json;
void cli_json_begin(cli_json *j);
void cli_json_int(cli_json *j, const char *key, int64_t v);
void cli_json_num(cli_json *j, const char *key, double v); /* NaN/inf -> null */
void cli_json_str(cli_json *j, const char *key, const char *v);
void cli_json_bool(cli_json *j, const char *key, int v);
void cli_json_raw(cli_json *j, const char *key, const char *raw); /* pre-formatted JSON value */
void cli_json_end(cli_json *j);
/* Write a JSON string literal (quoted, escaped) to f. */
void cli_json_quote(FILE *f, const char *s);

#endif

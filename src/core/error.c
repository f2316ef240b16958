#include <stdarg.h>
#include <stdio.h>

#include "sgae/error.h"

static _Thread_local char err_msg[1024];

const char *sgae_status_string(sgae_status s)
{
    switch (s) {
    case SGAE_OK: return "ok";
    case SGAE_E_ARG: return "invalid argument";
    case SGAE_E_NOMEM: return "out of memory";
    case SGAE_E_IO: return "i/o error";
    case SGAE_E_PARSE: return "parse error";
    case SGAE_E_CORRUPT: return "corrupt data";
    case SGAE_E_FORMAT: return "unsupported format";
    case SGAE_E_NUMERIC: return "numerical error";
    case SGAE_E_DEP: return "dependency error";
    case SGAE_E_INTERNAL: return "internal error";
    case SGAE_E_INTERRUPTED: return "interrupted";
    }
    return "unknown status";
}

const char *sgae_last_error(void) { return err_msg; }

sgae_status sgae_error_set(sgae_status s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err_msg, sizeof err_msg, fmt, ap);
    va_end(ap);
    return s;
}

void sgae_error_clear(void) { err_msg[0] = '\0'; }

/*
 * sgae/error.h - status codes and the thread-local error message.
 *
 * Every fallible function in libsgae returns an sgae_status.  SGAE_OK (0)
 * means success; any other value is an error, and sgae_last_error() then
 * returns a human-readable message for the calling thread that says what went
 * wrong and where (file name and line for bad input).  The message stays
 * valid until the next failing call on the same thread.
 *
 * The library never calls exit() or abort().
 */
#ifndef SGAE_ERROR_H
#define SGAE_ERROR_H

#include "sgae/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    SGAE_OK = 0,
    SGAE_E_ARG,      /* invalid argument or option value */
    SGAE_E_NOMEM,    /* allocation failed */
    SGAE_E_IO,       /* file cannot be opened, read or written */
    SGAE_E_PARSE,    /* malformed text input; message names file:line */
    SGAE_E_CORRUPT,  /* truncated or damaged binary/compressed data, bad checksum */
    SGAE_E_FORMAT,   /* unknown or unsupported format or version */
    SGAE_E_NUMERIC,  /* NaN or infinity appeared in a computation */
    SGAE_E_DEP,      /* a dependency (GraphBLAS, zstd, zlib) reported an error */
    SGAE_E_INTERNAL, /* an invariant of the library was violated (a bug) */
    SGAE_E_INTERRUPTED /* stopped on request (an interrupt flag the caller set) */
} sgae_status;

/* Short constant name of a status, e.g. "parse error".  Never NULL. */
SGAE_API const char *sgae_status_string(sgae_status s);

/* Message of the last error on this thread ("" if none).  Never NULL. */
SGAE_API const char *sgae_last_error(void);

/* Record an error for this thread and return `s` (for `return sgae_error_set(...)`).
 * The message is printf-formatted and truncated to 1023 bytes. */
SGAE_API sgae_status sgae_error_set(sgae_status s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Forget the last error on this thread. */
SGAE_API void sgae_error_clear(void);

#ifdef __cplusplus
}
#endif
#endif

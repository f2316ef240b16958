/* Streaming reader of plain, gzip and zstd files (detected by magic bytes),
 * with a line interface that tracks line numbers for error messages. */
#ifndef SGAE_READER_H
#define SGAE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "sgae/error.h"
#include "sgae/export.h"

/* Lines longer than this are rejected as malformed input. */
#define SGAE_MAX_LINE (256 * 1024)

typedef struct sgae_reader sgae_reader;

typedef enum { SGAE_COMP_NONE, SGAE_COMP_GZIP, SGAE_COMP_ZSTD } sgae_compression;

/* Open `path`; SGAE_E_IO if it cannot be opened, SGAE_E_FORMAT (naming it)
 * for an xz, bzip2, lz4, lzma, 7z or zip file.  A UTF-8 byte-order mark at
 * the start of the (decompressed) data is skipped.  zstd: frames and
 * skippable frames in any order; windows up to 2^SGAE_ZSTD_WINDOW_LOG
 * (environment, 10..31) or by default 2^27 bytes (as the zstd command),
 * lowered to at most half sgae_memory_budget_default(); a frame that needs more is SGAE_E_CORRUPT
 * with the window it needs.  gzip: members one after another, zero padding
 * after them (other trailing bytes: SGAE_E_CORRUPT). */
SGAE_API sgae_status sgae_reader_open(const char *path, sgae_reader **out);
SGAE_API void sgae_reader_close(sgae_reader *r);

/* Next line without its "\n" or "\r\n", NUL-terminated, writable until the
 * next call.  *line = NULL at end of input.  Errors: SGAE_E_CORRUPT for a
 * damaged or truncated compressed stream, SGAE_E_PARSE for a line longer
 * than SGAE_MAX_LINE or containing a NUL byte, SGAE_E_IO for read errors. */
SGAE_API sgae_status sgae_reader_line(sgae_reader *r, char **line, size_t *len);

/* Raw bytes: up to len; *got = 0 at end of input. */
SGAE_API sgae_status sgae_reader_read(sgae_reader *r, void *buf, size_t len, size_t *got);

/* Peek at up to `len` decompressed bytes from the start (before any read). */
SGAE_API sgae_status sgae_reader_peek(sgae_reader *r, const char **buf, size_t *len);

SGAE_API int64_t sgae_reader_lineno(const sgae_reader *r); /* line number of the last line returned */
const char *sgae_reader_path(const sgae_reader *r);
SGAE_API sgae_compression sgae_reader_compression(const sgae_reader *r);

/* Compression of a file from its magic bytes (SGAE_E_IO if unreadable,
 * SGAE_E_FORMAT for the compressions named above that are not read). */
SGAE_API sgae_status sgae_compression_detect(const char *path, sgae_compression *c);

#endif

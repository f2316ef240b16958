/*
 * sgae/file.h - atomic file replacement: every file libsgae writes goes
 * through these calls (the core topic).
 *
 * sgae_file_begin creates a temporary file in the directory of `path` (a
 * unique name "<path>.tmp.XXXXXX", mode 0644 less the umask); the caller
 * writes to it with sgae_file_write or through the stdio stream of
 * sgae_file_stream; sgae_file_commit flushes it, fsyncs it, renames it over
 * `path` and fsyncs the directory.  Until the rename, `path` keeps its
 * previous content (or stays absent); after it, `path` has the complete new
 * content.  So a crash, a kill -9 or a full disk at any moment leaves either
 * the previous file or the new one under `path`, never a mix; at worst a
 * stray "<path>.tmp.XXXXXX" stays behind after a crash.
 * sgae_file_abort removes the temporary file and leaves `path` untouched.
 *
 * Errors are SGAE_E_IO (or SGAE_E_NOMEM) and their messages name the
 * caller's `path`, never the temporary name.  A write error is sticky: later
 * writes fail at once and the commit fails (removing the temporary file).
 *
 * An sgae_file is used from one thread at a time.
 */
#ifndef SGAE_FILE_H
#define SGAE_FILE_H

#include "sgae/export.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "sgae/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct sgae_file sgae_file;

/* Check, before long work starts, that `path` can be written: its directory
 * exists and files can be created in it (tried with a temporary file that
 * is removed at once), and `path` itself is not a directory.  Errors:
 * SGAE_E_IO naming `path` and what is wrong. */
SGAE_API sgae_status sgae_file_check_writable(const char *path);

/* Start replacing `path`: create its temporary file (*out; NULL on
 * failure).  Errors: SGAE_E_IO (a directory, a missing directory, no
 * permission), SGAE_E_ARG (empty path), SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_file_begin(const char *path, sgae_file **out);

/* Append len bytes.  Errors: SGAE_E_IO ("PATH: cannot write: <reason>"). */
SGAE_API sgae_status sgae_file_write(sgae_file *f, const void *buf, size_t len);

/* A buffered stdio stream (1 MiB buffer) onto the temporary file, for
 * fprintf-style writers (*out; owned by f: do not fclose it).  Writes
 * through it and sgae_file_write may be mixed; their errors are caught at
 * the next sgae_file_write or at the commit.  Errors: SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_file_stream(sgae_file *f, FILE **out);

/* The caller's path of f. */
SGAE_API const char *sgae_file_path(const sgae_file *f);

/* Finish: flush, fsync, close, rename over the path, fsync the directory;
 * frees f in every case.  On an error before the rename, the temporary file
 * is removed and `path` is unchanged.  If only the final directory fsync
 * fails, `path` already has the new content but the rename may not be
 * durable yet: SGAE_E_IO says so.  (A file system that cannot fsync a
 * directory, EINVAL, is not an error.) */
SGAE_API sgae_status sgae_file_commit(sgae_file *f);

/* Give up: remove the temporary file, leave `path` as it was; frees f.
 * NULL is fine. */
SGAE_API void sgae_file_abort(sgae_file *f);

/* Commit two outputs that belong together (x.npy and its x.ids.tsv): both
 * are flushed and fsynced first, and if either fails, both are aborted and
 * both paths keep their previous content.  Then `second` is renamed, then
 * `first`, then the directories are fsynced.  So whenever `first` has its
 * new content, `second` has its new content too; a crash between the two
 * renames leaves the new `second` beside the previous `first`.  Make
 * `first` the file readers look at (the data) and `second` its companion.
 * If the rename of `first` fails, `second` is already replaced and the
 * error says so.  Frees both in every case. */
SGAE_API sgae_status sgae_file_commit_pair(sgae_file *first, sgae_file *second);

/* Testing hook (write-fault tests): from this call on, the k-th operation
 * of the helper fails with errno `err` (e.g. ENOSPC), as the system call
 * would; k = 0 turns the hook off.  Operations, counted over all files and
 * threads: each write(2) of file data, the fsync of a file, its close, the
 * rename and the fsync of the directory.  sgae_file_op_count() gives the
 * operations counted since the last sgae_file_fail_at call, so a test can
 * run k = 1 .. count. */
SGAE_API void sgae_file_fail_at(int64_t k, int err);
SGAE_API int64_t sgae_file_op_count(void);

#ifdef __cplusplus
}
#endif
#endif

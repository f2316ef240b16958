/*
 * sgae/container.h - the sectioned container: named, checksummed,
 * zstd-compressed sections with a table (the core topic).  The .sgr graph
 * file is one; training snapshots are another.
 *
 * Layout (all integers little-endian; "hash" is XXH64 with seed 0, see
 * sgae_hash64):
 *
 *   header, 64 bytes
 *     0   magic[8]          chosen by the format (e.g. "SGAEGRPH")
 *     8   u32 major         the format's version: a reader refuses a newer
 *     12  u32 minor           major and reads any minor of a major it knows
 *     16  u32 flags         the format's own
 *     20  u32 layout        this container layout: 1
 *     24  reserved[32]      zero
 *     56  u64 hash of bytes 0..55
 *   sections, back to back from byte 64: each one zstd frame carrying zstd's
 *     content checksum and its content size
 *   section table, count entries of 72 bytes
 *     0   name[32]          1..31 bytes, NUL-padded; unique in the file
 *     32  u32 kind          the format's own type tag
 *     36  u32 flags         bits 0..15 the container's encoding
 *                           (SGAE_SECTION_SHUFFLE4), bits 16..31 the format's
 *     40  u64 offset        = 64 for the first, the previous one's end after
 *     48  u64 bytes         compressed bytes (the frame)
 *     56  u64 raw_bytes     bytes after decompression
 *     64  u64 hash of the compressed bytes
 *   trailer, 40 bytes, the last of the file
 *     0   u64 table offset  = the end of the last section
 *     8   u64 count
 *     16  u64 hash of the table
 *     24  u64 file bytes    the whole file, trailer included
 *     32  u64 hash of bytes 0..31 of the trailer
 *
 * SGAE_SECTION_SHUFFLE4: the raw bytes (a multiple of 4: floats, int32s)
 * are cut into blocks of SGAE_SHUFFLE_BLOCK bytes (the last one shorter) and
 * each block is stored as its four byte planes (all first bytes of its
 * values, then all second bytes, ...) before compression, which usually
 * compresses floats better.
 *
 * A reader checks the header, the trailer and the table (hashes, every
 * offset and size against the real file size, raw sizes against what zstd
 * can expand the compressed bytes to) before it allocates anything sized by
 * the file, and each section's hash, frame and size when it reads it.
 * Sections it does not ask for are skipped, so formats add sections
 * without breaking older readers (bump the minor version); a change older
 * readers must refuse bumps the major version.
 *
 * Errors: SGAE_E_IO (cannot open, read, write), SGAE_E_FORMAT (other magic
 * bytes; a newer major version or layout, the message naming the file and
 * both versions; an unknown section encoding), SGAE_E_CORRUPT (truncation,
 * a hash mismatch, an inconsistent table or frame: the message names the
 * file and what is wrong), SGAE_E_NOMEM, SGAE_E_ARG, SGAE_E_DEP (zstd).
 */
#ifndef SGAE_CONTAINER_H
#define SGAE_CONTAINER_H

#include "sgae/export.h"

#include <stddef.h>
#include <stdint.h>

#include "sgae/error.h"
#include "sgae/util.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SGAE_SECTION_NAME_MAX 31
#define SGAE_SECTION_SHUFFLE4 1u
#define SGAE_SHUFFLE_BLOCK ((size_t)1 << 20)

/* XXH64 of data[0..len) with `seed` (the container's hash; xxhsum -H64 and
 * Python's xxhash.xxh64 compute the same values). */
SGAE_API uint64_t sgae_hash64(const void *data, size_t len, uint64_t seed);

/* What identifies a format: its magic bytes, its name for messages, its
 * version (written by sgae_container_create; for sgae_container_open the
 * newest major version the caller reads) and header flags (written). */
typedef struct {
    char magic[8];
    const char *name; /* e.g. ".sgr"; NULL: "container" */
    uint32_t major, minor;
    uint32_t flags;
} sgae_container_format;

/* Writer options; sgae_container_opts_defaults fills the defaults shown. */
typedef struct {
    int level;             /* 1: zstd compression level (ZSTD_minCLevel()..22) */
    int threads;           /* 1: zstd worker threads for large sections; any
                            * count >= 1 gives the same bytes */
    int64_t mt_min_bytes;  /* 4 MiB: sections of at least this many raw bytes
                            * are compressed by the workers */
    sgae_progress_sink progress; /* bytes of the sections written so far */
} sgae_container_opts;

SGAE_API void sgae_container_opts_defaults(sgae_container_opts *o);

/* ---- writing ---- */

typedef struct sgae_container_writer sgae_container_writer;

/* Start a container at `path` (through sgae/file.h: nothing appears under
 * `path` before sgae_container_commit).  opts NULL: defaults.  Errors:
 * those of sgae_file_begin, SGAE_E_ARG (bad options), SGAE_E_DEP. */
SGAE_API sgae_status sgae_container_create(const char *path, const sgae_container_format *fmt,
                                           const sgae_container_opts *opts,
                                           sgae_container_writer **out);

/* Append a section from memory: `bytes` raw bytes at data.  name: 1..31
 * bytes, not used before in this file; flags: SGAE_SECTION_SHUFFLE4 (then
 * bytes % 4 == 0) and/or the format's bits 16..31.  Errors: SGAE_E_ARG,
 * SGAE_E_IO, SGAE_E_NOMEM, SGAE_E_DEP.  A bad name or bad flags (found
 * before anything is written) leave the writer usable; after any other
 * error only abort is allowed. */
SGAE_API sgae_status sgae_container_add(sgae_container_writer *w, const char *name,
                                        uint32_t kind, uint32_t flags, const void *data,
                                        size_t bytes);

/* The same in parts: begin with the total raw size, write parts of any
 * size that add up to it, end.  Memory stays at a few MiB whatever the
 * section's size.  SGAE_E_ARG if the parts do not add up to raw_bytes. */
SGAE_API sgae_status sgae_container_section_begin(sgae_container_writer *w, const char *name,
                                                  uint32_t kind, uint32_t flags,
                                                  uint64_t raw_bytes);
SGAE_API sgae_status sgae_container_section_write(sgae_container_writer *w, const void *data,
                                                  size_t bytes);
SGAE_API sgae_status sgae_container_section_end(sgae_container_writer *w);

/* Write the table and the trailer and commit the file (sgae_file_commit);
 * frees w in every case.  A section begun and not ended is an error. */
SGAE_API sgae_status sgae_container_commit(sgae_container_writer *w);

/* Discard everything: `path` keeps its previous content; frees w.  NULL ok. */
SGAE_API void sgae_container_abort(sgae_container_writer *w);

/* ---- reading ---- */

typedef struct sgae_container sgae_container;

typedef struct {
    char name[SGAE_SECTION_NAME_MAX + 1];
    uint32_t kind, flags;
    uint64_t offset;    /* in the file */
    uint64_t bytes;     /* compressed */
    uint64_t raw_bytes; /* after decompression */
} sgae_section_info;

/* Open `path` and check it as described above: fmt->magic must match and
 * the file's major version must not exceed fmt->major.  *out NULL on
 * failure. */
SGAE_API sgae_status sgae_container_open(const char *path, const sgae_container_format *fmt,
                                         sgae_container **out);

SGAE_API void sgae_container_close(sgae_container *c); /* NULL ok */

/* The file's header: version and flags; its size in bytes. */
SGAE_API void sgae_container_version(const sgae_container *c, uint32_t *major, uint32_t *minor,
                                     uint32_t *flags);
SGAE_API uint64_t sgae_container_file_bytes(const sgae_container *c);
SGAE_API const char *sgae_container_path(const sgae_container *c);

/* Sections in file order: count, the i-th (0 <= i < count; NULL outside),
 * the one named `name` (NULL if there is none). */
SGAE_API int64_t sgae_container_count(const sgae_container *c);
SGAE_API const sgae_section_info *sgae_container_section(const sgae_container *c, int64_t i);
SGAE_API const sgae_section_info *sgae_container_find(const sgae_container *c,
                                                      const char *name);

/* Read the section `name` into buf (cap bytes, at least its raw_bytes):
 * check its hash, decompress, undo the shuffle.  Safe to call from several
 * threads at once on one container (e.g. one section each).  Errors:
 * SGAE_E_CORRUPT (no such section, damaged), SGAE_E_ARG (cap too small),
 * SGAE_E_FORMAT (unknown encoding), SGAE_E_IO, SGAE_E_NOMEM. */
SGAE_API sgae_status sgae_container_read(const sgae_container *c, const char *name, void *buf,
                                         size_t cap);

/* The same into a new 64-byte aligned buffer (*buf, free() it; *bytes its
 * raw size).  max_raw > 0: a section declaring more raw bytes is refused
 * (SGAE_E_CORRUPT) before anything is allocated. */
SGAE_API sgae_status sgae_container_read_alloc(const sgae_container *c, const char *name,
                                               uint64_t max_raw, void **buf, size_t *bytes);

#ifdef __cplusplus
}
#endif
#endif

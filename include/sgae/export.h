/*
 * sgae/export.h - visibility of libsgae's symbols.
 *
 * The library is compiled with hidden visibility by default; SGAE_API marks
 * the declarations of the public API (and only those), so `nm -D` on the
 * shared library lists exactly the functions documented in include/sgae/.
 */
#ifndef SGAE_EXPORT_H
#define SGAE_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define SGAE_API __attribute__((visibility("default")))
#else
#define SGAE_API
#endif

#endif

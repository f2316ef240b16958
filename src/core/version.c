/* sgae_version: the version the library was built as (sgae/version.h is
 * generated from meson.build). */
#include "sgae/version.h"

const char *sgae_version(void) { return SGAE_VERSION_STRING; }

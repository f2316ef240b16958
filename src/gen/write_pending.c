/* TEMPORARY during bring-up; replaced by src/io/write.c. */
#include "sgae/io.h"
sgae_status sgae_edgelist_save(const sgae_graph *g, const char *path) { (void)g; (void)path; return sgae_error_set(SGAE_E_FORMAT, "edge list writer: not built yet"); }

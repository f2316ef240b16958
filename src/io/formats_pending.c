/* TEMPORARY during bring-up: replaced by mtx.c, gml.c, linqs.c, features.c,
 * labels.c, sgr.c.  Must not survive the first commit of the io work. */
#include "raw.h"
sgae_status sgae_mtx_parse(sgae_reader *r, sgae_raw *raw) { (void)r; (void)raw; return sgae_error_set(SGAE_E_FORMAT, "mtx: not built yet"); }
sgae_status sgae_gml_parse(sgae_reader *r, const char *a, sgae_raw *raw) { (void)r; (void)a; (void)raw; return sgae_error_set(SGAE_E_FORMAT, "gml: not built yet"); }
sgae_status sgae_linqs_parse(const char *path, sgae_raw *raw) { (void)path; (void)raw; return sgae_error_set(SGAE_E_FORMAT, "linqs: not built yet"); }
sgae_status sgae_features_read(const char *path, sgae_features **out) { (void)path; *out = NULL; return sgae_error_set(SGAE_E_FORMAT, "features: not built yet"); }
sgae_status sgae_labels_read(const char *path, const sgae_graph *g, sgae_labels **out) { (void)path; (void)g; *out = NULL; return sgae_error_set(SGAE_E_FORMAT, "labels: not built yet"); }
sgae_status sgae_sgr_save(const sgae_graph *g, const char *path) { (void)g; (void)path; return sgae_error_set(SGAE_E_FORMAT, "sgr: not built yet"); }
sgae_status sgae_sgr_load(const char *path, sgae_graph **out) { (void)path; *out = NULL; return sgae_error_set(SGAE_E_FORMAT, "sgr: not built yet"); }
sgae_status sgae_labels_save(const sgae_graph *g, const sgae_labels *l, const char *path) { (void)g; (void)l; (void)path; return sgae_error_set(SGAE_E_FORMAT, "labels: not built yet"); }

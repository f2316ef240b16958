/* Private to src/dist: what dist.c and dist_model.c share. */
#ifndef SGAE_DIST_INTERNAL_H
#define SGAE_DIST_INTERNAL_H

/* qsort/bsearch order of int32_t ids (ascending). */
int sgae_dist_cmp_i32(const void *a, const void *b);

#endif

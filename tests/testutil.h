/* Minimal test harness: CHECK macros, data paths, dense comparisons, a
 * temporary directory and whole-file helpers, the Cora train/validation
 * split.  Every test program prints "N passed, N failed" and exits non-zero
 * on any failure. */
#ifndef SGAE_TESTUTIL_H
#define SGAE_TESTUTIL_H

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sgae.h"

static int t_pass, t_fail;

/* Counts a check; on failure prints file:line, the condition and, when
 * given, a printf-style detail. */
#define T_CHECK_(cond, text, ...)                                                         \
    do {                                                                                   \
        if (cond) {                                                                        \
            t_pass++;                                                                      \
        } else {                                                                           \
            t_fail++;                                                                      \
            fprintf(stderr, "%s:%d: CHECK failed: %s", __FILE__, __LINE__, text);          \
            __VA_ARGS__;                                                                   \
            fputc('\n', stderr);                                                           \
        }                                                                                  \
    } while (0)

#define CHECK(cond) T_CHECK_(cond, #cond, (void)0)
#define CHECK_MSG(cond, ...)                                                               \
    T_CHECK_(cond, #cond, fputs(": ", stderr), fprintf(stderr, __VA_ARGS__))

/* A call that must succeed; prints the library's message otherwise. */
#define CHECK_OK(expr)                                                                     \
    do {                                                                                   \
        sgae_status st_ = (expr);                                                          \
        CHECK_MSG(st_ == SGAE_OK, "%s: %s", sgae_status_string(st_), sgae_last_error());   \
    } while (0)

#define CHECK_INT(a, b)                                                                    \
    do {                                                                                   \
        long long a_ = (long long)(a), b_ = (long long)(b);                                \
        CHECK_MSG(a_ == b_, "%s = %lld, expected %lld", #a, a_, b_);                       \
    } while (0)

/* dir/name in one of 64 rotating static buffers. */
static inline const char *t_join(const char *dir, const char *name)
{
    static char buf[64][4096];
    static int k;
    k = (k + 1) % 64;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

/* Path of a shipped data set file: SGAE_SOURCE_DIR/datasets/<rel>. */
static inline const char *t_data(const char *rel) { return t_join(SGAE_SOURCE_DIR "/datasets", rel); }

/* Max relative error max|a-b| / max(max|b|, tiny). */
static inline double t_rel_err(const float *a, const float *b, long long n)
{
    double num = 0, den = 1e-30;
    for (long long i = 0; i < n; i++) {
        double d = fabs((double)a[i] - (double)b[i]);
        if (d > num)
            num = d;
        if (fabs((double)b[i]) > den)
            den = fabs((double)b[i]);
    }
    return num / den;
}

/* LFR options: the defaults, then each argument that is positive (mu: not
 * negative) in place of its default. */
static inline sgae_lfr_opts t_lfr_opts(int64_t nodes, double avg_degree, int64_t max_degree,
                                       int64_t min_community, int64_t max_community, double mu)
{
    sgae_lfr_opts p;
    sgae_lfr_opts_default(&p);
    if (nodes > 0)
        p.nodes = nodes;
    if (avg_degree > 0)
        p.avg_degree = avg_degree;
    if (max_degree > 0)
        p.max_degree = max_degree;
    if (min_community > 0)
        p.min_community = min_community;
    if (max_community > 0)
        p.max_community = max_community;
    if (mu >= 0)
        p.mu = mu;
    return p;
}

/* The largest degree of g and its isolated nodes. */
static inline void t_degree_stats(const sgae_graph *g, int64_t *max_degree, int64_t *isolated)
{
    *max_degree = *isolated = 0;
    for (int64_t i = 0; i < g->n; i++) {
        int64_t d = sgae_graph_degree(g, i);
        *max_degree = d > *max_degree ? d : *max_degree;
        *isolated += d == 0;
    }
}

/* Two graphs with the same nodes, adjacency, counts and id map. */
static inline int t_same_graph(const sgae_graph *a, const sgae_graph *b)
{
    if (a->n != b->n || a->adj.rowptr[a->n] != b->adj.rowptr[b->n] ||
        a->self_loops != b->self_loops || a->duplicates != b->duplicates)
        return 0;
    if (memcmp(a->adj.rowptr, b->adj.rowptr, (size_t)(a->n + 1) * sizeof(int64_t)) ||
        memcmp(a->adj.col, b->adj.col, (size_t)a->adj.rowptr[a->n] * sizeof(int32_t)))
        return 0;
    if ((a->ids == NULL) != (b->ids == NULL) || (a->names == NULL) != (b->names == NULL))
        return 0;
    if (a->ids && memcmp(a->ids, b->ids, (size_t)a->n * sizeof *a->ids))
        return 0;
    if (a->names)
        for (int64_t i = 0; i < a->n; i++)
            if (strcmp(a->names[i], b->names[i]))
                return 0;
    return 1;
}

/* The output of an allocation-failure case that makes one graph (the first
 * member of the case's context): after a success the graph equals ref (and
 * is freed), after a failure it is NULL. */
typedef struct {
    sgae_graph *g, *ref;
} t_graph_out;
static inline void t_graph_out_ok(void *p)
{
    t_graph_out *c = p;
    CHECK(t_same_graph(c->g, c->ref));
    sgae_graph_free(c->g);
    c->g = NULL;
}
static inline void t_graph_out_failed(void *p)
{
    t_graph_out *c = p;
    CHECK(c->g == NULL);
}

/* Training options: the defaults with `epochs` epochs. */
static inline sgae_train_opts t_train_opts(int64_t epochs)
{
    sgae_train_opts o;
    sgae_train_opts_default(&o);
    o.epochs = epochs;
    return o;
}

/* ---- a temporary directory and whole files ---- */

static char t_tmpdir[256];

/* Create a fresh temporary directory /tmp/sgae-<tag>-XXXXXX (removed by
 * t_tmp_cleanup). */
static inline const char *t_tmp_init(const char *tag)
{
    snprintf(t_tmpdir, sizeof t_tmpdir, "/tmp/sgae-%s-XXXXXX", tag);
    if (!mkdtemp(t_tmpdir)) {
        perror("mkdtemp");
        exit(1);
    }
    return t_tmpdir;
}

static inline void t_tmp_cleanup(void)
{
    char cmd[300];
    if (!t_tmpdir[0])
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", t_tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", t_tmpdir);
}

/* Path of a file in the temporary directory. */
static inline const char *t_tmp(const char *name) { return t_join(t_tmpdir, name); }

/* Replace path by a new file with these bytes (unlinked first: truncating
 * a file on ext4 waits for its old data to reach the disk). */
static inline void t_write(const char *path, const void *data, size_t len)
{
    unlink(path);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static inline void t_write_str(const char *path, const char *s) { t_write(path, s, strlen(s)); }

/* The whole content of a file, NUL-terminated (NULL if it cannot be
 * opened); *len (if not NULL) its size. */
static inline void *t_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (len)
        *len = 0;
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, k;
    char *buf = malloc(cap);
    while ((k = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += k;
        if (n + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* 1 if the file at path holds exactly these bytes. */
static inline int t_same_file(const char *path, const void *want, size_t want_len)
{
    size_t len;
    char *got = t_slurp(path, &len);
    int same = got && len == want_len && memcmp(got, want, len) == 0;
    free(got);
    return same;
}

/* Entries of `dir` whose name contains `part` ("" for all but . and ..;
 * ".tmp." for the atomic writer's temporaries). */
static inline int t_count_files(const char *dir, const char *part)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int k = 0;
    while (d && (e = readdir(d)))
        k += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
             strstr(e->d_name, part) != NULL;
    if (d)
        closedir(d);
    return k;
}

/* ---- Cora (shipped data) with an edge split and its training graph ---- */

typedef struct {
    sgae_dataset ds;
    sgae_split split;
    sgae_graph *tg;
} t_cora;

/* Graph and features, a split with `val` validation and 10% test edges,
 * the training graph; 1 on success. */
static inline int t_cora_load(t_cora *c, double val, uint64_t seed)
{
    memset(c, 0, sizeof *c);
    sgae_load_opts lo = {0};
    lo.graph = t_data("planetoid/cora.edges.zst");
    lo.features = t_data("planetoid/cora.features.mtx.zst");
    CHECK_OK(sgae_dataset_load(&lo, &c->ds));
    if (!c->ds.graph)
        return 0;
    CHECK_OK(sgae_split_edges(c->ds.graph, val, 0.10, seed, &c->split));
    CHECK_OK(sgae_split_train_graph(&c->split, c->ds.graph, &c->tg));
    return c->tg != NULL;
}

static inline void t_cora_free(t_cora *c)
{
    sgae_graph_free(c->tg);
    sgae_split_clear(&c->split);
    sgae_dataset_clear(&c->ds);
}

/* Three trainers on Cora with the same input and options: *full trained
 * to the end, *part for `epochs` epochs, *fresh not at all; 1 if all three
 * were created (the caller frees them in any case). */
/* The model input of Cora: its features, or none. */
static inline sgae_model_input t_cora_input(const t_cora *c, int features)
{
    sgae_model_input in = {0};
    if (features)
        in.sparse = &c->ds.features->x;
    return in;
}

static inline int t_cora_trainers(t_cora *c, const sgae_model_input *in, const sgae_train_opts *o,
                                  int epochs, sgae_trainer **full, sgae_trainer **part,
                                  sgae_trainer **fresh)
{
    CHECK_OK(sgae_trainer_create(c->tg, in, &c->split, o, full));
    CHECK_OK(sgae_trainer_create(c->tg, in, &c->split, o, part));
    CHECK_OK(sgae_trainer_create(c->tg, in, &c->split, o, fresh));
    if (!*full || !*part || !*fresh)
        return 0;
    while (!sgae_trainer_done(*full))
        CHECK_OK(sgae_trainer_step(*full, NULL));
    for (int e = 0; e < epochs; e++)
        CHECK_OK(sgae_trainer_step(*part, NULL));
    return 1;
}

static inline int t_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
    return t_fail ? 1 : 0;
}

#endif

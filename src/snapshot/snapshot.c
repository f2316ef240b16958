/* Snapshots of a training run (format: sgae/snapshot.h) on the core's
 * sectioned container: save, open, exact restore, warm start, export. */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "sgae/container.h"
#include "sgae/snapshot.h"
#include "sgae/util.h"

static const sgae_container_format SNAP_FORMAT = {
    {'S', 'G', 'A', 'E', 'S', 'N', 'A', 'P'}, "snapshot", SGAE_SNAPSHOT_VERSION_MAJOR,
    SGAE_SNAPSHOT_VERSION_MINOR, 0};

/* Kinds of the "ids" section. */
enum { IDS_IDENTITY = 0, IDS_NUMBERS = 1, IDS_NAMES = 2 };

/* Sections at least this large use zstd's workers and, for floats, the
 * byte-plane shuffle. */
#define SNAP_BIG ((size_t)1 << 20)

void sgae_snapshot_opts_default(sgae_snapshot_opts *o)
{
    memset(o, 0, sizeof *o);
    o->level = 1;
    o->threads = 0;
    o->shuffle = 1;
    o->keep = 1;
    o->embeddings = 1;
}

/* ---- fingerprints --------------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t x)
{
    h ^= x + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h ^= h >> 31;
    h *= 0xbf58476d1ce4e5b9ULL;
    return h ^ (h >> 29);
}

static uint64_t hash_arr(uint64_t h, const void *p, size_t bytes)
{
    return mix(mix(h, (uint64_t)bytes), p ? sgae_hash64(p, bytes, 0) : 0);
}

static uint64_t graph_hash(const sgae_graph *g)
{
    uint64_t h = mix(0, (uint64_t)g->n);
    h = hash_arr(h, g->adj.rowptr, (size_t)(g->n + 1) * sizeof *g->adj.rowptr);
    h = hash_arr(h, g->adj.col, (size_t)sgae_csr_nnz(&g->adj) * sizeof *g->adj.col);
    /* a weighted graph's weights (an unweighted graph's hash is unchanged) */
    return g->adj.val ? hash_arr(h, g->adj.val, (size_t)sgae_csr_nnz(&g->adj) * sizeof(float))
                      : h;
}

static uint64_t pairs_hash(uint64_t h, const sgae_pairs *p)
{
    h = hash_arr(h, p->u, (size_t)p->count * sizeof *p->u);
    return hash_arr(h, p->v, (size_t)p->count * sizeof *p->v);
}

static uint64_t split_hash(const sgae_split *s)
{
    uint64_t h = mix(0, (uint64_t)s->n);
    h = pairs_hash(h, &s->val_pos);
    h = pairs_hash(h, &s->val_neg);
    h = pairs_hash(h, &s->test_pos);
    return pairs_hash(h, &s->test_neg);
}

/* Kind ("none", "sparse", "dense"), dimension and hash of the input. */
static uint64_t features_hash(const sgae_model_input *in, const char **kind, int64_t *dim)
{
    if (in->sparse) {
        const sgae_csr *x = in->sparse;
        int64_t nnz = sgae_csr_nnz(x);
        *kind = "sparse";
        *dim = x->ncols;
        uint64_t h = mix(mix(1, (uint64_t)x->nrows), (uint64_t)x->ncols);
        h = hash_arr(h, x->rowptr, (size_t)(x->nrows + 1) * sizeof *x->rowptr);
        h = hash_arr(h, x->col, (size_t)nnz * sizeof *x->col);
        return hash_arr(h, x->val, x->val ? (size_t)nnz * sizeof *x->val : 0);
    }
    if (in->dense) {
        *kind = "dense";
        *dim = in->dense_dim;
        return mix(2, (uint64_t)in->dense_dim); /* rows are the graph's; values below */
    }
    *kind = "none";
    *dim = 0;
    return 0;
}

/* ---- the "run" section ------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t len, cap;
    int oom;
} text;

static void tprintf(text *t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void tprintf(text *t, const char *fmt, ...)
{
    if (t->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            t->oom = 1;
            return;
        }
        if (t->buf && t->len + (size_t)k < t->cap) {
            t->len += (size_t)k;
            return;
        }
        size_t nc = (t->cap ? 2 * t->cap : 4096) + (size_t)k;
        char *nb = sgae_realloc(t->buf, nc, 1, "snapshot header");
        if (!nb) {
            t->oom = 1;
            return;
        }
        t->buf = nb;
        t->cap = nc;
    }
}

/* One option: name, and where it lives in sgae_train_opts. */
typedef enum { OPT_I64, OPT_INT, OPT_DBL, OPT_U64 } opt_type;
typedef struct {
    const char *name;
    opt_type type;
    size_t off;
    int since_minor; /* written from this minor version on; older files lack it */
} opt_desc;

#define OD(name, type, field) {name, type, offsetof(sgae_train_opts, field), 0}
#define OD1(name, type, field) {name, type, offsetof(sgae_train_opts, field), 1}
static const opt_desc opt_table[] = {
    OD("kind", OPT_INT, model.kind),
    OD("hidden", OPT_I64, model.hidden),
    OD("latent", OPT_I64, model.latent),
    OD("neg_ratio", OPT_DBL, model.neg_ratio),
    OD("neg_iid", OPT_INT, model.neg_iid),
    OD("neg_degree", OPT_INT, model.neg_degree),
    OD("neg_reject", OPT_INT, model.neg_reject),
    OD("self_loops", OPT_INT, model.self_loops),
    OD("pos_weight", OPT_DBL, model.pos_weight),
    OD("lr", OPT_DBL, model.lr),
    OD("beta1", OPT_DBL, model.beta1),
    OD("beta2", OPT_DBL, model.beta2),
    OD("adam_eps", OPT_DBL, model.adam_eps),
    OD("weight_decay", OPT_DBL, model.weight_decay),
    OD("dropout", OPT_DBL, model.dropout),
    OD("max_logstd", OPT_DBL, model.max_logstd),
    OD("seed", OPT_U64, model.seed),
    OD("epochs", OPT_I64, epochs),
    OD("patience", OPT_I64, patience),
    OD("eval_every", OPT_I64, eval_every),
    OD1("min_epochs", OPT_I64, min_epochs),
};
#define NOPT ((int)(sizeof opt_table / sizeof opt_table[0]))

static void opt_print(text *t, const sgae_train_opts *o, const opt_desc *d)
{
    const char *p = (const char *)o + d->off;
    switch (d->type) {
    case OPT_I64: tprintf(t, "%s %" PRId64 "\n", d->name, *(const int64_t *)p); break;
    case OPT_INT: tprintf(t, "%s %d\n", d->name, *(const int *)p); break;
    case OPT_DBL: tprintf(t, "%s %a\n", d->name, *(const double *)p); break;
    case OPT_U64: tprintf(t, "%s %" PRIu64 "\n", d->name, *(const uint64_t *)p); break;
    }
}

/* 1 if option d has the same value in a and b; its two values as text. */
static int opt_same(const sgae_train_opts *a, const sgae_train_opts *b, const opt_desc *d,
                    char *va, char *vb, size_t cap)
{
    const char *pa = (const char *)a + d->off, *pb = (const char *)b + d->off;
    switch (d->type) {
    case OPT_I64:
        snprintf(va, cap, "%" PRId64, *(const int64_t *)pa);
        snprintf(vb, cap, "%" PRId64, *(const int64_t *)pb);
        return *(const int64_t *)pa == *(const int64_t *)pb;
    case OPT_INT:
        snprintf(va, cap, "%d", *(const int *)pa);
        snprintf(vb, cap, "%d", *(const int *)pb);
        return *(const int *)pa == *(const int *)pb;
    case OPT_DBL:
        snprintf(va, cap, "%.17g", *(const double *)pa);
        snprintf(vb, cap, "%.17g", *(const double *)pb);
        return memcmp(pa, pb, sizeof(double)) == 0;
    case OPT_U64:
        snprintf(va, cap, "%" PRIu64, *(const uint64_t *)pa);
        snprintf(vb, cap, "%" PRIu64, *(const uint64_t *)pb);
        return *(const uint64_t *)pa == *(const uint64_t *)pb;
    }
    return 0;
}

/* Parse one option value into *o; 0 on a malformed value. */
static int opt_parse(sgae_train_opts *o, const opt_desc *d, const char *v)
{
    char *end = NULL;
    char *p = (char *)o + d->off;
    errno = 0;
    switch (d->type) {
    case OPT_I64: *(int64_t *)p = strtoll(v, &end, 10); break;
    case OPT_INT: *(int *)p = (int)strtol(v, &end, 10); break;
    case OPT_DBL: *(double *)p = strtod(v, &end); break;
    case OPT_U64: *(uint64_t *)p = strtoull(v, &end, 10); break;
    }
    return end && end != v && *end == '\0' && errno == 0;
}

/* The fingerprint of a trainer's graph, split and input. */
typedef struct {
    int64_t nodes, edges, val_edges, test_edges, features;
    uint64_t graph_hash, split_hash, features_hash;
    char features_kind[16];
} fingerprint;

static void fingerprint_of(const sgae_trainer *t, fingerprint *f)
{
    const sgae_graph *g = sgae_trainer_graph(t);
    const sgae_split *s = sgae_trainer_split(t);
    const sgae_model_input *in = sgae_trainer_input(t);
    const char *kind;
    memset(f, 0, sizeof *f);
    f->nodes = g->n;
    f->edges = sgae_graph_edges(g);
    f->val_edges = s->val_pos.count;
    f->test_edges = s->test_pos.count;
    f->graph_hash = graph_hash(g);
    f->split_hash = split_hash(s);
    f->features_hash = features_hash(in, &kind, &f->features);
    if (in->dense)
        f->features_hash = hash_arr(f->features_hash, in->dense,
                                    (size_t)(g->n * in->dense_dim) * sizeof *in->dense);
    snprintf(f->features_kind, sizeof f->features_kind, "%s", kind);
}

/* ---- save ------------------------------------------------------------------ */

static sgae_status add_section(sgae_container_writer *w, const char *name, uint32_t kind,
                               const void *data, size_t bytes, int floats,
                               const sgae_snapshot_opts *o)
{
    uint32_t flags = (floats && o->shuffle && bytes >= SNAP_BIG && bytes % 4 == 0)
                         ? SGAE_SECTION_SHUFFLE4
                         : 0;
    return sgae_container_add(w, name, kind, flags, data, bytes);
}

/* The "run" text of trainer t. */
static sgae_status run_text(sgae_trainer *t, text *tx)
{
    sgae_train_opts o;
    sgae_trainer_options(t, &o);
    fingerprint f;
    fingerprint_of(t, &f);
    tprintf(tx, "sgae_snapshot %d.%d\n", SGAE_SNAPSHOT_VERSION_MAJOR,
            SGAE_SNAPSHOT_VERSION_MINOR);
    for (int k = 0; k < NOPT; k++)
        opt_print(tx, &o, &opt_table[k]);
    tprintf(tx, "epoch %" PRId64 "\n", sgae_trainer_epoch(t));
    tprintf(tx, "nodes %" PRId64 "\nedges %" PRId64 "\ngraph_hash %016" PRIx64 "\n", f.nodes,
            f.edges, f.graph_hash);
    tprintf(tx, "val_edges %" PRId64 "\ntest_edges %" PRId64 "\nsplit_hash %016" PRIx64 "\n",
            f.val_edges, f.test_edges, f.split_hash);
    tprintf(tx, "features %s %" PRId64 "\nfeatures_hash %016" PRIx64 "\n", f.features_kind,
            f.features, f.features_hash);
    const double *bm = sgae_trainer_state_view(t, sgae_trainer_state_find(t, "best.metrics"));
    const int64_t *be = sgae_trainer_state_view(t, sgae_trainer_state_find(t, "best.epoch"));
    tprintf(tx, "best_val_auc %a\nbest_val_ap %a\nbest_epoch %" PRId64 "\n", bm[0], bm[1], *be);
    for (int k = 0; k < sgae_trainer_state_count(t); k++) {
        sgae_state_info si;
        sgae_trainer_state_info(t, k, &si);
        tprintf(tx, "array %s %s %" PRId64 " %" PRId64 "\n", si.name,
                si.dtype == SGAE_DTYPE_F32 ? "f32" : si.dtype == SGAE_DTYPE_F64 ? "f64" : "i64",
                si.rows, si.cols);
    }
    return tx->oom ? SGAE_E_NOMEM : SGAE_OK;
}

/* The id map of g as the "ids" section payload (kind and bytes). */
static sgae_status ids_payload(const sgae_graph *g, uint32_t *kind, void **data, size_t *bytes)
{
    *data = NULL;
    *bytes = 0;
    if (g->names) {
        size_t total = 0;
        for (int64_t i = 0; i < g->n; i++)
            total += strlen(g->names[i]) + 1;
        char *b = sgae_alloc(total ? total : 1, 1, "snapshot id map");
        if (!b)
            return SGAE_E_NOMEM;
        size_t off = 0;
        for (int64_t i = 0; i < g->n; i++) {
            size_t l = strlen(g->names[i]) + 1;
            memcpy(b + off, g->names[i], l);
            off += l;
        }
        *kind = IDS_NAMES;
        *data = b;
        *bytes = total;
    } else if (g->ids) {
        *kind = IDS_NUMBERS;
        *data = (void *)g->ids; /* not owned */
        *bytes = (size_t)g->n * sizeof *g->ids;
    } else if (g->id_base) {
        /* an implicit map from id_base: written out (owned) */
        uint64_t *b = sgae_alloc((size_t)g->n + 1, sizeof *b, "snapshot id map");
        if (!b)
            return SGAE_E_NOMEM;
        for (int64_t i = 0; i < g->n; i++)
            b[i] = sgae_graph_id(g, i);
        *kind = IDS_NUMBERS;
        *data = b;
        *bytes = (size_t)g->n * sizeof *b;
    } else {
        *kind = IDS_IDENTITY;
    }
    return SGAE_OK;
}

/* PATH.k for the kept older snapshots. */
static char *numbered(const char *path, int k)
{
    size_t len = strlen(path) + 24;
    char *p = sgae_alloc(len, 1, "snapshot path");
    if (p)
        snprintf(p, len, "%s.%d", path, k);
    return p;
}

/* Keep the K-1 previous snapshots: PATH.(K-2) -> PATH.(K-1), ...,
 * PATH -> PATH.1 (a hard link, so PATH itself never disappears). */
static sgae_status rotate(const char *path, int keep)
{
    sgae_status st = SGAE_OK;
    char *a = NULL, *b = NULL;
    if (keep <= 1)
        return SGAE_OK;
    for (int k = keep - 1; k >= 2; k--) {
        a = numbered(path, k - 1);
        b = numbered(path, k);
        if (!a || !b)
            SGAE_FAIL(SGAE_E_NOMEM, "snapshot path");
        if (rename(a, b) != 0 && errno != ENOENT)
            SGAE_FAIL(SGAE_E_IO, "%s: cannot rename to %s: %s", a, b, strerror(errno));
        free(a);
        free(b);
        a = b = NULL;
    }
    a = numbered(path, 1);
    if (!a)
        SGAE_FAIL(SGAE_E_NOMEM, "snapshot path");
    if (unlink(a) != 0 && errno != ENOENT)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot remove: %s", a, strerror(errno));
    if (link(path, a) != 0 && errno != ENOENT)
        SGAE_FAIL(SGAE_E_IO, "%s: cannot link to %s: %s", path, a, strerror(errno));
done:
    free(a);
    free(b);
    return st;
}

/* Remove temporaries of `path` that a killed earlier write left behind
 * (PATH.tmp.XXXXXX, the file helper's names): one writer per checkpoint
 * path is assumed. */
static void remove_stale_temporaries(const char *path)
{
    char dir[4096], pre[1024];
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    if (!dir[0])
        snprintf(dir, sizeof dir, "/");
    int n = snprintf(pre, sizeof pre, "%s.tmp.", base);
    if (n <= 0 || (size_t)n >= sizeof pre)
        return;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, pre, (size_t)n) != 0 || strlen(e->d_name) != (size_t)n + 6)
            continue;
        char full[8192];
        snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
        (void)unlink(full); /* best effort: a leftover only costs disk space */
    }
    closedir(d);
}

sgae_status sgae_snapshot_save(const char *path, sgae_trainer *t, const sgae_snapshot_opts *opts)
{
    sgae_status st = SGAE_OK;
    sgae_container_writer *w = NULL;
    text tx = {0};
    void *ids = NULL;
    size_t ids_bytes = 0;
    uint32_t ids_kind = 0;
    char name[64];
    sgae_snapshot_opts o;
    if (opts)
        o = *opts;
    else
        sgae_snapshot_opts_default(&o);
    const sgae_graph *g = sgae_trainer_graph(t);
    remove_stale_temporaries(path);
    SGAE_CHECK(run_text(t, &tx));
    SGAE_CHECK(ids_payload(g, &ids_kind, &ids, &ids_bytes));
    sgae_container_opts co;
    sgae_container_opts_defaults(&co);
    co.level = o.level;
    co.threads = o.threads > 0 ? o.threads : SGAE_NTHREADS();
    co.mt_min_bytes = (int64_t)SNAP_BIG;
    SGAE_CHECK(sgae_container_create(path, &SNAP_FORMAT, &co, &w));
    SGAE_CHECK(add_section(w, "run", 0, tx.buf, tx.len, 0, &o));
    SGAE_CHECK(add_section(w, "ids", ids_kind, ids, ids_bytes, 0, &o));
    for (int k = 0; k < sgae_trainer_state_count(t); k++) {
        sgae_state_info si;
        SGAE_CHECK(sgae_trainer_state_info(t, k, &si));
        snprintf(name, sizeof name, "state/%s", si.name);
        SGAE_CHECK(add_section(w, name, (uint32_t)si.dtype, sgae_trainer_state_view(t, k),
                               si.bytes, si.dtype == SGAE_DTYPE_F32, &o));
    }
    if (o.embeddings) {
        /* a forward pass: derivable from w0, w1 and the graph, stored for
         * export without the graph */
        const float *emb;
        int64_t rows, cols;
        SGAE_CHECK(sgae_trainer_embeddings(t, SGAE_EMB_MU, &emb, &rows, &cols));
        SGAE_CHECK(add_section(w, "mu", 0, emb, (size_t)(rows * cols) * sizeof *emb, 1, &o));
        if (sgae_model_logstd(sgae_trainer_model(t))) {
            SGAE_CHECK(sgae_trainer_embeddings(t, SGAE_EMB_LOGSTD, &emb, &rows, &cols));
            SGAE_CHECK(
                add_section(w, "logstd", 0, emb, (size_t)(rows * cols) * sizeof *emb, 1, &o));
        }
    }
    SGAE_CHECK(rotate(path, o.keep));
    st = sgae_container_commit(w); /* frees w in every case */
    w = NULL;
done:
    sgae_container_abort(w);
    free(tx.buf);
    if (ids != (void *)g->ids)
        free(ids);
    return st;
}

/* ---- open ------------------------------------------------------------------ */

typedef struct {
    char name[40];
    char dtype[4];
    int64_t rows, cols;
} array_desc;

struct sgae_snapshot {
    char *path;
    sgae_container *c;
    sgae_snapshot_info info;
    char features_kind[16];
    array_desc *arrays;
    int narrays;
    unsigned unknown_opts; /* bit k: opt_table[k] absent (a file of an older minor version) */
};

void sgae_snapshot_free(sgae_snapshot *s)
{
    if (!s)
        return;
    sgae_container_close(s->c);
    SGAE_FREE_ALL(s->arrays, s->path, s);
}

/* Read section `name` whole into a new buffer; its raw size must be `want`
 * bytes when want != (size_t)-1. */
static sgae_status read_section(sgae_snapshot *s, const char *name, size_t want, void **out,
                                size_t *bytes, uint32_t *kind)
{
    *out = NULL;
    const sgae_section_info *si = sgae_container_find(s->c, name);
    if (!si)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: snapshot has no section '%s'", s->path,
                              name);
    if (want != (size_t)-1 && si->raw_bytes != (uint64_t)want)
        return sgae_error_set(SGAE_E_CORRUPT,
                              "%s: section '%s' has %" PRIu64 " bytes, expected %zu", s->path,
                              name, si->raw_bytes, want);
    if (kind)
        *kind = si->kind;
    size_t got = 0;
    sgae_status st = sgae_container_read_alloc(s->c, name, si->raw_bytes ? si->raw_bytes : 1,
                                               out, &got);
    if (bytes)
        *bytes = got;
    return st;
}

/* Parse the "run" text into s->info and s->arrays. */
static sgae_status parse_run(sgae_snapshot *s, char *txt, size_t len)
{
    sgae_status st = SGAE_OK;
    sgae_snapshot_info *inf = &s->info;
    int seen[NOPT] = {0};
    int have_epoch = 0, have_fp = 0, cap = 0, line = 0;
    sgae_train_opts_default(&inf->opts);
    for (size_t pos = 0; pos < len;) {
        char *eol = memchr(txt + pos, '\n', len - pos);
        if (!eol)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot header line %d is not terminated", s->path,
                      line + 1);
        *eol = '\0';
        char *l = txt + pos;
        pos = (size_t)(eol - txt) + 1;
        line++;
        char key[40], a[64], b[64], c[64], d[64];
        int nf = sscanf(l, "%39s %63s %63s %63s %63s", key, a, b, c, d);
        if (nf < 2)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot header line %d is malformed", s->path, line);
        int k;
        for (k = 0; k < NOPT; k++)
            if (strcmp(key, opt_table[k].name) == 0)
                break;
        if (k < NOPT) {
            if (!opt_parse(&inf->opts, &opt_table[k], a))
                SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot option %s has a bad value '%s'",
                          s->path, key, a);
            seen[k] = 1;
        } else if (strcmp(key, "epoch") == 0) {
            inf->epoch = strtoll(a, NULL, 10);
            have_epoch = 1;
        } else if (strcmp(key, "nodes") == 0) {
            inf->nodes = strtoll(a, NULL, 10);
            have_fp |= 1;
        } else if (strcmp(key, "edges") == 0) {
            inf->edges = strtoll(a, NULL, 10);
        } else if (strcmp(key, "graph_hash") == 0) {
            inf->graph_hash = strtoull(a, NULL, 16);
            have_fp |= 2;
        } else if (strcmp(key, "val_edges") == 0) {
            inf->val_edges = strtoll(a, NULL, 10);
        } else if (strcmp(key, "test_edges") == 0) {
            inf->test_edges = strtoll(a, NULL, 10);
        } else if (strcmp(key, "split_hash") == 0) {
            inf->split_hash = strtoull(a, NULL, 16);
            have_fp |= 4;
        } else if (strcmp(key, "features") == 0 && nf >= 3) {
            snprintf(s->features_kind, sizeof s->features_kind, "%.15s", a);
            inf->features = strtoll(b, NULL, 10);
        } else if (strcmp(key, "features_hash") == 0) {
            inf->features_hash = strtoull(a, NULL, 16);
        } else if (strcmp(key, "best_val_auc") == 0) {
            inf->best_val_auc = strtod(a, NULL);
        } else if (strcmp(key, "best_val_ap") == 0) {
            inf->best_val_ap = strtod(a, NULL);
        } else if (strcmp(key, "best_epoch") == 0) {
            inf->best_epoch = strtoll(a, NULL, 10);
        } else if (strcmp(key, "array") == 0 && nf == 5) {
            if (s->narrays == cap) {
                cap = cap ? 2 * cap : 16;
                array_desc *na = sgae_realloc(s->arrays, (size_t)cap, sizeof *na, "snapshot");
                if (!na)
                    SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
                s->arrays = na;
            }
            array_desc *ad = &s->arrays[s->narrays++];
            snprintf(ad->name, sizeof ad->name, "%.39s", a);
            snprintf(ad->dtype, sizeof ad->dtype, "%.3s", b);
            ad->rows = strtoll(c, NULL, 10);
            ad->cols = strtoll(d, NULL, 10);
            if (ad->rows < 0 || ad->cols < 0)
                SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot array %s has a negative shape", s->path,
                          a);
        }
        /* other keys: written by a newer minor version; skipped */
    }
    for (int k = 0; k < NOPT; k++) {
        if (seen[k])
            continue;
        if (opt_table[k].since_minor > inf->version_minor) {
            s->unknown_opts |= 1u << k; /* an older file: not checked on resume */
            continue;
        }
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot header lacks option %s", s->path,
                  opt_table[k].name);
    }
    if (!have_epoch || have_fp != 7)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot header lacks the epoch or the fingerprint",
                  s->path);
    if (inf->epoch < 0 || inf->nodes < 2 || inf->epoch > inf->opts.epochs)
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot header has epoch %" PRId64 " of %" PRId64
                  " on %" PRId64 " nodes", s->path, inf->epoch, inf->opts.epochs, inf->nodes);
done:
    return st;
}

sgae_status sgae_snapshot_open(const char *path, sgae_snapshot **out)
{
    sgae_status st = SGAE_OK;
    sgae_snapshot *s = NULL;
    char *run = NULL;
    size_t run_bytes = 0;
    *out = NULL;
    s = sgae_calloc(1, sizeof *s, "snapshot");
    if (!s)
        return SGAE_E_NOMEM;
    s->path = sgae_strdup(path);
    if (!s->path)
        SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
    SGAE_CHECK(sgae_container_open(path, &SNAP_FORMAT, &s->c));
    uint32_t major, minor, flags;
    sgae_container_version(s->c, &major, &minor, &flags);
    s->info.version_major = (int)major;
    s->info.version_minor = (int)minor;
    s->info.file_bytes = (int64_t)sgae_container_file_bytes(s->c);
    s->info.sections = (int)sgae_container_count(s->c);
    for (int k = 0; k < s->info.sections; k++)
        s->info.raw_bytes += (int64_t)sgae_container_section(s->c, k)->raw_bytes;
    SGAE_CHECK(read_section(s, "run", (size_t)-1, (void **)&run, &run_bytes, NULL));
    SGAE_CHECK(parse_run(s, run, run_bytes));
    *out = s;
    s = NULL;
done:
    free(run);
    sgae_snapshot_free(s);
    return st;
}

void sgae_snapshot_info_get(const sgae_snapshot *s, sgae_snapshot_info *info) { *info = s->info; }

sgae_status sgae_snapshot_section_get(const sgae_snapshot *s, int index,
                                      sgae_snapshot_section *sec)
{
    const sgae_section_info *si = sgae_container_section(s->c, index);
    if (!si)
        return sgae_error_set(SGAE_E_ARG, "%s: no section %d", s->path, index);
    sec->name = si->name;
    sec->bytes = (int64_t)si->bytes;
    sec->raw_bytes = (int64_t)si->raw_bytes;
    return SGAE_OK;
}

/* ---- restore --------------------------------------------------------------- */

static const array_desc *find_array(const sgae_snapshot *s, const char *name)
{
    for (int k = 0; k < s->narrays; k++)
        if (strcmp(s->arrays[k].name, name) == 0)
            return &s->arrays[k];
    return NULL;
}

/* Read state array `name` of the snapshot into a new buffer of exactly
 * rows x cols elements of the trainer's dtype for it. */
static sgae_status read_array(sgae_snapshot *s, const char *name, size_t elem, int64_t rows,
                              int64_t cols, void **out)
{
    char sec[64];
    const array_desc *ad = find_array(s, name);
    if (!ad)
        return sgae_error_set(SGAE_E_CORRUPT, "%s: snapshot has no array %s", s->path, name);
    if (ad->rows != rows || ad->cols != cols)
        return sgae_error_set(SGAE_E_ARG,
                              "%s: array %s is %" PRId64 " x %" PRId64
                              " in the snapshot but %" PRId64 " x %" PRId64 " here",
                              s->path, name, ad->rows, ad->cols, rows, cols);
    snprintf(sec, sizeof sec, "state/%s", name);
    return read_section(s, sec, (size_t)rows * (size_t)cols * elem, out, NULL, NULL);
}

static sgae_status check_same_run(const sgae_snapshot *s, sgae_trainer *t)
{
    fingerprint f;
    fingerprint_of(t, &f);
    const sgae_snapshot_info *i = &s->info;
    if (f.nodes != i->nodes || f.edges != i->edges || f.graph_hash != i->graph_hash)
        return sgae_error_set(SGAE_E_ARG,
                              "%s: snapshot of another training graph (%" PRId64
                              " nodes, %" PRId64 " edges, hash %016" PRIx64 "; here %" PRId64
                              " nodes, %" PRId64 " edges, hash %016" PRIx64
                              "): resume needs the same graph, split and seed; use "
                              "--warm-start for a changed graph",
                              s->path, i->nodes, i->edges, i->graph_hash, f.nodes, f.edges,
                              f.graph_hash);
    if (f.val_edges != i->val_edges || f.test_edges != i->test_edges ||
        f.split_hash != i->split_hash)
        return sgae_error_set(SGAE_E_ARG,
                              "%s: snapshot of another split (%" PRId64 " validation, %" PRId64
                              " test edges; here %" PRId64 ", %" PRId64
                              "): use the same --val, --test and --seed",
                              s->path, i->val_edges, i->test_edges, f.val_edges, f.test_edges);
    if (strcmp(f.features_kind, s->features_kind) != 0 || f.features != i->features ||
        f.features_hash != i->features_hash)
        return sgae_error_set(SGAE_E_ARG,
                              "%s: snapshot trained with other features (%s, %" PRId64
                              " columns; here %s, %" PRId64 ")",
                              s->path, s->features_kind, i->features, f.features_kind,
                              f.features);
    sgae_train_opts o;
    sgae_trainer_options(t, &o);
    char va[64], vb[64];
    for (int k = 0; k < NOPT; k++) {
        if (strcmp(opt_table[k].name, "epochs") == 0 || (s->unknown_opts & (1u << k)))
            continue;
        if (!opt_same(&i->opts, &o, &opt_table[k], va, vb, sizeof va))
            return sgae_error_set(SGAE_E_ARG,
                                  "%s: option %s is %s in the snapshot but %s here: resume "
                                  "needs the same options (only --epochs may change)",
                                  s->path, opt_table[k].name, va, vb);
    }
    if (o.epochs < i->epoch)
        return sgae_error_set(SGAE_E_ARG,
                              "%s: the snapshot is at epoch %" PRId64 ", beyond --epochs %" PRId64,
                              s->path, i->epoch, o.epochs);
    return SGAE_OK;
}

/* The model's own writable storage for state array `name` (weights and
 * Adam moments), or NULL for arrays restored through a buffer. */
static float *model_storage(sgae_trainer *t, const char *name)
{
    sgae_model *m = sgae_trainer_model(t);
    int64_t r, c;
    if (strcmp(name, "w0") == 0 || strcmp(name, "w1") == 0)
        return sgae_model_param(m, name[1] - '0', &r, &c);
    if (strncmp(name, "adam.", 5) == 0 && (name[5] == 'm' || name[5] == 'v') &&
        (name[6] == '0' || name[6] == '1') && name[7] == '\0')
        return sgae_model_adam_moment(m, name[6] - '0', name[5] == 'm' ? 1 : 2);
    return NULL;
}

/* One state array to read: section, destination, raw bytes. */
typedef struct {
    char sec[64];
    void *dst;
    size_t bytes;
    int idx, owned, st;
} restore_job;

sgae_status sgae_snapshot_restore(sgae_snapshot *s, sgae_trainer *t)
{
    sgae_status st = SGAE_OK;
    const int na = sgae_trainer_state_count(t);
    restore_job *job = NULL;
    void *hist = NULL;
    SGAE_CHECK(check_same_run(s, t));
    const int hidx = sgae_trainer_state_find(t, "history");
    job = sgae_calloc((size_t)na, sizeof *job, "snapshot restore");
    if (!job)
        SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
    /* every shape is checked before anything is read or changed */
    for (int k = 0; k < na; k++) {
        sgae_state_info si;
        SGAE_CHECK(sgae_trainer_state_info(t, k, &si));
        const size_t elem = si.dtype == SGAE_DTYPE_F32 ? 4 : 8;
        const array_desc *ad = find_array(s, si.name);
        if (!ad)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot has no array %s", s->path, si.name);
        /* the history: the run's total may have grown, so its rows may differ */
        const int64_t rows = k == hidx ? ad->rows : si.rows;
        if (ad->rows != rows || ad->cols != si.cols)
            SGAE_FAIL(SGAE_E_ARG,
                      "%s: array %s is %" PRId64 " x %" PRId64 " in the snapshot but %" PRId64
                      " x %" PRId64 " here",
                      s->path, si.name, ad->rows, ad->cols, rows, si.cols);
        restore_job *j = &job[k];
        j->idx = k;
        snprintf(j->sec, sizeof j->sec, "state/%s", si.name);
        j->bytes = (size_t)rows * (size_t)si.cols * elem;
        const sgae_section_info *sec = sgae_container_find(s->c, j->sec);
        if (!sec)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: snapshot has no section '%s'", s->path, j->sec);
        if (sec->raw_bytes != (uint64_t)j->bytes)
            SGAE_FAIL(SGAE_E_CORRUPT,
                      "%s: section '%s' has %" PRIu64 " bytes, expected %zu", s->path, j->sec,
                      sec->raw_bytes, j->bytes);
        j->dst = model_storage(t, si.name);
        if (!j->dst) {
            j->dst = sgae_alloc(j->bytes ? j->bytes : 1, 1, "snapshot restore");
            if (!j->dst)
                SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
            j->owned = 1;
        }
    }
    /* decompress the sections concurrently (the container allows one
     * section per thread), the weights and moments straight into the
     * model; errors are per thread, so a failed read is repeated below to
     * report it */
#pragma omp parallel for schedule(dynamic, 1)
    for (int k = 0; k < na; k++)
        job[k].st = (int)sgae_container_read(s->c, job[k].sec, job[k].dst,
                                             job[k].bytes ? job[k].bytes : 1);
    for (int k = 0; k < na; k++)
        if (job[k].st)
            SGAE_CHECK(sgae_container_read(s->c, job[k].sec, job[k].dst,
                                           job[k].bytes ? job[k].bytes : 1));
    for (int k = 0; k < na; k++) {
        if (!job[k].owned)
            continue;
        sgae_state_info si;
        SGAE_CHECK(sgae_trainer_state_info(t, k, &si));
        if (k == hidx) {
            /* copy the epochs recorded into the run's (maybe longer) history */
            hist = sgae_alloc(si.bytes ? si.bytes : 1, 1, "metric history");
            if (!hist)
                SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
            SGAE_CHECK(sgae_trainer_state_get(t, k, hist, si.bytes));
            memcpy(hist, job[k].dst, job[k].bytes < si.bytes ? job[k].bytes : si.bytes);
            SGAE_CHECK(sgae_trainer_state_set(t, k, hist, si.bytes));
        } else {
            SGAE_CHECK(sgae_trainer_state_set(t, k, job[k].dst, si.bytes));
        }
    }
done:
    for (int k = 0; job && k < na; k++)
        if (job[k].owned)
            free(job[k].dst);
    free(job);
    free(hist);
    return st;
}

/* ---- id maps and warm start ------------------------------------------------ */

sgae_status sgae_snapshot_id_graph(sgae_snapshot *s, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    void *ids = NULL;
    size_t bytes = 0;
    uint32_t kind = 0;
    sgae_graph *g = NULL;
    const int64_t n = s->info.nodes;
    *out = NULL;
    SGAE_CHECK(read_section(s, "ids", (size_t)-1, &ids, &bytes, &kind));
    SGAE_CHECK(sgae_graph_from_pairs(n, 0, NULL, NULL, &g));
    if (kind == IDS_NUMBERS) {
        if (bytes != (size_t)n * sizeof(uint64_t))
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: id map of %zu bytes for %" PRId64 " nodes", s->path,
                      bytes, n);
        g->ids = ids;
        ids = NULL;
    } else if (kind == IDS_NAMES) {
        g->names = sgae_calloc((size_t)n, sizeof *g->names, "snapshot names");
        if (!g->names)
            SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
        size_t off = 0;
        for (int64_t i = 0; i < n; i++) {
            const char *p = (const char *)ids + off;
            const char *z = off < bytes ? memchr(p, '\0', bytes - off) : NULL;
            if (!z)
                SGAE_FAIL(SGAE_E_CORRUPT, "%s: id map holds fewer than %" PRId64 " names",
                          s->path, n);
            g->names[i] = sgae_strdup(p);
            if (!g->names[i])
                SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
            off = (size_t)(z - (const char *)ids) + 1;
        }
    } else if (kind != IDS_IDENTITY || bytes != 0) {
        SGAE_FAIL(SGAE_E_CORRUPT, "%s: id map of unknown kind %u", s->path, kind);
    }
    *out = g;
    g = NULL;
done:
    free(ids);
    sgae_graph_free(g);
    return st;
}

/* The user's id of node i as a hashable key: numbers as themselves, names
 * by hash (compared exactly on lookup). */
static uint64_t node_key(const sgae_graph *g, int64_t i)
{
    if (g->names)
        return sgae_hash64(g->names[i], strlen(g->names[i]), 0);
    return sgae_graph_id(g, i);
}

static int same_node(const sgae_graph *a, int64_t i, const sgae_graph *b, int64_t j)
{
    if (a->names || b->names)
        return a->names && b->names && strcmp(a->names[i], b->names[j]) == 0;
    return node_key(a, i) == node_key(b, j);
}

/* match[i] = the snapshot's row of node i of g, or -1. */
static sgae_status match_nodes(const sgae_graph *old, const sgae_graph *g, int64_t *match,
                               int64_t *matched)
{
    const int64_t n0 = old->n;
    int64_t cap = 1;
    while (cap < 2 * n0)
        cap <<= 1;
    int64_t *slot = sgae_alloc((size_t)cap, sizeof *slot, "warm start id table");
    if (!slot)
        return SGAE_E_NOMEM;
    for (int64_t k = 0; k < cap; k++)
        slot[k] = -1;
    for (int64_t j = 0; j < n0; j++) {
        uint64_t h = mix(0, node_key(old, j)) & (uint64_t)(cap - 1);
        while (slot[h] >= 0)
            h = (h + 1) & (uint64_t)(cap - 1);
        slot[h] = j;
    }
    int64_t c = 0;
    for (int64_t i = 0; i < g->n; i++) {
        match[i] = -1;
        uint64_t h = mix(0, node_key(g, i)) & (uint64_t)(cap - 1);
        for (; slot[h] >= 0; h = (h + 1) & (uint64_t)(cap - 1))
            if (same_node(g, i, old, slot[h])) {
                match[i] = slot[h];
                c++;
                break;
            }
    }
    free(slot);
    *matched = c;
    return SGAE_OK;
}

sgae_status sgae_snapshot_warm_start(sgae_snapshot *s, sgae_trainer *t, int64_t *matched)
{
    sgae_status st = SGAE_OK;
    sgae_graph *old = NULL;
    int64_t *match = NULL;
    float *w0s = NULL, *w1s = NULL, *w0 = NULL;
    int64_t nm = 0;
    sgae_train_opts o;
    sgae_trainer_options(t, &o);
    const sgae_snapshot_info *i = &s->info;
    if (i->opts.model.kind != o.model.kind || i->opts.model.hidden != o.model.hidden ||
        i->opts.model.latent != o.model.latent)
        SGAE_FAIL(SGAE_E_ARG,
                  "%s: the snapshot's model (%s %" PRId64 " -> %" PRId64
                  ") differs from this one (%s %" PRId64 " -> %" PRId64 ")",
                  s->path, i->opts.model.kind == SGAE_MODEL_VGAE ? "VGAE" : "GAE",
                  i->opts.model.hidden, i->opts.model.latent,
                  o.model.kind == SGAE_MODEL_VGAE ? "VGAE" : "GAE", o.model.hidden,
                  o.model.latent);
    fingerprint f;
    fingerprint_of(t, &f);
    if (strcmp(f.features_kind, "none") == 0) {
        if (strcmp(s->features_kind, "none") != 0)
            SGAE_FAIL(SGAE_E_ARG, "%s: the snapshot was trained with features, this run has none",
                      s->path);
    } else if (f.features != i->features) {
        SGAE_FAIL(SGAE_E_ARG,
                  "%s: the snapshot's features have %" PRId64 " columns, these %" PRId64,
                  s->path, i->features, f.features);
    }
    sgae_model *m = sgae_trainer_model(t);
    int64_t r0, c0, r1, c1;
    w0 = sgae_model_param(m, 0, &r0, &c0);
    float *w1 = sgae_model_param(m, 1, &r1, &c1);
    SGAE_CHECK(read_array(s, "w1", 4, r1, c1, (void **)&w1s));
    SGAE_CHECK(sgae_snapshot_id_graph(s, &old));
    const sgae_graph *g = sgae_trainer_graph(t);
    match = sgae_alloc((size_t)g->n, sizeof *match, "warm start match");
    if (!match)
        SGAE_FAIL(SGAE_E_NOMEM, "snapshot: out of memory");
    SGAE_CHECK(match_nodes(old, g, match, &nm));
    if (strcmp(f.features_kind, "none") == 0) {
        /* featureless: W0 has a row per node */
        SGAE_CHECK(read_array(s, "w0", 4, old->n, c0, (void **)&w0s));
#pragma omp parallel for schedule(static)
        for (int64_t r = 0; r < r0; r++)
            if (match[r] >= 0)
                memcpy(w0 + r * c0, w0s + match[r] * c0, (size_t)c0 * sizeof *w0);
    } else {
        SGAE_CHECK(read_array(s, "w0", 4, r0, c0, (void **)&w0s));
        memcpy(w0, w0s, (size_t)(r0 * c0) * sizeof *w0);
    }
    memcpy(w1, w1s, (size_t)(r1 * c1) * sizeof *w1);
    if (matched)
        *matched = nm;
done:
    sgae_graph_free(old);
    free(match);
    free(w0s);
    free(w1s);
    return st;
}

/* ---- export ---------------------------------------------------------------- */

sgae_status sgae_snapshot_embeddings(sgae_snapshot *s, sgae_embedding which, float **data,
                                     int64_t *rows, int64_t *cols)
{
    sgae_status st = SGAE_OK;
    float *mu = NULL, *ls = NULL;
    const int64_t n = s->info.nodes, d = s->info.opts.model.latent;
    const size_t bytes = (size_t)(n * d) * sizeof(float);
    const int vgae = s->info.opts.model.kind == SGAE_MODEL_VGAE;
    *data = NULL;
    if (rows)
        *rows = n;
    if (cols)
        *cols = d;
    if (!sgae_container_find(s->c, "mu") &&
        (which != SGAE_EMB_BEST || s->info.best_epoch < 0))
        SGAE_FAIL(SGAE_E_ARG,
                  "%s: a periodic checkpoint without the current embeddings (mu, logstd: "
                  "written only at the end of a run or on a signal); export --which best "
                  "(kept when validation ran), or resume the run to write them",
                  s->path);
    switch (which) {
    case SGAE_EMB_MU:
        SGAE_CHECK(read_section(s, "mu", bytes, (void **)&mu, NULL, NULL));
        break;
    case SGAE_EMB_LOGSTD:
        if (!vgae)
            SGAE_FAIL(SGAE_E_ARG, "%s: a GAE snapshot has no logstd", s->path);
        SGAE_CHECK(read_section(s, "logstd", bytes, (void **)&mu, NULL, NULL));
        break;
    case SGAE_EMB_BEST:
        SGAE_CHECK(read_array(s, "best.z", 4, n, d, (void **)&mu));
        if (s->info.best_epoch < 0) { /* nothing kept yet: the current mu */
            free(mu);
            mu = NULL;
            SGAE_CHECK(read_section(s, "mu", bytes, (void **)&mu, NULL, NULL));
        }
        break;
    case SGAE_EMB_Z:
        SGAE_CHECK(read_section(s, "mu", bytes, (void **)&mu, NULL, NULL));
        if (vgae) {
            SGAE_CHECK(read_section(s, "logstd", bytes, (void **)&ls, NULL, NULL));
            sgae_model_sample_z(mu, ls, n * d, s->info.opts.model.max_logstd,
                                s->info.opts.model.seed, s->info.epoch, mu);
        }
        break;
    default:
        SGAE_FAIL(SGAE_E_ARG, "snapshot: unknown embedding kind %d", (int)which);
    }
    *data = mu;
    mu = NULL;
done:
    free(mu);
    free(ls);
    return st;
}

sgae_status sgae_snapshot_verify(sgae_snapshot *s)
{
    sgae_status st = SGAE_OK;
    void *buf = NULL;
    for (int k = 0; k < s->info.sections; k++) {
        const sgae_section_info *si = sgae_container_section(s->c, k);
        size_t got = 0;
        SGAE_CHECK(sgae_container_read_alloc(s->c, si->name, si->raw_bytes ? si->raw_bytes : 1,
                                             &buf, &got));
        free(buf);
        buf = NULL;
    }
    /* the sections every use needs, with their sizes */
    SGAE_CHECK(read_section(s, "ids", (size_t)-1, &buf, NULL, NULL));
    free(buf);
    buf = NULL;
    for (int k = 0; k < s->narrays; k++) {
        const array_desc *ad = &s->arrays[k];
        char sec[64];
        size_t elem = strcmp(ad->dtype, "f32") == 0 ? 4 : 8;
        snprintf(sec, sizeof sec, "state/%s", ad->name);
        const sgae_section_info *si = sgae_container_find(s->c, sec);
        if (!si || si->raw_bytes != (uint64_t)ad->rows * (uint64_t)ad->cols * elem)
            SGAE_FAIL(SGAE_E_CORRUPT, "%s: section %s is missing or of the wrong size", s->path,
                      sec);
    }
done:
    free(buf);
    return st;
}

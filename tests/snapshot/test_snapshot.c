/* Snapshots on Cora (shipped data):
 *  - save after 10 epochs, open, restore into a fresh trainer, 10 more
 *    epochs: the same bits as 20 uninterrupted (VGAE/GAE, features or not,
 *    both samplers); export gives the trainer's embeddings;
 *  - every truncation at a section boundary and at random offsets, a
 *    flipped byte in every section, a wrong magic, a newer major version:
 *    refused with a message naming the file, never a crash;
 *  - resume against another split or other options: refused, saying what
 *    differs; warm start on a changed graph matches nodes by id;
 *  - write faults at every operation of the atomic writer leave the
 *    previous snapshot byte-identical and no temporary file. */
#include <errno.h>
#include <unistd.h>

#include "testutil.h"

static int same_trainers(sgae_trainer *a, sgae_trainer *b)
{
    for (int k = 0; k < sgae_trainer_state_count(a); k++) {
        sgae_state_info i;
        sgae_trainer_state_info(a, k, &i);
        if (memcmp(sgae_trainer_state_view(a, k), sgae_trainer_state_view(b, k), i.bytes)) {
            fprintf(stderr, "state %s differs\n", i.name);
            return 0;
        }
    }
    return 1;
}

static void roundtrip(t_cora *c, const char *name, int features, sgae_model_kind kind, int iid)
{
    sgae_model_input in = t_cora_input(c, features);
    sgae_train_opts o = t_train_opts(20);
    o.model.kind = kind;
    o.model.neg_iid = iid;
    sgae_trainer *full = NULL, *part = NULL, *res = NULL;
    sgae_snapshot *s = NULL;
    const char *path = t_tmp("rt.snap");
    if (!t_cora_trainers(c, &in, &o, 10, &full, &part, &res))
        goto done;
    CHECK_OK(sgae_snapshot_save(path, part, NULL));
    CHECK_OK(sgae_snapshot_open(path, &s));
    if (!s)
        goto done;
    sgae_snapshot_info si;
    sgae_snapshot_info_get(s, &si);
    CHECK_INT(si.epoch, 10);
    CHECK_INT(si.nodes, c->tg->n);
    CHECK_INT(si.version_major, SGAE_SNAPSHOT_VERSION_MAJOR);
    CHECK(si.raw_bytes > si.file_bytes / 2 && si.file_bytes > 0);
    /* export: the trainer's embeddings, bitwise */
    sgae_embedding kinds[4] = {SGAE_EMB_MU, SGAE_EMB_LOGSTD, SGAE_EMB_Z, SGAE_EMB_BEST};
    for (int k = 0; k < 4; k++) {
        if (kinds[k] == SGAE_EMB_LOGSTD && kind == SGAE_MODEL_GAE)
            continue;
        float *e = NULL;
        const float *te = NULL;
        int64_t rows = 0, cols = 0;
        CHECK_OK(sgae_snapshot_embeddings(s, kinds[k], &e, &rows, &cols));
        CHECK_OK(sgae_trainer_embeddings(part, kinds[k], &te, NULL, NULL));
        CHECK_MSG(e && te && memcmp(e, te, sizeof(float) * (size_t)(rows * cols)) == 0,
                  "%s: exported embeddings %d differ from the trainer's", name, k);
        free(e);
    }
    CHECK_OK(sgae_snapshot_restore(s, res));
    CHECK_INT(sgae_trainer_epoch(res), 10);
    while (!sgae_trainer_done(res))
        CHECK_OK(sgae_trainer_step(res, NULL));
    CHECK_MSG(same_trainers(full, res), "%s: 10 + snapshot + 10 != 20 epochs", name);
done:
    sgae_snapshot_free(s);
    sgae_trainer_free(full);
    sgae_trainer_free(part);
    sgae_trainer_free(res);
}

/* A fresh 20-epoch VGAE trainer on Cora with features (NULL if creation
 * failed, which is a failed check). */
static sgae_trainer *small_trainer(t_cora *c)
{
    sgae_model_input in = {&c->ds.features->x, NULL, 0};
    sgae_train_opts o = t_train_opts(20);
    sgae_trainer *t = NULL;
    CHECK_OK(sgae_trainer_create(c->tg, &in, &c->split, &o, &t));
    return t;
}

/* A snapshot of Cora after `epochs` epochs, saved at `path`. */
static void save_small(t_cora *c, const char *path, int epochs)
{
    sgae_trainer *t = small_trainer(c);
    for (int e = 0; e < epochs && t; e++)
        CHECK_OK(sgae_trainer_step(t, NULL));
    if (t)
        CHECK_OK(sgae_snapshot_save(path, t, NULL));
    sgae_trainer_free(t);
}

/* Open `path` and use every section; 1 if that succeeds. */
static int opens(const char *path, sgae_status *code)
{
    sgae_snapshot *s = NULL;
    sgae_status st = sgae_snapshot_open(path, &s);
    if (st == SGAE_OK)
        st = sgae_snapshot_verify(s);
    if (st == SGAE_OK) {
        float *e = NULL;
        sgae_graph *g = NULL;
        if ((st = sgae_snapshot_embeddings(s, SGAE_EMB_Z, &e, NULL, NULL)) == SGAE_OK)
            free(e);
        if (!st && (st = sgae_snapshot_embeddings(s, SGAE_EMB_BEST, &e, NULL, NULL)) == SGAE_OK)
            free(e);
        if (!st && (st = sgae_snapshot_id_graph(s, &g)) == SGAE_OK)
            sgae_graph_free(g);
        if (!st) {
            /* every state array */
            sgae_snapshot_info si;
            sgae_snapshot_info_get(s, &si);
            for (int k = 0; k < si.sections && !st; k++) {
                sgae_snapshot_section sec;
                st = sgae_snapshot_section_get(s, k, &sec);
            }
        }
    }
    sgae_snapshot_free(s);
    *code = st;
    return st == SGAE_OK;
}

static void corruption(t_cora *c)
{
    const char *good = t_tmp("good.snap"), *bad = t_tmp("bad.snap");
    save_small(c, good, 5);
    size_t len = 0;
    unsigned char *b = t_slurp(good, &len);
    CHECK(b != NULL && len > 1000);
    if (!b)
        return;
    sgae_status code;
    CHECK(opens(good, &code));
    /* section boundaries, from the container's table */
    sgae_container *ct = NULL;
    sgae_container_format fmt = {{'S', 'G', 'A', 'E', 'S', 'N', 'A', 'P'}, "snapshot",
                                 SGAE_SNAPSHOT_VERSION_MAJOR, 0, 0};
    CHECK_OK(sgae_container_open(good, &fmt, &ct));
    if (!ct)
        return;
    int refused = 0, tried = 0, named = 0;
    for (int k = 0; k < (int)sgae_container_count(ct); k++) {
        sgae_section_info si = *sgae_container_section(ct, k);
        size_t cuts[3] = {(size_t)si.offset, (size_t)(si.offset + si.bytes / 2),
                          (size_t)(si.offset + si.bytes)};
        for (int j = 0; j < 3; j++) {
            if (cuts[j] >= len)
                continue;
            t_write(bad, b, cuts[j]);
            tried++;
            if (!opens(bad, &code) && (code == SGAE_E_CORRUPT || code == SGAE_E_FORMAT))
                refused++;
            if (strstr(sgae_last_error(), "bad.snap"))
                named++;
        }
        /* a flipped byte in the middle of the section */
        if (si.bytes > 0) {
            size_t at = (size_t)(si.offset + si.bytes / 2);
            b[at] ^= 0x5a;
            t_write(bad, b, len);
            b[at] ^= 0x5a;
            tried++;
            if (!opens(bad, &code) && code == SGAE_E_CORRUPT)
                refused++;
            if (strstr(sgae_last_error(), "bad.snap"))
                named++;
        }
    }
    sgae_container_close(ct);
    CHECK_MSG(refused == tried, "%d of %d damaged snapshots refused", refused, tried);
    CHECK_MSG(named == tried, "%d of %d errors name the file", named, tried);
    /* random truncations */
    refused = tried = 0;
    for (int k = 0; k < 40; k++) {
        size_t cut = (size_t)sgae_rng_below(3, 77, (uint64_t)k, len);
        t_write(bad, b, cut);
        tried++;
        if (!opens(bad, &code))
            refused++;
    }
    CHECK_MSG(refused == tried, "%d of %d random truncations refused", refused, tried);
    /* wrong magic */
    b[0] ^= 0xff;
    t_write(bad, b, len);
    b[0] ^= 0xff;
    CHECK(!opens(bad, &code) && code == SGAE_E_FORMAT);
    free(b);
    /* a newer major version, written validly */
    sgae_container_writer *w = NULL;
    fmt.major = SGAE_SNAPSHOT_VERSION_MAJOR + 1;
    CHECK_OK(sgae_container_create(bad, &fmt, NULL, &w));
    CHECK_OK(sgae_container_add(w, "run", 0, 0, "x 1\n", 4));
    CHECK_OK(sgae_container_commit(w));
    CHECK(!opens(bad, &code) && code == SGAE_E_FORMAT);
    char want[64];
    snprintf(want, sizeof want, "%d.", SGAE_SNAPSHOT_VERSION_MAJOR + 1);
    CHECK_MSG(strstr(sgae_last_error(), want) && strstr(sgae_last_error(), "bad.snap"),
              "version error names the file and the version: %s", sgae_last_error());
}

static void refusals(t_cora *c)
{
    const char *path = t_tmp("refuse.snap");
    save_small(c, path, 3);
    sgae_snapshot *s = NULL;
    CHECK_OK(sgae_snapshot_open(path, &s));
    if (!s)
        return;
    sgae_model_input in = {&c->ds.features->x, NULL, 0}, none = {0};
    sgae_train_opts o = t_train_opts(20);
    sgae_trainer *t = NULL;
    /* other options */
    o.model.lr = 0.02;
    CHECK_OK(sgae_trainer_create(c->tg, &in, &c->split, &o, &t));
    CHECK_INT(sgae_snapshot_restore(s, t), SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "lr") != NULL);
    sgae_trainer_free(t);
    /* no features */
    o.model.lr = 0.01;
    CHECK_OK(sgae_trainer_create(c->tg, &none, &c->split, &o, &t));
    CHECK_INT(sgae_snapshot_restore(s, t), SGAE_E_ARG);
    sgae_trainer_free(t);
    /* another split of the same graph */
    t_cora c2;
    if (t_cora_load(&c2, 0.05, 2)) {
        CHECK_OK(sgae_trainer_create(c2.tg, &in, &c2.split, &o, &t));
        CHECK_INT(sgae_snapshot_restore(s, t), SGAE_E_ARG);
        CHECK(strstr(sgae_last_error(), "graph") || strstr(sgae_last_error(), "split"));
        sgae_trainer_free(t);
        t_cora_free(&c2);
    }
    /* a larger total of epochs is fine */
    o.epochs = 30;
    CHECK_OK(sgae_trainer_create(c->tg, &in, &c->split, &o, &t));
    CHECK_OK(sgae_snapshot_restore(s, t));
    CHECK_INT(sgae_trainer_epoch(t), 3);
    sgae_trainer_free(t);
    sgae_snapshot_free(s);
}

/* Warm start: a featureless run, then the graph with 1% of its edges
 * dropped and its ids shifted for 1% of the nodes (new nodes). */
static void warm_start(t_cora *c)
{
    const char *path = t_tmp("warm.snap");
    sgae_model_input none = {0};
    sgae_train_opts o = t_train_opts(30);
    sgae_trainer *t = NULL;
    CHECK_OK(sgae_trainer_create(c->tg, &none, &c->split, &o, &t));
    for (int e = 0; e < 30 && t; e++)
        CHECK_OK(sgae_trainer_step(t, NULL));
    CHECK_OK(sgae_snapshot_save(path, t, NULL));
    sgae_trainer_free(t);
    t = NULL;
    /* the changed graph: same edges, ids of the last 27 nodes replaced */
    sgae_graph *g2 = NULL;
    const sgae_graph *g = c->tg;
    int64_t m = sgae_csr_nnz(&g->adj);
    int32_t *u = malloc(sizeof *u * (size_t)m), *v = malloc(sizeof *v * (size_t)m);
    int64_t k = 0;
    for (int64_t i = 0; i < g->n; i++)
        for (int64_t p = g->adj.rowptr[i]; p < g->adj.rowptr[i + 1]; p++)
            if (i < g->adj.col[p] && (k % 100) != 7) {
                u[k] = (int32_t)i;
                v[k] = g->adj.col[p];
                k++;
            } else if (i < g->adj.col[p]) {
                k++;
                u[k - 1] = v[k - 1] = -1;
            }
    int64_t kk = 0;
    for (int64_t q = 0; q < k; q++)
        if (u[q] >= 0) {
            u[kk] = u[q];
            v[kk] = v[q];
            kk++;
        }
    CHECK_OK(sgae_graph_from_pairs(g->n, kk, u, v, &g2));
    free(u);
    free(v);
    if (!g2)
        return;
    CHECK_OK(sgae_graph_copy_ids(g2, g));
    if (!g2->ids) {
        g2->ids = malloc(sizeof *g2->ids * (size_t)g2->n);
        for (int64_t i = 0; i < g2->n; i++)
            g2->ids[i] = (uint64_t)i;
    }
    int64_t fresh = g2->n / 100;
    for (int64_t i = g2->n - fresh; i < g2->n; i++)
        g2->ids[i] += 1000000;
    sgae_split s2;
    CHECK_OK(sgae_split_edges(g2, 0.05, 0.10, 1, &s2));
    sgae_graph *tg2 = NULL;
    CHECK_OK(sgae_split_train_graph(&s2, g2, &tg2));
    sgae_snapshot *s = NULL;
    CHECK_OK(sgae_snapshot_open(path, &s));
    CHECK_OK(sgae_trainer_create(tg2, &none, &s2, &o, &t));
    int64_t matched = -1;
    if (s && t)
        CHECK_OK(sgae_snapshot_warm_start(s, t, &matched));
    CHECK_INT(matched, g2->n - fresh);
    if (t) {
        double auc0, ap0, auc1, ap1;
        CHECK_OK(sgae_trainer_evaluate(t, SGAE_EMB_MU, SGAE_SET_VAL, &auc0, &ap0));
        sgae_trainer *cold = NULL;
        CHECK_OK(sgae_trainer_create(tg2, &none, &s2, &o, &cold));
        CHECK_OK(sgae_trainer_evaluate(cold, SGAE_EMB_MU, SGAE_SET_VAL, &auc1, &ap1));
        printf("warm start: validation AUC %.4f before any epoch (cold start %.4f)\n", auc0,
               auc1);
        CHECK_MSG(auc0 > auc1 + 0.05, "warm start must carry what was learnt: %g vs %g", auc0,
                  auc1);
        CHECK_INT(sgae_trainer_epoch(t), 0);
        sgae_trainer_free(cold);
    }
    sgae_trainer_free(t);
    sgae_snapshot_free(s);
    sgae_graph_free(tg2);
    sgae_split_clear(&s2);
    sgae_graph_free(g2);
}

static void write_faults(t_cora *c)
{
    const char *path = t_tmp("fault.snap");
    save_small(c, path, 2);
    size_t len0 = 0, len1 = 0;
    unsigned char *before = t_slurp(path, &len0);
    int files = t_count_files(t_tmpdir, "");
    int intact = 1, failed = 0;
    for (int k = 1; k <= 400; k++) {
        sgae_file_fail_at(k, ENOSPC);
        sgae_trainer *t = small_trainer(c);
        sgae_status st = t ? sgae_trainer_step(t, NULL) : SGAE_E_NOMEM;
        if (!st)
            st = sgae_snapshot_save(path, t, NULL);
        sgae_trainer_free(t);
        sgae_file_fail_at(0, 0);
        if (st == SGAE_OK)
            break; /* k passed the number of operations: the write went through */
        failed++;
        unsigned char *now = t_slurp(path, &len1);
        int same = now && len1 == len0 && memcmp(now, before, len0) == 0;
        /* only a failed fsync of the directory, after the rename, leaves
         * the new (complete) file in place; it says so */
        int dir_fsync = strstr(sgae_last_error(), "rename may not be durable") != NULL;
        if (!same && !dir_fsync) {
            fprintf(stderr, "fault at operation %d: previous snapshot changed (%s)\n", k,
                    sgae_last_error());
            intact = 0;
        }
        free(now);
        if (t_count_files(t_tmpdir, "") != files) {
            fprintf(stderr, "fault at operation %d: %d files, expected %d\n", k, t_count_files(t_tmpdir, ""),
                    files);
            intact = 0;
        }
        if (!strstr(sgae_last_error(), "fault.snap")) {
            fprintf(stderr, "fault at operation %d: message does not name the path: %s\n", k,
                    sgae_last_error());
            intact = 0;
        }
    }
    CHECK_MSG(failed > 3, "only %d write operations were faulted", failed);
    CHECK_MSG(intact, "a failed snapshot write must leave the previous one intact and no "
                      "temporary file, and name the path");
    free(before);
}

int main(void)
{
    t_tmp_init("snapshot");
    t_cora c;
    if (t_cora_load(&c, 0.05, 1)) {
        roundtrip(&c, "vgae features", 1, SGAE_MODEL_VGAE, 0);
        roundtrip(&c, "vgae featureless iid", 0, SGAE_MODEL_VGAE, 1);
        roundtrip(&c, "gae features iid", 1, SGAE_MODEL_GAE, 1);
        roundtrip(&c, "gae featureless", 0, SGAE_MODEL_GAE, 0);
        corruption(&c);
        refusals(&c);
        warm_start(&c);
        write_faults(&c);
        t_cora_free(&c);
    }
    t_tmp_cleanup();
    return t_done("test_snapshot");
}

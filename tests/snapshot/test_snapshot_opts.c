/* Snapshot options and format 1.1 on Cora (shipped data):
 *  - min_epochs is part of the run configuration: resuming with another
 *    --min-epochs is refused naming it, the same value resumes;
 *  - a 1.0 file (no min_epochs line; rewritten here through the public
 *    container API with minor version 0) still opens and resumes;
 *  - a periodic checkpoint (embeddings = 0) has no mu/logstd sections, is
 *    smaller, resumes to the same bits as an uninterrupted run, exports
 *    the kept best embeddings bitwise and refuses mu, logstd and z with a
 *    message naming the file. */
#include <unistd.h>

#include "testutil.h"

static const sgae_container_format SNAP = {{'S', 'G', 'A', 'E', 'S', 'N', 'A', 'P'},
                                           "snapshot", SGAE_SNAPSHOT_VERSION_MAJOR, 0, 0};

static void opts_default20(sgae_train_opts *o)
{
    sgae_train_opts_default(o);
    o->epochs = 20;
}

/* Trainer on Cora without features after `epochs` epochs (NULL: failed). */
static sgae_trainer *trained(t_cora *c, const sgae_train_opts *o, int epochs)
{
    sgae_model_input none = {0};
    sgae_trainer *t = NULL;
    CHECK_OK(sgae_trainer_create(c->tg, &none, &c->split, o, &t));
    for (int e = 0; t && e < epochs; e++)
        CHECK_OK(sgae_trainer_step(t, NULL));
    return t;
}

/* Restore snapshot `path` into a new trainer with options o; its status. */
static sgae_status restore_with(t_cora *c, const char *path, const sgae_train_opts *o)
{
    sgae_snapshot *s = NULL;
    sgae_trainer *t = trained(c, o, 0);
    sgae_status st = sgae_snapshot_open(path, &s);
    if (st == SGAE_OK && t)
        st = sgae_snapshot_restore(s, t);
    sgae_snapshot_free(s);
    sgae_trainer_free(t);
    return st;
}

/* Copy snapshot `from` to `to` as a version 1.0 file: the same sections,
 * the "run" text without its min_epochs line.  1 on success. */
static int as_version_1_0(const char *from, const char *to)
{
    sgae_container *c = NULL;
    sgae_container_writer *w = NULL;
    void *buf = NULL;
    size_t got = 0;
    int ok = 0;
    CHECK_OK(sgae_container_open(from, &SNAP, &c));
    CHECK_OK(sgae_container_create(to, &SNAP, NULL, &w));
    for (int64_t k = 0; c && w && k < sgae_container_count(c); k++) {
        const sgae_section_info *si = sgae_container_section(c, k);
        if (sgae_container_read_alloc(c, si->name, si->raw_bytes + 1, &buf, &got) != SGAE_OK)
            goto done;
        if (strcmp(si->name, "run") == 0) {
            char *l = strstr(buf, "min_epochs ");
            CHECK_MSG(l != NULL, "a 1.1 snapshot writes min_epochs");
            if (!l)
                goto done;
            char *e = memchr(l, '\n', got - (size_t)(l - (char *)buf));
            size_t cut = (size_t)(e - l) + 1;
            memmove(l, e + 1, got - (size_t)(e + 1 - (char *)buf));
            got -= cut;
        }
        if (sgae_container_add(w, si->name, si->kind, si->flags, buf, got) != SGAE_OK)
            goto done;
        free(buf);
        buf = NULL;
    }
    CHECK_OK(sgae_container_commit(w));
    w = NULL;
    ok = 1;
done:
    free(buf);
    sgae_container_abort(w);
    sgae_container_close(c);
    return ok;
}

static void min_epochs(t_cora *c)
{
    const char *path = t_tmp("minep.snap"), *old = t_tmp("minep10.snap");
    sgae_train_opts o;
    opts_default20(&o);
    o.min_epochs = 7;
    o.patience = 3;
    sgae_trainer *t = trained(c, &o, 4);
    if (!t)
        return;
    CHECK_OK(sgae_snapshot_save(path, t, NULL));
    sgae_trainer_free(t);
    sgae_snapshot *s = NULL;
    CHECK_OK(sgae_snapshot_open(path, &s));
    if (s) {
        sgae_snapshot_info si;
        sgae_snapshot_info_get(s, &si);
        CHECK_INT(si.opts.min_epochs, 7);
        CHECK_INT(si.version_minor, SGAE_SNAPSHOT_VERSION_MINOR);
        sgae_snapshot_free(s);
    }
    CHECK_OK(restore_with(c, path, &o));
    o.min_epochs = 8;
    CHECK_INT(restore_with(c, path, &o), SGAE_E_ARG);
    CHECK_MSG(strstr(sgae_last_error(), "min_epochs") && strstr(sgae_last_error(), path),
              "the refusal names the option and the file: %s", sgae_last_error());
    /* a 1.0 file has no min_epochs: it opens, and resumes unchecked */
    if (as_version_1_0(path, old)) {
        CHECK_OK(sgae_snapshot_open(old, &s));
        if (s) {
            sgae_snapshot_info si;
            sgae_snapshot_info_get(s, &si);
            CHECK_INT(si.version_minor, 0);
            CHECK_INT(si.epoch, 4);
            sgae_snapshot_free(s);
        }
        CHECK_OK(restore_with(c, old, &o));
    }
}

static void periodic(t_cora *c)
{
    const char *ck = t_tmp("periodic.snap"), *fin = t_tmp("final.snap");
    sgae_train_opts o;
    opts_default20(&o);
    sgae_model_input none = {0};
    sgae_trainer *full = NULL, *part = NULL, *res = NULL;
    sgae_snapshot *s = NULL, *f = NULL;
    float *e = NULL;
    if (!t_cora_trainers(c, &none, &o, 10, &full, &part, &res))
        goto done;
    sgae_snapshot_opts so;
    sgae_snapshot_opts_default(&so);
    CHECK_INT(so.embeddings, 1);
    CHECK_OK(sgae_snapshot_save(fin, part, &so));
    so.embeddings = 0;
    CHECK_OK(sgae_snapshot_save(ck, part, &so));
    CHECK_OK(sgae_snapshot_open(ck, &s));
    CHECK_OK(sgae_snapshot_open(fin, &f));
    if (!s || !f)
        goto done;
    sgae_snapshot_info si, fi;
    sgae_snapshot_info_get(s, &si);
    sgae_snapshot_info_get(f, &fi);
    CHECK_INT(fi.sections - si.sections, 2); /* mu, logstd */
    CHECK(si.file_bytes < fi.file_bytes && si.raw_bytes < fi.raw_bytes);
    for (int k = 0; k < si.sections; k++) {
        sgae_snapshot_section sec;
        CHECK_OK(sgae_snapshot_section_get(s, k, &sec));
        CHECK_MSG(strcmp(sec.name, "mu") && strcmp(sec.name, "logstd"),
                  "a periodic checkpoint holds %s", sec.name);
    }
    CHECK_OK(sgae_snapshot_verify(s));
    /* export: best bitwise, the others refused naming the file */
    int64_t rows = 0, cols = 0;
    const float *te = NULL;
    CHECK_OK(sgae_snapshot_embeddings(s, SGAE_EMB_BEST, &e, &rows, &cols));
    CHECK_OK(sgae_trainer_embeddings(part, SGAE_EMB_BEST, &te, NULL, NULL));
    CHECK_MSG(e && te && memcmp(e, te, sizeof(float) * (size_t)(rows * cols)) == 0,
              "the checkpoint's best embeddings differ from the trainer's");
    free(e);
    e = NULL;
    sgae_embedding other[3] = {SGAE_EMB_MU, SGAE_EMB_LOGSTD, SGAE_EMB_Z};
    for (int k = 0; k < 3; k++) {
        CHECK_INT(sgae_snapshot_embeddings(s, other[k], &e, NULL, NULL), SGAE_E_ARG);
        CHECK(e == NULL && strstr(sgae_last_error(), ck) &&
              strstr(sgae_last_error(), "periodic checkpoint"));
    }
    /* resume: the same bits as 20 uninterrupted epochs */
    CHECK_OK(sgae_snapshot_restore(s, res));
    while (!sgae_trainer_done(res))
        CHECK_OK(sgae_trainer_step(res, NULL));
    for (int k = 0; k < sgae_trainer_state_count(full); k++) {
        sgae_state_info i;
        sgae_trainer_state_info(full, k, &i);
        CHECK_MSG(memcmp(sgae_trainer_state_view(full, k), sgae_trainer_state_view(res, k),
                         i.bytes) == 0,
                  "state %s differs after resuming from a periodic checkpoint", i.name);
    }
done:
    free(e);
    sgae_snapshot_free(s);
    sgae_snapshot_free(f);
    sgae_trainer_free(full);
    sgae_trainer_free(part);
    sgae_trainer_free(res);
}

int main(void)
{
    t_tmp_init("snapshot_opts");
    t_cora c;
    if (t_cora_load(&c, 0.05, 1)) {
        min_epochs(&c);
        periodic(&c);
        t_cora_free(&c);
    }
    t_tmp_cleanup();
    return t_done("test_snapshot_opts");
}

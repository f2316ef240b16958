/* Bad input and numerical faults: clear errors from the library and the
 * right exit codes and messages from `sgae train`. */
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static sgae_graph *ring(int n)
{
    int32_t u[64], v[64];
    for (int i = 0; i < n; i++) {
        u[i] = i;
        v[i] = (i + 1) % n;
    }
    sgae_graph *g = NULL;
    sgae_graph_from_pairs(n, n, u, v, &g);
    return g;
}

static void library(void)
{
    sgae_graph *g = ring(20);
    sgae_model *m = NULL;
    sgae_model_opts o;
    sgae_model_opts_default(&o);
    o.hidden = 8;
    o.latent = 16;
    CHECK(sgae_model_create(g, NULL, &o, &m) == SGAE_E_ARG && m == NULL);
    CHECK(strstr(sgae_last_error(), "latent") != NULL);
    sgae_model_opts_default(&o);
    o.dropout = 1.0;
    CHECK(sgae_model_create(g, NULL, &o, &m) == SGAE_E_ARG);
    sgae_model_opts_default(&o);
    o.neg_ratio = 0;
    CHECK(sgae_model_create(g, NULL, &o, &m) == SGAE_E_ARG);

    /* features with the wrong number of rows */
    int64_t rp[11] = {0};
    int32_t col[1] = {0};
    sgae_csr x = {10, 3, rp, col, NULL};
    sgae_model_input in = {&x, NULL, 0};
    sgae_model_opts_default(&o);
    CHECK(sgae_model_create(g, &in, &o, &m) == SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "rows") != NULL);

    /* a graph without edges */
    int32_t none[1] = {0};
    sgae_graph *e = NULL;
    CHECK_OK(sgae_graph_from_pairs(5, 0, none, none, &e));
    CHECK(sgae_model_create(e, NULL, &o, &m) == SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "no edges") != NULL);
    sgae_graph_free(e);

    /* a loss that turns infinite: a feature value of +inf */
    float xd[20 * 2];
    for (int i = 0; i < 40; i++)
        xd[i] = 1.0f;
    xd[7] = INFINITY;
    sgae_model_input dense = {NULL, xd, 2};
    sgae_split s;
    CHECK_OK(sgae_split_edges(g, 0.1, 0.1, 1, &s));
    sgae_graph *tg = NULL;
    CHECK_OK(sgae_split_train_graph(&s, g, &tg));
    sgae_train_opts to;
    sgae_train_opts_default(&to);
    to.epochs = 5;
    sgae_train_result res;
    sgae_status st = sgae_train(tg, &dense, &s, &to, &res);
    CHECK(st == SGAE_E_NUMERIC);
    CHECK_MSG(strstr(sgae_last_error(), "epoch 1") != NULL, "message: %s", sgae_last_error());
    CHECK(res.embeddings == NULL);
    /* a learning rate that makes the loss blow up later */
    sgae_model_input ident = {0};
    to.model.lr = 1e30;
    to.epochs = 50;
    st = sgae_train(tg, &ident, &s, &to, &res);
    CHECK_MSG(st == SGAE_E_NUMERIC && strstr(sgae_last_error(), "epoch "),
              "status %d: %s", (int)st, sgae_last_error());
    free(res.embeddings);
    sgae_graph_free(tg);
    sgae_split_clear(&s);
    sgae_graph_free(g);
}

/* Run the CLI; return its exit status and the first part of stderr. */
static int cli(const char *args, char *err, size_t len)
{
    const char *exe = getenv("SGAE");
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s train %s 2>&1 >/dev/null", exe ? exe : "sgae", args);
    FILE *p = popen(cmd, "r");
    if (!p)
        return -1;
    size_t got = fread(err, 1, len - 1, p);
    err[got] = 0;
    int rc = pclose(p);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void command_line(void)
{
    char err[4096], args[4096], tmp[256];
    if (!getenv("SGAE")) {
        fprintf(stderr, "SGAE not set: skipping the command-line checks\n");
        return;
    }
    snprintf(args, sizeof args, "%s --val 0.5 --test 0.5 -q", t_data("planetoid/cora.edges.zst"));
    CHECK_INT(cli(args, err, sizeof err), 2);
    CHECK_MSG(strstr(err, "--val + --test") != NULL, "stderr: %s", err);
    snprintf(args, sizeof args, "%s --hidden 8 --latent 16 -q", t_data("planetoid/cora.edges.zst"));
    CHECK_INT(cli(args, err, sizeof err), 2);
    CHECK_MSG(strstr(err, "latent") != NULL, "stderr: %s", err);
    snprintf(args, sizeof args, "%s --model vae -q", t_data("planetoid/cora.edges.zst"));
    CHECK_INT(cli(args, err, sizeof err), 2);
    /* features with fewer rows (2708) than the graph's nodes (3327) */
    snprintf(args, sizeof args, "%s --features %s -q", t_data("planetoid/citeseer.edges.zst"),
             t_data("planetoid/cora.features.mtx.zst"));
    CHECK_INT(cli(args, err, sizeof err), 1);
    CHECK_MSG(strstr(err, "feature") != NULL || strstr(err, "rows") != NULL, "stderr: %s", err);
    /* a graph with no edges */
    snprintf(tmp, sizeof tmp, "/tmp/sgae_noedges_%ld.txt", (long)getpid());
    FILE *f = fopen(tmp, "w");
    CHECK(f != NULL);
    if (f) {
        fputs("# nothing here\n", f);
        fclose(f);
        snprintf(args, sizeof args, "%s -q", tmp);
        CHECK_INT(cli(args, err, sizeof err), 1);
        CHECK_MSG(strstr(err, "edge") != NULL, "stderr: %s", err);
        remove(tmp);
    }
}

int main(void)
{
    library();
    command_line();
    return t_done("test_badinput");
}

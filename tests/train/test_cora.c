/* Short training runs on Cora (shipped data): the featureless VGAE and the
 * VGAE with features must reach the paper's neighbourhood, and the
 * embeddings written by `sgae train --embeddings` must be a valid .npy with
 * its id map. */
#include <unistd.h>

#include "testutil.h"

static void train_cora(const char *features, int epochs, double min_auc, double min_ap)
{
    sgae_load_opts lo = {0};
    lo.graph = t_data("planetoid/cora.edges.zst");
    lo.features = features;
    sgae_dataset ds;
    CHECK_OK(sgae_dataset_load(&lo, &ds));
    if (!ds.graph)
        return;
    CHECK_INT(ds.graph->n, 2708);
    sgae_split s;
    CHECK_OK(sgae_split_edges(ds.graph, 0.05, 0.10, 1, &s));
    sgae_graph *tg = NULL;
    CHECK_OK(sgae_split_train_graph(&s, ds.graph, &tg));
    sgae_model_input in = {0};
    if (ds.features)
        in.sparse = &ds.features->x;
    sgae_train_opts o;
    sgae_train_opts_default(&o);
    o.epochs = epochs;
    sgae_train_result r;
    CHECK_OK(sgae_train(tg, &in, &s, &o, &r));
    printf("cora%s: test AUC %.4f AP %.4f (val %.4f, best epoch %lld)\n",
           features ? " with features" : "", r.test_auc, r.test_ap, r.val_auc,
           (long long)r.best_epoch);
    CHECK_MSG(r.test_auc >= min_auc && r.test_ap >= min_ap, "AUC %g AP %g below %g / %g",
              r.test_auc, r.test_ap, min_auc, min_ap);
    CHECK(r.val_auc > 0.8 && r.val_auc <= 1.0);
    free(r.embeddings);
    sgae_graph_free(tg);
    sgae_split_clear(&s);
    sgae_dataset_clear(&ds);
}

static void cli_embeddings(void)
{
    const char *exe = getenv("SGAE");
    if (!exe) {
        fprintf(stderr, "SGAE not set: skipping the command-line check\n");
        return;
    }
    char out[256], ids[256], cmd[4096];
    snprintf(out, sizeof out, "/tmp/sgae_emb_%ld.npy", (long)getpid());
    snprintf(ids, sizeof ids, "/tmp/sgae_emb_%ld.ids.tsv", (long)getpid());
    snprintf(cmd, sizeof cmd, "%s train %s --epochs 5 --latent 8 --embeddings %s --json -q > /dev/null",
             exe, t_data("linqs/cora.cites.zst"), out);
    int rc = system(cmd);
    CHECK_INT(rc, 0);
    FILE *f = fopen(out, "rb");
    CHECK(f != NULL);
    if (f) {
        unsigned char pre[10];
        CHECK(fread(pre, 1, 10, f) == 10);
        CHECK(memcmp(pre, "\x93NUMPY\x01\x00", 8) == 0);
        size_t hl = (size_t)pre[8] | ((size_t)pre[9] << 8);
        CHECK((10 + hl) % 64 == 0);
        char hdr[512] = {0};
        CHECK(hl < sizeof hdr && fread(hdr, 1, hl, f) == hl);
        CHECK(hdr[hl - 1] == '\n');
        CHECK(strstr(hdr, "'descr': '<f4'") != NULL);
        CHECK(strstr(hdr, "'fortran_order': False") != NULL);
        CHECK(strstr(hdr, "'shape': (2708, 8)") != NULL);
        fseek(f, 0, SEEK_END);
        CHECK(ftell(f) == (long)(10 + hl + 2708 * 8 * 4));
        fclose(f);
    }
    /* NumPy itself, where it is installed */
    if (system("python3 -c 'import numpy' > /dev/null 2>&1") == 0) {
        snprintf(cmd, sizeof cmd,
                 "python3 -c \"import numpy as np, sys; a = np.load('%s'); "
                 "sys.exit(0 if a.shape == (2708, 8) and a.dtype == np.float32 and "
                 "np.isfinite(a).all() else 1)\"",
                 out);
        CHECK_INT(system(cmd), 0);
    } else {
        fprintf(stderr, "numpy not installed: np.load check skipped\n");
    }
    f = fopen(ids, "r");
    CHECK(f != NULL);
    if (f) {
        char line[256];
        int lines = 0, ok = 1;
        CHECK(fgets(line, sizeof line, f) && strcmp(line, "node_id\trow\n") == 0);
        while (fgets(line, sizeof line, f)) {
            char *tab = strchr(line, '\t');
            if (!tab || atol(tab + 1) != lines)
                ok = 0;
            lines++;
        }
        CHECK_INT(lines, 2708);
        CHECK(ok);
        fclose(f);
    }
    remove(out);
    remove(ids);
}

int main(void)
{
    train_cora(NULL, 200, 0.85, 0.87);
    train_cora(t_data("planetoid/cora.features.mtx.zst"), 200, 0.89, 0.90);
    cli_embeddings();
    return t_done("test_cora");
}

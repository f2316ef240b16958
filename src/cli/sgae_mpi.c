/* sgae-mpi: `mpirun -np P sgae-mpi train GRAPH [options]` trains the
 * featureless VGAE / GAE on P ranks (sgae/dist.h).  Loading: every rank
 * reads the whole input and splits it (the split is a pure function of the
 * seed, so all ranks agree), builds Â of the training graph, hands it to the
 * distributed model (which copies only its rows) and frees it: the load's
 * peak is the whole graph on every rank (per-rank .sgr chunk loading is not
 * done).  The embeddings are the last epoch's mu, gathered to rank 0 (which
 * evaluates them and writes --embeddings); --snapshot writes the ordinary
 * snapshot format from rank 0, after gathering W0 and its moments. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <mpi.h>

#include "json.h"
#include "sgae.h"
#include "sgae/dist.h"

static const char *usage =
    "usage: mpirun -np P sgae-mpi train GRAPH [options]\n"
    "  --model vgae|gae   (default vgae)\n"
    "  --epochs N         (default 200)\n"
    "  --hidden H --latent D --lr X --neg-ratio R --val F --test F\n"
    "  --seed S           seed of split, initialisation, negatives, noise (default 1)\n"
    "  --embeddings OUT.npy  mu of the last epoch (written by rank 0)\n"
    "  --json             one JSON object on stdout (rank 0), with per-rank stats\n"
    "Featureless models and the permutation negative sampler only; results are\n"
    "bit-identical to `sgae train` run for the same epochs without model selection.\n";

static int bad(const char *opt, const char *val)
{
    fprintf(stderr, "sgae-mpi: bad value '%s' for %s\n%s", val ? val : "(none)", opt, usage);
    return 2;
}

static int64_t peak_rss(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (int64_t)ru.ru_maxrss * 1024;
}

static double auc_of(const float *Z, int64_t d, const sgae_pairs *p, const sgae_pairs *q,
                     double *ap)
{
    double auc = NAN;
    *ap = NAN;
    if (p->count < 1 || q->count < 1)
        return auc;
    float *s = malloc((size_t)(p->count + q->count) * sizeof *s);
    if (!s)
        return auc;
    sgae_pair_scores(Z, d, p->count, p->u, p->v, s);
    sgae_pair_scores(Z, d, q->count, q->u, q->v, s + p->count);
    sgae_auc_ap(s, p->count, s + p->count, q->count, &auc, ap);
    free(s);
    return auc;
}

/* "[a,b,...]" of one int64 or double per rank (gathered on rank 0). */
static void json_array(char *buf, size_t len, const void *v, int np, int dbl)
{
    size_t o = 0;
    o += (size_t)snprintf(buf + o, len - o, "[");
    for (int q = 0; q < np && o < len; q++)
        o += dbl ? (size_t)snprintf(buf + o, len - o, "%s%.6g", q ? "," : "",
                                    ((const double *)v)[q])
                 : (size_t)snprintf(buf + o, len - o, "%s%lld", q ? "," : "",
                                    (long long)((const int64_t *)v)[q]);
    if (o < len)
        snprintf(buf + o, len - o, "]");
}

static int train(int argc, char **argv, int rank, int np)
{
    const char *path = NULL, *emb = NULL;
    int json = 0;
    double fval = 0.05, ftest = 0.10;
    int64_t epochs = 200;
    sgae_model_opts mo;
    sgae_model_opts_default(&mo);
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        char *end = NULL;
        if (!strcmp(a, "--json")) {
            json = 1;
            continue;
        }
        if (a[0] != '-') {
            if (path)
                return bad("GRAPH", a);
            path = a;
            continue;
        }
        if (!v)
            return bad(a, v);
        i++;
        errno = 0;
        if (!strcmp(a, "--model")) {
            if (!strcmp(v, "vgae"))
                mo.kind = SGAE_MODEL_VGAE;
            else if (!strcmp(v, "gae"))
                mo.kind = SGAE_MODEL_GAE;
            else
                return bad(a, v);
        } else if (!strcmp(a, "--embeddings")) {
            emb = v;
        } else if (!strcmp(a, "--epochs") || !strcmp(a, "--hidden") || !strcmp(a, "--latent") ||
                   !strcmp(a, "--seed")) {
            long long x = strtoll(v, &end, 10);
            if (errno || *end || x < 0 || (strcmp(a, "--seed") && strcmp(a, "--epochs") && x < 1))
                return bad(a, v);
            if (!strcmp(a, "--epochs"))
                epochs = x;
            else if (!strcmp(a, "--hidden"))
                mo.hidden = x;
            else if (!strcmp(a, "--latent"))
                mo.latent = x;
            else
                mo.seed = (uint64_t)x;
        } else if (!strcmp(a, "--lr") || !strcmp(a, "--neg-ratio") || !strcmp(a, "--val") ||
                   !strcmp(a, "--test")) {
            double x = strtod(v, &end);
            if (errno || *end || !(x >= 0) || x > 1e6)
                return bad(a, v);
            if (!strcmp(a, "--lr"))
                mo.lr = x;
            else if (!strcmp(a, "--neg-ratio"))
                mo.neg_ratio = x;
            else if (!strcmp(a, "--val"))
                fval = x;
            else
                ftest = x;
        } else {
            return bad(a, v);
        }
    }
    if (!path)
        return bad("GRAPH", NULL);

    int rc = 1;
    sgae_graph *g = NULL, *tg = NULL;
    sgae_split split = {0};
    sgae_dist_model *dm = NULL;
    int64_t *bounds = NULL;
    float *all = NULL;
    sgae_status st;
    double t0 = MPI_Wtime();
    if ((st = sgae_graph_load(path, SGAE_FMT_AUTO, &g)) ||
        (st = sgae_split_edges(g, fval, ftest, mo.seed, &split)) ||
        (st = sgae_split_train_graph(&split, g, &tg)) || (st = sgae_graph_norm(tg)))
        goto fail;
    double t1 = MPI_Wtime();
    const int64_t n = tg->n, E = sgae_graph_edges(g), d = mo.latent;
    bounds = malloc(((size_t)np + 1) * sizeof *bounds);
    if (!bounds)
        goto fail;
    if ((st = sgae_dist_partition(&tg->norm, np, SGAE_DIST_BLOCK, bounds)) ||
        (st = sgae_dist_model_create(MPI_COMM_WORLD, &tg->norm, bounds, &mo, &dm)))
        goto fail;
    /* the model holds its rows: the whole graphs go (rank 0 keeps the
     * split's evaluation pairs) */
    sgae_graph_free(tg);
    tg = NULL;
    sgae_graph_free(g);
    g = NULL;
    double last = NAN, t2 = MPI_Wtime();
    for (int64_t e = 0; e < epochs; e++) {
        sgae_loss l;
        if ((st = sgae_dist_model_epoch(dm, e, &l)))
            goto fail;
        last = l.total;
        if (!json && rank == 0 && ((e + 1) % 10 == 0 || e + 1 == epochs))
            fprintf(stderr, "epoch %lld/%lld loss %.6f\n", (long long)e + 1, (long long)epochs,
                    l.total);
    }
    double t3 = MPI_Wtime();
    const float *mu = NULL;
    if ((st = sgae_dist_model_embed(dm, &mu)))
        goto fail;
    if (rank == 0 && !(all = malloc((size_t)(n * d) * sizeof *all + 1)))
        goto fail;
    if ((st = sgae_dist_op_gather(sgae_dist_model_op(dm), mu, d, all, 0)))
        goto fail;
    sgae_dist_train_stats s;
    sgae_dist_model_stats(dm, &s);
    int64_t rows = bounds[rank + 1] - bounds[rank], rss = peak_rss();
    int64_t vi[4] = {rows, s.bytes_sent, rss, s.max_fetched};
    double vd[2] = {s.comm_seconds, s.compute_seconds};
    int64_t *ai = rank == 0 ? malloc((size_t)np * 4 * sizeof *ai) : NULL;
    double *ad = rank == 0 ? malloc((size_t)np * 2 * sizeof *ad) : NULL;
    MPI_Gather(vi, 4, MPI_INT64_T, ai, 4, MPI_INT64_T, 0, MPI_COMM_WORLD);
    MPI_Gather(vd, 2, MPI_DOUBLE, ad, 2, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    if (rank == 0) {
        double vap, tap;
        double vauc = auc_of(all, d, &split.val_pos, &split.val_neg, &vap);
        double tauc = auc_of(all, d, &split.test_pos, &split.test_neg, &tap);
        if (emb && (st = sgae_npy_save(emb, all, n, d)))
            goto fail;
        int64_t col[4][64];
        double cold[2][64];
        int m = np < 64 ? np : 64;
        for (int q = 0; q < m; q++) {
            for (int k = 0; k < 4; k++)
                col[k][q] = ai[4 * q + k];
            for (int k = 0; k < 2; k++)
                cold[k][q] = ad[2 * q + k] / (epochs > 0 ? (double)epochs : 1.0);
        }
        static char b[6][4096];
        json_array(b[0], sizeof b[0], col[0], m, 0);
        json_array(b[1], sizeof b[1], col[1], m, 0);
        json_array(b[2], sizeof b[2], col[2], m, 0);
        json_array(b[3], sizeof b[3], col[3], m, 0);
        json_array(b[4], sizeof b[4], cold[0], m, 1);
        json_array(b[5], sizeof b[5], cold[1], m, 1);
        int64_t maxrss = 0;
        for (int q = 0; q < m; q++)
            maxrss = col[2][q] > maxrss ? col[2][q] : maxrss;
        if (json) {
            cli_json j;
            cli_json_begin(&j);
            cli_json_str(&j, "graph", path);
            cli_json_str(&j, "model", mo.kind == SGAE_MODEL_VGAE ? "vgae" : "gae");
            cli_json_int(&j, "nodes", n);
            cli_json_int(&j, "edges", E);
            cli_json_int(&j, "train_edges", split.train.count);
            cli_json_int(&j, "val_edges", split.val_pos.count);
            cli_json_int(&j, "test_edges", split.test_pos.count);
            cli_json_int(&j, "features", 0);
            cli_json_int(&j, "hidden", mo.hidden);
            cli_json_int(&j, "latent", mo.latent);
            cli_json_num(&j, "neg_ratio", mo.neg_ratio);
            cli_json_str(&j, "negatives", "permutation");
            cli_json_num(&j, "lr", mo.lr);
            cli_json_int(&j, "seed", (int64_t)mo.seed);
            cli_json_num(&j, "test_auc", tauc);
            cli_json_num(&j, "test_ap", tap);
            cli_json_num(&j, "val_auc", vauc);
            cli_json_num(&j, "val_ap", vap);
            cli_json_int(&j, "epochs", epochs);
            cli_json_num(&j, "final_loss", last);
            cli_json_num(&j, "epoch_seconds", epochs ? (t3 - t2) / (double)epochs : 0);
            cli_json_num(&j, "train_seconds", t3 - t2);
            cli_json_num(&j, "load_seconds", t1 - t0);
            cli_json_int(&j, "peak_rss_bytes", maxrss);
            if (emb)
                cli_json_str(&j, "embeddings", emb);
            cli_json_int(&j, "ranks", np);
            cli_json_raw(&j, "rank_rows", b[0]);
            cli_json_raw(&j, "rank_bytes_sent", b[1]);
            cli_json_raw(&j, "rank_peak_rss_bytes", b[2]);
            cli_json_raw(&j, "rank_fetched_rows", b[3]);
            cli_json_raw(&j, "rank_comm_seconds_per_epoch", b[4]);
            cli_json_raw(&j, "rank_compute_seconds_per_epoch", b[5]);
            cli_json_end(&j);
        } else {
            fprintf(stderr, "test AUC %.4f AP %.4f (val AUC %.4f), %lld epochs on %d ranks\n",
                    tauc, tap, vauc, (long long)epochs, np);
        }
    }
    free(ai);
    free(ad);
    rc = 0;
    goto out;
fail:
    fprintf(stderr, "sgae-mpi (rank %d): %s\n", rank, st ? sgae_last_error() : "out of memory");
    MPI_Abort(MPI_COMM_WORLD, 1);
out:
    free(all);
    free(bounds);
    sgae_dist_model_free(dm);
    sgae_split_clear(&split);
    sgae_graph_free(tg);
    sgae_graph_free(g);
    return rc;
}

int main(int argc, char **argv)
{
    MPI_Init(&argc, &argv);
    int rank, np, rc;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &np);
    if (argc < 2 || strcmp(argv[1], "train")) {
        if (rank == 0)
            fprintf(stderr, "%s", usage);
        rc = argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) ? 0 : 2;
    } else {
        rc = train(argc, argv, rank, np);
    }
    MPI_Finalize();
    return rc;
}

/* sgae communities GRAPH -o OUT: the nightly job in one command -- train,
 * cluster the embeddings, optionally refine, score, keep yesterday's ids,
 * write the communities and a JSON report. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const char communities_help[] =
    "usage: sgae communities [OPTIONS] GRAPH -o OUT\n"
    "\n"
    "The nightly community-detection job: train a VGAE/GAE on GRAPH (as `sgae\n"
    "train`, link prediction on held-out edges), cluster the kept embeddings with\n"
    "k-means (as `sgae cluster`), optionally refine on the graph, score the\n"
    "communities on the whole graph (as `sgae score`), renumber them to keep\n"
    "yesterday's ids, and write them. Every output path is checked before\n"
    "training starts; each output goes to a temporary file renamed into place, so\n"
    "no partial file is ever left under an output name. Deterministic per seed at\n"
    "any thread count.\n"
    "\n"
    "Input:\n"
    "  --format F         graph format (default: detect)\n"
    "  --strict           refuse input otherwise dropped with a warning (LINQS\n"
    "                     cites naming papers missing from .content)\n"
    "  --features F       node features, Matrix Market (row r is node r-1) or LINQS\n"
    "                     .content; without it the encoder is featureless\n"
    "  --truth T          ground truth to score against: 'node label' lines / CSV\n"
    "                     with a header, or a SNAP .cmty file (see sgae score)\n"
    "  --truth-format F   labels, cmty or auto (default auto)\n"
    "Training (as sgae train; see its --help):\n"
    "  --model M          vgae or gae (default vgae)\n"
    "  --hidden H         first-layer units (default 32)\n"
    "  --latent D         embedding size (default 16)\n"
    "  --epochs N         epochs (default 800)\n"
    "  --lr R             Adam learning rate (default 0.01)\n"
    "  --neg-ratio K      sampled negatives per training edge (default 10)\n"
    "  --neg-iid, --neg-degree, --no-reject, --self-loops, --no-self-loops\n"
    "  --weight-decay W   (default 5e-4 with --features, else 0)\n"
    "  --dropout P        (default 0)\n"
    "  --patience P       stop after P epochs without a better validation AUC\n"
    "                     (default 0: all epochs; the best epoch is kept anyway)\n"
    "  --eval-every N     validation every N epochs (default 1)\n"
    "  --val F            validation fraction of edges (default 0.05)\n"
    "  --test F           test fraction of edges (default 0.10; 0: no test AUC)\n"
    "  --seed S           seed of training and clustering (default 1)\n"
    "  --threads T        OpenMP threads (default: all cores)\n"
    "%s"
    "Output:\n"
    "  -o OUT             communities: 'node<TAB>community' lines (header line, the\n"
    "                     user's ids)\n"
    "  --report R         the JSON report (the object --json prints) written to R\n"
    "  --embeddings E     also keep the embeddings: OUT.npy with its id map\n"
    "                     OUT.ids.tsv (written together), or OUT.tsv (text); any\n"
    "                     other name is refused before any work\n"
    "  --json             one JSON object on stdout: communities (number found), k,\n"
    "                     modularity, nmi, ari, ami (null without --truth), seconds,\n"
    "                     test_auc (null with --test 0), train_seconds,\n"
    "                     cluster_seconds, changed_nodes and nmi_previous (null\n"
    "                     without --previous); also val_auc, test_ap, epochs,\n"
    "                     best_epoch, modularity_kmeans, inertia, iterations,\n"
    "                     distances_saved, score_seconds, the size and conductance\n"
    "                     summary of sgae score, f1, peak_rss_bytes\n"
    "  --log-every N      without a terminal, one progress line per N epochs\n"
    "                     (default 10)\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 success, 1 failure (bad input, NaN loss, I/O), 2 usage error.\n";

typedef struct {
    int tty, quiet, shown;
    int64_t log_every;
    double last;
} epoch_ctx;

static void on_epoch(void *vctx, const sgae_epoch_info *in)
{
    epoch_ctx *c = vctx;
    if (c->quiet)
        return;
    double eta = in->elapsed / (double)in->epoch * (double)(in->epochs - in->epoch);
    if (c->tty) {
        if (in->elapsed - c->last < 0.1 && in->epoch != in->epochs && in->epoch > 1)
            return;
        c->last = in->elapsed;
        fprintf(stderr, "\r\033[Ktraining: epoch %lld/%lld  loss %.4f  best val AUC %.4f  ETA %.0fs",
                (long long)in->epoch, (long long)in->epochs, in->loss, in->best_val_auc, eta);
        c->shown = 1;
    } else if (in->epoch % c->log_every == 0 || in->epoch == in->epochs) {
        fprintf(stderr, "training: epoch %lld/%lld loss %.4f best val AUC %.4f ETA %.0fs\n",
                (long long)in->epoch, (long long)in->epochs, in->loss, in->best_val_auc, eta);
    }
}

static const cli_command communities_cmd = {"communities", communities_help, cli_cluster_help,
                                              1, "graph"};

int cmd_communities(int argc, char **argv)
{
    const char *cmd = "communities", *out = NULL, *report = NULL, *emb = NULL, *truth = NULL,
               *prevp = NULL;
    sgae_load_opts lo = {0};
    sgae_train_opts to;
    sgae_train_opts_default(&to);
    sgae_cluster_opts co;
    sgae_cluster_opts_default(&co);
    co.kmeans.k = -1; /* not given */
    co.kmeans.spherical = 1;
    double fval = 0.05, ftest = 0.10;
    int json = 0, r, fresh = 0;
    int64_t threads = 0;
    uint64_t seed = 1;
    epoch_ctx ec = {0};
    ec.log_every = 10;
    cli_stage pc = {0};
    int tk = -1;
    cli_option load[CLI_LOAD_ROWS], clus[CLI_CLUSTER_ROWS], train[CLI_TRAIN_ROWS];
    const cli_train_extra x = {.json = &json, .quiet = &pc.quiet, .log_every = &ec.log_every,
                               .seed = &seed, .embeddings = &emb};
    const cli_option own[] = {
        CLI_TRUTH_OPTIONS(&truth, &tk),
        {"--previous", NULL, CLI_STR, &prevp, 0, 0, NULL, NULL},
        {"--report", NULL, CLI_STR, &report, 0, 0, NULL, NULL},
        {"-o", "--output", CLI_STR, &out, 0, 0, NULL, NULL},
        CLI_END,
    };
    const cli_option *const tables[] = {own, cli_train_options(train, &to, &fval, &ftest, &x),
                                        cli_load_options(load, &lo, 0, &threads),
                                        cli_cluster_options(clus, &co, &fresh), NULL};
    if (cli_parse(&communities_cmd, argc, argv, tables, &lo.graph, &r))
        return r;
    ec.quiet = pc.quiet;
    const char *tfmt = tk >= 0 ? cli_truth_formats[tk] : NULL;
    if (!lo.graph)
        return cli_usage_error(cmd, "no graph file given");
    if (!out)
        return cli_usage_error(cmd, "no output file given (-o OUT)");
    if (fval + ftest >= 1)
        return cli_usage_error(cmd, "--val + --test must be below 1 (got %g + %g)", fval, ftest);
    if (to.model.latent > to.model.hidden)
        return cli_usage_error(cmd, "--latent %lld exceeds --hidden %lld",
                               (long long)to.model.latent, (long long)to.model.hidden);
    if (co.k_max > 0 && co.k_min > co.k_max)
        return cli_usage_error(cmd, "--k-min %lld exceeds --k-max %lld", (long long)co.k_min,
                               (long long)co.k_max);
    to.model.seed = seed;
    co.kmeans.seed = seed;
    const int k_given = co.kmeans.k >= 0;
    if (co.kmeans.k < 0)
        co.kmeans.k = 0;

    int rc = CLI_FAIL;
    sgae_status st;
    sgae_dataset ds = {0};
    sgae_split split = {0};
    sgae_graph *tg = NULL;
    sgae_train_result res = {0};
    sgae_cluster_result cr = {0};
    sgae_partition_stats ps;
    sgae_compare cmp;
    sgae_match_result mr = {0};
    cli_truth tr = {0};
    int32_t *prev = NULL;
    int64_t prev_skipped = 0;
    char *idp = NULL, *buf = NULL;
    size_t blen = 0;
    sgae_file *rf = NULL;
    double t0 = sgae_now();

    /* every output path first: nothing is trained for a file that cannot be written */
    int tsv = 0;
    if (emb && (rc = cli_embeddings_output(cmd, "--embeddings", emb, &tsv, &idp)))
        return rc;
    rc = CLI_FAIL;
    if (!cli_output_ok(cmd, out) || (report && !cli_output_ok(cmd, report))) {
        free(idp);
        return CLI_FAIL;
    }
    cli_set_threads(threads);
    lo.progress = cli_progress_sink(pc.quiet);
    pc.tty = ec.tty = isatty(2);
    to.progress = on_epoch;
    to.progress_ctx = &ec;
    co.kmeans.progress = (sgae_progress_sink){cli_stage_progress, &pc};
    co.refine_opts.progress = co.kmeans.progress;

    if ((rc = cli_load_training_set(cmd, &lo, pc.quiet, &ds)) != CLI_OK)
        goto done;
    rc = CLI_FAIL;
    const int64_t n = ds.graph->n;
    /* the other inputs too, before the long part */
    if ((truth && (st = cli_truth_load(truth, tfmt, ds.graph, &tr))) ||
        (prevp && (st = cli_previous_load(ds.graph, prevp, &prev, &prev_skipped)))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    co.start = prev && !fresh && !k_given ? prev : NULL;
    if ((rc = cli_cluster_check(cmd, &co, n)) != CLI_OK)
        goto done;
    rc = CLI_FAIL;
    if ((st = sgae_split_edges(ds.graph, fval, ftest, seed, &split)) ||
        (st = sgae_split_train_graph(&split, ds.graph, &tg))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    sgae_model_input in = {0};
    if (ds.features)
        in.sparse = &ds.features->x;
    st = sgae_train(tg, &in, &split, &to, &res);
    if (ec.shown)
        fputs("\r\033[K", stderr);
    if (st) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    sgae_graph_free(tg);
    tg = NULL;
    sgae_split_clear(&split);
    if (!pc.quiet)
        fprintf(stderr, "trained: %lld epochs in %.1f s (best epoch %lld, validation AUC %.4f)\n",
                (long long)res.epochs, res.train_seconds, (long long)res.best_epoch,
                res.val_auc);
    if ((st = sgae_cluster(ds.graph, res.embeddings, n, res.latent, &co, &cr))) {
        cli_stage_progress(&pc, "", -1, 0);
        rc = cli_fail(cmd, st);
        goto done;
    }
    double ts = sgae_now();
    if ((st = sgae_partition_stats_compute(ds.graph, cr.comm, &ps)) ||
        (truth && (st = cli_truth_compare(&tr, cr.comm, &cmp)))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    double score_s = sgae_now() - ts;
    if (prevp && (st = sgae_communities_match(n, prev, cr.comm, &mr))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    if ((st = sgae_communities_save(ds.graph, cr.comm, out)) ||
        (emb && (st = cli_embeddings_save(emb, idp, res.embeddings, res.n, res.latent,
                                           ds.graph)))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    double secs = sgae_now() - t0;
    /* the report: one JSON object, for stdout and/or the report file */
    FILE *m = open_memstream(&buf, &blen);
    if (!m) {
        sgae_error_set(SGAE_E_NOMEM, "report: no memory");
        rc = cli_fail(cmd, SGAE_E_NOMEM);
        goto done;
    }
    {
        cli_json j;
        cli_json_begin_on(&j, m);
        cli_json_str(&j, "graph", lo.graph);
        cli_json_int(&j, "nodes", n);
        cli_json_int(&j, "edges", sgae_graph_edges(ds.graph));
        cli_json_int(&j, "features", ds.features ? ds.features->x.ncols : 0);
        cli_json_int(&j, "communities", ps.communities);
        cli_json_int(&j, "seed", (int64_t)seed);
        cli_json_str(&j, "model", to.model.kind == SGAE_MODEL_VGAE ? "vgae" : "gae");
        cli_json_num(&j, "test_auc", ftest > 0 ? res.test_auc : NAN);
        cli_json_num(&j, "test_ap", ftest > 0 ? res.test_ap : NAN);
        cli_json_num(&j, "val_auc", res.val_auc);
        cli_json_int(&j, "epochs", res.epochs);
        cli_json_int(&j, "best_epoch", res.best_epoch);
        cli_json_num(&j, "train_seconds", res.train_seconds);
        cli_json_num(&j, "epoch_seconds", res.epoch_seconds);
        cli_cluster_json(&j, &cr, &co);
        cli_json_num(&j, "cluster_seconds", cr.seconds);
        cli_score_json(&j, &ps, truth ? &tr : NULL, truth ? &cmp : NULL);
        cli_json_num(&j, "score_seconds", score_s);
        if (prevp) {
            cli_match_json(&j, &mr, prev_skipped);
        } else {
            cli_json_raw(&j, "changed_nodes", "null");
            cli_json_raw(&j, "nmi_previous", "null");
        }
        cli_json_run_end(&j, secs, out);
        fclose(m);
    }
    if (report) {
        if ((st = sgae_file_begin(report, &rf)) || (st = sgae_file_write(rf, buf, blen))) {
            rc = cli_fail(cmd, st);
            goto done;
        }
        st = sgae_file_commit(rf); /* frees rf in every case */
        rf = NULL;
        if (st) {
            rc = cli_fail(cmd, st);
            goto done;
        }
    }
    if (json) {
        fwrite(buf, 1, blen, stdout);
        fflush(stdout);
    } else {
        if (ftest > 0)
            printf("link prediction: test AUC %.4f  AP %.4f  (validation AUC %.4f, best epoch "
                   "%lld of %lld, %.1f s)\n",
                   res.test_auc, res.test_ap, res.val_auc, (long long)res.best_epoch,
                   (long long)res.epochs, res.train_seconds);
        else
            printf("training: validation AUC %.4f, best epoch %lld of %lld, %.1f s\n",
                   res.val_auc, (long long)res.best_epoch, (long long)res.epochs,
                   res.train_seconds);
        cli_cluster_print(&cr, &co);
        cli_score_print(&ps, truth ? &tr : NULL, truth ? &cmp : NULL);
        if (prevp)
            printf("stable ids     %lld of %lld nodes changed community, NMI with yesterday "
                   "%.4f (%lld communities kept their id, %lld new)\n",
                   (long long)mr.changed, (long long)mr.common, mr.nmi, (long long)mr.matched,
                   (long long)mr.fresh);
        printf("total          %.1f s (training %.1f s, clustering %.1f s), peak memory %.1f "
               "MiB; communities in %s\n",
               secs, res.train_seconds, cr.seconds, (double)sgae_peak_rss() / 1048576.0, out);
    }
    rc = CLI_OK;
done:
    sgae_file_abort(rf);
    free(buf);
    free(idp);
    free(prev);
    free(res.embeddings);
    sgae_cluster_result_clear(&cr);
    cli_truth_clear(&tr);
    sgae_graph_free(tg);
    sgae_split_clear(&split);
    sgae_dataset_clear(&ds);
    return rc;
}

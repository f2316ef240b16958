/* sgae train GRAPH: link-prediction training of a (V)GAE and its test AUC/AP. */
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

static const char train_help[] =
    "usage: sgae train [OPTIONS] GRAPH\n"
    "\n"
    "Train Kipf & Welling's variational graph auto-encoder (or the plain GAE) on\n"
    "GRAPH for link prediction and print the test ROC-AUC and average precision.\n"
    "The undirected edges are split by seed into train/validation/test; validation\n"
    "and test negatives are uniform non-edges, as many as positives. The decoder\n"
    "loss uses every training edge plus K sampled non-edges per edge each epoch\n"
    "(memory linear in edges). The embeddings (mu) of the epoch with the best\n"
    "validation AUC are kept and evaluated on the test edges.\n"
    "\n"
    "Input:\n"
    "  --format F         graph format: edgelist, mtx, linqs, gml, sgr (default: detect)\n"
    "  --strict           refuse input otherwise dropped with a warning (LINQS\n"
    "                     cites naming papers missing from .content)\n"
    "  --features F       node features, Matrix Market (row r is node r-1); without\n"
    "                     it the encoder is featureless (identity features)\n"
    "  --dense-features   multiply the features as a dense matrix (default: sparse)\n"
    "Model:\n"
    "  --model M          vgae or gae (default vgae)\n"
    "  --hidden H         first-layer units (default 32)\n"
    "  --latent D         embedding size (default 16; at most H)\n"
    "  --neg-ratio K      sampled negatives per training edge (default 10); each\n"
    "                     epoch a random permutation pi of the nodes gives the\n"
    "                     uniform non-self pairs (pi[t], pi[t+k]), k = 1..r,\n"
    "                     r = round(K x positives / nodes)\n"
    "  --neg-iid          draw K x positives independent uniform pairs instead\n"
    "                     (more memory: 44 bytes per pair)\n"
    "  --neg-degree       i.i.d. pairs whose second node ~ (degree+1)^0.75\n"
    "  --no-reject        keep sampled negatives that are training edges\n"
    "                     (default: the permutation sampler skips them, the\n"
    "                     i.i.d. samplers redraw them, up to 32 tries)\n"
    "  --self-loops       the pairs (i, i) are positives too, as in the paper's\n"
    "                     target A + I (default with --features)\n"
    "  --no-self-loops    they are not (default without features: a node whose\n"
    "                     edges are all held out is then not pushed away from\n"
    "                     every other node)\n"
    "  --pos-weight W     weight of the positive term (default 1)\n"
    "  --dropout P        dropout on the hidden layer (default 0)\n"
    "Training:\n"
    "  --epochs N         epochs (default 800)\n"
    "  --lr R             Adam learning rate (default 0.01)\n"
    "  --weight-decay W   L2 weight decay (default 5e-4 with --features, else 0)\n"
    "  --patience P       stop after P epochs without a better validation AUC\n"
    "                     (default 0: run all epochs; the best epoch is kept anyway)\n"
    "  --min-epochs M     --patience stops no run before epoch M (default 50), so a\n"
    "                     validation AUC that dips before it climbs does not end it\n"
    "  --eval-every N     validation every N epochs (default 1)\n"
    "  --val F            validation fraction of edges (default 0.05)\n"
    "  --test F           test fraction of edges (default 0.10); --val 0 --test 0\n"
    "                     embeds the whole graph: every edge trains, the last\n"
    "                     epoch's mu is kept and no validation or test metrics\n"
    "                     are reported (the text says so; JSON null)\n"
    "  --seed S           seed of split, initialisation, negatives, noise (default 1)\n"
    "  --threads T        OpenMP threads (default: all cores); results are\n"
    "                     bit-identical at any thread count.  Small graphs train\n"
    "                     on fewer (one thread per ~8M units of per-epoch work):\n"
    "                     their parallel regions are too short to share\n"
    "Output:\n"
    "  --embeddings OUT.npy  write the kept mu as NumPy float32 (n x latent, row r =\n"
    "                     node r) and the id map OUT.ids.tsv (header\n"
    "                     'node_id<TAB>row', then one line per node with the user's\n"
    "                     id and its row); both land together or not at all.\n"
    "                     OUT.tsv instead: one 'id<TAB>v1<TAB>v2...' line per node.\n"
    "                     Other names are refused. The path is checked first\n"
    "  --json             print one JSON object on stdout; keys include test_auc,\n"
    "                     test_ap, val_auc, val_ap (fractions in 0..1), epochs,\n"
    "                     best_epoch, epoch_seconds (median training step: forward,\n"
    "                     loss, backward, Adam), train_seconds, eval_seconds,\n"
    "                     phase_seconds (per phase, summed over epochs: sample, spmm,\n"
    "                     pairs, dense, optim), peak_rss_bytes, model_bytes,\n"
    "                     bytes_per_edge, nodes, edges, train_edges, features,\n"
    "                     checkpoint, checkpoints_written, checkpoint_seconds,\n"
    "                     resumed_from_epoch (null if not resumed),\n"
    "                     warm_start_matched_nodes\n"
    "Snapshots (format: include/sgae/snapshot.h):\n"
    "  --checkpoint FILE  write the whole training state to FILE (zstd sections,\n"
    "                     checksummed) every --checkpoint-every epochs, at the end,\n"
    "                     and when SIGINT/SIGTERM stop the run after its epoch; each\n"
    "                     write is atomic (temporary file, fsync, rename): a crash\n"
    "                     leaves the previous snapshot or the new one. The path is\n"
    "                     checked before anything else is done\n"
    "  --checkpoint-every N  epochs between snapshots (default 10); these periodic\n"
    "                     ones omit mu and logstd (only export needs them; --which\n"
    "                     best works), the one at the end or on a signal has them\n"
    "  --keep K           keep the K-1 previous snapshots as FILE.1 .. FILE.(K-1)\n"
    "                     (default 1)\n"
    "  --checkpoint-errors stop|warn  on a failed snapshot write stop the run\n"
    "                     (default) or warn and go on training\n"
    "  --resume FILE      continue the run saved in FILE: same graph, split, seed and\n"
    "                     options (checked); --epochs is the run's total, so the same\n"
    "                     command line plus --resume finishes where the uninterrupted\n"
    "                     run would, with the same bits\n"
    "  --warm-start FILE  start from a snapshot of a run on an earlier version of the\n"
    "                     graph: nodes matched by their ids keep their first-layer\n"
    "                     rows (featureless), the shared weights are kept, new nodes\n"
    "                     start fresh; the optimiser and epochs start afresh\n"
    "  --log-every N      without a terminal, one progress line per N epochs\n"
    "                     (default 10)\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 success, 1 failure (bad input, NaN loss, I/O), 2 usage error,\n"
    "130 / 143 stopped by SIGINT / SIGTERM (after a snapshot when --checkpoint is set).\n";

typedef struct {
    int tty, quiet;
    int64_t log_every;
    int shown;
    double last; /* elapsed time of the last live update */
} progress_ctx;

static void on_epoch(void *vctx, const sgae_epoch_info *in)
{
    progress_ctx *c = vctx;
    if (c->quiet)
        return;
    double per = in->elapsed / (double)in->epoch;
    double eta = per * (double)(in->epochs - in->epoch);
    char val[96];
    if (isnan(in->val_auc) && !isfinite(in->best_val_auc))
        snprintf(val, sizeof val, "no validation");
    else if (isnan(in->val_auc))
        snprintf(val, sizeof val, "best val AUC %.4f", in->best_val_auc);
    else
        snprintf(val, sizeof val, "val AUC %.4f (best %.4f)", in->val_auc, in->best_val_auc);
    if (c->tty) {
        /* a live line, at most ~10 updates a second */
        if (in->elapsed - c->last < 0.1 && in->epoch != in->epochs && in->epoch > 1)
            return;
        c->last = in->elapsed;
        fprintf(stderr, "\r\033[Kepoch %lld/%lld  loss %.4f  %s  %.1f ms/epoch  ETA %.0fs",
                (long long)in->epoch, (long long)in->epochs, in->loss, val,
                1e3 * in->epoch_seconds, eta);
        c->shown = 1;
    } else if (in->epoch % c->log_every == 0 || in->epoch == in->epochs) {
        fprintf(stderr, "epoch %lld/%lld loss %.4f %s %.1f ms/epoch ETA %.0fs\n",
                (long long)in->epoch, (long long)in->epochs, in->loss, val,
                1e3 * in->epoch_seconds, eta);
    }
}

/* What the command line asks for. */
typedef struct {
    sgae_load_opts lo;
    sgae_train_opts to;
    double fval, ftest;
    int json, dense;
    int64_t threads;
    const char *emb;
    progress_ctx pc;
    double split_seconds;
    const char *ckpt, *resume, *warm;
    int64_t ckpt_every, keep;
    int ckpt_warn;
    int tsv; /* --embeddings OUT.tsv */
} train_args;

/* Parse argv into *a; CLI_OK, or the exit code of a usage error / --help
 * (returned with *stop set). */
static const cli_command train_cmd = {"train", train_help, NULL, 1, "graph"};

static int parse_args(int argc, char **argv, train_args *a, int *stop)
{
    const char *cmd = "train";
    int r;
    *stop = 0;
    memset(a, 0, sizeof *a);
    sgae_train_opts_default(&a->to);
    a->fval = 0.05;
    a->ftest = 0.10;
    a->pc.log_every = 10;
    a->ckpt_every = 10;
    a->keep = 1;
    sgae_train_opts *to = &a->to;
    *stop = 1;
    const cli_train_extra x = {
        .json = &a->json, .quiet = &a->pc.quiet, .dense = &a->dense,
        .min_epochs = &to->min_epochs, .log_every = &a->pc.log_every,
        .checkpoint_every = &a->ckpt_every, .keep = &a->keep, .pos_weight = &to->model.pos_weight,
        .seed = &to->model.seed, .checkpoint = &a->ckpt, .resume = &a->resume,
        .warm_start = &a->warm, .embeddings = &a->emb, .checkpoint_warn = &a->ckpt_warn};
    cli_option load[CLI_LOAD_ROWS], train[CLI_TRAIN_ROWS];
    const cli_option *const tables[] = {cli_train_options(train, to, &a->fval, &a->ftest, &x),
                                        cli_load_options(load, &a->lo, 0, &a->threads), NULL};
    if (cli_parse(&train_cmd, argc, argv, tables, &a->lo.graph, &r))
        return r;
    if (!a->lo.graph)
        return cli_usage_error(cmd, "no graph file given");
    if (a->fval + a->ftest >= 1)
        return cli_usage_error(cmd, "--val + --test must be below 1 (got %g + %g)", a->fval,
                               a->ftest);
    if (to->model.latent > to->model.hidden)
        return cli_usage_error(cmd,
                               "--latent %lld exceeds --hidden %lld: the encoder would widen "
                               "in its last layer",
                               (long long)to->model.latent, (long long)to->model.hidden);
    if (a->resume && a->warm)
        return cli_usage_error(cmd, "--resume and --warm-start exclude each other");
    *stop = 0;
    return CLI_OK;
}

/* --model vgae|gae */
static int model_call(const char *cmd, const char *name, const char *val, void *dst)
{
    if (!val || (strcmp(val, "vgae") && strcmp(val, "gae")))
        return cli_usage_error(cmd, "option %s: expected vgae or gae", name), 0;
    *(sgae_model_kind *)dst = strcmp(val, "vgae") == 0 ? SGAE_MODEL_VGAE : SGAE_MODEL_GAE;
    return 1;
}

cli_option *cli_train_options(cli_option *rows, sgae_train_opts *to, double *fval,
                              double *ftest, const cli_train_extra *x)
{
    static const char *const ckpt_errors[] = {"stop", "warn", NULL};
    sgae_model_opts *m = &to->model;
    const cli_option t[] = {
        CLI_STANDARD_OPTIONS(x->json, x->quiet),
        {"--dense-features", NULL, CLI_FLAG, x->dense, 1, 0, NULL, NULL},
        {"--min-epochs", NULL, CLI_INT, x->min_epochs, 0, 100000000, NULL, NULL},
        {"--log-every", NULL, CLI_INT, x->log_every, 1, 100000000, NULL, NULL},
        {"--pos-weight", NULL, CLI_NUM, x->pos_weight, 1e-9, 1e9, NULL, NULL},
        {"--seed", NULL, CLI_U64, x->seed, 0, 0, NULL, NULL},
        {"--checkpoint", NULL, CLI_STR, x->checkpoint, 0, 0, NULL, NULL},
        {"--resume", NULL, CLI_STR, x->resume, 0, 0, NULL, NULL},
        {"--warm-start", NULL, CLI_STR, x->warm_start, 0, 0, NULL, NULL},
        {"--checkpoint-every", NULL, CLI_INT, x->checkpoint_every, 1, 100000000, NULL, NULL},
        {"--keep", NULL, CLI_INT, x->keep, 1, 1000, NULL, NULL},
        {"--checkpoint-errors", NULL, CLI_CHOICE, x->checkpoint_warn, 0, 0, ckpt_errors, NULL},
        {"--embeddings", NULL, CLI_STR, x->embeddings, 0, 0, NULL, NULL},
        {"--neg-iid", NULL, CLI_FLAG, &m->neg_iid, 1, 0, NULL, NULL},
        {"--neg-degree", NULL, CLI_FLAG, &m->neg_degree, 1, 0, NULL, NULL},
        {"--no-reject", NULL, CLI_FLAG, &m->neg_reject, 0, 0, NULL, NULL},
        {"--self-loops", NULL, CLI_FLAG, &m->self_loops, 1, 0, NULL, NULL},
        {"--no-self-loops", NULL, CLI_FLAG, &m->self_loops, 0, 0, NULL, NULL},
        {"--model", NULL, CLI_CALL, &m->kind, 0, 0, NULL, model_call},
        {"--hidden", NULL, CLI_INT, &m->hidden, 1, 65536, NULL, NULL},
        {"--latent", NULL, CLI_INT, &m->latent, 1, 65536, NULL, NULL},
        {"--epochs", NULL, CLI_INT, &to->epochs, 0, 100000000, NULL, NULL},
        {"--patience", NULL, CLI_INT, &to->patience, 0, 100000000, NULL, NULL},
        {"--eval-every", NULL, CLI_INT, &to->eval_every, 1, 100000000, NULL, NULL},
        {"--lr", NULL, CLI_NUM, &m->lr, 1e-12, 1e3, NULL, NULL},
        {"--neg-ratio", NULL, CLI_NUM, &m->neg_ratio, 1e-6, 1e6, NULL, NULL},
        {"--weight-decay", NULL, CLI_NUM, &m->weight_decay, 0, 1e6, NULL, NULL},
        {"--dropout", NULL, CLI_NUM, &m->dropout, 0, 0.999, NULL, NULL},
        {"--val", NULL, CLI_NUM, fval, 0, 0.999999, NULL, NULL},
        {"--test", NULL, CLI_NUM, ftest, 0, 0.999999, NULL, NULL},
        CLI_END,
    };
    memcpy(rows, t, sizeof t);
    return rows;
}

/* What checkpointing did. */
typedef struct {
    int64_t written;
    double seconds;
    int64_t last_epoch; /* epoch of the last snapshot written, -1 none */
} ckpt_stats;

/* Write a snapshot of tr to a->ckpt (the periodic ones without mu and
 * logstd, which only export needs); on failure print the error and
 * return 0 unless --checkpoint-errors warn. */
static int checkpoint(const train_args *a, sgae_trainer *tr, ckpt_stats *cs, int final)
{
    sgae_snapshot_opts so;
    sgae_snapshot_opts_default(&so);
    so.keep = (int)a->keep;
    so.embeddings = final;
    double t0 = sgae_now();
    sgae_status st = sgae_snapshot_save(a->ckpt, tr, &so);
    cs->seconds += sgae_now() - t0;
    if (st == SGAE_OK) {
        cs->written++;
        cs->last_epoch = sgae_trainer_epoch(tr);
        return 1;
    }
    if (a->ckpt_warn) {
        fprintf(stderr, "sgae train: warning: snapshot not written (%s: %s); training goes on\n",
                sgae_status_string(st), sgae_last_error());
        return 1;
    }
    cli_fail("train", st);
    return 0;
}

/* SIGINT / SIGTERM: finish the epoch, then stop. */
static volatile sig_atomic_t stop_signal;
static void on_signal(int sig) { stop_signal = sig; }

static void print_json(const train_args *a, const sgae_train_opts *ro, const sgae_dataset *ds,
                       const sgae_split *split, int64_t E, const sgae_train_result *res,
                       int64_t peak, const ckpt_stats *cs, int64_t resumed, int64_t matched)
{
    char phases[512];
    int off = 0;
    off += snprintf(phases + off, sizeof phases - (size_t)off, "{");
    for (int p = 0; p < SGAE_PHASE_COUNT; p++)
        off += snprintf(phases + off, sizeof phases - (size_t)off, "%s\"%s\": %.6g",
                        p ? ", " : "", sgae_phase_name((sgae_phase)p), res->phase_seconds[p]);
    snprintf(phases + off, sizeof phases - (size_t)off, "}");
    const sgae_model_opts *mo = &ro->model;
    cli_json j;
    cli_json_begin(&j);
    cli_json_str(&j, "graph", a->lo.graph);
    cli_json_str(&j, "model", mo->kind == SGAE_MODEL_VGAE ? "vgae" : "gae");
    cli_json_int(&j, "nodes", ds->graph->n);
    cli_json_int(&j, "edges", E);
    cli_json_int(&j, "train_edges", split->train.count);
    cli_json_int(&j, "val_edges", split->val_pos.count);
    cli_json_int(&j, "test_edges", split->test_pos.count);
    cli_json_int(&j, "features", ds->features ? ds->features->x.ncols : 0);
    cli_json_int(&j, "hidden", mo->hidden);
    cli_json_int(&j, "latent", mo->latent);
    cli_json_num(&j, "neg_ratio", mo->neg_ratio);
    cli_json_str(&j, "negatives",
                 mo->neg_degree ? "degree" : (mo->neg_iid ? "iid" : "permutation"));
    cli_json_num(&j, "lr", mo->lr);
    cli_json_num(&j, "weight_decay", mo->weight_decay);
    cli_json_bool(&j, "self_loops", mo->self_loops);
    cli_json_int(&j, "seed", (int64_t)mo->seed);
    cli_json_num(&j, "test_auc", res->test_auc);
    cli_json_num(&j, "test_ap", res->test_ap);
    cli_json_num(&j, "val_auc", res->val_auc);
    cli_json_num(&j, "val_ap", res->val_ap);
    cli_json_int(&j, "epochs", res->epochs);
    cli_json_int(&j, "best_epoch", res->best_epoch);
    cli_json_num(&j, "final_loss", res->final_loss);
    cli_json_num(&j, "epoch_seconds", res->epoch_seconds);
    cli_json_num(&j, "train_seconds", res->train_seconds);
    cli_json_num(&j, "eval_seconds", res->eval_seconds);
    cli_json_num(&j, "load_seconds", ds->load_seconds);
    cli_json_num(&j, "split_seconds", a->split_seconds);
    cli_json_raw(&j, "phase_seconds", phases);
    cli_json_int(&j, "peak_rss_bytes", peak);
    cli_json_int(&j, "model_bytes", res->model_bytes);
    cli_json_num(&j, "bytes_per_edge", (double)peak / (double)E);
    cli_json_int(&j, "threads", cli_threads());
    if (a->emb)
        cli_json_str(&j, "embeddings", a->emb);
    if (a->ckpt)
        cli_json_str(&j, "checkpoint", a->ckpt);
    else
        cli_json_raw(&j, "checkpoint", "null");
    cli_json_int(&j, "checkpoints_written", cs->written);
    cli_json_num(&j, "checkpoint_seconds", cs->seconds);
    if (resumed >= 0)
        cli_json_int(&j, "resumed_from_epoch", resumed);
    else
        cli_json_raw(&j, "resumed_from_epoch", "null");
    if (matched >= 0)
        cli_json_int(&j, "warm_start_matched_nodes", matched);
    else
        cli_json_raw(&j, "warm_start_matched_nodes", "null");
    cli_json_end(&j);
}

/* The summary's first line: the metrics of the held-out sets there are. */
static void print_metrics(const train_args *a, const sgae_split *split,
                          const sgae_train_result *res)
{
    int val = split->val_pos.count > 0, test = split->test_pos.count > 0;
    if (!val && !test) {
        printf("no held-out edges (%s: the whole graph is embedded): no test metrics; %lld "
               "epoch%s\n",
               a->fval == 0 && a->ftest == 0 ? "--val 0 --test 0" : "too few edges to split",
               (long long)res->epochs, res->epochs == 1 ? "" : "s");
        return;
    }
    if (test)
        printf("test AUC %.4f  AP %.4f  ", res->test_auc, res->test_ap);
    else
        printf("no test edges (%s): no test metrics  ",
               a->ftest == 0 ? "--test 0" : "too few edges");
    if (val)
        printf("(validation AUC %.4f  AP %.4f, best epoch %lld of %lld)\n", res->val_auc,
               res->val_ap, (long long)res->best_epoch, (long long)res->epochs);
    else
        printf("(no validation edges: the last epoch kept, %lld epochs)\n",
               (long long)res->epochs);
}

int cmd_train(int argc, char **argv)
{
    const char *cmd = "train";
    train_args a;
    int stop, rc = parse_args(argc, argv, &a, &stop);
    if (stop)
        return rc;
    cli_set_threads(a.threads);
    a.lo.progress = cli_progress_sink(a.pc.quiet);
    a.pc.tty = isatty(2);
    /* every output path is checked before any work starts */
    char *idp = NULL;
    if (a.emb && (rc = cli_embeddings_output(cmd, "--embeddings", a.emb, &a.tsv, &idp)))
        return rc;
    if (a.ckpt && !cli_output_ok(cmd, a.ckpt)) {
        free(idp);
        return CLI_FAIL;
    }

    rc = CLI_FAIL;
    sgae_status st;
    sgae_dataset ds;
    sgae_split split = {0};
    sgae_graph *tg = NULL;
    sgae_trainer *tr = NULL;
    sgae_snapshot *snap = NULL;
    ckpt_stats cs = {0, 0, -1};
    int64_t resumed = -1, matched = -1;
    sgae_train_result res = {0};
    float *xdense = NULL;
    sgae_model_input in = {0};
    if ((rc = cli_load_training_set(cmd, &a.lo, a.pc.quiet, &ds)) != CLI_OK) {
        free(idp);
        return rc;
    }
    rc = CLI_FAIL;
    const int64_t n = ds.graph->n, E = sgae_graph_edges(ds.graph);
    double ts = sgae_now();
    if ((st = sgae_split_edges(ds.graph, a.fval, a.ftest, a.to.model.seed, &split)) ||
        (st = sgae_split_train_graph(&split, ds.graph, &tg))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    a.split_seconds = sgae_now() - ts;
    /* the full adjacency is no longer needed: give its memory back */
    sgae_csr_clear(&ds.graph->adj);
    if (ds.features && a.dense) {
        if ((st = sgae_csr_densify(&ds.features->x, &xdense))) {
            rc = cli_fail(cmd, st);
            goto done;
        }
        in.dense = xdense;
        in.dense_dim = ds.features->x.ncols;
    } else if (ds.features) {
        in.sparse = &ds.features->x;
    }
    if ((st = sgae_trainer_create(tg, &in, &split, &a.to, &tr))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    sgae_train_opts ro;
    sgae_trainer_options(tr, &ro);
    if (a.resume || a.warm) {
        const char *from = a.resume ? a.resume : a.warm;
        if ((st = sgae_snapshot_open(from, &snap)) ||
            (st = a.resume ? sgae_snapshot_restore(snap, tr)
                           : sgae_snapshot_warm_start(snap, tr, &matched))) {
            rc = cli_fail(cmd, st);
            goto done;
        }
        if (a.resume) {
            resumed = sgae_trainer_epoch(tr);
            cs.last_epoch = resumed;
        }
        if (!a.pc.quiet) {
            if (a.resume)
                fprintf(stderr, "resumed from %s at epoch %lld of %lld\n", from,
                        (long long)resumed, (long long)ro.epochs);
            else
                fprintf(stderr, "warm start from %s: %lld of %lld nodes matched by id\n", from,
                        (long long)matched, (long long)n);
        }
        sgae_snapshot_free(snap);
        snap = NULL;
    }
    if (!a.pc.quiet)
        fprintf(stderr,
                "split: %lld train, %lld validation, %lld test edges (%.2f s); %s %lld -> %lld, "
                "%g negatives per edge, %lld epochs, %d thread%s\n",
                (long long)split.train.count, (long long)split.val_pos.count,
                (long long)split.test_pos.count, a.split_seconds,
                ro.model.kind == SGAE_MODEL_VGAE ? "VGAE" : "GAE", (long long)ro.model.hidden,
                (long long)ro.model.latent, ro.model.neg_ratio, (long long)ro.epochs,
                cli_threads(), cli_threads() == 1 ? "" : "s");
    stop_signal = 0;
    void (*old_int)(int) = signal(SIGINT, on_signal);
    void (*old_term)(int) = signal(SIGTERM, on_signal);
    int ckpt_ok = 1;
    while (!sgae_trainer_done(tr) && !stop_signal) {
        sgae_epoch_info info;
        if ((st = sgae_trainer_step(tr, &info)))
            break;
        on_epoch(&a.pc, &info);
        if (a.ckpt && info.epoch % a.ckpt_every == 0 && !sgae_trainer_done(tr) &&
            !stop_signal && !(ckpt_ok = checkpoint(&a, tr, &cs, 0)))
            break;
    }
    signal(SIGINT, old_int);
    signal(SIGTERM, old_term);
    if (a.pc.shown)
        fputs("\r\033[K", stderr);
    if (st) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    if (!ckpt_ok)
        goto done;
    if (a.ckpt && cs.last_epoch != sgae_trainer_epoch(tr) && !checkpoint(&a, tr, &cs, 1))
        goto done;
    if (stop_signal) {
        const char *what = stop_signal == SIGINT ? "interrupted" : "terminated";
        if (a.ckpt && cs.last_epoch == sgae_trainer_epoch(tr))
            fprintf(stderr,
                    "sgae train: %s after epoch %lld of %lld; snapshot written to %s "
                    "(continue with the same command and --resume %s)\n",
                    what, (long long)sgae_trainer_epoch(tr), (long long)ro.epochs, a.ckpt,
                    a.ckpt);
        else
            fprintf(stderr,
                    "sgae train: %s after epoch %lld of %lld; no snapshot written (use "
                    "--checkpoint FILE to keep the work)\n",
                    what, (long long)sgae_trainer_epoch(tr), (long long)ro.epochs);
        rc = 128 + (int)stop_signal;
        goto done;
    }
    if ((st = sgae_trainer_result(tr, &res))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    if (a.emb) {
        if ((st = cli_embeddings_save(a.emb, idp, res.embeddings, res.n, res.latent, tg))) {
            rc = cli_fail(cmd, st);
            goto done;
        }
    }
    int64_t peak = sgae_peak_rss();
    if (a.json) {
        print_json(&a, &ro, &ds, &split, E, &res, peak, &cs, resumed, matched);
    } else {
        print_metrics(&a, &split, &res);
        printf("%.2f s training, %.1f ms per epoch (median), peak memory %.1f MiB\n",
               res.train_seconds, 1e3 * res.epoch_seconds, (double)peak / 1048576.0);
        if (a.emb)
            printf("embeddings: %s (%lld x %lld float32)%s%s\n", a.emb, (long long)res.n,
                   (long long)res.latent, idp ? ", ids: " : "", idp ? idp : "");
    }
    rc = CLI_OK;
done:
    free(res.embeddings);
    free(xdense);
    free(idp);
    sgae_snapshot_free(snap);
    sgae_trainer_free(tr);
    sgae_graph_free(tg);
    sgae_split_clear(&split);
    sgae_dataset_clear(&ds);
    return rc;
}

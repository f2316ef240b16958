/* sgae cluster EMBEDDINGS.npy -o OUT: k-means (and the modularity
 * refinement) on learned embeddings; the clustering options, progress and
 * JSON shared with `sgae communities`. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

const char cli_cluster_help[] =
    "Clustering:\n"
    "  --k K              clusters of k-means (default: automatic, which needs the\n"
    "                     graph): the modularity of a cheap k-means (one run of at\n"
    "                     most 20 iterations on a uniform sample of max(20000, 64 k)\n"
    "                     rows, then every node to its nearest center, then with\n"
    "                     --refine the local moves) is evaluated\n"
    "                     for k = K-MIN, 2 K-MIN, 4 K-MIN, ... up to K-MAX, then at\n"
    "                     k x 2^(+-1/2) and k x 2^(+-1/4) around the best; of the\n"
    "                     candidates within 1% of the highest modularity the\n"
    "                     largest k is run in full (modularity is flat near its\n"
    "                     peak; --k-tol sets the 1%)\n"
    "  --k-min A          smallest automatic k (default 2)\n"
    "  --k-max B          largest automatic k (default round(2 sqrt(nodes)))\n"
    "  --k-tol F          relative modularity tolerance of the choice (default 0.01)\n"
    "  --restarts R       k-means runs with their own seeding, the lowest inertia\n"
    "                     kept (default 3)\n"
    "  --max-iter N       Lloyd iterations per run (default 100)\n"
    "  --tol T            stop when the summed squared center shift is at most T x\n"
    "                     the mean variance of the dimensions (default 1e-4)\n"
    "  --spherical        L2-normalise the embeddings, renormalise the centers\n"
    "                     (cosine k-means; the default: the decoder scores pairs\n"
    "                     by inner products)\n"
    "  --euclidean        plain k-means on the embeddings as they are\n"
    "  --seed-sample M    k-means++ seeding on a uniform sample of M rows (default\n"
    "                     max(20000, min(64 k, 2^31 / (k (2 + ln k)))))\n"
    "  --no-bounds        compare every node with every center in every iteration\n"
    "                     (default: Hamerly's bounds skip the nodes that cannot\n"
    "                     change cluster; same result up to float rounding)\n"
    "  --refine           then move nodes between neighbouring communities while\n"
    "                     modularity rises (Louvain-style local moves, parallel\n"
    "                     synchronous rounds, deterministic)\n"
    "  --max-rounds N     rounds of the refinement (default 50)\n"
    "  --previous C       yesterday's communities ('node<TAB>community' file, ids\n"
    "                     non-negative integers): tonight's communities take\n"
    "                     yesterday's ids by an optimal assignment maximising the\n"
    "                     nodes that keep their id; new communities get fresh ids\n"
    "                     (above yesterday's largest); nodes of C not in the graph\n"
    "                     are ignored. Unless --k or --fresh is given, k-means also\n"
    "                     starts from yesterday's communities (their means in\n"
    "                     tonight's embeddings, k = their number: one run, no\n"
    "                     seeding), so communities that still fit stay as they were\n"
    "  --fresh            with --previous, seed k-means afresh (k-means++ with --k\n"
    "                     or the automatic k)\n";

/* --k K or --k auto (0). */
static int k_call(const char *cmd, const char *name, const char *val, void *dst)
{
    if (val && !strcmp(val, "auto"))
        return *(int64_t *)dst = 0, 1;
    return cli_int(cmd, name, val, 0, INT32_MAX - 1, dst);
}

cli_option *cli_cluster_options(cli_option *rows, sgae_cluster_opts *o, int *fresh)
{
    const cli_option t[] = {
        {"--fresh", NULL, CLI_FLAG, fresh, 1, 0, NULL, NULL},
        {"--spherical", NULL, CLI_FLAG, &o->kmeans.spherical, 1, 0, NULL, NULL},
        {"--euclidean", NULL, CLI_FLAG, &o->kmeans.spherical, 0, 0, NULL, NULL},
        {"--no-bounds", NULL, CLI_FLAG, &o->kmeans.bounds, 0, 0, NULL, NULL},
        {"--refine", NULL, CLI_FLAG, &o->refine, 1, 0, NULL, NULL},
        {"--k", NULL, CLI_CALL, &o->kmeans.k, 0, 0, NULL, k_call},
        {"--k-min", NULL, CLI_INT, &o->k_min, 1, INT32_MAX - 1, NULL, NULL},
        {"--k-tol", NULL, CLI_NUM, &o->k_tol, 0, 1, NULL, NULL},
        {"--k-max", NULL, CLI_INT, &o->k_max, 1, INT32_MAX - 1, NULL, NULL},
        {"--restarts", NULL, CLI_INT, &o->kmeans.restarts, 1, 1000000, NULL, NULL},
        {"--max-iter", NULL, CLI_INT, &o->kmeans.max_iter, 1, 100000000, NULL, NULL},
        {"--tol", NULL, CLI_NUM, &o->kmeans.tol, 0, 1e9, NULL, NULL},
        {"--seed-sample", NULL, CLI_INT, &o->kmeans.seed_sample, 1, INT32_MAX - 1, NULL, NULL},
        {"--max-rounds", NULL, CLI_INT, &o->refine_opts.max_rounds, 0, 100000000, NULL, NULL},
        CLI_END,
    };
    memcpy(rows, t, sizeof t);
    return rows;
}

int cli_cluster_check(const char *cmd, const sgae_cluster_opts *o, int64_t rows)
{
    if (o->kmeans.k > rows)
        return cli_usage_error(cmd, "--k %lld exceeds the %lld rows to cluster",
                               (long long)o->kmeans.k, (long long)rows);
    if (o->kmeans.k == 0 && !o->start && o->k_min > rows)
        return cli_usage_error(cmd, "--k-min %lld exceeds the %lld rows to cluster",
                               (long long)o->k_min, (long long)rows);
    return CLI_OK;
}

/* ---- progress ------------------------------------------------------------ */

void cli_stage_progress(void *vctx, const char *label, int64_t done, int64_t total)
{
    cli_stage *c = vctx;
    if (c->quiet)
        return;
    double t = sgae_now();
    if (done < 0) {
        if (c->shown)
            fputs("\r\033[K", stderr);
        c->shown = 0;
        return;
    }
    if (c->tty) {
        if (t - c->last < 0.1 && done != total)
            return;
        c->last = t;
        if (total > 0)
            fprintf(stderr, "\r\033[K%s %lld/%lld", label, (long long)done, (long long)total);
        else
            fprintf(stderr, "\r\033[K%s %lld", label, (long long)done);
        c->shown = 1;
    } else if (t - c->last >= 5.0 || c->last == 0) {
        c->last = t;
        if (total > 0)
            fprintf(stderr, "%s %lld/%lld\n", label, (long long)done, (long long)total);
        else
            fprintf(stderr, "%s %lld\n", label, (long long)done);
    }
}

/* ---- output paths --------------------------------------------------------- */

int cli_output_ok(const char *cmd, const char *path)
{
    sgae_status st = cli_check_output(path);
    if (st)
        cli_fail(cmd, st);
    return st == SGAE_OK;
}

/* ---- yesterday's ids -------------------------------------------------------- */

sgae_status cli_previous_load(const sgae_graph *g, const char *path, int32_t **out,
                              int64_t *skipped)
{
    sgae_status st = SGAE_OK;
    sgae_labels *l = NULL;
    int32_t *prev = NULL, *val = NULL;
    *out = NULL;
    if ((st = sgae_partition_load(path, g, 1, &l, skipped)))
        return st;
    prev = malloc((size_t)g->n * sizeof *prev + 1);
    val = malloc((size_t)l->nclasses * sizeof *val + 1);
    if (!prev || !val) {
        st = sgae_error_set(SGAE_E_NOMEM, "%s: no memory", path);
        goto done;
    }
    for (int32_t c = 0; c < l->nclasses; c++) {
        char *end;
        errno = 0;
        long long v = strtoll(l->class_names[c], &end, 10);
        if (errno || *end || end == l->class_names[c] || v < 0 || v >= INT32_MAX) {
            st = sgae_error_set(SGAE_E_PARSE,
                                "%s: community '%.64s' is not an integer in 0..2^31-2 (stable "
                                "ids are numbers)",
                                path, l->class_names[c]);
            goto done;
        }
        val[c] = (int32_t)v;
    }
    for (int64_t i = 0; i < g->n; i++)
        prev[i] = l->label[i] < 0 ? -1 : val[l->label[i]];
    *out = prev;
    prev = NULL;
done:
    sgae_labels_free(l);
    free(prev);
    free(val);
    return st;
}

/* ---- JSON ------------------------------------------------------------------ */

void cli_json_begin_on(cli_json *j, FILE *f)
{
    j->f = f;
    j->n = 0;
    j->digits = 17;
    fputc('{', f);
}

static void json_int_array(cli_json *j, const char *key, const sgae_kmeans_iter *it, int64_t n,
                           int what)
{
    size_t len = 0;
    char *buf = NULL;
    FILE *m = open_memstream(&buf, &len);
    if (!m)
        return;
    fputc('[', m);
    for (int64_t q = 0; q < n; q++) {
        if (q)
            fputs(", ", m);
        if (what == 0)
            fprintf(m, "%.6g", it[q].seconds);
        else
            fprintf(m, "%lld", (long long)(what == 1 ? it[q].distances : it[q].changed));
    }
    fputc(']', m);
    fclose(m);
    cli_json_raw(j, key, buf);
    free(buf);
}

void cli_cluster_json(cli_json *j, const sgae_cluster_result *r, const sgae_cluster_opts *o)
{
    const sgae_kmeans_result *km = &r->kmeans;
    cli_json_int(j, "k", r->k);
    cli_json_str(j, "k_choice", o->start ? "previous" : o->kmeans.k > 0 ? "given" : "automatic");
    cli_json_num(j, "inertia", km->inertia);
    cli_json_int(j, "iterations", km->iterations);
    cli_json_bool(j, "converged", km->converged);
    cli_json_int(j, "restarts", km->restarts);
    cli_json_int(j, "best_restart", km->best_restart);
    cli_json_bool(j, "spherical", o->kmeans.spherical);
    cli_json_bool(j, "bounds", o->kmeans.bounds);
    cli_json_int(j, "distances", km->distances);
    cli_json_int(j, "distances_naive", km->distances_naive);
    cli_json_num(j, "distances_saved",
                 km->distances_naive > 0
                     ? 1.0 - (double)km->distances / (double)km->distances_naive
                     : NAN);
    cli_json_int(j, "seed_distances", km->seed_distances);
    cli_json_int(j, "relocated", km->relocated);
    cli_json_num(j, "seed_seconds", km->seed_seconds);
    cli_json_num(j, "lloyd_seconds", km->lloyd_seconds);
    cli_json_num(j, "seconds_per_iteration",
                 km->iterations > 0 ? km->lloyd_seconds / (double)(km->iterations * km->restarts)
                                    : NAN);
    json_int_array(j, "iteration_seconds", km->iter, km->iterations, 0);
    json_int_array(j, "iteration_distances", km->iter, km->iterations, 1);
    json_int_array(j, "iteration_changed", km->iter, km->iterations, 2);
    cli_json_num(j, "kmeans_seconds", km->seconds);
    if (r->autok_count > 0) {
        size_t len = 0;
        char *buf = NULL;
        FILE *m = open_memstream(&buf, &len);
        if (m) {
            fputc('[', m);
            for (int64_t q = 0; q < r->autok_count; q++)
                fprintf(m, "%s{\"k\": %lld, \"modularity\": %.6f, \"seconds\": %.4g}",
                        q ? ", " : "", (long long)r->autok[q].k, r->autok[q].modularity,
                        r->autok[q].seconds);
            fputc(']', m);
            fclose(m);
            cli_json_raw(j, "automatic_k", buf);
            free(buf);
        }
        cli_json_num(j, "automatic_k_seconds", r->autok_seconds);
    }
    cli_json_num(j, "modularity_kmeans", r->modularity_kmeans);
    cli_json_bool(j, "refined", r->refined);
    if (r->refined) {
        cli_json_int(j, "refine_moves", r->refine.moves);
        cli_json_int(j, "refine_rounds", r->refine.rounds);
        cli_json_num(j, "refine_seconds", r->refine.seconds);
        cli_json_num(j, "refine_modularity_gain",
                     r->refine.modularity_after - r->refine.modularity_before);
    }
}

void cli_match_json(cli_json *j, const sgae_match_result *mr, int64_t unknown)
{
    const struct {
        const char *key;
        int64_t v;
    } counts[] = {{"common_nodes", mr->common},
                  {"matched_communities", mr->matched},
                  {"fresh_communities", mr->fresh},
                  {"previous_unknown_nodes", unknown}};
    cli_json_int(j, "changed_nodes", mr->changed);
    cli_json_num(j, "nmi_previous", mr->nmi);
    for (size_t k = 0; k < sizeof counts / sizeof counts[0]; k++)
        cli_json_int(j, counts[k].key, counts[k].v);
}

void cli_json_run_end(cli_json *j, double seconds, const char *output)
{
    cli_json_num(j, "seconds", seconds);
    cli_json_int(j, "peak_rss_bytes", sgae_peak_rss());
    cli_json_int(j, "threads", cli_threads());
    cli_json_str(j, "output", output);
    cli_json_end(j);
}

void cli_cluster_print(const sgae_cluster_result *r, const sgae_cluster_opts *o)
{
    const sgae_kmeans_result *km = &r->kmeans;
    if (r->autok_count > 0) {
        printf("automatic k: %lld (best modularity of %lld candidates, %.2f s):", (long long)r->k,
               (long long)r->autok_count, r->autok_seconds);
        for (int64_t q = 0; q < r->autok_count; q++)
            printf(" %lld:%.3f", (long long)r->autok[q].k, r->autok[q].modularity);
        printf("\n");
    }
    printf("k-means%s: k %lld, inertia %.6g, %lld iterations%s, best of %lld runs, %.2f s "
           "(seeding %.2f s, %.1f ms per iteration)\n",
           o->kmeans.spherical ? " (spherical)" : "", (long long)r->k, km->inertia,
           (long long)km->iterations, km->converged ? "" : " (not converged)",
           (long long)km->restarts, km->seconds, km->seed_seconds,
           km->iterations > 0
               ? 1e3 * km->lloyd_seconds / (double)(km->iterations * km->restarts)
               : 0.0);
    if (km->distances_naive > 0)
        printf("distances: %lld computed of %lld for a full scan (%.1f%% saved by the bounds)\n",
               (long long)km->distances, (long long)km->distances_naive,
               100.0 * (1.0 - (double)km->distances / (double)km->distances_naive));
    if (r->refined)
        printf("refinement: modularity %.4f -> %.4f, %lld moves in %lld rounds, %.2f s\n",
               r->refine.modularity_before, r->refine.modularity_after,
               (long long)r->refine.moves, (long long)r->refine.rounds, r->refine.seconds);
}

/* ---- the command ------------------------------------------------------------- */

static const char cluster_help[] =
    "usage: sgae cluster [OPTIONS] EMBEDDINGS.npy -o OUT\n"
    "\n"
    "Cluster learned node embeddings (as `sgae train --embeddings` writes them: a\n"
    "float32 .npy matrix and its id map) with k-means: greedy k-means++ seeding,\n"
    "Lloyd iterations in parallel with Hamerly's bounds, several restarts keeping\n"
    "the lowest inertia. With the graph, also the modularity of the result, the\n"
    "automatic choice of k and the refinement. Deterministic: the same seed gives\n"
    "the same communities at any thread count.\n"
    "\n"
    "Input:\n"
    "  --ids F            id map of the rows (default: EMBEDDINGS with .npy replaced\n"
    "                     by .ids.tsv; header 'node_id<TAB>row')\n"
    "  --graph G          the graph the embeddings belong to (any format of sgae\n"
    "                     info); every node needs a row and every row a node\n"
    "  --format F         format of G (default: detect)\n"
    "%s"
    "  --seed S           seed of sampling and seeding (default 1)\n"
    "  --threads T        OpenMP threads (default: all cores)\n"
    "Output:\n"
    "  -o OUT             'node<TAB>community' lines (header line, then one line per\n"
    "                     node in the user's ids), written to a temporary file and\n"
    "                     renamed: OUT is never left half-written\n"
    "  --json             one JSON object on stdout: k, inertia, iterations, seconds,\n"
    "                     communities, modularity (null without the graph),\n"
    "                     converged, restarts, distances, distances_naive,\n"
    "                     distances_saved, seconds_per_iteration, iteration_seconds,\n"
    "                     iteration_distances, iteration_changed, seed_seconds,\n"
    "                     lloyd_seconds, automatic_k (candidates), refine_moves,\n"
    "                     changed_nodes and nmi_previous (with --previous),\n"
    "                     peak_rss_bytes\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 success, 1 failure (bad input, I/O), 2 usage error.\n";

static const cli_command cluster_cmd = {"cluster", cluster_help, cli_cluster_help, 0,
                                          "embeddings file"};

int cmd_cluster(int argc, char **argv)
{
    const char *cmd = "cluster", *emb = NULL, *ids = NULL, *graph = NULL, *out = NULL,
               *prevp = NULL;
    sgae_format fmt = SGAE_FMT_AUTO;
    int weighted = 0;
    sgae_cluster_opts co;
    sgae_cluster_opts_default(&co);
    co.kmeans.k = -1; /* not given */
    co.kmeans.spherical = 1;
    int json = 0, r, fresh = 0;
    int64_t threads = 0;
    cli_stage pc = {0};
    cli_option clus[CLI_CLUSTER_ROWS];
    const cli_option own[] = {
        CLI_STANDARD_OPTIONS(&json, &pc.quiet),
        {"--ids", NULL, CLI_STR, &ids, 0, 0, NULL, NULL},
        {"--graph", NULL, CLI_STR, &graph, 0, 0, NULL, NULL},
        {"--weighted", NULL, CLI_FLAG, &weighted, 1, 0, NULL, NULL},
        {"--format", NULL, CLI_FORMAT, &fmt, 0, 0, NULL, NULL},
        {"--previous", NULL, CLI_STR, &prevp, 0, 0, NULL, NULL},
        {"--seed", NULL, CLI_U64, &co.kmeans.seed, 0, 0, NULL, NULL},
        {"--threads", NULL, CLI_INT, &threads, 1, 4096, NULL, NULL},
        {"-o", "--output", CLI_STR, &out, 0, 0, NULL, NULL},
        CLI_END,
    };
    const cli_option *const tables[] = {cli_cluster_options(clus, &co, &fresh), own, NULL};
    if (cli_parse(&cluster_cmd, argc, argv, tables, &emb, &r))
        return r;
    if (!emb)
        return cli_usage_error(cmd, "no embeddings file given");
    if (!out)
        return cli_usage_error(cmd, "no output file given (-o OUT)");
    const int k_given = co.kmeans.k >= 0;
    if (co.kmeans.k < 0)
        co.kmeans.k = 0;
    if (!graph && co.kmeans.k == 0 && !(prevp && !fresh))
        return cli_usage_error(cmd, "without --graph, give --k or --previous (the automatic k "
                                    "needs the graph)");
    if (!graph && co.refine)
        return cli_usage_error(cmd, "--refine needs --graph");
    if (co.k_max > 0 && co.k_min > co.k_max)
        return cli_usage_error(cmd, "--k-min %lld exceeds --k-max %lld", (long long)co.k_min,
                               (long long)co.k_max);
    if (!cli_output_ok(cmd, out))
        return CLI_FAIL;
    cli_set_threads(threads);
    pc.tty = isatty(2);
    co.kmeans.progress = (sgae_progress_sink){cli_stage_progress, &pc};
    co.refine_opts.progress = co.kmeans.progress;

    int rc = CLI_FAIL;
    sgae_status st;
    float *x = NULL, *xg = NULL;
    int64_t rows = 0, dim = 0, *row_of = NULL, skipped = 0;
    int32_t *prev = NULL;
    sgae_graph *nodes = NULL, *g = NULL;
    sgae_cluster_result res = {0};
    sgae_match_result mr = {0};
    double t0 = sgae_now();
    if ((st = sgae_embeddings_load(emb, ids, &x, &rows, &dim, &nodes))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    const float *xin = x;
    const sgae_graph *names = nodes;
    if (graph) {
        if ((st = cli_graph_load(graph, fmt, weighted, &g))) {
            rc = cli_fail(cmd, st);
            goto done;
        }
        row_of = malloc((size_t)g->n * sizeof *row_of + 1);
        xg = malloc((size_t)(g->n * dim) * sizeof *xg + 1);
        if (!row_of || !xg) {
            sgae_error_set(SGAE_E_NOMEM, "no memory for %lld rows", (long long)g->n);
            rc = cli_fail(cmd, SGAE_E_NOMEM);
            goto done;
        }
        if ((st = sgae_embeddings_align(nodes, g, emb, row_of))) {
            rc = cli_fail(cmd, st);
            goto done;
        }
        for (int64_t i = 0; i < g->n; i++)
            memcpy(xg + i * dim, x + row_of[i] * dim, (size_t)dim * sizeof *xg);
        xin = xg;
        names = g;
    }
    if (!pc.quiet)
        fprintf(stderr, "embeddings: %lld x %lld%s\n", (long long)rows, (long long)dim,
                g ? ", with the graph" : "");
    if (prevp && (st = cli_previous_load(names, prevp, &prev, &skipped))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    co.start = prevp && !fresh && !k_given ? prev : NULL;
    if ((rc = cli_cluster_check(cmd, &co, names->n)) != CLI_OK)
        goto done;
    rc = CLI_FAIL;
    if ((st = sgae_cluster(g, xin, names->n, dim, &co, &res))) {
        cli_stage_progress(&pc, "", -1, 0);
        rc = cli_fail(cmd, st);
        goto done;
    }
    if ((prevp && (st = sgae_communities_match(names->n, prev, res.comm, &mr))) ||
        (st = sgae_communities_save(names, res.comm, out))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    double secs = sgae_now() - t0;
    if (json) {
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "embeddings", emb);
        cli_json_int(&j, "nodes", names->n);
        cli_json_int(&j, "dim", dim);
        cli_json_int(&j, "communities", res.communities);
        cli_cluster_json(&j, &res, &co);
        cli_json_num(&j, "modularity", res.modularity);
        if (prevp)
            cli_match_json(&j, &mr, skipped);
        cli_json_num(&j, "cluster_seconds", res.seconds);
        cli_json_run_end(&j, secs, out);
    } else {
        cli_cluster_print(&res, &co);
        printf("communities: %lld%s", (long long)res.communities, g ? "" : "\n");
        if (g)
            printf(", modularity %.4f\n", res.modularity);
        if (prevp)
            printf("stable ids: %lld of %lld nodes changed community, NMI with yesterday %.4f "
                   "(%lld communities kept their id, %lld new)\n",
                   (long long)mr.changed, (long long)mr.common, mr.nmi, (long long)mr.matched,
                   (long long)mr.fresh);
        printf("%.2f s, peak memory %.1f MiB; communities written to %s\n", secs,
               (double)sgae_peak_rss() / 1048576.0, out);
    }
    rc = CLI_OK;
done:
    sgae_cluster_result_clear(&res);
    sgae_graph_free(nodes);
    sgae_graph_free(g);
    free(x);
    free(xg);
    free(row_of);
    free(prev);
    return rc;
}

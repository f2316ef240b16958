/* sgae score GRAPH --communities C [--truth T]: modularity, sizes and
 * conductance of a partition; NMI, ARI, AMI and best-match F1 against a
 * ground truth.  The truth handling is shared with `sgae communities`. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

/* ---- ground truth ----------------------------------------------------------- */

const char *const cli_truth_formats[] = {"labels", "cmty", "auto", NULL};

sgae_status cli_truth_load(const char *path, const char *format, const sgae_graph *g,
                           cli_truth *t)
{
    sgae_status st = SGAE_OK;
    sgae_labels *l = NULL;
    memset(t, 0, sizeof *t);
    t->path = path;
    t->n = g->n;
    if (format && !strcmp(format, "cmty"))
        t->cover_file = 1;
    else if (format && !strcmp(format, "labels"))
        t->cover_file = 0;
    else
        t->cover_file = strstr(path, ".cmty") != NULL;
    t->part = malloc((size_t)g->n * sizeof *t->part + 1);
    if (!t->part)
        return sgae_error_set(SGAE_E_NOMEM, "%s: no memory", path);
    if (t->cover_file) {
        if ((st = sgae_cover_load(path, g, 1, &t->cover, &t->skipped)))
            goto fail;
        if (!sgae_cover_to_partition(&t->cover, t->part)) {
            t->overlapping = 1;
            free(t->part);
            t->part = NULL;
        }
    } else {
        if ((st = sgae_partition_load(path, g, 1, &l, &t->skipped)))
            goto fail;
        memcpy(t->part, l->label, (size_t)g->n * sizeof *t->part);
        sgae_labels_free(l);
    }
    return SGAE_OK;
fail:
    cli_truth_clear(t);
    return st;
}

void cli_truth_clear(cli_truth *t)
{
    free(t->part);
    sgae_cover_clear(&t->cover);
    memset(t, 0, sizeof *t);
}

sgae_status cli_truth_compare(const cli_truth *t, const int32_t *comm, sgae_compare *c)
{
    sgae_status st;
    if (t->part)
        return sgae_partition_compare(t->n, t->part, comm, c);
    memset(c, 0, sizeof *c);
    c->nmi = c->ari = c->ami = c->mi = c->emi = NAN;
    c->truth_classes = t->cover.count;
    if ((st = sgae_cover_f1(&t->cover, comm, &c->f1_truth, &c->f1_found)))
        return st;
    c->f1 = 0.5 * (c->f1_truth + c->f1_found);
    return SGAE_OK;
}

/* ---- output ------------------------------------------------------------------- */

void cli_score_json(cli_json *j, const sgae_partition_stats *s, const cli_truth *t,
                    const sgae_compare *c)
{
    char buf[512];
    int off = 0, last = 0;
    for (int b = 0; b < 32; b++)
        if (s->size_log2[b])
            last = b;
    off += snprintf(buf + off, sizeof buf - (size_t)off, "[");
    for (int b = 0; b <= last; b++)
        off += snprintf(buf + off, sizeof buf - (size_t)off, "%s%lld", b ? ", " : "",
                        (long long)s->size_log2[b]);
    snprintf(buf + off, sizeof buf - (size_t)off, "]");
    cli_json_num(j, "modularity", s->modularity);
    cli_json_num(j, "coverage", s->coverage);
    cli_json_int(j, "unassigned", s->unassigned);
    cli_json_int(j, "singletons", s->singletons);
    cli_json_int(j, "size_min", s->size_min);
    cli_json_num(j, "size_median", s->size_median);
    cli_json_num(j, "size_mean", s->size_mean);
    cli_json_int(j, "size_max", s->size_max);
    cli_json_raw(j, "size_log2_histogram", buf);
    cli_json_num(j, "conductance_mean", s->conductance_mean);
    cli_json_num(j, "conductance_median", s->conductance_median);
    cli_json_num(j, "conductance_min", s->conductance_min);
    cli_json_num(j, "conductance_max", s->conductance_max);
    if (t && c) {
        cli_json_str(j, "truth", t->path);
        cli_json_bool(j, "truth_overlapping", t->overlapping);
        cli_json_int(j, "truth_classes", c->truth_classes);
        cli_json_int(j, "truth_unknown_nodes", t->skipped);
        cli_json_int(j, "compared_nodes", c->nodes);
        cli_json_num(j, "nmi", c->nmi);
        cli_json_num(j, "ari", c->ari);
        cli_json_num(j, "ami", c->ami);
        cli_json_num(j, "f1_truth", c->f1_truth);
        cli_json_num(j, "f1_found", c->f1_found);
        cli_json_num(j, "f1", c->f1);
    } else {
        cli_json_raw(j, "nmi", "null");
        cli_json_raw(j, "ari", "null");
        cli_json_raw(j, "ami", "null");
    }
}

void cli_score_print(const sgae_partition_stats *s, const cli_truth *t, const sgae_compare *c)
{
    printf("communities    %lld (%lld singletons, %lld nodes unassigned)\n",
           (long long)s->communities, (long long)s->singletons, (long long)s->unassigned);
    printf("sizes          min %lld, median %.1f, mean %.1f, max %lld\n", (long long)s->size_min,
           s->size_median, s->size_mean, (long long)s->size_max);
    printf("modularity     %.4f (%.1f%% of edges inside communities)\n", s->modularity,
           100.0 * s->coverage);
    printf("conductance    mean %.4f, median %.4f, min %.4f, max %.4f\n", s->conductance_mean,
           s->conductance_median, s->conductance_min, s->conductance_max);
    if (t && c) {
        if (t->overlapping)
            printf("truth          %s: %lld overlapping communities (NMI/ARI/AMI need a "
                   "partition)\n",
                   t->path, (long long)c->truth_classes);
        else
            printf("truth          %s: %lld classes on %lld compared nodes\n", t->path,
                   (long long)c->truth_classes, (long long)c->nodes);
        if (t->skipped)
            printf("               (%lld truth entries name nodes not in the graph: ignored)\n",
                   (long long)t->skipped);
        if (!t->overlapping)
            printf("NMI %.4f  ARI %.4f  AMI %.4f\n", c->nmi, c->ari, c->ami);
        printf("best-match F1  %.4f (truth -> found %.4f, found -> truth %.4f)\n", c->f1,
               c->f1_truth, c->f1_found);
    }
}

/* ---- the command ---------------------------------------------------------------- */

static const char score_help[] =
    "usage: sgae score [OPTIONS] GRAPH --communities C\n"
    "\n"
    "Score a partition of GRAPH: Newman's modularity (weighted with --weighted), the number of\n"
    "communities and their sizes, conductance cut(S) / min(vol S, vol rest); and\n"
    "with --truth, agreement with a ground truth on the nodes labelled in both:\n"
    "NMI (arithmetic normalisation), ARI and AMI (exact expected mutual\n"
    "information) as scikit-learn defines them, and the average best-match F1\n"
    "both ways.\n"
    "\n"
    "Input:\n"
    "  --communities C    'node community' lines (TAB, space or comma separated;\n"
    "                     one optional header line; as `sgae cluster -o` writes);\n"
    "                     a node of the graph not listed is a community of its own\n"
    "  --truth T          ground truth: 'node label' lines or CSV with a header (as\n"
    "                     --labels reads them), or a SNAP .cmty file (one community\n"
    "                     per line, members separated by spaces or TABs; they may\n"
    "                     overlap, and then only the F1 scores are given); truth\n"
    "                     nodes not in the graph are ignored and counted\n"
    "  --truth-format F   labels, cmty or auto (default: cmty when T's name\n"
    "                     contains '.cmty')\n"
    "  --format F         graph format (default: detect)\n"
    "  --weighted         read the graph's edge weights (weighted modularity)\n"
    "  --threads T        OpenMP threads (default: all cores)\n"
    "Output:\n"
    "  --json             one JSON object on stdout: communities, k (the same\n"
    "                     number), modularity, nmi, ari, ami (null without --truth),\n"
    "                     seconds, coverage, unassigned, singletons, size_min,\n"
    "                     size_median, size_mean, size_max, size_log2_histogram\n"
    "                     (communities with floor(log2 size) = 0, 1, ...),\n"
    "                     conductance_mean/median/min/max, and with --truth\n"
    "                     truth_classes, compared_nodes, truth_unknown_nodes,\n"
    "                     truth_overlapping, f1_truth, f1_found, f1\n"
    "  -q, --quiet        no progress on stderr\n"
    "  -h, --help         show this help\n"
    "\n"
    "Exit status: 0 success, 1 failure (bad input, I/O), 2 usage error.\n";

static const cli_command score_cmd = {"score", score_help, NULL, 0, "graph"};

int cmd_score(int argc, char **argv)
{
    const char *cmd = "score", *graph = NULL, *comm_path = NULL, *truth = NULL;
    sgae_format fmt = SGAE_FMT_AUTO;
    int json = 0, quiet = 0, tk = -1, r, weighted = 0;
    int64_t threads = 0;
    const cli_option own[] = {
        CLI_STANDARD_OPTIONS(&json, &quiet),
        {"--communities", NULL, CLI_STR, &comm_path, 0, 0, NULL, NULL},
        {"--weighted", NULL, CLI_FLAG, &weighted, 1, 0, NULL, NULL},
        CLI_TRUTH_OPTIONS(&truth, &tk),
        {"--format", NULL, CLI_FORMAT, &fmt, 0, 0, NULL, NULL},
        {"--threads", NULL, CLI_INT, &threads, 1, 4096, NULL, NULL},
        CLI_END,
    };
    const cli_option *const tables[] = {own, NULL};
    if (cli_parse(&score_cmd, argc, argv, tables, &graph, &r))
        return r;
    const char *tfmt = tk >= 0 ? cli_truth_formats[tk] : NULL;
    if (!graph)
        return cli_usage_error(cmd, "no graph file given");
    if (!comm_path)
        return cli_usage_error(cmd, "no communities given (--communities C)");
    (void)quiet; /* score reports no progress: -q is accepted like every command's */
    cli_set_threads(threads);
    int rc = CLI_FAIL;
    sgae_status st;
    sgae_graph *g = NULL;
    sgae_labels *l = NULL;
    cli_truth t = {0};
    sgae_partition_stats ps;
    sgae_compare cmp;
    double t0 = sgae_now();
    if ((st = cli_graph_load(graph, fmt, weighted, &g)) || (st = sgae_partition_load(comm_path, g, 0, &l, NULL)) ||
        (st = sgae_partition_stats_compute(g, l->label, &ps))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    if (truth && ((st = cli_truth_load(truth, tfmt, g, &t)) ||
                  (st = cli_truth_compare(&t, l->label, &cmp)))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    double secs = sgae_now() - t0;
    if (json) {
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "graph", graph);
        cli_json_str(&j, "communities_file", comm_path);
        cli_json_int(&j, "nodes", g->n);
        cli_json_int(&j, "edges", sgae_graph_edges(g));
        cli_json_int(&j, "communities", ps.communities);
        cli_json_int(&j, "k", ps.communities);
        cli_score_json(&j, &ps, truth ? &t : NULL, truth ? &cmp : NULL);
        cli_json_num(&j, "seconds", secs);
        cli_json_end(&j);
    } else {
        printf("graph          %s: %lld nodes, %lld edges\n", graph, (long long)g->n,
               (long long)sgae_graph_edges(g));
        cli_score_print(&ps, truth ? &t : NULL, truth ? &cmp : NULL);
        printf("time           %.2f s\n", secs);
    }
    rc = CLI_OK;
done:
    sgae_graph_free(g);
    sgae_labels_free(l);
    cli_truth_clear(&t);
    return rc;
}

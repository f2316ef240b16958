/* sgae info GRAPH: load a graph and print its statistics. */
#include <string.h>

#include "common.h"

static const char info_help[] =
    "usage: sgae info [OPTIONS] GRAPH\n"
    "\n"
    "Load GRAPH (edge list, Matrix Market, LINQS, GML or .sgr; optionally .gz or\n"
    ".zst) and print nodes, undirected edges, dropped self-loops and duplicates,\n"
    "isolated nodes, degree statistics, connected components, CSR memory and load\n"
    "speed.\n"
    "\n"
    "Options:\n"
    "  --format F      force the input format: edgelist, mtx, linqs, gml, sgr\n"
    "                  (default: detected from the name and content)\n"
    "  --features F    node features: Matrix Market (row r is node r-1) or a\n"
    "                  LINQS .content file (rows name their nodes)\n"
    "  --labels F      node labels ('node label' lines)\n"
    "  --strict        refuse input otherwise dropped with a warning (a LINQS\n"
    "                  cite naming a paper missing from .content)\n"
    "  --threads T     OpenMP threads (default: all cores)\n"
    "  --json          print one JSON object on stdout; keys: nodes, edges,\n"
    "                  self_loops, duplicates, isolated, components,\n"
    "                  largest_component, degree_min, degree_median, degree_max,\n"
    "                  degree_mean, csr_bytes, load_seconds, edges_per_second,\n"
    "                  features, classes, labelled (nodes with a label),\n"
    "                  feature_rows_isolated (feature rows without an edge, kept\n"
    "                  as isolated nodes), format, threads, weighted (true when\n"
    "                  --weighted read weights), weight_total (sum over the\n"
    "                  edges; the edge count unweighted), weight_min, weight_max,\n"
    "                  dropped_citations (LINQS cites of missing papers)\n"
    "  -q, --quiet     no progress on stderr\n"
    "  -h, --help      show this help\n"
    "\n"
    "A snapshot (sgae train --checkpoint) is described instead: format version,\n"
    "epoch, model, graph fingerprint, best validation metrics, sections with\n"
    "their compressed and raw sizes; JSON keys: format_version, epoch, nodes,\n"
    "edges, model, bytes, raw_bytes, compression_ratio, val_auc, sections\n"
    "(a list of {name, bytes, raw_bytes}).\n";

static const cli_command info_cmd = {"info", info_help, NULL, 1, "graph"};

int cmd_info(int argc, char **argv)
{
    const char *cmd = "info";
    sgae_load_opts o = {0};
    int json = 0, quiet = 0;
    int64_t threads = 0;
    int r;
    cli_option load[CLI_LOAD_ROWS];
    const cli_option own[] = {CLI_STANDARD_OPTIONS(&json, &quiet), CLI_END};
    const cli_option *const tables[] = {own, cli_load_options(load, &o, 1, &threads), NULL};
    if (cli_parse(&info_cmd, argc, argv, tables, &o.graph, &r))
        return r;
    if (!o.graph)
        return cli_usage_error(cmd, "no graph file given");
    cli_set_threads(threads);
    if (cli_is_snapshot(o.graph))
        return cli_snapshot_info(o.graph, json);
    o.progress = cli_progress_sink(quiet);

    sgae_dataset ds;
    sgae_graph_stats s;
    sgae_status st = sgae_dataset_load(&o, &ds);
    if (st)
        return cli_fail(cmd, st);
    cli_load_warnings(cmd, &ds);
    if ((st = sgae_graph_stats_compute(ds.graph, &s))) {
        sgae_dataset_clear(&ds);
        return cli_fail(cmd, st);
    }
    double eps = ds.load_seconds > 0 ? (double)ds.graph->input_edges / ds.load_seconds : 0;
    int64_t nfeat = ds.features ? ds.features->x.ncols : 0;
    int64_t ncls = ds.labels ? ds.labels->nclasses : 0;
    int64_t labelled = 0, feat_isolated = 0;
    for (int64_t i = 0; ds.labels && i < ds.labels->n; i++)
        labelled += ds.labels->label[i] >= 0;
    /* with a Matrix Market features file the feature rows fix the node set:
     * rows whose node has no edge in the graph file are isolated nodes */
    if (o.features && ds.features && ds.format != SGAE_FMT_SGR)
        for (int64_t i = 0; i < ds.graph->n; i++)
            feat_isolated += sgae_graph_degree(ds.graph, i) == 0;
    if (json) {
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "graph", o.graph);
        cli_json_int(&j, "nodes", s.nodes);
        cli_json_int(&j, "edges", s.edges);
        cli_json_int(&j, "self_loops", s.self_loops);
        cli_json_int(&j, "duplicates", s.duplicates);
        cli_json_int(&j, "isolated", s.isolated);
        cli_json_int(&j, "components", s.components);
        cli_json_int(&j, "largest_component", s.largest_component);
        cli_json_int(&j, "degree_min", s.deg_min);
        cli_json_num(&j, "degree_median", s.deg_median);
        cli_json_int(&j, "degree_max", s.deg_max);
        cli_json_num(&j, "degree_mean", s.deg_mean);
        cli_json_int(&j, "csr_bytes", s.csr_bytes);
        cli_json_num(&j, "load_seconds", ds.load_seconds);
        cli_json_num(&j, "edges_per_second", eps);
        cli_json_int(&j, "features", nfeat);
        cli_json_int(&j, "classes", ncls);
        cli_json_int(&j, "labelled", labelled);
        cli_json_int(&j, "feature_rows_isolated", feat_isolated);
        cli_json_bool(&j, "weighted", s.weighted != 0);
        cli_json_num(&j, "weight_total", s.weight_total);
        cli_json_num(&j, "weight_min", s.weight_min);
        cli_json_num(&j, "weight_max", s.weight_max);
        cli_json_str(&j, "format", sgae_format_name(ds.format));
        cli_json_int(&j, "threads", cli_threads());
        cli_json_int(&j, "dropped_citations", ds.dropped_citations);
        cli_json_end(&j);
    } else {
        printf("graph              %s (%s)\n", o.graph, sgae_format_name(ds.format));
        printf("nodes              %lld\n", (long long)s.nodes);
        printf("edges              %lld (undirected, self-loops excluded)\n", (long long)s.edges);
        printf("self-loops dropped %lld\n", (long long)s.self_loops);
        printf("duplicates dropped %lld\n", (long long)s.duplicates);
        printf("isolated nodes     %lld", (long long)s.isolated);
        if (feat_isolated)
            printf(" (%lld feature rows without an edge became isolated nodes)",
                   (long long)feat_isolated);
        printf("\n");
        printf("degree             min %lld, median %g, max %lld, mean %.3f\n",
               (long long)s.deg_min, s.deg_median, (long long)s.deg_max, s.deg_mean);
        printf("components         %lld (largest %lld nodes)\n", (long long)s.components,
               (long long)s.largest_component);
        if (s.weighted)
            printf("weights            read: total %.9g over the edges, min %.9g, max %.9g\n",
                   s.weight_total, s.weight_min, s.weight_max);
        else
            printf("weights            not read (unweighted; --weighted reads them)\n");
        if (ds.features)
            printf("features           %lld\n", (long long)nfeat);
        if (ds.labels)
            printf("classes            %lld (%lld of %lld nodes labelled)\n", (long long)ncls,
                   (long long)labelled, (long long)s.nodes);
        if (ds.dropped_citations)
            printf("cites dropped      %lld (naming papers missing from .content)\n",
                   (long long)ds.dropped_citations);
        printf("CSR memory         %.1f MiB\n", (double)s.csr_bytes / (1024.0 * 1024.0));
        printf("load time          %.3f s (%.3g input edges/s, %d %s)\n", ds.load_seconds, eps,
               cli_threads(), cli_plural_threads(cli_threads()));
    }
    sgae_dataset_clear(&ds);
    return CLI_OK;
}

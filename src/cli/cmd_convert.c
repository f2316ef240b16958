/* sgae convert IN -o OUT: load a graph and write it as .sgr or as an edge list. */
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common.h"

static const char convert_help[] =
    "usage: sgae convert [OPTIONS] IN -o OUT\n"
    "\n"
    "Load the graph IN (edge list, Matrix Market, LINQS, GML or .sgr; optionally\n"
    ".gz or .zst) and write it to OUT, in the format its name gives:\n"
    "  OUT.sgr              sgae's binary graph (CSR + id map, zstd-compressed,\n"
    "                       checksummed), which reloads much faster than text;\n"
    "  OUT.txt, .edges, .tsv, .csv   an edge list 'u v' (u < v, the user's ids;\n"
    "                       TAB-separated for .tsv, comma for .csv) after a\n"
    "                       '# nodes N' line; an isolated node is a line with its\n"
    "                       id alone (none needed when the ids are 0..N-1);\n"
    "  OUT.mtx              Matrix Market coordinate pattern symmetric (node r is\n"
    "                       row r+1; the user's ids are not kept);\n"
    "  the text formats compressed when the name ends in .gz or .zst.  Any other\n"
    "name is refused.  Every format reads back with the same nodes.  OUT is\n"
    "checked before IN is read, written to a temporary file and renamed, so it\n"
    "is never left half written.  Node features and labels are not stored.\n"
    "\n"
    "Options:\n"
    "  -o, --output OUT  output file (required)\n"
    "  --format F        force the input format: edgelist, mtx, linqs, gml, sgr\n"
    "                    (default: detected from the name and content)\n"
    "  --strict          refuse input otherwise dropped with a warning (LINQS\n"
    "                    cites naming papers missing from .content)\n"
    "  --features F      node features (Matrix Market; row r is node r-1): fixes\n"
    "                    the node set to the feature rows (Planetoid convention)\n"
    "  --threads T       OpenMP threads (default: all cores)\n"
    "  --json            print one JSON object on stdout; keys: input, output,\n"
    "                    format, nodes, edges, bytes (size of OUT), seconds (load +\n"
    "                    write), load_seconds, write_seconds\n"
    "  -q, --quiet       no progress on stderr\n"
    "  -h, --help        show this help\n";

static const cli_command convert_cmd = {"convert", convert_help, NULL, 1, "input"};

int cmd_convert(int argc, char **argv)
{
    const char *cmd = "convert", *outp = NULL;
    sgae_load_opts o = {0};
    int json = 0, quiet = 0;
    int64_t threads = 0;
    int r;
    cli_option load[CLI_LOAD_ROWS];
    const cli_option own[] = {
        CLI_STANDARD_OPTIONS(&json, &quiet),
        {"-o", "--output", CLI_STR, &outp, 0, 0, NULL, NULL},
        CLI_END,
    };
    const cli_option *const tables[] = {own, cli_load_options(load, &o, 0, &threads), NULL};
    if (cli_parse(&convert_cmd, argc, argv, tables, &o.graph, &r))
        return r;
    if (!o.graph)
        return cli_usage_error(cmd, "no input graph given");
    if (!outp)
        return cli_usage_error(cmd, "no output given (-o OUT)");
    int kind;
    if ((r = cli_graph_output(cmd, outp, &kind)) != CLI_OK)
        return r;
    cli_set_threads(threads);

    sgae_dataset ds;
    double t0 = sgae_now();
    o.progress = cli_progress_sink(quiet);
    sgae_status st = sgae_dataset_load(&o, &ds);
    if (st)
        return cli_fail(cmd, st);
    cli_load_warnings(cmd, &ds);
    double t1 = sgae_now();
    st = cli_graph_save(ds.graph, outp, kind);
    if (st) {
        sgae_dataset_clear(&ds);
        return cli_fail(cmd, st);
    }
    double t2 = sgae_now();
    struct stat sb;
    long long bytes = stat(outp, &sb) == 0 ? (long long)sb.st_size : -1;
    if (json) {
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "input", o.graph);
        cli_json_str(&j, "output", outp);
        cli_json_str(&j, "format", cli_graph_kind_name(kind));
        cli_json_int(&j, "nodes", ds.graph->n);
        cli_json_int(&j, "edges", sgae_graph_edges(ds.graph));
        cli_json_int(&j, "bytes", bytes);
        cli_json_num(&j, "seconds", t2 - t0);
        cli_json_num(&j, "load_seconds", t1 - t0);
        cli_json_num(&j, "write_seconds", t2 - t1);
        cli_json_end(&j);
    } else {
        printf("%s -> %s: %lld nodes, %lld edges, %lld bytes, %.3f s\n", o.graph, outp,
               (long long)ds.graph->n, (long long)sgae_graph_edges(ds.graph), bytes, t2 - t0);
    }
    sgae_dataset_clear(&ds);
    return CLI_OK;
}

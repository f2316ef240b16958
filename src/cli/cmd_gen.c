/* sgae gen lfr|kron: synthetic graphs. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"

static const char gen_help[] =
    "usage: sgae gen lfr  [OPTIONS] -o OUT [--truth T]\n"
    "       sgae gen kron [OPTIONS] -o OUT\n"
    "\n"
    "Generate a synthetic graph and write it to OUT: the binary .sgr format when\n"
    "OUT ends in .sgr, an edge list for .txt, .edges, .tsv, .csv ('# nodes N',\n"
    "then 'u v' per undirected edge, ids 0..n-1), Matrix Market for .mtx; the\n"
    "text ones zstd- or gzip-compressed when OUT ends in .zst or .gz; any other\n"
    "name is refused.  OUT (and T) are checked before generating.  The same\n"
    "seed gives the same graph at any thread count.  Option values the\n"
    "generator cannot honour are usage errors (exit status 2).\n"
    "\n"
    "lfr: planted communities in the spirit of the LFR benchmark (Lancichinetti,\n"
    "Fortunato, Radicchi 2008): power-law degrees and community sizes; each node\n"
    "sends a fraction mu of its edges outside its community.  Self-loops and\n"
    "multi-edges are repaired by edge swaps; no node is isolated.\n"
    "  --nodes N               nodes (default 100000)\n"
    "  --avg-degree K          mean degree, 2 x edges / nodes (default 20)\n"
    "  --max-degree M          largest degree (default 500)\n"
    "  --degree-exponent X     degree power-law exponent tau1 (default 2)\n"
    "  --mu X                  mixing: fraction of each node's edges leaving its\n"
    "                          community, 0..1 (default 0.3)\n"
    "  --min-community A       smallest community size, >= 2 (default 20)\n"
    "  --max-community B       largest community size (default 1000); must exceed\n"
    "                          the largest internal degree, about (1-mu) x M\n"
    "  --community-exponent X  community-size power-law exponent tau2 (default 1)\n"
    "  --truth T               write the ground truth 'node community' lines to T\n"
    "                          (.zst/.gz compress)\n"
    "\n"
    "kron: Graph500 Kronecker / R-MAT (A=0.57, B=C=0.19, D=0.05), vertex ids\n"
    "randomly permuted; self-loops and duplicate edges dropped.\n"
    "  --scale S               2^S nodes, 1..30 (default 16)\n"
    "  --edge-factor F         F x 2^S generated edges (default 16)\n"
    "\n"
    "Common options:\n"
    "  --seed S                random seed (default 1)\n"
    "  -o, --output OUT        output graph file (required)\n"
    "  --threads T             OpenMP threads (default: all cores)\n"
    "  --json                  print one JSON object on stdout; keys: generator,\n"
    "                          output, nodes, edges, seconds, threads, plus for lfr:\n"
    "                          communities, mu, mu_realised, mu_edges,\n"
    "                          mu_warning (realised mu off by more than 0.05:\n"
    "                          also a warning on stderr),\n"
    "                          internal_edges, external_edges, rewired, dropped,\n"
    "                          isolated_fixed, truth; for kron: scale, edge_factor,\n"
    "                          self_loops, duplicates, isolated\n"
    "  -q, --quiet             no progress on stderr\n"
    "  -h, --help              show this help\n";

static const cli_command gen_cmd = {"gen", gen_help, NULL, 0, NULL};

int cmd_gen(int argc, char **argv)
{
    const char *cmd = "gen", *outp = NULL, *truth = NULL;
    int json = 0, quiet = 0, kind = -1; /* 0 lfr, 1 kron */
    int64_t threads = 0, scale = 16, ef = 16;
    sgae_lfr_opts p;
    sgae_lfr_opts_default(&p);
    uint64_t seed = 1;
    const cli_option own[] = {
        CLI_STANDARD_OPTIONS(&json, &quiet),
        {"--nodes", NULL, CLI_INT, &p.nodes, 2, INT32_MAX - 1, NULL, NULL},
        {"--avg-degree", NULL, CLI_NUM, &p.avg_degree, 1, 1e9, NULL, NULL},
        {"--max-degree", NULL, CLI_INT, &p.max_degree, 1, INT32_MAX - 1, NULL, NULL},
        {"--degree-exponent", NULL, CLI_NUM, &p.degree_exponent, 0, 10, NULL, NULL},
        {"--mu", NULL, CLI_NUM, &p.mu, 0, 1, NULL, NULL},
        {"--min-community", NULL, CLI_INT, &p.min_community, 2, INT32_MAX - 1, NULL, NULL},
        {"--max-community", NULL, CLI_INT, &p.max_community, 2, INT32_MAX - 1, NULL, NULL},
        {"--community-exponent", NULL, CLI_NUM, &p.community_exponent, 0, 10, NULL, NULL},
        {"--scale", NULL, CLI_INT, &scale, 1, 30, NULL, NULL},
        {"--edge-factor", NULL, CLI_INT, &ef, 1, 1024, NULL, NULL},
        {"--seed", NULL, CLI_U64, &seed, 0, 0, NULL, NULL},
        {"-o", "--output", CLI_STR, &outp, 0, 0, NULL, NULL},
        {"--truth", NULL, CLI_STR, &truth, 0, 0, NULL, NULL},
        {"--threads", NULL, CLI_INT, &threads, 1, 4096, NULL, NULL},
        CLI_END,
    };
    const cli_option *const tables[] = {own, NULL};
    int r;
    if (argc < 2)
        return cli_usage_error(cmd, "missing generator: lfr or kron");
    if (cli_flag(argv, 1, "-h") || cli_flag(argv, 1, "--help")) {
        fputs(gen_help, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "lfr") && strcmp(argv[1], "kron"))
        return cli_usage_error(cmd, "unknown generator '%s' (lfr or kron)", argv[1]);
    kind = strcmp(argv[1], "lfr") != 0;
    /* the options after the generator: argv[1] is argv[0] of the parse */
    if (cli_parse(&gen_cmd, argc - 1, argv + 1, tables, NULL, &r))
        return r;
    if (!outp)
        return cli_usage_error(cmd, "no output file given (-o OUT)");
    if (kind == 1 && truth)
        return cli_usage_error(cmd, "--truth applies to lfr only");
    int okind, rc;
    if ((rc = cli_graph_output(cmd, outp, &okind)) != CLI_OK)
        return rc;
    if (truth && !cli_output_ok(cmd, truth))
        return CLI_FAIL;
    cli_set_threads(threads);
    p.seed = seed;

    double t0 = sgae_now();
    sgae_graph *g = NULL;
    int32_t *comm = NULL;
    sgae_lfr_stats ls;
    sgae_status st;
    p.progress = cli_progress_sink(quiet);
    if (kind == 0) {
        st = sgae_gen_lfr(&p, &g, &comm, &ls);
    } else {
        sgae_kron_opts ko;
        sgae_kron_opts_default(&ko);
        ko.scale = (int)scale;
        ko.edge_factor = (int)ef;
        ko.seed = seed;
        ko.progress = p.progress;
        st = sgae_gen_kron(&ko, &g);
    }
    if (st)
        return cli_option_error(cmd, st); /* options are gen's only input */
    double tgen = sgae_now() - t0;
    if (!quiet)
        fprintf(stderr, "sgae gen: %lld nodes, %lld edges generated in %.2f s; writing %s\n",
                (long long)g->n, (long long)sgae_graph_edges(g), tgen, outp);
    if ((st = cli_graph_save(g, outp, okind)))
        goto fail;
    double mu_edge = kind == 0 ? ls.mu_edges : 0;
    /* small graphs cannot always realise the mixing asked for: say so */
    int mu_off = kind == 0 && fabs(ls.mu_realised - p.mu) > 0.05;
    if (mu_off)
        fprintf(stderr,
                "sgae gen: warning: realised mu %.4f is off the requested %.4f by more than "
                "0.05 (too few nodes or communities for this degree sequence)\n",
                ls.mu_realised, p.mu);
    if (kind == 0) {
        if (truth) {
            sgae_labels l = {0};
            l.n = g->n;
            l.label = comm;
            l.nclasses = (int32_t)ls.communities;
            if ((st = sgae_labels_save(g, &l, truth, NULL)))
                goto fail;
        }
    }
    double secs = sgae_now() - t0;
    int64_t isolated = 0;
    for (int64_t i = 0; i < g->n; i++)
        isolated += sgae_graph_degree(g, i) == 0;
    if (json) {
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "generator", kind == 0 ? "lfr" : "kron");
        cli_json_str(&j, "output", outp);
        cli_json_int(&j, "nodes", g->n);
        cli_json_int(&j, "edges", sgae_graph_edges(g));
        if (kind == 0) {
            cli_json_int(&j, "communities", ls.communities);
            cli_json_num(&j, "mu", p.mu);
            cli_json_num(&j, "mu_realised", ls.mu_realised);
            cli_json_num(&j, "mu_edges", mu_edge);
            cli_json_bool(&j, "mu_warning", mu_off);
            cli_json_int(&j, "internal_edges", ls.internal_edges);
            cli_json_int(&j, "external_edges", ls.external_edges);
            cli_json_int(&j, "rewired", ls.rewired);
            cli_json_int(&j, "dropped", ls.dropped);
            cli_json_int(&j, "isolated_fixed", ls.isolated_fixed);
            if (truth)
                cli_json_str(&j, "truth", truth);
        } else {
            cli_json_int(&j, "scale", scale);
            cli_json_int(&j, "edge_factor", ef);
            cli_json_int(&j, "self_loops", g->self_loops);
            cli_json_int(&j, "duplicates", g->duplicates);
            cli_json_int(&j, "isolated", isolated);
        }
        cli_json_num(&j, "generate_seconds", tgen);
        cli_json_num(&j, "seconds", secs);
        cli_json_int(&j, "threads", cli_threads());
        cli_json_end(&j);
    } else {
        printf("generator      %s\n", kind == 0 ? "lfr" : "kron");
        printf("output         %s\n", outp);
        printf("nodes          %lld\n", (long long)g->n);
        printf("edges          %lld\n", (long long)sgae_graph_edges(g));
        if (kind == 0) {
            printf("communities    %lld\n", (long long)ls.communities);
            printf("mu             %.4f requested, %.4f realised (per node), %.4f of edges\n",
                   p.mu, ls.mu_realised, mu_edge);
            printf("edges          %lld internal, %lld external\n",
                   (long long)ls.internal_edges, (long long)ls.external_edges);
            printf("repairs        %lld edges rewired, %lld dropped, %lld isolated nodes joined\n",
                   (long long)ls.rewired, (long long)ls.dropped, (long long)ls.isolated_fixed);
            if (truth)
                printf("truth          %s\n", truth);
        } else {
            printf("dropped        %lld self-loops, %lld duplicates\n",
                   (long long)g->self_loops, (long long)g->duplicates);
            printf("isolated nodes %lld\n", (long long)isolated);
        }
        printf("time           %.2f s (generation %.2f s, %d thread%s)\n", secs, tgen,
               cli_threads(), cli_threads() == 1 ? "" : "s");
    }
    sgae_graph_free(g);
    free(comm);
    return CLI_OK;
fail:
    sgae_graph_free(g);
    free(comm);
    return cli_fail(cmd, st);
}

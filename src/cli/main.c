/* sgae: the command-line tool, a thin layer over libsgae. */
#include <stdio.h>
#include <string.h>

#include "common.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"info", cmd_info, "load a graph and print its statistics"},
    {"convert", cmd_convert, "convert a graph to the binary .sgr format (or another format)"},
    {"gen", cmd_gen, "generate a graph with planted communities (lfr) or R-MAT (kron)"},
    {"train", cmd_train, "train a VGAE/GAE and evaluate link prediction"},
    {"export", cmd_export, "write the embeddings stored in a snapshot (.npy or .tsv)"},
    {"cluster", cmd_cluster, "k-means (and modularity refinement) on learned embeddings"},
    {"score", cmd_score, "modularity, sizes, NMI/ARI/AMI of a partition against a truth"},
    {"communities", cmd_communities, "train, cluster, refine, score: the nightly job"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: sgae COMMAND [OPTIONS] ...\n\n"
               "sgae trains graph auto-encoders (VGAE/GAE) on large sparse graphs.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\nEvery command takes --help, and --json to print one JSON object on stdout\n"
               "(progress and logs go to stderr).  Exit status: 0 success, 1 failure,\n"
               "2 usage error.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return CLI_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("sgae %s\n", sgae_version());
        return CLI_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "sgae: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return CLI_USAGE;
}

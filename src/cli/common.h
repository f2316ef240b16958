/* Shared plumbing of the `sgae` command-line tool: options, JSON, errors,
 * progress. */
#ifndef SGAE_CLI_COMMON_H
#define SGAE_CLI_COMMON_H

#include <stdint.h>
#include <stdio.h>

#include "json.h"
#include "sgae.h"

/* Exit codes of every command. */
enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Print "sgae CMD: <status>: <last error>" on stderr; return CLI_FAIL. */
int cli_fail(const char *cmd, sgae_status st);
/* Print "sgae CMD: <message>\nTry 'sgae CMD --help'." on stderr; return CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Option parsing: if argv[*i] is `name` (taking a value from the next
 * argument, or from `name=value`), store it in *val and return 1. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **val);
int cli_flag(char **argv, int i, const char *name);
/* Numeric conversions; on failure print a usage error naming the option and
 * return 0. */
int cli_int(const char *cmd, const char *opt, const char *s, int64_t lo, int64_t hi, int64_t *out);
int cli_u64(const char *cmd, const char *opt, const char *s, uint64_t *out);
int cli_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);

/* Table-driven options.  One row an option: `name` (and an optional second
 * spelling `alias`, e.g. "-o" / "--output"), its kind and where its value
 * goes.  A value comes from the next argument or from `name=value`. */
typedef enum {
    CLI_FLAG,   /* no value: *(int *)dst = (int)lo */
    CLI_STR,    /* *(const char **)dst */
    CLI_INT,    /* *(int64_t *)dst, an integer in lo..hi */
    CLI_U64,    /* *(uint64_t *)dst, a non-negative integer */
    CLI_NUM,    /* *(double *)dst, a number in [lo, hi] */
    CLI_FORMAT, /* *(sgae_format *)dst, an input format name */
    CLI_CHOICE, /* *(int *)dst = the index of the value in choices (NULL-ended) */
    CLI_CALL,   /* call(cmd, name, value or NULL, dst): 1 stored, 0 a usage error printed */
    CLI_HELP    /* -h / --help: cli_parse returns CLI_HELP_SHOWN */
} cli_kind;
typedef struct cli_option {
    const char *name, *alias; /* no dst (but CLI_HELP): a row left out */
    cli_kind kind;
    void *dst;
    double lo, hi;
    const char *const *choices;
    int (*call)(const char *cmd, const char *name, const char *val, void *dst);
} cli_option;
/* Rows every command has: -h/--help, --json (*json = 1), -q/--quiet (*quiet = 1). */
#define CLI_STANDARD_OPTIONS(json, quiet)                                                   \
    {"-h", "--help", CLI_HELP, NULL, 0, 0, NULL, NULL},                                    \
        {"--json", NULL, CLI_FLAG, (json), 1, 0, NULL, NULL},                              \
        {"-q", "--quiet", CLI_FLAG, (quiet), 1, 0, NULL, NULL}
/* The end of a table. */
#define CLI_END {NULL, NULL, CLI_FLAG, NULL, 0, 0, NULL, NULL}
/* What cli_parse needs of a command besides its options. */
typedef struct {
    const char *name;     /* "convert": the messages' "sgae convert: " */
    const char *help;     /* printed by -h/--help; a printf format of help_arg when set */
    const char *help_arg;
    int memory_help;      /* then cli_memory_help too */
    const char *what;     /* the positional argument ("graph"); NULL: none */
} cli_command;
/* If argv[*i] is an option of table t, store its value and return 1 (or
 * print a usage error and return -1; CLI_HELP rows return 2); for any other
 * argument return 0. */
int cli_option_match(const char *cmd, int argc, char **argv, int *i, const cli_option *t);
/* The option loop of a command: argv[1..argc-1] against the tables (a
 * NULL-ended list, tried in order); any other argument is the command's one
 * positional argument, stored in *slot ("unknown option" for a dash, "more
 * than one `what` given" for a second; no `what`: "unknown option").
 * 0: go on; 1: stop with exit code *rc (CLI_OK after -h/--help printed the
 * help, CLI_USAGE after a usage error). */
int cli_parse(const cli_command *c, int argc, char **argv, const cli_option *const *tables,
              const char **slot, int *rc);

/* The options of the commands that load a dataset: --format F, --features F,
 * --weighted, --memory-budget SIZE and, when `labels` is set, --labels F, when
 * threads is not NULL, --threads T (into *threads), as rows of a table for
 * cli_parse.  `rows` has room for CLI_LOAD_ROWS rows (the last CLI_END).
 * Returns rows. */
#define CLI_LOAD_ROWS 12
cli_option *cli_load_options(cli_option *rows, sgae_load_opts *o, int labels, int64_t *threads);

/* Load the dataset of a training command (lo->progress set by the caller):
 * the load's warnings, then the checks that its features have a row per
 * node and that it has edges, and unless quiet the "graph: ..." line.
 * CLI_OK, or CLI_FAIL with the message printed and *ds cleared. */
int cli_load_training_set(const char *cmd, const sgae_load_opts *lo, int quiet,
                          sgae_dataset *ds);

/* Help lines of --weighted (a row of cli_load_options; cli_parse prints them after the help of a command with memory_help). */
extern const char cli_weighted_help[];
/* A graph alone, read as sgae_dataset_load with `weighted`. */
sgae_status cli_graph_load(const char *path, sgae_format fmt, int weighted, sgae_graph **g);
/* Help lines of --memory-budget (a row of cli_load_options). */
extern const char cli_memory_help[];
/* After sgae_dataset_load: the load's warnings on stderr. */
void cli_load_warnings(const char *cmd, const sgae_dataset *ds);

/* Output graphs, by the name's extension (any case): .sgr; an edge list
 * .txt, .edges, .tsv, .csv; Matrix Market .mtx; the text ones optionally
 * followed by .gz or .zst.  cli_graph_kind gives the kind or, for any other
 * name, prints a usage error listing these and returns -1. */
enum { CLI_GRAPH_SGR, CLI_GRAPH_EDGELIST, CLI_GRAPH_MTX };
int cli_graph_kind(const char *cmd, const char *path);
const char *cli_graph_kind_name(int kind);
sgae_status cli_graph_save(const sgae_graph *g, const char *path, int kind);
/* An output graph path given by option `opt`: its kind (cli_graph_kind)
 * and cli_check_output.  CLI_OK with *kind set, or the exit code (the
 * message printed). */
int cli_graph_output(const char *cmd, const char *path, int *kind);

/* The tool's progress printer, to pass to library calls that report
 * progress: a line "label: done / total (p%)" (or "label: done" when total
 * is 0) on stderr, at most a few times a second (the last unit of a stage
 * always shows), overwritten in place when stderr is a terminal and one
 * plain line per update otherwise; a call with done < 0 ends the stage
 * (clears the line on a terminal).  quiet: a silent sink (fn NULL).  The
 * sinks share one state: use them from one thread at a time. */
sgae_progress_sink cli_progress_sink(int quiet);

/* The last branch of every option loop: argv[i] is an unknown option (a
 * usage error), the command's one positional argument (stored in *slot), or
 * one too many (`what` names it in the message).  CLI_OK or CLI_USAGE. */
int cli_positional(const char *cmd, char **argv, int i, const char **slot, const char *what);

/* Output paths, checked before any long work starts (sgae_file_check_writable:
 * the directory exists and is writable, the path is not a directory). */
sgae_status cli_check_output(const char *path);
/* An embeddings output `path` (option `opt`): OUT.tsv (text, *tsv = 1) or
 * OUT.npy with its id map OUT.ids.tsv (*idp, malloc'ed); any other name
 * is a usage error.  Both paths are checked (cli_check_output).  CLI_OK,
 * or the exit code with the message printed (*idp NULL). */
int cli_embeddings_output(const char *cmd, const char *opt, const char *path, int *tsv,
                          char **idp);
/* Write embeddings to the output cli_embeddings_output checked: with idp,
 * OUT.npy and its id map together (sgae_npy_ids_save), else OUT.tsv. */
sgae_status cli_embeddings_save(const char *path, const char *idp, const float *z, int64_t n,
                                int64_t dim, const sgae_graph *g);
/* A library error from checking the options (SGAE_E_ARG where the options
 * are the only input): printed as a usage error, exit status 2. */
int cli_option_error(const char *cmd, sgae_status st);
/* "thread" or "threads" for n. */
const char *cli_plural_threads(int n);
/* The id map beside an embeddings file: OUT.npy -> OUT.ids.tsv (malloc'ed). */
char *cli_ids_path(const char *npy);
/* 1 if s ends with suf. */
int cli_has_suffix(const char *s, const char *suf);

/* Snapshots (cmd_snapshot.c): 1 if path starts with the snapshot magic;
 * `sgae info` of a snapshot. */
int cli_is_snapshot(const char *path);
int cli_snapshot_info(const char *path, int json);

/* Set the OpenMP thread count (0 = leave the default). */
void cli_set_threads(int64_t t);
int cli_threads(void);

/* Commands: each is `int cmd_NAME(int argc, char **argv)`, argv[0] the
 * command's name. */
int cmd_info(int argc, char **argv);
int cmd_convert(int argc, char **argv);
int cmd_gen(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
int cmd_score(int argc, char **argv);
int cmd_communities(int argc, char **argv);

/* The options of the training commands (train, communities) as one table
 * for cli_parse (rows: room for CLI_TRAIN_ROWS); returns rows.  The model
 * and training options go to *to, --val and --test to *fval and *ftest;
 * the others to the pointers of *x, and a NULL pointer there leaves its
 * option out (an unknown option of that command). */
typedef struct {
    int *json, *quiet, *dense;
    int64_t *min_epochs, *log_every, *checkpoint_every, *keep;
    double *pos_weight;
    uint64_t *seed;
    const char **checkpoint, **resume, **warm_start, **embeddings;
    int *checkpoint_warn;
} cli_train_extra;
enum { CLI_TRAIN_ROWS = 34 };
cli_option *cli_train_options(cli_option *rows, sgae_train_opts *to, double *fval,
                              double *ftest, const cli_train_extra *x);

/* Shared by cluster, score and communities (cmd_cluster.c, cmd_score.c). */
typedef struct {
    int tty, quiet, shown;
    double last;
} cli_stage;
void cli_stage_progress(void *ctx, const char *label, int64_t done, int64_t total);
extern const char cli_cluster_help[];
/* The clustering options as a table for cli_parse (--fresh sets *fresh);
 * rows has room for CLI_CLUSTER_ROWS rows.  Returns rows. */
enum { CLI_CLUSTER_ROWS = 15 };
cli_option *cli_cluster_options(cli_option *rows, sgae_cluster_opts *o, int *fresh);
/* The clustering options against the rows to cluster (before the work):
 * --k or the automatic --k-min above the rows is a usage error (exit 2).
 * CLI_OK or CLI_USAGE (the message printed). */
int cli_cluster_check(const char *cmd, const sgae_cluster_opts *o, int64_t rows);
void cli_cluster_json(cli_json *j, const sgae_cluster_result *r, const sgae_cluster_opts *o);
/* The stable-id members of a JSON object (--previous): changed_nodes,
 * nmi_previous, common_nodes, matched_communities, fresh_communities and
 * previous_unknown_nodes (`unknown`). */
void cli_match_json(cli_json *j, const sgae_match_result *mr, int64_t unknown);
/* The last members of a run's JSON object (seconds, peak_rss_bytes,
 * threads, output), then its end. */
void cli_json_run_end(cli_json *j, double seconds, const char *output);
void cli_cluster_print(const sgae_cluster_result *r, const sgae_cluster_opts *o);
/* cli_check_output (above), a failure reported as one of cmd: 1 if the
 * path is usable, else 0 (the message printed). */
int cli_output_ok(const char *cmd, const char *path);
/* Yesterday's ids per node of g (-1: not listed), from a partition file
 * whose ids are integers; nodes not in g are skipped and counted. */
sgae_status cli_previous_load(const sgae_graph *g, const char *path, int32_t **prev,
                              int64_t *skipped);
void cli_json_begin_on(cli_json *j, FILE *f);
typedef struct {
    const char *path;
    int64_t n;          /* nodes of the graph */
    int cover_file;     /* read as SNAP .cmty */
    int overlapping;    /* a node in two communities: F1 only */
    int32_t *part;      /* n ids (partition form), NULL when overlapping */
    sgae_cover cover;   /* .cmty only */
    int64_t skipped;    /* truth nodes not in the graph */
} cli_truth;
/* --truth T and --truth-format F (*format: the index in cli_truth_formats). */
extern const char *const cli_truth_formats[];
#define CLI_TRUTH_OPTIONS(path, format)                                                     \
    {"--truth-format", NULL, CLI_CHOICE, (format), 0, 0, cli_truth_formats, NULL},         \
        {"--truth", NULL, CLI_STR, (path), 0, 0, NULL, NULL}
sgae_status cli_truth_load(const char *path, const char *format, const sgae_graph *g,
                           cli_truth *t);
sgae_status cli_truth_compare(const cli_truth *t, const int32_t *comm, sgae_compare *c);
void cli_truth_clear(cli_truth *t);
void cli_score_json(cli_json *j, const sgae_partition_stats *s, const cli_truth *t,
                    const sgae_compare *c);
void cli_score_print(const sgae_partition_stats *s, const cli_truth *t, const sgae_compare *c);

#endif

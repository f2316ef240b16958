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

/* The options of the commands that load a dataset: --format F, --features F,
 * --threads T and, when `labels` is set, --labels F.  If argv[*i] is one of
 * them, store its value (in *o, or *threads) and return 1, or print a usage
 * error and return -1 (a missing or bad value); for any other argument
 * return 0. */
int cli_load_opt(const char *cmd, int argc, char **argv, int *i, sgae_load_opts *o, int labels,
                 int64_t *threads);

/* Help lines of --weighted (cli_load_opt takes it). */
extern const char cli_weighted_help[];
/* A graph alone, read as sgae_dataset_load with `weighted`. */
sgae_status cli_graph_load(const char *path, sgae_format fmt, int weighted, sgae_graph **g);
/* Help lines of --memory-budget (cli_load_opt takes it). */
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

/* Shared by cluster, score and communities (cmd_cluster.c, cmd_score.c). */
typedef struct {
    int tty, quiet, shown;
    double last;
} cli_stage;
void cli_stage_progress(void *ctx, const char *label, int64_t done, int64_t total);
extern const char cli_cluster_help[];
/* --fresh sets *fresh */
int cli_cluster_opt(const char *cmd, int argc, char **argv, int *i, sgae_cluster_opts *o,
                    int *fresh);
void cli_cluster_json(cli_json *j, const sgae_cluster_result *r, const sgae_cluster_opts *o);
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
sgae_status cli_truth_load(const char *path, const char *format, const sgae_graph *g,
                           cli_truth *t);
sgae_status cli_truth_compare(const cli_truth *t, const int32_t *comm, sgae_compare *c);
void cli_truth_clear(cli_truth *t);
void cli_score_json(cli_json *j, const sgae_partition_stats *s, const cli_truth *t,
                    const sgae_compare *c);
void cli_score_print(const sgae_partition_stats *s, const cli_truth *t, const sgae_compare *c);

#endif

/* Snapshot commands: `sgae info SNAPSHOT` (called by cmd_info when the file
 * is a snapshot) and `sgae export SNAPSHOT -o OUT`. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common.h"

/* A regular file that begins with the snapshot magic (a pipe is never
 * sniffed: its bytes could be read only once, and they belong to the graph
 * loader). */
int cli_is_snapshot(const char *path)
{
    unsigned char m[8];
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t k = fread(m, 1, sizeof m, f);
    fclose(f);
    return k == sizeof m && memcmp(m, "SGAESNAP", 8) == 0;
}

int cli_snapshot_info(const char *path, int json)
{
    sgae_snapshot *s = NULL;
    sgae_status st = sgae_snapshot_open(path, &s);
    if (st == SGAE_OK)
        st = sgae_snapshot_verify(s);
    if (st) {
        sgae_snapshot_free(s);
        return cli_fail("info", st);
    }
    sgae_snapshot_info in;
    sgae_snapshot_info_get(s, &in);
    const char *model = in.opts.model.kind == SGAE_MODEL_VGAE ? "vgae" : "gae";
    int rc = CLI_OK;
    if (json) {
        char secs[8192];
        size_t off = 0;
        off += (size_t)snprintf(secs, sizeof secs, "[");
        for (int k = 0; k < in.sections && off < sizeof secs - 128; k++) {
            sgae_snapshot_section sec;
            if ((st = sgae_snapshot_section_get(s, k, &sec))) {
                rc = cli_fail("info", st);
                goto done;
            }
            off += (size_t)snprintf(secs + off, sizeof secs - off,
                                    "%s{\"name\": \"%s\", \"bytes\": %lld, \"raw_bytes\": %lld}",
                                    k ? ", " : "", sec.name, (long long)sec.bytes,
                                    (long long)sec.raw_bytes);
        }
        snprintf(secs + off, sizeof secs - off, "]");
        char ver[32];
        snprintf(ver, sizeof ver, "%d.%d", in.version_major, in.version_minor);
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "file", path);
        cli_json_str(&j, "kind", "snapshot");
        cli_json_str(&j, "format_version", ver);
        cli_json_int(&j, "epoch", in.epoch);
        cli_json_int(&j, "epochs", in.opts.epochs);
        cli_json_int(&j, "nodes", in.nodes);
        cli_json_int(&j, "edges", in.edges);
        cli_json_str(&j, "model", model);
        cli_json_int(&j, "hidden", in.opts.model.hidden);
        cli_json_int(&j, "latent", in.opts.model.latent);
        cli_json_int(&j, "features", in.features);
        cli_json_int(&j, "seed", (int64_t)in.opts.model.seed);
        cli_json_int(&j, "bytes", in.file_bytes);
        cli_json_int(&j, "raw_bytes", in.raw_bytes);
        cli_json_num(&j, "compression_ratio",
                     in.file_bytes ? (double)in.raw_bytes / (double)in.file_bytes : 0);
        if (in.best_epoch >= 0) {
            cli_json_num(&j, "val_auc", in.best_val_auc);
            cli_json_num(&j, "val_ap", in.best_val_ap);
        } else {
            cli_json_raw(&j, "val_auc", "null");
            cli_json_raw(&j, "val_ap", "null");
        }
        cli_json_int(&j, "best_epoch", in.best_epoch);
        char h[32];
        snprintf(h, sizeof h, "%016llx", (unsigned long long)in.graph_hash);
        cli_json_str(&j, "graph_hash", h);
        snprintf(h, sizeof h, "%016llx", (unsigned long long)in.split_hash);
        cli_json_str(&j, "split_hash", h);
        cli_json_int(&j, "val_edges", in.val_edges);
        cli_json_int(&j, "test_edges", in.test_edges);
        cli_json_raw(&j, "sections", secs);
        cli_json_end(&j);
    } else {
        printf("snapshot       %s (format %d.%d)\n", path, in.version_major, in.version_minor);
        printf("model          %s %lld -> %lld, %lld input features, seed %llu\n", model,
               (long long)in.opts.model.hidden, (long long)in.opts.model.latent,
               (long long)in.features, (unsigned long long)in.opts.model.seed);
        printf("epoch          %lld of %lld\n", (long long)in.epoch, (long long)in.opts.epochs);
        if (in.best_epoch >= 0)
            printf("best           validation AUC %.4f AP %.4f at epoch %lld\n",
                   in.best_val_auc, in.best_val_ap, (long long)in.best_epoch);
        printf("graph          %lld nodes, %lld training edges, hash %016llx\n",
               (long long)in.nodes, (long long)in.edges, (unsigned long long)in.graph_hash);
        printf("split          %lld validation, %lld test edges, hash %016llx\n",
               (long long)in.val_edges, (long long)in.test_edges,
               (unsigned long long)in.split_hash);
        printf("size           %lld bytes (%lld uncompressed, ratio %.2f)\n",
               (long long)in.file_bytes, (long long)in.raw_bytes,
               in.file_bytes ? (double)in.raw_bytes / (double)in.file_bytes : 0);
        for (int k = 0; k < in.sections; k++) {
            sgae_snapshot_section sec;
            if ((st = sgae_snapshot_section_get(s, k, &sec))) {
                rc = cli_fail("info", st);
                goto done;
            }
            printf("  %-18s %12lld bytes %12lld raw\n", sec.name, (long long)sec.bytes,
                   (long long)sec.raw_bytes);
        }
    }
done:
    sgae_snapshot_free(s);
    return rc;
}

static const char export_help[] =
    "usage: sgae export SNAPSHOT -o OUT [--which mu|logstd|z|best] [--json] [-q]\n"
    "\n"
    "Write embeddings stored in a snapshot (sgae train --checkpoint) for other\n"
    "tools: OUT.npy (NumPy float32, n x latent, row r = node r) with the id map\n"
    "OUT.ids.tsv ('node_id<TAB>row' lines), both landing together; or, when OUT\n"
    "ends in .tsv, one 'id<TAB>v1<TAB>v2...' line per node in the user's ids.\n"
    "\n"
    "  -o OUT          output path: .npy (with OUT.ids.tsv) or .tsv; other names\n"
    "                  are refused; both paths are checked before the snapshot\n"
    "                  is read\n"
    "  --which W       mu (default: the current parameters' mean), logstd (VGAE),\n"
    "                  z (mu + noise * exp(logstd) with the next epoch's noise),\n"
    "                  best (the kept embeddings of the best validation AUC; mu\n"
    "                  when no validation ran). A periodic checkpoint (written by\n"
    "                  --checkpoint-every) holds only best\n"
    "  --json          print one JSON object on stdout: file, which, rows, cols,\n"
    "                  output, ids\n"
    "  -q, --quiet     no progress on stderr (export shows none; accepted as by\n"
    "                  every command)\n"
    "  -h, --help      show this help\n";

int cmd_export(int argc, char **argv)
{
    const char *cmd = "export", *in = NULL, *out = NULL, *which_s = "mu", *val;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (cli_flag(argv, i, "-h") || cli_flag(argv, i, "--help")) {
            fputs(export_help, stdout);
            return CLI_OK;
        } else if (cli_flag(argv, i, "--json")) {
            json = 1;
        } else if (cli_flag(argv, i, "-q") || cli_flag(argv, i, "--quiet")) {
            /* export shows no progress: accepted as by every command */
        } else if (cli_opt(argc, argv, &i, "-o", &val) ||
                   cli_opt(argc, argv, &i, "--output", &val)) {
            if (!(out = val))
                return cli_usage_error(cmd, "option -o needs a value");
        } else if (cli_opt(argc, argv, &i, "--which", &val)) {
            if (!(which_s = val))
                return cli_usage_error(cmd, "option --which needs a value");
        } else if (cli_positional(cmd, argv, i, &in, "snapshot") != CLI_OK) {
            return CLI_USAGE;
        }
    }
    if (!in)
        return cli_usage_error(cmd, "no snapshot given");
    if (!out)
        return cli_usage_error(cmd, "no output given (-o OUT.npy or OUT.tsv)");
    sgae_embedding which;
    if (!strcmp(which_s, "mu"))
        which = SGAE_EMB_MU;
    else if (!strcmp(which_s, "logstd"))
        which = SGAE_EMB_LOGSTD;
    else if (!strcmp(which_s, "z"))
        which = SGAE_EMB_Z;
    else if (!strcmp(which_s, "best"))
        which = SGAE_EMB_BEST;
    else
        return cli_usage_error(cmd, "option --which: expected mu, logstd, z or best");
    int tsv;
    char *idp = NULL;
    int rc = cli_embeddings_output(cmd, "-o", out, &tsv, &idp);
    if (rc)
        return rc;

    rc = CLI_FAIL;
    sgae_status st;
    sgae_snapshot *s = NULL;
    sgae_graph *ids = NULL;
    float *data = NULL;
    int64_t rows = 0, cols = 0;
    if ((st = sgae_snapshot_open(in, &s)) ||
        (st = sgae_snapshot_embeddings(s, which, &data, &rows, &cols)) ||
        (st = sgae_snapshot_id_graph(s, &ids))) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    st = tsv ? sgae_tsv_save(ids, data, rows, cols, out)
             : sgae_npy_ids_save(out, idp, data, rows, cols, ids);
    if (st) {
        rc = cli_fail(cmd, st);
        goto done;
    }
    if (json) {
        cli_json j;
        cli_json_begin(&j);
        cli_json_str(&j, "file", in);
        cli_json_str(&j, "which", which_s);
        cli_json_int(&j, "rows", rows);
        cli_json_int(&j, "cols", cols);
        cli_json_str(&j, "output", out);
        if (idp)
            cli_json_str(&j, "ids", idp);
        else
            cli_json_raw(&j, "ids", "null");
        cli_json_end(&j);
    } else {
        printf("%s: %s (%lld x %lld float32)%s%s\n", which_s, out, (long long)rows,
               (long long)cols, idp ? ", ids: " : "", idp ? idp : "");
    }
    rc = CLI_OK;
done:
    free(data);
    free(idp);
    sgae_graph_free(ids);
    sgae_snapshot_free(s);
    return rc;
}

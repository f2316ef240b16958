/* Snapshot speed against the training epoch, in one run (bench/SNAPSHOT.md):
 *
 *   BUILD/bench/snapshot [--epochs E] [--blocks B] [--dir DIR] [--dump RAW] GRAPH
 *
 * Trains a featureless VGAE 32 -> 16 with the defaults of `sgae train`
 * (validation every epoch, so the kept best embeddings are real) on GRAPH
 * and reports, all measured in this process:
 *  - the median epoch time over E epochs (default 3);
 *  - sgae_snapshot_save (fsync of file and directory included): the
 *    periodic checkpoint (embeddings = 0, what --checkpoint-every writes),
 *    the same with the byte shuffle off, and the final snapshot (with mu
 *    and logstd, which cost a forward pass): seconds, ratio to the epoch,
 *    bytes, compression ratio, raw MB/s, and the sections' sizes;
 *  - reading back as --resume does (open, read every state section with
 *    its checksums, restore into the trainer): seconds, ratio;
 *  - the floor: the checkpoint's raw float bytes written with write() +
 *    fsync;
 *  - the checkpoint overhead of --checkpoint-every 10: B (default 2) pairs of
 *    10-epoch blocks alternating without (A) and with (B) a checkpoint after
 *    the block, overhead = median(B) / median(A) - 1, and the median of the
 *    per-pair ratios.
 * --dump RAW writes the raw float bytes of the checkpoint's sections (the
 * state arrays, as they are in memory) to RAW for the zstd command line
 * and dd (bench/snapshot.sh). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common.h"
#include "sgae/snapshot.h"

static int fail(const char *what, sgae_status st)
{
    fprintf(stderr, "snapshot bench: %s: %s\n", what, sgae_last_error());
    return st ? 1 : 1;
}

static long file_bytes(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    fseek(f, 0, SEEK_END);
    long b = ftell(f);
    fclose(f);
    return b;
}

/* Every float state array (what a periodic checkpoint holds), written to
 * fd (-1: only counted); returns their bytes, *all the raw bytes of all
 * state arrays. */
static int64_t raw_floats(sgae_trainer *t, int fd, int64_t *all)
{
    int64_t fl = 0;
    *all = 0;
    for (int k = 0; k < sgae_trainer_state_count(t); k++) {
        sgae_state_info si;
        sgae_trainer_state_info(t, k, &si);
        *all += (int64_t)si.bytes;
        if (si.dtype != SGAE_DTYPE_F32)
            continue;
        fl += (int64_t)si.bytes;
        if (fd >= 0 && write(fd, sgae_trainer_state_view(t, k), si.bytes) != (ssize_t)si.bytes)
            return -1;
    }
    return fl;
}

/* The sections of the snapshot at path, one line each. */
static void print_sections(const char *path)
{
    sgae_snapshot *sn = NULL;
    if (sgae_snapshot_open(path, &sn))
        return;
    sgae_snapshot_info in;
    sgae_snapshot_info_get(sn, &in);
    for (int k = 0; k < in.sections; k++) {
        sgae_snapshot_section sec;
        if (sgae_snapshot_section_get(sn, k, &sec) == SGAE_OK && sec.raw_bytes >= (1 << 20))
            printf("    %-14s %10.1f MB of %8.1f MB raw, ratio %.3f\n", sec.name, sec.bytes / 1e6,
                   sec.raw_bytes / 1e6, (double)sec.raw_bytes / (double)sec.bytes);
    }
    sgae_snapshot_free(sn);
}

typedef struct {
    const char *name;
    sgae_snapshot_opts o;
} variant;

int main(int argc, char **argv)
{
    int epochs = 3, blocks = 2;
    const char *dir = "/tmp", *dump = NULL, *spec = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--epochs") && i + 1 < argc)
            epochs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--blocks") && i + 1 < argc)
            blocks = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dir") && i + 1 < argc)
            dir = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (argv[i][0] != '-' && !spec)
            spec = argv[i];
        else {
            fprintf(stderr, "usage: snapshot [--epochs E] [--blocks B] [--dir DIR] [--dump RAW] "
                            "GRAPH\n");
            return 2;
        }
    }
    if (!spec || epochs < 1 || blocks < 0) {
        fprintf(stderr, "usage: snapshot [--epochs E] [--blocks B] [--dir DIR] [--dump RAW] "
                        "GRAPH\n");
        return 2;
    }
    sgae_status st;
    sgae_graph *g = NULL, *tg = NULL;
    sgae_split split = {0};
    sgae_trainer *t = NULL;
    double load_s;
    if ((st = bench_graph_open(spec, &g, &load_s)))
        return fail(spec, st);
    if ((st = sgae_split_edges(g, 0.05, 0.10, 1, &split)) ||
        (st = sgae_split_train_graph(&split, g, &tg)))
        return fail("split", st);
    sgae_train_opts to;
    sgae_train_opts_default(&to);
    to.epochs = epochs + 20 * blocks + 1; /* the metric history is sized by it */
    sgae_model_input in = {0};
    if ((st = sgae_trainer_create(tg, &in, &split, &to, &t)))
        return fail("trainer", st);
    double *ep = calloc((size_t)epochs + 2 * (size_t)blocks, sizeof *ep);
    for (int e = 0; e < epochs; e++) {
        sgae_epoch_info info;
        double t0 = bench_now();
        if ((st = sgae_trainer_step(t, &info)))
            return fail("step", st);
        ep[e] = bench_now() - t0;
    }
    double epoch = bench_median(ep, epochs);
    int64_t all = 0, fl = raw_floats(t, -1, &all);
    printf("graph %s: %lld nodes; epoch %.3f s (median of %d)\n", spec, (long long)tg->n, epoch,
           epochs);
    printf("raw state %.1f MB, of which float arrays %.1f MB\n", all / 1e6, fl / 1e6);

    char path[4096], raw[4096];
    snprintf(path, sizeof path, "%s/sgae-bench-snapshot.snap", dir);
    snprintf(raw, sizeof raw, "%s/sgae-bench-snapshot.raw", dir);
    /* the floor: the raw bytes, write + fsync */
    {
        double t0 = bench_now();
        int fd = open(raw, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0 || raw_floats(t, fd, &all) < 0 || fsync(fd) != 0)
            return fail("raw write", SGAE_E_IO);
        close(fd);
        double s = bench_now() - t0;
        printf("%-26s %7.3f s  %5.3f epoch  %8.0f MB/s\n", "raw write+fsync (floor)", s,
               s / epoch, fl / 1e6 / s);
        if (!dump)
            unlink(raw);
        else if (strcmp(dump, raw) && rename(raw, dump) != 0)
            return fail("rename dump", SGAE_E_IO);
    }
    variant v[3];
    sgae_snapshot_opts_default(&v[0].o);
    v[0].o.embeddings = 0;
    v[0].name = "checkpoint";
    v[1] = v[0];
    v[1].name = "checkpoint, no shuffle";
    v[1].o.shuffle = 0;
    sgae_snapshot_opts_default(&v[2].o);
    v[2].name = "final (mu, logstd)";
    double write_s = 0, read_s = 0;
    for (int k = 0; k < 3; k++) {
        double t0 = bench_now();
        if ((st = sgae_snapshot_save(path, t, &v[k].o)))
            return fail("save", st);
        double s = bench_now() - t0;
        long b = file_bytes(path);
        sgae_snapshot *sn = NULL;
        sgae_snapshot_info in;
        if ((st = sgae_snapshot_open(path, &sn)))
            return fail("open", st);
        sgae_snapshot_info_get(sn, &in);
        sgae_snapshot_free(sn);
        printf("write %-24s %7.3f s  %5.3f epoch  %6.0f MB/s raw  %6.0f MB/s to disk  %ld "
               "bytes  ratio %.3f  (level %d)\n",
               v[k].name, s, s / epoch, in.raw_bytes / 1e6 / s, b / 1e6 / s, b,
               (double)in.raw_bytes / (double)b, v[k].o.level);
        print_sections(path);
        if (k == 0)
            write_s = s;
        t0 = bench_now();
        if ((st = sgae_snapshot_open(path, &sn)) || (st = sgae_snapshot_restore(sn, t)))
            return fail("read", st);
        s = bench_now() - t0;
        sgae_snapshot_free(sn);
        printf("read  %-24s %7.3f s  %5.3f epoch  %6.0f MB/s raw\n", v[k].name, s, s / epoch,
               in.raw_bytes / 1e6 / s);
        if (k == 0)
            read_s = s;
    }
    /* --checkpoint-every 10: ABAB blocks of 10 epochs */
    double *A = ep + epochs, *B = A + blocks;
    for (int b = 0; b < 2 * blocks; b++) {
        double t0 = bench_now();
        for (int e = 0; e < 10; e++) {
            sgae_epoch_info info;
            if ((st = sgae_trainer_step(t, &info)))
                return fail("step", st);
        }
        if (b % 2 && (st = sgae_snapshot_save(path, t, &v[0].o))) /* a periodic one */
            return fail("save", st);
        (b % 2 ? B : A)[b / 2] = bench_now() - t0;
    }
    unlink(path);
    printf("summary: checkpoint write %.3f epoch (target 0.25), read %.3f epoch (target 0.125)\n",
           write_s / epoch, read_s / epoch);
    if (blocks > 0) {
        double *r = calloc((size_t)blocks, sizeof *r);
        for (int p = 0; p < blocks; p++) {
            r[p] = B[p] / A[p];
            printf("%s%.2f/%.2f", p ? " " : "pairs B/A (s): ", B[p], A[p]);
        }
        printf("\n");
        double a = bench_median(A, blocks), bb = bench_median(B, blocks);
        printf("checkpoint-every 10 overhead %.1f %% (target 3 %%; 10 epochs %.2f s vs %.2f s, "
               "median of %d; median pair ratio %.3f)",
               100 * (bb / a - 1), bb, a, blocks, bench_median(r, blocks));
        free(r);
    }
    printf("\n");
    free(ep);
    sgae_trainer_free(t);
    sgae_split_clear(&split);
    sgae_graph_free(tg);
    sgae_graph_free(g);
    return 0;
}

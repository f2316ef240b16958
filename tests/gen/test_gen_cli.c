/* `sgae gen`: JSON output, files readable by `sgae info`, identical output at
 * 1 and 2 threads, help and usage errors. */
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

static char out[1 << 16];

/* Run a shell command, capture stdout into `out`; returns the exit status. */
static int run(const char *cmd)
{
    FILE *f = popen(cmd, "r");
    if (!f)
        return -1;
    size_t got = fread(out, 1, sizeof out - 1, f);
    out[got] = '\0';
    int st = pclose(f);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int main(void)
{
    const char *sgae = getenv("SGAE");
    if (!sgae) {
        fprintf(stderr, "SGAE not set (run through meson test)\n");
        return 1;
    }
    char dir[128], cmd[2048];
    snprintf(dir, sizeof dir, "/tmp/sgae_test_gen_cli_%ld", (long)getpid());
    snprintf(cmd, sizeof cmd, "mkdir -p %s", dir);
    if (system(cmd) != 0)
        return 1;
    const char *lfr = "gen lfr --nodes 5000 --avg-degree 10 --max-degree 50 --mu 0.2 "
                      "--min-community 10 --max-community 100 --seed 3 -q --json";

    for (int t = 1; t <= 2; t++) {
        snprintf(cmd, sizeof cmd, "%s %s --threads %d -o %s/g%d.txt.zst --truth %s/t%d.txt",
                 sgae, lfr, t, dir, t, dir, t);
        CHECK_INT(run(cmd), 0);
        CHECK(out[0] == '{' && strchr(out, '}') && strchr(out, '}')[1] == '\n');
        CHECK(strstr(out, "\"nodes\": 5000") != NULL);
        CHECK(strstr(out, "\"edges\": ") != NULL);
        CHECK(strstr(out, "\"communities\": ") != NULL);
        CHECK(strstr(out, "\"seconds\": ") != NULL);
        const char *mu = strstr(out, "\"mu_realised\": ");
        CHECK(mu != NULL);
        if (mu) {
            double x = atof(mu + strlen("\"mu_realised\": "));
            CHECK_MSG(fabs(x - 0.2) < 0.03, "mu_realised %g", x);
        }
    }
    /* the same graph and truth at 1 and 2 threads */
    {
        char p1[256], p2[256];
        sgae_graph *a = NULL, *b = NULL;
        snprintf(p1, sizeof p1, "%s/g1.txt.zst", dir);
        snprintf(p2, sizeof p2, "%s/g2.txt.zst", dir);
        CHECK_OK(sgae_graph_load(p1, SGAE_FMT_AUTO, &a));
        CHECK_OK(sgae_graph_load(p2, SGAE_FMT_AUTO, &b));
        if (a && b) {
            CHECK_INT(a->n, 5000);
            CHECK(a->n == b->n && a->adj.rowptr[a->n] == b->adj.rowptr[b->n] &&
                  !memcmp(a->adj.col, b->adj.col, (size_t)a->adj.rowptr[a->n] * sizeof(int32_t)));
        }
        sgae_graph_free(a);
        sgae_graph_free(b);
    }
    snprintf(cmd, sizeof cmd, "cmp -s %s/t1.txt %s/t2.txt", dir, dir);
    CHECK_INT(run(cmd), 0);

    /* readable by sgae info, with the truth as labels */
    snprintf(cmd, sizeof cmd, "%s info -q --json %s/g1.txt.zst --labels %s/t1.txt", sgae, dir,
             dir);
    CHECK_INT(run(cmd), 0);
    CHECK(strstr(out, "\"nodes\": 5000") != NULL);
    CHECK(strstr(out, "\"isolated\": 0") != NULL);

    /* kron */
    snprintf(cmd, sizeof cmd, "%s gen kron --scale 10 --seed 2 -q --json -o %s/k.txt", sgae, dir);
    CHECK_INT(run(cmd), 0);
    CHECK(strstr(out, "\"nodes\": 1024") != NULL);
    CHECK(strstr(out, "\"edge_factor\": 16") != NULL);

    /* help documents every option and its default */
    snprintf(cmd, sizeof cmd, "%s gen --help", sgae);
    CHECK_INT(run(cmd), 0);
    const char *opts[] = {"--nodes", "--avg-degree", "--max-degree", "--degree-exponent", "--mu",
                          "--min-community", "--max-community", "--community-exponent",
                          "--truth", "--scale", "--edge-factor", "--seed", "--threads",
                          "--json", "(default 100000)", "(default 0.3)"};
    for (size_t k = 0; k < sizeof opts / sizeof opts[0]; k++)
        CHECK_MSG(strstr(out, opts[k]) != NULL, "help lacks %s", opts[k]);

    /* usage errors exit 2, failures exit 1, and write nothing on stdout */
    snprintf(cmd, sizeof cmd, "%s gen 2>/dev/null", sgae);
    CHECK_INT(run(cmd), 2);
    snprintf(cmd, sizeof cmd, "%s gen lfr --bogus 1 -o %s/x.txt 2>/dev/null", sgae, dir);
    CHECK_INT(run(cmd), 2);
    snprintf(cmd, sizeof cmd, "%s gen lfr --mu 1.5 -o %s/x.txt 2>/dev/null", sgae, dir);
    CHECK_INT(run(cmd), 2);
    snprintf(cmd, sizeof cmd, "%s gen lfr --nodes 1000 2>/dev/null", sgae);
    CHECK_INT(run(cmd), 2);
    snprintf(cmd, sizeof cmd,
             "%s gen lfr --nodes 1000 --mu 0 --max-degree 200 --max-community 100 -o %s/x.txt "
             "--json 2>/dev/null",
             sgae, dir);
    CHECK_INT(run(cmd), 2); /* values the generator cannot honour: a usage error too */
    CHECK(out[0] == '\0');
    snprintf(cmd, sizeof cmd, "test ! -e %s/x.txt", dir);
    CHECK_INT(run(cmd), 0);

    /* an output named .SGR (any case) is written as .sgr, as the loader
     * detects it by the name */
    snprintf(cmd, sizeof cmd, "%s gen kron --scale 8 -q -o %s/k.SGR", sgae, dir);
    CHECK_INT(run(cmd), 0);
    {
        char p[256];
        sgae_graph *k = NULL;
        snprintf(p, sizeof p, "%s/k.SGR", dir);
        CHECK_OK(sgae_graph_load(p, SGAE_FMT_AUTO, &k));
        CHECK(k && k->n > 0);
        sgae_graph_free(k);
    }

    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    CHECK(system(cmd) == 0);
    return t_done("gen_cli");
}

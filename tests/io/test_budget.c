/* The loaders' memory budget (sgae_load_opts.memory_budget,
 * SGAE_MEMORY_BUDGET), sizes as users write them, runs of one repeated edge
 * counted without being stored, and the reader's handling of a byte-order
 * mark split over the first reads. */
#include "iotest.h"

static sgae_status load(const char *path, int64_t budget, sgae_dataset *ds)
{
    sgae_load_opts o = {.graph = path, .memory_budget = budget};
    return sgae_dataset_load(&o, ds);
}

int main(void)
{
    t_tmp_init("budget");
    int64_t b;
    /* sizes */
    CHECK_OK(sgae_size_parse("512M", &b));
    CHECK_INT(b, 512LL << 20);
    CHECK_OK(sgae_size_parse("1.5GiB", &b));
    CHECK_INT(b, 3LL << 29);
    CHECK_OK(sgae_size_parse("8k", &b));
    CHECK_INT(b, 8192);
    CHECK_OK(sgae_size_parse("1000", &b));
    CHECK_INT(b, 1000);
    CHECK_OK(sgae_size_parse("unlimited", &b));
    CHECK_INT(b, 0);
    int64_t phys = sgae_physical_memory();
    CHECK(phys > 0);
    CHECK_OK(sgae_size_parse("50%", &b));
    CHECK(b > phys / 2 - 2 && b < phys / 2 + 2);
    const char *badsz[] = {"", "x", "-1M", "12Q", "5MX", "101%", "inf", "1e30"};
    for (size_t i = 0; i < sizeof badsz / sizeof *badsz; i++)
        CHECK_MSG(sgae_size_parse(badsz[i], &b) == SGAE_E_ARG, "'%s'", badsz[i]);
    char buf[32];
    CHECK(!strcmp(sgae_size_format(4 << 20, buf, sizeof buf), "4 MiB"));
    CHECK(!strcmp(sgae_size_format(1536, buf, sizeof buf), "1.50 KiB"));
    CHECK(!strcmp(sgae_size_format(100, buf, sizeof buf), "100 bytes"));

    /* the default: the environment, else 3/4 of physical memory */
    unsetenv("SGAE_MEMORY_BUDGET");
    CHECK_INT(sgae_memory_budget_default(), phys / 4 * 3);
    setenv("SGAE_MEMORY_BUDGET", "3M", 1);
    CHECK_INT(sgae_memory_budget_default(), 3LL << 20);
    setenv("SGAE_MEMORY_BUDGET", "nonsense", 1);
    CHECK_INT(sgae_memory_budget_default(), phys / 4 * 3);

    /* 200k alternating pairs need 3.2 MB of edge buffers */
    size_t n = 200000, len = 0;
    char *text = malloc(n * 4 + 1);
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, i % 2 ? "3 4\n" : "1 2\n");
    const char *alt = t_tmp("alt.txt.gz");
    t_write_gz(alt, text, len);
    sgae_dataset ds;
    sgae_status st = load(alt, 1 << 20, &ds);
    CHECK_INT(st, SGAE_E_NOMEM);
    CHECK_MSG(strstr(sgae_last_error(), alt) && strstr(sgae_last_error(), "budget of 1 MiB"),
              "%s", sgae_last_error());
    CHECK(ds.graph == NULL);
    setenv("SGAE_MEMORY_BUDGET", "1M", 1);
    CHECK_INT(load(alt, 0, &ds), SGAE_E_NOMEM); /* 0: the default, from the environment */
    CHECK_OK(load(alt, -1, &ds));                 /* < 0: none */
    CHECK_INT(ds.graph->n, 4);
    CHECK_INT(ds.graph->input_edges, (long long)n);
    sgae_dataset_clear(&ds);
    CHECK_OK(load(alt, 64 << 20, &ds));
    sgae_dataset_clear(&ds);
    unsetenv("SGAE_MEMORY_BUDGET");
    /* the plain file too (its whole-file parser or the stream) */
    const char *altp = t_tmp("alt.txt");
    t_write(altp, text, len);
    CHECK_INT(load(altp, 1 << 20, &ds), SGAE_E_NOMEM);
    CHECK_MSG(strstr(sgae_last_error(), altp), "%s", sgae_last_error());

    /* one repeated edge: counted, not stored; same counts as a plain file */
    len = 0;
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(text + len, i == n / 2 ? "5 5\n" : "1 2\n");
    const char *run = t_tmp("run.txt.zst");
    t_write_zst(run, text, len);
    CHECK_OK(load(run, 2 << 20, &ds)); /* the stored pairs alone would take 3.2 MB */
    CHECK_INT(ds.graph->n, 3);
    CHECK_INT(sgae_graph_edges(ds.graph), 1);
    CHECK_INT(ds.graph->input_edges, (long long)n);
    CHECK_INT(ds.graph->self_loops, 1);
    CHECK_INT(ds.graph->duplicates, (long long)n - 2);
    sgae_dataset_clear(&ds);
    const char *runp = t_tmp("run.txt");
    t_write(runp, text, len);
    CHECK_OK(load(runp, -1, &ds));
    CHECK_INT(ds.graph->input_edges, (long long)n);
    CHECK_INT(ds.graph->duplicates, (long long)n - 2);
    sgae_dataset_clear(&ds);
    free(text);

    /* a byte-order mark, then lines: every line kept, line numbers right */
    const char *bom = t_tmp("bom.txt");
    t_write_str(bom, "\xef\xbb\xbf" "7 8\n8 9\nx y\n");
    sgae_reader *r;
    char *line;
    size_t ll;
    CHECK_OK(sgae_reader_open(bom, &r));
    CHECK_OK(sgae_reader_line(r, &line, &ll));
    CHECK(line && !strcmp(line, "7 8"));
    sgae_reader_close(r);
    CHECK_INT(load(bom, 0, &ds), SGAE_E_PARSE);
    CHECK_MSG(strstr(sgae_last_error(), ":3:"), "%s", sgae_last_error());
    /* a file that is only the mark is empty */
    const char *only = t_tmp("only.txt");
    t_write_str(only, "\xef\xbb\xbf");
    CHECK(load(only, 0, &ds) != SGAE_OK);
    /* a Matrix Market banner with one '%': a warning in the data set */
    const char *one = t_tmp("one.mtx");
    t_write_str(one, "%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n2 3\n");
    CHECK_OK(load(one, 0, &ds));
    CHECK_INT(ds.warnings, 1);
    CHECK_MSG(strstr(ds.warning, "one.mtx:1:"), "%s", ds.warning);
    sgae_dataset_clear(&ds);
    const char *two = t_tmp("two.mtx");
    t_write_str(two, "%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n2 3\n");
    CHECK_OK(load(two, 0, &ds));
    CHECK_INT(ds.warnings, 0);
    sgae_dataset_clear(&ds);

    /* GML: 60000 nodes hold about 2 MiB of node arrays; a path of them */
    {
        size_t nn = 60000, gl = 0;
        char *gt = malloc(nn * 64 + 64);
        gl += (size_t)sprintf(gt, "graph [\n");
        for (size_t i = 0; i < nn; i++)
            gl += (size_t)sprintf(gt + gl, "node [ id %zu ]\n", i);
        for (size_t i = 1; i < nn; i++)
            gl += (size_t)sprintf(gt + gl, "edge [ source %zu target %zu ]\n", i - 1, i);
        gl += (size_t)sprintf(gt + gl, "]\n");
        const char *gp = t_tmp("path.gml");
        t_write(gp, gt, gl);
        st = load(gp, 1 << 20, &ds);
        CHECK_INT(st, SGAE_E_NOMEM);
        CHECK_MSG(strstr(sgae_last_error(), gp) && strstr(sgae_last_error(), "GML") &&
                      strstr(sgae_last_error(), "budget of 1 MiB"),
                  "%s", sgae_last_error());
        CHECK(ds.graph == NULL);
        CHECK_OK(load(gp, 64 << 20, &ds));
        CHECK_INT(ds.graph->n, (int64_t)nn);
        CHECK_INT(sgae_graph_edges(ds.graph), (int64_t)nn - 1);
        /* .sgr: the same graph (about 1 MiB of arrays) under SGAE_MEMORY_BUDGET */
        const char *sp = t_tmp("path.sgr");
        CHECK_OK(sgae_sgr_save(ds.graph, sp, NULL));
        sgae_dataset_clear(&ds);
        sgae_graph *h = NULL;
        setenv("SGAE_MEMORY_BUDGET", "512K", 1);
        CHECK_INT(sgae_sgr_load(sp, &h), SGAE_E_NOMEM);
        CHECK_MSG(strstr(sgae_last_error(), sp) && strstr(sgae_last_error(), "budget of 512 KiB"),
                  "%s", sgae_last_error());
        CHECK(h == NULL);
        setenv("SGAE_MEMORY_BUDGET", "64M", 1);
        CHECK_OK(sgae_sgr_load(sp, &h));
        CHECK(h && h->n == (int64_t)nn);
        sgae_graph_free(h);
        /* an MTX features file declaring 10^6 rows: an 8 MB row table */
        const char *fp = t_tmp("rows.mtx");
        t_write_str(fp, "%%MatrixMarket matrix coordinate real general\n1000000 2 1\n1 1 0.5\n");
        const char *ep = t_tmp("e.txt");
        t_write_str(ep, "0 1\n");
        sgae_load_opts fo = {.graph = ep, .features = fp};
        setenv("SGAE_MEMORY_BUDGET", "4M", 1);
        CHECK_INT(sgae_dataset_load(&fo, &ds), SGAE_E_NOMEM);
        CHECK_MSG(strstr(sgae_last_error(), fp) && strstr(sgae_last_error(), "budget of 4 MiB"),
                  "%s", sgae_last_error());
        unsetenv("SGAE_MEMORY_BUDGET");
        CHECK_OK(sgae_dataset_load(&fo, &ds));
        CHECK(ds.features && ds.features->x.nrows == 1000000 && ds.features->x.rowptr[1] == 1 &&
              ds.features->x.rowptr[1000000] == 1);
        sgae_dataset_clear(&ds);
        free(gt);
    }
    return t_done("budget");
}

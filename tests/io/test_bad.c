/* Bad input: every case fails with the right status and a message naming the
 * file and, where there is one, the line. */
#include "iotest.h"

/* Load graph (+features, labels) and expect status `want` and every given
 * substring in the message. */
static void expect(const char *graph, const char *features, const char *labels, sgae_status want,
                   const char *s1, const char *s2)
{
    sgae_load_opts o = {0};
    sgae_dataset ds;
    o.graph = graph;
    o.features = features;
    o.labels = labels;
    sgae_error_clear();
    sgae_status st = sgae_dataset_load(&o, &ds);
    const char *msg = sgae_last_error();
    CHECK_MSG(st == want, "%s: status '%s', expected '%s' (%s)", graph, sgae_status_string(st),
              sgae_status_string(want), msg);
    CHECK_MSG(!s1 || strstr(msg, s1), "%s: message '%s' lacks '%s'", graph, msg, s1);
    CHECK_MSG(!s2 || strstr(msg, s2), "%s: message '%s' lacks '%s'", graph, msg, s2);
    CHECK(ds.graph == NULL && ds.features == NULL && ds.labels == NULL);
    if (st == SGAE_OK)
        sgae_dataset_clear(&ds);
}

/* "<path>:<line>:" */
static const char *at(const char *path, int line)
{
    static char buf[4][1100];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s:%d:", path, line);
    return buf[k];
}

static void bad_text(const char *name, const char *text, int line, const char *what)
{
    const char *p = t_tmp(name);
    t_write_str(p, text);
    expect(p, NULL, NULL, SGAE_E_PARSE, at(p, line), what);
}

int main(void)
{
    t_tmp_init("bad");
    const char *p;

    /* missing and empty files */
    p = t_tmp("does-not-exist.txt");
    expect(p, NULL, NULL, SGAE_E_IO, p, "cannot open");
    p = t_tmp("empty.txt");
    t_write_str(p, "");
    expect(p, NULL, NULL, SGAE_E_PARSE, p, "empty");
    p = t_tmp("empty.txt.gz");
    t_write_gz(p, "", 0);
    expect(p, NULL, NULL, SGAE_E_PARSE, p, "empty");

    /* edge lists */
    bad_text("bad.txt", "0 1\n1 2\n2 x3\n", 3, "non-numeric token 'x3'");
    bad_text("bad2.txt", "# c\n0 1\n1,2\n2 3.5\n", 4, "non-numeric");
    bad_text("missing.txt", "0 1\n1\n", 2, "missing second column");
    bad_text("neg.txt", "0 1\n1 2\n5 -3\n", 3, "negative id '-3'");
    bad_text("neg1.txt", "-1 2\n", 1, "negative");
    bad_text("big.txt", "0 1\n18446744073709551615 1\n18446744073709551616 1\n", 3,
             "exceeds 2^64-1");
    bad_text("big2.txt", "0 99999999999999999999999\n", 1, "exceeds 2^64-1");
    {
        size_t n = 1 << 20;
        char *s = malloc(n + 16);
        if (!s)
            return 1;
        memcpy(s, "0 1\n", 4);
        memset(s + 4, '7', n);
        memcpy(s + 4 + n, " 1\n", 4);
        p = t_tmp("longline.txt");
        t_write_str(p, s);
        expect(p, NULL, NULL, SGAE_E_PARSE, at(p, 2), "longer than");
        p = t_tmp("longline.txt.zst");
        t_write_zst(p, s, strlen(s));
        expect(p, NULL, NULL, SGAE_E_PARSE, at(p, 2), "longer than");
        free(s);
    }
    /* truncated compressed streams */
    {
        size_t n = 0, cap = 1 << 20;
        char *s = malloc(cap);
        for (int k = 0; k < 20000; k++)
            n += (size_t)snprintf(s + n, cap - n, "%d %d\n", k, (k * 7919) % 20011);
        p = t_tmp("trunc.txt.gz");
        t_write_gz(p, s, n);
        size_t zl;
        char *z = t_read_all(p, &zl);
        t_write(p, z, zl / 2);
        expect(p, NULL, NULL, SGAE_E_CORRUPT, p, "truncated gzip");
        t_write(p, z, zl - 4); /* only the trailer's length field cut */
        expect(p, NULL, NULL, SGAE_E_CORRUPT, p, "gzip");
        free(z);
        p = t_tmp("trunc.txt.zst");
        t_write_zst(p, s, n);
        z = t_read_all(p, &zl);
        t_write(p, z, zl / 2);
        expect(p, NULL, NULL, SGAE_E_CORRUPT, p, "truncated zstd");
        t_write(p, z, zl - 1);
        expect(p, NULL, NULL, SGAE_E_CORRUPT, p, "zstd");
        z[zl / 2] ^= 0x55; /* damaged, full length */
        t_write(p, z, zl);
        expect(p, NULL, NULL, SGAE_E_CORRUPT, p, "zstd");
        free(z);
        free(s);
    }

    /* Matrix Market */
    bad_text("banner.mtx", "%%MatrixMarket matrix coordinate\n3 3 1\n1 2\n", 1, "banner");
    bad_text("banner2.mtx", "%%MatrixMarkt matrix coordinate pattern general\n3 3 1\n1 2\n", 1,
             "banner");
    {
        p = t_tmp("banner3.mtx");
        t_write_str(p, "%%MatrixMarket matrix array real general\n3 3\n1\n");
        expect(p, NULL, NULL, SGAE_E_FORMAT, at(p, 1), "array");
        p = t_tmp("banner4.mtx");
        t_write_str(p, "%%MatrixMarket matrix coordinate complex general\n3 3 1\n1 2 0 0\n");
        expect(p, NULL, NULL, SGAE_E_FORMAT, at(p, 1), "complex");
    }
    bad_text("sizes.mtx", "%%MatrixMarket matrix coordinate pattern general\n% c\n3 3\n1 2\n", 3,
             "sizes line");
    bad_text("sizes2.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 x 2\n1 2\n", 2,
             "sizes line");
    bad_text("sizes3.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 10\n1 2\n", 2,
             "10 entries declared");
    bad_text("nosizes.mtx", "%%MatrixMarket matrix coordinate pattern general\n% only\n", 2,
             "sizes line");
    bad_text("range.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n4 1\n", 4,
             "out of range");
    bad_text("range0.mtx", "%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 0\n",
             4, "out of range");
    bad_text("few.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 3\n1 2 1.0\n2 3 1.5\n",
             4, "2 of 3 declared entries");
    bad_text("many.mtx", "%%MatrixMarket matrix coordinate pattern general\n3 3 1\n1 2\n2 3\n", 4,
             "more entries");
    bad_text("val.mtx", "%%MatrixMarket matrix coordinate real general\n3 3 2\n1 2 1\n2 3 abc\n", 4,
             "bad real value");
    bad_text("noval.mtx", "%%MatrixMarket matrix coordinate integer general\n3 3 1\n1 2\n", 3,
             "missing value");
    {
        p = t_tmp("rect.mtx");
        t_write_str(p, "%%MatrixMarket matrix coordinate pattern general\n3 4 1\n1 2\n");
        expect(p, NULL, NULL, SGAE_E_PARSE, p, "square");
    }

    /* GML */
    bad_text("undeclared.gml",
             "graph [\n  node [ id 1 ]\n  node [ id 2 ]\n  edge [ source 1 target 2 ]\n"
             "  edge [\n    source 2\n    target 7\n  ]\n]\n",
             5, "target 7 is not a declared node");
    bad_text("unclosed.gml", "graph [\n  node [ id 1 ]\n  node [\n id 2\n", 4, "opened on line 3");
    bad_text("dupid.gml", "graph [\n node [ id 1 ]\n node [ id 1 ]\n]\n", 3, "duplicate node id 1");
    bad_text("noid.gml", "graph [\n node [ label \"x\" ]\n]\n", 2, "without an id");
    bad_text("badid.gml", "graph [\n node [ id -4 ]\n]\n", 2, "negative node id");
    bad_text("str.gml", "graph [\n node [ id 1 label \"abc ]\n]\n", 2, "unterminated string");
    bad_text("noedge.gml", "graph [\n node [ id 1 ]\n edge [ source 1 ]\n]\n", 3, "without a target");

    /* LINQS */
    {
        p = t_tmp("l1.content");
        t_write_str(p, "a\t1\t0\tX\nb\t0\t1\tY\nc\t1\t1\tX\n");
        t_write_str(t_tmp("l1.cites"), "a\tb\nb\tc\nc\tzz\n");
        {
            /* a cite of a missing paper: dropped with a warning, or (strict) an error */
            sgae_load_opts o = {.graph = p};
            sgae_dataset ds;
            CHECK(sgae_dataset_load(&o, &ds) == SGAE_OK);
            CHECK(ds.dropped_citations == 1 && ds.warnings == 1 && ds.graph->input_edges == 2);
            CHECK(strstr(ds.warning, at(t_tmp("l1.cites"), 3)) != NULL);
            sgae_dataset_clear(&ds);
            o.strict = 1;
            CHECK(sgae_dataset_load(&o, &ds) == SGAE_E_PARSE);
            CHECK(strstr(sgae_last_error(), at(t_tmp("l1.cites"), 3)) &&
                  strstr(sgae_last_error(), "unknown paper 'zz'"));
        }
        p = t_tmp("l2.cites");
        t_write_str(p, "a\tb\n");
        t_write_str(t_tmp("l2.content"), "a\t1\t0\tX\nb\t0\tY\n");
        expect(p, NULL, NULL, SGAE_E_PARSE, at(t_tmp("l2.content"), 2), "1 word columns");
        p = t_tmp("l3.cites");
        t_write_str(p, "a\tb\n");
        expect(p, NULL, NULL, SGAE_E_IO, p, "l3.content");
        p = t_tmp("l4.cites");
        t_write_str(p, "a\tb\n");
        t_write_str(t_tmp("l4.content"), "a\t1\t0\tX\na\t0\t1\tY\n");
        expect(p, NULL, NULL, SGAE_E_PARSE, at(t_tmp("l4.content"), 2), "appears twice");
    }

    /* features whose rows disagree with the graph */
    {
        const char *f = t_tmp("feat.mtx");
        t_write_str(f, "%%MatrixMarket matrix coordinate real general\n4 3 2\n1 1 1\n4 3 0.5\n");
        p = t_tmp("g5.txt");
        t_write_str(p, "0 1\n1 2\n2 3\n3 4\n");
        expect(p, f, NULL, SGAE_E_PARSE, at(p, 4), "node 4 has no row");
        /* a graph with a fixed node set of another size */
        p = t_tmp("g5.mtx");
        t_write_str(p, "%%MatrixMarket matrix coordinate pattern symmetric\n5 5 1\n2 1\n");
        expect(p, f, NULL, SGAE_E_PARSE, f, "4 feature rows but graph");
        /* a graph with as many nodes: fine */
        p = t_tmp("g4.txt");
        t_write_str(p, "0 1\n1 2\n");
        sgae_load_opts o = {.graph = p, .features = f};
        sgae_dataset ds;
        CHECK_OK(sgae_dataset_load(&o, &ds));
        CHECK(ds.graph && ds.graph->n == 4 && ds.features && ds.features->x.ncols == 3);
        if (ds.features) {
            CHECK(ds.features->x.rowptr[1] == 1 && ds.features->x.rowptr[4] == 2);
            CHECK(ds.features->x.col[1] == 2 && ds.features->x.val[1] == 0.5f);
        }
        sgae_dataset_clear(&ds);
        /* malformed features file */
        const char *f2 = t_tmp("feat2.mtx");
        t_write_str(f2, "%%MatrixMarket matrix coordinate real general\n4 3 2\n1 1 1\n5 3 0.5\n");
        expect(p, f2, NULL, SGAE_E_PARSE, at(f2, 4), "out of range");
        const char *f3 = t_tmp("feat3.mtx");
        t_write_str(f3, "%%MatrixMarket matrix coordinate real general\n4 3 2\n1 1 1\n1 1 2\n");
        expect(p, f3, NULL, SGAE_E_PARSE, f3, "duplicate entry");
    }

    /* LINQS .content as features of an edge list */
    {
        const char *c = t_tmp("f.content");
        p = t_tmp("fg.txt");
        t_write_str(p, "10 20\n20 30\n");
        t_write_str(c, "10\t1\t0\tA\n20\t0\t1\tB\n30\t1\t1\tA\n");
        sgae_load_opts o = {.graph = p, .features = c};
        sgae_dataset ds;
        CHECK_OK(sgae_dataset_load(&o, &ds));
        CHECK(ds.features && ds.features->x.nrows == 3 && ds.features->x.ncols == 2);
        CHECK(ds.labels && ds.labels->nclasses == 2 && ds.labels->label[2] == 0);
        sgae_dataset_clear(&ds);
        t_write_str(c, "10\t1\t0\tA\n20\t0\t1\tB\n30\t1\t1\tA\n40\t1\t1\tA\n");
        expect(p, c, NULL, SGAE_E_PARSE, at(c, 4), "paper '40' is not a node");
        t_write_str(c, "10\t1\t0\tA\n30\t1\t1\tA\n");
        expect(p, c, NULL, SGAE_E_PARSE, c, "node '20' of the graph has no row");
        t_write_str(c, "10\t1\t0\tA\n20\t0\t1\tB\n30\t1\t1\tA\n010\t1\t1\tA\n");
        expect(p, c, NULL, SGAE_E_PARSE, at(c, 4), "same node as line 1");
    }

    /* labels */
    {
        p = t_tmp("lg.txt");
        t_write_str(p, "10 20\n20 30\n");
        const char *l = t_tmp("labels.txt");
        t_write_str(l, "node label\n10 a\n99 b\n");
        expect(p, NULL, l, SGAE_E_PARSE, at(l, 3), "unknown node '99'");
        t_write_str(l, "10 a\n20\n");
        expect(p, NULL, l, SGAE_E_PARSE, at(l, 2), "missing label");
        t_write_str(l, "10 a\n10 b\n");
        expect(p, NULL, l, SGAE_E_PARSE, at(l, 2), "second label");
        t_write_str(l, "10 a\n20 b c\n");
        expect(p, NULL, l, SGAE_E_PARSE, at(l, 2), "unexpected text");
        t_write_str(l, "node label\n10 x\n20 y\n40 zz\n");
        expect(p, NULL, l, SGAE_E_PARSE, at(l, 4), "unknown node '40'");
        /* good labels: numeric order, -1 unlabelled, missing node unlabelled */
        t_write_str(p, "10 20\n20 30\n30 40\n");
        t_write_str(l, "node label\n40 5\n10 -1\n30 2\n");
        sgae_load_opts o = {.graph = p, .labels = l};
        sgae_dataset ds;
        CHECK_OK(sgae_dataset_load(&o, &ds));
        if (ds.labels) {
            CHECK_INT(ds.labels->nclasses, 2);
            CHECK(!strcmp(ds.labels->class_names[0], "2") && !strcmp(ds.labels->class_names[1], "5"));
            CHECK_INT(ds.labels->label[0], -1); /* id 10 */
            CHECK_INT(ds.labels->label[1], -1); /* id 20: absent */
            CHECK_INT(ds.labels->label[2], 0);  /* id 30 */
            CHECK_INT(ds.labels->label[3], 1);  /* id 40 */
        }
        sgae_dataset_clear(&ds);
        /* string labels in order of first appearance */
        t_write_str(l, "30 zeta\n10 alpha\n20 zeta\n");
        CHECK_OK(sgae_dataset_load(&o, &ds));
        if (ds.labels) {
            CHECK_INT(ds.labels->nclasses, 2);
            CHECK(!strcmp(ds.labels->class_names[0], "zeta"));
            CHECK_INT(ds.labels->label[0], 1);
            CHECK_INT(ds.labels->label[2], 0);
            CHECK_INT(ds.labels->label[3], -1);
        }
        sgae_dataset_clear(&ds);
    }

    /* .sgr files (more in test_sgr) */
    {
        p = t_tmp("notsgr.sgr");
        t_write_str(p, "0 1\n"); /* too short for a header, and not its start */
        expect(p, NULL, NULL, SGAE_E_FORMAT, p, "not a .sgr file");
        t_write_str(p, "SGAEG"); /* the start of a header */
        expect(p, NULL, NULL, SGAE_E_CORRUPT, p, "truncated");
        t_write_str(p, "SGAEGRPX and some more bytes to pass the size checks.........");
        expect(p, NULL, NULL, SGAE_E_FORMAT, p, "not a .sgr file");
    }

    t_tmp_cleanup();
    return t_done("io_bad");
}

/* Files: the .npy reader (round trip with the writer, other dtypes, byte
 * orders, Fortran order, version 2, damaged files), embeddings with their
 * id map, partition and .cmty readers, the communities writer. */
#include <dirent.h>
#include <unistd.h>

#include "cluster/cluster_internal.h"
#include "testutil.h"

static char dir[256];

static const char *path(const char *name)
{
    static char buf[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
    return buf[k];
}

static void write_file(const char *p, const void *data, size_t len)
{
    FILE *f = fopen(p, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
}

static void write_text(const char *p, const char *s) { write_file(p, s, strlen(s)); }

/* A .npy file with a given header dict and raw data. */
static void write_npy(const char *p, int major, const char *dict, const void *data, size_t len)
{
    char hdr[256];
    int hl = snprintf(hdr, sizeof hdr, "%s", dict);
    int pre = major == 1 ? 10 : 12;
    while ((pre + hl + 1) % 64)
        hdr[hl++] = ' ';
    hdr[hl++] = '\n';
    unsigned char m[12] = {0x93, 'N', 'U', 'M', 'P', 'Y', (unsigned char)major, 0};
    if (major == 1) {
        m[8] = (unsigned char)hl;
        m[9] = (unsigned char)(hl >> 8);
    } else {
        m[8] = (unsigned char)hl;
        m[9] = (unsigned char)(hl >> 8);
        m[10] = m[11] = 0;
    }
    FILE *f = fopen(p, "wb");
    fwrite(m, 1, (size_t)pre, f);
    fwrite(hdr, 1, (size_t)hl, f);
    fwrite(data, 1, len, f);
    fclose(f);
}

static void test_npy(void)
{
    float a[6] = {1, 2, 3, 4, 5, 6.5f}, *x = NULL;
    int64_t r, c;
    CHECK_OK(sgae_npy_save(path("a.npy"), a, 3, 2));
    CHECK_OK(sgae_npy_load(path("a.npy"), &x, &r, &c));
    CHECK(r == 3 && c == 2 && x && !memcmp(x, a, sizeof a));
    free(x);
    /* float64, Fortran order (columns stored first), version 2 */
    double f8[6] = {1, 3, 5, 2, 4, 6};
    write_npy(path("f.npy"), 2, "{'descr': '<f8', 'fortran_order': True, 'shape': (3, 2), }", f8,
              sizeof f8);
    CHECK_OK(sgae_npy_load(path("f.npy"), &x, &r, &c));
    CHECK(r == 3 && c == 2 && x);
    if (x)
        for (int i = 0; i < 6; i++)
            CHECK(x[i] == (float)(i + 1));
    free(x);
    /* big-endian float32, 1-D: one column */
    unsigned char be[8] = {0x3f, 0x80, 0, 0, 0x40, 0, 0, 0}; /* 1.0, 2.0 */
    write_npy(path("b.npy"), 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }", be,
              sizeof be);
    CHECK_OK(sgae_npy_load(path("b.npy"), &x, &r, &c));
    CHECK(r == 2 && c == 1 && x && x[0] == 1.0f && x[1] == 2.0f);
    free(x);
    /* errors name the file */
    write_npy(path("i.npy"), 1, "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", be,
              sizeof be);
    CHECK(sgae_npy_load(path("i.npy"), &x, &r, &c) == SGAE_E_FORMAT);
    CHECK(strstr(sgae_last_error(), "i.npy") && strstr(sgae_last_error(), "<i4"));
    write_npy(path("t.npy"), 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }", a,
              20);
    CHECK(sgae_npy_load(path("t.npy"), &x, &r, &c) == SGAE_E_CORRUPT);
    write_npy(path("l.npy"), 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", a,
              12);
    CHECK(sgae_npy_load(path("l.npy"), &x, &r, &c) == SGAE_E_CORRUPT);
    write_npy(path("3.npy"), 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1, 1), }",
              a, 4);
    CHECK(sgae_npy_load(path("3.npy"), &x, &r, &c) == SGAE_E_FORMAT);
    write_text(path("n.npy"), "not numpy at all");
    CHECK(sgae_npy_load(path("n.npy"), &x, &r, &c) == SGAE_E_FORMAT);
    CHECK(sgae_npy_load(path("missing.npy"), &x, &r, &c) == SGAE_E_IO);
    CHECK(x == NULL);
}

static void test_embeddings(void)
{
    float e[8] = {0, 0, 1, 1, 2, 2, 3, 3};
    float *x = NULL;
    int64_t r, c;
    sgae_graph *nodes = NULL;
    CHECK_OK(sgae_npy_save(path("e.npy"), e, 4, 2));
    write_text(path("e.ids.tsv"), "node_id\trow\n30\t2\n10\t0\n40\t3\n20\t1\n");
    CHECK_OK(sgae_embeddings_load(path("e.npy"), NULL, &x, &r, &c, &nodes));
    CHECK(r == 4 && c == 2 && nodes && nodes->ids && !nodes->names);
    if (nodes)
        CHECK(nodes->ids[0] == 10 && nodes->ids[2] == 30);
    /* aligned with a graph whose nodes are 10, 20, 30, 40 in another order */
    const int32_t u[3] = {0, 1, 2}, v[3] = {1, 2, 3};
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_from_pairs(4, 3, u, v, &g));
    g->ids = malloc(4 * sizeof *g->ids);
    g->ids[0] = 40;
    g->ids[1] = 30;
    g->ids[2] = 20;
    g->ids[3] = 10;
    int64_t row_of[4];
    CHECK_OK(sgae_embeddings_align(nodes, g, "e.npy", row_of));
    CHECK(row_of[0] == 3 && row_of[1] == 2 && row_of[2] == 1 && row_of[3] == 0);
    g->ids[3] = 99;
    CHECK(sgae_embeddings_align(nodes, g, "e.npy", row_of) == SGAE_E_ARG);
    CHECK(strstr(sgae_last_error(), "'10'") != NULL);
    sgae_graph_free(nodes);
    free(x);
    /* string ids */
    write_text(path("s.ids.tsv"), "node_id\trow\nalpha\t0\nbeta\t1\n007\t2\ngamma\t3\n");
    CHECK_OK(sgae_embeddings_load(path("e.npy"), path("s.ids.tsv"), &x, &r, &c, &nodes));
    CHECK(nodes && nodes->names && !strcmp(nodes->names[2], "007"));
    sgae_graph_free(nodes);
    free(x);
    /* bad id maps: file:line */
    write_text(path("d.ids.tsv"), "node_id\trow\n1\t0\n2\t0\n3\t2\n4\t3\n");
    CHECK(sgae_embeddings_load(path("e.npy"), path("d.ids.tsv"), &x, &r, &c, &nodes) ==
          SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "d.ids.tsv:3") != NULL);
    write_text(path("m.ids.tsv"), "node_id\trow\n1\t0\n2\t1\n3\t2\n");
    CHECK(sgae_embeddings_load(path("e.npy"), path("m.ids.tsv"), &x, &r, &c, &nodes) ==
          SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "no id for row 3") != NULL);
    write_text(path("o.ids.tsv"), "node_id\trow\n1\t0\n2\t1\n3\t2\n4\t9\n");
    CHECK(sgae_embeddings_load(path("e.npy"), path("o.ids.tsv"), &x, &r, &c, &nodes) ==
          SGAE_E_PARSE);
    write_text(path("r.ids.tsv"), "node_id\trow\n1\t0\n2\t1\n1\t2\n4\t3\n");
    CHECK(sgae_embeddings_load(path("e.npy"), path("r.ids.tsv"), &x, &r, &c, &nodes) ==
          SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "names two rows") != NULL);
    CHECK(x == NULL && nodes == NULL);
    sgae_graph_free(g);
}

static void test_partitions(void)
{
    const int32_t u[3] = {0, 1, 2}, v[3] = {1, 2, 3};
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_from_pairs(5, 3, u, v, &g)); /* nodes 0..4 */
    sgae_labels *l = NULL;
    int64_t skipped = -1;
    write_text(path("p.tsv"), "node\tcommunity\n# a comment\n3\t12\n0\t5\n1\t12\n");
    CHECK_OK(sgae_partition_load(path("p.tsv"), g, 0, &l, &skipped));
    CHECK(l && l->nclasses == 2 && skipped == 0);
    if (l) {
        CHECK(l->label[0] == 0 && l->label[1] == 1 && l->label[3] == 1);
        CHECK(l->label[2] == -1 && l->label[4] == -1);
        CHECK(!strcmp(l->class_names[1], "12"));
    }
    sgae_labels_free(l);
    write_text(path("p.csv"), "id,label\n0,b\n1,a\n2,b\n");
    CHECK_OK(sgae_partition_load(path("p.csv"), g, 0, &l, NULL));
    CHECK(l && l->nclasses == 2 && l->label[0] == 0 && l->label[1] == 1 &&
          !strcmp(l->class_names[0], "b"));
    sgae_labels_free(l);
    write_text(path("u.tsv"), "node\tcommunity\n0\t1\n77\t2\n");
    CHECK(sgae_partition_load(path("u.tsv"), g, 0, &l, NULL) == SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "u.tsv:3: unknown node '77'") != NULL);
    CHECK_OK(sgae_partition_load(path("u.tsv"), g, 1, &l, &skipped));
    CHECK(skipped == 1);
    sgae_labels_free(l);
    write_text(path("t.tsv"), "0\t1\n0\t2\n");
    CHECK(sgae_partition_load(path("t.tsv"), g, 0, &l, NULL) == SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "t.tsv:2: second community") != NULL);
    write_text(path("x.tsv"), "0\t1\n1\t2\t3\n");
    CHECK(sgae_partition_load(path("x.tsv"), g, 0, &l, NULL) == SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "x.tsv:2") != NULL);
    /* .cmty */
    sgae_cover cv;
    write_text(path("c.cmty"), "0\t1\t1\t2\n# c\n\n2 3\n4\n");
    CHECK_OK(sgae_cover_load(path("c.cmty"), g, 0, &cv, NULL));
    CHECK(cv.count == 3 && cv.ptr[1] == 3 && cv.ptr[2] == 5 && cv.node[3] == 2);
    int32_t part[5];
    CHECK(sgae_cover_to_partition(&cv, part) == 0); /* node 2 twice */
    sgae_cover_clear(&cv);
    write_text(path("d.cmty"), "0 1\n9 2\n");
    CHECK(sgae_cover_load(path("d.cmty"), g, 0, &cv, NULL) == SGAE_E_PARSE);
    CHECK(strstr(sgae_last_error(), "d.cmty:2: unknown node '9'") != NULL);
    CHECK_OK(sgae_cover_load(path("d.cmty"), g, 1, &cv, &skipped));
    CHECK(skipped == 1 && cv.count == 2);
    sgae_cover_clear(&cv);
    /* the writer: round trip, no temporary file left */
    int32_t comm[5] = {3, 3, -1, 0, 1};
    CHECK_OK(sgae_communities_save(g, comm, path("out.tsv")));
    FILE *f = fopen(path("out.tsv"), "rb");
    char buf[256] = {0};
    if (f) {
        size_t got = fread(buf, 1, sizeof buf - 1, f);
        buf[got] = '\0';
        fclose(f);
    }
    CHECK(!strcmp(buf, "node\tcommunity\n0\t3\n1\t3\n3\t0\n4\t1\n"));
    CHECK_OK(sgae_partition_load(path("out.tsv"), g, 0, &l, NULL));
    CHECK(l && l->label[2] == -1 && l->label[0] == l->label[1]);
    sgae_labels_free(l);
    int tmp = 0;
    DIR *d = opendir(dir);
    for (struct dirent *de; d && (de = readdir(d));)
        tmp += strstr(de->d_name, ".tmp.") != NULL;
    if (d)
        closedir(d);
    CHECK_INT(tmp, 0);
    CHECK(sgae_communities_save(g, comm, path("no/such/dir/out.tsv")) == SGAE_E_IO);
    CHECK(strstr(sgae_last_error(), "no/such/dir/out.tsv") != NULL);
    sgae_graph_free(g);
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/sgae-cluster-files-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    test_npy();
    test_embeddings();
    test_partitions();
    char cmdline[600];
    snprintf(cmdline, sizeof cmdline, "rm -rf '%s'", dir);
    if (system(cmdline) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return t_done("cluster_files");
}

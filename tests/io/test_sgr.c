/* The .sgr binary graph: round trips (plain ids, relabelled ids, string
 * names, empty and large graphs), and every damaged file rejected. */
#include <dirent.h>
#include <sys/stat.h>

#include "iotest.h"

static void roundtrip(const sgae_graph *g, const char *name)
{
    const char *p = t_tmp(name);
    CHECK_OK(sgae_sgr_save(g, p, NULL));
    sgae_graph *h = NULL;
    CHECK_OK(sgae_sgr_load(p, &h));
    CHECK_MSG(h && t_graph_equal(g, h), "%s: round trip differs", name);
    /* format detection by name and by magic bytes */
    sgae_graph *h2 = NULL;
    CHECK_OK(sgae_graph_load(p, SGAE_FMT_AUTO, &h2));
    CHECK(h2 && t_graph_equal(g, h2));
    sgae_graph_free(h2);
    sgae_graph_free(h);
}

/* Count files in the temporary directory whose name contains `s`. */
static int count_files(const char *s)
{
    DIR *d = opendir(t_tmpdir);
    int k = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        k += strstr(e->d_name, s) != NULL;
    closedir(d);
    return k;
}

/* The 64-bit hash of .sgr 1.0 files (to forge headers with valid hashes). */
static uint64_t v1_hash(const void *data, size_t len)
{
    const unsigned char *p = data;
    uint64_t a = 0x9e3779b97f4a7c15ULL ^ len, b = 0xc2b2ae3d27d4eb4fULL;
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        uint64_t x, y;
        memcpy(&x, p + i, 8);
        memcpy(&y, p + i + 8, 8);
        a = (a ^ x) * 0xff51afd7ed558ccdULL;
        a ^= a >> 29;
        b = (b ^ y) * 0xc4ceb9fe1a85ec53ULL;
        b ^= b >> 31;
    }
    for (; i < len; i++)
        a = (a ^ p[i]) * 0x100000001b3ULL;
    uint64_t h = a ^ (b * 0x9e3779b97f4a7c15ULL);
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static const sgae_container_format sgr_fmt = {
    .magic = {'S', 'G', 'A', 'E', 'G', 'R', 'P', 'H'}, .name = ".sgr", .major = 2};

/* An .sgr 2.x container whose "meta" says n nodes, nnz entries, and which
 * has no other section. */
static void forge_v2(const char *path, uint32_t major, uint64_t n, uint64_t nnz)
{
    sgae_container_format f = sgr_fmt;
    f.major = major;
    sgae_container_writer *w = NULL;
    uint64_t meta[8] = {n, nnz, 0, 0, 0, 0, 0, 8 << 20};
    CHECK_OK(sgae_container_create(path, &f, NULL, &w));
    CHECK_OK(sgae_container_add(w, "meta", 1, 0, meta, sizeof meta));
    CHECK_OK(sgae_container_commit(w));
}

static void legacy_and_hostile(void)
{
    char path[1024];
    sgae_graph *g = NULL, *h = NULL;
    /* files written by the previous release */
    snprintf(path, sizeof path, "%s/tests/io/data/karate-v1.sgr", SGAE_SOURCE_DIR);
    CHECK_OK(sgae_graph_load(t_data("newman/karate.gml.zst"), SGAE_FMT_AUTO, &g));
    CHECK_OK(sgae_sgr_load(path, &h));
    CHECK_MSG(g && h && t_graph_equal(g, h), "karate-v1.sgr differs from karate.gml");
    sgae_graph_free(h);
    h = NULL;
    size_t len;
    char *v1 = t_read_all(path, &len);
    const char *bad = t_tmp("v1bad.sgr");
    int ok = 1;
    for (size_t cut = 0; cut < len; cut++) {
        t_write(bad, v1, cut);
        sgae_status st = sgae_sgr_load(bad, &h);
        ok &= (st == SGAE_E_CORRUPT || (cut < 8 && st == SGAE_E_FORMAT)) && !h;
    }
    for (size_t pos = 8; pos < len; pos++) {
        v1[pos] ^= 0x10;
        t_write(bad, v1, len);
        sgae_status st = sgae_sgr_load(bad, &h);
        /* the version field: then it is read as a (damaged) 2.x file */
        ok &= (st == SGAE_E_CORRUPT || (pos >= 8 && pos < 12 && st == SGAE_E_FORMAT)) && !h;
        v1[pos] ^= 0x10;
    }
    CHECK_MSG(ok, "damaged 1.0 files not all refused");
    /* issue 11: a 1.0 header with a valid hash and 2^30 nodes, 2^40
     * entries: refused from the chunk table, without allocating for it */
    {
        uint64_t n = (uint64_t)1 << 30, nnz = (uint64_t)1 << 40;
        memcpy(v1 + 16, &n, 8);
        memcpy(v1 + 24, &nnz, 8);
        uint64_t hh = v1_hash(v1, 120);
        memcpy(v1 + 120, &hh, 8);
        t_write(bad, v1, len);
        sgae_alloc_fail_at(0);
        CHECK_INT(sgae_sgr_load(bad, &h), SGAE_E_CORRUPT);
        CHECK(strstr(sgae_last_error(), "chunk table") != NULL);
        CHECK(sgae_alloc_count() <= 2); /* the table, its entries: nothing sized by n */
    }
    free(v1);
    snprintf(path, sizeof path, "%s/tests/io/data/names-v1.sgr", SGAE_SOURCE_DIR);
    t_write_str(t_tmp("tiny.content"), "p1 0 1 0 A\np2 1 0 0 B\np3 0 0 1 A\npx 1 1 0 C\n");
    t_write_str(t_tmp("tiny.cites"), "p1 p2\np2 p3\np3 p1\npx p1\n");
    sgae_graph_free(g);
    g = NULL;
    CHECK_OK(sgae_graph_load(t_tmp("tiny.cites"), SGAE_FMT_AUTO, &g));
    CHECK_OK(sgae_sgr_load(path, &h));
    CHECK_MSG(g && h && t_graph_equal(g, h), "names-v1.sgr differs from its LINQS source");
    sgae_graph_free(h);
    h = NULL;
    sgae_graph_free(g);

    /* 2.x: declared sizes must match the sections, before allocation */
    forge_v2(bad, 2, (uint64_t)1 << 30, 0);
    sgae_alloc_fail_at(0);
    CHECK_INT(sgae_sgr_load(bad, &h), SGAE_E_CORRUPT);
    CHECK(strstr(sgae_last_error(), "degrees.0") && strstr(sgae_last_error(), "missing"));
    CHECK(sgae_alloc_count() < 10);
    forge_v2(bad, 2, 10, 1000); /* more entries than 10 nodes can have */
    CHECK_INT(sgae_sgr_load(bad, &h), SGAE_E_CORRUPT);
    CHECK(strstr(sgae_last_error(), "inconsistent") != NULL);
    /* a newer major version: refused, naming both */
    forge_v2(bad, 3, 0, 0);
    CHECK_INT(sgae_sgr_load(bad, &h), SGAE_E_FORMAT);
    CHECK_MSG(strstr(sgae_last_error(), bad) && strstr(sgae_last_error(), "3.0") &&
                  strstr(sgae_last_error(), "2.x"),
              "%s", sgae_last_error());
    /* a 2.x file from a later minor version with an extra section: read */
    {
        sgae_container_format f = sgr_fmt;
        f.minor = 7;
        sgae_container_writer *w = NULL;
        uint64_t meta[9] = {0, 0, 0, 0, 0, 0, 0, 8 << 20, 42}; /* a new field */
        CHECK_OK(sgae_container_create(bad, &f, NULL, &w));
        CHECK_OK(sgae_container_add(w, "meta", 1, 0, meta, sizeof meta));
        CHECK_OK(sgae_container_add(w, "future", 99, 0, "x", 1));
        CHECK_OK(sgae_container_commit(w));
        CHECK_OK(sgae_sgr_load(bad, &h));
        CHECK(h && h->n == 0);
        sgae_graph_free(h);
    }
}

/* A graph of n nodes with the given rows (row i: cols[off[i]..off[i+1])). */
static sgae_graph *rows_graph(int64_t n, const int64_t *off, const int32_t *cols)
{
    sgae_graph *g = calloc(1, sizeof *g);
    g->n = g->adj.nrows = g->adj.ncols = n;
    g->adj.rowptr = malloc((size_t)(n + 1) * sizeof *g->adj.rowptr);
    memcpy(g->adj.rowptr, off, (size_t)(n + 1) * sizeof *off);
    g->adj.col = malloc((size_t)(off[n] + 1) * sizeof *g->adj.col);
    memcpy(g->adj.col, cols, (size_t)off[n] * sizeof *cols);
    return g;
}

/* The loader's hashed symmetry check agrees with the exact one: symmetric
 * rows pass both, every asymmetric case (a missing mirror, an extra lower
 * entry, and as many upper as lower entries but different pairs) fails
 * both with the same message; repeated, as the key changes per call. */
static void hashed_symmetry(void)
{
    /* a triangle 0-1-2 and an edge 2-3 */
    static const int64_t so[] = {0, 2, 4, 7, 8};
    static const int32_t sc[] = {1, 2, 0, 2, 0, 1, 3, 2};
    /* 0 lists 1; 1 does not list 0 */
    static const int64_t ao[] = {0, 1, 1};
    static const int32_t ac[] = {1};
    /* 1 lists 0 only */
    static const int64_t bo[] = {0, 0, 1};
    static const int32_t bc[] = {0};
    /* upper (0,1), (1,3); lower (0,2), (2,3): two each, different pairs */
    static const int64_t co[] = {0, 1, 2, 3, 4};
    static const int32_t cc[] = {1, 3, 0, 2};
    sgae_graph *ok = rows_graph(4, so, sc);
    sgae_graph *bad[3] = {rows_graph(2, ao, ac), rows_graph(2, bo, bc), rows_graph(4, co, cc)};
    for (int rep = 0; rep < 50; rep++) {
        CHECK_OK(sgae_graph_check(ok));
        CHECK_OK(sgae_graph_check_fast(ok));
        for (int b = 0; b < 3; b++) {
            char exact[256];
            CHECK_INT(sgae_graph_check(bad[b]), SGAE_E_CORRUPT);
            snprintf(exact, sizeof exact, "%s", sgae_last_error());
            CHECK_INT(sgae_graph_check_fast(bad[b]), SGAE_E_CORRUPT);
            CHECK_MSG(!strcmp(exact, sgae_last_error()), "case %d: '%s' vs '%s'", b, exact,
                      sgae_last_error());
            CHECK_MSG(strstr(exact, "not symmetric"), "%s", exact);
        }
    }
    sgae_graph_free(ok);
    for (int b = 0; b < 3; b++)
        sgae_graph_free(bad[b]);
}

/* Matrix Market ids 1..n (an implicit map, nothing stored per node) survive
 * a round trip through .sgr as the same ids. */
static void mtx_ids_roundtrip(void)
{
    const char *m = t_tmp("ids.mtx"), *p = t_tmp("ids.sgr");
    static const char text[] = "%%MatrixMarket matrix coordinate pattern symmetric\n5 5 2\n2 1\n5 3\n";
    t_write(m, text, sizeof text - 1);
    sgae_graph *g = NULL, *h = NULL;
    CHECK_OK(sgae_graph_load(m, SGAE_FMT_AUTO, &g));
    CHECK(g && !g->ids && g->id_base == 1);
    CHECK_OK(sgae_sgr_save(g, p, NULL));
    CHECK_OK(sgae_sgr_load(p, &h));
    CHECK(h && h->n == 5 && sgae_graph_edges(h) == 2);
    for (int64_t i = 0; h && i < 5; i++)
        CHECK_MSG(sgae_graph_id(h, i) == (uint64_t)i + 1, "node %lld", (long long)i);
    sgae_graph_free(g);
    sgae_graph_free(h);
}

int main(void)
{
    t_tmp_init("sgr");
    sgae_graph *g = NULL;

    /* shipped graphs: identity ids, string names, GML ids */
    CHECK_OK(sgae_graph_load(t_data("planetoid/cora.edges.zst"), SGAE_FMT_AUTO, &g));
    roundtrip(g, "cora.sgr");
    sgae_graph_free(g);
    CHECK_OK(sgae_graph_load(t_data("linqs/cora.cites.zst"), SGAE_FMT_AUTO, &g));
    CHECK(g->names != NULL);
    roundtrip(g, "linqs.sgr");
    sgae_graph_free(g);
    CHECK_OK(sgae_graph_load(t_data("email-eu-core/email-Eu-core.txt.zst"), SGAE_FMT_AUTO, &g));
    roundtrip(g, "email.sgr");
    sgae_graph_free(g);

    /* relabelled sparse 64-bit ids, including 2^64-1 */
    t_write_str(t_tmp("ids.txt"), "18446744073709551615 5\n5 1000000000000\n7 5\n7 7\n");
    CHECK_OK(sgae_graph_load(t_tmp("ids.txt"), SGAE_FMT_AUTO, &g));
    CHECK(g->ids && g->n == 4 && g->ids[3] == UINT64_MAX && g->ids[0] == 5);
    roundtrip(g, "ids.sgr");
    sgae_graph_free(g);

    /* an empty graph and one without edges */
    CHECK_OK(sgae_graph_from_pairs(0, 0, NULL, NULL, &g));
    roundtrip(g, "empty.sgr");
    sgae_graph_free(g);
    CHECK_OK(sgae_graph_from_pairs(5, 0, NULL, NULL, &g));
    roundtrip(g, "noedges.sgr");
    sgae_graph_free(g);
    CHECK_OK(sgae_graph_from_pairs(0, 0, NULL, NULL, &g));
    g->names = calloc(1, sizeof *g->names); /* an empty string-id map */
    roundtrip(g, "emptynames.sgr");
    sgae_graph_free(g);

    /* a graph spanning several 8 MiB chunks: 3M random pairs on 200k nodes */
    {
        int64_t n = 200000, m = 3000000;
        int32_t *u = malloc((size_t)m * 4), *v = malloc((size_t)m * 4);
        for (int64_t k = 0; k < m; k++) {
            u[k] = (int32_t)(sgae_rng_u64(7, 1, (uint64_t)k) % (uint64_t)n);
            v[k] = (int32_t)(sgae_rng_u64(7, 2, (uint64_t)k) % (uint64_t)n);
        }
        CHECK_OK(sgae_graph_from_pairs(n, m, u, v, &g));
        roundtrip(g, "big.sgr");
        /* the same bytes with 1 and 2 threads, as .sgr and as .zst text */
        const char *outs[][2] = {{"t1.sgr", "t2.sgr"}, {"t1.txt.zst", "t2.txt.zst"}};
        for (int f = 0; f < 2; f++) {
            sgae_save_opts o;
            sgae_save_opts_defaults(&o);
            for (int t = 0; t < 2; t++) {
                o.threads = t + 1;
                CHECK_OK(f ? sgae_edgelist_save(g, t_tmp(outs[f][t]), &o)
                           : sgae_sgr_save(g, t_tmp(outs[f][t]), &o));
            }
            size_t l1, l2;
            char *b1 = t_read_all(t_tmp(outs[f][0]), &l1), *b2 = t_read_all(t_tmp(outs[f][1]), &l2);
            CHECK_MSG(l1 == l2 && !memcmp(b1, b2, l1), "%s: bytes depend on the threads",
                      outs[f][0]);
            free(b1);
            free(b2);
        }
        sgae_graph_free(g);
        free(u);
        free(v);
    }
    /* writing leaves no temporary file behind, and overwrites atomically */
    CHECK_INT(count_files(".tmp."), 0);
    CHECK_OK(sgae_graph_load(t_data("planetoid/cora.edges.zst"), SGAE_FMT_AUTO, &g));
    CHECK_OK(sgae_sgr_save(g, t_tmp("email.sgr"), NULL));
    sgae_graph *h = NULL;
    CHECK_OK(sgae_sgr_load(t_tmp("email.sgr"), &h));
    CHECK(h && t_graph_equal(g, h));
    sgae_graph_free(h);
    CHECK_INT(count_files(".tmp."), 0);
    /* an unwritable destination */
    CHECK(sgae_sgr_save(g, t_tmp("no/such/dir/x.sgr"), NULL) == SGAE_E_IO);
    CHECK(strstr(sgae_last_error(), "no/such/dir/x.sgr") != NULL);

    /* damage: truncations and flipped bytes of cora's file */
    size_t len;
    char *data = t_read_all(t_tmp("cora.sgr"), &len);
    CHECK(len > 1000);
    const char *bad = t_tmp("bad.sgr");
    int trunc_ok = 1, flip_ok = 1, msg_ok = 1;
    for (size_t cut = 0; cut < len; cut += (cut < 400 ? 1 : 97)) {
        t_write(bad, data, cut);
        sgae_status st = sgae_sgr_load(bad, &h);
        sgae_status want = SGAE_E_CORRUPT;
        if (st != want || h) {
            trunc_ok = 0;
            fprintf(stderr, "cut at %zu: %s\n", cut, sgae_last_error());
        }
        if (!strstr(sgae_last_error(), bad))
            msg_ok = 0;
    }
    /* trailing garbage */
    {
        char *more = malloc(len + 3);
        memcpy(more, data, len);
        memcpy(more + len, "xyz", 3);
        t_write(bad, more, len + 3);
        CHECK(sgae_sgr_load(bad, &h) == SGAE_E_CORRUPT);
        free(more);
    }
    /* every byte of the header and chunk table, then every 13th */
    for (size_t pos = 0; pos < len; pos += pos < 400 ? 1 : 13) {
        data[pos] ^= (char)(1u << (pos % 8));
        t_write(bad, data, len);
        sgae_status st = sgae_sgr_load(bad, &h);
        /* the magic bytes: not an .sgr file; anything else: corrupt */
        sgae_status want = pos < 8 ? SGAE_E_FORMAT : SGAE_E_CORRUPT;
        if (st != want || h) {
            flip_ok = 0;
            fprintf(stderr, "flip at %zu: %s %s\n", pos, sgae_status_string(st),
                    sgae_last_error());
        }
        if (!strstr(sgae_last_error(), bad))
            msg_ok = 0;
        data[pos] ^= (char)(1u << (pos % 8));
    }
    CHECK(trunc_ok);
    CHECK(flip_ok);
    CHECK(msg_ok);
    /* and the intact bytes still load */
    t_write(bad, data, len);
    CHECK_OK(sgae_sgr_load(bad, &h));
    CHECK(h && t_graph_equal(g, h));
    sgae_graph_free(h);
    /* through the dataset loader: same status */
    data[len / 2] ^= 1;
    t_write(bad, data, len);
    sgae_load_opts o = {.graph = bad};
    sgae_dataset ds;
    CHECK(sgae_dataset_load(&o, &ds) == SGAE_E_CORRUPT);
    free(data);
    sgae_graph_free(g);

    legacy_and_hostile();
    hashed_symmetry();
    mtx_ids_roundtrip();
    t_tmp_cleanup();
    return t_done("sgr");
}

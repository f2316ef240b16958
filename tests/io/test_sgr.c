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

    t_tmp_cleanup();
    return t_done("sgr");
}

/* Edge-list and labels writers: round trip through the readers (plain, .gz,
 * .zst), user ids, atomic replacement, errors; the generator's output
 * through .sgr. */
#include <stdint.h>
#include <unistd.h>

#include "testutil.h"

static int same_csr(const sgae_graph *a, const sgae_graph *b)
{
    if (a->n != b->n || a->adj.rowptr[a->n] != b->adj.rowptr[b->n])
        return 0;
    return !memcmp(a->adj.rowptr, b->adj.rowptr, (size_t)(a->n + 1) * sizeof(int64_t)) &&
           !memcmp(a->adj.col, b->adj.col, (size_t)a->adj.rowptr[a->n] * sizeof(int32_t));
}

static int magic(const char *path, const unsigned char *m, size_t len)
{
    unsigned char buf[8] = {0};
    FILE *f = fopen(path, "rb");
    if (!f)
        return 0;
    size_t got = fread(buf, 1, len, f);
    fclose(f);
    return got == len && !memcmp(buf, m, len);
}

int main(void)
{
    t_tmp_init("write");

    /* a small LFR graph (no isolated nodes, ids 0..n-1) */
    sgae_lfr_opts p;
    sgae_lfr_opts_default(&p);
    p.nodes = 3000;
    p.avg_degree = 12;
    p.max_degree = 60;
    p.min_community = 10;
    p.max_community = 100;
    sgae_graph *g = NULL;
    int32_t *comm = NULL;
    sgae_lfr_stats s;
    CHECK_OK(sgae_gen_lfr(&p, &g, &comm, &s));
    if (!g)
        return t_done("gen_write");

    const char *names[] = {"g.txt", "g.txt.gz", "g.txt.zst"};
    for (int k = 0; k < 3; k++) {
        const char *path = t_tmp(names[k]);
        sgae_graph *h = NULL;
        CHECK_OK(sgae_edgelist_save(g, path, NULL));
        CHECK_OK(sgae_graph_load(path, SGAE_FMT_AUTO, &h));
        if (h) {
            CHECK_MSG(same_csr(g, h), "%s: round trip differs", names[k]);
            CHECK_INT(h->duplicates, 0);
            CHECK_INT(h->self_loops, 0);
            CHECK_INT(h->input_edges, sgae_graph_edges(g));
        }
        sgae_graph_free(h);
    }
    static const unsigned char gz[] = {0x1f, 0x8b}, zs[] = {0x28, 0xb5, 0x2f, 0xfd};
    CHECK(magic(t_tmp("g.txt.gz"), gz, 2));
    CHECK(magic(t_tmp("g.txt.zst"), zs, 4));
    CHECK_INT(t_count_files(t_tmpdir, ".tmp."), 0);

    /* labels: "node community" lines read back through the dataset loader */
    sgae_labels l = {0};
    l.n = g->n;
    l.label = comm;
    l.nclasses = (int32_t)s.communities;
    const char *lnames[] = {"t.labels", "t.labels.zst", "t.labels.gz"};
    for (int k = 0; k < 3; k++) {
        CHECK_OK(sgae_labels_save(g, &l, t_tmp(lnames[k]), NULL));
        sgae_load_opts o = {0};
        o.graph = t_tmp("g.txt.zst");
        o.labels = t_tmp(lnames[k]);
        sgae_dataset ds;
        memset(&ds, 0, sizeof ds);
        CHECK_OK(sgae_dataset_load(&o, &ds));
        if (ds.labels) {
            CHECK_INT(ds.labels->nclasses, s.communities);
            /* same partition: a bijection between written and read classes */
            int32_t *map = malloc((size_t)s.communities * sizeof *map);
            for (int64_t c = 0; c < s.communities; c++)
                map[c] = -1;
            int bad = 0;
            for (int64_t i = 0; i < g->n; i++) {
                int32_t a = comm[i], b = ds.labels->label[i];
                if (b < 0 || (map[a] >= 0 && map[a] != b))
                    bad = 1;
                map[a] = b;
            }
            CHECK_MSG(!bad, "%s: partition differs", lnames[k]);
            free(map);
        }
        sgae_dataset_clear(&ds);
    }

    /* named classes and unlabelled nodes */
    {
        sgae_graph *t = NULL;
        int32_t u[] = {0, 1, 2}, v[] = {1, 2, 3};
        CHECK_OK(sgae_graph_from_pairs(4, 3, u, v, &t));
        if (t) {
            int32_t lab[] = {1, -1, 0, 1};
            char n0[] = "alpha", n1[] = "beta";
            char *cn[] = {n0, n1};
            sgae_labels tl = {4, lab, 2, cn};
            CHECK_OK(sgae_labels_save(t, &tl, t_tmp("named.txt"), NULL));
            char *txt = t_slurp(t_tmp("named.txt"), NULL);
            CHECK(txt && !strcmp(txt, "0 beta\n2 alpha\n3 beta\n"));
            free(txt);
            lab[0] = 2; /* out of range */
            CHECK_INT(sgae_labels_save(t, &tl, t_tmp("bad.txt"), NULL), SGAE_E_ARG);
            CHECK(access(t_tmp("bad.txt"), F_OK) != 0);
            sgae_labels wrong = {3, lab, 2, cn};
            CHECK_INT(sgae_labels_save(t, &wrong, t_tmp("bad.txt"), NULL), SGAE_E_ARG);

            /* user ids, not monotone: each line has u < v in the user's ids */
            uint64_t ids[] = {900, 5, 70, 12};
            t->ids = malloc(sizeof ids);
            memcpy(t->ids, ids, sizeof ids);
            CHECK_OK(sgae_edgelist_save(t, t_tmp("ids.txt"), NULL));
            txt = t_slurp(t_tmp("ids.txt"), NULL);
            const char *body = txt ? strstr(txt, "\n# nodes 4\n") : NULL; /* after the # header */
            CHECK(txt && txt[0] == '#');
            CHECK(body && !strcmp(body + 11, "5 900\n5 70\n12 70\n"));
            free(txt);
            sgae_graph *h = NULL;
            CHECK_OK(sgae_graph_load(t_tmp("ids.txt"), SGAE_FMT_AUTO, &h));
            if (h) {
                CHECK_INT(h->n, 4);
                CHECK_INT(sgae_graph_edges(h), 3);
                /* relabelled in increasing user id: 5, 12, 70, 900 */
                CHECK(h->ids && h->ids[0] == 5 && h->ids[3] == 900);
            }
            sgae_graph_free(h);
        }
        sgae_graph_free(t);
    }

    /* replacing an existing file; a directory that does not exist */
    {
        FILE *f = fopen(t_tmp("old.txt"), "w");
        fputs("garbage that must disappear\n", f);
        fclose(f);
        CHECK_OK(sgae_edgelist_save(g, t_tmp("old.txt"), NULL));
        sgae_graph *h = NULL;
        CHECK_OK(sgae_graph_load(t_tmp("old.txt"), SGAE_FMT_AUTO, &h));
        CHECK(h && same_csr(g, h));
        sgae_graph_free(h);
        CHECK_INT(sgae_edgelist_save(g, t_tmp("no/such/dir/g.txt"), NULL), SGAE_E_IO);
        CHECK(strstr(sgae_last_error(), "no/such/dir") != NULL);
        CHECK_INT(sgae_labels_save(g, &l, t_tmp("no/such/dir/l.txt"), NULL), SGAE_E_IO);
    }

    /* the generator's graph through the binary format */
    {
        const char *path = t_tmp("g.sgr");
        sgae_graph *h = NULL;
        CHECK_OK(sgae_sgr_save(g, path, NULL));
        CHECK_OK(sgae_sgr_load(path, &h));
        CHECK(h && same_csr(g, h));
        sgae_graph_free(h);
    }
    CHECK_INT(t_count_files(t_tmpdir, ".tmp."), 0);

    sgae_graph_free(g);
    free(comm);
    t_tmp_cleanup();
    CHECK(access(t_tmpdir, F_OK) != 0);
    return t_done("gen_write");
}

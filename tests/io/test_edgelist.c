/* Edge-list details: separators, comments, header, CRLF, weights; the two
 * relabelling paths (dense and sparse ids) against each other; line numbers
 * past the reader's buffer; multi-member gzip; format detection. */
#include <omp.h>

#include "iotest.h"

static sgae_graph *load(const char *name, const char *text)
{
    const char *p = t_tmp(name);
    t_write_str(p, text);
    sgae_graph *g = NULL;
    sgae_status st = sgae_graph_load(p, SGAE_FMT_AUTO, &g);
    CHECK_MSG(st == SGAE_OK, "%s: %s", name, sgae_last_error());
    return g;
}

int main(void)
{
    t_tmp_init("edgelist");
    sgae_graph *a = load("a.txt", "0 1\n1 2\n2 0\n3 2\n");
    sgae_graph *b = load("b.csv", "src,dst\r\n# comment\r\n0,1\r\n\r\n  1\t2 0.5\r\n% other\r\n2,0,1\r\n3 ,2\r\n");
    CHECK(a && b);
    if (a && b) {
        CHECK(a->ids == NULL && b->ids == NULL);
        CHECK_INT(a->n, 4);
        CHECK_INT(sgae_graph_edges(a), 4);
        CHECK(!memcmp(a->adj.rowptr, b->adj.rowptr, 5 * 8) &&
              !memcmp(a->adj.col, b->adj.col, 8 * 4));
        CHECK(t_graph_valid(a));
    }
    sgae_graph_free(b);
    /* gaps in the ids: relabelled in increasing order, map kept */
    b = load("gaps.txt", "10 20\n20 30\n30 10\n40 30\n");
    if (a && b) {
        CHECK(b->ids && b->ids[0] == 10 && b->ids[3] == 40);
        CHECK(!memcmp(a->adj.rowptr, b->adj.rowptr, 5 * 8) &&
              !memcmp(a->adj.col, b->adj.col, 8 * 4));
        char buf[32];
        CHECK(!strcmp(sgae_graph_node_name(b, 2, buf, sizeof buf), "30"));
    }
    sgae_graph_free(b);
    /* sparse huge ids (the hash path), including 2^64-1 */
    b = load("huge.txt", "18446744073709551615 9000000000000000000\n9000000000000000000 "
                         "123456789012\n123456789012 18446744073709551615\n7 123456789012\n");
    if (a && b) {
        CHECK(b->ids && b->ids[0] == 7 && b->ids[1] == 123456789012ULL &&
              b->ids[2] == 9000000000000000000ULL && b->ids[3] == UINT64_MAX);
        /* edges: {3,2},{2,1},{1,3},{0,1}: a triangle 1-2-3 with 0 on 1 */
        CHECK_INT(sgae_graph_edges(b), 4);
        CHECK_INT(sgae_graph_degree(b, 1), 3);
        CHECK_INT(sgae_graph_degree(b, 0), 1);
        CHECK(t_graph_valid(b));
    }
    sgae_graph_free(b);
    sgae_graph_free(a);

    /* dense and sparse relabelling agree on a random graph */
    {
        int64_t m = 200000;
        size_t cap = (size_t)m * 48, n1 = 0, n2 = 0;
        char *s1 = malloc(cap), *s2 = malloc(cap);
        for (int64_t k = 0; k < m; k++) {
            uint64_t u = sgae_rng_u64(5, 1, (uint64_t)k) % 50000;
            uint64_t v = sgae_rng_u64(5, 2, (uint64_t)k) % 50000;
            /* even ids only: not contiguous, still dense */
            n1 += (size_t)snprintf(s1 + n1, cap - n1, "%llu %llu\n", (unsigned long long)(2 * u),
                                   (unsigned long long)(2 * v));
            n2 += (size_t)snprintf(s2 + n2, cap - n2, "%llu\t%llu\n",
                                   (unsigned long long)(u * 1000000007ULL + 99),
                                   (unsigned long long)(v * 1000000007ULL + 99));
        }
        t_write(t_tmp("dense.txt"), s1, n1);
        t_write_gz(t_tmp("sparse.txt.gz"), s2, n2);
        sgae_graph *d = NULL, *sp = NULL;
        CHECK_OK(sgae_graph_load(t_tmp("dense.txt"), SGAE_FMT_AUTO, &d));
        CHECK_OK(sgae_graph_load(t_tmp("sparse.txt.gz"), SGAE_FMT_AUTO, &sp));
        if (d && sp) {
            CHECK(d->n == sp->n && d->ids && sp->ids);
            CHECK(!memcmp(d->adj.rowptr, sp->adj.rowptr, (size_t)(d->n + 1) * 8));
            CHECK(!memcmp(d->adj.col, sp->adj.col, (size_t)d->adj.rowptr[d->n] * 4));
            int ok = 1;
            for (int64_t i = 0; i < d->n; i++)
                ok &= (d->ids[i] / 2) * 1000000007ULL + 99 == sp->ids[i];
            CHECK(ok);
            CHECK(t_graph_valid(d));
        }
        sgae_graph_free(d);
        sgae_graph_free(sp);

        /* a bad line far past the first 4 MiB buffer: the line number is exact */
        memcpy(s1 + n1, "12 zz\n", 7);
        t_write_zst(t_tmp("late.txt.zst"), s1, n1 + 6);
        char want[600];
        snprintf(want, sizeof want, "%s:%lld:", t_tmp("late.txt.zst"), (long long)m + 1);
        CHECK(sgae_graph_load(t_tmp("late.txt.zst"), SGAE_FMT_AUTO, &d) == SGAE_E_PARSE);
        CHECK_MSG(strstr(sgae_last_error(), want), "%s", sgae_last_error());
        free(s1);
        free(s2);
    }

    /* plain files over 1 MiB take the parallel in-memory parser: same pairs,
     * same counts and same errors as the streaming parser on .zst */
    {
        size_t cap = 8u << 20, n = 0;
        char *s = malloc(cap + 64);
        /* 1.2 MiB of comments first, so the header lands past the first chunk */
        while (n < (size_t)1200000)
            n += (size_t)snprintf(s + n, cap - n, "# comment line %zu\r\n", n);
        n += (size_t)snprintf(s + n, cap - n, "from\tto\r\n");
        for (int k = 0; n < cap - 100; k++) {
            uint64_t u = sgae_rng_u64(9, 1, (uint64_t)k) % 100000;
            uint64_t v = sgae_rng_u64(9, 2, (uint64_t)k) % 100000;
            n += (size_t)snprintf(s + n, cap - n, k % 3 ? "%llu %llu\n" : "%llu,%llu,1.5\r\n",
                                  (unsigned long long)u, (unsigned long long)v);
            if (k % 1000 == 0)
                n += (size_t)snprintf(s + n, cap - n, "\n%% note\n");
        }
        n += (size_t)snprintf(s + n, cap + 64 - n, "7 8"); /* no final newline */
        t_write(t_tmp("big.txt"), s, n);
        t_write_zst(t_tmp("big.txt.zst"), s, n);
        sgae_graph *g1 = NULL, *g2 = NULL, *g3 = NULL;
        CHECK_OK(sgae_graph_load(t_tmp("big.txt.zst"), SGAE_FMT_AUTO, &g1));
        omp_set_num_threads(1);
        CHECK_OK(sgae_graph_load(t_tmp("big.txt"), SGAE_FMT_AUTO, &g2));
        omp_set_num_threads(2);
        CHECK_OK(sgae_graph_load(t_tmp("big.txt"), SGAE_FMT_AUTO, &g3));
        CHECK(g1 && g2 && g3 && t_graph_equal(g1, g2) && t_graph_equal(g1, g3));
        sgae_graph_free(g1);
        sgae_graph_free(g2);
        sgae_graph_free(g3);
        /* without the comments: the header is in the first chunk */
        char *body = strstr(s, "from\tto");
        size_t bl = n - (size_t)(body - s);
        t_write(t_tmp("big2.txt"), body, bl);
        t_write_gz(t_tmp("big2.txt.gz"), body, bl);
        CHECK_OK(sgae_graph_load(t_tmp("big2.txt"), SGAE_FMT_AUTO, &g1));
        CHECK_OK(sgae_graph_load(t_tmp("big2.txt.gz"), SGAE_FMT_AUTO, &g2));
        CHECK(g1 && g2 && t_graph_equal(g1, g2));
        sgae_graph_free(g1);
        sgae_graph_free(g2);
        /* errors late in a big plain file: exact line numbers */
        long long lines = 1;
        for (size_t q = 0; q < n; q++)
            lines += s[q] == '\n';
        memcpy(s + n, "\n5 -6\n", 6);
        t_write(t_tmp("bad.txt"), s, n + 6);
        char want[600];
        snprintf(want, sizeof want, "%s:%lld: column 2: negative id '-6'", t_tmp("bad.txt"),
                 lines + 1);
        CHECK(sgae_graph_load(t_tmp("bad.txt"), SGAE_FMT_AUTO, &g1) == SGAE_E_PARSE);
        CHECK_MSG(strstr(sgae_last_error(), want), "%s", sgae_last_error());
        /* a NUL byte in a comment is rejected as by the streaming reader */
        s[10] = '\0';
        t_write(t_tmp("nul.txt"), s, n);
        snprintf(want, sizeof want, "%s:1: NUL byte", t_tmp("nul.txt"));
        CHECK(sgae_graph_load(t_tmp("nul.txt"), SGAE_FMT_AUTO, &g1) == SGAE_E_PARSE);
        CHECK_MSG(strstr(sgae_last_error(), want), "%s", sgae_last_error());
        free(s);
    }

    /* gzip with two members (as `cat a.gz b.gz` makes) */
    {
        t_write_gz(t_tmp("m1.gz"), "0 1\n1 2\n", 8);
        t_write_gz(t_tmp("m2.gz"), "2 3\n", 4);
        size_t l1, l2;
        char *x = t_read_all(t_tmp("m1.gz"), &l1), *y = t_read_all(t_tmp("m2.gz"), &l2);
        x = realloc(x, l1 + l2);
        memcpy(x + l1, y, l2);
        t_write(t_tmp("multi.txt.gz"), x, l1 + l2);
        sgae_graph *g = NULL;
        CHECK_OK(sgae_graph_load(t_tmp("multi.txt.gz"), SGAE_FMT_AUTO, &g));
        CHECK(g && g->n == 4 && sgae_graph_edges(g) == 3);
        sgae_graph_free(g);
        free(x);
        free(y);
    }

    /* detection by content when the name says nothing */
    {
        sgae_graph *g = load("noext1", "%%MatrixMarket matrix coordinate real symmetric\n"
                                       "% a comment\n%another\n4 4 3\n2 1 0.5\n3 2 -1e3\n4 4 2\n");
        CHECK(g && g->n == 4 && sgae_graph_edges(g) == 2 && g->self_loops == 1);
        CHECK(g && !g->ids && sgae_graph_id(g, 3) == 4);
        sgae_graph_free(g);
        g = load("noext2", "graph [ node [ id 5 ] node [ id 3 ] edge [ source 5 target 3 ] ]\n");
        CHECK(g && g->n == 2 && sgae_graph_edges(g) == 1 && g->ids && g->ids[0] == 3);
        sgae_graph_free(g);
        sgae_format f;
        CHECK(sgae_format_parse("gml", &f) == SGAE_OK && f == SGAE_FMT_GML);
        CHECK(sgae_format_parse("bogus", &f) == SGAE_E_ARG);
        CHECK(!strcmp(sgae_format_name(SGAE_FMT_LINQS), "linqs"));
    }

    t_tmp_cleanup();
    return t_done("edgelist");
}

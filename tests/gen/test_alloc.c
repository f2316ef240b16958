/* Allocation failures in the generators (src/gen): every allocation of a
 * small LFR run and of a small Kronecker run fails in turn; each gives
 * SGAE_E_NOMEM with a message and NULL outputs, and a run after the sweep
 * gives the same graph as before it.  2 OpenMP threads, so the per-thread
 * scratch of the LFR wiring is allocated twice; leaks are caught by the ASan
 * build.  Also checks the progress reports of the generators against the
 * protocol of sgae/gen.h whenever a run reports. */
#include <omp.h>
#include <stdint.h>

#include "graph/alloc_sweep.h"
#include "testutil.h"

/* ---- LFR ---- */

typedef struct {
    sgae_lfr_opts o;
    sgae_graph *g, *ref;
    int32_t *comm, *ref_comm;
    sgae_lfr_stats s;
} lfr_ctx;

static sgae_status lfr_run(void *p)
{
    lfr_ctx *c = p;
    c->g = (sgae_graph *)1; /* both must become NULL on failure */
    c->comm = (int32_t *)1;
    return sgae_gen_lfr(&c->o, &c->g, &c->comm, &c->s);
}
static void lfr_ok(void *p)
{
    lfr_ctx *c = p;
    CHECK(t_same_graph(c->g, c->ref));
    CHECK(!memcmp(c->comm, c->ref_comm, (size_t)c->o.nodes * sizeof *c->comm));
    sgae_graph_free(c->g);
    free(c->comm);
    c->g = NULL;
    c->comm = NULL;
}
static void lfr_failed(void *p)
{
    lfr_ctx *c = p;
    CHECK(c->g == NULL && c->comm == NULL);
}

/* ---- Kronecker ---- */

typedef struct {
    t_graph_out out; /* first: the context of t_graph_out_ok/failed */
    sgae_kron_opts o;
} kron_ctx;

static sgae_status kron_run(void *p)
{
    kron_ctx *c = p;
    c->out.g = (sgae_graph *)1;
    return sgae_gen_kron(&c->o, &c->out.g);
}

/* ---- progress protocol ---- */

typedef struct {
    const char *name; /* "lfr" or "kron" */
    int total;        /* stages */
    int calls, ended, bad, last;
} progress_rec;

static void record(void *ctx, const char *label, int64_t done, int64_t total)
{
    progress_rec *r = ctx;
    size_t ln = strlen(r->name);
    r->calls++;
    if (r->ended) {
        r->bad++; /* nothing after the end */
    } else if (done < 0) {
        r->ended = 1;
        r->bad += strcmp(label, r->name) != 0;
    } else {
        /* "<name>: <stage>", stages in increasing order, total fixed */
        r->bad += strncmp(label, r->name, ln) != 0 || strncmp(label + ln, ": ", 2) != 0 ||
                  total != r->total || done <= r->last || done >= r->total;
        r->last = (int)done;
    }
}

static void check_progress(const progress_rec *r)
{
    CHECK_MSG(r->bad == 0, "%s: %d progress reports break the protocol", r->name, r->bad);
    CHECK_MSG(r->calls == 0 || r->ended, "%s: %d progress reports without an end", r->name,
              r->calls);
    printf("%s: %d progress reports\n", r->name, r->calls);
}

int main(void)
{
    omp_set_num_threads(2);

    lfr_ctx l;
    memset(&l, 0, sizeof l);
    l.o = t_lfr_opts(3000, 10, 60, 20, 200, 0.4);
    l.o.seed = 3;
    CHECK_OK(sgae_gen_lfr(&l.o, &l.ref, &l.ref_comm, NULL));
    if (!l.ref)
        return t_done("gen_alloc");
    alloc_case lc = {"gen_lfr (3000 nodes)", &l, lfr_run, lfr_ok, lfr_failed};
    int64_t nl = alloc_sweep(&lc);
    CHECK(nl >= 20); /* the stages' arrays and 2 x 6 scratch arrays */

    kron_ctx k;
    memset(&k, 0, sizeof k);
    sgae_kron_opts_default(&k.o);
    k.o.scale = 10;
    k.o.edge_factor = 8;
    k.o.seed = 4;
    CHECK_OK(sgae_gen_kron(&k.o, &k.out.ref));
    if (!k.out.ref)
        return t_done("gen_alloc");
    alloc_case kc = {"gen_kron (scale 10)", &k, kron_run, t_graph_out_ok, t_graph_out_failed};
    alloc_sweep(&kc);

    /* defaults as documented in sgae/gen.h */
    sgae_lfr_opts d;
    sgae_lfr_opts_default(&d);
    CHECK(d.nodes == 100000 && d.avg_degree == 20 && d.max_degree == 500 &&
          d.degree_exponent == 2.0 && d.mu == 0.3 && d.min_community == 20 &&
          d.max_community == 1000 && d.community_exponent == 1.0 && d.seed == 1 &&
          d.progress.fn == NULL);
    sgae_kron_opts dk;
    sgae_kron_opts_default(&dk);
    CHECK(dk.scale == 16 && dk.edge_factor == 16 && dk.seed == 1 && dk.progress.fn == NULL);

    /* progress: runs of about a second at 1 thread report their later
     * stages; whatever they report must follow the protocol, and the graph
     * is the same with a sink as without */
    omp_set_num_threads(1);
    progress_rec rl = {"lfr", 6, 0, 0, 0, -1};
    sgae_lfr_opts pl = t_lfr_opts(300000, 0, 0, 0, 0, -1);
    pl.progress = (sgae_progress_sink){record, &rl};
    sgae_graph *g = NULL;
    int32_t *comm = NULL;
    CHECK_OK(sgae_gen_lfr(&pl, &g, &comm, NULL));
    check_progress(&rl);
    sgae_graph_free(g);
    free(comm);
    progress_rec rk = {"kron", 3, 0, 0, 0, -1};
    sgae_kron_opts pk;
    sgae_kron_opts_default(&pk);
    pk.scale = 18;
    pk.progress = (sgae_progress_sink){record, &rk};
    g = NULL;
    CHECK_OK(sgae_gen_kron(&pk, &g));
    check_progress(&rk);
    sgae_graph_free(g);
    /* a failing call that reported ends its reports too: a bad option
     * fails before any report (nothing at all) */
    progress_rec rb = {"kron", 3, 0, 0, 0, -1};
    pk.scale = 0;
    pk.progress.ctx = &rb;
    CHECK_INT(sgae_gen_kron(&pk, &g), SGAE_E_ARG);
    CHECK_INT(rb.calls, 0);

    sgae_graph_free(l.ref);
    free(l.ref_comm);
    sgae_graph_free(k.out.ref);
    return t_done("gen_alloc");
}

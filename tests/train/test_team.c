/* Threads for small graphs (issue 10): the trainer runs the parallel
 * regions of a run whose per-epoch work is small on fewer threads than
 * OpenMP's count (on a busy machine 2 spinning threads took 4x as long as
 * one), restores the caller's setting after every call, uses them all on a
 * big run, and the results stay bit-identical at any thread count. */
#include <omp.h>
#include <stdlib.h>
#include <string.h>

#include "sgae.h"
#include "testutil.h"

/* The thread count regions started inside the step would get. */
static sgae_status seen_hook(void *ctx, int64_t epoch, sgae_grad_buffer *g, int count)
{
    (void)epoch, (void)g, (void)count;
    *(int *)ctx = omp_get_max_threads();
    return SGAE_OK;
}

/* A ring of n nodes with chords i ~ i+7. */
static sgae_graph *ring(int64_t n)
{
    int32_t *u = malloc(2 * (size_t)n * sizeof *u), *v = malloc(2 * (size_t)n * sizeof *v);
    for (int64_t i = 0; i < n; i++) {
        u[2 * i] = (int32_t)i, v[2 * i] = (int32_t)((i + 1) % n);
        u[2 * i + 1] = (int32_t)i, v[2 * i + 1] = (int32_t)((i + 7) % n);
    }
    sgae_graph *g = NULL;
    CHECK_OK(sgae_graph_from_pairs(n, 2 * n, u, v, &g));
    free(u);
    free(v);
    return g;
}

/* Train 3 epochs with neg_ratio negatives per edge at `threads` OpenMP threads; the
 * threads the step's regions got (*inside), the result's embeddings. */
static float *run(sgae_graph *g, double neg_ratio, int threads, int *inside, int64_t *cnt)
{
    sgae_split s = {0};
    sgae_graph *tg = NULL;
    sgae_trainer *t = NULL;
    sgae_train_result res = {0};
    omp_set_num_threads(threads);
    CHECK_OK(sgae_split_edges(g, 0.1, 0.1, 3, &s));
    CHECK_OK(sgae_split_train_graph(&s, g, &tg));
    sgae_train_opts o;
    sgae_train_opts_default(&o);
    o.epochs = 3;
    o.model.neg_ratio = neg_ratio;
    o.grad_hook = seen_hook;
    o.grad_hook_ctx = inside;
    CHECK_OK(sgae_trainer_create(tg, NULL, &s, &o, &t));
    while (t && !sgae_trainer_done(t)) {
        CHECK_OK(sgae_trainer_step(t, NULL));
        CHECK_INT(omp_get_max_threads(), threads); /* restored */
    }
    if (t)
        CHECK_OK(sgae_trainer_result(t, &res));
    CHECK_INT(omp_get_max_threads(), threads);
    *cnt = res.n * res.latent;
    sgae_trainer_free(t);
    sgae_graph_free(tg);
    sgae_split_clear(&s);
    return res.embeddings;
}

int main(void)
{
    sgae_graph *g = ring(300);
    int in1 = 0, in4 = 0;
    int64_t c1 = 0, c4 = 0;
    /* small: one thread inside the step whatever the caller's count */
    float *e1 = run(g, 10, 1, &in1, &c1);
    float *e4 = run(g, 10, 4, &in4, &c4);
    CHECK_INT(in1, 1);
    CHECK_INT(in4, 1);
    CHECK(e1 && e4 && c1 == c4 && memcmp(e1, e4, (size_t)c1 * sizeof *e1) == 0);
    free(e1);
    free(e4);
    /* big work per epoch (480 training edges x 8000 negatives x 16: > 4 x 2^23): every thread */
    e1 = run(g, 8000, 1, &in1, &c1);
    e4 = run(g, 8000, 4, &in4, &c4);
    CHECK_INT(in1, 1);
    CHECK_INT(in4, 4);
    CHECK(e1 && e4 && c1 == c4 && memcmp(e1, e4, (size_t)c1 * sizeof *e1) == 0);
    free(e1);
    free(e4);
    sgae_graph_free(g);
    return t_done("train_team");
}

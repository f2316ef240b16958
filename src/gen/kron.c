/* Graph500 Kronecker (R-MAT) generator (see sgae/gen.h).
 *
 * Stages: (0) edge k picks, at each of `scale` levels, one quadrant of the
 * adjacency matrix with probabilities A, B, C, D from 16-bit slices of
 * sgae_rng_u64(seed, purpose, k * words + w), so every edge is a pure
 * function of (seed, k), as in the GAP benchmark suite's per-block seeding;
 * (1) vertex ids are permuted by a random permutation; (2) the CSR is built
 * by sgae_graph_from_pairs, which drops self-loops and duplicates. */
#include <string.h>

#include "gen_internal.h"
#include "internal.h"
#include "sgae/gen.h"
#include "sgae/rng.h"

void sgae_kron_opts_default(sgae_kron_opts *o)
{
    memset(o, 0, sizeof *o);
    o->scale = 16;
    o->edge_factor = 16;
    o->seed = 1;
}

/* Stage 0: the m = edge_factor * 2^scale R-MAT pairs (u[k], v[k]). */
static void kron_draw_pairs(int scale, int64_t m, uint64_t seed, int32_t *u, int32_t *v)
{
    /* quadrant thresholds out of 65536: A = 0.57, A+B = 0.76, A+B+C = 0.95 */
    const uint32_t tA = 37355, tAB = 49807, tABC = 62259;
    const int words = (scale + 3) / 4;
    const uint64_t pe = sgae_rng_purpose(SGAE_RNG_GEN, GEN_KRON_EDGE);
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        uint32_t a = 0, b = 0;
        uint64_t r = 0;
        for (int lvl = 0; lvl < scale; lvl++) {
            if ((lvl & 3) == 0)
                r = sgae_rng_u64(seed, pe, (uint64_t)k * (uint64_t)words + (uint64_t)(lvl >> 2));
            uint32_t x = (uint32_t)(r & 0xffff);
            r >>= 16;
            uint32_t bu = x >= tAB, bv = (x >= tA && x < tAB) || x >= tABC;
            a = (a << 1) | bu;
            b = (b << 1) | bv;
        }
        u[k] = (int32_t)a;
        v[k] = (int32_t)b;
    }
}

/* Stage 1: rename the n node ids of the m pairs by a random permutation. */
static sgae_status kron_permute_ids(int64_t n, int64_t m, uint64_t seed, int32_t *u, int32_t *v)
{
    sgae_status st = SGAE_OK;
    int32_t *perm = sgae_alloc((size_t)n, sizeof *perm, "kron permutation");
    if (!perm)
        SGAE_CHECK(SGAE_E_NOMEM); /* the allocator recorded the message */
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        perm[i] = (int32_t)i;
    SGAE_CHECK(sgae_gen_shuffle(perm, n, seed, sgae_rng_purpose(SGAE_RNG_GEN, GEN_KRON_PERM)));
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        u[k] = perm[u[k]];
        v[k] = perm[v[k]];
    }
done:
    free(perm);
    return st;
}

sgae_status sgae_gen_kron(const sgae_kron_opts *o, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    int32_t *u = NULL, *v = NULL;
    gen_progress gp;
    gen_progress_begin(&gp, &o->progress, "kron", 3);
    *out = NULL;
    if (o->scale < 1 || o->scale > 30)
        SGAE_FAIL(SGAE_E_ARG, "kron: scale %d is out of range 1..30", o->scale);
    if (o->edge_factor < 1 || o->edge_factor > 1024)
        SGAE_FAIL(SGAE_E_ARG, "kron: edge factor %d is out of range 1..1024", o->edge_factor);
    const int64_t n = (int64_t)1 << o->scale, m = n * o->edge_factor;
    u = sgae_alloc((size_t)m, sizeof *u, "kron edge sources");
    v = u ? sgae_alloc((size_t)m, sizeof *v, "kron edge targets") : NULL;
    if (!v)
        SGAE_CHECK(SGAE_E_NOMEM);
    kron_draw_pairs(o->scale, m, o->seed, u, v);
    gen_progress_stage(&gp, "kron: permuting ids", 1);
    SGAE_CHECK(kron_permute_ids(n, m, o->seed, u, v));
    gen_progress_stage(&gp, "kron: building CSR", 2);
    SGAE_CHECK(sgae_graph_from_pairs(n, m, u, v, out));
done:
    gen_progress_end(&gp);
    free(u);
    free(v);
    return st;
}

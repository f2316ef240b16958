/* Graph500 Kronecker (R-MAT) generator (see sgae/gen.h).
 *
 * Edge k picks, at each of `scale` levels, one quadrant of the adjacency
 * matrix with probabilities A, B, C, D from 16-bit slices of
 * sgae_rng_u64(seed, purpose, k * words + w), so every edge is a pure
 * function of (seed, k), as in the GAP benchmark suite's per-block seeding.
 * Vertex ids are then permuted by a random permutation. */
#include <string.h>

#include "gen_internal.h"
#include "internal.h"
#include "sgae/gen.h"
#include "sgae/rng.h"

sgae_status sgae_gen_kron(int scale, int edge_factor, uint64_t seed, sgae_graph **out)
{
    sgae_status st = SGAE_OK;
    int32_t *u = NULL, *v = NULL, *perm = NULL;
    double t0 = sgae_now();
    *out = NULL;
    if (scale < 1 || scale > 30)
        return sgae_error_set(SGAE_E_ARG, "kron: scale %d is out of range 1..30", scale);
    if (edge_factor < 1 || edge_factor > 1024)
        return sgae_error_set(SGAE_E_ARG, "kron: edge factor %d is out of range 1..1024",
                              edge_factor);
    const int64_t n = (int64_t)1 << scale, m = n * edge_factor;
    /* quadrant thresholds out of 65536: A = 0.57, A+B = 0.76, A+B+C = 0.95 */
    const uint32_t tA = 37355, tAB = 49807, tABC = 62259;
    const int words = (scale + 3) / 4;
    const uint64_t pe = sgae_rng_purpose(SGAE_RNG_GEN, GEN_KRON_EDGE);
    u = sgae_alloc((size_t)m, sizeof *u, "kron edge sources");
    v = sgae_alloc((size_t)m, sizeof *v, "kron edge targets");
    perm = sgae_alloc((size_t)n, sizeof *perm, "kron permutation");
    if (!u || !v || !perm) {
        st = SGAE_E_NOMEM;
        goto done;
    }
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
    if (sgae_now() - t0 > 0.5)
        sgae_progress("kron: permuting ids", 1, 3);
#pragma omp parallel for schedule(static)
    for (int64_t i = 0; i < n; i++)
        perm[i] = (int32_t)i;
    SGAE_CHECK(sgae_gen_shuffle(perm, n, seed, sgae_rng_purpose(SGAE_RNG_GEN, GEN_KRON_PERM)));
#pragma omp parallel for schedule(static)
    for (int64_t k = 0; k < m; k++) {
        u[k] = perm[u[k]];
        v[k] = perm[v[k]];
    }
    free(perm);
    perm = NULL;
    if (sgae_now() - t0 > 0.5)
        sgae_progress("kron: building CSR", 2, 3);
    st = sgae_graph_from_pairs(n, m, u, v, out);
    sgae_progress_done("kron");
done:
    free(u);
    free(v);
    free(perm);
    return st;
}

/* Internal: the library's one float dot product, shared by the pair scores
 * (src/kernels/pairs.c) and the decoder (src/model/decoder.c).
 *
 * Its summation order is written out here instead of being left to the
 * vectoriser, so that every instruction set gives the same bits: 16 lane
 * sums, lane c taking the products q = c (mod 16) of the whole blocks of 16
 * in order; the d % 16 products left over added to lane 0 in order; then
 * 0 + lane 0 + lane 1 + ... + lane 15, in that order.  The lane loop has no
 * dependence between lanes, so it vectorises on any x86-64 (four SSE
 * registers, two AVX ones or one AVX-512 one) without changing a bit.
 *
 * This is exactly the order GCC 12 gave `#pragma omp simd reduction(+ : s)`
 * with 512-bit vectors (the -march=native builds on AVX-512 machines, which
 * made the reference results): the portable default build and a native build
 * give those same bits.  The old pragma gave 4 lanes with SSE2 and 8 with
 * AVX2, hence results that depended on the build machine.  Products and sums
 * are never contracted into FMAs (ISO C mode: -ffp-contract=off). */
#ifndef SGAE_KERNELS_DOT_H
#define SGAE_KERNELS_DOT_H

#include <stdint.h>

#define SGAE_DOT_LANES 16

static inline __attribute__((always_inline)) float sgae_dot_f32(const float *a, const float *b,
                                                                int64_t d)
{
    float lane[SGAE_DOT_LANES];
    for (int c = 0; c < SGAE_DOT_LANES; c++)
        lane[c] = 0.0f;
    int64_t q = 0;
    for (; q + SGAE_DOT_LANES <= d; q += SGAE_DOT_LANES)
        for (int c = 0; c < SGAE_DOT_LANES; c++)
            lane[c] += a[q + c] * b[q + c];
    for (; q < d; q++)
        lane[0] += a[q] * b[q];
    float s = 0.0f;
    for (int c = 0; c < SGAE_DOT_LANES; c++)
        s += lane[c];
    return s;
}

#endif

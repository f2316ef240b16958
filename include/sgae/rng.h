/*
 * sgae/rng.h - counter-based random numbers.
 *
 * Every random draw in sgae is a pure function of (seed, purpose, index):
 * no generator state is shared between threads, so results are bit-identical
 * at any thread count.  `purpose` separates independent streams (one per use:
 * weight init, negative sampling of epoch e, ...); `index` is the position of
 * the draw inside that stream.
 */
#ifndef SGAE_RNG_H
#define SGAE_RNG_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Purposes used by the library; callers may use any other 64-bit value.
 * A use with several streams keys them by sgae_rng_purpose(purpose, sub). */
enum {
    SGAE_RNG_INIT = 1,    /* weight initialisation (sub: the weight matrix) */
    SGAE_RNG_SPLIT = 2,   /* edge split */
    SGAE_RNG_NEG = 3,     /* negative sampling (sub: the epoch) */
    SGAE_RNG_NOISE = 4,   /* reparameterisation noise (sub: the epoch) */
    SGAE_RNG_GEN = 5,     /* graph generators (sub: the generator's stage) */
    SGAE_RNG_DROPOUT = 6, /* dropout masks (sub: the epoch) */
    SGAE_RNG_KMEANS = 7   /* k-means seeding and the automatic k (sub: the restart) */
};

/* The splitmix64 finaliser: a bijective 64-bit mixer. */
static inline uint64_t sgae_rng_mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* 64 random bits for (seed, purpose, index): the mixed index xor-ed with a
 * key mixed from seed and purpose, mixed once more. */
static inline uint64_t sgae_rng_u64(uint64_t seed, uint64_t purpose, uint64_t index)
{
    uint64_t k = sgae_rng_mix64(seed + 0x9e3779b97f4a7c15ULL * (purpose + 1));
    return sgae_rng_mix64(k ^ sgae_rng_mix64(index + 0x632be59bd9b4e019ULL));
}

/* Key for a purpose that depends on a second counter (e.g. the epoch). */
static inline uint64_t sgae_rng_purpose(uint64_t purpose, uint64_t sub)
{
    return sgae_rng_mix64(purpose * 0xd1342543de82ef95ULL + sub + 1);
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double sgae_rng_uniform(uint64_t seed, uint64_t purpose, uint64_t index)
{
    return (double)(sgae_rng_u64(seed, purpose, index) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform integer in [0, bound), bound > 0 (Lemire's multiply-shift; bias < 2^-32
 * for bounds below 2^32). */
static inline uint64_t sgae_rng_below(uint64_t seed, uint64_t purpose, uint64_t index,
                                      uint64_t bound)
{
    uint64_t r = sgae_rng_u64(seed, purpose, index);
    return (uint64_t)(((__uint128_t)r * bound) >> 64);
}

#ifdef __cplusplus
}
#endif
#endif

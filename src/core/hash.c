/* XXH64, the 64-bit hash of the sectioned container (and of zstd's frame
 * checksums), written from its published specification so that other tools
 * (xxhsum, Python's xxhash) can verify our files.  One-shot and in steps. */
#include <string.h>

#include "internal.h"
#include "sgae/container.h"

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static inline uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static inline uint64_t rd64(const unsigned char *p)
{
    uint64_t x;
    memcpy(&x, p, 8); /* little-endian machines only (see internal.h) */
    return x;
}

static inline uint32_t rd32(const unsigned char *p)
{
    uint32_t x;
    memcpy(&x, p, 4);
    return x;
}

static inline uint64_t round64(uint64_t acc, uint64_t lane)
{
    acc += lane * P2;
    acc = rotl(acc, 31);
    return acc * P1;
}

static inline uint64_t merge64(uint64_t h, uint64_t v)
{
    h ^= round64(0, v);
    return h * P1 + P4;
}

/* 32-byte stripes of p[0..len) into v; returns the bytes consumed. */
static size_t stripes(uint64_t v[4], const unsigned char *p, size_t len)
{
    size_t i = 0;
    for (; i + 32 <= len; i += 32) {
        v[0] = round64(v[0], rd64(p + i));
        v[1] = round64(v[1], rd64(p + i + 8));
        v[2] = round64(v[2], rd64(p + i + 16));
        v[3] = round64(v[3], rd64(p + i + 24));
    }
    return i;
}

/* The last step: h from the lanes (or the seed), the length, the tail. */
static uint64_t finish(const uint64_t v[4], uint64_t seed, uint64_t total,
                       const unsigned char *tail, size_t len)
{
    uint64_t h;
    if (total >= 32) {
        h = rotl(v[0], 1) + rotl(v[1], 7) + rotl(v[2], 12) + rotl(v[3], 18);
        for (int k = 0; k < 4; k++)
            h = merge64(h, v[k]);
    } else {
        h = seed + P5;
    }
    h += total;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        h ^= round64(0, rd64(tail + i));
        h = rotl(h, 27) * P1 + P4;
    }
    if (i + 4 <= len) {
        h ^= (uint64_t)rd32(tail + i) * P1;
        h = rotl(h, 23) * P2 + P3;
        i += 4;
    }
    for (; i < len; i++) {
        h ^= tail[i] * P5;
        h = rotl(h, 11) * P1;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

void sgae_hash64_init(sgae_hash64_state *s, uint64_t seed)
{
    memset(s, 0, sizeof *s);
    s->seed = seed;
    s->v[0] = seed + P1 + P2;
    s->v[1] = seed + P2;
    s->v[2] = seed;
    s->v[3] = seed - P1;
}

void sgae_hash64_update(sgae_hash64_state *s, const void *data, size_t len)
{
    const unsigned char *p = data;
    s->total += len;
    if (s->memsize + len < 32) {
        if (len)
            memcpy(s->mem + s->memsize, p, len);
        s->memsize += (unsigned)len;
        return;
    }
    if (s->memsize) {
        size_t fill = 32 - s->memsize;
        memcpy(s->mem + s->memsize, p, fill);
        stripes(s->v, s->mem, 32);
        p += fill;
        len -= fill;
        s->memsize = 0;
    }
    size_t used = stripes(s->v, p, len);
    s->memsize = (unsigned)(len - used);
    if (s->memsize)
        memcpy(s->mem, p + used, s->memsize);
}

uint64_t sgae_hash64_final(const sgae_hash64_state *s)
{
    return finish(s->v, s->seed, s->total, s->mem, s->memsize);
}

uint64_t sgae_hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    uint64_t v[4] = {seed + P1 + P2, seed + P2, seed, seed - P1};
    size_t used = len >= 32 ? stripes(v, p, len) : 0;
    return finish(v, seed, len, p + used, len - used);
}

/* Deterministic synthetic edge list for bench/load.sh: M lines "u v" with
 * ids in 0..N-1; u uniform, v skewed towards small ids (power-law-ish
 * degrees).  Usage: gen_edges M N > file */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t mix(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: gen_edges M N\n");
        return 2;
    }
    long long m = atoll(argv[1]), n = atoll(argv[2]);
    static char buf[1 << 16];
    setvbuf(stdout, buf, _IOFBF, sizeof buf);
    for (long long k = 0; k < m; k++) {
        uint64_t a = mix(2 * (uint64_t)k), b = mix(2 * (uint64_t)k + 1);
        uint64_t u = a % (uint64_t)n;
        double r = (double)(b >> 11) * (1.0 / 9007199254740992.0);
        uint64_t v = (uint64_t)((double)n * r * r * r);
        if (v >= (uint64_t)n)
            v = (uint64_t)n - 1;
        printf("%llu %llu\n", (unsigned long long)u, (unsigned long long)v);
    }
    return 0;
}

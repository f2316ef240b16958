/* Times one graph load (parse + CSR build, or .sgr reload) and the
 * normalised operator D^-1/2 (A+I) D^-1/2 built from it.  Used by
 * bench/load.sh.  usage: load_norm GRAPH THREADS; prints one JSON line. */
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

#include "sgae.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: load_norm GRAPH THREADS\n");
        return 2;
    }
    omp_set_num_threads(atoi(argv[2]));
    double t0 = sgae_now();
    sgae_graph *g = NULL;
    sgae_status st = sgae_graph_load(argv[1], SGAE_FMT_AUTO, &g);
    double t1 = sgae_now();
    if (!st)
        st = sgae_graph_norm(g);
    double t2 = sgae_now();
    if (st) {
        fprintf(stderr, "load_norm: %s\n", sgae_last_error());
        return 1;
    }
    printf("{\"threads\": %s, \"input_edges\": %lld, \"edges\": %lld, \"load_seconds\": %.4f, "
           "\"norm_seconds\": %.4f, \"seconds\": %.4f, \"edges_per_second\": %.4g}\n",
           argv[2], (long long)g->input_edges, (long long)sgae_graph_edges(g), t1 - t0, t2 - t1,
           t2 - t0, (double)g->input_edges / (t2 - t0));
    sgae_graph_free(g);
    return 0;
}

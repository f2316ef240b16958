#!/bin/sh
# Distributed training (issue 14): per epoch bytes sent per rank, seconds in
# communication vs computation per rank, per-rank peak RSS, at 1, 2 and 4
# ranks, on an LFR graph.  Usage: bench/dist.sh [BUILD [NODES [EPOCHS]]]
# (defaults build, 200000, 3).  On a 2-core machine -np 4 is oversubscribed:
# its times measure contention, its bytes and memory are what they are.
set -eu
build=${1:-build} nodes=${2:-200000} epochs=${3:-3}
graph=/tmp/sgae-dist-lfr-$nodes.sgr
[ -f "$graph" ] || "$build/src/cli/sgae" gen lfr --nodes "$nodes" --avg-degree 20 --mu 0.3 \
  --seed 1 -o "$graph" >&2
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=1
printf 'ranks\tepoch_s\trows\tbytes_sent_per_epoch\tcomm_s_per_epoch\tcompute_s_per_epoch\tpeak_rss_MB\tfetched_rows\n'
for np in 1 2 4; do
  out=$(nice mpirun --oversubscribe -np $np "$build/src/cli/sgae-mpi" train "$graph" \
        --epochs "$epochs" --json)
  echo "$out" | python3 -c '
import json, sys
j = json.load(sys.stdin); e = j["epochs"]
for q in range(j["ranks"]):
    print("%d/%d\t%.3f\t%d\t%d\t%.3f\t%.3f\t%.1f\t%d" % (q, j["ranks"], j["epoch_seconds"],
          j["rank_rows"][q], j["rank_bytes_sent"][q] // e, j["rank_comm_seconds_per_epoch"][q],
          j["rank_compute_seconds_per_epoch"][q], j["rank_peak_rss_bytes"][q] / 2**20,
          j["rank_fetched_rows"][q]))'
done

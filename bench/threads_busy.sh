#!/bin/sh
# Training time at 1 and 2 threads on small graphs while the machine is
# busy, for two builds of sgae (before / after a change), run ABAB: each
# round runs every (build, threads) pair once per data set, alternating the
# builds, and the medians over the rounds are printed.
#
#   bench/threads_busy.sh SGAE_BEFORE SGAE_AFTER [ROUNDS] [EPOCHS]
#
# The load is whatever else runs on the machine (the figures in
# bench/README.md were taken on a shared 2-core machine, load average
# printed).  Output: one line per (data set, build, threads) with the median
# train_seconds of `sgae train --json` over ROUNDS runs (default 5) of
# EPOCHS epochs (default 100).
set -eu
A=${1:?usage: threads_busy.sh SGAE_BEFORE SGAE_AFTER [ROUNDS] [EPOCHS]}
B=${2:?usage: threads_busy.sh SGAE_BEFORE SGAE_AFTER [ROUNDS] [EPOCHS]}
R=${3:-5}
EP=${4:-100}
D=$(cd "$(dirname "$0")/.." && pwd)/datasets
tmp=$(mktemp -d /tmp/sgae-busy-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
secs() { "$1" train -q --json --epochs "$EP" --threads "$2" "$3" |
         sed -n 's/.*"train_seconds": \([0-9.eE+-]*\).*/\1/p'; }
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for ds in planetoid/cora.edges.zst email-eu-core/email-Eu-core.txt.zst; do
    name=$(basename "$ds" | cut -d. -f1)
    r=1
    while [ "$r" -le "$R" ]; do
        for t in 1 2; do
            secs "$A" "$t" "$D/$ds" >> "$tmp/$name.before.$t"
            secs "$B" "$t" "$D/$ds" >> "$tmp/$name.after.$t"
        done
        r=$((r + 1))
    done
    for w in before after; do
        for t in 1 2; do
            printf '%-14s %-6s %d thread(s): median %.3f s (%s runs of %s epochs)\n' "$name" "$w" \
                "$t" "$(median < "$tmp/$name.$w.$t")" "$R" "$EP"
        done
    done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

#!/bin/sh
# Snapshot speed on the 1M-node LFR VGAE run, one run (bench/SNAPSHOT.md):
# bench/snapshot (epoch time; the periodic checkpoint's write with fsync and
# its read back as --resume does, as ratios of the epoch; the byte shuffle
# off; the final snapshot with mu and logstd; the raw write + fsync floor;
# the --checkpoint-every 10 overhead as ABAB 10-epoch blocks), then on the
# same raw float bytes: the disk's sequential write bandwidth (dd
# conv=fsync) and the zstd command line at the same level, -T1 and -T2.
#
# usage: bench/snapshot.sh [BUILD]   (default: build)
# environment: GRAPH (default /tmp/lfr1m.sgr, generated when missing),
#   EPOCHS (default 3), BLOCKS (ABAB pairs, default 2), DIR (default /tmp)
set -eu
build=${1:-build}
GRAPH=${GRAPH:-/tmp/lfr1m.sgr}
EPOCHS=${EPOCHS:-3}
BLOCKS=${BLOCKS:-2}
DIR=${DIR:-/tmp}
LEVEL=1
if [ ! -s "$GRAPH" ]; then
    "$build/src/cli/sgae" gen lfr --nodes 1000000 --avg-degree 20 --mu 0.3 --seed 1 \
        -o "$GRAPH" >&2
fi
date -u
uptime
raw=$DIR/sgae-bench-snapshot.f32
"$build/bench/snapshot" --epochs "$EPOCHS" --blocks "$BLOCKS" --dir "$DIR" --dump "$raw" "$GRAPH"
bytes=$(stat -c %s "$raw")
# the disk: the same bytes (from the page cache) written with fsync
for k in 1 2; do
    dd if="$raw" of="$raw.dd" bs=1M conv=fsync 2>&1 | tail -1 | sed 's/^/dd conv=fsync: /'
    rm -f "$raw.dd"
done
for t in 1 2; do
    s0=$(date +%s.%N)
    zstd -q -f -$LEVEL -T$t "$raw" -o "$raw.zst"
    s1=$(date +%s.%N)
    out=$(stat -c %s "$raw.zst")
    python3 -c "import sys; b,o,a,z=map(float,sys.argv[1:]); print('zstd -%d -T%d (no shuffle, no fsync) %.3f s  %.0f MB/s  ratio %.3f' % ($LEVEL, $t, z-a, b/1e6/(z-a), b/o))" \
        "$bytes" "$out" "$s0" "$s1"
    s0=$(date +%s.%N)
    zstd -q -d -f "$raw.zst" -o /dev/null
    s1=$(date +%s.%N)
    python3 -c "import sys; b,a,z=map(float,sys.argv[1:]); print('zstd -d -T1                         %.3f s  %.0f MB/s' % (z-a, b/1e6/(z-a)))" \
        "$bytes" "$s0" "$s1"
done
rm -f "$raw" "$raw.zst"
uptime

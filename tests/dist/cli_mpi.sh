#!/bin/sh
# sgae-mpi on PubMed at 1 and 2 ranks: the same embeddings file byte for
# byte, the JSON object carries the per-rank stats, bad option values exit 2.
set -eu
mpirun=$1 exe=$2 data=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for np in 1 2; do
  "$mpirun" --oversubscribe -x ASAN_OPTIONS=detect_leaks=0 -np $np "$exe" train "$data" \
    --epochs 3 --json --embeddings "$tmp/e$np.npy" > "$tmp/j$np.json"
done
cmp "$tmp/e1.npy" "$tmp/e2.npy"
grep -q '"ranks": 2' "$tmp/j2.json"
grep -q '"rank_bytes_sent": \[[0-9]*,[0-9]*\]' "$tmp/j2.json"
grep -q '"test_auc": 0\.' "$tmp/j2.json"
rc=0
"$mpirun" --oversubscribe -x ASAN_OPTIONS=detect_leaks=0 -np 1 "$exe" train "$data" --epochs x \
  2> /dev/null || rc=$?
[ "$rc" = 2 ]
echo ok

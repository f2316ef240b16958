#!/usr/bin/env bash
# Bit-identity with the recorded reference results (suite 'slow'): the
# trainer/module redesign (issue 7) and later work must not change them.
#  1. Cora with features, seed 1, default options: the embeddings written by
#     `sgae train --embeddings` have the recorded sha256, at 1 and 2 threads;
#  2. the 1M-node LFR graph (gen lfr --nodes 1000000 --avg-degree 20 --mu 0.3
#     --seed 1), featureless VGAE, 1 negative per edge: the loss after 3
#     epochs is the recorded value, at 1 and 2 threads.
# The references were recorded with the release before the redesign on this
# project's machine (AMD EPYC, AVX-512; OpenBLAS 0.3.21's sgemm kernels for
# that CPU).  A change of them is a change of results and must be explained
# in the commit that updates them.
set -euo pipefail
: "${SGAE:?}" "${SGAE_SOURCE_DIR:?}"
data="$SGAE_SOURCE_DIR/datasets/planetoid"
CORA_SHA=5a73f047f9e717b85e7b8cedbce442639518b98c2ad7bbf5e26612456372735c
LFR_LOSS=3.3653972812146229
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $1" >&2; fi; }
key() { sed -n "s/.*\"$1\": \\([-0-9.eE+]*\\).*/\\1/p" "$2"; }

for t in 1 2; do
  "$SGAE" train "$data/cora.edges.zst" --features "$data/cora.features.mtx.zst" \
    --threads $t -q --embeddings "$tmp/cora$t.npy" >/dev/null
  sha=$(sha256sum "$tmp/cora$t.npy" | cut -d' ' -f1)
  check "Cora embeddings at $t thread(s): sha256 $sha, reference $CORA_SHA" "[ $sha = $CORA_SHA ]"
done
"$SGAE" gen lfr --nodes 1000000 --avg-degree 20 --mu 0.3 --seed 1 -o "$tmp/lfr.sgr" -q >/dev/null
for t in 1 2; do
  "$SGAE" train "$tmp/lfr.sgr" --epochs 3 --neg-ratio 1 --threads $t --json -q >"$tmp/lfr$t.json"
  loss=$(key final_loss "$tmp/lfr$t.json")
  check "LFR 1M loss after 3 epochs at $t thread(s): $loss, reference $LFR_LOSS" \
    "[ '$loss' = $LFR_LOSS ]"
done
echo "reference: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

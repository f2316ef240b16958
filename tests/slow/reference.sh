#!/usr/bin/env bash
# Bit-identity with the recorded reference results (suite 'slow'): the
# trainer/module redesign (issue 7) and later work must not change them.
#  1. Cora with features, seed 1, default options: the embeddings written by
#     `sgae train --embeddings` have the recorded sha256, at 1 and 2 threads;
#  2. the 1M-node LFR graph (gen lfr --nodes 1000000 --avg-degree 20 --mu 0.3
#     --seed 1), featureless VGAE, 1 negative per edge: the loss after 3
#     epochs is the recorded value, at 1 and 2 threads.
# The dense products go through OpenBLAS, whose sgemm kernel (chosen per CPU
# at run time) fixes the rounding, so the results are bit-identical for one
# kernel at any thread count, not across kernels.  The test therefore pins
# the kernel (OPENBLAS_CORETYPE) to the best one the CPU can run and compares
# with that kernel's reference:
#  - Cooperlake (AVX-512 BF16): recorded with the release BEFORE the issue-7
#    redesign (an AMD EPYC whose OpenBLAS 0.3.21 chose this kernel), so this
#    is the before/after check;
#  - SkylakeX (AVX-512) and Haswell (AVX2): recorded later with the
#    redesigned code (2026-12-02, on a Xeon where OpenBLAS picks SkylakeX),
#    as regression references for machines without BF16.
# A change of them is a change of results and must be explained in the
# commit that updates them.
set -euo pipefail
: "${SGAE:?}" "${SGAE_SOURCE_DIR:?}"
data="$SGAE_SOURCE_DIR/datasets/planetoid"
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
if [[ " $flags " == *" avx512_bf16 "* ]]; then
  core=Cooperlake
  CORA_SHA=5a73f047f9e717b85e7b8cedbce442639518b98c2ad7bbf5e26612456372735c
  LFR_LOSS=3.3653972812146229
elif [[ " $flags " == *" avx512f "* ]]; then
  core=SkylakeX
  CORA_SHA=2f54e0feb45265703a07e99c9b44ad3e40e53f54a23686ef84bb676b40d1806e
  LFR_LOSS=3.3653972808480632
elif [[ " $flags " == *" avx2 "* ]]; then
  core=Haswell
  CORA_SHA=17017399aa313923d862afe1209cdfb8afdd84f03d624be519c8bb156004d9e6
  LFR_LOSS=3.3653972811753698
else
  echo "reference: SKIP: no recorded reference for this CPU (needs AVX2)"
  exit 77
fi
export OPENBLAS_CORETYPE=$core
echo "reference: OpenBLAS kernel pinned to $core"
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

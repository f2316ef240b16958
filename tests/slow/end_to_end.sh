#!/usr/bin/env bash
# End-to-end through the CLI, on real and generated data (suite 'slow'):
#  1. the main job (Cora with features, defaults) reaches the paper's VGAE AUC;
#  2. featureless Pubmed (19717 nodes) reaches the paper's featureless AUC;
#  3. an LFR graph of 200k nodes: gen -> .sgr -> info -> train at 1 and 2
#     threads gives bit-identical embeddings and learns the planted structure.
# Needs $SGAE (the sgae binary) and $SGAE_SOURCE_DIR (set by meson).
set -euo pipefail
: "${SGAE:?}" "${SGAE_SOURCE_DIR:?}"
data="$SGAE_SOURCE_DIR/datasets"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

# key VALUE from the one-line JSON object in file $2
key() { sed -n "s/.*\"$1\": \\([-0-9.eE+]*\\).*/\\1/p" "$2"; }
check() { # description, shell condition
  if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $1" >&2; fi
}
atleast() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a != "" && a + 0 >= b + 0) }'; }

"$SGAE" train "$data/planetoid/cora.edges.zst" \
  --features "$data/planetoid/cora.features.mtx.zst" --json -q >"$tmp/cora.json"
check "cora VGAE test_auc >= 0.914 (paper)" "atleast '$(key test_auc "$tmp/cora.json")' 0.914"
check "cora VGAE test_ap >= 0.90" "atleast '$(key test_ap "$tmp/cora.json")' 0.90"

"$SGAE" train "$data/planetoid/pubmed.edges.zst" --json -q >"$tmp/pubmed.json"
check "pubmed featureless test_auc >= 0.827 (paper)" \
  "atleast '$(key test_auc "$tmp/pubmed.json")' 0.827"
check "pubmed nodes = 19717" "[ '$(key nodes "$tmp/pubmed.json")' = 19717 ]"

"$SGAE" gen lfr --nodes 200000 --avg-degree 10 --max-degree 200 --mu 0.3 --seed 7 \
  -o "$tmp/lfr.sgr" --truth "$tmp/lfr.truth.zst" --json >"$tmp/gen.json" 2>/dev/null
check "gen: 200000 nodes" "[ '$(key nodes "$tmp/gen.json")' = 200000 ]"
"$SGAE" info "$tmp/lfr.sgr" --labels "$tmp/lfr.truth.zst" --json -q >"$tmp/info.json"
check "info: .sgr reloads with the same edge count" \
  "[ '$(key edges "$tmp/info.json")' = '$(key edges "$tmp/gen.json")' ]"
check "info: truth file read as labels" "atleast '$(key classes "$tmp/info.json")' 2"
for t in 1 2; do
  "$SGAE" train "$tmp/lfr.sgr" --epochs 40 --neg-ratio 1 --threads $t --json -q \
    --embeddings "$tmp/emb$t.npy" >"$tmp/train$t.json"
done
check "train on LFR learns (test_auc >= 0.8)" "atleast '$(key test_auc "$tmp/train1.json")' 0.8"
check "embeddings bit-identical at 1 and 2 threads" "cmp -s '$tmp/emb1.npy' '$tmp/emb2.npy'"
check "id maps identical at 1 and 2 threads" "cmp -s '$tmp/emb1.ids.tsv' '$tmp/emb2.ids.tsv'"
check "npy size = header + 200000 x 16 floats" \
  "[ \$(( \$(stat -c %s '$tmp/emb1.npy') - 200000 * 16 * 4 )) -le 256 ]"

echo "end_to_end: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

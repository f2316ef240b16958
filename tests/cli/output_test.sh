#!/bin/sh
# Issue 10, output side: output paths checked before any work, paired
# outputs, `convert`/`gen` formats by extension that read back with the
# same nodes, embeddings by extension, runs without held-out edges, and the
# small things (progress best = summary, --min-epochs, info counts, thread
# grammar, the LFR mu warning, exit 2 for every bad option value).
# Needs SGAE and SGAE_SOURCE_DIR in the environment.
set -u
. "${SGAE_SOURCE_DIR:?SGAE_SOURCE_DIR not set}/tests/testutil.sh"
S=${SGAE:?SGAE not set}
D=$SGAE_SOURCE_DIR/datasets
CORA=$D/planetoid/cora.edges.zst
T=$(mktemp -d /tmp/sgae-out-XXXXXX)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
# run ARGS...: exit status in $rc, stdout in $T/out, stderr in $T/err
run() { "$S" "$@" >"$T/out" 2>"$T/err"; rc=$?; }
# nodes_of FILE: the node count sgae info reads
nodes_of() { "$S" info -q --json "$1" 2>/dev/null | sed -n 's/.*"nodes": \([0-9]*\).*/\1/p'; }

printf '0 1\n1 2\n2 0\n3 4\n' > "$T/g.txt"

# ---- 1. every output path is checked before any work ----------------------
run convert -q "$CORA" -o "$T/nodir/x.txt"
check "[ $rc -eq 1 ] && grep -qF '$T/nodir/x.txt' '$T/err' && ! grep -q '\.tmp\.' '$T/err'"
run gen kron --scale 6 -o "$T/nodir/k.txt"
check "[ $rc -eq 1 ] && ! grep -q 'generated' '$T/err'"     # failed before generating
run gen lfr --nodes 300 --max-degree 20 --max-community 60 -o "$T/l.txt" --truth "$T/nodir/t.txt"
check "[ $rc -eq 1 ] && [ ! -e '$T/l.txt' ] && grep -qF '$T/nodir/t.txt' '$T/err'"
mkdir "$T/isdir.txt"
run convert -q "$T/g.txt" -o "$T/isdir.txt"
check "[ $rc -eq 1 ] && grep -qF '$T/isdir.txt' '$T/err'"
mkdir "$T/e.npy"
run train --epochs 1 --embeddings "$T/e.npy" "$T/g.txt"
check "[ $rc -eq 1 ] && ! grep -q '^graph:' '$T/err'"            # before loading
run train -q --epochs 1 --checkpoint "$T/nodir/c.snap" "$T/g.txt"
check "[ $rc -eq 1 ] && grep -qF '$T/nodir/c.snap' '$T/err'"

# ---- 2. paired outputs: no x.npy without its x.ids.tsv ----------------------
mkdir "$T/p.ids.tsv"
run train -q --epochs 2 --embeddings "$T/p.npy" "$T/g.txt"
check "[ $rc -eq 1 ] && [ ! -e '$T/p.npy' ] && grep -qF 'p.ids.tsv' '$T/err'"
run train -q --epochs 2 --val 0 --test 0 --embeddings "$T/q.npy" --checkpoint "$T/q.snap" "$T/g.txt"
check "[ $rc -eq 0 ] && [ -s '$T/q.npy' ] && [ -s '$T/q.ids.tsv' ]"
mkdir "$T/r.ids.tsv"
run export "$T/q.snap" -o "$T/r.npy"
check "[ $rc -eq 1 ] && [ ! -e '$T/r.npy' ]"

# ---- 3. convert / gen write the format the name gives, same nodes back ------
"$S" gen kron -q --json --scale 8 --seed 3 -o "$T/k.txt" > "$T/kron.json"
kn=$(sed -n 's/.*"nodes": \([0-9]*\).*/\1/p' "$T/kron.json")
kiso=$(sed -n 's/.*"isolated": \([0-9]*\).*/\1/p' "$T/kron.json")
check "[ '$kiso' -gt 0 ] && [ \"\$(nodes_of '$T/k.txt')\" = '$kn' ]"
check "grep -qx '# nodes $kn' '$T/k.txt'"
for ext in sgr mtx edges csv.gz tsv.zst mtx.zst; do
    run convert -q "$T/k.txt" -o "$T/k2.$ext" --json
    check "[ $rc -eq 0 ] && [ \"\$(nodes_of '$T/k2.$ext')\" = '$kn' ]"
done
check "grep -q '\"format\": \"mtx\"' '$T/out'"
check "zstd -dc '$T/k2.tsv.zst' | grep -q '^[0-9]*	[0-9]*\$'"
check "head -1 '$T/k2.mtx' | grep -q '^%%MatrixMarket matrix coordinate pattern symmetric'"
# GML with user ids and an isolated node: ids and the node kept
printf 'graph [\n node [ id 5 ]\n node [ id 7 ]\n node [ id 9 ]\n node [ id 11 ]\n edge [ source 5 target 11 ]\n edge [ source 7 target 11 ]\n]\n' > "$T/x.gml"
run convert -q --json "$T/x.gml" -o "$T/x.txt"
check "[ $rc -eq 0 ] && grep -q '\"nodes\": 4' '$T/out' && [ \"\$(nodes_of '$T/x.txt')\" = 4 ]"
check "grep -qx '9' '$T/x.txt'"
run convert -q "$T/x.txt" -o "$T/y.txt"
check "[ $rc -eq 0 ] && cmp -s '$T/x.txt' '$T/y.txt'"
# unknown names are refused with the list, before reading
run convert -q "$T/g.txt" -o "$T/g.graph"
check "[ $rc -eq 2 ] && grep -q '.mtx' '$T/err' && grep -q '.csv' '$T/err' && [ ! -e '$T/g.graph' ]"
run gen kron -q --scale 4 -o "$T/k.bin"
check "[ $rc -eq 2 ]"
# the reader: a '# nodes' line that does not fit the ids is an error
printf '# nodes 2\n0 5\n7 9\n' > "$T/h.txt"
run info -q "$T/h.txt"
check "[ $rc -eq 1 ] && grep -qF '$T/h.txt' '$T/err' && grep -q 'nodes 2' '$T/err'"
# without the line, a single id stays an error
printf '0 1\n2\n' > "$T/s.txt"
run info -q "$T/s.txt"
check "[ $rc -eq 1 ] && grep -q 'missing second column' '$T/err'"

# ---- 4. embeddings by extension --------------------------------------------
run train -q --epochs 2 --embeddings "$T/e.tsv" "$T/g.txt"
check "[ $rc -eq 0 ] && [ \$(wc -l < '$T/e.tsv') -eq 5 ] && head -1 '$T/e.tsv' | grep -q '^0	[-0-9.e]*	'"
run train -q --epochs 2 --embeddings "$T/e.csv" "$T/g.txt"
check "[ $rc -eq 2 ] && [ ! -e '$T/e.csv' ]"
run export "$T/q.snap" -o "$T/q.bin"
check "[ $rc -eq 2 ] && [ ! -e '$T/q.bin' ] && [ ! -e '$T/q.bin.ids.tsv' ]"

# ---- 5. --val 0 --test 0: no metrics, said so --------------------------------
run train --epochs 3 --val 0 --test 0 "$CORA"
check "[ $rc -eq 0 ] && ! grep -qi 'nan\|inf' '$T/out' '$T/err' && grep -q 'no test metrics' '$T/out'"
run train -q --json --epochs 3 --val 0 --test 0 "$CORA"
check "grep -q '\"test_auc\": null' '$T/out' && grep -q '\"val_auc\": null' '$T/out'"

# ---- 6. small things ----------------------------------------------------------
# the last progress line's best is the summary's validation AUC
run train --epochs 3 --log-every 1 "$CORA"
best=$(tail -1 "$T/err" | sed -n 's/.*(best \([0-9.]*\)).*/\1/p')
check "[ -n '$best' ] && grep -q 'validation AUC $best ' '$T/out'"
# --patience waits for --min-epochs (default 50); --min-epochs 0 is the old rule
run train -q --json --epochs 80 --patience 5 "$CORA"
e1=$(sed -n 's/.*"epochs": \([0-9]*\).*/\1/p' "$T/out")
run train -q --json --epochs 80 --patience 5 --min-epochs 0 "$CORA"
e0=$(sed -n 's/.*"epochs": \([0-9]*\).*/\1/p' "$T/out")
check "[ '$e1' -ge 50 ] && [ '$e0' -lt 50 ]"
run train -q --epochs 2 --min-epochs -1 "$T/g.txt"
check "[ $rc -eq 2 ]"
run train -h
check "grep -q -- '--min-epochs' '$T/out'"
# info: labelled nodes, feature rows that became isolated nodes, "1 thread"
run info --threads 1 --features "$D/planetoid/citeseer.features.mtx.zst" \
    --labels "$D/planetoid/citeseer.labels.zst" "$D/planetoid/citeseer.edges.zst"
check "grep -q '3312 of 3327 nodes labelled' '$T/out' && grep -q '48 feature rows' '$T/out'"
check "grep -q ' 1 thread)' '$T/out'"
run info -q --json --features "$D/planetoid/citeseer.features.mtx.zst" \
    --labels "$D/planetoid/citeseer.labels.zst" "$D/planetoid/citeseer.edges.zst"
check "grep -q '\"labelled\": 3312' '$T/out' && grep -q '\"feature_rows_isolated\": 48' '$T/out'"
# gen lfr: a realised mu far from the request is a warning
run gen lfr --json --seed 2 --nodes 30 --avg-degree 12 --max-degree 15 --min-community 5 \
    --max-community 30 --mu 0.5 -o "$T/lfr.txt"
check "[ $rc -eq 0 ] && grep -q 'warning: realised mu' '$T/err' && grep -q '\"mu_warning\": true' '$T/out'"
run gen lfr --json --nodes 1000 --avg-degree 10 --max-degree 50 --max-community 100 -o "$T/lfr.txt"
check "[ $rc -eq 0 ] && ! grep -q 'warning' '$T/err' && grep -q '\"mu_warning\": false' '$T/out'"
# a bad option value is a usage error (2) whoever checks it
for a in "--nodes 2" "--avg-degree 2" "--max-degree 1" "--min-community 100000"; do
    run gen lfr $a -o "$T/bad.txt"
    check "[ $rc -eq 2 ] && grep -q 'Try' '$T/err' && [ ! -e '$T/bad.txt' ]"
done
# every command takes -q and --quiet (no "unknown option")
"$S" train -q --epochs 2 --embeddings "$T/qe.npy" "$T/g.txt" >/dev/null 2>&1
"$S" cluster -q "$T/qe.npy" --k 2 -o "$T/qc.tsv" >/dev/null 2>&1
for q in -q --quiet; do
    for c in "info $T/g.txt" "convert $T/g.txt -o $T/q.txt" "gen kron --scale 4 -o $T/q.txt" \
        "train --epochs 1 $T/g.txt" "cluster $T/qe.npy --k 2 -o $T/qc.tsv" \
        "score $T/g.txt --communities $T/qc.tsv" \
        "communities --epochs 1 --k 2 --val 0 --test 0 $T/g.txt -o $T/qc2.tsv"; do
        run $c $q
        check "[ $rc -eq 0 ] && ! grep -q 'unknown option' '$T/err'"
    done
done

t_done cli_output

#!/bin/sh
# CLI checks of `sgae cluster`, `sgae score` and `sgae communities`: exit
# codes, messages, the JSON keys of the issue, outputs checked before
# training and never left half-written, determinism across thread counts,
# and stable ids when 1% of the edges change.  Needs SGAE and
# SGAE_SOURCE_DIR in the environment.
set -u
. "${SGAE_SOURCE_DIR:?SGAE_SOURCE_DIR not set}/tests/testutil.sh"
t_setup cluster-cli
EMAIL=$D/email-eu-core/email-Eu-core.txt.zst
DEPTS=$D/email-eu-core/email-Eu-core-department-labels.txt.zst

# expect_fail CODE PATTERN ARGS...: exit status CODE, pattern on stderr, nothing on stdout
expect_fail() {
    code=$1; pat=$2; shift 2
    "$S" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    check "[ $rc -eq $code ]"
    check "grep -qF -- '$pat' '$T/err'"
    check "[ ! -s '$T/out' ]"
}
# json_has FILE KEY...: every key present in the one-line object
json_has() {
    f=$1; shift
    for k in "$@"; do check "grep -q '\"$k\": ' '$f'"; done
}
# json_num FILE KEY: the number (or null) after "KEY":
json_num() { sed -n "s/.*\"$2\": \([-0-9.eE+null]*\).*/\1/p" "$1"; }

# ---- usage errors (2) and bad input (1) ---------------------------------
expect_fail 2 "no embeddings file" cluster -o "$T/c.tsv"
expect_fail 2 "-o OUT" cluster "$T/x.npy"
expect_fail 2 "give --k" cluster "$T/x.npy" -o "$T/c.tsv"
expect_fail 2 "--refine needs --graph" cluster "$T/x.npy" --k 3 --refine -o "$T/c.tsv"
expect_fail 2 "unknown option" cluster --frobnicate
expect_fail 2 "--communities" score "$EMAIL"
expect_fail 2 "-o OUT" communities "$EMAIL"
expect_fail 1 "$T/x.npy: cannot open" cluster "$T/x.npy" --k 3 -o "$T/c.tsv"
check "[ ! -e '$T/c.tsv' ]"
printf 'node community\n0 1\n1 2\n5000 3\n' > "$T/badc.tsv"
expect_fail 1 "$T/badc.tsv:4: unknown node" score "$EMAIL" --communities "$T/badc.tsv"

# ---- every output path is checked before training starts ------------------
"$S" communities "$EMAIL" --epochs 5 -o "$T/no/such/dir/c.tsv" >"$T/out" 2>"$T/err"
check "[ $? -eq 1 ]"
check "grep -qF 'no/such/dir/c.tsv' '$T/err'"
check "! grep -q 'training' '$T/err'"
"$S" communities "$EMAIL" --epochs 5 -o "$T/c.tsv" --report "$T/no/dir/r.json" >"$T/out" 2>"$T/err"
check "[ $? -eq 1 ]"
check "[ ! -e '$T/c.tsv' ]"
# a bad truth file fails before training, and leaves no output
printf 'node label\n0 1\nzzz 2\n' > "$T/badtruth.txt"
"$S" communities "$EMAIL" --epochs 5 --truth "$T/badtruth.txt" --truth-format labels -o "$T/c.tsv" >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]" # unknown truth nodes are skipped and counted, not fatal
printf 'node label\n0 1\n0 2\n' > "$T/badtruth.txt"
rm -f "$T/c.tsv"
"$S" communities "$EMAIL" --epochs 5 --truth "$T/badtruth.txt" -o "$T/c.tsv" >"$T/out" 2>"$T/err"
check "[ $? -eq 1 ]"
check "grep -qF '$T/badtruth.txt:3: second community' '$T/err'"
check "! grep -q 'training' '$T/err'"
check "[ ! -e '$T/c.tsv' ]"

# ---- the pipeline on email-Eu-core against its departments ---------------
"$S" communities "$EMAIL" --truth "$DEPTS" --epochs 100 --k 42 --refine \
    -o "$T/email.tsv" --report "$T/email.json" --embeddings "$T/email.npy" --json -q \
    >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]"
check "[ \$(wc -l < '$T/out') -eq 1 ]"
check "cmp -s '$T/out' '$T/email.json'"
json_has "$T/out" communities k modularity nmi ari ami seconds test_auc train_seconds \
    cluster_seconds changed_nodes nmi_previous
check "[ \"\$(json_num '$T/out' changed_nodes)\" = null ]"
check "[ \"\$(json_num '$T/out' k)\" = 42 ]"
check "[ \$(wc -l < '$T/email.tsv') -eq 1006 ]"
check "head -1 '$T/email.tsv' | grep -q '^node	community\$'"
nmi=$(json_num "$T/out" nmi)
check "awk 'BEGIN { exit !($nmi > 0.4) }'"
check "[ -s '$T/email.npy' ] && [ -s '$T/email.ids.tsv' ]"
check "! ls '$T' | grep -q '\.tmp\.'"
# score agrees with the pipeline's own scores
"$S" score "$EMAIL" --communities "$T/email.tsv" --truth "$DEPTS" --json >"$T/score" 2>"$T/err"
check "[ $? -eq 0 ]"
json_has "$T/score" communities k modularity nmi ari ami seconds
for k in modularity nmi ari ami communities; do
    check "[ \"\$(json_num '$T/score' $k)\" = \"\$(json_num '$T/out' $k)\" ]"
done
"$S" score "$EMAIL" --communities "$T/email.tsv" --json >"$T/score" 2>"$T/err"
check "[ \"\$(json_num '$T/score' nmi)\" = null ]"
# the same departments as a .cmty file (one community per line)
zstd -dc "$DEPTS" | awk 'NR > 1 { m[$2] = m[$2] " " $1 } END { for (c in m) print m[c] }' \
    > "$T/depts.cmty"
"$S" score "$EMAIL" --communities "$T/email.tsv" --truth "$T/depts.cmty" --json >"$T/score2" 2>"$T/err"
check "[ $? -eq 0 ]"
nmi2=$(json_num "$T/score2" nmi)
check "awk 'BEGIN { d = $nmi2 - $nmi; exit !(d < 1e-12 && d > -1e-12) }'"
json_has "$T/score2" f1 f1_truth f1_found

# ---- sgae cluster: JSON keys, determinism at 1 and 2 threads ---------------
"$S" cluster "$T/email.npy" --graph "$EMAIL" --k 42 --threads 1 -o "$T/c1.tsv" --json -q >"$T/cl1" 2>"$T/err"
check "[ $? -eq 0 ]"
json_has "$T/cl1" k inertia iterations seconds distances distances_naive iteration_seconds
"$S" cluster "$T/email.npy" --graph "$EMAIL" --k 42 --threads 2 -o "$T/c2.tsv" --json -q >"$T/cl2" 2>"$T/err"
check "cmp -s '$T/c1.tsv' '$T/c2.tsv'"
check "[ \"\$(json_num '$T/cl1' inertia)\" = \"\$(json_num '$T/cl2' inertia)\" ]"
"$S" cluster "$T/email.npy" --graph "$EMAIL" --refine --threads 1 -o "$T/a1.tsv" -q >/dev/null 2>&1
"$S" cluster "$T/email.npy" --graph "$EMAIL" --refine --threads 2 -o "$T/a2.tsv" --json -q >"$T/cl3" 2>&1
check "cmp -s '$T/a1.tsv' '$T/a2.tsv'"
json_has "$T/cl3" automatic_k refine_moves modularity_kmeans
# without the graph
"$S" cluster "$T/email.npy" --k 5 -o "$T/c5.tsv" --json -q >"$T/cl5" 2>"$T/err"
check "[ $? -eq 0 ] && [ \"\$(json_num '$T/cl5' modularity)\" = null ]"
# --previous with the same partition: nothing changes
"$S" cluster "$T/email.npy" --graph "$EMAIL" --k 42 --previous "$T/c1.tsv" -o "$T/c3.tsv" --json -q >"$T/cl4" 2>"$T/err"
check "[ \"\$(json_num '$T/cl4' changed_nodes)\" = 0 ]"
check "cmp -s '$T/c1.tsv' '$T/c3.tsv'"

# ---- stable ids: 1% of the edges changed keeps >= 90% of the ids ------------
"$S" gen lfr --nodes 3000 --avg-degree 16 --max-degree 80 --mu 0.2 --min-community 40 \
    --max-community 200 --seed 3 -o "$T/g1.txt" >/dev/null 2>&1
check "[ -s '$T/g1.txt' ]"
# every 100th edge replaced by a random pair
awk 'BEGIN { srand(7) } /^#/ { print; next } { if (++e % 100 == 0) print int(rand() * 3000), int(rand() * 3000); else print }' \
    "$T/g1.txt" > "$T/g2.txt"
check "[ \$(diff '$T/g1.txt' '$T/g2.txt' | grep -c '^>') -gt 0 ]"
"$S" communities "$T/g1.txt" --epochs 200 --refine -o "$T/n1.tsv" -q >/dev/null 2>"$T/err"
check "[ $? -eq 0 ]"
"$S" communities "$T/g2.txt" --epochs 200 --refine --previous "$T/n1.tsv" -o "$T/n2.tsv" --json -q >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]"
common=$(json_num "$T/out" common_nodes)
changed=$(json_num "$T/out" changed_nodes)
check "awk 'BEGIN { exit !($common >= 2900 && ($common - $changed) >= 0.9 * $common) }'"
echo "stable ids: $changed of $common nodes changed community with 1% of the edges changed"
# also when k-means is seeded afresh instead of from yesterday's communities
"$S" communities "$T/g2.txt" --epochs 200 --refine --fresh --previous "$T/n1.tsv" -o "$T/n3.tsv" --json -q >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]"
common=$(json_num "$T/out" common_nodes)
changed=$(json_num "$T/out" changed_nodes)
check "awk 'BEGIN { exit !($common >= 2900 && ($common - $changed) >= 0.9 * $common) }'"
echo "stable ids (fresh seeding): $changed of $common nodes changed community"

# issue 10: a --k or --k-min beyond the rows is a bad option value (2), like
# every other, and communities says so before training
expect_fail 2 "--k 99999 exceeds the 1005 rows" cluster "$T/email.npy" --k 99999 -o "$T/k.tsv"
check "[ ! -e '$T/k.tsv' ]"
expect_fail 2 "--k-min 5000 exceeds" cluster "$T/email.npy" --graph "$EMAIL" --k-min 5000 -o "$T/k.tsv"
expect_fail 2 "--k 99999 exceeds" communities "$EMAIL" --epochs 5 --k 99999 -o "$T/k.tsv"
check "! grep -q 'trained' '$T/err' && [ ! -e '$T/k.tsv' ]"
# embeddings of communities: the name's extension as in train --embeddings,
# refused before any work; .tsv is text; .npy comes with its id map
expect_fail 2 "give a name ending in .npy" communities "$EMAIL" --epochs 5 --embeddings "$T/e.bin" -o "$T/k.tsv"
check "! grep -q '^graph:' '$T/err' && [ ! -e '$T/e.bin' ] && [ ! -e '$T/k.tsv' ]"
"$S" communities "$EMAIL" --epochs 3 --k 5 -q --embeddings "$T/e.tsv" -o "$T/k.tsv" >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ] && [ \$(wc -l < '$T/e.tsv') -eq 1005 ] && [ ! -e '$T/e.ids.tsv' ]"
check "head -1 '$T/e.tsv' | awk -F'\t' '{ exit !(NF == 17) }'"
mkdir "$T/p.ids.tsv"
expect_fail 1 "p.ids.tsv" communities "$EMAIL" --epochs 3 --k 5 --embeddings "$T/p.npy" -o "$T/k2.tsv"
check "[ ! -e '$T/p.npy' ] && [ ! -e '$T/k2.tsv' ]"

t_done "cluster cli"

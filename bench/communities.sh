#!/bin/sh
# Community detection: the `sgae communities` pipeline (training included)
# against igraph's Leiden and Louvain (modularity objective) on the same
# graphs, scored by `sgae score` against the ground truth: email-Eu-core
# (42 departments), Cora with features (7 classes) and an LFR graph of 1M
# nodes / 10M edges, mu = 0.3.  Prints a Markdown table (data set, method,
# k, communities, NMI, ARI, modularity, seconds, peak memory) and writes it
# with the k-means costs to bench/COMMUNITIES.md.
#
# usage: bench/communities.sh [path/to/sgae]
# environment: OUT (default bench/COMMUNITIES.md; "-" for none), LFR_NODES
#   (default 1000000; 0 skips the LFR part), LFR_EPOCHS (default 20),
#   PYTHON (default /usr/bin/python3, needs the igraph module: Debian's
#   python3-igraph; without it the igraph rows are left out)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/find_sgae.sh"
find_sgae communities.sh "${1:-}"
OUT=${OUT:-$here/COMMUNITIES.md}
LFR_NODES=${LFR_NODES:-1000000}
LFR_EPOCHS=${LFR_EPOCHS:-10}
PYTHON=${PYTHON:-/usr/bin/python3}
d=$root/datasets
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
have_igraph=0
"$PYTHON" -c 'import igraph' 2>/dev/null && have_igraph=1

# the value of "KEY": in a one-line JSON object
jnum() { sed -n "s/.*\"$2\": \([-0-9.eE+nul]*\).*/\1/p" "$1"; }
fmt3() { awk -v x="$1" 'BEGIN { if (x == "null" || x == "") print "-"; else printf "%.3f", x }'; }
mib() { awk -v x="$1" 'BEGIN { printf "%.0f MB", x / 1048576 }'; }

: > "$tmp/rows"
: > "$tmp/notes"
# row NAME METHOD K SCOREJSON SECONDS PEAKBYTES
row() {
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" \
        "$(jnum "$4" communities)" "$(fmt3 "$(jnum "$4" nmi)")" "$(fmt3 "$(jnum "$4" ari)")" \
        "$(fmt3 "$(jnum "$4" modularity)")" "$(awk -v x="$5" 'BEGIN { printf "%.1f", x }')" \
        "$(mib "$6")" >> "$tmp/rows"
    tail -1 "$tmp/rows" >&2
}

# cost_note NAME LABEL RUNJSON: the k-means and refinement figures of a run
cost_note() {
    j=$3
    printf -- '- %s, %s: k-means %.1f s (seeding %.1f s, %s iterations, %.1f ms each, %s of the n x k distances saved by the bounds)%s\n' \
        "$1" "$2" "$(jnum "$j" kmeans_seconds)" "$(jnum "$j" seed_seconds)" "$(jnum "$j" iterations)" \
        "$(awk -v x="$(jnum "$j" seconds_per_iteration)" 'BEGIN { printf "%.2f", 1000 * x }')" \
        "$(awk -v x="$(jnum "$j" distances_saved)" 'BEGIN { printf "%.1f%%", 100 * x }')" \
        "$(if grep -q '"refine_moves"' "$j"; then awk -v a="$(jnum "$j" modularity_kmeans)" -v b="$(jnum "$j" refine_modularity_gain)" -v m="$(jnum "$j" refine_moves)" -v s="$(jnum "$j" refine_seconds)" 'BEGIN { printf "; refinement: modularity %.3f -> %.3f, %d moves, %.1f s", a, a + b, m, s }'; fi)" \
        >> "$tmp/notes"
}

# sgae_pipeline NAME GRAPH TRUTH LABEL ARGS...: one `sgae communities` run
# (training included), scored; keeps the embeddings for sgae_cluster_row
sgae_pipeline() {
    name=$1; graph=$2; truth=$3; label=$4; shift 4
    "$sgae" communities "$graph" --truth "$truth" -o "$tmp/c.tsv" --embeddings "$tmp/emb.npy" \
        --json -q "$@" > "$tmp/pipe.json"
    "$sgae" score "$graph" --communities "$tmp/c.tsv" --truth "$truth" --json > "$tmp/score.json"
    row "$name" "$label" "$(jnum "$tmp/pipe.json" k)" "$tmp/score.json" \
        "$(jnum "$tmp/pipe.json" seconds)" "$(jnum "$tmp/pipe.json" peak_rss_bytes)"
    printf -- '- %s: training %.1f s (%s epochs, best %s), link prediction test AUC %s, AP %s\n' \
        "$name" "$(jnum "$tmp/pipe.json" train_seconds)" "$(jnum "$tmp/pipe.json" epochs)" \
        "$(jnum "$tmp/pipe.json" best_epoch)" "$(fmt3 "$(jnum "$tmp/pipe.json" test_auc)")" \
        "$(fmt3 "$(jnum "$tmp/pipe.json" test_ap)")" >> "$tmp/notes"
    cost_note "$name" "$label" "$tmp/pipe.json"
}

# sgae_cluster_row NAME GRAPH TRUTH LABEL ARGS...: another clustering of the
# same embeddings; seconds = the pipeline's training + this clustering
sgae_cluster_row() {
    name=$1; graph=$2; truth=$3; label=$4; shift 4
    "$sgae" cluster "$tmp/emb.npy" --graph "$graph" -o "$tmp/c.tsv" --json -q "$@" > "$tmp/run.json"
    "$sgae" score "$graph" --communities "$tmp/c.tsv" --truth "$truth" --json > "$tmp/score.json"
    secs=$(awk -v a="$(jnum "$tmp/pipe.json" train_seconds)" -v b="$(jnum "$tmp/run.json" seconds)" 'BEGIN { print a + b }')
    peak=$(awk -v a="$(jnum "$tmp/pipe.json" peak_rss_bytes)" -v b="$(jnum "$tmp/run.json" peak_rss_bytes)" 'BEGIN { print (a > b ? a : b) }')
    row "$name" "$label" "$(jnum "$tmp/run.json" k)" "$tmp/score.json" "$secs" "$peak"
    cost_note "$name" "$label" "$tmp/run.json"
}

# igraph NAME EDGES(text "u v") TRUTH N: Leiden and Louvain rows
igraph_rows() {
    [ "$have_igraph" = 1 ] || return 0
    for algo in leiden louvain; do
        "$PYTHON" - "$2" "$4" "$algo" "$tmp/ig.tsv" > "$tmp/ig.out" <<'PY'
import resource, sys, time
import numpy as np
import igraph as ig
path, n, algo, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
with open(path) as f:
    text = "".join(l for l in f if l[:1] not in "#%")
import warnings
warnings.simplefilter("ignore")
e = np.fromstring(text, dtype=np.int64, sep=" ").reshape(-1, 2)
del text
g = ig.Graph(n=n, edges=e.tolist(), directed=False)
del e
g.simplify()
t = time.perf_counter()
if algo == "leiden":
    c = g.community_leiden(objective_function="modularity", n_iterations=-1)
else:
    c = g.community_multilevel()
secs = time.perf_counter() - t
with open(out, "w") as f:
    f.write("node\tcommunity\n")
    f.writelines("%d\t%d\n" % (i, m) for i, m in enumerate(c.membership))
print(secs, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024)
PY
        "$sgae" score "$2" --communities "$tmp/ig.tsv" --truth "$3" --json > "$tmp/score.json"
        read -r secs peak < "$tmp/ig.out"
        row "$1" "igraph $algo" "-" "$tmp/score.json" "$secs" "$peak"
    done
}

# ---- email-Eu-core against its 42 departments (featureless) -------------
g=$d/email-eu-core/email-Eu-core.txt.zst
t=$d/email-eu-core/email-Eu-core-department-labels.txt.zst
n="email-Eu-core"
sgae_pipeline "$n" "$g" "$t" "sgae k-means" --k 42
sgae_cluster_row "$n" "$g" "$t" "sgae k-means + refine" --k 42 --refine
sgae_cluster_row "$n" "$g" "$t" "sgae k-means, automatic k"
sgae_cluster_row "$n" "$g" "$t" "sgae k-means + refine, automatic k" --refine
zstd -dc "$g" > "$tmp/email.txt"
igraph_rows "$n" "$tmp/email.txt" "$t" 1005

# ---- Cora with its features against the 7 classes ------------------------
g=$d/planetoid/cora.edges.zst
f=$d/planetoid/cora.features.mtx.zst
t=$d/planetoid/cora.labels.zst
n="Cora, features"
sgae_pipeline "$n" "$g" "$t" "sgae k-means" --features "$f" --k 7
sgae_cluster_row "$n" "$g" "$t" "sgae k-means + refine" --k 7 --refine
sgae_cluster_row "$n" "$g" "$t" "sgae k-means, automatic k"
sgae_cluster_row "$n" "$g" "$t" "sgae k-means + refine, automatic k" --refine
zstd -dc "$g" > "$tmp/cora.txt"
igraph_rows "$n" "$tmp/cora.txt" "$t" 2708

# ---- LFR, 1M nodes / 10M edges, mu = 0.3 -----------------------------------
if [ "$LFR_NODES" -gt 0 ]; then
    n="LFR $LFR_NODES nodes, mu 0.3"
    "$sgae" gen lfr --nodes "$LFR_NODES" --avg-degree 20 --mu 0.3 --seed 1 -o "$tmp/lfr.sgr" \
        --truth "$tmp/lfr.truth.zst" --json > "$tmp/gen.json" 2>/dev/null
    kt=$(jnum "$tmp/gen.json" communities)
    echo "- $n: $(jnum "$tmp/gen.json" edges) edges, $kt planted communities, generated in $(jnum "$tmp/gen.json" seconds) s; sgae runs k-means with k = 2 x $kt (over-clustering: the refinement can merge pieces but never split a cluster), $LFR_EPOCHS epochs of featureless VGAE training with 1 negative per edge" > "$tmp/lfr.note"
    echo "LFR: $(jnum "$tmp/gen.json" edges) edges, $kt planted communities" >&2
    sgae_pipeline "$n" "$tmp/lfr.sgr" "$tmp/lfr.truth.zst" "sgae k-means (k = 2 x planted) + refine, whole pipeline" \
        --epochs "$LFR_EPOCHS" --neg-ratio 1 --k $((2 * kt)) --restarts 1 --max-iter 1 --refine
    "$sgae" convert "$tmp/lfr.sgr" -o "$tmp/lfr.txt" > /dev/null 2>&1
    igraph_rows "$n" "$tmp/lfr.txt" "$tmp/lfr.truth.zst" "$LFR_NODES"
    rm -f "$tmp/lfr.txt"
fi

cpu=$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)
{
    echo "| data set | method | k | communities | NMI | ARI | modularity | seconds | peak memory |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    cat "$tmp/rows"
    echo
    echo "$(date -u +%Y-%m-%d), $(nproc) cores ($cpu), $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?')."
    echo "sgae seconds: the first row of a data set is one whole \`sgae communities\` run (load,"
    echo "training, clustering, scoring); the other sgae rows cluster the same embeddings again"
    echo "(\`sgae cluster\`) and count that run plus the pipeline's training time;"
    echo "igraph seconds: the community detection call alone (loading excluded); peak memory: the"
    echo "process's peak RSS. Scores by \`sgae score\` for every row."
    echo
    cat "$tmp/notes"
    [ -f "$tmp/lfr.note" ] && cat "$tmp/lfr.note"
} > "$tmp/table"
cat "$tmp/table"
# the file keeps its discussion (everything from the line "## Discussion" on)
if [ "$OUT" != "-" ]; then
    {
        echo "# Community detection: sgae vs igraph Leiden/Louvain"
        echo
        echo "Written by \`bench/communities.sh\` (the table and notes below it; the discussion"
        echo "after them is kept when the script runs again)."
        echo
        cat "$tmp/table"
        echo
        [ -f "$OUT" ] && sed -n '/^## Discussion/,$p' "$OUT"
    } > "$OUT.tmp.$$"
    mv "$OUT.tmp.$$" "$OUT"
fi

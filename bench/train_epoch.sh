#!/bin/sh
# Training-epoch speed and memory of `sgae train` on a generated LFR graph:
# featureless VGAE 32 -> 16, one negative per positive.  Prints the median
# epoch time (forward, loss, backward, Adam), the per-phase breakdown per
# epoch, peak resident memory and bytes per edge.
#
# usage: bench/train_epoch.sh [path/to/sgae]
# environment: NODES (default 1000000), DEGREE (mean degree, default 20),
#   EPOCHS (default 5), THREADS (default: all cores), NEG (negatives per
#   edge, default 1), EXTRA (more `sgae train` options), CACHE (directory
#   for the generated graph, default /tmp/sgae-bench)
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
. "$here/find_sgae.sh"
find_sgae train_epoch.sh "${1:-}"
NODES=${NODES:-1000000}
DEGREE=${DEGREE:-20}
EPOCHS=${EPOCHS:-5}
THREADS=${THREADS:-}
NEG=${NEG:-1}
EXTRA=${EXTRA:-}
CACHE=${CACHE:-/tmp/sgae-bench}
mkdir -p "$CACHE"
graph=$CACHE/lfr-$NODES-$DEGREE.sgr
if [ ! -s "$graph" ]; then
    echo "generating $graph ..." >&2
    maxdeg=$((DEGREE * 25))
    "$sgae" gen lfr --nodes "$NODES" --avg-degree "$DEGREE" --max-degree "$maxdeg" -o "$graph" >&2
fi
topt=""
[ -n "$THREADS" ] && topt="--threads $THREADS"
# shellcheck disable=SC2086
"$sgae" train "$graph" --epochs "$EPOCHS" --neg-ratio "$NEG" --eval-every 100000000 \
    --json -q $topt $EXTRA > "$CACHE/train.json"
python3 - "$CACHE/train.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
e = r["epochs"]
print("graph           %s: %d nodes, %d edges (%d training)" % (r["graph"], r["nodes"], r["edges"], r["train_edges"]))
print("model           %s %d -> %d, %g negatives per edge, %d threads" % (r["model"].upper(), r["hidden"], r["latent"], r["neg_ratio"], r["threads"]))
print("epoch           %.3f s (median of %d)" % (r["epoch_seconds"], e))
print("per phase       " + ", ".join("%s %.3f s" % (k, v / e) for k, v in r["phase_seconds"].items()) + " (mean per epoch)")
print("peak memory     %.1f MiB (%.0f bytes per edge); model buffers %.1f MiB" % (
    r["peak_rss_bytes"] / 2**20, r["bytes_per_edge"], r["model_bytes"] / 2**20))
print("load + split    %.2f s + %.2f s; final evaluation %.2f s" % (r["load_seconds"], r["split_seconds"], r["eval_seconds"]))
print("test AUC / AP   %.4f / %.4f after %d epochs" % (r["test_auc"], r["test_ap"], e))
PY

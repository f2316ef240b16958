#!/bin/sh
# Warm start on a changed graph (bench/SNAPSHOT.md): GRAPH is changed by
# bench/mutate_graph.py (1% of edges rewired, 1% new nodes, seed 1); a run
# of EPOCHS epochs on the old graph writes a snapshot; on the new graph a
# cold start runs EPOCHS epochs (its best validation AUC and the epoch it
# reached it), and a warm start from the snapshot runs the same epochs:
# the first epoch where its validation AUC reaches the cold start's best,
# as a fraction of the cold start's epochs to its best (target <= 0.2).
#
# usage: bench/warm_start.sh GRAPH [BUILD]   GRAPH an edge list (.zst ok)
# environment: EPOCHS (default 200), EXTRA (more `sgae train` options),
#   DIR (default /tmp)
set -eu
graph=$1
build=${2:-build}
sgae=$build/src/cli/sgae
EPOCHS=${EPOCHS:-200}
EXTRA=${EXTRA:-}
DIR=${DIR:-/tmp}
here=$(cd "$(dirname "$0")" && pwd)
new=$DIR/sgae-warm-new.edges
snap=$DIR/sgae-warm-old.snap
python3 "$here/mutate_graph.py" "$graph" "$new"
# shellcheck disable=SC2086
"$sgae" train "$graph" --epochs "$EPOCHS" $EXTRA -q --checkpoint "$snap" >/dev/null
log() { # label, options...: the per-epoch validation AUCs, one a line
    label=$1
    shift
    # shellcheck disable=SC2086
    "$sgae" train "$new" --epochs "$EPOCHS" $EXTRA --log-every 1 "$@" 2>&1 >/dev/null |
        sed -n 's/^epoch \([0-9]*\)\/[0-9]* .*val AUC \([0-9.]*\).*/\1 \2/p' >"$DIR/sgae-warm-$label.txt"
}
log cold
log warm --warm-start "$snap"
python3 - "$DIR/sgae-warm-cold.txt" "$DIR/sgae-warm-warm.txt" "$graph" <<'PY'
import sys
def read(p):
    return [(int(a), float(b)) for a, b in (l.split() for l in open(p) if l.strip())]
cold, warm = read(sys.argv[1]), read(sys.argv[2])
best = max(a for _, a in cold)
cold_ep = min(e for e, a in cold if a == best)
hit = [e for e, a in warm if a >= best]
print("graph %s (changed: 1%% edges rewired, 1%% new nodes)" % sys.argv[3])
print("cold start: best val AUC %.4f at epoch %d of %d" % (best, cold_ep, len(cold)))
if hit:
    print("warm start: reaches %.4f at epoch %d = %.3f of the cold start's epochs (target 0.2)"
          % (best, hit[0], hit[0] / cold_ep))
else:
    print("warm start: never reaches %.4f in %d epochs (best %.4f)" % (best, len(warm), max(a for _, a in warm)))
for e in (1, 2, 5, 10, 20):
    if e <= len(warm) and e <= len(cold):
        print("  epoch %3d: cold %.4f  warm %.4f" % (e, cold[e - 1][1], warm[e - 1][1]))
PY
rm -f "$new" "$snap" "$snap".tmp.* "$DIR/sgae-warm-cold.txt" "$DIR/sgae-warm-warm.txt"

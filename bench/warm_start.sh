#!/bin/sh
# Warm start on a changed graph, fairly (bench/SNAPSHOT.md): GRAPH is
# changed by bench/mutate_graph.py (1% of edges rewired, 1% new nodes,
# change seed 1) into NEW.  For each training seed S in SEEDS:
#  - OLD = GRAPH without the validation and test edges that `sgae train NEW
#    --seed S` holds out (mutate_graph.py --old-out, through the library's
#    own sgae_split_edges), so the old run never trained on the edges the
#    new runs are measured with;
#  - a run of EPOCHS epochs on OLD (--seed S) writes a snapshot;
#  - on NEW (--seed S, so the same split) a cold start and a --warm-start
#    from the snapshot run EPOCHS epochs each;
#  - epochs-to-target: the cold start's best validation AUC is the target;
#    cold = the epoch it reached it, warm = the first epoch whose validation
#    AUC reaches it (target ratio warm / cold <= 0.2).
# Then the medians over the seeds.
#
# usage: bench/warm_start.sh GRAPH [BUILD]   GRAPH an edge list (.zst ok) or
#   anything `sgae convert` reads (converted to an edge list first)
# environment: EPOCHS (default 200), SEEDS (default "1 2 3"), EXTRA (more
#   `sgae train` options), DIR (default /tmp), PYTHON (a python3 with NumPy,
#   default /usr/bin/python3)
set -eu
graph=$1
build=${2:-build}
sgae=$build/src/cli/sgae
EPOCHS=${EPOCHS:-200}
SEEDS=${SEEDS:-1 2 3}
EXTRA=${EXTRA:-}
DIR=${DIR:-/tmp}
PYTHON=${PYTHON:-/usr/bin/python3}
here=$(cd "$(dirname "$0")" && pwd)
PYTHONPATH=$here/../python
SGAE_LIBRARY=$(cd "$build" && pwd)/libsgae.so
export PYTHONPATH SGAE_LIBRARY
base=$DIR/sgae-warm
case $graph in
*.edges | *.edges.zst | *.txt | *.txt.zst) src=$graph ;;
*)
    src=$base-src.edges
    "$sgae" convert -q "$graph" -o "$src"
    ;;
esac
log() { # label, graph, options...: per-epoch validation AUCs, "epoch auc" lines
    label=$1
    g=$2
    shift 2
    # shellcheck disable=SC2086
    "$sgae" train "$g" --epochs "$EPOCHS" $EXTRA --log-every 1 "$@" 2>&1 >/dev/null |
        sed -n 's/^epoch \([0-9]*\)\/[0-9]* .*val AUC \([0-9.]*\).*/\1 \2/p' >"$base-$label.txt"
}
date -u
uptime
rm -f "$base-seeds.txt"
for s in $SEEDS; do
    "$PYTHON" "$here/mutate_graph.py" "$src" "$base-new.edges" --old-out "$base-old.edges" \
        --split-seed "$s"
    # shellcheck disable=SC2086
    "$sgae" train "$base-old.edges" --epochs "$EPOCHS" --seed "$s" $EXTRA -q \
        --checkpoint "$base-old.snap" >/dev/null
    log cold "$base-new.edges" --seed "$s"
    log warm "$base-new.edges" --seed "$s" --warm-start "$base-old.snap"
    "$PYTHON" - "$base-cold.txt" "$base-warm.txt" "$s" >>"$base-seeds.txt" <<'PY'
import sys
def read(p):
    return [(int(a), float(b)) for a, b in (l.split() for l in open(p) if l.strip())]
cold, warm = read(sys.argv[1]), read(sys.argv[2])
best = max(a for _, a in cold)
cold_ep = min(e for e, a in cold if a == best)
hit = [e for e, a in warm if a >= best]
warm_ep = hit[0] if hit else float("inf")
pts = " ".join("e%d %.4f/%.4f" % (e, cold[e - 1][1], warm[e - 1][1])
               for e in (1, 5, 20) if e <= min(len(cold), len(warm)))
print("%s %.4f %d %s %.4f %s" % (sys.argv[3], best, cold_ep, warm_ep, max(a for _, a in warm), pts))
PY
    tail -1 "$base-seeds.txt"
done
"$PYTHON" - "$base-seeds.txt" "$graph" "$EPOCHS" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
print("graph %s, %s epochs per run; per seed: cold target (its best val AUC) at cold epoch,"
      " first warm epoch reaching it, ratio; val AUC cold/warm at epochs 1, 5, 20" % (sys.argv[2], sys.argv[3]))
ratios = []
for r in rows:
    seed, best, ce, we, wbest = r[0], float(r[1]), int(r[2]), float(r[3]), float(r[4])
    ratios.append(we / ce)
    print("  seed %s: target %.4f, cold %d epochs, warm %s epochs (ratio %.3f; warm best %.4f)  %s"
          % (seed, best, ce, "never" if we == float("inf") else "%d" % we, we / ce, wbest,
             " ".join(r[5:])))
ce = statistics.median(int(r[2]) for r in rows)
we = statistics.median(float(r[3]) for r in rows)
print("median: cold %g epochs, warm %g epochs, median ratio %.3f (target <= 0.2)"
      % (ce, we, statistics.median(ratios)))
PY
rm -f "$base-new.edges" "$base-old.edges" "$base-old.snap" "$base-old.snap".tmp.* \
    "$base-cold.txt" "$base-warm.txt" "$base-seeds.txt" "$base-src.edges"

#!/usr/bin/env bash
# What the Python binding costs over the CLI on the same training run:
# `sgae train G --epochs E --neg-ratio 1` against sgae.train(sgae.Graph(G),
# epochs=E, neg_ratio=1) in /usr/bin/python3, alternating, RUNS times each
# (same seed: the two runs compute the same bits).  Compared, as medians:
#   train  the library's train_seconds (trainer creation, the epochs, the
#          result's evaluation): the Python loop around sgae_trainer_step
#   call   split + train graph + train_seconds (what sgae.train does)
#   wall   the whole process (start-up, imports, loading, teardown)
#   cpu    its user + system CPU seconds
#
#   bench/python_overhead.sh [GRAPH] [SGAE]  env: EPOCHS (4), RUNS (3), THREADS (0)
# RUNS pairs run as CLI, Python, CLI, Python, ...; the date and `uptime`
# before and after are printed with the figures.
# GRAPH defaults to /tmp/lfr1m.sgr, generated when missing (the 1M-node LFR
# graph: sgae gen lfr --nodes 1000000 --avg-degree 20 --mu 0.3 --seed 1).
# Needs a shared libsgae (meson setup build -Ddefault_library=shared|both).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/find_sgae.sh"
find_sgae python_overhead.sh "${2:-}"
graph=${1:-/tmp/lfr1m.sgr}
epochs=${EPOCHS:-4}
runs=${RUNS:-3}
threads=${THREADS:-0}  # 0: OpenMP's default (all cores) for both
lib=${SGAE_LIBRARY:-$(dirname "$(dirname "$(dirname "$sgae")")")/libsgae.so}
[ -f "$lib" ] || { echo "python_overhead.sh: no shared library at $lib (configure with -Ddefault_library=shared)" >&2; exit 2; }
py=/usr/bin/python3
if [ ! -f "$graph" ]; then
    echo "python_overhead.sh: generating $graph" >&2
    "$sgae" gen lfr --nodes 1000000 --avg-degree 20 --mu 0.3 --seed 1 -o "$graph" -q >&2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/run.py" <<'EOF'
import json, sys, time
t0 = time.monotonic()
import sgae
g = sgae.Graph.load(sys.argv[1])
t1 = time.monotonic()
th = int(sys.argv[3]) or None
res = sgae.train(g, epochs=int(sys.argv[2]), neg_ratio=1, threads=th)
t2 = time.monotonic()
print(json.dumps({"train_seconds": res.train_seconds, "split_seconds": res.split_seconds,
                  "call_seconds": t2 - t1, "load_seconds": t1 - t0,
                  "test_auc": res.test_auc, "epoch_seconds": res.epoch_seconds}))
EOF
now() { date +%s.%N; }
# user + system CPU seconds of the process (less sensitive than wall time
# to other jobs on a shared machine)
cpu() { awk '{ print $1 + $2 }' "$tmp/t"; }
thr_opt=
[ "$threads" -gt 0 ] && thr_opt="--threads $threads"
: > "$tmp/cli"; : > "$tmp/py"
run_cli() {
    local a b
    a=$(now)
    /usr/bin/time -f "%U %S" -o "$tmp/t" \
        "$sgae" train "$graph" --epochs "$epochs" --neg-ratio 1 $thr_opt --json -q > "$tmp/j"
    b=$(now)
    echo "$(cat "$tmp/j") $(cpu) $a $b" >> "$tmp/cli"
}
run_py() {
    local a b
    a=$(now)
    SGAE_LIBRARY=$lib PYTHONPATH=$root/python PYTHONDONTWRITEBYTECODE=1 \
        /usr/bin/time -f "%U %S" -o "$tmp/t" $py "$tmp/run.py" "$graph" "$epochs" "$threads" > "$tmp/j"
    b=$(now)
    echo "$(cat "$tmp/j") $(cpu) $a $b" >> "$tmp/py"
}
echo "date $(date -u '+%Y-%m-%d %H:%M UTC'); load before: $(uptime)"
for r in $(seq "$runs"); do
    # strictly alternating, CLI Python CLI Python ... (a busy machine
    # drifts: neighbours see the same load)
    run_cli; run_py
    echo "python_overhead.sh: pair $r of $runs done" >&2
done
echo "load after: $(uptime)"

# the binding's own cost per epoch, in one process: Trainer.step() on a tiny
# graph (the library's step is microseconds there) minus what the library
# measures of that step (epoch_seconds; no validation set)
SGAE_LIBRARY=$lib PYTHONPATH=$root/python PYTHONDONTWRITEBYTECODE=1 $py - > "$tmp/step" <<'PYEOF'
import statistics, time
import numpy as np
import sgae
g = sgae.Graph(np.random.default_rng(1).integers(0, 50, (2, 200)), num_nodes=50)
with sgae.Trainer(g, epochs=20000, val=0, test=0, hidden=4, latent=2, threads=1) as t:
    d = []
    for _ in range(20000):
        a = time.perf_counter()
        info = t.step()
        d.append(time.perf_counter() - a - info.epoch_seconds)
print("%.3g" % statistics.median(d))
PYEOF
$py - "$tmp/cli" "$tmp/py" "$graph" "$epochs" "$(cat "$tmp/step")" <<'EOF'
import json, statistics, sys
def rows(path):
    out = []
    for line in open(path):
        j, c, a, b = line.rsplit(" ", 3)
        d = json.loads(j)
        d["wall"] = float(b) - float(a)
        d["cpu"] = float(c)
        d["call"] = d.get("call_seconds", d["split_seconds"] + d["train_seconds"])
        out.append(d)
    return out
cli, py = rows(sys.argv[1]), rows(sys.argv[2])
assert all(c["test_auc"] == p["test_auc"] for c, p in zip(cli, py)), "different results"
med = lambda rs, k: statistics.median(r[k] for r in rs)
print("threads %s; graph %s, %s epochs, --neg-ratio 1, %d runs each, alternating (same test AUC %.6f)"
      % (cli[0].get("threads", "?"), sys.argv[3], sys.argv[4], len(cli), cli[0]["test_auc"]))
for i, (c, p) in enumerate(zip(cli, py)):
    print("pair %d: train %.3f / %.3f s, epoch %.3f / %.3f s, wall %.3f / %.3f s, cpu %.2f / "
          "%.2f s (CLI / Python)" % (i + 1, c["train_seconds"], p["train_seconds"],
                                     c["epoch_seconds"], p["epoch_seconds"], c["wall"],
                                     p["wall"], c["cpu"], p["cpu"]))
# pair ratio: Python / CLI of the runs made one after the other (neighbours
# see the same load); its median is the figure of bench/PYTHON.md
print("%-8s %10s %10s %8s %10s %10s %8s %11s" % ("", "CLI s", "Python s", "ratio", "CLI min",
                                                 "Py min", "ratio", "pair ratio"))
for k, label in (("train_seconds", "train"), ("call", "call"), ("wall", "wall"),
                 ("cpu", "cpu"), ("epoch_seconds", "epoch")):
    c, p = med(cli, k), med(py, k)
    cm, pm = min(r[k] for r in cli), min(r[k] for r in py)
    pr = statistics.median(b[k] / a[k] for a, b in zip(cli, py))
    print("%-8s %10.3f %10.3f %8.4f %10.3f %10.3f %8.4f %11.4f" % (label, c, p, p / c, cm, pm,
                                                                   pm / cm, pr))
step = float(sys.argv[5])
print("binding cost per epoch (Trainer.step beyond the library's step): %.1f us = %.5f%% "
      "of this graph's %.3f s epoch" % (1e6 * step, 100 * step / med(cli, "epoch_seconds"),
                                        med(cli, "epoch_seconds")))
EOF

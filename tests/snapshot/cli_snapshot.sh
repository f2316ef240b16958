#!/usr/bin/env bash
# Snapshots through the CLI on Cora (shipped data), suite 'data':
#  1. 20 epochs straight == 10 epochs + --resume to 20 (embeddings and JSON
#     metrics), VGAE/GAE, permutation/iid negatives, features or not, at 1
#     and 2 threads;
#  2. SIGINT during training: exit 130, a snapshot that `sgae info` reads,
#     and --resume finishes with the uninterrupted run's bits;
#  3. SIGKILL at random moments while snapshots are written every epoch,
#     many times, each time resuming from whatever is on disk: the final
#     embeddings equal the uninterrupted run's;
#  4. a bad checkpoint path fails before any training; resume on other
#     options is refused saying what differs;
#  5. `sgae info SNAPSHOT --json` keys, `sgae export` (.npy + ids, .tsv, -q),
#     periodic checkpoints without mu/logstd, --min-epochs checked on resume.
# Needs $SGAE and $SGAE_SOURCE_DIR (set by meson).
set -uo pipefail
: "${SGAE:?}" "${SGAE_SOURCE_DIR:?}"
data="$SGAE_SOURCE_DIR/datasets/planetoid"
G="$data/cora.edges.zst"
F="$data/cora.features.mtx.zst"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { # description, shell condition
  if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $1" >&2; fi
}
key() { sed -n "s/.*\"$1\": \\([^,}]*\\).*/\\1/p" "$2"; }

# 1. straight vs resumed
n=0
for t in 1 2; do
  for variant in "" "--model gae" "--neg-iid" "--features $F" "--features $F --model gae --neg-iid"; do
    n=$((n + 1))
    # shellcheck disable=SC2086
    "$SGAE" train "$G" $variant --epochs 20 --threads $t -q --json \
      --embeddings "$tmp/a$n.npy" >"$tmp/a$n.json"
    # shellcheck disable=SC2086
    "$SGAE" train "$G" $variant --epochs 10 --threads $t -q --checkpoint "$tmp/c$n.snap" \
      >/dev/null
    # shellcheck disable=SC2086
    "$SGAE" train "$G" $variant --epochs 20 --threads $t -q --json --resume "$tmp/c$n.snap" \
      --embeddings "$tmp/b$n.npy" >"$tmp/b$n.json"
    check "resume [$variant] t=$t: embeddings identical" "cmp -s '$tmp/a$n.npy' '$tmp/b$n.npy'"
    check "resume [$variant] t=$t: test_auc identical" \
      "[ '$(key test_auc "$tmp/a$n.json")' = '$(key test_auc "$tmp/b$n.json")' ]"
    check "resume [$variant] t=$t: final_loss identical" \
      "[ '$(key final_loss "$tmp/a$n.json")' = '$(key final_loss "$tmp/b$n.json")' ]"
    check "resume [$variant] t=$t: resumed_from_epoch 10" \
      "[ '$(key resumed_from_epoch "$tmp/b$n.json")' = 10 ]"
  done
done

# reference for 2 and 3: 300 epochs with features
"$SGAE" train "$G" --features "$F" --epochs 300 -q --embeddings "$tmp/ref.npy" >/dev/null

# 2. SIGINT
"$SGAE" train "$G" --features "$F" --epochs 300 --log-every 1 --checkpoint "$tmp/int.snap" \
  --checkpoint-every 1000 >/dev/null 2>"$tmp/int.err" &
pid=$!
# interrupt once training runs (a loaded or sanitized run may take a while)
for _ in $(seq 600); do grep -q '^epoch ' "$tmp/int.err" 2>/dev/null && break; sleep 0.1; done
kill -INT $pid
wait $pid
rc=$?
check "SIGINT: exit status 130 (got $rc)" "[ $rc = 130 ]"
check "SIGINT: message names the snapshot" "grep -q 'int.snap' '$tmp/int.err'"
"$SGAE" info "$tmp/int.snap" --json >"$tmp/int.json"
check "SIGINT: snapshot readable" "[ \$? = 0 ] && [ -n '$(key epoch "$tmp/int.json")' ]"
"$SGAE" train "$G" --features "$F" --epochs 300 -q --resume "$tmp/int.snap" \
  --embeddings "$tmp/int.npy" >/dev/null
check "SIGINT then --resume: same embeddings as uninterrupted" "cmp -s '$tmp/ref.npy' '$tmp/int.npy'"

# 3. SIGKILL at random moments while checkpointing every epoch
kills=0
rounds=0
while [ $rounds -lt 40 ]; do
  rounds=$((rounds + 1))
  resume=()
  [ -f "$tmp/kill.snap" ] && resume=(--resume "$tmp/kill.snap")
  "$SGAE" train "$G" --features "$F" --epochs 300 -q --checkpoint "$tmp/kill.snap" \
    --checkpoint-every 1 "${resume[@]}" --embeddings "$tmp/kill.npy" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(( (RANDOM % 40) + 5 ))"
  if kill -KILL $pid 2>/dev/null; then kills=$((kills + 1)); fi
  wait $pid 2>/dev/null
  rc=$?
  if [ -f "$tmp/kill.npy" ] && [ $rc = 0 ]; then break; fi
  rm -f "$tmp/kill.npy" "$tmp/kill.ids.tsv"
  if [ -f "$tmp/kill.snap" ]; then
    "$SGAE" info "$tmp/kill.snap" -q >/dev/null 2>&1 || { echo "unloadable after kill $kills" >&2; break; }
  fi
done
if [ ! -f "$tmp/kill.npy" ]; then
  "$SGAE" train "$G" --features "$F" --epochs 300 -q --checkpoint "$tmp/kill.snap" \
    --checkpoint-every 1 --resume "$tmp/kill.snap" --embeddings "$tmp/kill.npy" >/dev/null
fi
echo "SIGKILL test: $kills kills in $rounds rounds" >&2
check "SIGKILL: at least 5 kills landed" "[ $kills -ge 5 ]"
check "SIGKILL x $kills, resumed each time: same embeddings as uninterrupted" \
  "cmp -s '$tmp/ref.npy' '$tmp/kill.npy'"
check "SIGKILL: no temporary files left behind" \
  "[ \$(ls -A '$tmp' | grep -c -v -E '\\.(npy|json|snap|tsv|err)\$') = 0 ]"

# 4. bad paths fail fast; other options refused
start=$(date +%s)
"$SGAE" train "$G" --epochs 100000 -q --checkpoint "$tmp/nodir/x.snap" 2>"$tmp/bad.err"
rc=$?
check "bad checkpoint path: exit 1 (got $rc)" "[ $rc = 1 ]"
check "bad checkpoint path: fails within 3 s" "[ \$(( \$(date +%s) - start )) -le 3 ]"
check "bad checkpoint path: message names it" "grep -q 'nodir/x.snap' '$tmp/bad.err'"
"$SGAE" train "$G" --epochs 20 --lr 0.02 -q --resume "$tmp/c1.snap" 2>"$tmp/opt.err"
rc=$?
check "resume with another --lr refused (exit $rc)" "[ $rc = 1 ] && grep -q 'lr' '$tmp/opt.err'"
"$SGAE" train "$G" --epochs 20 --seed 2 -q --resume "$tmp/c1.snap" 2>"$tmp/seed.err"
check "resume with another --seed refused" "[ \$? = 1 ]"

# 5. info and export
"$SGAE" info "$tmp/c4.snap" --json >"$tmp/info.json"
for k in format_version epoch nodes edges model bytes raw_bytes sections val_auc; do
  check "info --json has $k" "grep -q '\"$k\":' '$tmp/info.json'"
done
check "info: epoch 10" "[ '$(key epoch "$tmp/info.json")' = 10 ]"
"$SGAE" export "$tmp/c4.snap" -o "$tmp/e.npy" --which best --json >"$tmp/exp.json"
check "export .npy + ids" "[ -s '$tmp/e.npy' ] && [ -s '$tmp/e.ids.tsv' ]"
"$SGAE" export "$tmp/c4.snap" -o "$tmp/e.tsv" --which z
check "export .tsv: 2708 lines of 17 fields" \
  "[ \$(wc -l <'$tmp/e.tsv') = 2708 ] && [ \$(head -1 '$tmp/e.tsv' | awk -F'\\t' '{print NF}') = 17 ]"
"$SGAE" export "$tmp/c4.snap" -o "$tmp/e.npy" --which nope 2>/dev/null
check "export --which nope: usage error" "[ \$? = 2 ]"
"$SGAE" export "$tmp/c4.snap" -o "$tmp/q.npy" --which best -q >"$tmp/q.out" 2>"$tmp/q.err"
rc=$?
check "export -q accepted (exit $rc), nothing on stderr" "[ $rc = 0 ] && [ ! -s '$tmp/q.err' ]"
"$SGAE" export "$tmp/c4.snap" -o "$tmp/q.npy" --which best --quiet >/dev/null
check "export --quiet accepted" "[ \$? = 0 ]"
# periodic checkpoints (FILE.1, epoch 10) leave out mu and logstd; the last has them
"$SGAE" train "$G" --epochs 12 -q --checkpoint "$tmp/p.snap" --checkpoint-every 5 --keep 2 \
  >/dev/null
"$SGAE" info "$tmp/p.snap.1" --json >"$tmp/p1.json"
"$SGAE" info "$tmp/p.snap" --json >"$tmp/p0.json"
check "periodic checkpoint: epoch 10, no mu/logstd sections" \
  "[ '$(key epoch "$tmp/p1.json")' = 10 ] && ! grep -q '\"mu\"' '$tmp/p1.json' && ! grep -q '\"logstd\"' '$tmp/p1.json'"
check "final snapshot: epoch 12, mu and logstd sections" \
  "[ '$(key epoch "$tmp/p0.json")' = 12 ] && grep -q '\"mu\"' '$tmp/p0.json' && grep -q '\"logstd\"' '$tmp/p0.json'"
"$SGAE" export "$tmp/p.snap.1" -o "$tmp/p.npy" --which mu 2>"$tmp/p.err"
rc=$?
check "export --which mu of a periodic checkpoint: exit 1 naming the file (got $rc)" \
  "[ $rc = 1 ] && grep -q 'p.snap.1' '$tmp/p.err' && grep -q 'periodic' '$tmp/p.err'"
"$SGAE" export "$tmp/p.snap.1" -o "$tmp/p.npy" --which best -q
check "export --which best of a periodic checkpoint" "[ \$? = 0 ] && [ -s '$tmp/p.npy' ]"
"$SGAE" train "$G" --epochs 20 --min-epochs 7 -q --resume "$tmp/c1.snap" 2>"$tmp/minep.err"
rc=$?
check "resume with another --min-epochs refused (exit $rc)" \
  "[ $rc = 1 ] && grep -q 'min_epochs' '$tmp/minep.err'"

# 6. JSON keys other tools rely on (issue 8), with their types
py_check() { # description, python expression over j (the parsed JSON of file $3)
  if python3 -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$3"
  then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $1" >&2; fi
}
py_check "info --json: sections are {name, bytes, raw_bytes} summing to raw_bytes" \
  "j['sections'] and all(set(x) >= {'name','bytes','raw_bytes'} for x in j['sections']) and sum(x['raw_bytes'] for x in j['sections']) == j['raw_bytes'] and j['bytes'] == $(stat -c %s "$tmp/c4.snap")" \
  "$tmp/info.json"
"$SGAE" train "$G" --epochs 3 -q --json --checkpoint "$tmp/k.snap" --checkpoint-every 1 >"$tmp/k.json"
py_check "train --json: checkpoint keys (3 written, not resumed, no warm start)" \
  "j['checkpoint'] == '$tmp/k.snap' and j['checkpoints_written'] == 3 and j['checkpoint_seconds'] > 0 and j['resumed_from_epoch'] is None and j['warm_start_matched_nodes'] is None" \
  "$tmp/k.json"
"$SGAE" train "$G" --epochs 2 -q --json --warm-start "$tmp/k.snap" >"$tmp/w.json"
py_check "train --json: warm start on the same graph matches all 2708 nodes" \
  "j['warm_start_matched_nodes'] == 2708 and j['checkpoint'] is None and j['checkpoints_written'] == 0" \
  "$tmp/w.json"
# a snapshot of another graph
E="$SGAE_SOURCE_DIR/datasets/email-eu-core/email-Eu-core.txt.zst"
"$SGAE" train "$E" --epochs 3 -q --resume "$tmp/k.snap" 2>"$tmp/other.err" >/dev/null
rc=$?
check "resume on another graph refused (exit $rc) saying what differs" \
  "[ $rc = 1 ] && grep -qi -e 'nodes' -e 'graph' '$tmp/other.err'"

echo "cli_snapshot: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

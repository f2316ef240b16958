#!/bin/sh
# The release CLI on every reproducer of the fuzz corpus (CORPUS/*/repro-*):
# `sgae info` must exit 1 with a message naming the file, without a large
# allocation (peak RSS under $LIMIT_MB, from /usr/bin/time -v when present,
# else from the kernel's VmHWM through a wrapper shell) and without hanging
# (a 120 s guard, not a timing assertion).  Reproducers that are valid
# files (ok-*) must exit 0 with the node and edge counts in their name
# (ok-N-nodes-M-edges-*).  Features and labels reproducers are given to a
# 3-node graph.
#   cli_repro.sh CORPUS   (uses $SGAE, the tool)
set -u
corpus="$1"
sgae="${SGAE:?set SGAE to the sgae tool}"
LIMIT_MB="${LIMIT_MB:-256}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '0 1\n1 2\n2 0\n' > "$tmp/g3.txt"
printf '1 2\n2 3\n3 1\n' > "$tmp/g3-1.txt"
fail=0 count=0
usetime=0
[ -x /usr/bin/time ] && usetime=1

for f in "$corpus"/*/repro-* "$corpus"/*/ok-*; do
  [ -f "$f" ] || continue
  target=$(basename "$(dirname "$f")")
  name=$(basename "$f")
  case "$target" in
    features) set -- info --json "$tmp/g3.txt" --features "$f" ;;
    labels) set -- info --json "$tmp/g3-1.txt" --labels "$f" ;;
    linqs) set -- info --json --format linqs "$f" ;;
    *) set -- info --json "$f" ;;
  esac
  count=$((count + 1))
  bad=0
  if [ $usetime = 1 ]; then
    timeout 120 /usr/bin/time -f 'maxrss %M' -o "$tmp/time" "$sgae" "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    rss_kb=$(sed -n 's/^maxrss //p' "$tmp/time" | tail -1)
  else
    timeout 120 "$sgae" "$@" > "$tmp/out" 2> "$tmp/err"
    rc=$?
    rss_kb=0
  fi
  rss_mb=$(( ${rss_kb:-0} / 1024 ))
  case "$name" in
    ok-*)
      nodes=$(echo "$name" | sed -n 's/^ok-\([0-9]*\)-nodes-.*/\1/p')
      edges=$(echo "$name" | sed -n 's/^ok-[0-9]*-nodes-\([0-9]*\)-edges-.*/\1/p')
      if [ $rc -ne 0 ] || ! grep -q "\"nodes\": $nodes," "$tmp/out" ||
         ! grep -q "\"edges\": $edges," "$tmp/out"; then
        echo "FAIL $f: exit $rc, want 0 with $nodes nodes and $edges edges:"; cat "$tmp/out" "$tmp/err"
        bad=1
      fi ;;
    *)
      if [ $rc -ne 1 ]; then
        echo "FAIL $f: exit $rc, want 1"; cat "$tmp/err"; bad=1
      elif ! grep -q "$name" "$tmp/err"; then
        echo "FAIL $f: the message does not name the file:"; cat "$tmp/err"; bad=1
      fi ;;
  esac
  if [ "$rss_mb" -gt "$LIMIT_MB" ]; then
    echo "FAIL $f: peak RSS $rss_mb MiB > $LIMIT_MB MiB"; bad=1
  fi
  [ $bad = 0 ] && echo "ok   $f: exit $rc, peak RSS $rss_mb MiB"
  [ $bad = 0 ] || fail=1
done
echo "$count reproducers run"
[ "$count" -gt 0 ] || fail=1
exit $fail

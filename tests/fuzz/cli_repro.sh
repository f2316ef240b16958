#!/bin/sh
# The release CLI on every reproducer of the fuzz corpus (CORPUS/*/repro-*):
# `sgae info` must exit 1 with a message naming the file, without a large
# allocation (peak RSS under $LIMIT_MB, from /usr/bin/time -f %M when
# present, and always an address-space cap of $LIMIT_MB + 4 GiB through
# ulimit -v, which catches a header-sized reservation even without
# /usr/bin/time; not for a sanitizer build, whose shadow memory reserves
# terabytes of address space) and without hanging (a 120 s guard, not a timing assertion).
# A file named *-declared-rows* declares many isolated nodes in a few bytes
# (issue 11: 2x10^8 rows, one entry): the node set costs memory per node by
# design, so its RSS limit is 128 MiB plus $PER_NODE_B bytes per declared
# node (the CSR row offsets are 8; the build's degree and offset arrays 16
# more while they live; before the implicit id map and info's bitmap
# components it was 27).  Reproducers that are valid
# files (ok-*) must exit 0 with the node and edge counts in their name
# (ok-N-nodes-M-edges-*).  Features and labels reproducers are given to a
# 3-node graph.
#   cli_repro.sh CORPUS   (uses $SGAE, the tool)
set -u
corpus="$1"
sgae="${SGAE:?set SGAE to the sgae tool}"
LIMIT_MB="${LIMIT_MB:-256}"
PER_NODE_B="${PER_NODE_B:-20}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '0 1\n1 2\n2 0\n' > "$tmp/g3.txt"
printf '1 2\n2 3\n3 1\n' > "$tmp/g3-1.txt"
fail=0 count=0
usetime=0
[ -x /usr/bin/time ] && usetime=1
sanitized=0 # the binary is built with AddressSanitizer (gcc links libasan, clang has its symbols)
if ldd "$sgae" 2>/dev/null | grep -q libasan || nm "$sgae" 2>/dev/null | grep -q " __asan_init"; then sanitized=1; fi

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
  limit_mb=$LIMIT_MB
  case "$name" in
    *-declared-rows*)
      declared=$(sed -n '2s/^\([0-9]*\) .*/\1/p' "$f")
      limit_mb=$((128 + ${declared:-0} * PER_NODE_B / 1048576)) ;;
  esac
  [ $sanitized = 1 ] && limit_mb=$((limit_mb * 3 / 2)) # ASan's shadow and redzones
  as_kb=$(( (limit_mb + 4096) * 1024 ))
  [ $sanitized = 1 ] && as_kb=unlimited # ASan reserves terabytes of shadow address space
  if [ $usetime = 1 ]; then
    (ulimit -v $as_kb; timeout 120 /usr/bin/time -f 'maxrss %M' -o "$tmp/time" "$sgae" "$@") \
      > "$tmp/out" 2> "$tmp/err"
    rc=$?
    rss_kb=$(sed -n 's/^maxrss //p' "$tmp/time" | tail -1)
  else
    (ulimit -v $as_kb; timeout 120 "$sgae" "$@") > "$tmp/out" 2> "$tmp/err"
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
  if [ "$rss_mb" -gt "$limit_mb" ]; then
    echo "FAIL $f: peak RSS $rss_mb MiB > $limit_mb MiB"; bad=1
  fi
  [ $bad = 0 ] && echo "ok   $f: exit $rc, peak RSS $rss_mb MiB (limit $limit_mb MiB)"
  [ $bad = 0 ] || fail=1
done
echo "$count reproducers run"
[ "$count" -gt 0 ] || fail=1
exit $fail

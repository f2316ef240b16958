#!/bin/sh
# Real-world inputs (issues 10 and 11): Matrix Market banners with one '%',
# byte-order marks, zstd skippable frames and long windows, other
# compressions named, gzip padding and concatenated members, the memory
# budget and runs of one repeated edge; pipes.  Each input is made here, small, with
# the zstd/gzip/xz/bzip2/lz4/zip tools (scripts/setup.sh installs them).
# Needs SGAE (the binary) in the environment.
set -u
. "$(dirname "$0")/../harness.sh"
t_begin input
unset SGAE_MEMORY_BUDGET SGAE_ZSTD_WINDOW_LOG

# info_has FILE PATTERN ARGS...: exit 0 and PATTERN (fixed) in the JSON
info_has() {
    _f=$1; pat=$2; shift 2
    "$S" info --json -q "$@" "$_f" >"$T/out" 2>"$T/err"
    rc=$?
    check "[ $rc -eq 0 ] # $_f"
    check "grep -qF -- '$pat' '$T/out' # $_f"
}
# info_fails FILE PATTERN ARGS...: exit 1, PATTERN on stderr, nothing on stdout
info_fails() {
    _f=$1; pat=$2; shift 2
    "$S" info -q "$@" "$_f" >"$T/out" 2>"$T/err"
    rc=$?
    check "[ $rc -eq 1 ] # $_f"
    check "grep -qF -- '$pat' '$T/err' # $_f"
    check "[ ! -s '$T/out' ]"
}

# 1. Matrix Market banner with one '%': read, with a warning; as .mtx and
# detected from content; a forced edge list refuses it.
printf '%%MatrixMarket matrix coordinate pattern symmetric\n4 4 3\n2 1\n3 2\n4 3\n' > "$T/one.mtx"
cp "$T/one.mtx" "$T/one.txt"
for f in one.mtx one.txt; do
    info_has "$T/$f" '"nodes": 4, "edges": 3,'
    check "grep -qF \"warning: $T/$f:1: Matrix Market banner begins with one '%'\" '$T/err'"
    check "grep -qF '\"format\": \"mtx\"' '$T/out'"
done
printf '%%%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n2 3\n' > "$T/two.mtx"
info_fails "$T/two.mtx" "$T/two.mtx:1: this is a Matrix Market file" --format edgelist
info_fails "$T/one.mtx" "use --format mtx" --format edgelist
gzip -c "$T/one.mtx" > "$T/onegz.txt.gz"
info_fails "$T/onegz.txt.gz" "not an edge list" --format edgelist

# 2. A UTF-8 byte-order mark is skipped in plain, .gz and .zst text, in edge
# lists (the first edge stays) and Matrix Market files.
printf '\357\273\2771 2\n2 3\n' > "$T/bom.txt"
gzip -c "$T/bom.txt" > "$T/bom.txt.gz"
zstd -q -c "$T/bom.txt" > "$T/bom.txt.zst"
for f in bom.txt bom.txt.gz bom.txt.zst; do
    info_has "$T/$f" '"nodes": 3, "edges": 2,'
done
printf '\357\273\277' > "$T/bom.mtx"
cat "$T/two.mtx" >> "$T/bom.mtx"
info_has "$T/bom.mtx" '"nodes": 3, "edges": 2,'
printf '\357\273\277id_1,id_2\n1,2\n2,3\n' > "$T/bomh.csv"
info_has "$T/bomh.csv" '"nodes": 3, "edges": 2,'

# 3. zstd: a skippable frame first, and one between frames, as zstd reads them
printf '1 2\n2 3\n3 4\n' > "$T/e3.txt"
printf 'P*M\030\005\000\000\000hello' > "$T/skip.bin"
zstd -q -c "$T/e3.txt" > "$T/f.zst"
cat "$T/skip.bin" "$T/f.zst" > "$T/s1.zst"
head -c 4 "$T/e3.txt" | zstd -q -c > "$T/a.zst"
tail -c +5 "$T/e3.txt" | zstd -q -c > "$T/b.zst"
cat "$T/a.zst" "$T/skip.bin" "$T/b.zst" > "$T/s2.zst"
for f in s1.zst s2.zst; do
    check "[ \"\$(zstd -q -d -c '$T/$f' | wc -l)\" -eq 3 ]" # the tool agrees
    info_has "$T/$f" '"nodes": 4, "edges": 3,'
    info_has "$T/$f" '"nodes": 4, "edges": 3,' --format edgelist
done
#    xz, bzip2, lz4 and zip are named
xz -c "$T/e3.txt" > "$T/e3.txt.xz"
bzip2 -c "$T/e3.txt" > "$T/e3.txt.bz2"
lz4 -q -c "$T/e3.txt" > "$T/e3.txt.lz4"
(cd "$T" && zip -q e3.zip e3.txt)
info_fails "$T/e3.txt.xz" "$T/e3.txt.xz: xz-compressed: decompress it first"
info_fails "$T/e3.txt.bz2" "bzip2-compressed"
info_fails "$T/e3.txt.lz4" "lz4-compressed"
info_fails "$T/e3.zip" "zip-compressed"
cp "$T/e3.txt.xz" "$T/xz.mtx"
info_fails "$T/xz.mtx" "xz-compressed"

# 4. zstd --long=31 (streamed: the frame declares a 2 GiB window) is read
# with SGAE_ZSTD_WINDOW_LOG=31; the default limit (2^27, as the zstd
# command) and a lower one are refused naming the window
zstd -q --long=31 -c < "$T/e3.txt" > "$T/long.zst"
SGAE_ZSTD_WINDOW_LOG=31 info_has "$T/long.zst" '"nodes": 4, "edges": 3,'
info_fails "$T/long.zst" "needs a window of 2048 MiB, more than the limit of 128 MiB"
SGAE_ZSTD_WINDOW_LOG=20 info_fails "$T/long.zst" "needs a window of 2048 MiB, more than the limit of 1 MiB"
#    gzip with trailing zero padding (gzip -d accepts it), concatenated members
gzip -c "$T/e3.txt" > "$T/pad.gz"
head -c 1000 /dev/zero >> "$T/pad.gz"
check "[ \"\$(gzip -d -c '$T/pad.gz' | wc -l)\" -eq 3 ]"
info_has "$T/pad.gz" '"nodes": 4, "edges": 3,'
gzip -c "$T/e3.txt" > "$T/cat.gz"
printf '4 5\n' | gzip -c >> "$T/cat.gz"
head -c 100 /dev/zero >> "$T/cat.gz"
printf '5 6\n' | gzip -c >> "$T/cat.gz"
info_has "$T/cat.gz" '"nodes": 6, "edges": 5,'
cp "$T/pad.gz" "$T/junk.gz"
printf 'junk' >> "$T/junk.gz"
info_fails "$T/junk.gz" "trailing data after the gzip stream"

# 5. The memory budget: a small .gz of 2M lines of one repeated edge loads in
# a 4 MiB budget (the run is counted, not stored) with the same counts as
# without; two alternating edges pass the budget with a message naming the
# file and the budget, from the option and from the environment.
yes '1 2' | head -n 2000000 | gzip -c > "$T/run.gz"
info_has "$T/run.gz" '"nodes": 2, "edges": 1, "self_loops": 0, "duplicates": 1999999,' --memory-budget 4M
yes '1 2' | head -n 1000 > "$T/run.txt"
printf '2 2\n2 2\n' >> "$T/run.txt"
gzip -c "$T/run.txt" > "$T/runs.gz"
info_has "$T/runs.gz" '"edges": 1, "self_loops": 2, "duplicates": 999,'
info_has "$T/run.txt" '"edges": 1, "self_loops": 2, "duplicates": 999,'
printf '1 2\n3 4\n' > "$T/two.txt"
yes "$(cat "$T/two.txt")" | head -n 1000000 | gzip -c > "$T/alt.gz"
info_fails "$T/alt.gz" "$T/alt.gz: the edge list passes the memory budget of 4 MiB" --memory-budget 4M
SGAE_MEMORY_BUDGET=4M info_fails "$T/alt.gz" "memory budget of 4 MiB"
SGAE_MEMORY_BUDGET=4M info_has "$T/alt.gz" '"edges": 2,' --memory-budget unlimited
info_has "$T/alt.gz" '"edges": 2,' --memory-budget 64M
#    the budget also covers the graph build of a plain file
info_fails "$T/run.txt" "memory budget" --memory-budget 20K
"$S" info -q --memory-budget 8X "$T/e3.txt" >/dev/null 2>"$T/err"
check "[ $? -eq 2 ]"
check "grep -qF 'is not a size' '$T/err'"
for c in info train convert communities; do
    "$S" $c --help > "$T/help" 2>&1
    check "grep -qF -- '--memory-budget SIZE' '$T/help' # $c"
    check "grep -qF '3/4 of physical memory' '$T/help' # $c"
done

# 10. LINQS cites naming papers missing from .content (the official Citeseer
# files have 17): dropped, counted, warned once with the first line; --strict
# refuses them with file:line.
printf 'p1 1 0 A\np2 0 1 B\np3 1 1 A\n' > "$T/cs.content"
printf 'p1 p2\np9 p1\np2 p3\np3 p8\n' > "$T/cs.cites"
info_has "$T/cs.content" '"dropped_citations": 2'
check "grep -qF '\"edges\": 2,' '$T/out'"
check "grep -qF \"warning: $T/cs.cites:2: 2 citations name papers missing from the .content file (first: 'p9')\" '$T/err'"
check "[ \$(grep -c 'warning' '$T/err') -eq 1 ]"
"$S" info -q "$T/cs.cites" > "$T/out" 2>"$T/err"
check "grep -q 'cites dropped *2' '$T/out'"
info_fails "$T/cs.content" "$T/cs.cites:2: unknown paper" --strict
"$S" train -q --strict --epochs 1 "$T/cs.content" >/dev/null 2>"$T/err"
check "[ \$? -eq 1 ] && grep -qF \"$T/cs.cites:2: unknown paper 'p9'\" '$T/err'"

# 11. nothing but comments is an empty file, named
printf '# only a comment\n%% and another\n\n' > "$T/comments.txt"
info_fails "$T/comments.txt" "$T/comments.txt: empty file"
gzip -c "$T/comments.txt" > "$T/comments.txt.gz"
info_fails "$T/comments.txt.gz" "$T/comments.txt.gz: empty file"

# 12. a pipe (/dev/stdin) is read once: plain, gzip and zstd text, and the
# named compressions, as from a file (format and compression are told from
# its first bytes, which stay part of the input)
printf '1 2\n2 3\n3 1\n4 1\n' > "$T/pipe.txt"
for z in cat "gzip -c" "zstd -q -c"; do
  $z "$T/pipe.txt" | "$S" info --json /dev/stdin > "$T/out" 2>"$T/err"
  check "grep -qF '\"nodes\": 4, \"edges\": 4,' '$T/out' # $z"
done
printf '%%%%MatrixMarket matrix coordinate pattern symmetric\n3 3 2\n2 1\n3 2\n' | gzip |
  "$S" info --json /dev/stdin > "$T/out" 2>"$T/err"
check "grep -qF '\"nodes\": 3, \"edges\": 2,' '$T/out' && grep -qF '\"format\": \"mtx\"' '$T/out'"
xz -c "$T/pipe.txt" | "$S" info /dev/stdin > "$T/out" 2>"$T/err"
check "[ \$? -eq 1 ] && grep -qF '/dev/stdin: xz-compressed' '$T/err'"
: | "$S" info /dev/stdin > "$T/out" 2>"$T/err"
check "[ \$? -eq 1 ] && grep -qF '/dev/stdin: empty file' '$T/err'"

t_done

#!/bin/sh
# CLI-level checks of `sgae info` and `sgae convert`: exit codes, messages on
# stderr naming file and line, one JSON object on stdout with the documented
# keys.  Needs SGAE (the binary) and SGAE_SOURCE_DIR in the environment.
set -u
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$1"; fi; }

S=${SGAE:?SGAE not set}
D=${SGAE_SOURCE_DIR:?SGAE_SOURCE_DIR not set}/datasets
T=$(mktemp -d /tmp/sgae-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT

# expect_fail CODE FILE_OR_PATTERN ARGS...: exit status CODE, pattern on stderr, nothing on stdout
expect_fail() {
    code=$1; pat=$2; shift 2
    "$S" "$@" >"$T/out" 2>"$T/err"
    rc=$?
    check "[ $rc -eq $code ]"
    check "grep -qF -- '$pat' '$T/err'"
    check "[ ! -s '$T/out' ]"
}

# bad inputs: status 1, message on stderr
expect_fail 1 "$T/nope.txt" info "$T/nope.txt"
printf '0 1\n1 2\n2 x\n' > "$T/bad.txt"
expect_fail 1 "$T/bad.txt:3:" info "$T/bad.txt"
expect_fail 1 "$T/bad.txt:3:" info --json "$T/bad.txt"
printf '0 1\n1\n' > "$T/miss.txt"
expect_fail 1 "$T/miss.txt:2: missing second column" info -q "$T/miss.txt"
: > "$T/empty.txt"
expect_fail 1 "empty" info "$T/empty.txt"
head -c 300 "$D/planetoid/cora.edges.zst" > "$T/trunc.edges.zst"
expect_fail 1 "truncated zstd" info "$T/trunc.edges.zst"
printf '%%%%MatrixMarket matrix coordinate pattern general\n3 3 2\n1 2\n' > "$T/few.mtx"
expect_fail 1 "$T/few.mtx:3:" info "$T/few.mtx"
printf 'node label\n0 1\n9999 2\n' > "$T/labels.txt"
expect_fail 1 "$T/labels.txt:3: unknown node" info "$D/planetoid/cora.edges.zst" --labels "$T/labels.txt"
# usage errors: status 2
expect_fail 2 "unknown option" info --frobnicate "$D/planetoid/cora.edges.zst"
expect_fail 2 "no graph" info
expect_fail 2 "unknown format" info --format xyz "$D/planetoid/cora.edges.zst"
expect_fail 2 "-o" convert "$D/planetoid/cora.edges.zst"

# --help tells the truth: every key it lists is printed by --json
"$S" info --help > "$T/help" 2>&1
check "[ $? -eq 0 ]"

# info --json: one line, one object, the keys with the right values
"$S" info --json --features "$D/planetoid/cora.features.mtx.zst" \
    --labels "$D/planetoid/cora.labels.zst" "$D/planetoid/cora.edges.zst" >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]"
check "[ \$(wc -l < '$T/out') -eq 1 ]"
check "head -c 1 '$T/out' | grep -q '{'"
check "tail -c 2 '$T/out' | grep -q '}'"
for kv in '"nodes": 2708' '"edges": 5278' '"self_loops": 0' '"duplicates": 0' \
          '"isolated": 0' '"components": 78' '"largest_component": 2485' \
          '"features": 1433' '"classes": 7'; do
    check "grep -qF '$kv' '$T/out'"
done
check "grep -qE '\"load_seconds\": [0-9.eE+-]+' '$T/out'"
if command -v python3 >/dev/null 2>&1; then
    check "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$T/out'"
fi

"$S" info --json "$D/email-eu-core/email-Eu-core.txt.zst" >"$T/out" 2>/dev/null
for kv in '"nodes": 1005' '"edges": 16064' '"self_loops": 642' '"isolated": 19'; do
    check "grep -qF '$kv' '$T/out'"
done

# convert --json, then the .sgr reloads to the same graph
"$S" convert --json "$D/linqs/cora.cites.zst" -o "$T/cora.sgr" >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]"
check "[ \$(wc -l < '$T/out') -eq 1 ]"
for kv in '"nodes": 2708' '"edges": 5278'; do
    check "grep -qF '$kv' '$T/out'"
done
size=$(wc -c < "$T/cora.sgr")
check "grep -qF '\"bytes\": $size' '$T/out'"
check "grep -qE '\"seconds\": [0-9.eE+-]+' '$T/out'"
if command -v python3 >/dev/null 2>&1; then
    check "python3 -c 'import json,sys; json.load(open(sys.argv[1]))' '$T/out'"
fi
"$S" info --json "$T/cora.sgr" >"$T/out" 2>/dev/null
check "grep -qF '\"nodes\": 2708' '$T/out'"
check "grep -qF '\"edges\": 5278' '$T/out'"
check "grep -qF '\"duplicates\": 151' '$T/out'"
check "[ -z \"\$(ls '$T' | grep '\\.tmp\\.')\" ]"
# convert to a compressed edge list (user ids), which loads back to the same counts
"$S" convert --json "$T/cora.sgr" -o "$T/cora.txt.gz" >"$T/out" 2>"$T/err"
check "[ $? -eq 0 ]"
check "grep -qF '\"edges\": 5278' '$T/out'"
"$S" info --json "$T/cora.txt.gz" >"$T/out" 2>/dev/null
check "grep -qF '\"nodes\": 2708' '$T/out'"
check "grep -qF '\"edges\": 5278' '$T/out'"
check "grep -qF '\"duplicates\": 0' '$T/out'"
# a damaged .sgr: status 1, corrupt
cp "$T/cora.sgr" "$T/dmg.sgr"
printf 'X' | dd of="$T/dmg.sgr" bs=1 seek=500 conv=notrunc 2>/dev/null
expect_fail 1 "$T/dmg.sgr" info "$T/dmg.sgr"
check "grep -qi 'corrupt\|damaged' '$T/err'"
head -c 1000 "$T/cora.sgr" > "$T/cut.sgr"
expect_fail 1 "truncated" info "$T/cut.sgr"

# LINQS Cora as shipped: no cite of a missing paper (issue 10), same counts
"$S" info --json -q "$D/linqs/cora.content.zst" >"$T/out" 2>"$T/err"
check "grep -qF '\"dropped_citations\": 0' '$T/out' && grep -qF '\"nodes\": 2708, \"edges\": 5278,' '$T/out'"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]

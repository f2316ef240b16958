# Shell test harness, sourced by the CLI test scripts: counts checks, prints
# "N passed, N failed" at the end (t_done) and makes a temporary directory $T
# removed on exit.  Usage: . "$(dirname "$0")/../harness.sh"; t_begin TAG
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
check() { if eval "$1"; then ok; else bad "$1"; fi; }
t_begin() {
    S=${SGAE:?SGAE not set}
    T=$(mktemp -d "/tmp/sgae-$1-XXXXXX")
    trap 'rm -rf "$T"' EXIT
}
t_done() {
    echo "$pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}

# Shell test harness (sourced): check CMD counts a pass when CMD (evaluated)
# succeeds, else a failure with CMD on stderr; t_done NAME prints the
# counts and returns the status.
pass=0
fail=0
check() {
    if eval "$1"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1" >&2; fi
}
t_done() {
    echo "$1: $pass passed, $fail failed"
    [ "$fail" -eq 0 ]
}
# t_setup TAG: S the sgae binary, D the shipped data sets, T a temporary
# directory removed at exit (needs SGAE and SGAE_SOURCE_DIR).
t_setup() {
    S=${SGAE:?SGAE not set}
    D=${SGAE_SOURCE_DIR:?SGAE_SOURCE_DIR not set}/datasets
    T=$(mktemp -d "/tmp/sgae-$1-XXXXXX")
    trap 'rm -rf "$T"' EXIT
}

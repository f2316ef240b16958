#!/usr/bin/env bash
# Fuzz every reader in turn with libFuzzer (tests/fuzz/README.md).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Builds build-fuzz/ (CC=clang, -Dfuzz=enabled: the library instrumented,
# ASan and UBSan), then runs each target (all by default) for SECONDS
# (default 60) on one core, starting from its regression corpus
# tests/fuzz/corpus/<target>/ and a working corpus build-fuzz/corpus/<target>/
# kept between runs.  Prints per target: executions, coverage (edges and
# features), corpus size, findings; crashes, leaks, time-outs and
# out-of-memory inputs land in build-fuzz/findings/<target>/ (replay one
# with build-fuzz/tests/fuzz/fuzz_<target> FILE, minimise it with
# -minimize_crash=1, then add it to tests/fuzz/corpus/<target>/).
# Exit status: 0 no findings, 1 findings, 2 usage or build error.
set -uo pipefail
cd "$(dirname "$0")/.."

secs="${1:-60}"
case "$secs" in
  ''|*[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
shift || true
all=(edgelist chunks mtx features gml linqs labels sgr stream snapshot)
targets=("${@:-${all[@]}}")
[ $# -eq 0 ] && targets=("${all[@]}")

command -v clang >/dev/null || { echo "fuzz: clang is needed (apt-get install clang)" >&2; exit 2; }
if [ ! -f build-fuzz/build.ninja ]; then
  CC=clang meson setup build-fuzz -Dfuzz=enabled -Dnative=false -Dbuildtype=debugoptimized \
    -Db_lundef=false >&2 || exit 2
fi
ninja -C build-fuzz $(printf 'tests/fuzz/fuzz_%s ' "${targets[@]}") >&2 || exit 2

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
tmp=$(mktemp -d)
export TMPDIR="$tmp"
trap 'rm -rf "$tmp"' EXIT
found=0
printf '%-9s %10s %8s %8s %8s %8s %s\n' target seconds execs cov ft corpus findings
for t in "${targets[@]}"; do
  bin=build-fuzz/tests/fuzz/fuzz_$t
  [ -x "$bin" ] || { echo "fuzz: no target $t" >&2; exit 2; }
  work=build-fuzz/corpus/$t findings=build-fuzz/findings/$t
  mkdir -p "$work" "$findings"
  maxlen=4096
  [ "$t" = chunks ] && maxlen=16384
  log=build-fuzz/findings/$t.log
  before=$(ls "$findings" | wc -l)
  "$bin" "$work" "tests/fuzz/corpus/$t" -max_total_time="$secs" -max_len=$maxlen \
    -rss_limit_mb=2048 -malloc_limit_mb=1024 -timeout=20 -print_final_stats=1 \
    -artifact_prefix="$findings/" > "$log" 2>&1
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
  ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
  corp=$(ls "$work" | wc -l)
  new=$(( $(ls "$findings" | wc -l) - before ))
  [ "$new" -gt 0 ] && found=1
  printf '%-9s %10s %8s %8s %8s %8s %s\n' "$t" "$secs" "${execs:-?}" "${cov:-?}" "${ft:-?}" \
    "$corp" "$new$( [ "$new" -gt 0 ] && echo " (see $findings, $log)")"
done
exit $found

#!/usr/bin/env bash
# Set up (install missing packages, build) and run every test: the release
# build's unit, data and slow suites, then the unit and data suites again
# under AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/).
#   scripts/test.sh            everything
#   scripts/test.sh --no-asan  skip the sanitizer run
set -euo pipefail
cd "$(dirname "$0")/.."
asan=1
[ "${1:-}" = "--no-asan" ] && asan=0

scripts/setup.sh build
meson test -C build --print-errorlogs --num-processes 2

if [ "$asan" = 1 ]; then
  # build/ is the portable default (with the kernels' AVX2/AVX-512 clones);
  # the sanitizer build is -Dnative=true, so that both configurations are
  # tested (they give the same bits).
  scripts/setup.sh build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debugoptimized -Dnative=true
  meson test -C build-asan --setup asan --suite unit --suite data --print-errorlogs \
    --num-processes 2
fi
echo "test.sh: all tests passed"

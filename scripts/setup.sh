#!/usr/bin/env bash
# Install the Debian packages sgae needs (only those missing), then configure
# and build into build/.  Safe to run again: it does only what is left to do.
#   scripts/setup.sh [BUILD_DIR] [extra meson options...]
set -euo pipefail
cd "$(dirname "$0")/.."

pkgs=(gcc libc6-dev pkg-config meson ninja-build zstd
      libgraphblas-dev libsuitesparse-dev libzstd-dev zlib1g-dev libopenblas-dev
      python3-numpy python3-scipy openmpi-bin libopenmpi-dev
      gzip xz-utils bzip2 lz4 zip)  # tools that make test inputs (tests/io/input_test.sh)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

dir="${1:-build}"
shift || true
if [ -f "$dir/build.ninja" ]; then
  [ $# -gt 0 ] && meson configure "$dir" "$@" >/dev/null
else
  meson setup "$dir" "$@" >&2
fi
ninja -C "$dir" >&2
echo "setup: built $dir/src/cli/sgae" >&2

# Sourced by the bench scripts (after setting $root, the source tree):
# `find_sgae SCRIPT [PATH]` sets $sgae to PATH, or else to the first sgae
# binary built in build/ or build-train/; if there is none, it prints
# "SCRIPT: build sgae first" and exits 2.
find_sgae() {
    sgae=${2:-}
    if [ -z "$sgae" ]; then
        for c in "$root/build/src/cli/sgae" "$root/build-train/src/cli/sgae"; do
            [ -x "$c" ] && sgae=$c && break
        done
    fi
    [ -n "$sgae" ] && [ -x "$sgae" ] || { echo "$1: build sgae first (ninja -C build)" >&2; exit 2; }
}

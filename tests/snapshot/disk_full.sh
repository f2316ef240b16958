#!/usr/bin/env bash
# A real full filesystem (suite 'data'): on a 4 MiB tmpfs, a first snapshot
# is written; the filesystem is then filled, and the next checkpoint write
# must fail with exit 1 and a message naming the user's path, leaving the
# previous snapshot byte-identical, loadable (`sgae info`, `--resume`) and
# no temporary behind.  Mounting needs root (CI runs as root); otherwise the
# test is skipped (exit 77) saying why.
# Needs $SGAE and $SGAE_SOURCE_DIR (set by meson).
set -uo pipefail
: "${SGAE:?}" "${SGAE_SOURCE_DIR:?}"
G="$SGAE_SOURCE_DIR/datasets/planetoid/cora.edges.zst"
mnt=$(mktemp -d)
cleanup() { mountpoint -q "$mnt" && umount "$mnt"; rmdir "$mnt"; }
trap cleanup EXIT
if ! err=$(mount -t tmpfs -o size=4m tmpfs "$mnt" 2>&1); then
  echo "SKIP: cannot mount a small tmpfs (needs root and mount permission): $err"
  exit 77
fi
pass=0
fail=0
check() { # description, shell condition
  if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAILED: $1" >&2; fi
}
snap="$mnt/run.snap"
"$SGAE" train "$G" --epochs 2 -q --checkpoint "$snap" >/dev/null
check "first snapshot written on the tmpfs" '[ -s "$snap" ]'
sum0=$(sha256sum <"$snap")
# fill what is left
dd if=/dev/zero of="$mnt/fill" bs=4096 2>/dev/null
check "the filesystem is full" '[ "$(df --output=avail -B1 "$mnt" | tail -1 | tr -d " ")" -lt 8192 ]'
errf=$(mktemp)
"$SGAE" train "$G" --epochs 4 -q --resume "$snap" --checkpoint "$snap" >/dev/null 2>"$errf"
rc=$?
check "checkpoint on a full disk exits 1 (got $rc)" '[ "$rc" = 1 ]'
check "the message names the user's path" 'grep -qF "$snap" "$errf"'
check "the message says the disk is full" 'grep -qi "no space" "$errf"'
check "previous snapshot unchanged" '[ "$(sha256sum <"$snap")" = "$sum0" ]'
check "no temporary left" '[ -z "$(ls "$mnt" | grep -v -e "^run.snap$" -e "^fill$")" ]'
check "previous snapshot loadable" '"$SGAE" info "$snap" --json >/dev/null'
rm -f "$mnt/fill"
check "resume from it once there is room" \
  '"$SGAE" train "$G" --epochs 3 -q --resume "$snap" --checkpoint "$snap" >/dev/null 2>&1'
check "the resumed run wrote epoch 3" \
  '"$SGAE" info "$snap" --json | grep -q "\"epoch\": 3"'
if [ "$fail" -gt 0 ]; then
  sed 's/^/  stderr: /' "$errf" >&2
fi
cat "$errf"
rm -f "$errf"
echo "disk_full: $pass passed, $fail failed"
[ "$fail" = 0 ]

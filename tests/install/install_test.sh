#!/bin/sh
# `meson install --destdir` of the build tree, then the README's library
# example (README.md, section "## The library": its C block, and the output
# its `./example` line promises) compiled against the staged tree with
# pkg-config, once against libsgae.so and once against libsgae.a, and run.
#
# usage: install_test.sh MESON BUILD_DIR SOURCE_DIR PREFIX LIBDIR INCLUDEDIR
#                        BINDIR VERSION CC SANITIZE
set -eu
[ $# -eq 10 ] || { echo "usage: $0 MESON BUILD SRC PREFIX LIBDIR INCLUDEDIR BINDIR VERSION CC SANITIZE" >&2; exit 2; }
meson=$1 build=$2 src=$3 prefix=$4 libdir=$5 incdir=$6 bindir=$7 version=$8 cc=$9
shift 9
sanitize=$1

fail() { echo "install_test: $*" >&2; exit 1; }
T=$(mktemp -d /tmp/sgae-install-XXXXXX)
trap 'rm -rf "$T"' EXIT

# an install option relative to the prefix, or absolute, under the stage
under() { case $1 in /*) echo "$T/root$1" ;; *) echo "$T/root$prefix/$1" ;; esac; }
"$meson" install -C "$build" --destdir "$T/root" --no-rebuild --quiet >"$T/install.log" 2>&1 ||
    { cat "$T/install.log" >&2; fail "meson install failed"; }
L=$(under "$libdir") I=$(under "$incdir") B=$(under "$bindir")

# what must be installed: both libraries, every public header (the
# generated sgae/version.h too), the pkg-config file, the tool; and no
# build files among the headers
for f in "$L/libsgae.a" "$L/libsgae.so" "$L/pkgconfig/sgae.pc" "$I/sgae.h" \
         "$I/sgae/version.h" "$B/sgae"; do
    [ -e "$f" ] || fail "not installed: ${f#$T/root}"
done
ls "$L"/libsgae.so.* >/dev/null 2>&1 || fail "no versioned libsgae.so.* installed"
for h in "$src"/include/sgae/*.h; do
    # sgae/dist.h belongs to the optional MPI part: installed when the
    # library has it (meson feature mpi)
    if [ "$(basename "$h")" = dist.h ] &&
       ! nm -D "$L/libsgae.so" 2>/dev/null | grep -q ' sgae_dist_op_create$'; then
        continue
    fi
    [ -f "$I/sgae/$(basename "$h")" ] || fail "header not installed: sgae/$(basename "$h")"
done
for f in meson.build version.h.in; do
    [ ! -e "$I/sgae/$f" ] || fail "build file installed with the headers: sgae/$f"
done
grep -q "#define SGAE_VERSION_STRING \"$version\"" "$I/sgae/version.h" ||
    fail "installed sgae/version.h does not say $version"
out=$("$B/sgae" --version) || fail "installed sgae --version failed"
[ "$out" = "sgae $version" ] || fail "sgae --version printed '$out', expected 'sgae $version'"

# the README's example and the output it promises
readme=$src/README.md
awk '/^## The library/ {s = 1; next} s && /^## / {exit}
     s && /^```c$/ {c = 1; next} c && /^```$/ {exit} c {print}' "$readme" > "$T/example.c"
[ -s "$T/example.c" ] || fail "no \`\`\`c block in the '## The library' section of README.md"
sect=$(awk '/^## The library/ {s = 1; next} s && /^## / {exit} s {print}' "$readme")
echo "$sect" | grep -q 'pkg-config --cflags --libs sgae' ||
    fail "README.md's library section does not show 'pkg-config --cflags --libs sgae'"
want=$(echo "$sect" | sed -n 's/^\.\/example *# *//p' | head -n 1)
[ -n "$want" ] || fail "README.md's library section has no './example   # OUTPUT' line"

export PKG_CONFIG_PATH="$L/pkgconfig"
pc() { pkg-config --define-variable=prefix="$T/root$prefix" "$@" sgae; }
[ "$(pc --modversion)" = "$version" ] || fail "pkg-config --modversion sgae: $(pc --modversion)"
san=""
[ "$sanitize" = none ] || san="-fsanitize=$sanitize"

# shared: what the README shows
# shellcheck disable=SC2046
$cc $san -o "$T/ex_shared" "$T/example.c" $(pc --cflags --libs) 2>"$T/cc.log" ||
    { cat "$T/cc.log" >&2; fail "the README example does not compile against libsgae.so"; }
readelf -d "$T/ex_shared" | grep -q 'NEEDED.*libsgae\.so' || fail "ex_shared does not use libsgae.so"
got=$(LD_LIBRARY_PATH="$L" "$T/ex_shared") || fail "ex_shared failed"
[ "$got" = "$want" ] || fail "shared: printed '$got', README says '$want'"

# static: Libs.private must be complete (the archive named in place of -lsgae)
libs=$(pc --static --libs | sed 's/\(^\| \)-lsgae\( \|$\)/\1-l:libsgae.a\2/')
# shellcheck disable=SC2046,SC2086
$cc $san -o "$T/ex_static" "$T/example.c" $(pc --cflags) $libs 2>"$T/cc.log" ||
    { cat "$T/cc.log" >&2; fail "the README example does not link with pkg-config --static"; }
if readelf -d "$T/ex_static" | grep -q 'NEEDED.*libsgae'; then fail "ex_static needs libsgae.so"; fi
got=$("$T/ex_static") || fail "ex_static failed"
[ "$got" = "$want" ] || fail "static: printed '$got', README says '$want'"

echo "install_test: installed under $prefix, README example OK (shared and static): $got"

#!/bin/sh
# What the portable default build costs against -Dnative=true in SpMM:
# bench/spmm of both builds run back to back, ROUNDS times, each round
# giving one ratio per width (default / native, median seconds); prints the
# median ratio per width.  Pairing the runs round by round keeps the load of
# a shared machine out of the ratio better than two separate sessions.
#
# usage: bench/native_vs_default.sh DEFAULT_BUILD NATIVE_BUILD GRAPH [ROUNDS] [WIDTHS]
#   e.g. meson setup build-native -Dnative=true && ninja -C build-native bench/spmm
#        bench/native_vs_default.sh build build-native lfr1m.sgr 8 16,32,64
set -eu
[ $# -ge 3 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
a=$1/bench/spmm b=$2/bench/spmm g=$3 rounds=${4:-8} widths=${5:-16,32,64}
for x in "$a" "$b"; do [ -x "$x" ] || { echo "native_vs_default.sh: no $x" >&2; exit 2; }; done
T=$(mktemp -d /tmp/sgae-nvd-XXXXXX)
trap 'rm -rf "$T"' EXIT
# seconds per width of one run: lines "d seconds"
run() { "$1" --trials 5 --d "$widths" --no-grb --json "$g" 2>/dev/null |
        sed -n 's/.*"d": \([0-9]*\),.*"seconds": \([0-9.e+-]*\),.*/\1 \2/p'; }
r=1
while [ "$r" -le "$rounds" ]; do
    run "$a" > "$T/a"; run "$b" > "$T/b"
    join "$T/a" "$T/b" | awk -v r="$r" '{ printf "%s %s %s %s %.4f\n", r, $1, $2, $3, $2 / $3 }' >> "$T/all"
    r=$((r + 1))
done
echo "round d default_s native_s ratio"
cat "$T/all"
echo "median ratio (default / native) per width:"
for d in $(echo "$widths" | tr ',' ' '); do
    awk -v d="$d" '$2 == d { print $5 }' "$T/all" | sort -g |
        awk -v d="$d" '{ v[NR] = $1 } END { printf "d=%s %.2f (of %d rounds)\n", d, v[int((NR + 1) / 2)], NR }'
done

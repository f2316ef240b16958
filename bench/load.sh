#!/bin/sh
# Load-speed benchmark: a 10M-edge text edge list to CSR (parse + build) at 1
# and 2 threads, then `sgae convert` to .sgr and the .sgr reload.
# Targets (2-core machine): text load < 3 s, .sgr reload < 1 s.
#
# usage: bench/load.sh [EDGES] [NODES]      (defaults 10000000 1000000)
# env:   SGAE  path of the sgae binary (default: build/src/cli/sgae)
#        CC    C compiler for the generator (default: cc)
#        KEEP  directory to keep the generated files in (default: a temp dir)
set -eu
M=${1:-10000000}
N=${2:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
S=${SGAE:-$here/../build/src/cli/sgae}
[ -x "$S" ] || { echo "load.sh: no sgae binary at $S (set SGAE)" >&2; exit 2; }
if [ -n "${KEEP:-}" ]; then T=$KEEP; mkdir -p "$T"; else
    T=$(mktemp -d /tmp/sgae-bench-XXXXXX); trap 'rm -rf "$T"' EXIT; fi

now() { date +%s.%N; }
# median of the numbers on stdin
calc() { awk "BEGIN { printf \"%.4g\", $1 }"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# value of a numeric JSON key in a one-line object
jget() { sed -n "s/.*\"$1\": \([-0-9.eE+]*\).*/\1/p"; }

edges="$T/edges_${M}.txt"
if [ ! -s "$edges" ]; then
    ${CC:-cc} -O2 -o "$T/gen_edges" "$here/gen_edges.c"
    t0=$(now); "$T/gen_edges" "$M" "$N" > "$edges"; t1=$(now)
    echo "generated $M edges on $N ids ($(wc -c < "$edges") bytes) in $(calc "$t1 - $t0") s"
fi

# load_norm: parse + CSR build + normalised operator, timed inside one process
LIB=${SGAE_LIB:-$(dirname "$S")/../../libsgae.a}
LN=""
if [ -f "$LIB" ] && ${CC:-cc} -O2 -fopenmp -I"$here/../include" -I"$here/../src/core" \
        -o "$T/load_norm" "$here/load_norm.c" "$LIB" -lzstd -lz -lm 2>"$T/cc.log"; then
    LN="$T/load_norm"
else
    echo "(cannot build bench/load_norm.c against $LIB: normalisation timing skipped)"
fi
# norm_runs FILE: median load / norm / total seconds of 3 runs at 1 and 2 threads
norm_runs() {
    [ -n "$LN" ] || return 0
    for t in 1 2; do
        : > "$T/l"; : > "$T/n"; : > "$T/s"
        for r in 1 2 3; do
            "$LN" "$1" "$t" > "$T/out"
            jget load_seconds < "$T/out" >> "$T/l"
            jget norm_seconds < "$T/out" >> "$T/n"
            jget seconds < "$T/out" >> "$T/s"
        done
        l=$(median < "$T/l"); n=$(median < "$T/n"); s=$(median < "$T/s")
        echo "threads $t: load $l s + normalise $n s = $s s ($(calc "$M / $s") input edges/s)"
    done
}

# info_runs FILE WHAT RATE [COUNT]: median load / whole-process seconds of 3
# `sgae info` runs at 1 and 2 threads (COUNT: also print that JSON count)
info_runs() {
    for t in 1 2; do
        : > "$T/load" ; : > "$T/wall"
        for r in 1 2 3; do
            t0=$(now)
            "$S" info -q --json --threads "$t" "$1" > "$T/out"
            t1=$(now)
            jget load_seconds < "$T/out" >> "$T/load"
            calc "$t1 - $t0" >> "$T/wall"; echo >> "$T/wall"
        done
        ls=$(median < "$T/load"); ws=$(median < "$T/wall")
        extra=""
        [ -z "${4:-}" ] || extra=", $(jget "$4" < "$T/out") undirected $4"
        echo "threads $t: $2 $ls s ($(calc "$M / $ls") $3), whole process $ws s$extra"
    done
}

echo "== text edge list -> normalised CSR (bench/load_norm.c; median of 3)"
norm_runs "$edges"

echo "== text edge list -> CSR + statistics (sgae info; median of 3)"
info_runs "$edges" load "input edges/s" edges

echo "== sgae convert -> .sgr"
"$S" convert -q --json --threads 2 "$edges" -o "$T/g.sgr" > "$T/out"
echo "convert: $(jget seconds < "$T/out") s total (load $(jget load_seconds < "$T/out") s, write $(jget write_seconds < "$T/out") s), $(jget bytes < "$T/out") bytes"

echo "== .sgr reload -> normalised CSR (bench/load_norm.c; median of 3)"
norm_runs "$T/g.sgr"

echo "== .sgr reload (sgae info; median of 3)"
info_runs "$T/g.sgr" reload "edges/s"

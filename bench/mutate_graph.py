#!/usr/bin/env python3
"""Deterministic "nightly change" of an undirected edge list (bench/warm_start.sh).

usage: mutate_graph.py IN OUT [--frac F] [--seed S]

IN is an edge list ("u v" per line, '#'/'%' comments; .zst read through
`zstd -dc`), with integer node ids.  OUT gets the changed graph, same ids:
  - round(F * E) existing edges removed and as many new edges added between
    existing nodes (F of the edges changed), each new edge closing a
    triangle (a random node to a random neighbour of a neighbour) so the
    change looks like the graph's own growth;
  - round(F * N) new nodes (ids after the largest), each with the mean
    degree's number of edges: to a random anchor node and its neighbours.
Same input, F and seed give the same output (Python's random.Random(seed)).
Default F = 0.01, seed 1.

For a fair warm-start bench: --old-out OLD [--split-seed S] [--val V]
[--test T] splits OUT exactly as `sgae train OUT --seed S --val V --test T`
does (sgae_split_edges through the Python package: PYTHONPATH=python,
SGAE_LIBRARY=build/src/libsgae.so) and writes OLD = IN without the pairs
of that split's validation and test edges, so that a run on OLD has not
trained on the edges the runs on OUT are measured with.  Defaults: S 1,
V 0.05, T 0.10.
"""
import random
import subprocess
import sys


def read_edges(path):
    if path.endswith(".zst"):
        text = subprocess.run(["zstd", "-dc", path], check=True, capture_output=True).stdout
        lines = text.decode().splitlines()
    else:
        with open(path) as f:
            lines = f.read().splitlines()
    edges = set()
    for line in lines:
        if not line or line[0] in "#%":
            continue
        a, b = line.split()[:2]
        a, b = int(a), int(b)
        if a != b:
            edges.add((min(a, b), max(a, b)))
    return edges


def held_out(path, val, test, seed):
    """The (min, max) user-id pairs of the validation and test edges that
    `sgae train path --seed seed --val val --test test` holds out."""
    import ctypes

    import sgae
    from sgae import _lib

    ds = sgae.load(path)
    g = ds.graph
    ids = [int(x) for x in g.ids]
    sp = _lib.Split()
    st = _lib.lib.sgae_split_edges(g._ptr, val, test, seed, ctypes.byref(sp))
    if st:
        raise RuntimeError("sgae_split_edges failed: %d" % st)
    out = set()
    try:
        for p in (sp.val_pos, sp.test_pos):
            for k in range(p.count):
                a, b = ids[p.u[k]], ids[p.v[k]]
                out.add((min(a, b), max(a, b)))
    finally:
        _lib.lib.sgae_split_clear(ctypes.byref(sp))
    return out


def take(args, name, conv, default):
    if name in args:
        i = args.index(name)
        v = conv(args[i + 1])
        del args[i:i + 2]
        return v
    return default


def main(argv):
    args = [a for a in argv[1:]]
    old_out = take(args, "--old-out", str, None)
    split_seed = take(args, "--split-seed", int, 1)
    val = take(args, "--val", float, 0.05)
    test = take(args, "--test", float, 0.10)
    frac, seed = 0.01, 1
    if "--frac" in args:
        i = args.index("--frac")
        frac = float(args[i + 1])
        del args[i:i + 2]
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i:i + 2]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    edges = read_edges(args[0])
    original = set(edges)
    rng = random.Random(seed)
    nodes = sorted({u for e in edges for u in e})
    adj = {u: [] for u in nodes}
    for a, b in sorted(edges):
        adj[a].append(b)
        adj[b].append(a)
    k = round(frac * len(edges))
    removed = set(rng.sample(sorted(edges), k))
    edges -= removed
    added = 0
    while added < k:
        u = rng.choice(nodes)
        if not adj[u]:
            continue
        w = rng.choice(adj[u])
        v = rng.choice(adj[w]) if adj[w] else rng.choice(nodes)
        e = (min(u, v), max(u, v))
        if u != v and e not in edges and e not in removed:
            edges.add(e)
            added += 1
    m = round(frac * len(nodes))
    deg = max(1, round(2 * len(edges) / len(nodes)))
    nxt = nodes[-1] + 1
    for j in range(m):
        x = nxt + j
        anchor = rng.choice(nodes)
        cand = [anchor] + adj[anchor]
        picks = set(rng.sample(cand, min(deg, len(cand))))
        for v in sorted(picks):
            edges.add((v, x))
    with open(args[1], "w") as f:
        f.write("# %s changed: %d edges rewired (%.3g), %d new nodes, seed %d\n"
                % (args[0], k, frac, m, seed))
        for a, b in sorted(edges):
            f.write("%d %d\n" % (a, b))
    print("%s: %d nodes, %d edges (%d rewired, %d new nodes)"
          % (args[1], len(nodes) + m, len(edges), k, m), file=sys.stderr)
    if old_out:
        hold = held_out(args[1], val, test, split_seed)
        kept = sorted(original - hold)
        with open(old_out, "w") as f:
            f.write("# %s without the %d validation/test edges of %s (split seed %d)\n"
                    % (args[0], len(hold), args[1], split_seed))
            for a, b in kept:
                f.write("%d %d\n" % (a, b))
        print("%s: %d edges (%d held-out pairs of the new split, %d of them in the old graph)"
              % (old_out, len(kept), len(hold), len(original) - len(kept)), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

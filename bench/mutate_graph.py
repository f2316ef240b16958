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


def main(argv):
    args = [a for a in argv[1:]]
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
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

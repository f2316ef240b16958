"""Communities from embeddings and graphs (sgae/cluster.h): sgae.cluster
(k-means, the automatic k, the modularity refinement, stable ids against
yesterday's partition), sgae.refine, sgae.match, sgae.score (modularity,
sizes, conductance, NMI/ARI/AMI/F1 against a ground truth), sgae.compare,
and the files `sgae cluster` reads and writes.

Partitions are int32 NumPy arrays of n community ids (0..count-1, -1 for a
node without a community), row i being node i of the graph.  Every array
returned here is the caller's own (copies of the library's result, which is
freed before the call returns).  Same input and seed give the same bits as
`sgae cluster` / `sgae score` at any thread count.

Ctrl-C: the clustering calls have no interrupt flag; KeyboardInterrupt
comes out once the running library call returns (nothing leaks).
"""

import ctypes
import math
import os

import numpy as np

from . import _lib
from ._buffers import as_ptr, foreign_array
from .errors import ArgumentError, check
from .graph import Graph, _path

lib = _lib.lib

_I32 = ctypes.c_int32


class _Record:
    """Attributes from a dict; as_dict() gives them back."""

    def __init__(self, **kw):
        self.__dict__.update(kw)

    def as_dict(self):
        return {k: v for k, v in self.__dict__.items() if not isinstance(v, np.ndarray)}

    def __getitem__(self, key):
        return self.__dict__[key]

    def __repr__(self):
        show = ", ".join("%s=%s" % (k, ("%.4f" % v) if isinstance(v, float) else v)
                         for k, v in self.as_dict().items() if k in self._SHOW)
        return "sgae.%s(%s)" % (type(self).__name__, show)


def _fields(struct):
    return {f: getattr(struct, f) for f, _ in struct._fields_}


def _partition(comm, n, what):
    """comm as a C-contiguous int32 array of n ids (a copy when converted)."""
    if isinstance(comm, Clustering):
        comm = comm.labels
    a = np.asarray(comm)
    if a.ndim != 1 or a.shape[0] != n:
        raise ArgumentError("%s: expected %d community ids (one per node), got shape %s"
                            % (what, n, a.shape))
    if a.dtype == np.bool_ or not np.issubdtype(a.dtype, np.integer):
        raise ArgumentError("%s: expected integer community ids, got dtype %s" % (what, a.dtype))
    if a.dtype != np.int32 and n:
        lo, hi = int(a.min()), int(a.max())
        if lo < -(2**31) or hi > 2**31 - 2:
            bad = int(np.flatnonzero((a < -(2**31)) | (a > 2**31 - 2))[0])
            raise ArgumentError("%s: node %d has community id %d (ids are -1..2^31-2)"
                                % (what, bad, a[bad]))
    return np.ascontiguousarray(a, dtype=np.int32)


def _embeddings(x):
    if hasattr(x, "mu") and not isinstance(x, np.ndarray):  # an sgae.Result
        x = x.mu
    a = np.asarray(x)
    if a.ndim != 2:
        raise ArgumentError("embeddings: expected a 2-D array (nodes x dim), got shape %s"
                            % (a.shape,))
    if not (np.issubdtype(a.dtype, np.floating) or np.issubdtype(a.dtype, np.integer)):
        raise ArgumentError("embeddings: expected a numeric array, got dtype %s" % a.dtype)
    return np.ascontiguousarray(a, dtype=np.float32)  # no copy for float32 C order


def _graph(g, n, what="graph"):
    if g is None:
        return None
    if not isinstance(g, Graph):
        raise TypeError("%s must be an sgae.Graph, not %s" % (what, type(g).__name__))
    if n is not None and g.num_nodes != n:
        raise ArgumentError("%s has %d nodes but there are %d rows" % (what, g.num_nodes, n))
    return g


def _node_set(n):
    """An edgeless graph of nodes 0..n-1 (ids for saving a partition)."""
    out = ctypes.POINTER(_lib.GraphStruct)()
    z = np.zeros(1, np.int32)
    check(lib.sgae_graph_from_pairs(n, 0, as_ptr(z, _I32), as_ptr(z, _I32),
                                    ctypes.byref(out)))
    return Graph._wrap(out)


def save_partition(path, graph, communities):
    """Write `node<TAB>community` lines, as `sgae cluster -o` does (header
    line, then the nodes with an id >= 0 in node order, under the graph's
    ids), atomically (temporary file renamed over `path`).  graph None:
    nodes are 0..n-1."""
    if graph is None:
        graph = _node_set(len(np.asarray(communities.labels if isinstance(
            communities, Clustering) else communities)))
    c = _partition(communities, _graph(graph, None).num_nodes, "communities")
    check(lib.sgae_communities_save(graph._ptr, as_ptr(c, _I32), _path(path)))


def load_partition(path, graph, skip_unknown=False):
    """(labels, class_names) of a `node community` file over the nodes of
    `graph` (as `sgae score --communities` reads it): labels int32 (n; -1
    for nodes not listed), numbered as the library numbers them (integers
    in numeric order, other names in order of appearance); class_names the
    ids as written.  A node not in the graph raises sgae.ParseError naming
    file:line, unless skip_unknown."""
    lab, names, _ = _load_partition(path, _graph(graph, None), skip_unknown)
    return lab, names


def _load_partition(path, g, skip_unknown):
    out = ctypes.POINTER(_lib.Labels)()
    skipped = ctypes.c_int64(0)
    check(lib.sgae_partition_load(_path(path), g._ptr, 1 if skip_unknown else 0,
                                  ctypes.byref(out), ctypes.byref(skipped)))
    try:
        L = out.contents
        lab = np.array(foreign_array(L.label, (L.n,), np.int32), copy=True)
        names = [L.class_names[k].decode("utf-8", "replace") if L.class_names else str(k)
                 for k in range(L.nclasses)]
    finally:
        lib.sgae_labels_free(out)
    return lab, names, skipped.value


def load_embeddings(path, ids=None):
    """(x, nodes) of embeddings as `sgae train --embeddings` writes them:
    x the n x dim float32 matrix (the array owns the library's buffer), nodes
    an edgeless sgae.Graph whose node r is row r, with the ids of the
    .ids.tsv file (ids None: PATH with .npy replaced by .ids.tsv)."""
    x = ctypes.POINTER(ctypes.c_float)()
    rows = ctypes.c_int64()
    cols = ctypes.c_int64()
    g = ctypes.POINTER(_lib.GraphStruct)()
    check(lib.sgae_embeddings_load(_path(path), None if ids is None else _path(ids, "ids"),
                                   ctypes.byref(x), ctypes.byref(rows), ctypes.byref(cols),
                                   ctypes.byref(g)))
    nodes = Graph._wrap(g)
    return foreign_array(x, (rows.value, cols.value), np.float32, free=True,
                         readonly=False), nodes


def align_embeddings(x, nodes, graph, what="embeddings"):
    """The rows of x (n x dim, node set `nodes` from load_embeddings)
    reordered to the nodes of `graph`, matched by the user's ids (as `sgae
    cluster --graph` does).  sgae.ArgumentError names a node without a row
    or a row without a node."""
    x = _embeddings(x)
    _graph(nodes, x.shape[0], "nodes")
    g = _graph(graph, None)
    row_of = np.empty(g.num_nodes, np.int64)
    check(lib.sgae_embeddings_align(nodes._ptr, g._ptr, str(what).encode(),
                                    as_ptr(row_of, ctypes.c_int64)))
    return x[row_of]


# ---- clustering -------------------------------------------------------------


class Clustering(_Record):
    """What sgae.cluster returns (the keys of `sgae cluster --json`).

    labels             int32 (n): community of each row, 0..communities-1
    communities        non-empty communities; k: k of the k-means run
    k_choice           "given", "automatic" or "previous"
    modularity         of labels (NaN without a graph); modularity_kmeans
                       before the refinement
    inertia, iterations, converged, restarts, best_restart, spherical, bounds,
    distances, distances_naive, seed_distances, relocated,
    seed_seconds, lloyd_seconds, kmeans_seconds, cluster_seconds
    centers            k x dim float32 (normalised when spherical)
    automatic_k        [(k, modularity, seconds)] of the automatic choice
    refined            and with it refine_moves, refine_rounds,
                       refine_seconds, refine_modularity_gain
    changed_nodes, nmi_previous, common_nodes, matched_communities,
    fresh_communities  with previous= (stable ids)
    """

    _SHOW = ("communities", "k", "modularity", "inertia", "iterations")

    def save(self, path, graph=None):
        """Write the partition as `sgae cluster -o` does (graph: whose ids
        name the nodes; default that of the clustering, else 0..n-1)."""
        save_partition(path, graph if graph is not None else self.graph, self.labels)

    def __len__(self):
        return len(self.labels)


def _int(name, v, lo, hi):
    try:
        v = int(v)
    except (TypeError, ValueError):
        raise TypeError("%s must be an integer, not %s" % (name, type(v).__name__)) from None
    if not lo <= v <= hi:
        raise ArgumentError("%s = %d is out of range %d..%d" % (name, v, lo, hi))
    return v


def cluster(embeddings, k=None, *, graph=None, refine=False, spherical=True, restarts=None,
            max_iter=None, tol=None, bounds=True, seed_sample=None, local_trials=None,
            seed=1, init=None, k_min=None, k_max=None, k_tol=None, max_rounds=None,
            previous=None, fresh=False, threads=None):
    """Cluster the rows of `embeddings` (n x dim: a NumPy array or an
    sgae.Result, whose mu is used) as `sgae cluster` does, options named as
    its flags: k-means++ seeding, Lloyd iterations with Hamerly's bounds,
    `restarts` runs keeping the lowest inertia; returns a Clustering.

    k          clusters; None: automatic (needs `graph`), or with previous=
               the number of yesterday's communities
    graph      sgae.Graph whose node i is row i (modularity, automatic k,
               refinement)
    refine     then local moves while modularity rises (needs graph)
    spherical  True (the CLI's default): cosine k-means; False: euclidean
    previous   yesterday's partition (n ids, -1 none): unless k is given or
               fresh=True k-means starts from its groups' means; then
               tonight's communities take yesterday's ids (sgae.match)
    restarts (3), max_iter (100), tol (1e-4), bounds, seed_sample,
    local_trials, seed (1), init (k x dim starting centers), k_min (2),
    k_max, k_tol (0.01), max_rounds (50), threads (OpenMP, None: as set)."""
    x = _embeddings(embeddings)
    n, dim = x.shape
    g = _graph(graph, n)
    o = _lib.ClusterOpts()
    lib.sgae_cluster_opts_default(ctypes.byref(o))
    km = o.kmeans
    km.spherical = 1 if spherical else 0
    km.bounds = 1 if bounds else 0
    km.seed = _int("seed", seed, 0, 2**64 - 1)
    km.k = 0 if k is None else _int("k", k, 1, 2**31 - 2)
    for name, v, lo in (("restarts", restarts, 1), ("max_iter", max_iter, 1),
                        ("seed_sample", seed_sample, 1), ("local_trials", local_trials, 1)):
        if v is not None:
            setattr(km, name, _int(name, v, lo, 2**31 - 2))
    if tol is not None:
        km.tol = float(tol)
    for name, v in (("k_min", k_min), ("k_max", k_max)):
        if v is not None:
            setattr(o, name, _int(name, v, 1, 2**31 - 2))
    if k_tol is not None:
        o.k_tol = float(k_tol)
    if max_rounds is not None:
        o.refine_opts.max_rounds = _int("max_rounds", max_rounds, 0, 10**8)
    o.refine = 1 if refine else 0
    keep = [x]
    if init is not None:
        c0 = np.ascontiguousarray(init, dtype=np.float32)
        if k is None or c0.shape != (km.k, dim):
            raise ArgumentError("init: expected k x %d starting centers, got shape %s"
                                % (dim, c0.shape))
        km.init = as_ptr(c0, ctypes.c_float)
        keep.append(c0)
    prev = None
    if previous is not None:
        prev = _partition(previous, n, "previous")
        if k is None and not fresh:
            o.start = as_ptr(prev, _I32)
    if g is None and km.k == 0 and not o.start:
        raise ArgumentError("cluster: without a graph, give k or previous (the automatic k "
                            "needs the graph)")
    r = _lib.ClusterResult()
    try:
        with _lib.threads(threads):
            check(lib.sgae_cluster(g._ptr if g is not None else None,
                                   as_ptr(x, ctypes.c_float), n, dim, ctypes.byref(o),
                                   ctypes.byref(r)))
        kr = r.kmeans
        out = dict(
            labels=np.array(np.ctypeslib.as_array(r.comm, (n,)) if n else [], np.int32),
            nodes=n, dim=dim, communities=int(r.communities), k=int(r.k),
            k_choice="previous" if o.start else ("given" if km.k > 0 else "automatic"),
            inertia=kr.inertia, iterations=int(kr.iterations), converged=bool(kr.converged),
            restarts=int(kr.restarts), best_restart=int(kr.best_restart),
            spherical=bool(km.spherical), bounds=bool(km.bounds),
            distances=int(kr.distances), distances_naive=int(kr.distances_naive),
            distances_saved=(1.0 - kr.distances / kr.distances_naive
                             if kr.distances_naive > 0 else math.nan),
            seed_distances=int(kr.seed_distances), relocated=int(kr.relocated),
            seed_seconds=kr.seed_seconds, lloyd_seconds=kr.lloyd_seconds,
            kmeans_seconds=kr.seconds, cluster_seconds=r.seconds,
            iteration_seconds=[kr.iter[q].seconds for q in range(kr.iterations)],
            iteration_distances=[int(kr.iter[q].distances) for q in range(kr.iterations)],
            iteration_changed=[int(kr.iter[q].changed) for q in range(kr.iterations)],
            centers=np.array(np.ctypeslib.as_array(kr.centers, (kr.k, dim)), np.float32)
            if kr.k and dim else np.zeros((0, dim), np.float32),
            automatic_k=[(int(r.autok[q].k), r.autok[q].modularity, r.autok[q].seconds)
                         for q in range(r.autok_count)],
            automatic_k_seconds=r.autok_seconds if r.autok_count else None,
            modularity_kmeans=r.modularity_kmeans, modularity=r.modularity,
            refined=bool(r.refined), graph=g)
        if r.refined:
            out.update(refine_moves=int(r.refine.moves), refine_rounds=int(r.refine.rounds),
                       refine_seconds=r.refine.seconds,
                       refine_modularity_gain=r.refine.modularity_after
                       - r.refine.modularity_before)
    finally:
        lib.sgae_cluster_result_clear(ctypes.byref(r))
    res = Clustering(**out)
    if prev is not None:
        res.labels, m = match(prev, res.labels)
        res.changed_nodes, res.nmi_previous = m["changed"], m["nmi"]
        res.common_nodes, res.matched_communities = m["common"], m["matched"]
        res.fresh_communities = m["fresh"]
    return res


def refine(graph, communities, *, max_rounds=None, threads=None):
    """Move nodes between neighbouring communities while modularity rises
    (sgae_refine): returns (labels, info) with labels a new int32 array
    renumbered 0..communities_after-1 and info a dict (modularity_before,
    modularity_after, rounds, moves, communities_before, communities_after,
    seconds).  The input array is not changed."""
    g = _graph(graph, None)
    c = np.array(_partition(communities, g.num_nodes, "communities"), copy=True)
    o = _lib.RefineOpts()
    lib.sgae_refine_opts_default(ctypes.byref(o))
    if max_rounds is not None:
        o.max_rounds = _int("max_rounds", max_rounds, 0, 10**8)
    r = _lib.RefineResult()
    with _lib.threads(threads):
        check(lib.sgae_refine(g._ptr, as_ptr(c, _I32), ctypes.byref(o), ctypes.byref(r)))
    return c, _fields(r)


def match(previous, communities):
    """Stable ids across nights (sgae_communities_match): tonight's
    communities renamed to yesterday's ids by an optimal assignment keeping
    the most nodes' ids, fresh ids above yesterday's largest for the others.
    Returns (labels, info): a new int32 array and a dict (common, changed,
    matched, fresh, kept, nmi)."""
    c = np.array(_partition(communities, len(np.asarray(
        communities.labels if isinstance(communities, Clustering) else communities)),
        "communities"), copy=True)
    p = _partition(previous, len(c), "previous")
    r = _lib.MatchResult()
    check(lib.sgae_communities_match(len(c), as_ptr(p, _I32), as_ptr(c, _I32),
                                     ctypes.byref(r)))
    return c, _fields(r)


# ---- scores -------------------------------------------------------------------


class Comparison(_Record):
    """What sgae.compare returns: nodes (compared), truth_classes,
    found_classes, mi, h_truth, h_found, emi, nmi, ari, ami, f1_truth,
    f1_found, f1 (scikit-learn's definitions; see sgae/cluster.h)."""

    _SHOW = ("nmi", "ari", "ami", "f1", "nodes")


def compare(truth, found):
    """Agreement of partition `found` with ground truth `truth` (n ids each,
    -1: unlabelled; compared on the nodes labelled in both): NMI, ARI, AMI
    and best-match F1, as a Comparison."""
    f = _partition(found, len(np.asarray(found.labels if isinstance(found, Clustering)
                                         else found)), "found")
    t = _partition(truth, len(f), "truth")
    c = _lib.Compare()
    check(lib.sgae_partition_compare(len(f), as_ptr(t, _I32), as_ptr(f, _I32),
                                     ctypes.byref(c)))
    return Comparison(**_fields(c))


class Score(_Record):
    """What sgae.score returns (the keys of `sgae score --json`):
    communities (= k), modularity, coverage, unassigned, singletons,
    size_min, size_median, size_mean, size_max, size_log2_histogram,
    conductance_mean/median/min/max; with a truth also truth_classes,
    truth_overlapping, truth_unknown_nodes, compared_nodes, nmi, ari, ami,
    f1_truth, f1_found, f1 (NMI/ARI/AMI None without a truth, NaN for an
    overlapping one)."""

    _SHOW = ("communities", "modularity", "nmi", "ari")


def _truth(truth, g, truth_format):
    """(partition or None, cover or None, skipped) of a truth array or file."""
    n = g.num_nodes
    if not isinstance(truth, (str, bytes, os.PathLike)):
        return _partition(truth, n, "truth"), None, 0
    p = _path(truth, "truth")
    if truth_format not in (None, "auto", "labels", "cmty"):
        raise ArgumentError("truth_format: expected labels, cmty or auto, got %r"
                            % (truth_format,))
    is_cover = truth_format == "cmty" or (truth_format in (None, "auto") and b".cmty" in p)
    if not is_cover:
        lab, _, skipped = _load_partition(p, g, True)
        return lab, None, skipped
    cover = _lib.Cover()
    skipped = ctypes.c_int64(0)
    check(lib.sgae_cover_load(p, g._ptr, 1, ctypes.byref(cover), ctypes.byref(skipped)))
    part = np.empty(n, np.int32)
    if lib.sgae_cover_to_partition(ctypes.byref(cover), as_ptr(part, _I32)):
        lib.sgae_cover_clear(ctypes.byref(cover))
        return part, None, skipped.value
    return None, cover, skipped.value


def score(graph, communities, truth=None, *, truth_format=None, threads=None):
    """Score a partition of `graph` as `sgae score` does: modularity, sizes,
    conductance; with `truth` also NMI/ARI/AMI and best-match F1.

    communities  n ids (an array or a Clustering), or a `node community`
                 file (as `sgae score --communities` reads it: every node
                 must be in the graph)
    truth        n ids (-1 unlabelled), or a file: `node label` lines, or a
                 SNAP .cmty cover (truth_format "cmty", or the name contains
                 .cmty); truth nodes not in the graph are skipped and counted
    Returns a Score."""
    g = _graph(graph, None)
    n = g.num_nodes
    if isinstance(communities, (str, bytes, os.PathLike)):
        comm, _ = load_partition(communities, g)
    else:
        comm = _partition(communities, n, "communities")
    ps = _lib.PartitionStats()
    with _lib.threads(threads):
        check(lib.sgae_partition_stats_compute(g._ptr, as_ptr(comm, _I32), ctypes.byref(ps)))
    d = _fields(ps)
    hist = list(ps.size_log2)
    last = max([b for b in range(32) if hist[b]] or [0])
    out = dict(nodes=n, edges=g.num_edges, communities=int(ps.communities),
               k=int(ps.communities), modularity=ps.modularity, coverage=ps.coverage,
               unassigned=int(ps.unassigned), singletons=int(ps.singletons),
               size_min=int(ps.size_min), size_median=ps.size_median, size_mean=ps.size_mean,
               size_max=int(ps.size_max), size_log2_histogram=hist[: last + 1],
               conductance_count=int(d["conductance_count"]),
               conductance_mean=ps.conductance_mean, conductance_median=ps.conductance_median,
               conductance_min=ps.conductance_min, conductance_max=ps.conductance_max,
               nmi=None, ari=None, ami=None)
    if truth is not None:
        part, cover, skipped = _truth(truth, g, truth_format)
        try:
            if part is not None:
                cmp = compare(part, comm).as_dict()
            else:
                f1t, f1f = ctypes.c_double(), ctypes.c_double()
                check(lib.sgae_cover_f1(ctypes.byref(cover), as_ptr(comm, _I32),
                                        ctypes.byref(f1t), ctypes.byref(f1f)))
                cmp = dict(nodes=0, truth_classes=int(cover.count), nmi=math.nan,
                           ari=math.nan, ami=math.nan, f1_truth=f1t.value,
                           f1_found=f1f.value, f1=0.5 * (f1t.value + f1f.value))
        finally:
            if cover is not None:
                lib.sgae_cover_clear(ctypes.byref(cover))
        out.update(truth_overlapping=cover is not None, truth_classes=int(cmp["truth_classes"]),
                   truth_unknown_nodes=int(skipped), compared_nodes=int(cmp["nodes"]),
                   nmi=cmp["nmi"], ari=cmp["ari"], ami=cmp["ami"], f1_truth=cmp["f1_truth"],
                   f1_found=cmp["f1_found"], f1=cmp["f1"])
    return Score(**out)


def modularity(graph, communities):
    """Newman's modularity of a partition of `graph` (sgae_modularity)."""
    g = _graph(graph, None)
    c = _partition(communities, g.num_nodes, "communities")
    q = ctypes.c_double()
    check(lib.sgae_modularity(g._ptr, as_ptr(c, _I32), ctypes.byref(q)))
    return q.value

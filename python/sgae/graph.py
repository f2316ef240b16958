"""Graphs, node features and labels: sgae.Graph, sgae.Features, sgae.load.

Ownership: a Graph owns its native sgae_graph and frees it when the Graph
object is collected.  The arrays it hands out without copying (indptr,
indices, ids) are read-only views whose base keeps the Graph alive, so they
never dangle.  Features (from sgae.load) own their native sparse matrix the
same way.
"""

import ctypes
import operator
import os
import sys

import numpy as np

from . import _lib
from ._buffers import as_ptr, foreign_array
from .errors import ArgumentError, check

lib = _lib.lib

_INT32_MAX = 2**31 - 1


def _scipy_sparse():
    """scipy.sparse if SciPy is importable, else None (SciPy is optional)."""
    try:
        import scipy.sparse

        return scipy.sparse
    except ImportError:
        return None


def _is_sparse(x):
    # a SciPy matrix can only exist if SciPy was imported: no import here
    sp = sys.modules.get("scipy.sparse")
    return sp is not None and sp.issparse(x)


def _path(p, what="path"):
    if isinstance(p, bytes):
        return p
    try:
        return os.fsencode(os.fspath(p))
    except TypeError:
        raise TypeError("%s must be a str or os.PathLike, not %s" % (what, type(p).__name__))


def _format(fmt):
    if fmt is None:
        return _lib.FORMATS["SGAE_FMT_AUTO"]
    f = ctypes.c_int(0)
    check(lib.sgae_format_parse(str(fmt).encode(), ctypes.byref(f)))
    return f.value


def _format_name(code):
    return lib.sgae_format_name(code).decode()


class Graph:
    """An undirected graph held by libsgae (CSR, no self-loops, no duplicates).

    Graph(edge_index, num_nodes=None)  a 2 x E integer array, as PyTorch
                                       Geometric holds it (any integer
                                       dtype; duplicates, self-loops,
                                       both directions and any order are
                                       fine: pairs are symmetrised, loops
                                       and duplicates dropped and counted)
    Graph(scipy_sparse_matrix)         a square SciPy sparse matrix: every
                                       stored nonzero (i, j) is an edge
    Graph("path", format=None)         any file sgae reads (edge list, mtx,
                                       LINQS, GML, .sgr; .gz/.zst)

    Nodes are 0..num_nodes-1; `ids` maps them back to the input's ids.
    `threads` (optional) is the OpenMP thread count of the construction.
    """

    __slots__ = ("_ptr", "__weakref__")

    def __init__(self, source, num_nodes=None, *, format=None, threads=None):
        self._ptr = None
        if isinstance(source, (str, bytes, os.PathLike)):
            if num_nodes is not None:
                raise TypeError("num_nodes is for edge_index input, not for a file")
            ptr = _load_graph(source, format, threads)
        elif _is_sparse(source):
            if num_nodes is not None:
                raise TypeError("num_nodes is for edge_index input, not for a sparse matrix")
            ptr = _from_scipy(source, threads)
        else:
            if format is not None:
                raise TypeError("format is for file input")
            ptr = _from_edge_index(source, num_nodes, threads)
        self._adopt(ptr)

    def _adopt(self, ptr):
        self._ptr = ptr
        _lib.track("graph", +1)

    @classmethod
    def _wrap(cls, ptr):
        g = cls.__new__(cls)
        g._ptr = None
        g._adopt(ptr)
        return g

    @classmethod
    def from_edge_index(cls, edge_index, num_nodes=None, *, threads=None):
        """From a 2 x E integer array (PyTorch Geometric's edge_index; a CPU
        torch tensor works too).  num_nodes defaults to max id + 1."""
        return cls._wrap(_from_edge_index(edge_index, num_nodes, threads))

    @classmethod
    def from_scipy(cls, matrix, *, threads=None):
        """From a square SciPy sparse matrix (any format); explicit zeros are
        not edges; (i, j) and (j, i) are the same edge."""
        return cls._wrap(_from_scipy(matrix, threads))

    @classmethod
    def load(cls, path, format=None, *, threads=None):
        """From a file (sgae_graph_load); format None detects it."""
        return cls._wrap(_load_graph(path, format, threads))

    def __del__(self):
        _lib.release(self, "_ptr", lib.sgae_graph_free, "graph")

    @property
    def _s(self):
        return self._ptr.contents

    # ---- sizes and counts -------------------------------------------------

    @property
    def num_nodes(self):
        return int(self._s.n)

    @property
    def num_edges(self):
        """Undirected edges (each counted once)."""
        s = self._s
        return int(s.adj.rowptr[s.n] // 2) if s.n else 0

    @property
    def input_edges(self):
        """Pairs / edge lines the construction read."""
        return int(self._s.input_edges)

    @property
    def self_loops(self):
        """Self-loops dropped by the construction."""
        return int(self._s.self_loops)

    @property
    def duplicates(self):
        """Duplicate pairs dropped (a pair seen again, including v u after u v)."""
        return int(self._s.duplicates)

    def __len__(self):
        return self.num_nodes

    def __repr__(self):
        return "sgae.Graph(num_nodes=%d, num_edges=%d)" % (self.num_nodes, self.num_edges)

    # ---- arrays -----------------------------------------------------------

    @property
    def indptr(self):
        """CSR row offsets (int64, n + 1), a read-only view into the graph."""
        s = self._s
        return foreign_array(s.adj.rowptr, (s.n + 1,), np.int64, owner=self)

    @property
    def indices(self):
        """CSR column ids (int32, 2E; each row sorted), a read-only view."""
        s = self._s
        nnz = s.adj.rowptr[s.n] if s.n else 0
        return foreign_array(s.adj.col, (nnz,), np.int32, owner=self)

    @property
    def ids(self):
        """The node id map: ids[i] is the input's id of node i.

        uint64, a read-only view into the graph for numeric ids (np.arange
        when the ids are 0..n-1 already, e.g. from edge_index); an object
        array of str for formats with string ids (LINQS)."""
        s = self._s
        n = int(s.n)
        if s.names:
            return np.array([s.names[i].decode("utf-8", "replace") for i in range(n)],
                            dtype=object)
        if s.ids:
            return foreign_array(s.ids, (n,), np.uint64, owner=self)
        return np.arange(n, dtype=np.uint64) + np.uint64(s.id_base)

    def degree(self):
        """Degree of every node (int64 array, a copy)."""
        return np.diff(self.indptr)

    def edge_index(self, both_directions=True):
        """The edges as a 2 x M int64 array (a new array): both directions
        (M = 2E, PyTorch Geometric's convention) or u < v only (M = E)."""
        ptr = self.indptr
        col = self.indices
        row = np.repeat(np.arange(self.num_nodes, dtype=np.int64), np.diff(ptr))
        if not both_directions:
            keep = row < col
            row, col = row[keep], col[keep]
        return np.stack([row, col.astype(np.int64)])

    def to_scipy(self):
        """The adjacency as a SciPy CSR matrix of float32 ones (a copy)."""
        sp = _scipy_sparse()
        if sp is None:
            raise ImportError("sgae.Graph.to_scipy needs SciPy (apt-get install python3-scipy)")
        n = self.num_nodes
        return sp.csr_matrix((np.ones(len(self.indices), np.float32), self.indices.copy(),
                              self.indptr.copy()), shape=(n, n))

    def stats(self):
        """Summary statistics (those of `sgae info`) as a dict."""
        st = _lib.GraphStats()
        check(lib.sgae_graph_stats_compute(self._ptr, ctypes.byref(st)))
        return {name: getattr(st, name) for name, _ in _lib.GraphStats._fields_}

    def components(self):
        """(count, labels): connected components, labels[i] in 0..count-1
        numbered by smallest node (int32 array)."""
        comp = np.empty(self.num_nodes, np.int32)
        cnt = ctypes.c_int64(0)
        check(lib.sgae_graph_components(self._ptr, as_ptr(comp, ctypes.c_int32),
                                        ctypes.byref(cnt)))
        return int(cnt.value), comp

    def save(self, path):
        """Write the graph: sgae's binary .sgr if the name ends in .sgr, else
        an edge list (zstd/gzip when the name ends in .zst/.gz)."""
        p = _path(path)
        if p.endswith(b".sgr"):
            check(lib.sgae_sgr_save(self._ptr, p, None))
        else:
            check(lib.sgae_edgelist_save(self._ptr, p, None))

    def save_ids(self, path):
        """Write "node_id<TAB>row" lines (sgae train --embeddings' .ids.tsv)."""
        check(lib.sgae_ids_save(self._ptr, _path(path)))


def _load_graph(path, fmt, threads):
    out = ctypes.POINTER(_lib.GraphStruct)()
    p = _path(path)
    f = _format(fmt)
    with _lib.threads(threads):
        st = lib.sgae_graph_load(p, f, ctypes.byref(out))
    check(st)
    return out


def _from_pairs(n, u, v, threads):
    if n > _INT32_MAX - 1:
        raise ArgumentError("graph: %d nodes is out of range (max %d)" % (n, _INT32_MAX - 1))
    out = ctypes.POINTER(_lib.GraphStruct)()
    with _lib.threads(threads):
        st = lib.sgae_graph_from_pairs(n, len(u), as_ptr(u, ctypes.c_int32),
                                       as_ptr(v, ctypes.c_int32), ctypes.byref(out))
    check(st)
    return out


def _from_edge_index(edge_index, num_nodes, threads):
    ei = np.asarray(edge_index)
    if ei.ndim != 2 or ei.shape[0] != 2:
        hint = " (transpose an E x 2 array with .T)" if ei.ndim == 2 and ei.shape[1] == 2 else ""
        raise ArgumentError("edge_index: expected a 2 x E array, got shape %s%s"
                            % (ei.shape, hint))
    if ei.dtype == np.bool_ or not np.issubdtype(ei.dtype, np.integer):
        raise ArgumentError("edge_index: expected an integer array, got dtype %s" % ei.dtype)
    m = ei.shape[1]
    lo = int(ei.min()) if m else 0
    hi = int(ei.max()) if m else -1
    if num_nodes is None:
        n = hi + 1
    else:
        try:
            n = operator.index(num_nodes)
        except TypeError:
            raise TypeError("num_nodes must be an integer, not %s" % type(num_nodes).__name__)
        if n < 0:
            raise ArgumentError("graph: num_nodes must be >= 0, got %d" % n)
    if m and (lo < 0 or hi >= n):
        bad = np.flatnonzero(((ei < 0) | (ei >= n)).any(axis=0))[0]
        raise ArgumentError("edge_index: pair %d (%d, %d) has a node id outside 0..%d"
                            % (bad, ei[0, bad], ei[1, bad], n - 1))
    if n > _INT32_MAX - 1:
        raise ArgumentError("graph: %d nodes is out of range (max %d)" % (n, _INT32_MAX - 1))
    u = np.ascontiguousarray(ei[0], dtype=np.int32)
    v = np.ascontiguousarray(ei[1], dtype=np.int32)
    return _from_pairs(n, u, v, threads)


def _from_scipy(matrix, threads):
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ArgumentError("graph: expected a square sparse matrix, got shape %s"
                            % (matrix.shape,))
    n = int(matrix.shape[0])
    coo = matrix.tocoo()
    keep = coo.data != 0
    row, col = coo.row, coo.col
    if not keep.all():
        row, col = row[keep], col[keep]
    u = np.ascontiguousarray(row, dtype=np.int32)
    v = np.ascontiguousarray(col, dtype=np.int32)
    return _from_pairs(n, u, v, threads)


class Features:
    """Node features loaded by libsgae: an n x dim sparse matrix (CSR,
    float32 values) owned by this object and freed with it.  Pass it as
    `features=` to sgae.train / sgae.Trainer as is (no copy), or convert it
    with tocsr() (SciPy) / toarray() (dense NumPy)."""

    __slots__ = ("_ptr", "__weakref__")

    def __init__(self, *a, **k):
        raise TypeError("sgae.Features come from sgae.load(..., features=PATH)")

    @classmethod
    def _wrap(cls, ptr):
        f = cls.__new__(cls)
        f._ptr = ptr
        _lib.track("features", +1)
        return f

    def __del__(self):
        _lib.release(self, "_ptr", lib.sgae_features_free, "features")

    @property
    def _csr(self):
        return self._ptr.contents.x

    @property
    def shape(self):
        x = self._csr
        return (int(x.nrows), int(x.ncols))

    @property
    def nnz(self):
        x = self._csr
        return int(x.rowptr[x.nrows]) if x.nrows else 0

    @property
    def indptr(self):
        """Row offsets (int64, rows + 1), a read-only view."""
        x = self._csr
        return foreign_array(x.rowptr, (x.nrows + 1,), np.int64, owner=self)

    @property
    def indices(self):
        """Column ids (int32, nnz), a read-only view."""
        return foreign_array(self._csr.col, (self.nnz,), np.int32, owner=self)

    @property
    def data(self):
        """Values (float32, nnz): a read-only view (ones for a pattern matrix)."""
        x = self._csr
        if not x.val:
            return np.ones(self.nnz, np.float32)
        return foreign_array(x.val, (self.nnz,), np.float32, owner=self)

    def tocsr(self):
        """A SciPy CSR matrix (float32) with copies of the arrays."""
        sp = _scipy_sparse()
        if sp is None:
            raise ImportError("sgae.Features.tocsr needs SciPy (apt-get install python3-scipy)")
        return sp.csr_matrix((self.data.copy(), self.indices.copy(), self.indptr.copy()),
                             shape=self.shape)

    def toarray(self):
        """A dense float32 n x dim array (sgae_csr_densify): the array owns
        the buffer the library allocated (freed with the array)."""
        out = ctypes.POINTER(ctypes.c_float)()
        check(lib.sgae_csr_densify(ctypes.byref(self._csr), ctypes.byref(out)))
        return foreign_array(out, self.shape, np.float32, free=True, readonly=False)

    def __repr__(self):
        return "sgae.Features(shape=%s, nnz=%d)" % (self.shape, self.nnz)


class Dataset:
    """What sgae.load returns.

    graph         sgae.Graph
    features      sgae.Features or None
    labels        int32 array (n; -1 = unlabelled) or None (a copy)
    class_names   list of str (labels' class names) or None
    format        the graph format read ("edgelist", "mtx", ...)
    load_seconds  float
    """

    def __init__(self, graph, features, labels, class_names, fmt, load_seconds):
        self.graph = graph
        self.features = features
        self.labels = labels
        self.class_names = class_names
        self.format = fmt
        self.load_seconds = load_seconds

    @property
    def num_classes(self):
        return len(self.class_names) if self.class_names is not None else 0

    def __repr__(self):
        return "sgae.Dataset(graph=%r, features=%r, labels=%s)" % (
            self.graph, self.features,
            None if self.labels is None else "%d classes" % self.num_classes)


def load(graph, *, features=None, labels=None, format=None, label_attr=None, verbose=False,
         threads=None):
    """Load a graph and optionally node features (Matrix Market, Planetoid
    convention: row r is node r-1; or a LINQS .content file) and labels (a
    "node label" file), exactly as `sgae train` does (sgae_dataset_load).
    Formats carrying their own features/labels (LINQS, GML) fill them in.
    verbose=True lets the library print its load progress on stderr."""
    o = _lib.LoadOpts()
    keep = [_path(graph, "graph")]
    o.graph = keep[0]
    o.format = _format(format)
    if features is not None:
        keep.append(_path(features, "features"))
        o.features = keep[-1]
    if labels is not None:
        keep.append(_path(labels, "labels"))
        o.labels = keep[-1]
    if label_attr is not None:
        keep.append(str(label_attr).encode())
        o.label_attr = keep[-1]
    if verbose:
        def _show(ctx, label, done, total):
            import sys
            if done < 0:
                sys.stderr.write("%s: done\n" % label.decode(errors="replace"))
            elif total > 0:
                sys.stderr.write("%s: %d / %d\n" % (label.decode(errors="replace"), done, total))
            else:
                sys.stderr.write("%s: %d\n" % (label.decode(errors="replace"), done))
        o.progress_fn = _lib.LOAD_PROGRESS_FN(_show)
        keep.append(o.progress_fn)
    ds = _lib.DatasetStruct()
    with _lib.threads(threads):
        st = lib.sgae_dataset_load(ctypes.byref(o), ctypes.byref(ds))
    check(st)
    # take the members over one by one (ds is emptied as they are adopted)
    try:
        # (a pointer field read from a ctypes struct shares the struct's
        # memory: cast gives a pointer of its own before the field is reset)
        g = Graph._wrap(ctypes.cast(ds.graph, ctypes.POINTER(_lib.GraphStruct)))
        ds.graph = None
        feats = None
        if ds.features:
            feats = Features._wrap(ctypes.cast(ds.features, ctypes.POINTER(_lib.Features)))
            ds.features = None
        lab = names = None
        if ds.labels:
            L = ds.labels.contents
            lab = np.array(foreign_array(L.label, (L.n,), np.int32), copy=True)
            names = [L.class_names[k].decode("utf-8", "replace") if L.class_names else str(k)
                     for k in range(L.nclasses)]
        return Dataset(g, feats, lab, names, _format_name(ds.format), ds.load_seconds)
    finally:
        lib.sgae_dataset_clear(ctypes.byref(ds))

"""Snapshots of a training run (sgae/snapshot.h): the same zstd files as
`sgae train --checkpoint`, readable by `sgae train --resume / --warm-start`,
`sgae info` and `sgae export`, and the other way round.

    t.save_snapshot("run.snap")            # sgae.Trainer: the whole state
    t2 = sgae.Trainer(g, X, epochs=400, seed=1)
    t2.resume("run.snap")                   # exact: same bits as running on
    t3.warm_start("run.snap")               # a changed graph, matched by ids
    s = sgae.Snapshot("run.snap")           # export without the graph
    mu, ids = s.embeddings("mu"), s.ids

Ownership: Snapshot.embeddings() arrays own the buffer the library
allocated (no copy); Snapshot.ids is a copy.  A Snapshot holds its file
open until close() (or the end of a `with` block, or collection).
"""

import ctypes

import numpy as np

from . import _lib
from ._buffers import Closing, foreign_array
from .errors import ArgumentError, check
from .graph import Graph, _path

lib = _lib.lib

_EMB = {"mu": 0, "logstd": 1, "z": 2, "best": 3}


def embedding_buffer(which, call):
    """(data, rows, cols) of embeddings `which` ("mu", "logstd", "z",
    "best"): call(code, &data, &rows, &cols) makes the library call."""
    if which not in _EMB:
        raise ArgumentError("embeddings: expected one of %s, got %r" % (", ".join(_EMB), which))
    data = ctypes.POINTER(ctypes.c_float)()
    rows = ctypes.c_int64()
    cols = ctypes.c_int64()
    check(call(_EMB[which], ctypes.byref(data), ctypes.byref(rows), ctypes.byref(cols)))
    return data, rows.value, cols.value


class Snapshot(Closing):
    """An open snapshot file (header, table and run section checked)."""

    def __init__(self, path):
        self._ptr = None
        self.path = path
        h = ctypes.c_void_p()
        check(lib.sgae_snapshot_open(_path(path), ctypes.byref(h)))
        self._ptr = h.value
        _lib.track("snapshot", +1)

    def close(self):
        _lib.release(self, "_ptr", lib.sgae_snapshot_free, "snapshot")

    def _h(self):
        if not self._ptr:
            raise ArgumentError("the snapshot is closed")
        return self._ptr

    @property
    def info(self):
        """A dict: version, epoch, epochs, nodes, edges, val_edges,
        test_edges, features, model, hidden, latent, seed, best_val_auc,
        best_val_ap, best_epoch, graph_hash, split_hash, features_hash,
        bytes, raw_bytes, sections (names)."""
        i = _lib.SnapshotInfo()
        lib.sgae_snapshot_info_get(self._h(), ctypes.byref(i))
        m = i.opts.model
        secs = []
        for k in range(i.sections):
            s = _lib.SnapshotSection()
            check(lib.sgae_snapshot_section_get(self._h(), k, ctypes.byref(s)))
            secs.append(s.name.decode())
        return {
            "version": "%d.%d" % (i.version_major, i.version_minor), "epoch": int(i.epoch),
            "epochs": int(i.opts.epochs), "nodes": int(i.nodes), "edges": int(i.edges),
            "val_edges": int(i.val_edges), "test_edges": int(i.test_edges),
            "features": int(i.features), "model": "vgae" if m.kind == 0 else "gae",
            "hidden": int(m.hidden), "latent": int(m.latent), "seed": int(m.seed),
            "best_val_auc": i.best_val_auc, "best_val_ap": i.best_val_ap,
            "best_epoch": int(i.best_epoch), "graph_hash": "%016x" % i.graph_hash,
            "split_hash": "%016x" % i.split_hash, "features_hash": "%016x" % i.features_hash,
            "bytes": int(i.file_bytes), "raw_bytes": int(i.raw_bytes), "sections": secs,
        }

    def verify(self):
        """Read every section and check its checksums (sgae.CorruptError
        names the file and the section)."""
        check(lib.sgae_snapshot_verify(self._h()))

    def embeddings(self, which="mu"):
        """The stored embeddings (as `sgae export`): "mu", "logstd" (VGAE),
        "z" (with the next epoch's noise) or "best"; n x latent float32,
        owned by the array."""
        data, rows, cols = embedding_buffer(
            which, lambda *a: lib.sgae_snapshot_embeddings(self._h(), *a))
        return foreign_array(data, (rows, cols), np.float32, free=True, readonly=False)

    def nodes(self):
        """The snapshot's nodes as an edgeless sgae.Graph carrying the id map."""
        out = ctypes.POINTER(_lib.GraphStruct)()
        check(lib.sgae_snapshot_id_graph(self._h(), ctypes.byref(out)))
        return Graph._wrap(out)

    @property
    def ids(self):
        """The node id map (row r of the embeddings is node ids[r]), a copy."""
        return np.array(self.nodes().ids, copy=True)

    def __repr__(self):
        if not self._ptr:
            return "sgae.Snapshot(closed)"
        i = self.info
        return "sgae.Snapshot(%r, epoch %d of %d, %d nodes)" % (self.path, i["epoch"],
                                                                 i["epochs"], i["nodes"])


def snapshot_opts(level=None, compress_threads=None, shuffle=None, keep=None):
    o = _lib.SnapshotOpts()
    lib.sgae_snapshot_opts_default(ctypes.byref(o))
    for name, v in (("level", level), ("threads", compress_threads), ("keep", keep)):
        if v is not None:
            setattr(o, name, int(v))
    if shuffle is not None:
        o.shuffle = 1 if shuffle else 0
    return o


def opened(snap):
    """(Snapshot, close_after) for a Snapshot or a path."""
    if isinstance(snap, Snapshot):
        return snap, False
    return Snapshot(snap), True

"""Training: sgae.train (one call) and sgae.Trainer (a run driven in steps).

Ownership
---------
- Result.mu (alias Result.embeddings) is the buffer sgae_trainer_result
  malloc'ed, owned by the NumPy array: no copy; free() is called when the
  array and every view of it are gone.  It does not depend on the trainer.
- Trainer.embeddings(which) returns by default a read-only VIEW into the
  trainer: its contents are valid until the next call on the trainer (step,
  evaluate, embeddings, result, state); the memory itself stays allocated as
  long as the view exists, even after Trainer.close() (the native trainer is
  then freed when its last view goes).  Pass copy=True for an array of your
  own.
- The gradient arrays handed to a grad_hook are writable views valid during
  the hook call only.
- Trainer.state() returns copies; Trainer.set_state() copies in.
- The trainer keeps its graph, split and features alive while it exists;
  Trainer.close() (or leaving a `with` block, or any exception out of
  sgae.train, KeyboardInterrupt included) frees them at once.

Threads
-------
threads=T runs every library call of the training with T OpenMP threads:
omp_set_num_threads(T) on the calling thread before each call and the
previous omp_get_max_threads() restored after it, so code between calls
(your progress callback, NumPy) sees the process's own setting.  libgomp keeps
this setting per thread, so other Python threads are not affected.  The
library pins OpenBLAS to one thread during its own calls and restores the
caller's OpenBLAS setting before returning; NumPy's settings are never
touched.  Results are bit-identical at any thread count.

Interrupts
----------
The training loop runs in Python, one library call per epoch (the GIL is
released during it), so Ctrl-C raises KeyboardInterrupt after the epoch
that was running when it came, and the trainer is freed on the way out.
"""

import collections
import ctypes
import math
import operator
import sys

import numpy as np

from . import _lib
from ._buffers import Closing, as_ptr, foreign_array
from .errors import ArgumentError, check
from .graph import Features, Graph, _is_sparse, _path
from .snapshot import _EMB, embedding_buffer, opened, snapshot_opts

lib = _lib.lib

EpochInfo = collections.namedtuple(
    "EpochInfo",
    "epoch epochs loss val_auc val_ap best_val_auc best_epoch epoch_seconds elapsed",
)
EpochInfo.__doc__ = """What one training step (epoch) reports.

epoch          1-based count of finished epochs
epochs         planned
loss           total loss of the epoch
val_auc/ap     validation metrics of this epoch's mu (NaN if not evaluated)
best_val_auc   best validation AUC so far; best_epoch its epoch
epoch_seconds  forward, loss, backward and Adam of this epoch
elapsed        seconds since the trainer was created"""

_SETS = {"val": 0, "test": 1}
_DTYPE = {0: np.float32, 1: np.float64, 2: np.int64}
_PHASES = None


def _phase_names():
    global _PHASES
    if _PHASES is None:
        _PHASES = [lib.sgae_phase_name(p).decode() for p in range(_lib.PHASE_COUNT)]
    return _PHASES


def _int(name, v, lo=-(2**63), hi=2**63 - 1):
    try:
        v = operator.index(v)
    except TypeError:
        raise TypeError("%s must be an integer, not %s" % (name, type(v).__name__)) from None
    if not lo <= v <= hi:
        raise ArgumentError("%s = %d is out of range %d..%d" % (name, v, lo, hi))
    return v


def _float(name, v):
    try:
        return float(v)
    except (TypeError, ValueError):
        raise TypeError("%s must be a number, not %s" % (name, type(v).__name__)) from None


def _bool(name, v):
    if not isinstance(v, (bool, np.bool_, int)):
        raise TypeError("%s must be a bool, not %s" % (name, type(v).__name__))
    return 1 if v else 0


def log_progress(every=10, file=None):
    """A progress callback printing a line like `sgae train`'s every
    `every` epochs (and at the last) to `file` (default sys.stderr)."""
    every = _int("every", every, 1)

    def report(info):
        if info.epoch % every and info.epoch != info.epochs:
            return
        out = file if file is not None else sys.stderr
        if math.isnan(info.val_auc):
            val = "best val AUC %.4f" % info.best_val_auc
        else:
            val = "val AUC %.4f (best %.4f)" % (info.val_auc, info.best_val_auc)
        eta = info.elapsed / info.epoch * (info.epochs - info.epoch)
        print("epoch %d/%d loss %.4f %s %.1f ms/epoch ETA %.0fs" % (
            info.epoch, info.epochs, info.loss, val, 1e3 * info.epoch_seconds, eta),
            file=out, flush=True)

    return report


class Result:
    """The outcome of a training run (sgae_train_result and more).

    test_auc, test_ap   of the kept embeddings (NaN without a test set)
    val_auc, val_ap     of the kept embeddings
    epochs, best_epoch  epochs run; epoch of the kept embeddings (0 = initial)
    final_loss
    epoch_seconds       median training step of this run
    train_seconds       since the trainer was created, evaluation included
    eval_seconds, split_seconds
    phase_seconds       dict: sample, spmm, pairs, dense, optim (summed)
    model_bytes, nodes, edges, train_edges, val_edges, test_edges, features
    mu                  n x latent float32, the kept embeddings (owned by
                        the array: no copy of the library's buffer);
                        `embeddings` is the same array
    history             epochs x 3 float64: loss, val AUC, val AP per epoch
    options             dict of the options in force (defaults resolved)
    graph               the sgae.Graph trained on (for ids / save)
    """

    def __init__(self, **kw):
        self.__dict__.update(kw)

    @property
    def embeddings(self):
        return self.mu

    @property
    def ids(self):
        """The node id map (row r of mu is node ids[r])."""
        return self.graph.ids

    def as_dict(self):
        """Metrics and figures as plain Python values (sgae train --json's keys)."""
        skip = {"mu", "history", "graph"}
        return {k: v for k, v in self.__dict__.items() if k not in skip}

    def save(self, path):
        """Write mu as .npy and the id map as .ids.tsv beside it, exactly as
        `sgae train --embeddings PATH` does (a trailing .npy is replaced for
        the id map's name).  Returns (npy_path, ids_path)."""
        p = _path(path)
        mu = np.ascontiguousarray(self.mu, dtype=np.float32)
        check(lib.sgae_npy_save(p, as_ptr(mu, ctypes.c_float), mu.shape[0], mu.shape[1]))
        ids = (p[:-4] if p.endswith(b".npy") else p) + b".ids.tsv"
        self.graph.save_ids(ids)
        conv = (lambda b: b.decode()) if isinstance(path, str) else (lambda b: b)
        return conv(p), conv(ids)

    def __repr__(self):
        return ("sgae.Result(test_auc=%.4f, test_ap=%.4f, val_auc=%.4f, epochs=%d, "
                "best_epoch=%d)" % (self.test_auc, self.test_ap, self.val_auc, self.epochs,
                                    self.best_epoch))


class _Native:
    """The native objects of one trainer, freed together once the Trainer
    is closed and no view into them is left."""

    def __init__(self):
        self.trainer = None  # sgae_trainer* (int)
        self.split = None  # _lib.Split, owned
        self.train_graph = None  # POINTER(GraphStruct), owned
        self.keep = []  # Python objects the native side points into
        self.dense = None  # densified features buffer (free())
        self.views = 0
        self.closing = False

    def release(self):
        self.closing = True
        if self.views == 0:
            self._free()

    def _free(self):
        _lib.release(self, "trainer", lib.sgae_trainer_free, "trainer")
        if self.train_graph:
            lib.sgae_graph_free(self.train_graph)
            self.train_graph = None
        if self.split is not None:
            lib.sgae_split_clear(ctypes.byref(self.split))
            self.split = None
        if self.dense:
            _lib.free(self.dense)
            self.dense = None
        self.keep = []

    def __del__(self):
        self._free()


class _View:
    """Base of an array viewing trainer memory: keeps the native trainer."""

    __slots__ = ("_native", "__weakref__")

    def __init__(self, native):
        self._native = native
        native.views += 1

    def __del__(self):
        n = self._native
        n.views -= 1
        if n.closing and n.views == 0:
            n._free()


class _HookState:
    def __init__(self, fn, native):
        self.fn = fn
        self.native = native
        self.exc = None


def _make_hook(state):
    def hook(ctx, epoch, grads, count):
        try:
            d = {}
            for k in range(count):
                g = grads[k]
                d[g.name.decode()] = foreign_array(g.data, (g.rows, g.cols), np.float32,
                                                   owner=_View(state.native), readonly=False)
            state.fn(int(epoch), d)
            return 0
        except BaseException as e:  # noqa: B902 (KeyboardInterrupt too)
            state.exc = e
            lib.sgae_error_set(_lib.STATUS["SGAE_E_ARG"], b"%s",
                               ("gradient hook raised %s" % type(e).__name__).encode())
            return _lib.STATUS["SGAE_E_ARG"]

    return _lib.GRAD_HOOK_FN(hook)


def _check_finite(a, what, where=None):
    """ArgumentError naming the first NaN/infinite value of `a` (the library
    would only see it as a non-finite loss, an epoch or two later)."""
    bad = ~np.isfinite(a)
    if bad.any():
        k = int(np.flatnonzero(bad.ravel())[0])
        rc = where(k) if where else np.unravel_index(k, a.shape)
        raise ArgumentError("%s: value %s at row %d, column %d is not finite"
                            % (what, a.ravel()[k], rc[0], rc[1]))


def _features_input(features, n, dense_features, native):
    """A ModelInput for `features`; what it points to goes to native.keep."""
    mi = _lib.ModelInput()
    if features is None:
        return mi, 0
    if isinstance(features, Features):
        native.keep.append(features)
        csr = features._csr
        if dense_features:
            out = ctypes.POINTER(ctypes.c_float)()
            check(lib.sgae_csr_densify(ctypes.byref(csr), ctypes.byref(out)))
            native.dense = ctypes.cast(out, ctypes.c_void_p).value
            mi.dense = out
            mi.dense_dim = csr.ncols
        else:
            mi.sparse = ctypes.pointer(csr)
            native.keep.append(mi.sparse)
        return mi, int(csr.ncols)
    if _is_sparse(features):
        x = features.tocsr()
        if x.shape[0] != n:
            raise ArgumentError("features: %d rows but the graph has %d nodes"
                                % (x.shape[0], n))
        if dense_features:
            return _features_input(np.asarray(x.todense()), n, False, native)
        if not x.has_canonical_format:
            x = x.copy()
            x.sum_duplicates()  # sorts each row's columns too
        indptr = np.ascontiguousarray(x.indptr, dtype=np.int64)
        indices = np.ascontiguousarray(x.indices, dtype=np.int32)
        data = np.ascontiguousarray(x.data, dtype=np.float32)
        nnz = len(data)
        _check_finite(data, "features", lambda k: (np.searchsorted(indptr, k, "right") - 1,
                                                   indices[k]))
        if (len(indptr) != n + 1 or indptr[0] != 0 or indptr[-1] != nnz
                or len(indices) != nnz or (n and np.any(np.diff(indptr) < 0))
                or (nnz and (indices.min() < 0 or indices.max() >= x.shape[1]))):
            raise ArgumentError("features: the sparse matrix is not a valid CSR")
        csr = _lib.Csr(n, x.shape[1], as_ptr(indptr, ctypes.c_int64),
                       as_ptr(indices, ctypes.c_int32), as_ptr(data, ctypes.c_float))
        mi.sparse = ctypes.pointer(csr)
        native.keep += [indptr, indices, data, csr, mi.sparse]
        return mi, int(x.shape[1])
    x = np.asarray(features)
    if x.ndim != 2:
        raise ArgumentError("features: expected a 2-D array (nodes x dim), got shape %s"
                            % (x.shape,))
    if x.shape[0] != n:
        raise ArgumentError("features: %d rows but the graph has %d nodes" % (x.shape[0], n))
    if not (np.issubdtype(x.dtype, np.floating) or np.issubdtype(x.dtype, np.integer)
            or x.dtype == np.bool_):
        raise ArgumentError("features: expected a numeric array, got dtype %s" % x.dtype)
    x = np.ascontiguousarray(x, dtype=np.float32)  # no copy if already float32, C order
    _check_finite(x, "features")
    native.keep.append(x)
    mi.dense = as_ptr(x, ctypes.c_float)
    mi.dense_dim = x.shape[1]
    return mi, int(x.shape[1])


class Trainer(Closing):
    """A training run driven in steps (sgae_trainer), on a link-prediction
    split of `graph`'s edges.

        with sgae.Trainer(g, features=X, epochs=200, seed=1) as t:
            while not t.done:
                info = t.step()              # one epoch: an EpochInfo
            auc, ap = t.evaluate("best", "test")
            res = t.result()                 # a Result (owns its mu)

    Options (keyword only; None = the library's default, as `sgae train`):
      model        "vgae" (default) or "gae"
      hidden       first-layer units (32); latent: embedding size (16, <= hidden)
      neg_ratio    negatives per training edge (10)
      neg_iid      i.i.d. uniform pairs instead of the permutation sampler
      neg_degree   i.i.d. pairs, second node ~ (degree+1)^0.75
      reject       drop negatives that are training edges (True)
      self_loops   pairs (i, i) are positives too (None: on with features)
      pos_weight (1), dropout (0), lr (0.01), beta1 (0.9), beta2 (0.999),
      adam_eps (1e-8), max_logstd (10)
      weight_decay L2 (None: 5e-4 with features, 0 without)
      epochs (800), patience (0: off), eval_every (1), min_epochs (50:
                   early stopping waits for that many epochs)
      val, test    validation / test fractions of the edges (0.05, 0.10)
      seed         of split, initialisation, negatives, noise (1)
      threads      OpenMP threads for this trainer's calls (None: as set)
      dense_features  multiply sgae.Features as a dense matrix
      grad_hook    callable(epoch, {"w0": g0, "w1": g1}) called after the
                   backward pass, before Adam, with writable float32 views
                   of the gradients (valid during the call); an exception
                   aborts the step (no update) and propagates
    features: None (featureless), a dense array (nodes x dim, any numeric
    dtype; float32 C-ordered arrays are used without a copy), a SciPy
    sparse matrix, or sgae.Features from sgae.load.
    """

    def __init__(self, graph, features=None, *, model=None, hidden=None, latent=None,
                 neg_ratio=None, neg_iid=None, neg_degree=None, reject=None, self_loops=None,
                 pos_weight=None, dropout=None, lr=None, beta1=None, beta2=None,
                 adam_eps=None, max_logstd=None, weight_decay=None, epochs=None,
                 patience=None, eval_every=None, min_epochs=None, val=0.05, test=0.10, seed=None,
                 threads=None, dense_features=False, grad_hook=None):
        self._native = None
        if not isinstance(graph, Graph):
            raise TypeError("graph must be an sgae.Graph (build one with sgae.Graph(...))")
        if threads is not None:
            threads = _int("threads", threads, 1, 4096)
        self._threads = threads
        self.graph = graph
        o = _lib.TrainOpts()
        lib.sgae_train_opts_default(ctypes.byref(o))
        mo = o.model
        if model is not None:
            kinds = {"vgae": 0, "gae": 1}
            if str(model).lower() not in kinds:
                raise ArgumentError("model: expected 'vgae' or 'gae', got %r" % (model,))
            mo.kind = kinds[str(model).lower()]
        for name, v in (("hidden", hidden), ("latent", latent)):
            if v is not None:
                setattr(mo, name, _int(name, v))
        for name, v in (("neg_ratio", neg_ratio), ("pos_weight", pos_weight),
                        ("dropout", dropout), ("lr", lr), ("beta1", beta1), ("beta2", beta2),
                        ("adam_eps", adam_eps), ("max_logstd", max_logstd),
                        ("weight_decay", weight_decay)):
            if v is not None:
                setattr(mo, name, _float(name, v))
        if neg_iid is not None:
            mo.neg_iid = _bool("neg_iid", neg_iid)
        if neg_degree is not None:
            mo.neg_degree = _bool("neg_degree", neg_degree)
        if reject is not None:
            mo.neg_reject = _bool("reject", reject)
        if self_loops is not None:
            mo.self_loops = _bool("self_loops", self_loops)
        if seed is not None:
            mo.seed = _int("seed", seed, 0, 2**64 - 1)
        for name, v in (("epochs", epochs), ("patience", patience),
                        ("eval_every", eval_every), ("min_epochs", min_epochs)):
            if v is not None:
                setattr(o, name, _int(name, v))
        if eval_every is not None and o.eval_every < 1:
            raise ArgumentError("eval_every must be >= 1, got %d" % o.eval_every)
        self._val = _float("val", val)
        self._test = _float("test", test)

        native = _Native()
        self._native = native
        try:
            n = graph.num_nodes
            mi, self._dim = _features_input(features, n, bool(dense_features), native)
            self._hook = None
            if grad_hook is not None:
                if not callable(grad_hook):
                    raise TypeError("grad_hook must be callable")
                self._hook = _HookState(grad_hook, native)
                o.grad_hook = _make_hook(self._hook)
                native.keep.append(o.grad_hook)
            native.keep.append(graph)
            split = _lib.Split()
            tg = ctypes.POINTER(_lib.GraphStruct)()
            tr = ctypes.c_void_p()
            with _lib.threads(threads):
                t0 = lib.sgae_now()
                st = lib.sgae_split_edges(graph._ptr, self._val, self._test, mo.seed,
                                          ctypes.byref(split))
                check(st)
                native.split = split
                check(lib.sgae_split_train_graph(ctypes.byref(split), graph._ptr,
                                                 ctypes.byref(tg)))
                native.train_graph = tg
                self._split_seconds = lib.sgae_now() - t0
                st = lib.sgae_trainer_create(tg, ctypes.byref(mi), ctypes.byref(split),
                                             ctypes.byref(o), ctypes.byref(tr))
            check(st)
            native.trainer = tr.value
            _lib.track("trainer", +1)
            native.keep.append(mi)
            self._counts = (split.train.count, split.val_pos.count, split.test_pos.count)
        except BaseException:
            self.close()
            raise

    # ---- lifetime -----------------------------------------------------------

    def close(self):
        """Free the native trainer (deferred while views into it exist)."""
        native, self._native = getattr(self, "_native", None), None
        if native is not None:
            native.release()

    def _t(self):
        if self._native is None:
            raise ArgumentError("the trainer is closed")
        return self._native.trainer

    def _call(self, fn, *args):
        with _lib.threads(self._threads):
            return fn(self._t(), *args)

    # ---- stepping -----------------------------------------------------------

    @property
    def done(self):
        """True once all epochs ran or early stopping triggered."""
        return bool(lib.sgae_trainer_done(self._t()))

    @property
    def epoch(self):
        """Epochs run so far (the RNG position)."""
        return int(lib.sgae_trainer_epoch(self._t()))

    @property
    def epochs(self):
        """Epochs planned."""
        return self.options["epochs"]

    def step(self):
        """Run one epoch; returns its EpochInfo.  After an error (a NaN loss:
        sgae.NumericError; the gradient hook's exception) the state is that
        before the step."""
        info = _lib.EpochInfo()
        st = self._call(lib.sgae_trainer_step, ctypes.byref(info))
        if self._hook is not None and self._hook.exc is not None:
            exc, self._hook.exc = self._hook.exc, None
            raise exc
        check(st)
        return EpochInfo(*(getattr(info, f) for f, _ in _lib.EpochInfo._fields_))

    def run(self, progress=None, *, checkpoint=None, checkpoint_every=10, keep=None):
        """Step until done, calling progress(EpochInfo) after every epoch;
        returns result().  KeyboardInterrupt (Ctrl-C) comes out after the
        running epoch; the trainer stays usable (state kept) unless closed.
        checkpoint: a snapshot path written every checkpoint_every epochs, at
        the end, and on KeyboardInterrupt before it propagates (as `sgae
        train --checkpoint` on SIGINT); keep as in save_snapshot."""
        if progress is not None and not callable(progress):
            raise TypeError("progress must be callable")
        every = _int("checkpoint_every", checkpoint_every, 1)
        saved = self.epoch if checkpoint is not None else None
        try:
            while not self.done:
                info = self.step()
                if checkpoint is not None and self.epoch % every == 0:
                    self.save_snapshot(checkpoint, keep=keep)
                    saved = self.epoch
                if progress is not None:
                    progress(info)
        except KeyboardInterrupt:
            if checkpoint is not None and self._native is not None and saved != self.epoch:
                self.save_snapshot(checkpoint, keep=keep)
            raise
        if checkpoint is not None and saved != self.epoch:
            self.save_snapshot(checkpoint, keep=keep)
        return self.result()

    # ---- embeddings and evaluation ------------------------------------------

    def embeddings(self, which="mu", copy=False):
        """n x latent float32 embeddings: "mu" (current parameters,
        evaluation mode), "logstd" (VGAE), "z" (mu + noise of the next
        epoch; mu for GAE) or "best" (the kept embeddings).  copy=False: a
        read-only view valid until the next trainer call; copy=True: a
        copy of your own."""
        data, rows, cols = embedding_buffer(
            which, lambda *a: self._call(lib.sgae_trainer_embeddings, *a))
        view = foreign_array(data, (rows, cols), np.float32, owner=_View(self._native))
        return view.copy() if copy else view

    mu = property(lambda self: self.embeddings("mu"),
                  doc='embeddings("mu") (a view valid until the next trainer call).')
    logstd = property(lambda self: self.embeddings("logstd"))
    z = property(lambda self: self.embeddings("z"))
    best = property(lambda self: self.embeddings("best"))

    def evaluate(self, which="mu", set="val"):
        """(ROC-AUC, AP) of embeddings "mu", "z" or "best" on the "val" or
        "test" pairs (NaN for an empty set); the training state is kept."""
        if which not in _EMB:
            raise ArgumentError("evaluate: expected one of %s, got %r"
                                % (", ".join(_EMB), which))
        if set not in _SETS:
            raise ArgumentError("evaluate: set must be 'val' or 'test', got %r" % (set,))
        auc = ctypes.c_double()
        ap = ctypes.c_double()
        check(self._call(lib.sgae_trainer_evaluate, _EMB[which], _SETS[set],
                         ctypes.byref(auc), ctypes.byref(ap)))
        return auc.value, ap.value

    def result(self):
        """The result so far (sgae_trainer_result): the current parameters
        compete with the kept embeddings on validation AUC, the winner is
        evaluated on the test pairs.  The training state is kept."""
        res = _lib.TrainResult()
        check(self._call(lib.sgae_trainer_result, ctypes.byref(res)))
        mu = foreign_array(res.embeddings, (res.n, res.latent), np.float32, free=True,
                           readonly=False)
        hist = self.state_get("history")[: res.epochs]
        opts = self.options
        g = self.graph
        return Result(
            test_auc=res.test_auc, test_ap=res.test_ap, val_auc=res.val_auc,
            val_ap=res.val_ap, epochs=int(res.epochs), best_epoch=int(res.best_epoch),
            final_loss=res.final_loss, epoch_seconds=res.epoch_seconds,
            train_seconds=res.train_seconds, eval_seconds=res.eval_seconds,
            split_seconds=self._split_seconds,
            phase_seconds=dict(zip(_phase_names(), list(res.phase_seconds))),
            model_bytes=int(res.model_bytes), nodes=int(res.n), latent=int(res.latent),
            edges=g.num_edges, train_edges=int(self._counts[0]),
            val_edges=int(self._counts[1]), test_edges=int(self._counts[2]),
            features=self._dim, options=opts, mu=mu, history=hist, graph=g)

    @property
    def options(self):
        """The options in force, every default resolved, as a dict."""
        o = _lib.TrainOpts()
        lib.sgae_trainer_options(self._t(), ctypes.byref(o))
        m = o.model
        return {
            "model": "vgae" if m.kind == 0 else "gae", "hidden": m.hidden,
            "latent": m.latent, "neg_ratio": m.neg_ratio,
            "negatives": "degree" if m.neg_degree else ("iid" if m.neg_iid else "permutation"),
            "reject": bool(m.neg_reject), "self_loops": bool(m.self_loops),
            "pos_weight": m.pos_weight, "dropout": m.dropout, "lr": m.lr, "beta1": m.beta1,
            "beta2": m.beta2, "adam_eps": m.adam_eps, "max_logstd": m.max_logstd,
            "weight_decay": m.weight_decay, "seed": m.seed, "epochs": o.epochs,
            "patience": o.patience, "eval_every": o.eval_every,
            "min_epochs": o.min_epochs, "val": self._val,
            "test": self._test, "threads": self._threads,
        }

    # ---- training state -------------------------------------------------------

    def state_info(self):
        """[(name, dtype, (rows, cols))] of the training state's arrays."""
        t = self._t()
        out = []
        for k in range(lib.sgae_trainer_state_count(t)):
            info = _lib.StateInfo()
            check(lib.sgae_trainer_state_info(t, k, ctypes.byref(info)))
            out.append((info.name.decode(), np.dtype(_DTYPE[info.dtype]),
                        (int(info.rows), int(info.cols))))
        return out

    def _index(self, name):
        k = lib.sgae_trainer_state_find(self._t(), str(name).encode())
        if k < 0:
            raise ArgumentError("state: no array %r (see Trainer.state_info())" % (name,))
        info = _lib.StateInfo()
        check(lib.sgae_trainer_state_info(self._t(), k, ctypes.byref(info)))
        return k, info

    def state_get(self, name):
        """A copy of state array `name` (shape (rows, cols))."""
        k, info = self._index(name)
        arr = np.empty((info.rows, info.cols), _DTYPE[info.dtype])
        check(lib.sgae_trainer_state_get(self._t(), k, arr.ctypes.data_as(ctypes.c_void_p),
                                         info.bytes))
        return arr

    def state(self):
        """The whole training state as {name: array copy}.  Setting it into
        a fresh Trainer made with the same graph, features and options, then
        stepping, gives the same bits as this trainer stepping on."""
        return {name: self.state_get(name) for name, _, _ in self.state_info()}

    def set_state(self, state):
        """Copy arrays in: a mapping {name: array} (any subset of state());
        each array must have that entry's size; it is converted to its dtype."""
        for name, value in state.items():
            k, info = self._index(name)
            dt = np.dtype(_DTYPE[info.dtype])
            arr = np.asarray(value)
            if arr.size != info.rows * info.cols:
                raise ArgumentError("state: %s needs %d x %d values, got shape %s"
                                    % (name, info.rows, info.cols, arr.shape))
            if arr.dtype != dt and not np.can_cast(arr.dtype, dt, "same_kind"):
                raise ArgumentError("state: %s is %s, got %s" % (name, dt, arr.dtype))
            arr = np.ascontiguousarray(arr, dtype=dt)
            check(lib.sgae_trainer_state_set(self._t(), k,
                                             arr.ctypes.data_as(ctypes.c_void_p), info.bytes))

    # ---- snapshots ------------------------------------------------------------

    def save_snapshot(self, path, *, level=None, compress_threads=None, shuffle=None,
                      keep=None):
        """Write the whole training state to `path` (sgae_snapshot_save: the
        file `sgae train --checkpoint` writes, atomically).  level: zstd
        level (1); compress_threads: zstd workers (0: the OpenMP count);
        keep K: keep the previous K-1 files as PATH.1 .. PATH.(K-1)."""
        o = snapshot_opts(level, compress_threads, shuffle, keep)
        check(self._call(lambda t: lib.sgae_snapshot_save(_path(path), t, ctypes.byref(o))))

    def resume(self, snapshot):
        """Exact resume (sgae_snapshot_restore) from a Snapshot or a path:
        this trainer must have the snapshot's graph, split, features and
        options (epochs may be larger); stepping on then gives the bits the
        saved run would have given.  Returns the epoch resumed at."""
        s, close = opened(snapshot)
        try:
            check(self._call(lambda t: lib.sgae_snapshot_restore(s._h(), t)))
        finally:
            if close:
                s.close()
        return self.epoch

    def warm_start(self, snapshot):
        """Warm start on a changed graph (sgae_snapshot_warm_start): weights
        of the nodes matched by the user's ids and the shared weights are
        copied, Adam and the epoch start afresh.  Returns the matched nodes."""
        s, close = opened(snapshot)
        matched = ctypes.c_int64(0)
        try:
            check(self._call(lambda t: lib.sgae_snapshot_warm_start(s._h(), t,
                                                                    ctypes.byref(matched))))
        finally:
            if close:
                s.close()
        return int(matched.value)

    def __repr__(self):
        if self._native is None:
            return "sgae.Trainer(closed)"
        return "sgae.Trainer(epoch %d of %d, %r)" % (self.epoch, self.epochs, self.graph)


def train(graph, features=None, *, progress=None, checkpoint=None, checkpoint_every=10,
          keep=None, resume=None, warm_start=None, **options):
    """Train a (V)GAE for link prediction and evaluate it, as `sgae train`
    does: split the edges (val/test fractions, seed), train for `epochs`
    keeping the mu of the best validation AUC, and score it on the test
    edges.  Returns a Result (metrics as attributes; mu owned by its array).

    graph     sgae.Graph
    features  None, a dense array, a SciPy sparse matrix or sgae.Features
    progress  callable(EpochInfo) after every epoch (e.g. sgae.log_progress())
    checkpoint, checkpoint_every, keep   snapshots as Trainer.run writes them
    resume    a snapshot (path or sgae.Snapshot) to continue exactly
    warm_start  a snapshot of a run on an earlier version of the graph
              (the matched node count is Result.warm_start_matched_nodes)
    options   those of sgae.Trainer (model, hidden, latent, epochs, lr, seed,
              threads, ...: the CLI's options with '-' as '_')

    Ctrl-C raises KeyboardInterrupt after the running epoch, with the
    trainer already freed."""
    if resume is not None and warm_start is not None:
        raise ArgumentError("resume and warm_start exclude each other")
    with Trainer(graph, features, **options) as t:
        resumed = t.resume(resume) if resume is not None else None
        matched = t.warm_start(warm_start) if warm_start is not None else None
        res = t.run(progress, checkpoint=checkpoint, checkpoint_every=checkpoint_every,
                    keep=keep)
        res.resumed_from_epoch = resumed
        res.warm_start_matched_nodes = matched
        return res

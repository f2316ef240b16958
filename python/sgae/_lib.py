"""ctypes declarations of libsgae's public C API (ABI level, no compiler).

This module mirrors the structs of include/sgae/*.h field by field; the test
tests/python/test_layout.py compares every offset and size with what the C
compiler says, so a header change that is not mirrored here fails the tests
instead of corrupting memory.

How the shared library is found (first hit wins):
  1. the environment variable SGAE_LIBRARY (a path to libsgae.so; the meson
     tests set it to the build tree's library);
  2. the library installed next to this module by `meson install`: its path
     is baked into sgae/_config.py at configure time;
  3. the dynamic linker's search (ctypes.util.find_library("sgae")).
"""

import collections
import ctypes
import ctypes.util
import os
import threading
from contextlib import contextmanager

c_int = ctypes.c_int
c_int32 = ctypes.c_int32
c_int64 = ctypes.c_int64
c_uint64 = ctypes.c_uint64
c_double = ctypes.c_double
c_float = ctypes.c_float
c_size_t = ctypes.c_size_t
c_char_p = ctypes.c_char_p
c_void_p = ctypes.c_void_p
P = ctypes.POINTER


# ---- structs (see include/sgae/*.h) --------------------------------------


class Csr(ctypes.Structure):  # sgae_csr
    _fields_ = [
        ("nrows", c_int64),
        ("ncols", c_int64),
        ("rowptr", P(c_int64)),
        ("col", P(c_int32)),
        ("val", P(c_float)),
    ]


class GraphStruct(ctypes.Structure):  # sgae_graph
    _fields_ = [
        ("n", c_int64),
        ("adj", Csr),
        ("ids", P(c_uint64)),
        ("names", P(c_char_p)),
        ("input_edges", c_int64),
        ("self_loops", c_int64),
        ("duplicates", c_int64),
        ("norm_valid", c_int),
        ("dinv_sqrt", P(c_float)),
        ("norm", Csr),
    ]


class GraphStats(ctypes.Structure):  # sgae_graph_stats
    _fields_ = [
        ("nodes", c_int64),
        ("edges", c_int64),
        ("self_loops", c_int64),
        ("duplicates", c_int64),
        ("isolated", c_int64),
        ("deg_min", c_int64),
        ("deg_max", c_int64),
        ("deg_median", c_double),
        ("deg_mean", c_double),
        ("components", c_int64),
        ("largest_component", c_int64),
        ("csr_bytes", c_int64),
    ]


class Labels(ctypes.Structure):  # sgae_labels
    _fields_ = [
        ("n", c_int64),
        ("label", P(c_int32)),
        ("nclasses", c_int32),
        ("class_names", P(c_char_p)),
    ]


class Features(ctypes.Structure):  # sgae_features
    _fields_ = [("x", Csr)]


# sgae_progress_fn(ctx, label, done, total) and sgae_progress_sink
LOAD_PROGRESS_FN = ctypes.CFUNCTYPE(None, c_void_p, c_char_p, c_int64, c_int64)


class LoadOpts(ctypes.Structure):  # sgae_load_opts
    _fields_ = [
        ("graph", c_char_p),
        ("format", c_int),
        ("features", c_char_p),
        ("labels", c_char_p),
        ("label_attr", c_char_p),
        ("progress_fn", LOAD_PROGRESS_FN),
        ("progress_ctx", c_void_p),
    ]


class DatasetStruct(ctypes.Structure):  # sgae_dataset
    _fields_ = [
        ("graph", P(GraphStruct)),
        ("features", P(Features)),
        ("labels", P(Labels)),
        ("load_seconds", c_double),
        ("format", c_int),
    ]


class Pairs(ctypes.Structure):  # sgae_pairs
    _fields_ = [("count", c_int64), ("u", P(c_int32)), ("v", P(c_int32))]


class Split(ctypes.Structure):  # sgae_split
    _fields_ = [
        ("n", c_int64),
        ("train", Pairs),
        ("val_pos", Pairs),
        ("val_neg", Pairs),
        ("test_pos", Pairs),
        ("test_neg", Pairs),
    ]


class ModelOpts(ctypes.Structure):  # sgae_model_opts
    _fields_ = [
        ("kind", c_int),
        ("hidden", c_int64),
        ("latent", c_int64),
        ("neg_ratio", c_double),
        ("neg_iid", c_int),
        ("neg_degree", c_int),
        ("neg_reject", c_int),
        ("self_loops", c_int),
        ("pos_weight", c_double),
        ("lr", c_double),
        ("beta1", c_double),
        ("beta2", c_double),
        ("adam_eps", c_double),
        ("weight_decay", c_double),
        ("dropout", c_double),
        ("max_logstd", c_double),
        ("seed", c_uint64),
    ]


class ModelInput(ctypes.Structure):  # sgae_model_input
    _fields_ = [("sparse", P(Csr)), ("dense", P(c_float)), ("dense_dim", c_int64)]


class EpochInfo(ctypes.Structure):  # sgae_epoch_info
    _fields_ = [
        ("epoch", c_int64),
        ("epochs", c_int64),
        ("loss", c_double),
        ("val_auc", c_double),
        ("val_ap", c_double),
        ("best_val_auc", c_double),
        ("best_epoch", c_int64),
        ("epoch_seconds", c_double),
        ("elapsed", c_double),
    ]


class GradBuffer(ctypes.Structure):  # sgae_grad_buffer
    _fields_ = [("name", c_char_p), ("data", P(c_float)), ("rows", c_int64), ("cols", c_int64)]


PROGRESS_FN = ctypes.CFUNCTYPE(None, c_void_p, P(EpochInfo))
GRAD_HOOK_FN = ctypes.CFUNCTYPE(c_int, c_void_p, c_int64, P(GradBuffer), c_int)


class TrainOpts(ctypes.Structure):  # sgae_train_opts
    _fields_ = [
        ("model", ModelOpts),
        ("epochs", c_int64),
        ("patience", c_int64),
        ("eval_every", c_int64),
        ("progress", PROGRESS_FN),
        ("progress_ctx", c_void_p),
        ("grad_hook", GRAD_HOOK_FN),
        ("grad_hook_ctx", c_void_p),
        ("interrupt", P(c_int)),
        ("min_epochs", c_int64),
    ]


PHASE_COUNT = 5  # SGAE_PHASE_COUNT (checked by the layout test)


class TrainResult(ctypes.Structure):  # sgae_train_result
    _fields_ = [
        ("val_auc", c_double),
        ("val_ap", c_double),
        ("test_auc", c_double),
        ("test_ap", c_double),
        ("epochs", c_int64),
        ("best_epoch", c_int64),
        ("final_loss", c_double),
        ("epoch_seconds", c_double),
        ("train_seconds", c_double),
        ("eval_seconds", c_double),
        ("phase_seconds", c_double * PHASE_COUNT),
        ("model_bytes", c_int64),
        ("n", c_int64),
        ("latent", c_int64),
        ("embeddings", P(c_float)),
    ]


class StateInfo(ctypes.Structure):  # sgae_state_info
    _fields_ = [
        ("name", c_char_p),
        ("dtype", c_int),
        ("rows", c_int64),
        ("cols", c_int64),
        ("bytes", c_size_t),
    ]


# Every mirrored struct, by its C name (the layout test walks this).
STRUCTS = {
    "sgae_csr": Csr,
    "sgae_graph": GraphStruct,
    "sgae_graph_stats": GraphStats,
    "sgae_labels": Labels,
    "sgae_features": Features,
    "sgae_load_opts": LoadOpts,
    "sgae_dataset": DatasetStruct,
    "sgae_pairs": Pairs,
    "sgae_split": Split,
    "sgae_model_opts": ModelOpts,
    "sgae_model_input": ModelInput,
    "sgae_epoch_info": EpochInfo,
    "sgae_grad_buffer": GradBuffer,
    "sgae_train_opts": TrainOpts,
    "sgae_train_result": TrainResult,
    "sgae_state_info": StateInfo,
}

# ---- enums ----------------------------------------------------------------

STATUS = {  # sgae_status
    "SGAE_OK": 0,
    "SGAE_E_ARG": 1,
    "SGAE_E_NOMEM": 2,
    "SGAE_E_IO": 3,
    "SGAE_E_PARSE": 4,
    "SGAE_E_CORRUPT": 5,
    "SGAE_E_FORMAT": 6,
    "SGAE_E_NUMERIC": 7,
    "SGAE_E_DEP": 8,
    "SGAE_E_INTERNAL": 9,
    "SGAE_E_INTERRUPTED": 10,
}
FORMATS = {  # sgae_format
    "SGAE_FMT_AUTO": 0,
    "SGAE_FMT_EDGELIST": 1,
    "SGAE_FMT_MTX": 2,
    "SGAE_FMT_LINQS": 3,
    "SGAE_FMT_GML": 4,
    "SGAE_FMT_SGR": 5,
}
MODEL_KINDS = {"SGAE_MODEL_VGAE": 0, "SGAE_MODEL_GAE": 1}
EMBEDDINGS = {"SGAE_EMB_MU": 0, "SGAE_EMB_LOGSTD": 1, "SGAE_EMB_Z": 2, "SGAE_EMB_BEST": 3}
EVAL_SETS = {"SGAE_SET_VAL": 0, "SGAE_SET_TEST": 1}
DTYPES = {"SGAE_DTYPE_F32": 0, "SGAE_DTYPE_F64": 1, "SGAE_DTYPE_I64": 2}
ENUMS = {}
for _table in (STATUS, FORMATS, MODEL_KINDS, EMBEDDINGS, EVAL_SETS, DTYPES):
    ENUMS.update(_table)
ENUMS["SGAE_PHASE_COUNT"] = PHASE_COUNT

# ---- functions --------------------------------------------------------------

# name: (restype, argtypes)
FUNCTIONS = {
    # error.h
    "sgae_status_string": (c_char_p, [c_int]),
    "sgae_last_error": (c_char_p, []),
    "sgae_error_clear": (None, []),
    # util.h
    "sgae_now": (c_double, []),
    "sgae_peak_rss": (c_int64, []),
    # graph.h
    "sgae_graph_free": (None, [P(GraphStruct)]),
    "sgae_graph_from_pairs": (c_int, [c_int64, c_int64, P(c_int32), P(c_int32),
                                      P(P(GraphStruct))]),
    "sgae_graph_copy_ids": (c_int, [P(GraphStruct), P(GraphStruct)]),
    "sgae_graph_stats_compute": (c_int, [P(GraphStruct), P(GraphStats)]),
    "sgae_graph_components": (c_int, [P(GraphStruct), P(c_int32), P(c_int64)]),
    # io.h
    "sgae_format_parse": (c_int, [c_char_p, P(c_int)]),
    "sgae_format_name": (c_char_p, [c_int]),
    "sgae_labels_free": (None, [P(Labels)]),
    "sgae_features_free": (None, [P(Features)]),
    "sgae_dataset_load": (c_int, [P(LoadOpts), P(DatasetStruct)]),
    "sgae_dataset_clear": (None, [P(DatasetStruct)]),
    "sgae_graph_load": (c_int, [c_char_p, c_int, P(P(GraphStruct))]),
    "sgae_sgr_save": (c_int, [P(GraphStruct), c_char_p, c_void_p]),
    "sgae_edgelist_save": (c_int, [P(GraphStruct), c_char_p, c_void_p]),
    # kernels.h
    "sgae_csr_densify": (c_int, [P(Csr), P(P(c_float))]),
    # metrics.h
    "sgae_auc_ap": (c_int, [P(c_float), c_int64, P(c_float), c_int64, P(c_double),
                            P(c_double)]),
    # train.h
    "sgae_split_edges": (c_int, [P(GraphStruct), c_double, c_double, c_uint64, P(Split)]),
    "sgae_split_clear": (None, [P(Split)]),
    "sgae_split_train_graph": (c_int, [P(Split), P(GraphStruct), P(P(GraphStruct))]),
    "sgae_train_opts_default": (None, [P(TrainOpts)]),
    "sgae_trainer_create": (c_int, [P(GraphStruct), P(ModelInput), P(Split), P(TrainOpts),
                                    P(c_void_p)]),
    "sgae_trainer_free": (None, [c_void_p]),
    "sgae_trainer_step": (c_int, [c_void_p, P(EpochInfo)]),
    "sgae_trainer_done": (c_int, [c_void_p]),
    "sgae_trainer_epoch": (c_int64, [c_void_p]),
    "sgae_trainer_options": (None, [c_void_p, P(TrainOpts)]),
    "sgae_trainer_embeddings": (c_int, [c_void_p, c_int, P(P(c_float)), P(c_int64),
                                        P(c_int64)]),
    "sgae_trainer_evaluate": (c_int, [c_void_p, c_int, c_int, P(c_double), P(c_double)]),
    "sgae_trainer_result": (c_int, [c_void_p, P(TrainResult)]),
    "sgae_trainer_state_count": (c_int, [c_void_p]),
    "sgae_trainer_state_info": (c_int, [c_void_p, c_int, P(StateInfo)]),
    "sgae_trainer_state_find": (c_int, [c_void_p, c_char_p]),
    "sgae_trainer_state_get": (c_int, [c_void_p, c_int, c_void_p, c_size_t]),
    "sgae_trainer_state_set": (c_int, [c_void_p, c_int, c_void_p, c_size_t]),
    "sgae_npy_save": (c_int, [c_char_p, P(c_float), c_int64, c_int64]),
    "sgae_ids_save": (c_int, [P(GraphStruct), c_char_p]),
    "sgae_phase_name": (c_char_p, [c_int]),
    # CLUSTERING (merge): sgae_cluster / sgae_score are declared here once
    # their C API is on main; see sgae/__init__.py.
}


class LibraryNotFound(ImportError):
    """libsgae.so could not be found or loaded."""


def _candidates():
    env = os.environ.get("SGAE_LIBRARY")
    if env:
        return [("SGAE_LIBRARY", env)]
    out = []
    try:
        from . import _config  # written by meson at configure time

        out.append(("installed", os.path.join(_config.LIBDIR, _config.LIBNAME)))
    except ImportError:
        pass
    found = ctypes.util.find_library("sgae")
    if found:
        out.append(("ctypes.util.find_library", found))
    return out


def _load():
    tried = []
    for how, path in _candidates():
        try:
            return ctypes.CDLL(path), path
        except OSError as e:
            tried.append("%s (%s): %s" % (path, how, e))
    raise LibraryNotFound(
        "sgae: cannot load libsgae.so; tried: "
        + ("; ".join(tried) if tried else "nothing (SGAE_LIBRARY unset, not installed)")
        + ". Set SGAE_LIBRARY=/path/to/libsgae.so or run `meson install`."
    )


lib, path = _load()

for _name, (_res, _args) in FUNCTIONS.items():
    try:
        _f = getattr(lib, _name)
    except AttributeError:
        raise LibraryNotFound(
            "sgae: %s does not export %s (a libsgae older than this module?)" % (path, _name)
        ) from None
    _f.restype = _res
    _f.argtypes = _args

# sgae_error_set is variadic: called with a "%s" format only.
lib.sgae_error_set.restype = c_int

# The C library's free(), for buffers libsgae returns "free() it" (the
# process has one malloc: the same libc every shared object uses).
_libc = ctypes.CDLL(None)
free = _libc.free
free.restype = None
free.argtypes = [c_void_p]

# ---- OpenMP thread count ---------------------------------------------------
#
# libsgae parallelises with OpenMP (libgomp).  omp_set_num_threads() sets the
# nthreads-var ICV of the CALLING thread only (for a thread not created by
# OpenMP libgomp keeps a per-thread copy), so setting it around a library call
# made from this thread and restoring omp_get_max_threads()'s previous value
# afterwards changes nothing for other threads, NumPy or OpenBLAS.

_omp = None
try:
    # dlsym on libsgae's handle also searches its dependencies (libgomp)
    _omp = (lib.omp_get_max_threads, lib.omp_set_num_threads)
except AttributeError:
    _gomp = ctypes.util.find_library("gomp")
    if _gomp:
        _g = ctypes.CDLL(_gomp)
        _omp = (_g.omp_get_max_threads, _g.omp_set_num_threads)
if _omp:
    _omp[0].restype = c_int
    _omp[0].argtypes = []
    _omp[1].restype = None
    _omp[1].argtypes = [c_int]


def omp_max_threads():
    """OpenMP's thread count for this thread (omp_get_max_threads())."""
    return _omp[0]() if _omp else 1


@contextmanager
def threads(n):
    """Run the enclosed library calls with n OpenMP threads (None: as set)."""
    if n is None or _omp is None:
        yield
        return
    prev = _omp[0]()
    _omp[1](int(n))
    try:
        yield
    finally:
        _omp[1](prev)


# ---- live native objects (for tests: nothing leaks on an interrupt) --------

_live = collections.Counter()
_live_lock = threading.Lock()


def track(kind, delta):
    with _live_lock:
        _live[kind] += delta


def live_objects():
    """Native objects this module created and has not freed yet, by kind."""
    with _live_lock:
        return {k: v for k, v in _live.items() if v}

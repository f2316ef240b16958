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
        ("id_base", c_uint64),
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
        ("weighted", c_int64),
        ("weight_total", c_double),
        ("weight_min", c_double),
        ("weight_max", c_double),
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
        ("memory_budget", c_int64),
        ("weighted", c_int),
        ("strict", c_int),
    ]


class DatasetStruct(ctypes.Structure):  # sgae_dataset
    _fields_ = [
        ("graph", P(GraphStruct)),
        ("features", P(Features)),
        ("labels", P(Labels)),
        ("load_seconds", c_double),
        ("format", c_int),
        ("warnings", c_int),
        ("warning", ctypes.c_char * 256),
        ("dropped_citations", c_int64),
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


class ProgressSink(ctypes.Structure):  # sgae_progress_sink
    _fields_ = [("fn", LOAD_PROGRESS_FN), ("ctx", c_void_p)]


# ---- cluster.h ------------------------------------------------------------


class KmeansOpts(ctypes.Structure):  # sgae_kmeans_opts
    _fields_ = [
        ("k", c_int64),
        ("restarts", c_int64),
        ("max_iter", c_int64),
        ("tol", c_double),
        ("spherical", c_int),
        ("bounds", c_int),
        ("seed_sample", c_int64),
        ("local_trials", c_int64),
        ("seed", c_uint64),
        ("init", P(c_float)),
        ("progress", ProgressSink),
    ]


class KmeansIter(ctypes.Structure):  # sgae_kmeans_iter
    _fields_ = [("seconds", c_double), ("distances", c_int64), ("changed", c_int64)]


class KmeansResult(ctypes.Structure):  # sgae_kmeans_result
    _fields_ = [
        ("n", c_int64),
        ("dim", c_int64),
        ("k", c_int64),
        ("assign", P(c_int32)),
        ("centers", P(c_float)),
        ("inertia", c_double),
        ("iterations", c_int64),
        ("converged", c_int),
        ("best_restart", c_int64),
        ("restarts", c_int64),
        ("distances", c_int64),
        ("distances_naive", c_int64),
        ("seed_distances", c_int64),
        ("relocated", c_int64),
        ("seed_seconds", c_double),
        ("lloyd_seconds", c_double),
        ("seconds", c_double),
        ("iter", P(KmeansIter)),
    ]


class PartitionStats(ctypes.Structure):  # sgae_partition_stats
    _fields_ = [
        ("communities", c_int64),
        ("unassigned", c_int64),
        ("singletons", c_int64),
        ("size_min", c_int64),
        ("size_max", c_int64),
        ("size_mean", c_double),
        ("size_median", c_double),
        ("size_log2", c_int64 * 32),
        ("modularity", c_double),
        ("coverage", c_double),
        ("conductance_count", c_int64),
        ("conductance_mean", c_double),
        ("conductance_median", c_double),
        ("conductance_min", c_double),
        ("conductance_max", c_double),
    ]


class Compare(ctypes.Structure):  # sgae_compare
    _fields_ = [
        ("nodes", c_int64),
        ("truth_classes", c_int64),
        ("found_classes", c_int64),
        ("mi", c_double),
        ("h_truth", c_double),
        ("h_found", c_double),
        ("emi", c_double),
        ("nmi", c_double),
        ("ari", c_double),
        ("ami", c_double),
        ("f1_truth", c_double),
        ("f1_found", c_double),
        ("f1", c_double),
    ]


class Cover(ctypes.Structure):  # sgae_cover
    _fields_ = [("n", c_int64), ("count", c_int64), ("ptr", P(c_int64)), ("node", P(c_int32))]


class RefineOpts(ctypes.Structure):  # sgae_refine_opts
    _fields_ = [("max_rounds", c_int64), ("progress", ProgressSink)]


class RefineResult(ctypes.Structure):  # sgae_refine_result
    _fields_ = [
        ("modularity_before", c_double),
        ("modularity_after", c_double),
        ("rounds", c_int64),
        ("moves", c_int64),
        ("communities_before", c_int64),
        ("communities_after", c_int64),
        ("seconds", c_double),
    ]


class MatchResult(ctypes.Structure):  # sgae_match_result
    _fields_ = [
        ("common", c_int64),
        ("changed", c_int64),
        ("matched", c_int64),
        ("fresh", c_int64),
        ("kept", c_int64),
        ("nmi", c_double),
    ]


class ClusterOpts(ctypes.Structure):  # sgae_cluster_opts
    _fields_ = [
        ("kmeans", KmeansOpts),
        ("start", P(c_int32)),
        ("k_min", c_int64),
        ("k_max", c_int64),
        ("k_tol", c_double),
        ("refine", c_int),
        ("refine_opts", RefineOpts),
    ]


class AutokPoint(ctypes.Structure):  # sgae_autok_point
    _fields_ = [("k", c_int64), ("modularity", c_double), ("seconds", c_double)]


class ClusterResult(ctypes.Structure):  # sgae_cluster_result
    _fields_ = [
        ("n", c_int64),
        ("comm", P(c_int32)),
        ("k", c_int64),
        ("communities", c_int64),
        ("kmeans", KmeansResult),
        ("refined", c_int),
        ("refine", RefineResult),
        ("modularity_kmeans", c_double),
        ("modularity", c_double),
        ("autok_count", c_int64),
        ("autok", P(AutokPoint)),
        ("autok_seconds", c_double),
        ("seconds", c_double),
    ]


# ---- snapshot.h -------------------------------------------------------------


class SnapshotOpts(ctypes.Structure):  # sgae_snapshot_opts
    _fields_ = [
        ("level", c_int),
        ("threads", c_int),
        ("shuffle", c_int),
        ("keep", c_int),
        ("embeddings", c_int),
    ]


class SnapshotInfo(ctypes.Structure):  # sgae_snapshot_info
    _fields_ = [
        ("version_major", c_int),
        ("version_minor", c_int),
        ("epoch", c_int64),
        ("nodes", c_int64),
        ("edges", c_int64),
        ("val_edges", c_int64),
        ("test_edges", c_int64),
        ("graph_hash", c_uint64),
        ("split_hash", c_uint64),
        ("features_hash", c_uint64),
        ("features", c_int64),
        ("opts", TrainOpts),
        ("best_val_auc", c_double),
        ("best_val_ap", c_double),
        ("best_epoch", c_int64),
        ("file_bytes", c_int64),
        ("raw_bytes", c_int64),
        ("sections", c_int),
    ]


class SnapshotSection(ctypes.Structure):  # sgae_snapshot_section
    _fields_ = [("name", c_char_p), ("bytes", c_int64), ("raw_bytes", c_int64)]


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
    "sgae_progress_sink": ProgressSink,
    "sgae_kmeans_opts": KmeansOpts,
    "sgae_kmeans_iter": KmeansIter,
    "sgae_kmeans_result": KmeansResult,
    "sgae_partition_stats": PartitionStats,
    "sgae_compare": Compare,
    "sgae_cover": Cover,
    "sgae_refine_opts": RefineOpts,
    "sgae_refine_result": RefineResult,
    "sgae_match_result": MatchResult,
    "sgae_cluster_opts": ClusterOpts,
    "sgae_autok_point": AutokPoint,
    "sgae_cluster_result": ClusterResult,
    "sgae_snapshot_opts": SnapshotOpts,
    "sgae_snapshot_info": SnapshotInfo,
    "sgae_snapshot_section": SnapshotSection,
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
    # cluster.h
    "sgae_kmeans_opts_default": (None, [P(KmeansOpts)]),
    "sgae_modularity": (c_int, [P(GraphStruct), P(c_int32), P(c_double)]),
    "sgae_partition_stats_compute": (c_int, [P(GraphStruct), P(c_int32), P(PartitionStats)]),
    "sgae_partition_compare": (c_int, [c_int64, P(c_int32), P(c_int32), P(Compare)]),
    "sgae_cover_clear": (None, [P(Cover)]),
    "sgae_cover_f1": (c_int, [P(Cover), P(c_int32), P(c_double), P(c_double)]),
    "sgae_cover_to_partition": (c_int, [P(Cover), P(c_int32)]),
    "sgae_refine_opts_default": (None, [P(RefineOpts)]),
    "sgae_refine": (c_int, [P(GraphStruct), P(c_int32), P(RefineOpts), P(RefineResult)]),
    "sgae_communities_match": (c_int, [c_int64, P(c_int32), P(c_int32), P(MatchResult)]),
    "sgae_cluster_opts_default": (None, [P(ClusterOpts)]),
    "sgae_cluster": (c_int, [P(GraphStruct), P(c_float), c_int64, c_int64, P(ClusterOpts),
                             P(ClusterResult)]),
    "sgae_cluster_result_clear": (None, [P(ClusterResult)]),
    "sgae_embeddings_load": (c_int, [c_char_p, c_char_p, P(P(c_float)), P(c_int64),
                                     P(c_int64), P(P(GraphStruct))]),
    "sgae_embeddings_align": (c_int, [P(GraphStruct), P(GraphStruct), c_char_p, P(c_int64)]),
    "sgae_partition_load": (c_int, [c_char_p, P(GraphStruct), c_int, P(P(Labels)),
                                    P(c_int64)]),
    "sgae_cover_load": (c_int, [c_char_p, P(GraphStruct), c_int, P(Cover), P(c_int64)]),
    "sgae_communities_save": (c_int, [P(GraphStruct), P(c_int32), c_char_p]),
    # snapshot.h
    "sgae_snapshot_opts_default": (None, [P(SnapshotOpts)]),
    "sgae_snapshot_save": (c_int, [c_char_p, c_void_p, P(SnapshotOpts)]),
    "sgae_snapshot_open": (c_int, [c_char_p, P(c_void_p)]),
    "sgae_snapshot_free": (None, [c_void_p]),
    "sgae_snapshot_info_get": (None, [c_void_p, P(SnapshotInfo)]),
    "sgae_snapshot_section_get": (c_int, [c_void_p, c_int, P(SnapshotSection)]),
    "sgae_snapshot_verify": (c_int, [c_void_p]),
    "sgae_snapshot_restore": (c_int, [c_void_p, c_void_p]),
    "sgae_snapshot_warm_start": (c_int, [c_void_p, c_void_p, P(c_int64)]),
    "sgae_snapshot_embeddings": (c_int, [c_void_p, c_int, P(P(c_float)), P(c_int64),
                                         P(c_int64)]),
    "sgae_snapshot_id_graph": (c_int, [c_void_p, P(P(GraphStruct))]),
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


def release(obj, attr, free_fn, kind):
    """Free the native object held in obj.<attr> with free_fn, once: the
    attribute becomes None and the live count of `kind` drops."""
    ptr = getattr(obj, attr)
    if ptr:
        free_fn(ptr)
        setattr(obj, attr, None)
        track(kind, -1)


def live_objects():
    """Native objects this module created and has not freed yet, by kind."""
    with _live_lock:
        return {k: v for k, v in _live.items() if v}

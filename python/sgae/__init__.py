"""sgae: sparse-graph auto-encoders (VGAE/GAE) over libsgae.

    import sgae
    g = sgae.Graph(edge_index)                       # 2 x E, as PyTorch Geometric
    res = sgae.train(g, features=X, model="vgae", epochs=200, seed=1)
    print(res.test_auc, res.test_ap)
    Z = res.mu                                       # n x 16 float32

A thin ctypes binding of the shared library (no compiled extension): graphs
from NumPy edge_index arrays, SciPy sparse matrices or any file sgae reads;
training with the `sgae train` options as keyword arguments; the stepped
trainer (sgae.Trainer) with embeddings as NumPy arrays and the training
state as a dict of arrays; errors as sgae.Error subclasses carrying the
library's message.  See the docstrings of sgae.graph and sgae.train for who
owns which array, and README.md ("Python") for how the library is found.
"""

from . import _lib
from .errors import (
    ArgumentError,
    CorruptError,
    DependencyError,
    Error,
    FileError,
    FormatError,
    InternalError,
    Interrupted,
    NumericError,
    OutOfMemoryError,
    ParseError,
)
from .graph import Dataset, Features, Graph, load
from .metrics import auc_ap
from .train import EpochInfo, Result, Trainer, log_progress, train

__version__ = "0.1.0"

#: path of the libsgae shared library in use
library_path = _lib.path

# ---------------------------------------------------------------------------
# CLUSTERING (merge): sgae.cluster(embeddings, k, ...) and sgae.score(labels,
# truth) bind the C clustering/scoring API another helper is writing.  The
# lead adds them here (and their declarations in _lib.FUNCTIONS) at merge;
# until then they are absent on purpose: `hasattr(sgae, "cluster")` is False.
# ---------------------------------------------------------------------------


def max_threads():
    """OpenMP's thread count for library calls from this thread."""
    return _lib.omp_max_threads()


__all__ = [
    "ArgumentError", "CorruptError", "Dataset", "DependencyError", "EpochInfo", "Error",
    "Features", "FileError", "FormatError", "Graph", "InternalError", "Interrupted",
    "NumericError", "OutOfMemoryError", "ParseError", "Result", "Trainer", "auc_ap",
    "library_path", "load", "log_progress", "max_threads", "train",
]

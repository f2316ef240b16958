"""sgae: sparse-graph auto-encoders (VGAE/GAE) over libsgae.

    import sgae
    g = sgae.Graph(edge_index)                       # 2 x E, as PyTorch Geometric
    res = sgae.train(g, features=X, model="vgae", epochs=200, seed=1)
    print(res.test_auc, res.test_ap)
    Z = res.mu                                       # n x 16 float32
    c = sgae.cluster(Z, k=7)                         # k-means, as sgae cluster
    print(sgae.compare(y, c.labels).nmi)             # NMI against labels y

A thin ctypes binding of the shared library (no compiled extension): graphs
from NumPy edge_index arrays, SciPy sparse matrices or any file sgae reads;
training with the `sgae train` options as keyword arguments; the stepped
trainer (sgae.Trainer) with embeddings as NumPy arrays and the training
state as a dict of arrays; clustering and scoring of the embeddings
(sgae.cluster, sgae.score, sgae.compare, sgae.refine, sgae.match);
snapshots (Trainer.save_snapshot / resume / warm_start, sgae.Snapshot for
export, train(checkpoint=..., resume=...)); errors as sgae.Error subclasses carrying the
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
from .cluster import (
    Clustering,
    Comparison,
    Score,
    align_embeddings,
    cluster,
    compare,
    load_embeddings,
    load_partition,
    match,
    modularity,
    refine,
    save_partition,
    score,
)
from .graph import Dataset, Features, Graph, load
from .snapshot import Snapshot
from .metrics import auc_ap
from .train import EpochInfo, Result, Trainer, log_progress, train

__version__ = "0.1.0"

#: path of the libsgae shared library in use
library_path = _lib.path



def max_threads():
    """OpenMP's thread count for library calls from this thread."""
    return _lib.omp_max_threads()


__all__ = [
    "ArgumentError", "Clustering", "Comparison", "CorruptError", "Dataset", "DependencyError",
    "EpochInfo", "Error", "Features", "FileError", "FormatError", "Graph", "InternalError",
    "Interrupted", "NumericError", "OutOfMemoryError", "ParseError", "Result", "Score",
    "Snapshot", "Trainer", "align_embeddings", "auc_ap", "cluster", "compare", "library_path",
    "load", "load_embeddings", "load_partition", "log_progress", "match", "max_threads",
    "modularity", "refine", "save_partition", "score", "train",
]

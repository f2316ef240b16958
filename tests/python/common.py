"""Shared by the Python binding's tests: skip without NumPy, paths, a tiny
runner (every test_* function in order; exit 1 if any failed)."""

import os
import subprocess
import sys
import tempfile
import traceback

SKIP = 77

try:
    import numpy as np  # noqa: F401
except ImportError:
    print("SKIP: NumPy is not installed for %s (apt-get install python3-numpy)"
          % sys.executable)
    sys.exit(SKIP)

import sgae  # noqa: E402

SRC = os.environ.get("SGAE_SOURCE_DIR",
                     os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SGAE = os.environ.get("SGAE", os.path.join(SRC, "build", "src", "cli", "sgae"))
DATA = os.path.join(SRC, "datasets")
CORA_EDGES = os.path.join(DATA, "planetoid", "cora.edges.zst")
CORA_FEATURES = os.path.join(DATA, "planetoid", "cora.features.mtx.zst")
CORA_LABELS = os.path.join(DATA, "planetoid", "cora.labels.zst")


def need_scipy():
    try:
        import scipy.sparse  # noqa: F401
    except ImportError:
        print("SKIP: SciPy is not installed for %s (apt-get install python3-scipy)"
              % sys.executable)
        sys.exit(SKIP)


def tmpdir():
    return tempfile.mkdtemp(prefix="sgae-pytest-")


def cli(*args, check=True):
    """Run the sgae command; returns the CompletedProcess."""
    p = subprocess.run([SGAE] + [str(a) for a in args], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("sgae %s failed (%d): %s" % (" ".join(map(str, args)),
                                                           p.returncode, p.stderr))
    return p


def raises(cls, fn, *args, contains=None, **kw):
    """Call fn; it must raise cls (whose message contains `contains`)."""
    try:
        fn(*args, **kw)
    except cls as e:
        if contains is not None and contains not in str(e):
            raise AssertionError("%s raised %r without %r" % (cls.__name__, str(e), contains))
        return e
    raise AssertionError("expected %s" % cls.__name__)


def random_graph(n, m, seed):
    """A 2 x m int64 edge_index of uniform pairs (loops and duplicates likely)."""
    rng = np.random.default_rng(seed)
    return rng.integers(0, n, size=(2, m), dtype=np.int64)


def reference_csr(n, ei):
    """CSR (indptr, indices) of the undirected simple graph of ei, in NumPy."""
    u, v = ei
    keep = u != v
    a = np.minimum(u, v)[keep]
    b = np.maximum(u, v)[keep]
    pairs = np.unique(np.stack([a, b], 1), axis=0) if len(a) else np.zeros((0, 2), np.int64)
    r = np.concatenate([pairs[:, 0], pairs[:, 1]])
    c = np.concatenate([pairs[:, 1], pairs[:, 0]])
    order = np.lexsort((c, r))
    r, c = r[order], c[order]
    indptr = np.zeros(n + 1, np.int64)
    np.add.at(indptr, r + 1, 1)
    return np.cumsum(indptr), c.astype(np.int32), len(pairs)


def run(ns):
    tests = [(k, v) for k, v in ns.items() if k.startswith("test_") and callable(v)]
    failed = 0
    for name, fn in tests:
        try:
            fn()
            print("ok", name, flush=True)
        except Exception:
            failed += 1
            print("FAIL", name, flush=True)
            traceback.print_exc()
    print("%d of %d tests passed" % (len(tests) - failed, len(tests)))
    sys.exit(1 if failed else 0)

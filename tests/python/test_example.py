"""examples/cora_vgae.py runs (a short training) and prints the test AUC and
AP of a VGAE on Cora, and the NMI of k-means on the embeddings against the
labels, above chance (that sgae.cluster / sgae.score agree with the CLI is
test_cluster.py's)."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import os
import re
import subprocess
import sys

from common import SRC, run


def test_cora_example():
    p = subprocess.run([sys.executable, os.path.join(SRC, "examples", "cora_vgae.py"),
                        "--epochs", "60", "--seed", "3"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    m = re.search(r"test AUC (\S+)  AP (\S+)", p.stdout)
    assert m, p.stdout
    auc, ap = float(m.group(1)), float(m.group(2))
    # 60 epochs of VGAE with features on Cora: well above chance
    assert auc > 0.8 and ap > 0.8, (auc, ap)
    assert "Cora: 2708 nodes, 10556 directed edges, 1433 features, 7 classes" in p.stdout
    m = re.search(r"k-means on mu: 7 communities, NMI (\S+) against", p.stdout)
    assert m, p.stdout
    nmi = float(m.group(1))
    assert 0.1 < nmi < 1, nmi  # 7 classes of papers: far from chance (0)
    m = re.search(r"refinement: modularity (\S+) -> (\S+), NMI (\S+)", p.stdout)
    assert m and float(m.group(2)) >= float(m.group(1)), p.stdout


run(globals())

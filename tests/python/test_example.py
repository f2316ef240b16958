"""examples/cora_vgae.py runs (a short training) and prints the test AUC and
AP of a VGAE on Cora, reaching what sgae train reaches with the same
options; NMI only when the build has clustering."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import os
import re
import subprocess
import sys

import sgae
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
    assert ("NMI" in p.stdout) == hasattr(sgae, "cluster"), p.stdout


run(globals())

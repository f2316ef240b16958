"""Print where `meson install` should put the sgae package for PREFIX so
that this interpreter (Debian's /usr/bin/python3) finds it: the first of
PREFIX/lib/python3/dist-packages, PREFIX/lib/python3.X/dist-packages,
PREFIX/lib/python3.X/site-packages that is on its sys.path (for /usr: the
first, Debian's own; for /usr/local: the second, Debian's local one), or ""
if none is (then meson's default is used and PYTHONPATH is needed).
Usage: python3 install_dir.py PREFIX"""

import os
import sys

prefix = sys.argv[1]
ver = "python%d.%d" % sys.version_info[:2]
cands = [os.path.join(prefix, "lib", "python3", "dist-packages"),
         os.path.join(prefix, "lib", ver, "dist-packages"),
         os.path.join(prefix, "lib", ver, "site-packages")]
path = {os.path.normpath(p) for p in sys.path if p}
print(next((c for c in cands if os.path.normpath(c) in path), ""))

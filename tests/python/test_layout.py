"""The ctypes mirror of the public structs and enums (python/sgae/_lib.py)
matches the C compiler's layout: every field's offset and size, every
struct's size, every enum value (tests/python/layout.c prints them)."""

import common  # noqa: F401  (first: exits 77, SKIP, without NumPy)

import ctypes
import os
import subprocess

from common import run
from sgae import _lib


def c_layout():
    out = subprocess.run([os.environ["SGAE_PY_LAYOUT"]], capture_output=True, text=True,
                         check=True).stdout
    structs, enums = {}, {}
    for line in out.splitlines():
        w = line.split()
        if w[0] == "struct":
            structs.setdefault(w[1], {})[w[2]] = (int(w[3]), int(w[4]))
        elif w[0] == "enum":
            enums[w[1]] = int(w[2])
    return structs, enums


STRUCTS, ENUMS = c_layout()


def test_every_mirrored_struct_is_checked():
    assert set(_lib.STRUCTS) == set(STRUCTS), set(_lib.STRUCTS) ^ set(STRUCTS)


def test_struct_layouts():
    bad = []
    for name, cls in _lib.STRUCTS.items():
        c = STRUCTS[name]
        if c["-"][1] != ctypes.sizeof(cls):
            bad.append("%s: sizeof %d in C, %d in ctypes" % (name, c["-"][1],
                                                             ctypes.sizeof(cls)))
        fields = [f for f, _ in cls._fields_]
        if set(fields) != set(c) - {"-"}:
            bad.append("%s: fields %s in C, %s in ctypes" % (name, sorted(set(c) - {"-"}),
                                                              sorted(fields)))
            continue
        for f in fields:
            d = getattr(cls, f)
            if (d.offset, d.size) != c[f]:
                bad.append("%s.%s: offset/size %s in C, %s in ctypes"
                           % (name, f, c[f], (d.offset, d.size)))
    assert not bad, "\n".join(bad)


def test_enums():
    assert set(ENUMS) == set(_lib.ENUMS), set(ENUMS) ^ set(_lib.ENUMS)
    bad = ["%s = %d in C, %d here" % (k, v, _lib.ENUMS[k]) for k, v in ENUMS.items()
           if _lib.ENUMS[k] != v]
    assert not bad, "\n".join(bad)


def test_every_declared_function_is_exported():
    # _lib raises at import when one is missing; check a few signatures resolve
    for name in _lib.FUNCTIONS:
        assert getattr(_lib.lib, name) is not None


run(globals())

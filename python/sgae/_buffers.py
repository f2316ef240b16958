"""NumPy arrays over memory that libsgae owns or hands over.

Two ownership cases:
  - owned: a buffer the library returned for the caller to free() (the
    result's embeddings, a densified matrix): the array's base is a holder
    whose finaliser calls free() once the array and every view of it are
    gone.  No copy is made.
  - borrowed: memory inside a library object (a graph's CSR, a trainer's
    embeddings): the array's base holds a reference to the Python object
    that owns the native one, so that object is not freed while the array
    exists.  Such arrays are read-only unless said otherwise.
"""

import ctypes

import numpy as np

from . import _lib


class _Holder:
    """Exposes foreign memory through __array_interface__."""

    __slots__ = ("__array_interface__", "_owner", "_free", "__weakref__")

    def __init__(self, addr, shape, typestr, readonly, owner, free):
        self.__array_interface__ = {
            "data": (addr, bool(readonly)),
            "shape": tuple(int(s) for s in shape),
            "typestr": typestr,
            "version": 3,
        }
        self._owner = owner
        self._free = addr if free else None
        if free:
            _lib.track("buffer", +1)

    def __del__(self):
        _lib.release(self, "_free", _lib.free, "buffer")


def _addr(ptr):
    if ptr is None:
        return 0
    if isinstance(ptr, int):
        return ptr
    return ctypes.cast(ptr, ctypes.c_void_p).value or 0


def foreign_array(ptr, shape, dtype, *, owner=None, free=False, readonly=True):
    """An ndarray over `ptr` (no copy).  free=True: the array owns the
    malloc'ed buffer and frees it; otherwise `owner` is kept alive by it."""
    dtype = np.dtype(dtype)
    addr = _addr(ptr)
    size = 1
    for s in shape:
        size *= int(s)
    if addr == 0 or size == 0:
        if free and addr:
            _lib.free(addr)
        arr = np.zeros(shape, dtype)
        if readonly:
            arr.flags.writeable = False
        return arr
    holder = _Holder(addr, shape, dtype.str, readonly, owner, free)
    arr = np.asarray(holder)
    assert arr.dtype == dtype
    return arr


def as_ptr(arr, ctype):
    """ctypes pointer to the data of a C-contiguous array (kept alive by the caller)."""
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


class Closing:
    """close() on leaving a `with` block and on collection."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        self.close()

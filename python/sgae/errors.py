"""Exceptions: one class per sgae_status, all subclasses of sgae.Error.

A failing library call raises the class of its status with the message of
sgae_last_error() (which names the file and line for bad input).  Checks the
binding makes before calling the library (an array of the wrong shape, a
node id out of range) raise sgae.ArgumentError too.
"""

from . import _lib


class Error(Exception):
    """A libsgae error.  `status` is the sgae_status code, `message` the text."""

    status = None
    status_name = None

    def __init__(self, message, status=None):
        super().__init__(message)
        self.message = message
        if status is not None:
            self.status = status


class ArgumentError(Error, ValueError):
    """SGAE_E_ARG: an invalid argument or option value."""


class OutOfMemoryError(Error, MemoryError):
    """SGAE_E_NOMEM: an allocation failed."""


class FileError(Error, OSError):
    """SGAE_E_IO: a file cannot be opened, read or written."""


class ParseError(Error, ValueError):
    """SGAE_E_PARSE: malformed text input (the message names file:line)."""


class CorruptError(Error):
    """SGAE_E_CORRUPT: truncated or damaged binary or compressed data."""


class FormatError(Error):
    """SGAE_E_FORMAT: an unknown or unsupported format or version."""


class NumericError(Error, ArithmeticError):
    """SGAE_E_NUMERIC: NaN or infinity appeared (e.g. a diverging loss)."""


class DependencyError(Error):
    """SGAE_E_DEP: GraphBLAS, zstd or zlib reported an error."""


class InternalError(Error):
    """SGAE_E_INTERNAL: an invariant of the library was violated (a bug)."""


class Interrupted(Error):
    """SGAE_E_INTERRUPTED: the library stopped on request."""


_BY_STATUS = {}
for _cls, _name in [
    (ArgumentError, "SGAE_E_ARG"),
    (OutOfMemoryError, "SGAE_E_NOMEM"),
    (FileError, "SGAE_E_IO"),
    (ParseError, "SGAE_E_PARSE"),
    (CorruptError, "SGAE_E_CORRUPT"),
    (FormatError, "SGAE_E_FORMAT"),
    (NumericError, "SGAE_E_NUMERIC"),
    (DependencyError, "SGAE_E_DEP"),
    (InternalError, "SGAE_E_INTERNAL"),
    (Interrupted, "SGAE_E_INTERRUPTED"),
]:
    _cls.status = _lib.STATUS[_name]
    _cls.status_name = _name
    _BY_STATUS[_cls.status] = _cls


def error_for(status, message=None):
    """The exception for a status, with the thread's last library message."""
    if message is None:
        message = _lib.lib.sgae_last_error().decode("utf-8", "replace")
        if not message:
            message = _lib.lib.sgae_status_string(status).decode("utf-8", "replace")
    cls = _BY_STATUS.get(status, Error)
    return cls(message, status)


def check(status):
    """Raise the exception of a non-OK status."""
    if status != 0:
        raise error_for(status)

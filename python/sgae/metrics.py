"""Link-prediction metrics (sgae/metrics.h)."""

import ctypes

import numpy as np

from . import _lib
from ._buffers import as_ptr
from .errors import check


def auc_ap(pos_scores, neg_scores):
    """(ROC-AUC, average precision) of positive and negative scores, exactly
    as libsgae evaluates links (ties count half; scikit-learn's step-wise
    AP).  Scores are converted to float32.  NaN when a side is empty."""
    pos = np.ascontiguousarray(np.ravel(pos_scores), dtype=np.float32)
    neg = np.ascontiguousarray(np.ravel(neg_scores), dtype=np.float32)
    auc = ctypes.c_double()
    ap = ctypes.c_double()
    check(_lib.lib.sgae_auc_ap(as_ptr(pos, ctypes.c_float), len(pos),
                               as_ptr(neg, ctypes.c_float), len(neg),
                               ctypes.byref(auc), ctypes.byref(ap)))
    return auc.value, ap.value

"""One row's TreeSHAP contributions through LightGBM's single-row fast path.

`Booster.predict` parses its parameters and sets up a predictor on every call, which for
one row of the signup hook costs more than the contributions themselves. LightGBM's C API
has a path for exactly this case: `LGBM_BoosterPredictForMatSingleRowFastInit` does that
set-up once, then each `...SingleRowFast` call only predicts. Same numbers as
`predict(pred_contrib=True)`, bit for bit (tests/riskscore/test_single_row.py).
"""

from __future__ import annotations

import ctypes
import threading

import lightgbm
import numpy as np
from lightgbm.basic import _LIB, _safe_call

_PREDICT_CONTRIB = 3  # C_API_PREDICT_CONTRIB
_FLOAT64 = 1  # C_API_DTYPE_FLOAT64


class SingleRowContributions:
    """pred_contrib of one row of a binary model: the features' contributions, then the expected value."""

    def __init__(self, booster: lightgbm.Booster) -> None:
        if booster.num_model_per_iteration() != 1:
            raise ValueError("single-row contributions are for models with one output (binary or regression)")
        self._booster = booster  # the fast configuration points into it: it must live as long
        self._lock = threading.Lock()  # one configuration holds one row's buffers: one call at a time
        self._features = booster.num_feature()
        self._handle = ctypes.c_void_p()
        _safe_call(
            _LIB.LGBM_BoosterPredictForMatSingleRowFastInit(
                booster._handle,
                ctypes.c_int(_PREDICT_CONTRIB),
                ctypes.c_int(0),  # start iteration
                ctypes.c_int(-1),  # every iteration
                ctypes.c_int(_FLOAT64),
                ctypes.c_int32(self._features),
                ctypes.c_char_p(b"num_threads=1"),
                ctypes.byref(self._handle),
            )
        )

    def __call__(self, row: np.ndarray) -> np.ndarray:
        row = np.ascontiguousarray(row, dtype=np.float64)
        if row.shape != (self._features,):
            raise ValueError(f"expected {self._features} features, got shape {row.shape}")
        out = np.empty(self._features + 1, dtype=np.float64)
        written = ctypes.c_int64()
        with self._lock:
            _safe_call(
                _LIB.LGBM_BoosterPredictForMatSingleRowFast(
                    self._handle,
                    row.ctypes.data_as(ctypes.c_void_p),
                    ctypes.byref(written),
                    out.ctypes.data_as(ctypes.POINTER(ctypes.c_double)),
                )
            )
        return out

    def __del__(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle:
            _LIB.LGBM_FastConfigFree(handle)

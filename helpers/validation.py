"""Input checks for the network's functions: a ValueError that names the problem and what
to try, never a silent NaN. `helpers.network` re-exports them (h.check_data, ...)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

N_CLASSES = 3  # Setosa, Versicolor, Virginica (helpers.network.SPECIES)
N_INPUTS = 2  # petal width, sepal width


def _finite_array(values: ArrayLike, name: str) -> NDArray[np.float64]:
    try:
        array = np.asarray(values, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric: {error}") from None
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return array


def check_inputs(X: ArrayLike) -> NDArray[np.float64]:
    """Return X as a float array of shape (n, 2), or raise ValueError saying what is wrong."""
    X = _finite_array(X, "X")
    if X.ndim != 2 or X.shape[1] != N_INPUTS:
        raise ValueError(f"X must be 2-D with {N_INPUTS} columns (petal, sepal); got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("X is empty: at least one observation is needed")
    return X


def check_labels(y: ArrayLike, n_rows: int) -> NDArray[np.int64]:
    """Return y as an int array of shape (n_rows,), or raise ValueError saying what is wrong."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D; got shape {y.shape}")
    if y.dtype.kind not in "iu":  # signed or unsigned integers; bools and floats are refused
        raise ValueError(f"y must hold integer class labels 0..{N_CLASSES - 1}; got dtype {y.dtype}")
    if len(y) != n_rows:
        raise ValueError(f"X and y have mismatched lengths: {n_rows} rows but {len(y)} labels")
    if len(y) and (y.min() < 0 or y.max() >= N_CLASSES):
        raise ValueError(f"y has labels outside 0..{N_CLASSES - 1}: {sorted(set(y.tolist()))}")
    return y.astype(np.int64)


def check_data(X: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Check X and y together (shapes, finiteness, labels, matching lengths)."""
    X = check_inputs(X)
    return X, check_labels(y, len(X))


def check_learning_rate(learning_rate: float) -> float:
    """Return the learning rate as a float, or raise ValueError if not finite and positive."""
    if not (isinstance(learning_rate, (int, float, np.floating)) and np.isfinite(learning_rate) and learning_rate > 0):
        raise ValueError(f"learning_rate must be a finite positive number; got {learning_rate!r}")
    return float(learning_rate)

"""The data: the series' three training rows, and the full iris table they come from."""

from __future__ import annotations

from importlib import resources

import numpy as np
from numpy.typing import NDArray

from helpers.network import SPECIES

# Petal and sepal width as the series gives them (already scaled to [0, 1]).
_SERIES_X = ((0.04, 0.42), (1.00, 0.54), (0.50, 0.37))
_SERIES_Y = (0, 2, 1)  # Setosa, Virginica, Versicolor


def training_data() -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """The series' three training rows: X (3, 2) = [petal width, sepal width], y (3,).

    They are real flowers of Fisher's table, scaled as `iris_data` scales them, to two
    decimals: row 1 matches Setosa rows 2, 26 and 39 (petal 0.2 cm, sepal 3.0 cm);
    row 2 matches Virginica rows 101 and 145 (petal 2.5 cm, sepal 3.3 cm); row 3 matches
    Versicolor rows 59, 65, 75, 97 and 98 (petal 1.3 cm, sepal 2.9 cm).
    """
    return np.array(_SERIES_X, dtype=float), np.array(_SERIES_Y, dtype=np.int64)


def _min_max(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return (values - values.min()) / (values.max() - values.min())


def iris_data() -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """All 150 iris flowers: X (150, 2) = [petal width, sepal width], each min-max scaled
    to [0, 1] over the table; y (150,) with 0, 1, 2 = Setosa, Versicolor, Virginica.

    Read from the copy of the public-domain measurements shipped inside this package.
    """
    text = resources.files("helpers").joinpath("iris.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    columns = {name: i for i, name in enumerate(header)}
    petal = np.array([float(row[columns["petal_width"]]) for row in rows])
    sepal = np.array([float(row[columns["sepal_width"]]) for row in rows])
    names = [species.lower() for species in SPECIES]
    y = np.array([names.index(row[columns["species"]]) for row in rows], dtype=np.int64)
    return np.column_stack([_min_max(petal), _min_max(sepal)]), y

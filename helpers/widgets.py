"""The explorers, under the name the notebooks import them by (`from helpers.widgets import
LossCurveExplorer`). Each lives in its own file in `helpers.explorers`."""

from helpers.explorers import (
    DOWNHILL,
    CrossEntropyExplorer,
    Explorer,
    FlowerExplorer,
    LossCurveExplorer,
    Slider,
    SurfaceExplorer,
    TrainingExplorer,
    downhill,
)
from helpers.network import output_bias_sweep
from helpers.overlay import surface_shift

__all__ = [
    "DOWNHILL",
    "CrossEntropyExplorer",
    "Explorer",
    "FlowerExplorer",
    "LossCurveExplorer",
    "Slider",
    "SurfaceExplorer",
    "TrainingExplorer",
    "downhill",
    "output_bias_sweep",
    "surface_shift",
]

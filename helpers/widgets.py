"""The explorers, under the name the notebooks import them by (`from helpers.widgets import
LossCurveExplorer`). Each lives in its own file in `helpers.explorers`."""

from helpers import explorers
from helpers.explorers import *  # noqa: F403  (the explorers, under their old address)
from helpers.network import output_bias_sweep
from helpers.overlay import surface_shift

__all__ = [*explorers.__all__, "output_bias_sweep", "surface_shift"]

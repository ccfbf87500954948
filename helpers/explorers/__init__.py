"""The live explorers, one per file: ipywidgets controls over figures the browser draws.

Python computes, the browser draws (`helpers.overlay`). Each explorer computes, once and
vectorized, every number its figure shows at every position of its controls; matplotlib
draws what no control changes; the shared front end (`helpers/js/`) draws the
rest as the controls move, with no kernel round trip. Controls that reshape the tables
(b4 and b5 in the loss-curve explorer) ask Python for new tables: one round trip.

Every explorer is an `ipywidgets.VBox` of its controls and its `overlay` (`base.Explorer`).
"""

from helpers.explorers.base import Explorer, Slider
from helpers.explorers.cross_entropy import CrossEntropyExplorer
from helpers.explorers.flower import FlowerExplorer
from helpers.explorers.loss_curve import DOWNHILL, LossCurveExplorer, downhill
from helpers.explorers.surface import SurfaceExplorer
from helpers.explorers.training import TrainingExplorer

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
]

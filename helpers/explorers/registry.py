"""Every explorer, with how to make one from the series' data: the list the explorer, spec
and state-budget tests loop over (tests/test_registry.py fails for an explorer missing here).

Adding an explorer? Add one line: its class and a function that makes a typical one.
"""

from __future__ import annotations

from collections.abc import Callable

from helpers.data import iris_data, training_data
from helpers.explorers.backprop import BackpropExplorer
from helpers.explorers.base import Explorer
from helpers.explorers.cross_entropy import CrossEntropyExplorer
from helpers.explorers.flower import FlowerExplorer
from helpers.explorers.loss_curve import LossCurveExplorer
from helpers.explorers.parameter_paths import ParameterPathsExplorer
from helpers.explorers.surface import SurfaceExplorer
from helpers.explorers.training import TrainingExplorer
from helpers.network import Network, total_cross_entropy, train


def _training() -> TrainingExplorer:
    X, y = iris_data()
    visited = train(Network(), X, y, learning_rate=0.003, n_steps=2000)  # as notebook 08 trains
    return TrainingExplorer(visited, X, y, [total_cross_entropy(net, X, y) for net in visited], every=20)


EXPLORERS: dict[type[Explorer], Callable[[], Explorer]] = {
    LossCurveExplorer: lambda: LossCurveExplorer(Network(), *training_data()),
    SurfaceExplorer: lambda: SurfaceExplorer(Network(), *training_data()),
    FlowerExplorer: lambda: FlowerExplorer(Network(), *training_data()),
    CrossEntropyExplorer: lambda: CrossEntropyExplorer(Network(), *training_data(), parts=("species", "bias", "derivative")),
    TrainingExplorer: _training,
    BackpropExplorer: lambda: BackpropExplorer(Network(), *training_data()),
    ParameterPathsExplorer: lambda: ParameterPathsExplorer(Network(), *training_data()),
}

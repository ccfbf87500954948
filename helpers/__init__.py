"""Helpers for the "Cross Entropy Derivatives" notebooks: the network, its math and data.

Figures live in `helpers.plots`, the explorers in `helpers.explorers`, one per file, imported as
`helpers.widgets` (drawn in the browser by
`helpers.overlay` and its front end, helpers/js/) and the self-checking exercises in
`helpers.exercises`; import them where needed.
Importing this package changes no global state (no rcParams, seeds or dpi).
"""

from helpers.data import iris_data, training_data
from helpers.network import (
    SPECIES,
    DescentStep,
    ForwardPass,
    Network,
    accuracy,
    active_counts,
    b3_minimum,
    b3_second_derivative,
    bias_derivatives,
    cross_entropy,
    forward,
    gradient_descent,
    gradients,
    log_softmax,
    loss_curve,
    numerical_derivative,
    softmax,
    total_cross_entropy,
    train,
)

__all__ = [
    "SPECIES",
    "DescentStep",
    "ForwardPass",
    "Network",
    "accuracy",
    "active_counts",
    "b3_minimum",
    "b3_second_derivative",
    "bias_derivatives",
    "cross_entropy",
    "forward",
    "gradient_descent",
    "gradients",
    "iris_data",
    "log_softmax",
    "loss_curve",
    "numerical_derivative",
    "softmax",
    "total_cross_entropy",
    "train",
    "training_data",
]

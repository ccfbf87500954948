"""The series' network and its math: forward pass, cross entropy, derivatives.

Two inputs (petal width x1, sepal width x2, both scaled to [0, 1]), a hidden layer of
ReLU nodes (the "bent surfaces"), three raw outputs (the "crinkled surfaces") turned
into probabilities by softmax, and the cross entropy of the observed species.

Every forward rule sits next to its derivative (one row per observation; d_ is dCE/d):

    hidden_in = X w_hidden^T + b_hidden   d_w_hidden = d_hidden_in^T X,  d_b_hidden = sum(d_hidden_in)
    hidden    = ReLU(hidden_in)           d_hidden_in = d_hidden * [hidden_in > 0]
    raw       = hidden w_out^T + b_out    d_w_out = d_raw^T hidden,  d_b_out = sum(d_raw),  d_hidden = d_raw w_out
    probs     = softmax(raw)              d_raw = probs - onehot(y)   (softmax and -log together)
    CE        = -log probs[observed]

Glossary, code name -> the notebooks' symbol (docs/notation.md is the reference):
X -> the inputs (x1 petal width, x2 sepal width); w_hidden, b_hidden -> the hidden weights
and the biases b1, b2 (`Network.b1`, `.b2` are those two numbers); hidden_in, hidden -> a
hidden node's input and its ReLU output (the bent surfaces); w_out, b_out -> the output
weights and the biases b3, b4, b5 (`Network.b3`...); raw -> the raw outputs z_s, z_ve, z_vi
(the crinkled surfaces); probs -> p_s, p_ve, p_vi; learning_rate -> the learning rate.

Everything is vectorized over observations (rows) and, for `loss_curve`, over b3 values.
Softmax and cross entropy go through log-sum-exp, so extreme biases stay finite.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from helpers.validation import N_CLASSES, N_INPUTS, _finite_array, check_data, check_inputs, check_labels, check_learning_rate

SPECIES: tuple[str, str, str] = ("Setosa", "Versicolor", "Virginica")

# The series' hand-picked parameters. Rows of W1: the upper (blue) and bottom (orange)
# node; rows of W2: Setosa (green), Versicolor (red), Virginica (purple).
SERIES_W_HIDDEN = ((-2.5, 0.6), (-1.5, 0.4))
SERIES_B_HIDDEN = (1.6, 0.7)
SERIES_W_OUT = ((-0.1, 1.5), (2.4, -5.2), (-2.2, 3.7))
SERIES_B_OUT = (-2.0, 0.0, 1.0)

BIAS_NAMES = ("b1", "b2", "b3", "b4", "b5")
HIDDEN_BIASES, OUTPUT_BIASES = BIAS_NAMES[:2], BIAS_NAMES[2:]  # b_hidden[0..1], b_out[0..2] (one per species)
TOLERANCE = 1e-4  # gradient descent on b3 stops at a step smaller than this (here and in the explorer)


# --- the network -----------------------------------------------------------------------


def _frozen(values: ArrayLike, shape: tuple[int | None, ...], name: str) -> NDArray[np.float64]:
    array = _finite_array(values, name)
    if array.ndim != len(shape) or any(want is not None and got != want for got, want in zip(array.shape, shape)):
        wanted = tuple("H" if want is None else want for want in shape)
        raise ValueError(f"{name} must have shape {wanted}; got {array.shape}")
    array = array.copy()
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class Network:
    """The parameters of the network; immutable (use `with_biases` for a changed copy).

    w_hidden (H, 2), b_hidden (H,): one row per hidden node (the series has H = 2:
    upper/blue, bottom/orange). w_out (3, H), b_out (3,): one row per species
    (Setosa/green, Versicolor/red, Virginica/purple). Defaults are the series' values.

    Parameters
    ----------
    w_hidden : array_like, shape (H, 2)
        The input-to-hidden weights, one row per hidden node (H at least 1).
    b_hidden : array_like, shape (H,)
        The hidden nodes' biases (the series' b1 and b2).
    w_out : array_like, shape (3, H)
        The hidden-to-output weights, one row per species.
    b_out : array_like, shape (3,)
        The output biases (the series' b3, b4 and b5).
    """

    w_hidden: NDArray[np.float64] = field(default=SERIES_W_HIDDEN)  # type: ignore[assignment]
    b_hidden: NDArray[np.float64] = field(default=SERIES_B_HIDDEN)  # type: ignore[assignment]
    w_out: NDArray[np.float64] = field(default=SERIES_W_OUT)  # type: ignore[assignment]
    b_out: NDArray[np.float64] = field(default=SERIES_B_OUT)  # type: ignore[assignment]

    def __post_init__(self) -> None:
        w_hidden = _frozen(self.w_hidden, (None, N_INPUTS), "w_hidden")
        n_hidden = w_hidden.shape[0]
        if n_hidden == 0:
            raise ValueError("w_hidden must have at least one hidden node (row)")
        # frozen dataclass: object.__setattr__ is the documented way to set fields here
        object.__setattr__(self, "w_hidden", w_hidden)
        object.__setattr__(self, "b_hidden", _frozen(self.b_hidden, (n_hidden,), "b_hidden"))
        object.__setattr__(self, "w_out", _frozen(self.w_out, (N_CLASSES, n_hidden), "w_out"))
        object.__setattr__(self, "b_out", _frozen(self.b_out, (N_CLASSES,), "b_out"))

    @property
    def n_hidden(self) -> int:
        return self.w_hidden.shape[0]

    # The series' names for the five biases.
    @property
    def b1(self) -> float:
        return float(self.b_hidden[0])

    @property
    def b2(self) -> float:
        return float(self.b_hidden[1])

    @property
    def b3(self) -> float:
        return float(self.b_out[0])

    @property
    def b4(self) -> float:
        return float(self.b_out[1])

    @property
    def b5(self) -> float:
        return float(self.b_out[2])

    def with_biases(self, **biases: float) -> Network:
        """A new Network with some of b1..b5 changed, e.g. `net.with_biases(b3=0.5)`."""
        unknown = set(biases) - set(BIAS_NAMES)
        if unknown:
            raise ValueError(f"unknown bias names {sorted(unknown)}; use {', '.join(BIAS_NAMES)}")
        b_hidden, b_out = self.b_hidden.copy(), self.b_out.copy()
        for name, value in biases.items():
            if name in HIDDEN_BIASES:
                b_hidden[HIDDEN_BIASES.index(name)] = value  # _frozen below checks finiteness
            else:
                b_out[OUTPUT_BIASES.index(name)] = value  # _frozen below checks finiteness
        return Network(self.w_hidden, b_hidden, self.w_out, b_out)

    def parameters(self) -> dict[str, NDArray[np.float64]]:
        """The four parameter arrays by name."""
        return {"w_hidden": self.w_hidden, "b_hidden": self.b_hidden, "w_out": self.w_out, "b_out": self.b_out}

    def __repr__(self) -> str:
        def fmt(array: NDArray[np.float64]) -> str:
            return np.array2string(array, precision=4, separator=", ", suppress_small=True).replace("\n", "")

        return "Network(" + ", ".join(f"{name}={fmt(value)}" for name, value in self.parameters().items()) + ")"


# --- softmax and cross entropy (log-sum-exp) ------------------------------------------


def log_softmax(z: ArrayLike) -> NDArray[np.float64]:
    """log p_k = z_k - log(sum_j e^{z_j}), along the last axis, shifted by the max so no
    exponential overflows."""
    z = _finite_array(z, "z")
    shifted = z - z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax(z: ArrayLike) -> NDArray[np.float64]:
    """p_k = e^{z_k} / sum_j e^{z_j}, along the last axis (rows sum to 1).

    Derivative: dp_k/dz_j = p_k ([k = j] - p_j), so dp_s/dz_s = p_s (1 - p_s) and
    dp_vi/dz_s = -p_vi p_s (parts 3 and 4 of the series).
    """
    return np.exp(log_softmax(z))


def cross_entropy(probs: ArrayLike, y: ArrayLike) -> NDArray[np.float64]:
    """CE_i = -log p_i[y_i], the negative log of the probability given to the observed species.

    Derivative: dCE/dp_observed = -1/p_observed. A probability that underflowed to 0 is
    read as the smallest positive float, so the result stays finite; to keep full
    precision at extreme raw outputs, compute from raw outputs (`total_cross_entropy`).
    """
    probs = _finite_array(probs, "probs")
    if probs.ndim != 2 or probs.shape[1] != N_CLASSES:
        raise ValueError(f"probs must be 2-D with {N_CLASSES} columns; got shape {probs.shape}")
    if np.any(probs < 0) or np.any(probs > 1):
        raise ValueError("probs must lie in [0, 1]")
    y = check_labels(y, len(probs))
    observed = probs[np.arange(len(y)), y]
    return -np.log(np.maximum(observed, np.finfo(float).tiny))


# --- forward pass ----------------------------------------------------------------------


def relu(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """ReLU(a) = max(a, 0); its derivative is [a > 0] (taken as 0 at the kink)."""
    return np.maximum(a, 0.0)


class ForwardPass(NamedTuple):
    """Every intermediate value of one forward pass, one row per observation."""

    hidden_in: NDArray[np.float64]  # (n, H) before ReLU
    hidden: NDArray[np.float64]  # (n, H) the bent surfaces' heights
    raw: NDArray[np.float64]  # (n, 3) the crinkled surfaces' heights
    probs: NDArray[np.float64]  # (n, 3) softmax of raw


def forward(net: Network, X: ArrayLike) -> ForwardPass:
    """The forward pass: h_in = X W1^T + b1, h = ReLU(h_in), z = h W2^T + b2, p = softmax(z)."""
    X = check_inputs(X)
    hidden_in, hidden, raw = _layers(net, X)
    return ForwardPass(hidden_in, hidden, raw, softmax(raw))


def _layers(net: Network, X: NDArray[np.float64]) -> tuple[NDArray[np.float64], ...]:
    """hidden_in, hidden, raw for an already checked X (no softmax: not every caller needs it)."""
    hidden_in = X @ net.w_hidden.T + net.b_hidden
    hidden = relu(hidden_in)
    return hidden_in, hidden, hidden @ net.w_out.T + net.b_out


def total_cross_entropy(net: Network, X: ArrayLike, y: ArrayLike) -> float:
    """sum_i -log p_i[y_i], computed from the raw outputs by log-sum-exp."""
    X, y = check_data(X, y)
    log_probs = log_softmax(forward(net, X).raw)
    return float(-log_probs[np.arange(len(y)), y].sum())


def accuracy(net: Network, X: ArrayLike, y: ArrayLike) -> float:
    """The share of rows whose most probable species is the observed one: mean_i [argmax_k p_ik = y_i]."""
    X, y = check_data(X, y)
    return float(np.mean(forward(net, X).probs.argmax(axis=1) == y))


def active_counts(net: Network, X: ArrayLike) -> NDArray[np.int64]:
    """For each hidden node, on how many rows of X it is active: sum_i [a_ij > 0], with a = X W1^T + b1.

    A node active on no row is "dead": ReLU's derivative [a > 0] is 0 on every row, so no
    gradient reaches its weights and gradient descent can never switch it back on.
    """
    hidden_in = _layers(net, check_inputs(X))[0]
    return np.count_nonzero(hidden_in > 0, axis=0).astype(np.int64)


# --- derivatives -----------------------------------------------------------------------


def _output_error(probs: NDArray[np.float64], y: NDArray[np.int64]) -> NDArray[np.float64]:
    """dCE/dz = p - onehot(y): the rule of parts 3 and 4, one row per observation."""
    return probs - np.eye(N_CLASSES)[y]


def bias_derivatives(net: Network, X: ArrayLike, y: ArrayLike) -> dict[str, float]:
    """d(total CE)/d b3, b4, b5: sum over rows of p_k - [observed is k] (parts 3 and 4)."""
    X, y = check_data(X, y)
    per_class = _output_error(forward(net, X).probs, y).sum(axis=0)
    return {name: float(value) for name, value in zip(OUTPUT_BIASES, per_class)}


def gradients(net: Network, X: ArrayLike, y: ArrayLike) -> Network:
    """d(total CE)/d(every parameter), by backpropagation, held in a Network of the same shapes.

    d_raw = probs - onehot(y);  d_w_out = d_raw^T hidden;  d_b_out = sum_i d_raw;
    d_hidden_in = (d_raw w_out) * [hidden_in > 0];  d_w_hidden = d_hidden_in^T X;  d_b_hidden = sum_i d_hidden_in.
    """
    X, y = check_data(X, y)
    fp = forward(net, X)
    d_raw = _output_error(fp.probs, y)
    d_hidden_in = (d_raw @ net.w_out) * (fp.hidden_in > 0)
    return Network(
        w_hidden=d_hidden_in.T @ X,
        b_hidden=d_hidden_in.sum(axis=0),
        w_out=d_raw.T @ fp.hidden,
        b_out=d_raw.sum(axis=0),
    )


def numerical_derivative(f: Callable[[float], float], x: float, eps: float = 1e-6) -> float:
    """Central finite difference (f(x + eps) - f(x - eps)) / (2 eps): an independent check."""
    if not (np.isfinite(eps) and eps > 0):
        raise ValueError(f"eps must be finite and positive; got {eps}")
    return float((f(x + eps) - f(x - eps)) / (2 * eps))


# --- the loss as a function of b3, and gradient descent on it --------------------------


def loss_curve(net: Network, X: ArrayLike, y: ArrayLike, b3_values: ArrayLike) -> NDArray[np.float64]:
    """Total cross entropy at each b3 value (any shape; the result has the same shape).

    Only the Setosa raw output moves with b3: z_s = a + b3, with a the rest of z_s. The
    other two raw outputs fold into r = log(e^{z_ve} + e^{z_vi}), so

        total CE(b3) = sum_i log(e^{a_i + b3} + e^{r_i}) - sum_i z_i,observed(b3),

    and the second sum is linear in b3: (its value at b3 = 0) + (number of Setosa rows) b3.
    The first sum runs over a (len(b3_values), n) grid with np.logaddexp (stable): no loop
    over rows or b3 values.
    """
    X, y = check_data(X, y)
    b3 = _finite_array(b3_values, "b3_values")
    raw = _layers(net, X)[2]
    setosa_rest = raw[:, 0] - net.b3  # a, shape (n,)
    others = np.logaddexp(raw[:, 1], raw[:, 2])  # r, shape (n,)
    observed_at_zero = raw[np.arange(len(y)), y] - np.where(y == 0, net.b3, 0.0)
    flat = b3.reshape(-1, 1)
    log_denominators = np.logaddexp(setosa_rest + flat, others).sum(axis=1)
    return (log_denominators - observed_at_zero.sum() - np.count_nonzero(y == 0) * flat[:, 0]).reshape(b3.shape)


def output_bias_log_sweep(net: Network, X: ArrayLike, bias: str, values: ArrayLike) -> NDArray[np.float64]:
    """Log-probabilities (len(values), n, 3) of the rows of X as one output bias (b3, b4 or
    b5) takes each value. Only that class's raw output moves, by (value - its bias now), so
    one forward pass and a broadcast: no loop over rows or values; log-sum-exp, never -inf.
    """
    if bias not in OUTPUT_BIASES:
        raise ValueError(f"bias must be one of {', '.join(OUTPUT_BIASES)}; got {bias!r}")
    k = OUTPUT_BIASES.index(bias)
    values = _finite_array(values, "values").reshape(-1)
    raw = _layers(net, check_inputs(X))[2]
    grid = np.broadcast_to(raw, (len(values), *raw.shape)).copy()
    grid[:, :, k] += values[:, None] - net.b_out[k]
    return log_softmax(grid)


def output_bias_sweep(net: Network, x_row: ArrayLike, bias: str, values: ArrayLike) -> NDArray[np.float64]:
    """Probabilities (len(values), 3) of one observation as one output bias takes each value."""
    return np.exp(output_bias_log_sweep(net, np.atleast_2d(x_row), bias, values)[:, 0])


def b3_sweep(net: Network, X: ArrayLike, y: ArrayLike, b3_values: ArrayLike) -> tuple[NDArray, NDArray]:
    """Each row's probabilities (len(b3_values), n, 3) and cross entropy (len(b3_values), n) at every b3."""
    X, y = check_data(X, y)
    log_p = output_bias_log_sweep(net, X, "b3", b3_values)
    return np.exp(log_p), -log_p[:, np.arange(len(y)), y]


def b3_second_derivative(net: Network, X: ArrayLike, y: ArrayLike) -> float:
    """d²(total CE)/d b3² = sum_i p_s,i (1 - p_s,i): the derivative of the slope sum_i (p_s,i - [Setosa]),
    by dp_s/dz_s = p_s (1 - p_s). Always positive, so the curve is convex in b3; gradient
    descent with learning rate eta settles near the minimum when eta < 2 / (this value there).
    """
    X, y = check_data(X, y)
    p_setosa = forward(net, X).probs[:, 0]
    return float(np.sum(p_setosa * (1 - p_setosa)))


def b3_minimum(net: Network, X: ArrayLike, y: ArrayLike) -> tuple[float, float]:
    """(b3, total CE) at the lowest point of the loss curve, by Newton's method on the slope:
    b3 <- b3 - slope / second derivative, started from net.b3 (the curve is convex).

    Raises ValueError when no Setosa is observed: the curve then falls for ever as b3 drops.
    """
    X, y = check_data(X, y)
    if not np.any(y == 0) or np.all(y == 0):
        raise ValueError("the loss curve over b3 has a lowest point only if some rows are Setosa and some are not")
    b3 = net.b3
    for _ in range(100):
        current = net.with_biases(b3=b3)
        step = bias_derivatives(current, X, y)["b3"] / b3_second_derivative(current, X, y)
        b3 -= float(np.clip(step, -2.0, 2.0))  # damped: far from the minimum the curve is almost straight
        if abs(step) < 1e-12:
            break
    return b3, total_cross_entropy(net.with_biases(b3=b3), X, y)


class DescentStep(NamedTuple):
    """One gradient-descent step on b3: where it stood, the slope there, the step taken."""

    b3: float
    slope: float  # d(total CE)/d b3 at b3
    step_size: float  # learning_rate * slope; the next b3 is b3 - step_size
    loss: float  # total CE at b3


def gradient_descent(
    net: Network,
    X: ArrayLike,
    y: ArrayLike,
    learning_rate: float = 1.0,
    tolerance: float = TOLERANCE,
    max_steps: int = 1000,
) -> list[DescentStep]:
    """Gradient descent on b3 alone, from net.b3: b3 <- b3 - learning_rate * dCE/db3.

    Returns one DescentStep per point visited; the last is the first whose |step_size| is
    below `tolerance` (or the max_steps-th, if it never gets there).
    """
    X, y = check_data(X, y)
    learning_rate = check_learning_rate(learning_rate)
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise ValueError(f"tolerance must be finite and positive; got {tolerance!r}")
    if int(max_steps) < 1:
        raise ValueError(f"max_steps must be at least 1; got {max_steps!r}")
    steps: list[DescentStep] = []
    b3 = net.b3
    for _ in range(int(max_steps)):  # a loop over steps, each one vectorized over rows
        current = net.with_biases(b3=b3)
        slope = bias_derivatives(current, X, y)["b3"]
        step = DescentStep(b3, slope, learning_rate * slope, total_cross_entropy(current, X, y))
        steps.append(step)
        if abs(step.step_size) < tolerance:
            break
        b3 -= step.step_size
    return steps


def train(net: Network, X: ArrayLike, y: ArrayLike, learning_rate: float, n_steps: int) -> list[Network]:
    """Plain gradient descent on every parameter: theta <- theta - learning_rate * dCE/dtheta.

    Returns the networks visited, the start first (n_steps + 1 of them). The total CE is
    a sum over rows, so with many rows a smaller learning rate (or the mean) is needed.
    """
    X, y = check_data(X, y)
    learning_rate = check_learning_rate(learning_rate)
    visited = [net]
    for _ in range(int(n_steps)):
        grad = gradients(net, X, y)
        net = Network(
            *(
                value - learning_rate * grad_value
                for value, grad_value in zip(net.parameters().values(), grad.parameters().values())
            )
        )
        visited.append(net)
    return visited

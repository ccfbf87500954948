"""Diagrams of the network: its nodes and weights, and backpropagation on one flower drawn
as a computation graph (re-exported by `helpers.plots`)."""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from helpers.network import SPECIES, Network, check_data, forward
from helpers.style import BLUE, GREEN, INK, ORANGE, PINK, SPECIES_COLORS, TIMES, new_figure, readable


def network_diagram(net: Network) -> Figure:
    """The network drawn as nodes and arrows, every weight and bias written on it.

    Arrows take the color of the hidden node they leave or enter (blue upper, orange
    bottom): each crinkled surface is the blue and orange bent surfaces, scaled and summed.
    """
    fig = new_figure(8.0, 4.2)
    ax = fig.add_subplot()
    ax.set_axis_off()
    ax.set_xlim(-0.4, 4.1)
    ax.set_ylim(-0.5, 3.4)
    inputs = [((0, 2.4), "petal width\n$x_1$"), ((0, 0.6), "sepal width\n$x_2$")]
    hidden = [((1.6, 2.4), BLUE, "upper"), ((1.6, 0.6), ORANGE, "bottom")]
    outputs = [((3.1, 3.0 - 1.2 * k), color, name) for k, (name, color) in enumerate(zip(SPECIES, SPECIES_COLORS))]
    arrows = [(inputs[i][0], hidden[j][0], net.w_hidden[j, i], hidden[j][1], 0.3) for i in range(2) for j in range(2)]
    # labels from the upper node near its end, from the bottom node near the outputs: none overlap
    arrows += [
        (hidden[j][0], outputs[k][0], net.w_out[k, j], hidden[j][1], 0.25 if j == 0 else 0.75) for j in range(2) for k in range(3)
    ]
    for (x0, y0), (x1, y1), weight, color, where in arrows:
        ax.annotate(
            "",
            (x1 - 0.22, y1 - (y1 - y0) * 0.22 / (x1 - x0)),
            (x0 + 0.22, y0 + (y1 - y0) * 0.22 / (x1 - x0)),
            arrowprops={"arrowstyle": "->", "color": color, "lw": 1.3, "alpha": 0.85},
        )
        ax.text(
            x0 + (x1 - x0) * where,
            y0 + (y1 - y0) * where,
            f"{weight:g}",
            fontsize=9,
            ha="center",
            va="center",
            color=readable(color),
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"},
        )
    for (x, y), label in inputs:
        ax.text(x, y, label, ha="center", va="center", fontsize=10, bbox={"boxstyle": "round", "fc": "#eeeeee", "ec": INK})
    nodes = [
        (pos, color, f"ReLU\n({name})", "circle", f"$b_{j + 1}$ = {net.b_hidden[j]:g}", 0.55)
        for j, (pos, color, name) in enumerate(hidden)
    ]
    nodes += [
        (pos, color, f"$z$ {name}", "round", f"$b_{k + 3}$ = {net.b_out[k]:g}", 0.4)
        for k, (pos, color, name) in enumerate(outputs)
    ]
    for (x, y), color, label, box, bias_label, below in nodes:
        fill = readable(color, "white")  # white text on it reads at 4.5:1
        ax.text(x, y, label, ha="center", va="center", fontsize=9, color="white", bbox={"boxstyle": box, "fc": fill, "ec": INK})
        ax.text(x, y - below, bias_label, ha="center", fontsize=9, color=readable(color))
    ax.annotate("softmax\n$\\rightarrow$ $p_s, p_{ve}, p_{vi}$", (3.75, 1.8), ha="center", va="center", fontsize=9, color=INK)
    ax.set_title("The network: 2 inputs, 2 ReLU nodes, 3 outputs, then softmax", fontsize=11)
    return fig


# --- backpropagation drawn: the computation graph of one flower -----------------------------


def _node(ax: Axes, xy: tuple[float, float], name: str, value: float, grad: float | None, color: str) -> None:
    """A node: its name and forward value in a box, its gradient dCE/d(node) in pink below."""
    ax.text(
        *xy,
        f"{name}\n{value:.3f}",
        ha="center",
        va="center",
        fontsize=9,
        bbox={"boxstyle": "round", "fc": "white", "ec": color, "lw": 2},
    )
    if grad is not None:
        style = {"ha": "center", "va": "top", "fontsize": 8.5, "color": readable(PINK), "fontweight": "bold"}
        ax.text(xy[0], xy[1] - 0.42, f"grad {grad:.3f}", **style)


def _edge(ax: Axes, start: tuple[float, float], end: tuple[float, float], label: str = "", color: str = "#888888") -> None:
    ax.annotate("", end, start, arrowprops={"arrowstyle": "->", "color": color, "lw": 1.2, "shrinkA": 22, "shrinkB": 22})
    if label:
        middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2 + 0.18)
        ax.text(
            *middle,
            label,
            ha="center",
            va="bottom",
            fontsize=7.5,
            color=INK,
            bbox={"boxstyle": "round,pad=0.15", "fc": "#fff4f8", "ec": "none"},
        )


def computation_graph_figure(net: Network, X: ArrayLike, y: ArrayLike, row: int = 0) -> Figure:
    """Backpropagation on one flower (observed Setosa), drawn.

    Top: the path from b3 to the loss. Each node shows its forward value and its gradient
    dCE/d(node); each edge back from the loss shows "local x upstream", the chain rule's
    one step. Bottom: the upper hidden node feeds all three raw outputs, so its gradient is
    the sum of three such products, one per path.
    """
    X, y = check_data(X, y)
    fp = forward(net, X[row : row + 1])
    upper = fp.hidden[0, 0]
    z, p = fp.raw[0], fp.probs[0]
    observed = int(y[row])
    d_z = p - np.eye(3)[observed]  # dCE/dz_k = p_k - [k observed]
    fig = new_figure(10, 6.4)
    top, low = fig.subplots(2, 1)
    for ax in (top, low):
        ax.set_xlim(-0.6, 10.6)
        ax.set_axis_off()
    top.set_ylim(-1.9, 1.6)
    low.set_ylim(-2.6, 2.9)

    _backward_path(top, net, upper, z, p[observed], d_z)
    _hidden_node_sum(low, net, upper, z, d_z)
    return fig


def _backward_path(top: Axes, net: Network, upper: float, z: np.ndarray, p_observed: float, d_z: np.ndarray) -> None:
    """b3 -> z_s -> p_s -> CE, with the other inputs of z_s and of softmax shown."""
    d_p = -1 / p_observed
    local_softmax = p_observed * (1 - p_observed)
    where = {
        "b3": (0.8, 0.9),
        "upper": (0.8, -0.8),
        "z_s": (3.8, 0.0),
        "z_others": (3.8, -1.35),
        "p_s": (6.6, 0.0),
        "CE": (9.4, 0.0),
    }
    _node(top, where["b3"], "$b_3$", net.b3, d_z[0], GREEN)
    _node(top, where["upper"], "upper", upper, None, BLUE)
    top.text(where["upper"][0], where["upper"][1] - 0.42, "(and bottom)", ha="center", va="top", fontsize=8, color=INK)
    _node(top, where["z_s"], "$z_s$", z[0], d_z[0], GREEN)
    top.text(
        *where["z_others"], f"$z_{{ve}}$ = {z[1]:.3f}, $z_{{vi}}$ = {z[2]:.3f}", ha="center", va="center", fontsize=8.5, color=INK
    )
    _node(top, where["p_s"], "$p_s$", p_observed, d_p, GREEN)
    _node(top, where["CE"], "CE", -np.log(p_observed), 1.0, PINK)
    _edge(top, where["b3"], where["z_s"], f"local 1 {TIMES} upstream {d_z[0]:.3f}")
    _edge(top, where["upper"], where["z_s"], f"$w$ = {net.w_out[0, 0]:g}")
    _edge(top, where["z_s"], where["p_s"], f"local $p_s(1-p_s)$ = {local_softmax:.3f}\n{TIMES} upstream {d_p:.3f}")
    _edge(top, where["z_others"], where["p_s"])
    _edge(top, where["p_s"], where["CE"], f"local $-1/p_s$ = {d_p:.3f}\n{TIMES} upstream 1")
    top.set_title(f"Backward from the loss: each gradient = local derivative {TIMES} the gradient upstream", fontsize=10)


def _hidden_node_sum(low: Axes, net: Network, upper: float, z: np.ndarray, d_z: np.ndarray) -> None:
    """The upper hidden node's gradient: the sum over its three paths to the raw outputs."""
    node = (1.2, 0.0)
    _node(low, node, "upper", upper, float(d_z @ net.w_out[:, 0]), BLUE)
    names = ("$z_s$", "$z_{ve}$", "$z_{vi}$")
    for k in range(3):
        at = (5.0, 1.9 - 1.9 * k)
        _node(low, at, names[k], z[k], d_z[k], SPECIES_COLORS[k])
        _edge(
            low,
            node,
            at,
            f"local $w$ = {net.w_out[k, 0]:g} {TIMES} upstream {d_z[k]:.3f} = {net.w_out[k, 0] * d_z[k]:.3f}",
            SPECIES_COLORS[k],
        )
    terms = " + ".join(f"({net.w_out[k, 0] * d_z[k]:.3f})" for k in range(3))
    low.text(
        8.3,
        0.0,
        f"grad of upper\n= sum over its 3 paths\n= {terms}\n= {d_z @ net.w_out[:, 0]:.3f}",
        ha="center",
        va="center",
        fontsize=9,
        bbox={"boxstyle": "round", "fc": "#fff4f8", "ec": PINK},
    )
    low.set_title("A hidden node feeds every raw output, so its gradient adds up one product per path", fontsize=10)

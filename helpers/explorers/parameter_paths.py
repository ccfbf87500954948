"""Notebook 07's path explorer: pick any of the 15 parameters and see every path from the loss
that reaches it, on the same graph as notebook 05's backpropagation explorer.

For the parameter chosen, on the flower chosen, the graph lights the nodes its paths pass
(each with its value and gradient), draws the paths back from the loss, writes each edge's
local derivative on it, and shows a closed ReLU gate (a dead node on that flower: its paths
carry 0) as a dotted edge. A table under the graph lists every path on every flower with its
product, and their sum: the parameter's gradient, as `h.gradients` gives it.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from numpy.typing import ArrayLike

from helpers import backprop as bp
from helpers import overlay as ov
from helpers.explorers.backprop import (
    BACKWARD_DONE,
    FORWARD_NOW,
    GRADIENT_NOW,
    SPOKEN,
    UNUSED,
    VALUE,
    blank_stage,
    graph_mark,
)
from helpers.explorers.base import Explorer, choice_input, control
from helpers.network import OUTPUT_BIASES, SPECIES, Network, check_data, forward
from helpers.plots import TIMES


def describe(parameter: str) -> str:
    """A parameter in words: "W1[0,0], the upper node's weight on x1 (petal width)"."""
    if parameter.startswith("W1"):
        j, i = int(parameter[3]), int(parameter[5])
        return f"{parameter}, the {bp.HIDDEN[j]} node's weight on {bp.INPUTS[i]}"
    if parameter.startswith("W2"):
        k, j = int(parameter[3]), int(parameter[5])
        return f"{parameter}, {bp.RAW[k]}'s weight on the {bp.HIDDEN[j]} node"
    if parameter in ("b1", "b2"):
        return f"{parameter}, the {bp.HIDDEN[int(parameter[1]) - 1]} node's bias"
    return f"{parameter}, {bp.RAW[OUTPUT_BIASES.index(parameter)]}'s bias"


class ParameterPathsExplorer(Explorer):
    """Every path from the loss to any of the 15 parameters, on the network's graph.

    Parameters
    ----------
    net : Network
        The network (two hidden nodes).
    X, y : array_like
        The flowers, (n, 2) inputs and n species indices (the flower dropdown offers each).
    parameter : str, default "W1[0,0]"
        The parameter shown first, one of `helpers.backprop.PARAMETERS`.
    """

    def __init__(self, net: Network, X: ArrayLike, y: ArrayLike, parameter: str = "W1[0,0]") -> None:
        if parameter not in bp.PARAMETERS:
            raise ValueError(f"parameter must be one of {', '.join(bp.PARAMETERS)}; got {parameter!r}")
        if net.n_hidden != 2:
            raise ValueError(f"the graph has two hidden nodes (upper, bottom); this network has {net.n_hidden}")
        self.net = net
        self.X, self.y = check_data(X, y)
        self.texts = [""]
        names = [f"flower {i + 1} ({SPECIES[k]})" for i, k in enumerate(self.y)]
        self.parameter = widgets.Dropdown(options=bp.PARAMETERS, value=parameter, description="parameter")
        self.flower = widgets.Dropdown(options=names, value=names[0], description="flower")
        tables, lists = self._tables()
        drawn = blank_stage()
        inputs = {
            "parameter": choice_input(list(range(len(bp.PARAMETERS))), bp.PARAMETERS.index(parameter)),
            "flower": choice_input(list(range(len(self.y))), 0),
        }
        spec = {
            "size": drawn.size,
            "axes": drawn.axes,
            "values": {},
            "lists": {"texts": self.texts, **lists, "flowers": names},
            "marks": [graph_mark("nodes", "node_sums", "edges", "texts")],
            "readouts": [
                {"where": "above", "class": "paths-status", "html": "{parameter:@sums}"},
                {
                    "where": "below",
                    "class": "paths-table",
                    "region": "every path to the parameter",
                    "html": "{parameter:@tables}",
                },
            ],
            "describe": "The network's computation graph, lit for {parameter:@names} on {flower:@flowers}: {parameter:@said}",
            "announce": "{parameter:@names}, {flower:@flowers}: {parameter:@sums}",
            "controls": [control(self.parameter, "parameter", "parameter"), control(self.flower, "flower", "flower")],
        }
        self.overlay = ov.Overlay(inputs, spec=spec, tables=tables, background=drawn.background)
        ov.link(self.parameter, self.overlay, "parameter", control_trait="index")
        ov.link(self.flower, self.overlay, "flower", control_trait="index")
        super().__init__([widgets.HBox([self.parameter, self.flower]), self.overlay])
        self.add_class("parameter-paths-explorer")

    def text(self, template: str) -> int:
        if template not in self.texts:
            self.texts.append(template)
        return self.texts.index(template)

    def _tables(self) -> tuple[dict, dict]:
        n, P = len(self.y), len(bp.PARAMETERS)
        nodes = np.zeros((P, n, len(bp.NODES), 3), dtype=np.int64)
        edges = np.zeros((P, n, len(bp.EDGES), 2), dtype=np.int64)
        numbers = {name: values[0] for name, values in bp.graph_numbers(self.net, self.X, self.y, [self.net.b3]).items()}
        fp = forward(self.net, self.X)
        lists: dict[str, list[str]] = {"names": [], "sums": [], "tables": [], "said": []}
        for p, parameter in enumerate(bp.PARAMETERS):
            paths = bp.parameter_paths(self.net, self.X, self.y, parameter)
            total = sum(path.product for path in paths)
            for i in range(n):
                self._light(nodes[p, i], edges[p, i], parameter, [path for path in paths if path.row == i], numbers, i, fp)
            lists["names"].append(describe(parameter))
            lists["sums"].append(
                f"{describe(parameter)}: {len(paths)} paths from the loss, {sum(not path.gate for path in paths)} through "
                f"open gates; their sum, d(total CE)/d{parameter} = {total:.4f}"
            )
            lists["tables"].append(self._table(paths, total))
            lists["said"].append(lists["sums"][-1] + ".")
        dims = ["parameter", "flower"]
        tables = {
            "nodes": ov.table(nodes, dims, "u2", 0, ov.U16_MAX),
            "node_sums": ov.table(np.zeros((P, n, len(bp.NODES))), dims, "u1"),
            "edges": ov.table(edges, dims, "u2", 0, ov.U16_MAX),
        }
        return tables, lists

    def _light(self, nodes, edges, parameter: str, paths: list[bp.Path], numbers: dict, i: int, fp) -> None:
        """One parameter on one flower: every node's value, the paths' nodes lit with their gradients,
        the paths' edges drawn back from the loss with their local derivatives, a closed gate dotted."""
        for k, name in enumerate(bp.NODES):
            nodes[k] = [
                VALUE,
                self.text(f"{numbers[name][i]:.3f}" if name not in OUTPUT_BIASES else f"{numbers[name][i]:.2f}"),
                0,
            ]
        observed = int(self.y[i])
        p_obs = bp.PROBS[observed]
        on_path: set[str] = set()
        lit: dict[str, str] = {}  # edge -> its label
        for path in paths:
            z = path.nodes[1]
            on_path |= {"CE", p_obs, z}
            lit[f"{p_obs}>CE"] = lit[f"{z}>{p_obs}"] = ""  # their numbers: the nodes' gradients
            if len(path.nodes) == 5:  # through a hidden node and its gate: a closed gate is written on
                _, _, h, a, _ = path.nodes
                on_path |= {h, a}
                lit[f"{h}>{z}"] = ""
                lit[f"{a}>{h}"] = "gate closed: 0" if path.gate else ""
        for name in on_path:
            k = bp.NODES.index(name)
            nodes[k][0] = GRADIENT_NOW
            nodes[k][2] = self.text(f"{numbers['d:' + name][i] if name != 'CE' else 1.0:.3f}")
        for name, label in lit.items():
            edges[bp.EDGE_NAMES.index(name)] = [UNUSED if label else BACKWARD_DONE, self.text(label) if label else 0]
        # where the parameter itself enters: its edge (a weight) or its node (a bias)
        if parameter.startswith("W1"):
            name = f"{bp.INPUTS[int(parameter[5])]}>{bp.HIDDEN_IN[int(parameter[3])]}"
            edges[bp.EDGE_NAMES.index(name)] = [
                FORWARD_NOW,
                self.text(f"{parameter}: local {bp.INPUTS[int(parameter[5])]} = {self.X[i, int(parameter[5])]:g}"),
            ]
        elif parameter.startswith("W2"):
            k, j = int(parameter[3]), int(parameter[5])
            name = f"{bp.HIDDEN[j]}>{bp.RAW[k]}"
            edges[bp.EDGE_NAMES.index(name)] = [
                FORWARD_NOW,
                self.text(f"{parameter}: local {bp.HIDDEN[j]} = {fp.hidden[i, j]:.3f}"),
            ]
        elif parameter in OUTPUT_BIASES:
            k = bp.NODES.index(parameter)
            nodes[k] = [GRADIENT_NOW, nodes[k][1], self.text(f"{paths[0].product:.3f}")]
            edges[bp.EDGE_NAMES.index(f"{parameter}>{bp.RAW[OUTPUT_BIASES.index(parameter)]}")] = [BACKWARD_DONE, 0]

    def _table(self, paths: list[bp.Path], total: float) -> str:
        head = "".join(f'<th scope="col">{name}</th>' for name in ("flower", "path back from the loss", "local derivatives"))
        head = f'<tr>{head}<th scope="col">product</th></tr>'
        rows = []
        for path in paths:
            flower = f"{path.row + 1} ({SPECIES[self.y[path.row]]})"
            factors = f" {TIMES} ".join(f"{v:.4g}" for v in path.locals)
            note = f" (gate closed: {path.gate})" if path.gate else ""
            route = " &larr; ".join(SPOKEN[n].split(",")[0] if n in SPOKEN else n for n in path.nodes)
            rows.append(f"<tr><td>{flower}</td><td>{route}</td><td>{factors}{note}</td><td>{path.product:.4f}</td></tr>")
        rows.append(f'<tr><td colspan="3"><b>sum of the {len(paths)} paths</b></td><td><b>{total:.4f}</b></td></tr>')
        return f"<table>{head}{''.join(rows)}</table>"

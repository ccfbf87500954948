"""Notebook 05's graph explorer: backpropagation, live, on the network's own graph.

The whole network for one flower (or the three in turn), drawn as a graph (`helpers.backprop`):
Forward step fills the nodes' values left to right, Backward step sends one product back
along one edge ("local x upstream = this gradient"), Step back undoes a step, Play runs to
the end and Reset starts again. A b3 slider and a choice of flower change every number.

Python computes, the browser draws: `graph_steps` lays out, for every flower choice and every
step, what each node and edge shows (as templates, filled from tables of every number at
every b3 of the slider); overlay.js's "graph" mark draws it and its "steps" buttons move
through it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import ipywidgets as widgets
import numpy as np
from matplotlib.figure import Figure
from numpy.typing import ArrayLike, NDArray

from helpers import backprop as bp
from helpers import overlay as ov
from helpers import plots
from helpers.explorers.base import DPI, Explorer, choice_input, control, grid_input, layers, slider
from helpers.network import OUTPUT_BIASES, SPECIES, Network, check_data
from helpers.plots import TIMES
from helpers.spec import fill

FLOWERS = (*SPECIES, "all three")  # the flower dropdown's choices
B3_STEP = 0.05  # the slider's step: 201 positions from -6 to 4, every one on the loss-curve explorer's grid
SIZE = (740, 600)  # the figure in CSS pixels: a book column's width, so it is shown at full size
NODE_SIZE = (92, 58)  # a node's box: its name, its value, its gradient

# Where each node sits (its centre, in CSS pixels), and its family color: inputs grey,
# hidden nodes blue (upper) and orange (bottom), each species' nodes in its color, the loss pink.
# Each output bias sits under the raw output it feeds.
COLUMNS = {"input": 50, "hidden_in": 162, "hidden": 274, "raw": 424, "prob": 562, "loss": 686}
HIDDEN_ROWS, OUTPUT_ROWS, BIAS_DROP = (175, 365), (80, 265, 450), 85
LAYOUT: dict[str, tuple[float, float]] = {
    **{x: (COLUMNS["input"], y) for x, y in zip(bp.INPUTS, HIDDEN_ROWS)},
    **{a: (COLUMNS["hidden_in"], y) for a, y in zip(bp.HIDDEN_IN, HIDDEN_ROWS)},
    **{h: (COLUMNS["hidden"], y) for h, y in zip(bp.HIDDEN, HIDDEN_ROWS)},
    **{b: (COLUMNS["raw"], y + BIAS_DROP) for b, y in zip(OUTPUT_BIASES, OUTPUT_ROWS)},
    **{z: (COLUMNS["raw"], y) for z, y in zip(bp.RAW, OUTPUT_ROWS)},
    **{p: (COLUMNS["prob"], y) for p, y in zip(bp.PROBS, OUTPUT_ROWS)},
    "CE": (COLUMNS["loss"], OUTPUT_ROWS[1]),
}
# Where a node's running sum is written out ("0.085 + 0.952 - 0.996 = 0.041"), in pixels from
# its centre: above the hidden nodes, under the output biases.
SUM_AT = {"upper": (0, -44), "bottom": (0, -44), "b3": (0, 44), "b4": (0, 44), "b5": (0, 44)}
HEADINGS = (("inputs", "input"), ("hidden inputs", "hidden_in"), ("ReLU", "hidden"), ("raw outputs", "raw"))
HEADINGS += (("softmax", "prob"), ("loss", "loss"))


LABEL_SIZE = (140, 20)  # room an edge's label "local x upstream = product" takes, at most (CSS pixels)


def _in_the_way(x: float, y: float) -> bool:
    """Whether an edge label centred at (x, y) would cover a node or a node's written-out sum
    (a few pixels of a box's rim may go under it)."""
    boxes = [(nx, ny, NODE_SIZE[0] - 8, NODE_SIZE[1] - 8) for nx, ny in LAYOUT.values()]
    boxes += [(LAYOUT[name][0] + dx, LAYOUT[name][1] + dy, 160, 16) for name, (dx, dy) in SUM_AT.items()]
    return any(abs(x - bx) < (LABEL_SIZE[0] + w) / 2 and abs(y - by) < (LABEL_SIZE[1] + h) / 2 for bx, by, w, h in boxes)


def edge_geometry(leaves: str, feeds: str) -> tuple[list[float], list[float]]:
    """An edge's ends and where its label goes: from the right side of the box it leaves to the
    left side of the box it feeds (from a bias, straight up into its raw output); the label in
    its middle, or, if a node or a written-out sum is in the way there, just above or below the
    node the backward pass reaches along it, whichever is free (the middle if neither is)."""
    (x0, y0), (x1, y1) = LAYOUT[leaves], LAYOUT[feeds]
    half_w, half_h = NODE_SIZE[0] / 2, NODE_SIZE[1] / 2
    ends = [x0, y0 - half_h, x1, y1 + half_h] if x0 == x1 else [x0 + half_w, y0, x1 - half_w, y1]
    away = half_h + LABEL_SIZE[1] / 2 + 2
    spots = [[(ends[0] + ends[2]) / 2, (ends[1] + ends[3]) / 2], [x0, y0 - away], [x0, y0 + away]]
    label = next((spot for spot in spots if not _in_the_way(*spot)), spots[0]) if x0 != x1 else spots[0]
    return [round(v, 1) for v in ends], [round(v, 1) for v in label]


GREY_NODE = "#767676"
COLORS = {
    **dict.fromkeys(bp.INPUTS, GREY_NODE),
    "a_up": plots.BLUE,
    "upper": plots.BLUE,
    "a_bot": plots.ORANGE,
    "bottom": plots.ORANGE,
    **{name: color for names in (bp.RAW, bp.PROBS, OUTPUT_BIASES) for name, color in zip(names, plots.SPECIES_COLORS)},
    "CE": plots.PINK,
}
SPOKEN = {  # the node's name as the table under the graph says it
    "x1": "x1, petal width",
    "x2": "x2, sepal width",
    "a_up": "a_up, the upper node's input",
    "a_bot": "a_bot, the bottom node's input",
    "upper": "upper, ReLU of a_up",
    "bottom": "bottom, ReLU of a_bot",
    "z_s": "z_s, Setosa's raw output",
    "z_ve": "z_ve, Versicolor's raw output",
    "z_vi": "z_vi, Virginica's raw output",
    "p_s": "p_s, Setosa's probability",
    "p_ve": "p_ve, Versicolor's probability",
    "p_vi": "p_vi, Virginica's probability",
    "CE": "CE, the cross entropy",
    "b3": "b3, Setosa's output bias",
    "b4": "b4, Versicolor's output bias",
    "b5": "b5, Virginica's output bias",
}
# A node's look at a step (the "graph" mark's node states) and an edge's. Color never works
# alone: the node a step fills gets a thick border, one not reached yet a dashed one; an edge
# lit forward is solid with its arrow forward, backward thick with its arrow back, done dashed.
EMPTY, VALUE, VALUE_NOW, GRADIENT, GRADIENT_NOW = range(5)
IDLE, FORWARD_NOW, BACKWARD_NOW, BACKWARD_DONE, UNUSED, FORWARD_DONE = range(6)
GRAD_INK = plots.readable(plots.PINK)  # pink text at 4.5:1 on white
NODE_LOOK = [  # by node state: fill, border width, border dash
    {"fill": "#ffffff", "width": 1.5, "dash": [4, 3]},
    {"fill": "#ffffff", "width": 2, "dash": []},
    {"fill": "#fff1bf", "width": 4.5, "dash": []},
    {"fill": "#ffffff", "width": 2, "dash": []},
    {"fill": "#fde3ee", "width": 4.5, "dash": []},
]
EDGE_LOOK = [  # by edge state: color, width, dash, arrow (1 forward, -1 back, 0 none)
    {"color": "#bdbdbd", "width": 1, "dash": [], "arrow": 0},
    {"color": plots.INK, "width": 3, "dash": [], "arrow": 1},
    {"color": GRAD_INK, "width": 4, "dash": [], "arrow": -1},
    {"color": plots.PINK, "width": 1.8, "dash": [6, 3], "arrow": -1},
    {"color": "#d6d6d6", "width": 1, "dash": [2, 3], "arrow": 0},
    {"color": "#8c8c8c", "width": 1.3, "dash": [], "arrow": 0},
]
LOOK = {"node": NODE_LOOK, "edge": EDGE_LOOK, "ink": plots.INK, "grad": GRAD_INK, "font": 13}
PHASES = ("start", "forward", "backward")


def rows_of(mode: int, y: NDArray[np.int64]) -> list[int]:
    """The training rows a flower choice runs through: the first row of that species, or all, in order."""
    if mode == len(SPECIES):
        return list(range(len(y)))
    return [int(np.flatnonzero(y == mode)[0])]


@dataclass
class GraphSteps:
    """What the graph shows at every step, for every flower choice: templates, and tables
    of template indices (filled from the numbers at the slider's b3, in the browser and by
    `text`)."""

    net: Network
    X: NDArray[np.float64]
    y: NDArray[np.int64]
    b3_grid: NDArray[np.float64]
    texts: list[str] = field(default_factory=lambda: [""])  # every template; 0 is the empty one
    values: dict = field(default_factory=dict)  # template field -> (number's name, its row or None: the step's)

    def __post_init__(self) -> None:
        self.numbers = bp.graph_numbers(self.net, self.X, self.y, self.b3_grid)  # name -> (G, n)
        # Equal numbers are sent once (d:b3 is d:z_s, the seed's product is d:p_s, ...).
        first: dict[bytes, str] = {}
        self.same = {name: first.setdefault(values.tobytes(), name) for name, values in self.numbers.items()}
        n = len(self.y)
        self.sums = {}  # the leaves' gradients and the CE summed over the first f + 1 rows
        for name in ("d:b3", "d:b4", "d:b5", "CE"):
            running = np.cumsum(self.numbers[name], axis=1)
            for f in range(1, n):
                self.sums[f"{name}@{f}"] = running[:, f]
        self.last = max(len(rows_of(mode, self.y)) for mode in range(len(FLOWERS))) * len(bp.flower_steps(0))
        shape = (len(FLOWERS), self.last + 1)
        self.node_table = np.zeros((*shape, len(bp.NODES), 3), dtype=np.int64)  # state, value text, gradient text
        self.sum_table = np.zeros((*shape, len(bp.NODES)), dtype=np.int64)  # a node's running sum, written out
        self.edge_table = np.zeros((*shape, len(bp.EDGES), 2), dtype=np.int64)  # state, label text
        self.said = np.zeros(shape, dtype=np.int64)  # the step's sentence
        self.phase = np.zeros(shape, dtype=np.int64)  # 0 start, 1 a forward step, 2 a backward step
        self.row_at = np.zeros(shape, dtype=np.int64)  # whose numbers the step shows
        self.ends = np.zeros(len(FLOWERS), dtype=np.int64)  # each choice's last step
        for mode in range(len(FLOWERS)):
            self._replay(mode)

    # --- names of numbers, as templates say them ---------------------------------------------

    def text(self, template: str) -> int:
        """The index of a template in `texts` (added once)."""
        if template not in self.texts:
            self.texts.append(template)
        return self.texts.index(template)

    def ref(self, name: str, row: int | None = None, fmt: str = ".3f") -> str:
        """A template field for number `name`: of the step's own row (None) or of a given row.
        Its spec value is made by `spec_values`, once the tables know which numbers are used."""
        name = self.same.get(name, name)
        if name in self.sums:
            key = "s_" + re.sub(r"\W", "_", name)
        else:
            key = "n_" + re.sub(r"\W", "_", name) + ("" if row is None else f"_r{row}")
        self.values[key] = (name, row)
        return f"{{{key}:{fmt}}}"

    def number(self, name: str, row: int, b3_index: int) -> float:
        """A number as Python computed it (tests compare these with the helpers)."""
        return float(self.sums[name][b3_index] if name in self.sums else self.numbers[name][b3_index, row])

    # --- the tables the browser reads ----------------------------------------------------------

    def used(self) -> tuple[list[str], list[str], list[str]]:
        """The numbers the templates name: (fixed over b3, moving with b3, sums over flowers)."""
        order = [*self.numbers, *self.sums]
        names = sorted({name for name, _ in self.values.values()}, key=order.index)
        sums = [name for name in names if name in self.sums]
        fixed = [name for name in names if name in self.numbers and np.ptp(self.numbers[name], axis=0).max() == 0]
        moving = [name for name in names if name in self.numbers and name not in fixed]
        return fixed, moving, sums

    def spec_values(self) -> dict:
        """The spec's values for every template field: a look-up in the fixed, moving or sums table."""
        fixed, moving, sums = self.used()
        values = {}
        for key, (name, row) in self.values.items():
            if name in self.sums:
                values[key] = {"table": "sums", "indices": [sums.index(name)]}
            else:
                table, names = ("fixed", fixed) if name in fixed else ("moving", moving)
                values[key] = {"table": table, "indices": ["row" if row is None else row, names.index(name)]}
        return values

    def tables(self) -> dict:
        modes = ["mode", "step"]
        fixed, moving, sums = self.used()
        G, n = len(self.b3_grid), len(self.y)

        def stack(names: list[str], pick) -> NDArray:
            return np.stack([pick(name) for name in names], axis=-1) if names else np.zeros((*pick(None).shape, 1))

        zeros = {None: np.zeros((G, n))}

        def ints(values: NDArray, dims: list[str] = modes) -> dict:
            if values.max() < 256:
                return ov.table(values, dims, "u1")
            return ov.table(values, dims, "u2", 0, ov.U16_MAX)  # integers, exactly (scale 1)

        return {
            "fixed": ov.table(stack(fixed, lambda k: self.numbers.get(k, zeros[None])[0]), []),
            "moving": ov.table(stack(moving, lambda k: self.numbers.get(k, zeros[None])), ["b3"]),
            "sums": ov.table(stack(sums, lambda k: self.sums.get(k, zeros[None][:, 0])), ["b3"]),
            "nodes": ints(self.node_table),
            "node_sums": ints(self.sum_table),
            "edges": ints(self.edge_table),
            "said": ints(self.said),
            "phase": ov.table(self.phase, modes, "u1"),
            "row_at": ov.table(self.row_at, modes, "u1"),
            "ends": ints(self.ends, ["mode"]),
        }

    # --- the passes, replayed: what every node and edge shows after each step ----------------

    def _replay(self, mode: int) -> None:
        rows = rows_of(mode, self.y)
        per_flower = bp.flower_steps(0)
        forward_count = sum(step.phase == "forward" for step in per_flower)
        backward_count = len(per_flower) - forward_count
        nodes = {name: [EMPTY, 0, 0] for name in bp.NODES}
        sums = dict.fromkeys(bp.NODES, 0)
        for b in OUTPUT_BIASES:
            nodes[b][:2] = [VALUE, self.text("{b3:.2f}" if b == "b3" else self.ref(b, rows[0], ".2f"))]
        edges = {name: [IDLE, 0] for name in bp.EDGE_NAMES}
        start = (
            "Press Forward step to run the forward pass, one node at a time, or Backward step to run it at once and start back."
        )
        self.said[mode, 0] = self.text(f"{self._who(mode, 0)}{start}")
        self._record(mode, 0, nodes, sums, edges)
        position = 0
        for f, row in enumerate(rows):
            observed = int(self.y[row])
            if f > 0:  # a new flower: its own values and gradients; the leaves keep their sums
                for name in bp.NODES:
                    if name not in OUTPUT_BIASES:
                        nodes[name], sums[name] = [EMPTY, 0, 0], 0
                edges = {name: [IDLE, 0] for name in bp.EDGE_NAMES}
            for k, step in enumerate(bp.flower_steps(observed)):
                position += 1
                for state in nodes.values():  # what was new last step is not any more
                    state[0] = {VALUE_NOW: VALUE, GRADIENT_NOW: GRADIENT}.get(state[0], state[0])
                for state in edges.values():
                    state[:] = {FORWARD_NOW: [FORWARD_DONE, 0], BACKWARD_NOW: [BACKWARD_DONE, 0]}.get(state[0], state)
                if step.phase == "forward":
                    number = k + 1
                    nodes[step.node][:2] = [VALUE_NOW, self.text(self.ref(step.node))]
                    for name in step.edges:
                        edges[name] = [FORWARD_NOW, 0]
                    if step.node == "CE":  # the edges the CE does not use carry nothing back
                        self._mark_unused(edges, observed)
                    said = f"Forward, step {number} of {forward_count}: {self._forward_text(step.node, row, observed, mode)}"
                else:
                    number = k + 1 - forward_count
                    said = f"Backward, step {number} of {backward_count}: "
                    said += self._backward(step, row, f, rows, mode, nodes, sums, edges)
                who = self._who(mode, f)
                self.said[mode, position] = self.text(who + (said[0].lower() + said[1:] if who else said))
                self.phase[mode, position] = PHASES.index(step.phase)
                self.row_at[mode, position] = row
                self._record(mode, position, nodes, sums, edges)
        self.ends[mode] = position
        self.row_at[mode, 0] = rows[0]
        for later in range(position + 1, self.last + 1):  # past the end: the end (never reached)
            self._copy(mode, position, later)

    def _who(self, mode: int, f: int) -> str:
        if mode < len(SPECIES):
            return ""
        row = rows_of(mode, self.y)[f]
        return f"{SPECIES[self.y[row]]} flower ({f + 1} of {len(self.y)}), "

    def _mark_unused(self, edges: dict, observed: int) -> None:
        for k, p in enumerate(bp.PROBS):
            if k != observed:
                edges[f"{p}>CE"][0] = UNUSED
                for z in bp.RAW:
                    edges[f"{z}>{p}"][0] = UNUSED

    def _record(self, mode: int, position: int, nodes: dict, sums: dict, edges: dict) -> None:
        self.node_table[mode, position] = [nodes[name] for name in bp.NODES]
        self.sum_table[mode, position] = [sums[name] for name in bp.NODES]
        self.edge_table[mode, position] = [edges[name] for name in bp.EDGE_NAMES]

    def _copy(self, mode: int, source: int, target: int) -> None:
        for table in (self.node_table, self.sum_table, self.edge_table, self.said, self.phase, self.row_at):
            table[mode, target] = table[mode, source]

    def _forward_text(self, node: str, row: int, observed: int, mode: int) -> str:
        r = self.ref
        w1, w2, b_hidden = self.net.w_hidden, self.net.w_out, self.net.b_hidden
        if node in bp.INPUTS:
            what = "petal width" if node == "x1" else "sepal width"
            return f"{node} = {r(node)}, the flower's {what} (scaled)."
        if node in bp.HIDDEN_IN:
            j = bp.HIDDEN_IN.index(node)
            w, b = (f"{w1[j, 0]:g} {TIMES} ", f" {_signed(w1[j, 1])} {TIMES} "), _signed(b_hidden[j])
            return f"{node} = {w[0]}{r('x1')}{w[1]}{r('x2')} {b} = {r(node)} ({w[0]}x1{w[1]}x2 + b{j + 1})."
        if node in bp.HIDDEN:
            a = bp.HIDDEN_IN[bp.HIDDEN.index(node)]
            on = self.numbers[a][0, row] > 0
            gate = "the node is on" if on else "the node is off for this flower: ReLU gives 0"
            return f"{node} = ReLU({a}) = max({r(a)}, 0) = {r(node)}: {gate}."
        if node in bp.RAW:
            k = bp.RAW.index(node)
            bias = "{b3:+.2f}" if k == 0 else _signed(self.net.b_out[k])
            return (
                f"{node} = {w2[k, 0]:g} {TIMES} {r('upper')} {_signed(w2[k, 1])} {TIMES} {r('bottom')} {bias} = {r(node)} "
                f"({w2[k, 0]:g} {TIMES} upper {_signed(w2[k, 1])} {TIMES} bottom + {OUTPUT_BIASES[k]})."
            )
        if node in bp.PROBS:
            k = bp.PROBS.index(node)
            exps = " + ".join(f"e^{r(z)}" for z in bp.RAW)
            return f"softmax: {node} = e^{bp.RAW[k]} / (e^z_s + e^z_ve + e^z_vi) = e^{r(bp.RAW[k])} / ({exps}) = {r(node)}."
        p = bp.PROBS[observed]
        text = f"CE = -log {p} = -log {r(p)} = {r('CE')}: a {SPECIES[observed]} was observed."
        rows = rows_of(mode, self.y)
        f = rows.index(row)
        if f > 0:
            terms = " ".join(r("CE", rows[g], ".3f" if g == 0 else "+.3f") for g in range(f + 1))
            text += f" Total CE so far: {terms} = {r(f'CE@{f}')}."
        return text

    def _fixed_or_field(self, name: str, row: int) -> str:
        """A number that never moves (a weight, a gate, the seed 1) as itself; else a field."""
        if np.ptp(self.numbers[name], axis=0).max() == 0:
            return f"{self.numbers[name][0, row]:g}"
        return self.ref(name)

    def _backward(self, step: bp.Step, row: int, f: int, rows: list[int], mode: int, nodes, sums, edges) -> str:
        r = self.ref
        if not step.edges:  # the seed
            nodes["CE"][0], nodes["CE"][2] = GRADIENT_NOW, self.text("1")
            return "dCE/dCE = 1: the backward pass starts at the loss."
        (name,) = step.edges
        observed = int(self.y[row])
        step = step._replace(**{key: _generic(getattr(step, key), observed) for key in ("local", "upstream", "product", "total")})
        local = self._fixed_or_field(step.local, row)
        upstream = self._fixed_or_field(step.upstream, row)
        chain = f"{local} {TIMES} {upstream} = {r(step.product)}"
        rule = bp.local_rule(name, observed)
        said = f"local {rule if rule == local else f'{rule} {local}'} {TIMES} upstream {upstream} = {r(step.product)}"
        edges[name] = [BACKWARD_NOW, self.text(chain)]
        nodes[step.node][0] = GRADIENT_NOW
        # a leaf's gradient outlives its flower (the leaves add up the flowers'): name the row
        nodes[step.node][2] = self.text(r(step.total, row if step.node in OUTPUT_BIASES else None))
        if step.node in bp.HIDDEN:  # one of three paths; the node adds the products as they arrive
            k = len(step.terms)
            terms = " ".join(r(t, fmt=".3f" if i == 0 else "+.3f") for i, t in enumerate(step.terms))
            if k > 1:
                sums[step.node] = self.text(f"{terms} = {r(step.total)}")
            text = f"dCE/d{step.node}, path {k} of 3 (through {bp.RAW[k - 1]}): {said}"
            return text + ("." if k == 1 else f"; sum {'so far' if k < 3 else 'of its 3 paths'}: {terms} = {r(step.total)}.")
        text = f"dCE/d{step.node} = {said}"
        if step.zero:
            for other in step.zero:
                nodes[other][0], nodes[other][2] = GRADIENT_NOW, self.text("0")
            return (
                text + f". {' and '.join(step.zero)} do not enter CE (a {SPECIES[observed]} was observed): their gradients are 0."
            )
        if step.node in bp.HIDDEN_IN:
            if self.numbers[step.node][0, row] > 0:
                return text + ": the ReLU is open, the gradient passes."
            return text + f": the ReLU is closed ({step.node} <= 0), nothing passes."
        if step.node not in OUTPUT_BIASES:
            return text + "."
        text += "."
        if f > 0:  # a leaf adds the flowers' gradients as they arrive
            terms = " ".join(r(step.total, rows[g], ".3f" if g == 0 else "+.3f") for g in range(f + 1))
            total = r(f"{step.total}@{f}")
            nodes[step.node][2] = self.text(total)
            sums[step.node] = self.text(f"{terms} = {total}")
            text += f" Summed over the flowers so far: {terms} = {total}."
        if step.node == "b3" and f == len(rows) - 1:
            if mode == len(SPECIES):
                text += (
                    " The backward pass ends at b3's gradient, the slope of the total CE at b3 = {b3:.2f}:"
                    " the loss-curve explorer's tangent there has this slope."
                )
            else:
                text += " The backward pass ends at b3's gradient: the slope of this flower's CE against b3."
        return text

    def text_at(self, mode: int, position: int, b3: float, node: str | None = None, part: int = 0) -> str:
        """What the graph says at a step, filled at b3 as the browser fills it (b3 on the slider's grid):
        the step's sentence (no node), or a node's value (part 1), gradient (2) or written-out sum (3)."""
        index = int(np.argmin(np.abs(self.b3_grid - b3)))
        if node is None:
            template = self.said[mode, position]
        elif part == 3:
            template = self.sum_table[mode, position, bp.NODES.index(node)]
        else:
            template = self.node_table[mode, position, bp.NODES.index(node), part]
        return fill(self.texts[int(template)], self._lookup(int(self.row_at[mode, position]), index, b3))

    def _lookup(self, row: int, index: int, b3: float):
        def value(key: str) -> float:
            if key == "b3":
                return b3
            name, at_row = self.values[key]
            if name in self.sums:
                return float(self.sums[name][index])
            return float(self.numbers[name][index, row if at_row is None else at_row])

        return value


def _generic(name: str, observed: int) -> str:
    """A number's name with the observed probability written p_obs: one column for every row."""
    return name.replace(bp.PROBS[observed], "p_obs") if ":" in name else name


def _signed(value: float) -> str:
    """A term after the first, as the signed-number format writes it: "+ 0.6", "- 2.2"."""
    return f"{'-' if value < 0 else '+'} {abs(value):g}"


def _generic(name: str, observed: int) -> str:
    """A number's name with the observed probability written p_obs: one column for every row."""
    return name.replace(bp.PROBS[observed], "p_obs") if ":" in name else name


def _signed(value: float) -> str:
    """A term after the first, as the signed-number format writes it: "+ 0.6", "- 2.2"."""
    return f"{'-' if value < 0 else '+'} {abs(value):g}"


KEY = (
    "Forward step fills each node's <b>value</b> (black), left to right; Backward step sends one <b>gradient</b> "
    "dCE/d(node) (pink, \u201cgrad\u201d) back along one edge: local derivative \u00d7 upstream gradient."
)


class BackpropExplorer(Explorer):
    """Backpropagation, live: the network's graph for one flower (or the three in turn), its
    forward pass one node a step and its backward pass one edge a step.

    Forward step, Backward step (which first finishes the forward pass), Step back, Play and
    Reset move through the steps; the b3 slider and the flower dropdown change every number.
    A table under the graph gives every node's value and gradient as text.

    Parameters
    ----------
    net : Network
        The network (two hidden nodes); its b3 is where the slider starts.
    X, y : array_like
        The training rows, (n, 2) inputs and n species indices; the first row of each
        species is the flower shown for it, and "all three" runs through every row in order.
    flower : str, default "Setosa"
        The flower shown first: a species, or "all three".
    b3_range : (float, float), default (-6.0, 4.0)
        The b3 slider's ends (steps of 0.05).
    """

    def __init__(
        self,
        net: Network,
        X: ArrayLike,
        y: ArrayLike,
        flower: str = "Setosa",
        b3_range: tuple[float, float] = (-6.0, 4.0),
    ) -> None:
        if flower not in FLOWERS:
            raise ValueError(f"flower must be one of {', '.join(FLOWERS)}; got {flower!r}")
        if net.n_hidden != 2:
            raise ValueError(f"the graph has two hidden nodes (upper, bottom); this network has {net.n_hidden}")
        self.X, self.y = check_data(X, y)
        missing = [name for k, name in enumerate(SPECIES) if not np.any(self.y == k)]
        if missing:
            raise ValueError(f"y has no {', '.join(missing)}: the flower choice needs a row of every species")
        self.start = net
        self.b3_grid = ov.grid(*b3_range, B3_STEP)
        self.steps = GraphSteps(net, self.X, self.y, self.b3_grid)
        self.flower = widgets.Dropdown(options=FLOWERS, value=flower, description="flower")
        self.b3_slider = slider("b3", net.b3, *b3_range, B3_STEP)
        drawn = blank_stage()
        tables = self.steps.tables()
        inputs = {
            "b3": grid_input(self.b3_grid, net.b3),
            "mode": choice_input(list(range(len(FLOWERS))), FLOWERS.index(flower)),
            "step": grid_input(np.arange(self.steps.last + 1, dtype=float), 0, kind="int"),
        }
        self.overlay = ov.Overlay(inputs, spec=self._spec(drawn), tables=tables, background=drawn.background)
        ov.link(self.flower, self.overlay, "mode", control_trait="index")
        ov.link(self.b3_slider, self.overlay, "b3")
        super().__init__([widgets.HBox([self.flower, self.b3_slider]), self.overlay])
        self.add_class("backprop-explorer")

    # the buttons' rules, as overlay.js applies them (tests/test_js.py runs both on the same cases)
    @property
    def position(self) -> int:
        return int(self.overlay.step)

    @property
    def end(self) -> int:
        """The last step for the flower chosen."""
        return int(self.steps.ends[self.overlay.mode])

    def forward_step(self) -> bool:
        """One forward step, if the next step is one; False otherwise."""
        k = self.position + 1
        if k > self.end or self.steps.phase[self.overlay.mode, k] != PHASES.index("forward"):
            return False
        self.overlay.step = k
        return True

    def backward_step(self) -> bool:
        """One backward step, finishing the forward pass first if it is not; False at the end."""
        k = self.position + 1
        while k <= self.end and self.steps.phase[self.overlay.mode, k] != PHASES.index("backward"):
            k += 1
        if k > self.end:
            return False
        self.overlay.step = k
        return True

    def step_back(self) -> None:
        self.overlay.step = max(self.position - 1, 0)

    def reset(self) -> None:
        self.overlay.step = 0

    @property
    def said(self) -> str:
        """The current step's sentence, as the page shows and announces it."""
        return self.steps.text_at(self.overlay.mode, self.position, self.overlay.b3)

    def shown(self, node: str) -> tuple[str, str]:
        """(value, gradient) a node shows now, as text ("" where a pass has not reached it)."""
        at = (self.overlay.mode, self.position)
        return tuple(self.steps.text_at(*at, self.overlay.b3, node, part) for part in (1, 2))  # type: ignore[return-value]

    def still(self) -> Figure:
        """The graph as drawn now (by default: the start), as a matplotlib figure; at the end of
        the backward pass it is the still figure for print and for viewers that draw no widgets."""
        return graph_figure(self.steps, self.overlay.mode, self.position, self.overlay.b3)

    def _spec(self, drawn) -> dict:
        steps = self.steps
        n = len(bp.NODES)
        values = steps.spec_values()
        values |= {"row": {"table": "row_at"}, "said": {"table": "said"}, "end": {"table": "ends"}}
        for k in range(n):
            values |= {f"nv{k}": {"table": "nodes", "indices": [k, 1]}, f"ng{k}": {"table": "nodes", "indices": [k, 2]}}
            values[f"ns{k}"] = {"table": "node_sums", "indices": [k]}
        rows = "".join(
            f'<tr><th scope="row">{SPOKEN[name]}</th><td>{{nv{k}:@graph_text}}</td><td>{{ng{k}:@graph_text}}</td>'
            f"<td>{{ns{k}:@graph_text}}</td></tr>"
            for k, name in enumerate(bp.NODES)
        )
        table = (
            '<table><tr><th scope="col">node</th><th scope="col">value</th><th scope="col">gradient dCE/d(node)</th>'
            f'<th scope="col">sum of its paths</th></tr>{rows}</table>'
        )
        graph = graph_mark("nodes", "node_sums", "edges", "graph_text")
        return {
            "size": drawn.size,
            "axes": drawn.axes,
            "values": values,
            "lists": {
                "graph_text": steps.texts,
                "flowers": ["the Setosa flower", "the Versicolor flower", "the Virginica flower", "all three flowers"],
            },
            "marks": [graph],
            "readouts": [
                {"where": "above", "class": "graph-key", "html": KEY},
                {"where": "below", "class": "graph-step", "html": "{said:@graph_text}"},
                {
                    "where": "below",
                    "class": "graph-table",
                    "region": "every node's value and gradient at this step",
                    "html": table,
                },
            ],
            # Play's pace is under the announcement's delay: a screen reader hears where Play ends
            "steps": {"input": "step", "phase": "phase", "end": "end", "interval_ms": 500},
            "rules": {"on_change": {"mode": {"step": [0] * len(FLOWERS)}}},
            "describe": "The network's computation graph for {mode:@flowers} at b3 = {b3:.2f}: inputs x1 and x2 on the "
            "left, then the hidden nodes' inputs a_up and a_bot, their ReLUs upper and bottom, the raw outputs z_s, z_ve "
            "and z_vi with the output biases b3, b4 and b5, the probabilities p_s, p_ve and p_vi, and the cross entropy CE "
            "on the right. The table below gives every node's value and gradient. Now: {said:@graph_text}",
            "announce": "{said:@graph_text}",
            "controls": [
                control(self.flower, "flower", "flower"),
                control(self.b3_slider, "b3", "b3, the Setosa output bias"),
            ],
        }


# --- the still: the graph at one step, drawn by matplotlib as the page draws it -----------


def blank_stage():
    """The explorer's figure: a white stage, the columns' headings, and one axes that maps
    CSS pixels to themselves (the graph mark's positions are pixels)."""
    width, height = SIZE
    fig = plots.new_figure(width / DPI, height / DPI, dpi=DPI)
    fig.set_layout_engine("none")  # one axes over the whole figure, placed by hand
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    _headings(ax)
    return layers(fig, [ax])


def graph_mark(states: str, sums: str, edge_states: str, texts: str) -> dict:
    """The "graph" mark of the network's graph, reading its states from the tables and list named."""
    return {
        "kind": "graph",
        "nodes": [
            {
                "name": name,
                "at": list(LAYOUT[name]),
                "color": COLORS[name],
                "ink": plots.readable(COLORS[name]),  # its name, in a shade that reads at 4.5:1
                **({"sum_at": list(SUM_AT[name])} if name in SUM_AT else {}),
            }
            for name in bp.NODES
        ],
        "edges": [[bp.NODES.index(a), bp.NODES.index(b)] for a, b in bp.EDGES],
        "geometry": [[*ends, *label_at] for ends, label_at in (edge_geometry(a, b) for a, b in bp.EDGES)],
        "states": states,
        "sums": sums,
        "edge_states": edge_states,
        "texts": texts,
        "node_size": list(NODE_SIZE),
        "look": LOOK,
    }


def graph_figure(steps: GraphSteps, mode: int = 0, position: int | None = None, b3: float | None = None) -> Figure:
    """The graph as the explorer draws it at a step (default: the end of the backward pass)
    and b3 (default: the network's): the still figure beside the explorer, and its print copy."""
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    position = int(steps.ends[mode]) if position is None else position
    b3 = steps.net.b3 if b3 is None else b3
    width, height = SIZE
    fig = plots.new_figure(width / DPI, height / DPI, dpi=DPI)
    fig.set_layout_engine("none")
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)
    ax.set_axis_off()
    pt = 72 / DPI  # matplotlib sizes are in points; the layout is in CSS pixels
    half_w, half_h = NODE_SIZE[0] / 2, NODE_SIZE[1] / 2
    lookup = steps._lookup(int(steps.row_at[mode, position]), _b3_index(steps, b3), b3)
    labels = []
    for k, (a, b) in enumerate(bp.EDGES):
        state, label = steps.edge_table[mode, position, k]
        look = EDGE_LOOK[state]
        ends, label_at = edge_geometry(a, b)
        start, end = (ends[:2], ends[2:]) if look["arrow"] >= 0 else (ends[2:], ends[:2])
        dash = (0, look["dash"]) if look["dash"] else "solid"
        arrow = FancyArrowPatch(start, end, arrowstyle="-|>" if look["arrow"] else "-", mutation_scale=14, shrinkA=0, shrinkB=0,
                                color=look["color"], lw=look["width"] * pt, linestyle=dash)  # fmt: skip
        ax.add_patch(arrow)
        if label:
            labels.append((label_at, fill(steps.texts[label], lookup)))
    for k, name in enumerate(bp.NODES):
        state = steps.node_table[mode, position, k, 0]
        look = NODE_LOOK[state]
        x, y = LAYOUT[name]
        border = (0, look["dash"]) if look["dash"] else "solid"
        ax.add_patch(
            FancyBboxPatch(
                (x - half_w, y - half_h), NODE_SIZE[0], NODE_SIZE[1], boxstyle="round,pad=0,rounding_size=8",
                fc=look["fill"], ec=COLORS[name], lw=look["width"] * pt, linestyle=border, zorder=3,
            )
        )  # fmt: skip
        value, grad, written = (steps.text_at(mode, position, b3, name, part) for part in (1, 2, 3))
        ax.text(
            x,
            y - 17,
            name,
            ha="center",
            va="center",
            fontsize=13 * pt,
            fontweight="bold",
            color=plots.readable(COLORS[name]),
            zorder=4,
        )
        ax.text(x, y, value, ha="center", va="center", fontsize=13 * pt, color=plots.INK, zorder=4)
        if grad:
            ax.text(
                x, y + 17, f"grad {grad}", ha="center", va="center", fontsize=13 * pt, fontweight="bold", color=GRAD_INK, zorder=4
            )
        if written and name in SUM_AT:
            dx, dy = SUM_AT[name]
            ax.text(x + dx, y + dy, written, ha="center", va="center", fontsize=11 * pt, color=GRAD_INK, zorder=4,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none"})  # fmt: skip
    for (x, y), text in labels:  # on top of everything
        ax.text(x, y, text, ha="center", va="center", fontsize=12 * pt, color=GRAD_INK, fontweight="bold", zorder=6,
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": GRAD_INK, "lw": 1.5 * pt})  # fmt: skip
    _headings(ax)
    return fig


def _headings(ax) -> None:
    """What each column of the graph is, above it (the picture's one static layer)."""
    for name, column in HEADINGS:
        ax.text(COLUMNS[column], 14, name, ha="center", va="center", fontsize=10, color=plots.GREY)


def _b3_index(steps: GraphSteps, b3: float) -> int:
    return int(np.argmin(np.abs(steps.b3_grid - b3)))

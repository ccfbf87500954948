"""Notebooks 02-04's explorer: one observation's cross entropy as an output bias moves."""

from __future__ import annotations

from collections.abc import Collection

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D
from numpy.typing import ArrayLike, NDArray

from helpers import overlay as ov
from helpers import plots
from helpers.explorers.base import (
    DASHES,
    DPI,
    P_NAMES,
    PX,
    Explorer,
    choice_input,
    control,
    grid_input,
    layers,
    slider,
)
from helpers.network import OUTPUT_BIASES, SPECIES, Network, check_data, output_bias_log_sweep, output_bias_sweep

PARTS = ("species", "bias", "derivative")  # what CrossEntropyExplorer's `parts` may name


class CrossEntropyExplorer(Explorer):
    """Notebooks 02-04: one observation's cross entropy as an output bias moves.

    Left: its three probabilities over the bias (the observed one, the one entering the
    cross entropy, drawn thick). Next to it: CE = -log p(observed), with the point and its
    tangent, whose slope is p_k - 1 if class k was observed, else p_k. Right (optional):
    that derivative as a curve. The curves for every species and bias that can be chosen
    are computed at once, so the dropdowns work in a page with no kernel too.

    Parameters
    ----------
    net : Network
        The network; each output bias starts at its value here.
    X, y : array_like
        The training rows, (n, 2) inputs and n species indices; the first row of each
        species is the observation shown for it.
    species : str, default "Setosa"
        The observed species shown first (the only one if "species" is not in `parts`).
    bias : str, default "b3"
        The output bias that moves first (the only one if "bias" is not in `parts`).
    parts : collection of str, default ("species",)
        The optional parts shown: "species", a dropdown to choose the observed species;
        "bias", a dropdown to choose which output bias moves; "derivative", a third panel
        with dCE/d(bias) as a curve. A name not among these raises ValueError.
    value_range : (float, float), default (-6.0, 4.0)
        The slider's ends (steps of 0.01).
    rule : bool, default True
        Whether the status line names the slope's rule ("slope = p_s - 1 = ..."). Notebook 2
        leaves it out: notebook 3 asks the reader to find that rule.
    """

    def __init__(
        self,
        net: Network,
        X: ArrayLike,
        y: ArrayLike,
        species: str = "Setosa",
        bias: str = "b3",
        parts: Collection[str] = ("species",),
        value_range: tuple[float, float] = (-6.0, 4.0),
        rule: bool = True,
    ) -> None:
        unknown = sorted(set(parts) - set(PARTS))
        if isinstance(parts, str) or unknown:
            raise ValueError(f"parts must be a collection of {', '.join(PARTS)}; got {parts!r}")
        self.parts = frozenset(parts)
        self.X, self.y = check_data(X, y)
        self.start = net
        self.show_rule = rule
        self.grid = ov.grid(*value_range, 0.01)
        choose_species, choose_bias = "species" in self.parts, "bias" in self.parts
        self.species = widgets.Dropdown(options=SPECIES, value=species, description="observed", disabled=not choose_species)
        self.bias = widgets.Dropdown(options=OUTPUT_BIASES, value=bias, description="bias", disabled=not choose_bias)
        self.slider = slider("bias" if choose_bias else bias, getattr(net, bias), *value_range)
        self.species_choices = list(range(3)) if choose_species else [SPECIES.index(species)]
        self.bias_choices = list(range(3)) if choose_bias else [OUTPUT_BIASES.index(bias)]
        numbers = self._numbers()
        drawn = self._figure(numbers["ce"], bias, value_range)
        self.overlay = ov.Overlay(
            self._inputs(species, bias), spec=self._spec(drawn, species, bias, value_range), background=drawn.background,
            tables=self._tables(numbers),
        )  # fmt: skip
        ov.link(self.species, self.overlay, "species", control_trait="index")
        ov.link(self.bias, self.overlay, "bias", control_trait="index")
        ov.link(self.slider, self.overlay, "value")
        super().__init__([widgets.HBox([self.species, self.bias]), self.slider, self.overlay])
        self.add_class("cross-entropy-explorer")

    @property
    def row(self) -> int:
        """The training row whose observed species is the one chosen."""
        return int(np.flatnonzero(self.y == self.overlay.species)[0])

    @property
    def slope(self) -> float:
        """dCE/d(bias) of the chosen row at the slider's value: p_k - [observed is k]."""
        observed, k = self.overlay.species, self.overlay.bias
        probs = output_bias_sweep(self.start, self.X[self.row], OUTPUT_BIASES[k], [self.overlay.value])[0]
        return float(probs[k] - (k == observed))

    def _numbers(self) -> dict[str, NDArray]:
        """Every number at every (bias, species, value): one sweep per bias, vectorized over rows and values."""
        rows = [int(np.flatnonzero(self.y == s)[0]) for s in self.species_choices]  # the row of each species
        sweeps = [output_bias_log_sweep(self.start, self.X[rows], OUTPUT_BIASES[b], self.grid) for b in self.bias_choices]
        log_p = np.stack([np.swapaxes(sweep, 0, 1) for sweep in sweeps])
        observed = np.array(self.species_choices)[None, :, None]  # the class whose -log p is the CE
        moving = np.array(self.bias_choices)[:, None, None]  # the class whose raw output the bias moves

        def pick(classes: NDArray) -> NDArray:
            return np.take_along_axis(log_p, np.broadcast_to(classes, log_p.shape[:3])[..., None], axis=3)[..., 0]

        rule = np.array([[3 * b + s for s in self.species_choices] for b in self.bias_choices])  # which "slope = ..." text
        slope = np.exp(pick(moving)) - (moving == observed)  # p_k - [k observed]
        return {"probs": np.exp(log_p), "ce": -pick(observed), "slope": slope, "rule": rule}

    @staticmethod
    def _tables(numbers: dict[str, NDArray]) -> dict:
        dims = ["bias", "species", "value"]
        return {
            "probs": ov.table(numbers["probs"], dims, "u2"),
            "ce": ov.table(numbers["ce"], dims),
            "slope": ov.table(numbers["slope"], dims, "u2", -1, 1),
            "rule": ov.table(numbers["rule"], dims[:2], "u1"),
        }

    def _figure(self, ce: NDArray, bias: str, value_range: tuple[float, float]):
        show_derivative = "derivative" in self.parts
        panels = 3 if show_derivative else 2
        fig = plots.new_figure(min(3.0 * panels + 0.4, 8.0), 3.2, dpi=DPI)  # at most 800 px: a notebook column
        axes = list(fig.subplots(1, panels))
        x_label = "bias value" if "bias" in self.parts else f"${bias[0]}_{bias[1]}$"
        thick = " (observed: thick)" if "species" in self.parts else ""
        plots.style_axes(axes[0], f"probabilities{thick}", x_label)
        plots.style_axes(axes[1], "CE = $-\\log p_{observed}$", x_label)
        axes[0].set_ylim(-0.02, 1.02)
        axes[1].set_ylim(0, float(ce.max()) * 1.05 + 0.1)
        if show_derivative:
            plots.style_axes(axes[2], "its slope dCE/d(bias)", x_label)
            axes[2].axhline(0, color="#999999", lw=0.8)
            axes[2].set_ylim(-1.05, 1.05)
        for ax in axes:
            ax.set_xlim(*value_range)
        legend = [
            Line2D([], [], color=color, ls=dash, marker=marker, mec=plots.INK, mew=0.6, ms=6, label=name)
            for name, color, dash, marker in zip(SPECIES, plots.SPECIES_COLORS, plots.SPECIES_LINESTYLES, plots.SPECIES_MARKERS)
        ]
        axes[0].legend(handles=legend, fontsize=7, loc="upper left")  # above the curves that start near 0.45
        return layers(fig, axes)

    def _inputs(self, species: str, bias: str) -> dict:
        return {
            "bias": choice_input(self.bias_choices, self.bias_choices[0]),
            "species": choice_input(self.species_choices, SPECIES.index(species)),
            "value": grid_input(self.grid, getattr(self.start, bias)),
        }

    def _marks(self) -> list[dict]:
        def probability_curve(k: int, color: str) -> dict:
            curve = {"kind": "curve", "axes": 0, "table": "probs", "over": "value", "indices": [k], "color": color}
            thick = {"value": "species", "equals": k, "style": {"width": 3 * PX, "alpha": 1}}
            return {**curve, "width": 1.2 * PX, "dash": DASHES[k], "alpha": 0.6, "highlight": thick}

        marks = [probability_curve(k, color) for k, color in enumerate(plots.SPECIES_COLORS)]
        marks += [
            {"kind": "point", "axes": 0, "x": "value", "y": f"p{k}", "size": 7 * PX, "color": c, "marker": m, "edge": plots.INK}
            for k, (c, m) in enumerate(zip(plots.SPECIES_COLORS, plots.SPECIES_MARKERS))
        ]
        tangent = {"kind": "tangent", "axes": 1, "x": "value", "y": "ce", "slope": "slope", "half": 1.5}
        marks += [
            {"kind": "curve", "axes": 1, "table": "ce", "over": "value", "color": plots.INK, "width": 2 * PX},
            {**tangent, "color": plots.PINK, "width": 1.5 * PX},
            {"kind": "point", "axes": 1, "x": "value", "y": "ce", "size": 9 * PX, "color": plots.PINK, "edge": "white"},
        ]
        if "derivative" in self.parts:
            marks += [
                {"kind": "curve", "axes": 2, "table": "slope", "over": "value", "color": plots.PINK, "width": 2 * PX},
                {"kind": "point", "axes": 2, "x": "value", "y": "slope", "size": 8 * PX, "color": plots.PINK, "edge": "white"},
            ]
        return marks

    def _spec(self, drawn, species: str, bias: str, value_range: tuple[float, float]) -> dict:
        values = {f"p{k}": {"table": "probs", "indices": [k]} for k in range(3)}
        values |= {"p_obs": {"table": "probs", "indices": ["species"]}, "ce": {"table": "ce"}}
        values |= {"slope": {"table": "slope"}, "rule": {"table": "rule"}}
        rules = [f"{P_NAMES[b]} \u2212 1" if b == s else P_NAMES[b] for b in range(3) for s in range(3)]
        said = "{rule:@rules} = " if self.show_rule else ""  # notebook 2 shows the slope, not yet its rule
        status = (
            "<b>{bias:@biases} = {value:.2f}</b> &nbsp; {species:@p_names} = {p_obs:.3f} &nbsp; CE = {ce:.3f}"
            f" &nbsp; slope = {said}{{slope:.3f}}"
        )
        # the CE panel is the middle one only when the derivative's panel follows it
        ce_panel, last = ("Middle", " Right: the slope as a curve.") if "derivative" in self.parts else ("Right", "")
        return {
            "size": drawn.size,
            "axes": drawn.axes,
            "values": values,
            "lists": {"species": list(SPECIES), "biases": list(OUTPUT_BIASES), "rules": rules, "p_names": list(P_NAMES)},
            "marks": self._marks(),
            "readouts": [{"where": "above", "class": "ce-status", "html": status}],
            # a new bias starts at its own value in the network, as the slider shows
            "rules": {"on_change": {"bias": {"value": [getattr(self.start, name) for name in OUTPUT_BIASES]}}},
            "describe": "Observed {species:@species}. Left: the three probabilities as {bias:@biases} moves from "
            f"{value_range[0]:g} to {value_range[1]:g}, the observed one thick. {ce_panel}: the cross entropy "
            f"-log {{species:@p_names}} with its tangent.{last} Now {{bias:@biases}} = {{value:.2f}}: "
            f"{{species:@p_names}} = {{p_obs:.3f}}, CE = {{ce:.3f}}, slope {said}{{slope:.3f}}.",
            "announce": "{bias:@biases} = {value:.2f}, observed {species:@species}: {species:@p_names} = {p_obs:.3f}, "
            "CE = {ce:.3f}, slope = {slope:.3f}.",
            "controls": [
                control(self.species, "species", "observed species"),
                control(self.bias, "bias", "output bias to move"),
                control(self.slider, "value", "value of the bias" if "bias" in self.parts else f"{bias}, the output bias"),
            ],
        }

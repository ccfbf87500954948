"""Colour is never the only clue, and every colour reads: the species' colours stay apart
under simulated colour-vision deficiencies (Machado et al. 2009, full severity, computed by
colorspacious), species also differ by marker and line style, and figure colours stand out
from the white background (WCAG contrast: 3:1 for graphics, 4.5:1 for text)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE
from matplotlib.colors import to_rgb

from helpers import plots

SIMULATIONS = {
    "normal vision": None,
    "deuteranopia": "deuteranomaly",
    "protanopia": "protanomaly",
    "tritanopia": "tritanomaly",
}
MIN_DISTANCE = 15  # CAM02-UCS units: clearly different at a glance


def seen_with(color: str, deficiency: str | None) -> np.ndarray:
    rgb = np.array(to_rgb(color))
    if deficiency is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": deficiency, "severity": 100}
    return np.clip(cspace_convert(rgb, space, "sRGB1"), 0, 1)


def contrast(color: str, background: str = "white") -> float:
    def luminance(rgb) -> float:
        rgb = np.asarray(rgb)
        linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(linear @ [0.2126, 0.7152, 0.0722])

    a, b = luminance(to_rgb(color)), luminance(to_rgb(background))
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def worst_species_distance(deficiency: str | None) -> float:
    seen = [seen_with(color, deficiency) for color in plots.SPECIES_COLORS]
    return min(deltaE(a, b, input_space="sRGB1") for a, b in itertools.combinations(seen, 2))


@pytest.mark.parametrize("name", SIMULATIONS)
def test_species_colours_stay_apart(name):
    distance = worst_species_distance(SIMULATIONS[name])
    assert distance >= MIN_DISTANCE, f"under {name} two species' colours are only {distance:.1f} apart"


def test_species_differ_by_more_than_colour():
    for styles in (plots.SPECIES_MARKERS, plots.SPECIES_LINESTYLES, plots.SPECIES_HATCHES):
        assert len(styles) == 3 == len(set(styles))


@pytest.mark.parametrize("name", ["BLUE", "ORANGE", "GREEN", "RED", "PURPLE", "PINK", "GREY"])
def test_figure_colours_stand_out_from_white(name):
    assert contrast(getattr(plots, name)) >= 3.0, f"{name} is {contrast(getattr(plots, name)):.2f}:1 against white"


@pytest.mark.parametrize("color", [*plots.SPECIES_COLORS, plots.BLUE, plots.ORANGE, plots.PINK, "#ffff00"])
def test_readable_shades_reach_text_contrast(color):
    shade = plots.readable(color)
    assert contrast(shade) >= 4.5
    assert contrast(shade, "white") < 5.5 or contrast(color) >= 4.5, "darkened more than needed"
    assert contrast("white", plots.readable(color, "white")) >= 4.5  # white text on it, too

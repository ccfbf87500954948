"""Every figure in the notebooks has alt text: an <img> whose alt says what it shows, never
a bare PNG (JupyterLab would give it none, nbconvert a placeholder)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import helpers as h
from helpers import plots
from helpers.style import connected_regions, input_grid

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("*.ipynb"))


def figure_outputs(notebook: Path):
    for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data or "<img" in "".join(data.get("text/html", "")):
                yield data


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name[:2])
def test_every_figure_has_alt_text(notebook):
    figures = list(figure_outputs(notebook))
    assert figures, f"{notebook.name} shows no figure"
    for data in figures:
        assert "image/png" not in data, "a bare PNG output: display figures with plots.show(fig, alt=...)"
        alt = re.search(r'alt="([^"]*)"', "".join(data["text/html"])).group(1)
        assert len(alt.split()) >= 8, f"alt text too short to say what to notice: {alt!r}"
        assert "".join(data["text/plain"]) == f"Figure: {alt}".replace("&#x27;", "'").replace("&quot;", '"')


def test_a_figure_without_alt_text_is_refused():
    fig = plots.new_figure(2, 2)
    with pytest.raises(ValueError, match="alt text"):
        plots.show(fig, alt="  ")
    picture = plots.show(fig, alt='A "small" <empty> figure')
    assert 'alt="A &quot;small&quot; &lt;empty&gt; figure"' in picture._repr_html_()
    assert plots.png_size(picture.png) == (200, 200)


def test_every_connected_region_is_found_and_named():
    """At b3 = -2 the network predicts Setosa nowhere and Virginica in two separate regions (notebook 1)."""
    petal, _, points = input_grid(120)
    square = h.forward(h.Network(), points).probs.argmax(axis=1).reshape(petal.shape)
    pieces = connected_regions(square)
    assert [len(np.unique(pieces[square == k])) for k in range(3)] == [0, 1, 2]
    fig = plots.flower_predictions_figure(h.Network(), *h.training_data())
    names = sorted(text.get_text() for text in fig.axes[0].texts if text.get_text() in h.SPECIES)
    assert names == ["Versicolor", "Virginica", "Virginica"]
    stripes = np.array([[0, 1, 0], [0, 1, 0]])  # two regions of class 0 either side of class 1
    assert len(np.unique(connected_regions(stripes))) == 3

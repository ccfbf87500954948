"""The notebooks exported to standalone pages (tools/export_html.py), opened in Chromium from
the disk with every request outside the page's folder refused: no kernel, no network.

Every explorer must render; the main explorer's b3 slider, Step, Play and Reset must work
and print what Python prints for the same b3; no console errors.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

import helpers as h
from tests import lab as labtools
from tests.test_browser import need_chromium, screenshot, skip_or_fail
from tools import export_html

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EXPLORER = ".loss-curve-explorer"

pytestmark = pytest.mark.browser


def explorers_in(notebook: Path) -> int:
    """How many browser-drawn figures the notebook's saved widget state holds."""
    metadata = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
    state = metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return sum(model["model_name"] == "AnyModel" for model in state.values())


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    need_chromium()
    if not (export_html.NODE_MODULES / export_html.HTML_MANAGER / "embed-amd.js").exists():
        skip_or_fail("the page scripts are not installed: run `npm ci` in the repository root")
    out = tmp_path_factory.mktemp("pages")
    export_html.install_vendor(out)
    html = export_html.exporter()
    for notebook in NOTEBOOKS:
        export_html.export(notebook, out, html)
    return out


@pytest.fixture(scope="module")
def browser(pages):
    with labtools.chromium_page(1400, 1000) as page:
        yield page


class Visit:
    """One page opened from the disk, with what it logged and what it tried to fetch."""

    def __init__(self, page, folder: Path, name: str) -> None:
        self.page, self.errors, self.refused = page, [], []
        base = folder.as_uri() + "/"

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith((base, "data:", "blob:")):
                request_route.continue_()
            else:
                self.refused.append(url)
                request_route.abort()

        page.unroute("**/*")
        page.route("**/*", route)
        page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.goto(base + name)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem[:2])
def test_every_explorer_renders_with_no_kernel_and_no_network(browser, pages, notebook):
    visit = Visit(browser, pages, f"{notebook.stem}.html")
    count = explorers_in(notebook)
    try:
        browser.wait_for_function(
            f"document.querySelectorAll('.overlay-root[data-frames]').length === {count}"
            " && [...document.querySelectorAll('.overlay-background')].every(img => img.complete && img.naturalWidth > 0)",
            timeout=30_000,
        )
        assert "Click to show javascript error" not in browser.content()
        assert visit.refused == [], visit.refused
        assert visit.errors == [], visit.errors
    except Exception:
        screenshot(browser, f"export-{notebook.stem[:2]}")
        raise


def expected_at(b3: float) -> tuple[str, list[str]]:
    """What Python prints for that b3: the status line's numbers and the table's."""
    X, y = h.training_data()
    net = h.Network().with_biases(b3=b3)
    probs = h.forward(net, X).probs
    ce = h.cross_entropy(probs, y)
    slope = h.bias_derivatives(net, X, y)["b3"]
    status = f"b3 = {b3:.2f} total CE = {ce.sum():.3f} slope d(total CE)/db3 = {slope:.3f}"
    status += f" next step: b3 \u2212 1.00 \u00d7 slope = {b3 - slope:.2f}"
    cells = []
    for i in range(3):
        cells += [f"{v:.2f}" for v in (*X[i], *probs[i], ce[i], probs[i, 0] - (y[i] == 0))]
    return status, [*cells, f"{ce.sum():.2f}", f"{slope:.2f}"]


def test_the_main_explorer_works_with_no_kernel(browser, pages):
    visit = Visit(browser, pages, "05_optimizing_b3.html")
    try:
        browser.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=30_000)
        assert browser.locator(f"{EXPLORER} .overlay-note").inner_text().startswith("b4 and b5 reshape the curve in Python")
        assert browser.locator(f"{EXPLORER} .widget-slider .noUi-target").nth(2).get_attribute("disabled") is not None

        canvas = f"document.querySelector('{EXPLORER} .overlay-canvas').toDataURL()"
        drawn_before = browser.evaluate(canvas)
        browser.focus(f"{EXPLORER} .widget-slider .noUi-handle >> nth=0")
        for _ in range(10):
            browser.keyboard.press("ArrowRight")
        assert browser.evaluate(canvas) != drawn_before  # the point and its tangent moved
        status, cells = expected_at(-1.90)
        shown = " ".join(browser.locator(f"{EXPLORER} .loss-status").inner_text().split())
        assert shown == status
        table = browser.locator(f"{EXPLORER} .loss-table").inner_text()
        assert re.findall(r"-?\d+\.\d+", table) == cells

        browser.click(f"{EXPLORER} button:has-text('Reset')")
        for expected in ("-1.23", "-0.66"):
            browser.click(f"{EXPLORER} button:has-text('Step')")
            assert f"b3 = {expected}" in browser.locator(f"{EXPLORER} .loss-status").inner_text()
        browser.click(f"{EXPLORER} button:has-text('Play')")
        browser.wait_for_function(
            f"document.querySelector('{EXPLORER} .overlay-buttons').innerText.includes('Play')", timeout=20_000, polling=100
        )
        minimum = h.b3_minimum(h.Network(), *h.training_data())[0]
        assert f"b3 = {minimum:.2f}" in browser.locator(f"{EXPLORER} .loss-status").inner_text()
        assert int(browser.locator(f"{EXPLORER} .overlay-root").get_attribute("data-frames")) > 12
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)
    except Exception:
        screenshot(browser, "export-05-explorer")
        raise


def test_exported_page_keeps_no_network_address(pages):
    """Every script and style the pages name lives beside them (only links to read elsewhere)."""
    for page in pages.glob("*.html"):
        sources = re.findall(r'(?:src|href)="([^"]+)"', page.read_text(encoding="utf-8"))
        remote = [s for s in sources if s.startswith(("http:", "https:", "//")) and not s.startswith("https://mybinder")]
        scripts = [s for s in remote if s.endswith((".js", ".css")) or "cdn" in s]
        assert scripts == [], f"{page.name} loads {scripts}"
    assert np.all(
        [(pages / "vendor" / name).exists() for name in ("require.js", "anywidget.js", "@jupyter-widgets/embed-amd.js")]
    )

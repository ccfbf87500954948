"""The real thing: JupyterLab in headless Chromium, notebook 05 run from the top, the b3
slider moved with the keyboard and the Step button clicked, as a reader would."""

from __future__ import annotations

import os
import re
import statistics
from pathlib import Path

import pytest

from tests import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = next((ROOT / "notebooks").glob("05_*.ipynb"), None)
EXPLORER = ".loss-curve-explorer"
ARTIFACTS = ROOT / "test-artifacts"

pytestmark = pytest.mark.browser


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER_TEST"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER_TEST is set, so the browser test may not skip)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def page():
    if labtools.find_chromium() is None:
        _skip_or_fail("no Chromium found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM=/path")
    pytest.importorskip("playwright", reason="pip install playwright (never `playwright install`: it downloads)")
    assert NOTEBOOK is not None, "notebooks/05_*.ipynb is missing"
    with labtools.jupyter_lab([NOTEBOOK]) as lab, labtools.chromium_page() as page:
        try:
            labtools.open_and_run_all(page, lab, NOTEBOOK.name, f"{EXPLORER} img.live-frame[src^='blob:']")
            yield page
        except Exception:
            _screenshot(page, "run-all")
            raise


def _screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"), full_page=True)


@pytest.fixture
def screenshot_on_failure(page, request):
    yield
    report = getattr(request.node, "rep_call", None)  # set by tests/conftest.py
    if report is not None and report.failed:
        _screenshot(page, request.node.name)


def _readouts(page) -> list[float]:
    texts = page.locator(f"{EXPLORER} .widget-readout").all_inner_texts()
    return [float(text.replace("\u2212", "-")) for text in texts]  # the readout writes a true minus sign


def _b3(page) -> float:
    return _readouts(page)[0]  # the first slider of the explorer is b3


def test_notebook_runs_without_error_output(page, screenshot_on_failure):
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert errors.count() == 0, errors.all_inner_texts()
    assert page.locator(f"{EXPLORER} img.live-background[src^='blob:']").count() == 1


def test_keyboard_moves_the_slider_and_the_figure(page, screenshot_on_failure):
    frame = page.locator(f"{EXPLORER} img.live-frame")
    before_src, before_b3 = frame.get_attribute("src"), _b3(page)
    latencies = labtools.keypress_latencies(
        page, f"{EXPLORER} .widget-slider .noUi-handle >> nth=0", f"{EXPLORER} img.live-frame", "src", presses=20
    )
    assert _b3(page) == pytest.approx(before_b3 + 20 * 0.01, abs=1e-9)
    assert frame.get_attribute("src") != before_src
    status = page.locator(f"{EXPLORER} .widget-html").first.inner_text()
    assert re.search(rf"b3 = {_b3(page):.2f}", status), status
    src = statistics.median(row["src"] for row in latencies)
    painted = statistics.median(row["painted"] for row in latencies)
    print(f"\nkeypress to new picture, {len(latencies)} presses: median {src:.0f} ms to new src, {painted:.0f} ms painted")


def _wait_for_b3(page, value: float) -> None:
    page.wait_for_function(
        f"Math.abs(parseFloat(document.querySelector('{EXPLORER} .widget-readout').textContent"
        f".replace('\\u2212', '-')) - ({value})) < 0.005",
        timeout=10_000,
    )


def test_step_moves_b3_toward_the_minimum(page, screenshot_on_failure):
    minimum = -0.031653
    page.click(f"{EXPLORER} button:has-text('Reset')")
    _wait_for_b3(page, -2.0)
    frame = page.locator(f"{EXPLORER} img.live-frame")
    for expected in (-1.2268, -0.6623):  # the series' first two steps, learning rate 1
        src = frame.get_attribute("src")
        page.click(f"{EXPLORER} button:has-text('Step')")
        _wait_for_b3(page, expected)
        page.wait_for_function(f"document.querySelector('{EXPLORER} img.live-frame').src !== '{src}'", timeout=10_000)
    assert abs(_b3(page) - minimum) < abs(-2 - minimum)

"""The real thing: JupyterLab in headless Chromium, notebook 05 run from the top, the b3
slider moved with the keyboard and the Step button clicked, as a reader would. The figure
must move at once (drawn in the browser), and the kernel must end up holding the same b3."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests import axe
from tests.browser import need_chromium, screenshot
from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = next((ROOT / "notebooks").glob("05_*.ipynb"), None)
EXPLORER = ".loss-curve-explorer"
HANDLE = f"{EXPLORER} .widget-slider .noUi-handle >> nth=0"  # the first slider is b3

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def session():
    need_chromium()
    assert NOTEBOOK is not None, "notebooks/05_*.ipynb is missing"
    with labtools.jupyter_lab([NOTEBOOK]) as lab, labtools.chromium_page() as page:
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            labtools.open_and_run_all(page, lab, NOTEBOOK.name, f"{EXPLORER} .overlay-root[data-frames]")
            labtools.install_probe(page, f"{EXPLORER} .overlay-root", "overlay")
            yield lab, page, errors
        except Exception:
            screenshot(page, "run-all")
            raise


@pytest.fixture
def page(session, request):
    yield session[1]
    report = getattr(request.node, "rep_call", None)  # set by tests/conftest.py
    if report is not None and report.failed:
        screenshot(session[1], request.node.name)


def status(page) -> str:
    # in view first: JupyterLab skips rendering cells far off screen (their text reads as "", and the
    # explorer draws its status once it is seen)
    page.locator(EXPLORER).scroll_into_view_if_needed()
    page.wait_for_function(f"document.querySelector('{EXPLORER} .loss-status').innerText.includes('b3 = ')", timeout=10_000)
    return page.locator(f"{EXPLORER} .loss-status").inner_text()


def shown_b3(page) -> float:
    return float(re.search(r"b3 = (-?\d+\.\d+)", status(page)).group(1))


def kernel_b3(session) -> tuple[float, float]:
    """(the point's b3, the slider's value) as the kernel holds them."""
    lab, _, _ = session
    printed = lab.kernel_output(NOTEBOOK.name, "print(explorer.point[0], explorer.b3_slider.value)")
    point, slider = printed.split()
    return float(point), float(slider)


def test_notebook_runs_without_errors(session, page):
    outputs = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    assert outputs.count() == 0, outputs.all_inner_texts()
    assert page.locator(f"{EXPLORER} .overlay-background[src^='blob:']").count() == 1
    assert session[2] == [], session[2]


def test_the_slider_moves_the_drawing_at_once(session, page):
    before = shown_b3(page)
    labtools.single_presses(page, HANDLE, presses=20)  # each waits for its repaint (how fast: benchmarks/)
    assert shown_b3(page) == pytest.approx(before + 0.20, abs=1e-9)


def test_a_held_key_moves_the_drawing_and_the_kernel_ends_equal(session, page):
    # How many frames a held key paints is a timing: benchmarks/bench_browser_latency.py reports it.
    before = shown_b3(page)
    labtools.held_key(page, HANDLE, presses=30)
    after = shown_b3(page)
    assert after == pytest.approx(before + 0.30, abs=1e-9)
    point, slider = kernel_b3(session)
    assert point == pytest.approx(after, abs=1e-9) and slider == pytest.approx(after, abs=1e-9)


def test_step_twice_from_the_start_lands_on_the_series_values(session, page):
    page.click(f"{EXPLORER} button:has-text('Reset')")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .loss-status').innerText.includes('b3 = -2.00')")
    for expected in ("-1.23", "-0.66"):  # the series' first two steps, learning rate 1
        page.click(f"{EXPLORER} button:has-text('Step')")
        page.wait_for_function(f"document.querySelector('{EXPLORER} .loss-status').innerText.includes('b3 = {expected}')")
    assert page.locator(f"{EXPLORER} .widget-readout").first.inner_text().replace("\u2212", "-") == "-0.66"
    point, slider = kernel_b3(session)
    assert point == pytest.approx(-0.662258, abs=2e-5)  # the exact step, not the slider's rounding
    assert slider == pytest.approx(-0.66, abs=1e-9)
    assert session[2] == [], session[2]


def test_the_explorer_passes_axe_and_speaks_in_jupyterlab(session, page):
    found = axe.violations(page, EXPLORER)
    assert found == [], found
    handle = page.locator(f"{EXPLORER} .control-b3 .noUi-handle")
    assert handle.get_attribute("aria-label") == "b3, the Setosa output bias"
    handle.focus()
    page.keyboard.press("ArrowRight")
    shown = page.locator(f"{EXPLORER} .widget-readout").first.inner_text().replace("\u2212", "-")
    assert handle.get_attribute("aria-valuetext") == shown
    page.wait_for_function(
        f"document.querySelector('{EXPLORER} .overlay-status').innerText.startsWith('b3 = {shown}')", timeout=5000
    )
    assert handle.get_attribute("data-lm-suppress-shortcuts") == "true"  # the notebook's shortcuts stay out

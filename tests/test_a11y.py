"""Every reader, in the web edition's chapters (no kernel): axe-core finds no serious or critical
WCAG 2.2 AA violation in our explorers and figures; the explorers describe their picture
and announce changes in words (read here from the accessibility tree, as a screen reader
would); controls have names and readable values; Play honours reduced motion; a phone's
320 CSS px cut nothing off."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

import helpers as h
from tests import axe
from tests.browser import screenshot
from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LOSS = ".loss-curve-explorer"
OURS = ".explorer, .cell_output img"  # our content: explorers and figures (tests/test_site.py checks the page around them)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def pages(book):
    return book[0]  # the web edition, built once for the session (tests/conftest.py)


@pytest.fixture(scope="module")
def browser(pages):
    with labtools.chromium_page(1200, 900) as page:
        yield page


@pytest.fixture
def page(browser, request):
    yield browser
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot(browser, f"a11y-{request.node.name}")


def open_page(page, pages: Path, stem: str) -> None:
    page.goto((pages / f"{stem}.html").as_uri())
    page.wait_for_function(
        "[...document.querySelectorAll('.overlay-root')].every(root => root.dataset.frames)"
        " && document.querySelectorAll('.overlay-root').length > 0",
        timeout=30_000,
    )


def stem(prefix: str) -> str:
    return next(path.stem for path in NOTEBOOKS if path.name.startswith(prefix))


def status(page, explorer: str) -> str:
    return page.locator(f"{explorer} .overlay-status").inner_text()


def figure_name(page, explorer: str) -> str:
    return page.locator(f"{explorer} .overlay-stage").get_attribute("aria-label")


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name[:2])
def test_no_serious_axe_violation_in_our_content(page, pages, notebook):
    open_page(page, pages, notebook.stem)
    found = axe.violations(page, OURS)
    assert found == [], found


def test_figures_say_what_they_show(page, pages):
    open_page(page, pages, stem("05"))
    figures = ".cell_output img:not(.overlay-stage > img)"  # explorer layers are inside a named figure
    alts = page.eval_on_selector_all(figures, "imgs => imgs.map(img => img.alt)")
    assert alts and all(len(alt.split()) >= 8 and "No description" not in alt for alt in alts), alts


def test_loss_explorer_speaks(page, pages):
    """05: the tree names every control; one ArrowRight on b3 reads -1.99 and is announced;
    Step is announced with the value Python gives."""
    open_page(page, pages, stem("05"))
    tree = page.locator(LOSS).aria_snapshot()
    for name in ("b3, the Setosa output bias", "learning rate", "b4, the Versicolor output bias"):
        assert f'slider "{name}"' in tree, tree
    assert 'button "Step"' in tree and 'button "Play"' in tree and 'button "Reset"' in tree
    assert "region \"each flower's probabilities" in tree
    assert "lowest at b3 = -0.0317" in figure_name(page, LOSS) and "b3 = -2.00" in figure_name(page, LOSS)
    assert status(page, LOSS) == ""  # nothing is announced before the reader acts

    handle = page.locator(f"{LOSS} .control-b3 .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    assert handle.get_attribute("aria-valuetext") == "-1.99"
    page.wait_for_function(f"document.querySelector('{LOSS} .overlay-status').innerText.includes('-1.99')", timeout=5000)
    assert "downhill to the right" in status(page, LOSS)
    assert "b3 = -1.99" in figure_name(page, LOSS)

    net = h.Network().with_biases(b3=-1.99)
    X, y = h.training_data()
    after_step = -1.99 - h.bias_derivatives(net, X, y)["b3"]
    page.click(f"{LOSS} button:has-text('Step')")
    page.wait_for_function(
        f"document.querySelector('{LOSS} .overlay-status').innerText.startsWith('b3 = {after_step:.2f}')", timeout=5000
    )
    tree = page.locator(LOSS).aria_snapshot()
    assert f"b3 = {after_step:.2f}" in tree


def test_a_held_key_gives_one_announcement(page, pages):
    open_page(page, pages, stem("05"))
    page.evaluate(
        f"""() => {{
          window.__said = [];
          new MutationObserver(() => window.__said.push(document.querySelector('{LOSS} .overlay-status').innerText))
            .observe(document.querySelector('{LOSS} .overlay-status'), {{childList: true, subtree: true, characterData: true}});
        }}"""
    )
    page.locator(f"{LOSS} .control-b3 .noUi-handle").focus()
    for _ in range(15):
        page.keyboard.press("ArrowRight")
        time.sleep(0.05)
    page.wait_for_function("window.__said.length > 0", timeout=5000)
    time.sleep(1)
    said = page.evaluate("window.__said")
    assert len(said) == 1 and said[0].startswith("b3 = -1.85"), said


def test_controls_that_need_python_leave_the_tab_order(page, pages):
    open_page(page, pages, stem("05"))
    note = page.locator(f"{LOSS} .overlay-note")
    assert "need a running kernel" in note.inner_text()
    for name in ("b4", "b5"):
        handle = page.locator(f"{LOSS} .control-{name} .noUi-handle")
        assert handle.get_attribute("tabindex") == "-1"
        assert handle.get_attribute("aria-disabled") == "true"
        assert handle.get_attribute("aria-describedby") == note.get_attribute("id")
    page.locator(f"{LOSS} .control-learning-rate .noUi-handle").focus()
    for _ in range(3):  # past the rate's own readout, to whatever comes next
        page.keyboard.press("Tab")
        inside = page.evaluate("document.activeElement.closest('.control-b4, .control-b5') !== null")
        assert not inside, "a disabled b4/b5 control took the focus"


def test_slider_values_are_exact_and_readouts_are_no_tab_stops(page, pages):
    # APG slider: aria-valuenow is the exact value (a screen reader speaks a value only when
    # this number changes; noUiSlider rounds it to one decimal); the editable readout beside
    # each slider repeats its value, so it is neither a Tab stop nor read (tests/test_listening.py hears it)
    open_page(page, pages, stem("05"))
    handle = page.locator(f"{LOSS} .control-b3 .noUi-handle")
    handle.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        f"document.querySelector('{LOSS} .control-b3 .noUi-handle').getAttribute('aria-valuenow') === '-1.99'",
        timeout=10_000,
    )
    assert handle.get_attribute("aria-valuetext") == "-1.99"
    readouts = page.eval_on_selector_all(
        f"{LOSS} .widget-readout", "nodes => nodes.map(n => [n.tabIndex, n.getAttribute('aria-hidden')])"
    )
    assert readouts and all(r == [-1, "true"] for r in readouts), readouts


def test_focus_is_visible(page, pages):
    open_page(page, pages, stem("05"))
    page.locator(f"{LOSS} .control-b5 .noUi-handle").evaluate("node => node.blur()")
    page.locator(f"{LOSS} .control-learning-rate .noUi-handle").focus()
    while not page.evaluate("document.activeElement.matches('button')"):
        page.keyboard.press("Tab")
    style = "getComputedStyle(document.activeElement)"
    outline = page.evaluate(f"[{style}.outlineStyle, {style}.outlineWidth]")
    assert outline[0] != "none" and float(outline[1].rstrip("px")) >= 2, outline


def test_play_honours_reduced_motion(page, pages):
    page.emulate_media(reduced_motion="reduce")
    try:
        open_page(page, pages, stem("05"))
        minimum = h.b3_minimum(h.Network(), *h.training_data())[0]
        page.click(f"{LOSS} button:has-text('Play')")
        # no animation: the end is there at once (the animated Play takes 300 ms a step)
        assert f"b3 = {minimum:.2f}" in page.locator(f"{LOSS} .loss-status").inner_text()
        assert page.locator(f"{LOSS} .overlay-buttons").inner_text().count("Pause") == 0
        page.wait_for_function(f"document.querySelector('{LOSS} .overlay-status').innerText.startsWith('b3 = {minimum:.2f}')")
    finally:
        page.emulate_media(reduced_motion="no-preference")


def test_training_and_surface_explorers_speak(page, pages):
    open_page(page, pages, stem("07"))
    training = ".training-explorer"
    tree = page.locator(training).aria_snapshot()
    assert 'slider "training step"' in tree and 'button "Play"' in tree and 'button "Reset"' in tree, tree
    readout = page.locator(f"{training} .training-status").inner_text()
    assert re.fullmatch(r"step 0 of \d+: training accuracy \d+% \(\d+ of 150 flowers right\), total CE [\d.]+", readout), readout
    handle = page.locator(f"{training} .control-step .noUi-handle")
    handle.focus()
    page.keyboard.press("End")
    page.wait_for_function(f"document.querySelector('{training} .overlay-status').innerText.startsWith('step ')", timeout=5000)
    assert "step 0" not in status(page, training)

    open_page(page, pages, stem("01"))
    tree = page.locator(".surface-explorer").aria_snapshot()
    assert 'slider "b3, the Setosa output bias"' in tree and 'combobox "training flower"' in tree, tree
    assert "p_s = 0.15, p_ve = 0.40, p_vi = 0.45" in figure_name(page, ".surface-explorer")
    tree = page.locator(".flower-explorer").aria_snapshot()
    assert 'slider "petal width of the flower"' in tree and 'slider "sepal width of the flower"' in tree, tree
    assert "predicted" in page.locator(".flower-explorer .flower-status").inner_text()


def test_nothing_is_cut_off_at_phone_width(page, pages):
    page.set_viewport_size({"width": 320, "height": 640})
    try:
        open_page(page, pages, stem("05"))
        page.wait_for_timeout(300)  # the resize observer fits the figure
        geometry = page.evaluate(
            f"""() => {{
              const root = document.querySelector('{LOSS}');
              const right = (node) => node.getBoundingClientRect().right;
              const table = root.querySelector('.loss-table');
              const stage = root.querySelector('.overlay-stage');
              return {{
                root: right(root),
                readouts: [...root.querySelectorAll('.widget-readout')].map(right),
                tableScrolls: getComputedStyle(table).overflowX,
                tableRole: table.getAttribute('role'),
                scale: stage.getBoundingClientRect().width / stage.offsetWidth,
              }};
            }}"""
        )
        width = 320
        assert geometry["root"] <= width + 1, geometry
        assert all(r <= width + 1 for r in geometry["readouts"]), geometry
        assert geometry["tableScrolls"] == "auto" and geometry["tableRole"] == "region", geometry
        assert geometry["scale"] >= 0.74, geometry
        table = page.locator(f"{LOSS} .loss-table")
        table.focus()
        page.keyboard.press("ArrowRight")  # a keyboard reader scrolls the table
        page.wait_for_function(
            f"(t => t.scrollWidth <= t.clientWidth || t.scrollLeft > 0)(document.querySelector('{LOSS} .loss-table'))",
            timeout=3000,
        )
    finally:
        page.set_viewport_size({"width": 1200, "height": 900})

"""Notebook 05's backpropagation explorer in the web edition, offline (no kernel, no network):
the backward pass run by keyboard ends at b3's gradient for the Setosa flower (-0.849) and for
all three (-0.773), and, after b3 moves, at the gradient Python gives there; each step is
announced once with its numbers; axe finds nothing serious in the explorer."""

from __future__ import annotations

import pytest

import helpers as h
from tests.axe import violations
from tests.test_site import Visit, browser, site  # noqa: F401  (the web edition, built once, and Chromium)

EXPLORER = ".backprop-explorer"
pytestmark = pytest.mark.browser


def backward_to_the_end(page) -> int:
    """Press Enter on Backward step until the step under the graph is the last one."""
    page.focus(f"{EXPLORER} button:text-is('Backward step')")
    for presses in range(1, 200):
        page.keyboard.press("Enter")
        if "The backward pass ends at b3's gradient" in page.locator(f"{EXPLORER} .graph-step").inner_text():
            return presses
    raise AssertionError("the backward pass never ended")


def b3_gradient(page) -> str:
    """The gradient the table under the graph gives for b3."""
    row = page.locator(f'{EXPLORER} .graph-table tr:has(th:text-is("b3, Setosa\'s output bias"))')
    return row.locator("td").nth(1).inner_text().strip()


def test_the_backward_pass_by_keyboard_ends_at_b3s_gradient(browser, site):  # noqa: F811
    X, y = h.training_data()
    with Visit(browser, site, "05_optimizing_b3.html") as visit:
        page = visit.page
        page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=30_000)
        assert backward_to_the_end(page) == 16, "the first press also runs the forward pass"
        assert b3_gradient(page) == "-0.849"
        page.keyboard.press("Enter")
        assert page.locator(f"{EXPLORER} .overlay-status").inner_text().startswith("The backward pass is complete")
        assert "dCE/db3 = local 1 \u00d7 upstream -0.849 = -0.849" in page.locator(f"{EXPLORER} .graph-step").inner_text()
        # all three flowers, chosen by keyboard: the passes run one flower after the other
        page.focus(f"{EXPLORER} select")
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        assert page.locator(f"{EXPLORER} select").input_value() == "all three"
        backward_to_the_end(page)
        assert b3_gradient(page) == "-0.773"
        assert "-0.849 + 0.035 + 0.041 = -0.773" in page.locator(f"{EXPLORER} .graph-step").inner_text()
        # b3 moves by ten slider steps: Reset, and the pass ends at Python's gradient there
        page.focus(f"{EXPLORER} .widget-slider .noUi-handle")
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        page.click(f"{EXPLORER} button:text-is('Reset')")
        backward_to_the_end(page)
        expected = h.bias_derivatives(h.Network().with_biases(b3=-1.5), X, y)["b3"]
        assert b3_gradient(page) == f"{expected:.3f}"
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)


def test_each_step_is_announced_once_with_its_numbers(browser, site):  # noqa: F811
    with Visit(browser, site, "05_optimizing_b3.html") as visit:
        page = visit.page
        page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=30_000)
        status = page.locator(f"{EXPLORER} .overlay-status")
        assert status.get_attribute("role") == "status"
        page.focus(f"{EXPLORER} button:text-is('Backward step')")
        heard = []
        for _ in range(3):
            page.keyboard.press("Enter")
            page.wait_for_timeout(900)  # the announcement comes once the reader pauses
            heard.append(status.inner_text())
        assert heard[0].startswith("Backward, step 1 of 16: dCE/dCE = 1")
        assert heard[2] == "Backward, step 3 of 16: dCE/dz_s = local p_s(1 - p_s) 0.128 \u00d7 upstream -6.628 = -0.849."
        name = page.locator(f"{EXPLORER} .overlay-stage").get_attribute("aria-label")
        assert "computation graph for the Setosa flower at b3 = -2.00" in name and heard[2] in name
        page.click(f"{EXPLORER} button:text-is('Step back')")
        page.wait_for_timeout(900)
        assert status.inner_text().startswith("Backward, step 2 of 16: dCE/dp_s = local -1/p_s -6.628")
        print("\nannounced:", *heard, sep="\n  ")


def test_axe_finds_nothing_serious_in_the_explorer(browser, site):  # noqa: F811
    for scheme in ("light", "dark"):
        with Visit(browser, site, "05_optimizing_b3.html", scheme=scheme) as visit:
            page = visit.page
            page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=30_000)
            page.click(f"{EXPLORER} button:text-is('Backward step')")
            assert violations(page, EXPLORER) == []


def test_at_320_px_the_graph_scrolls_inside_itself(browser, site):  # noqa: F811
    with Visit(browser, site, "05_optimizing_b3.html", width=320) as visit:
        page = visit.page
        page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=30_000)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth + 1"), "the page itself does not scroll sideways"
        scroller = page.locator(f"{EXPLORER} .overlay-scroll").first
        assert scroller.get_attribute("tabindex") == "0", "the graph scrolls in a box a keyboard can reach"

"""The explorers in JupyterLab, by keyboard: a dropdown's arrow keys change its value and
leave the notebook's active cell where it was, letters insert no cells (JupyterLab's
shortcuts stay out of the explorer); notebook 08's explorer passes axe-core there too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import axe
from tests.browser import need_chromium, screenshot
from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = {prefix: next((ROOT / "notebooks").glob(f"{prefix}_*.ipynb")) for prefix in ("04", "08")}

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def lab_page():
    need_chromium()
    with labtools.jupyter_lab(list(NOTEBOOKS.values())) as lab, labtools.chromium_page() as page:
        yield lab, page


def cell_state(page) -> tuple[int, int]:
    """(index of the active cell, number of cells) in the notebook shown."""
    return page.evaluate(
        """() => {
          const cells = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell')];
          return [cells.findIndex((cell) => cell.classList.contains('jp-mod-active')), cells.length];
        }"""
    )


def test_dropdown_keys_belong_to_the_explorer(lab_page):
    lab, page = lab_page
    explorer = ".cross-entropy-explorer"
    try:
        labtools.open_and_run_all(page, lab, NOTEBOOKS["04"].name, f"{explorer} .overlay-root[data-frames]")
        select = page.locator(f"{explorer} .control-species select")
        select.scroll_into_view_if_needed()
        select.focus()
        before_value, before_cells = select.input_value(), cell_state(page)
        page.keyboard.press("ArrowDown")
        page.keyboard.press("a")  # JupyterLab's "insert a cell above", outside the explorer
        page.keyboard.press("b")
        assert select.input_value() != before_value, "ArrowDown did not change the observed species"
        assert cell_state(page) == before_cells, "the key reached the notebook: the active cell or the cells changed"
        page.wait_for_function(
            f"document.querySelector('{explorer} .overlay-status').innerText.includes('observed Versicolor')", timeout=5000
        )
    except Exception:
        screenshot(page, "lab-keys-04")
        raise


def test_training_explorer_passes_axe_in_jupyterlab(lab_page):
    lab, page = lab_page
    explorer = ".training-explorer"
    try:
        labtools.open_and_run_all(page, lab, NOTEBOOKS["08"].name, f"{explorer} .overlay-root[data-frames]")
        page.locator(explorer).scroll_into_view_if_needed()
        found = axe.violations(page, explorer)
        assert found == [], found
        tree = page.locator(explorer).aria_snapshot()
        assert 'slider "training step"' in tree and 'button "Play"' in tree, tree
    except Exception:
        screenshot(page, "lab-axe-08")
        raise

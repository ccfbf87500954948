"""The answer widgets in JupyterLab, as the README starts it: the notebook trusted and not run.
(Its own module: Playwright's sync API cannot start while another module's browser is open.)"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import need_chromium, screenshot
from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = next((ROOT / "notebooks").glob("03_*.ipynb"))

pytestmark = pytest.mark.browser


def test_in_jupyterlab_from_saved_state():
    """JupyterLab, the notebook trusted and not run (as the README starts it): the questions and the
    typed field are drawn from saved state, the math field's script comes from the repository through
    the server's files/ route, the field keeps its keys from the notebook's shortcuts, and the answer
    is judged as in the book."""
    need_chromium()
    notebook = NOTEBOOK
    with labtools.jupyter_lab([notebook], as_repository=True, trust=True) as lab, labtools.chromium_page() as page:
        shutil.copytree(ROOT / "helpers" / "js" / "dist", lab.root / "helpers" / "js" / "dist")  # as in the repository
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        try:
            page.goto(lab.url(f"lab/tree/notebooks/{notebook.name}?reset&token={lab.token}"))
            page.wait_for_selector(".answer-typed .answer-open", timeout=120_000)  # (cells far below: unrendered)
            page.click(".answer-typed .answer-open")
            page.wait_for_function("document.activeElement?.tagName === 'MATH-FIELD'", timeout=60_000)
            page.keyboard.type("1-p_s")  # in command mode "1" would make the cell a heading: the field keeps it
            page.keyboard.press("Enter")
            feedback = page.locator(".answer-typed .answer-feedback")
            feedback.wait_for(timeout=10_000)
            assert feedback.get_attribute("data-state") == "wrong" and "sign is wrong" in feedback.inner_text()
            assert page.inner_text(".answer-typed .answer-read") == "Read as: 1 \u2212 p_s"
            assert errors == []
        except Exception:
            screenshot(page, "answers-jupyterlab")
            raise

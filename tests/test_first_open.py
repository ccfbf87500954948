"""A newcomer's first minute and a lost kernel, in JupyterLab, as the README runs it: the
repository's root served (so notebook links to ../README.md resolve), the series' own
notebooks trusted. Opened without running a cell, the explorer is drawn from its saved
state and says, once, what needs a kernel; after a restart or with its kernel gone it says
so again, and what the browser draws keeps working; a re-run frees what it replaces."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from tests.browser import need_chromium, screenshot
from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = next((ROOT / "notebooks").glob("05_*.ipynb"))
PATH = f"notebooks/{NOTEBOOK.name}"
EXPLORER = ".loss-curve-explorer"
NOTE = f"{EXPLORER} .overlay-note:not([hidden])"
COUNT_WIDGETS = "from ipywidgets.widgets.widget import _instances; print(len(_instances))"

pytestmark = pytest.mark.browser


def readme_run_command() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Run it", 1)[1]
    return re.search(r"```bash\n(.*?)```", section, re.S).group(1)


def test_the_readme_trusts_the_series_and_serves_the_repository_root():
    command = readme_run_command()
    assert "jupyter trust notebooks/*.ipynb" in command
    assert "--ServerApp.root_dir=." in command and "notebooks/01_" in command


def test_every_relative_link_resolves_inside_the_served_folder():
    for notebook in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in json.loads(notebook.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", "".join(cell["source"])):
                if target.startswith(("http:", "https:", "mailto:")):
                    continue
                resolved = (notebook.parent / target).resolve()
                assert resolved.is_relative_to(ROOT), f"{notebook.name} links outside the repository: {target}"
                assert resolved.exists(), f"{notebook.name} links to {target}, which does not exist"


def test_an_untrusted_notebook_shows_what_to_do_in_the_explorers_place():
    outputs = [
        output
        for cell in json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
        for output in cell.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in output.get("data", {})
        and "Explorer" in "".join(output["data"]["text/plain"])  # not a question (helpers/answers.py)
    ]
    text = "".join(outputs[0]["data"]["text/plain"])
    assert "run the notebook (Run > Run All Cells)" in text and "still figure" in text and "\u2026" not in text


@pytest.fixture(scope="module")
def session():
    need_chromium()
    with labtools.jupyter_lab([NOTEBOOK], as_repository=True, trust=True) as lab, labtools.chromium_page() as page:
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield lab, page, errors


@pytest.fixture
def page(session, request):
    yield session[1]
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        screenshot(session[1], f"first-open-{request.node.name}")


def visible_broken_chain_marks(page) -> int:
    return page.evaluate(
        f"""[...document.querySelectorAll('{EXPLORER}, {EXPLORER} *')]
             .filter((node) => !['none', 'normal'].includes(getComputedStyle(node, '::before').content)
                               && node.matches('.jupyter-widgets-disconnected')).length"""
    )


def offline_state(page) -> dict:
    handle = page.locator(f"{EXPLORER} .control-b4 .noUi-handle")
    return {"note": page.locator(NOTE).count(), "b4_tab": handle.get_attribute("tabindex")}


def test_first_open_draws_the_explorer_from_its_saved_state(session, page):
    lab = session[0]
    page.goto(lab.url(f"lab/tree/{PATH}?reset&token={lab.token}"))
    page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=90_000)
    page.locator(EXPLORER).scroll_into_view_if_needed()
    assert page.locator(".jupyter-widgets-error-widget").count() == 0
    # drawn, then (once the page has found no kernel behind it) offline: the note, and b4 out of the Tab order
    page.wait_for_function(
        f"""(() => {{
          const note = document.querySelector('{NOTE}');
          const b4 = document.querySelector('{EXPLORER} .control-b4 .noUi-handle');
          return note && note.innerText.includes('need a running kernel') && b4 && b4.getAttribute('tabindex') === '-1';
        }})()""",
        timeout=15_000,
    )
    assert offline_state(page) == {"note": 1, "b4_tab": "-1"}
    assert visible_broken_chain_marks(page) <= 1
    readme = page.evaluate(f"fetch('/files/README.md?token={lab.token}').then((r) => r.status)")
    assert readme == 200  # the notebooks' "Contents (README)" link resolves on this server


def test_after_run_all_everything_works(session, page):
    lab, _, errors = session
    labtools.open_and_run_all(page, lab, PATH, f"{EXPLORER} .overlay-root[data-frames]")
    page.wait_for_function(f"!document.querySelector('{NOTE}')", timeout=10_000)
    assert page.locator(f"{EXPLORER} .control-b4 .noUi-handle").get_attribute("tabindex") == "0"
    assert errors == [], errors


def rerun_explorer_cell(page) -> None:
    cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell").filter(has_text="LossCurveExplorer(net, X, y)")
    cell.locator(".jp-InputPrompt").first.click()
    page.keyboard.press("Control+Enter")  # run this cell, stay on it


def test_a_rerun_frees_the_explorer_it_replaces(session, page):
    lab, _, _ = session
    before = int(lab.kernel_output(PATH, COUNT_WIDGETS))
    for _ in range(3):
        frames = page.locator(f"{EXPLORER} .overlay-root").count()
        rerun_explorer_cell(page)
        page.wait_for_timeout(1500)
        assert page.locator(f"{EXPLORER} .overlay-root").count() == frames
    after = int(lab.kernel_output(PATH, COUNT_WIDGETS))
    assert abs(after - before) <= 3, f"{before} widgets before three re-runs, {after} after"


def test_a_restart_says_so_and_a_new_run_works_again(session, page):
    lab, _, errors = session
    page.click("li.lm-MenuBar-item:has-text('Kernel')")
    page.click("li.lm-Menu-item[data-command='kernelmenu:restart']")
    page.click(".jp-Dialog-button.jp-mod-accept")
    page.wait_for_selector(NOTE, timeout=5_000)
    drawn = int(page.locator(f"{EXPLORER} .overlay-root").get_attribute("data-frames"))
    page.locator(f"{EXPLORER} .control-b3 .noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(f"document.querySelector('{EXPLORER} .overlay-root').dataset.frames > {drawn}")
    labtools.open_and_run_all(page, lab, PATH, f"{EXPLORER} .overlay-root[data-frames]")
    page.wait_for_function(f"!document.querySelector('{NOTE}')", timeout=10_000)
    assert [e for e in errors if "Cannot send" in e] == [], errors


def test_a_deleted_kernel_is_noticed_and_the_picture_keeps_working(session, page):
    lab, _, errors = session
    kernel = next(s for s in lab.api("sessions") if s["path"].endswith(NOTEBOOK.name))["kernel"]["id"]
    lab.api(f"kernels/{kernel}", method="DELETE")
    time.sleep(1.0)  # the server closes the kernel's connection
    errors.clear()
    handle = page.locator(f"{EXPLORER} .control-b3 .noUi-handle")
    handle.focus()
    drawn = int(page.locator(f"{EXPLORER} .overlay-root").get_attribute("data-frames"))
    page.keyboard.press("ArrowRight")
    page.wait_for_selector(NOTE, timeout=3_000)  # noticed on the reader's first move: no answer in 1.5 s
    presses = 1
    for _ in range(4):
        page.keyboard.press("ArrowRight")
        presses += 1
    page.click(f"{EXPLORER} button:has-text('Step')")
    page.wait_for_timeout(300)
    assert int(page.locator(f"{EXPLORER} .overlay-root").get_attribute("data-frames")) >= drawn + presses
    assert page.locator(f"{EXPLORER} .control-b4 .noUi-handle").get_attribute("tabindex") == "-1"
    # ipywidgets' own slider still tries to tell the dead kernel of each move (one message
    # a move, which no public API can stop); the explorer itself sends nothing more.
    cannot_send = [e for e in errors if "Cannot send" in e]
    assert len(cannot_send) <= presses + 2, cannot_send  # + b4 and b5 being disabled

"""A test that listens: Orca, a real screen reader, reads chapter 5 of the web edition in
Firefox ESR and in Chromium under Xvfb, driven by keys as a blind reader would, and we
assert on what it speaks (tools/screen_reader.py captures it as text).

One session per browser walks the chapter once (headings to the explorer, its table cell by
cell, Tab to the slider, arrow keys, Tab on); the tests below each check one thing the reader must hear. The
transcript (key -> what was spoken) is written to test-artifacts/listening-<browser>.txt.
"""

from __future__ import annotations

import re

import pytest

from tests.browser import ARTIFACTS, skip_or_fail
from tools import screen_reader

pytestmark = pytest.mark.browser

BROWSERS = ["firefox", "chromium"]


def walk(listener) -> list[tuple[str, list[str]]]:
    """Chapter 5 by keys: each step is (keys, what Orca said until it fell quiet)."""
    steps: list[tuple[str, list[str]]] = []

    def press(*keys: str, quiet_s: float = 2.0, until: str | None = None) -> list[str]:
        said = listener.press(*keys, quiet_s=quiet_s, timeout_s=30, until=until)
        steps.append((" ".join(keys), said))
        return said

    for _ in range(12):  # H: heading by heading to the explorer
        if any("explorer" in line.lower() for line in press("h")):
            break
    press("t")  # browse mode: the next table (the explorer's per-flower table)
    press("alt+shift+Down")  # first flower's petal width
    for _ in range(3):  # along the row to p_s: each cell with its column's header
        press("alt+shift+Right")
    press("shift+h")  # back up to the explorer's heading
    for _ in range(6):  # Tab to the b3 slider
        if any("slider" in line for line in press("Tab", until="slider")):
            break
    for _ in range(3):  # one value at a time, each waited for (the announcement comes ~1 s after)
        press("Right", quiet_s=2.5, until=r"total CE")
    press("Tab")  # the next Tab stop after the slider
    return steps


@pytest.fixture(scope="module", params=BROWSERS)
def transcript(request, book):
    absent = screen_reader.missing()
    if absent:
        skip_or_fail(f"the screen-reader test needs {', '.join(absent)} (apt-get install {screen_reader.PACKAGES})")
    browser = request.param
    page = (book[0] / "05_optimizing_b3.html").as_uri()
    last_error = None
    for _attempt in range(2):  # a busy machine can lose the first key press before the page is read
        try:
            with screen_reader.listening(page, browser, keep=ARTIFACTS / f"listening-{browser}-logs") as listener:
                steps = walk(listener)
            if any("slider" in line for _, said in steps for line in said):
                break
        except (TimeoutError, RuntimeError) as error:  # the stack did not start: try once more
            last_error = error
    else:
        if last_error is not None:
            raise last_error
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"listening-{browser}.txt").write_text(
        "".join(f"{keys:>10} -> {' | '.join(said) or '(nothing)'}\n" for keys, said in steps)
    )
    return steps


def after(steps, keys: str) -> list[list[str]]:
    return [said for pressed, said in steps if pressed == keys]


def test_headings_lead_to_the_explorer(transcript):
    assert any("The explorer heading level 2" in line for said in after(transcript, "h") for line in said), transcript


def test_the_slider_is_announced_with_its_name_and_value(transcript):
    spoken = " | ".join(line for said in after(transcript, "Tab") for line in said)
    assert re.search(r"b3, the Setosa output bias.*slider.*-2\.00", spoken), spoken


def test_every_new_slider_value_is_spoken(transcript):
    # the slider's own value on each key (APG: aria-valuenow exact), not only inside the announcement
    values = [[line.rstrip(".") for line in said] for said in after(transcript, "Right")]
    assert [v in said for v, said in zip(["-1.99", "-1.98", "-1.97"], values)] == [True] * 3, values


def test_each_key_is_followed_by_the_announcement(transcript):
    for value, said in zip(["-1.99", "-1.98", "-1.97"], after(transcript, "Right")):
        assert any(line.startswith(f"b3 = {value}: total CE") for line in said), said


def test_the_next_tab_stop_is_named_not_a_bare_number(transcript):
    said = after(transcript, "Tab")[-1]
    assert said and any(re.search(r"[a-z]{3}", line) for line in said), said
    assert not any(re.fullmatch(r"[\u2212-]?\d+\.\d+\.?", line) for line in said), said


def test_the_table_is_uniform_and_its_headers_are_spoken_in_full(transcript):
    (table,) = after(transcript, "t")
    assert any(re.search(r"table with \d+ rows \d+ columns", line) for line in table), table
    assert not any("non-uniform" in line for line in table), table
    cells = " | ".join(line for said in after(transcript, "alt+shift+Right") for line in said)
    assert "probability of Setosa" in cells and "0.15" in cells, cells
    assert not re.search(r"\bp_s\b", cells), cells

"""The answer widgets in the web edition, opened from the disk in Chromium with every request
outside the site refused (no kernel, no network): chapter 03's typed field judges `p_s - 1` right
and gives `1 - p_s`, `(p_s - 1)/ln 10` and `-1/p_s` each its own diagnosis, says why it cannot
judge an unknown symbol, and loads the math field's script only when asked; a question with
options gives feedback, its explanation unfolding after an attempt; answers stay in the browser
and can be cleared; every chapter asks at least two questions; axe finds nothing serious in the
widgets, in light and dark, and nothing is cut off at 320 px."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.axe import violations
from tools import book_pdf

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
SET_FIELD = "(latex) => { const f = document.querySelector('math-field'); f.value = latex; f.dispatchEvent(new Event('input')); }"

pytestmark = pytest.mark.browser


def questions_in(notebook: Path) -> int:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(cell["cell_type"] == "code" and "ask(" in "".join(cell["source"]) for cell in cells)


def test_every_chapter_asks_at_least_two_questions():
    assert all(questions_in(notebook) >= 2 for notebook in NOTEBOOKS), {n.stem: questions_in(n) for n in NOTEBOOKS}


@pytest.fixture(scope="module")
def browser(book):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=book_pdf.find_chromium(), args=book_pdf.CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


class Page:
    """A chapter opened from the disk; what it loaded, what was refused, what it logged."""

    def __init__(self, browser, site: Path, name: str, scheme: str = "light", width: int = 1300) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.loaded, self.refused, self.errors = [], [], []
        base = site.resolve().as_uri() + "/"

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith((base, "data:", "blob:")):
                self.loaded.append(url)
                request_route.continue_()
            else:
                self.refused.append(url)
                request_route.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.goto(base + name)
        self.page.evaluate(book_pdf.READY)
        self.page.wait_for_selector(".answer-widget", timeout=30_000)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            self.page.screenshot(path=str(ROOT / "test-artifacts" / "answers-failure.png"), full_page=True)
        self.context.close()


def judge(page, latex: str) -> tuple[str, str]:
    page.evaluate(SET_FIELD, latex)
    page.click(".answer-typed .answer-check")
    feedback = page.locator(".answer-typed .answer-feedback")
    return feedback.get_attribute("data-state"), feedback.inner_text()


def test_chapter_03_typed_answers(browser, book):
    site, _ = book
    with Page(browser, site, "03_chain_rule_one_class.html") as visit:
        page = visit.page
        assert not any("mathkit" in url for url in visit.loaded), "the math field's script came with the page"
        page.click(".answer-open")
        page.wait_for_selector("math-field", timeout=30_000)
        assert any("mathkit" in url for url in visit.loaded)
        # Typed at the keyboard: p, _, s, out of the subscript, -1, Enter.
        page.wait_for_function("document.activeElement?.tagName === 'MATH-FIELD'")  # focus moved to the new field
        page.keyboard.type("p_s")
        page.keyboard.press("ArrowRight")
        page.keyboard.type("-1")
        page.wait_for_function("document.querySelector('.answer-typed .answer-read').textContent === 'Read as: p_s \u2212 1'")
        page.keyboard.press("Enter")
        state = page.locator(".answer-typed .answer-feedback").get_attribute("data-state")
        assert state == "right" and page.inner_text(".answer-typed .answer-feedback").startswith("\u2714 Right")
        said = {latex: judge(page, latex) for latex in ("1-p_s", "\\frac{p_s-1}{\\ln 10}", "-\\frac{1}{p_s}")}
        assert all(state == "wrong" and "Not yet" in text for state, text in said.values()), said
        assert "sign is wrong" in said["1-p_s"][1]
        assert "log base 10" in said["\\frac{p_s-1}{\\ln 10}"][1]
        assert "link 1 alone" in said["-\\frac{1}{p_s}"][1]
        for latex, says in (("q-1", "not a symbol"), ("p_s-", "not finished"), ("\\frac{1}{p_s-p_s}", "divides by zero")):
            state, text = judge(page, latex)
            assert state == "unjudged" and says in text and "Right" not in text and "Not yet" not in text, (latex, text)
        judge(page, "1-p_s")
        # Kept on this device: a reload shows the last answer, judged again; "Clear" forgets it.
        page.reload()
        page.evaluate(book_pdf.READY)
        page.locator(".answer-typed").scroll_into_view_if_needed()
        page.wait_for_selector("math-field", timeout=30_000)
        page.wait_for_function("document.querySelector('.answer-typed .answer-feedback').dataset.state === 'wrong'")
        page.click(".answer-typed .answer-clear")
        assert page.evaluate("document.querySelector('math-field').value") == ""
        assert page.evaluate("Object.keys(localStorage).filter(k => k.includes('answers')).length") == 0
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)


def test_a_question_with_options(browser, book):
    site, _ = book
    with Page(browser, site, "02_derivative_setup.html") as visit:
        question = visit.page.locator(".answer-question").first
        why = question.locator(".answer-explanation")
        assert why.is_hidden()
        question.locator(".answer-check").click()
        assert "choose one of the options" in question.locator(".answer-feedback").inner_text()
        assert why.is_hidden()  # no attempt yet
        question.get_by_label("Positive").check()
        question.get_by_role("button", name="Check").click()
        feedback = question.locator(".answer-feedback")
        assert feedback.get_attribute("role") == "status"
        assert feedback.inner_text().startswith("\u2718 No: raising b\u2083")
        assert why.is_visible() and why.get_attribute("open") is None
        question.get_by_label("Negative").press("Space")
        question.get_by_label("Negative").press("Enter")  # Enter in a form submits it: Check from the keyboard
        assert feedback.inner_text().startswith("\u2714 Right: raising b\u2083")
        assert why.get_attribute("open") is not None
        assert visit.errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_chapters_answers_are_accessible_and_fit_320_px(browser, book, scheme):
    site, _ = book
    for notebook in NOTEBOOKS:
        with Page(browser, site, f"{notebook.stem}.html", scheme=scheme, width=320) as visit:
            page = visit.page
            assert page.locator(".answer-question").count() >= 2
            for index in range(page.locator(".answer-question").count()):  # an attempt each: feedback and "Why" shown
                question = page.locator(".answer-question").nth(index)
                if question.locator("input[type=radio]").count():
                    question.locator("input[type=radio]").first.check()
                else:
                    question.locator(".answer-number").fill("0.5")
                question.locator(".answer-check").click()
            if page.locator(".answer-open").count():
                page.click(".answer-open")
                page.wait_for_selector("math-field", timeout=30_000)
                judge(page, "1-p_s")
            assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)
            found = violations(page, ".answer-widget")  # (axe's own fetches of the theme's CSS fail on file://)
            assert found == [], (notebook.stem, scheme, found)
            cut = page.evaluate(
                "[...document.querySelectorAll('.answer-widget')].filter(w => w.scrollWidth > w.clientWidth + 1).length"
            )
            assert cut == 0, f"{notebook.stem}: an answer widget is wider than the column at 320 px"

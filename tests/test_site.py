"""The web edition (tools/build_site.py), built from the committed notebooks and opened in Chromium
straight from the disk with every request outside the site refused: no kernel, no network.

Every page: no console error, formulas typeset (no raw TeX left), every explorer drawn, the page
chrome at WCAG 2.2 AA (axe-core, explorers and figures excluded: they belong to their own issue),
no Tab stop in a formula, a skip link and landmarks, within the weight budget. The site: a front
door, unique titles, every in-site link and anchor resolving, search answering from file://, the
reader's dark preference followed, the size budget, the print stylesheet and book.pdf. The main
explorer's slider, Step, Play and Reset work with no kernel. The repository setting: unset, no
link needs it and none is printed; set, every chapter has its Binder and report links.
"""

from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

import helpers as h
from tests.axe import AXE
from tools import book_pdf, build_site

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
EXPLORER = ".loss-curve-explorer"
REPOSITORY = "https://github.com/example-owner/cross-entropy-book"
SITE_BUDGET, PAGE_BUDGET = 15_000_000, 6_000_000
FIRST_EXPLORER_BUDGET_S = 2.1  # what the nbconvert pages took from disk before the book (issue 18)
# What axe checks: WCAG 2.0, 2.1 and 2.2, levels A and AA. What is inside an explorer or a figure
# is the issue "Every reader"'s, so those are left out here.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_EXCLUDE = [".cell_output:has(.jupyter-widgets)", ".cell_output img"]
MEASURED: dict[str, float] = {}

pytestmark = pytest.mark.browser


def explorers_in(notebook: Path) -> int:
    """How many browser-drawn figures the notebook's saved widget state holds."""
    metadata = json.loads(notebook.read_text(encoding="utf-8"))["metadata"]
    state = metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    return sum(model["model_name"] == "AnyModel" and "tables" in model["state"] for model in state.values())  # not answers


@pytest.fixture(scope="module")
def site(book):
    out, seconds = book  # built once for the session (tests/conftest.py)
    MEASURED["build (s)"] = seconds
    return out


@pytest.fixture(scope="module")
def browser(site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=book_pdf.find_chromium(), args=book_pdf.CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()
    print("\nweb edition:", ", ".join(f"{key} {value:.2f}" for key, value in MEASURED.items()))


class Visit:
    """One page opened from the disk in a new tab, with what it logged and what it asked for."""

    def __init__(self, browser, site: Path, name: str, scheme: str = "light", width: int = 1300) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.errors, self.refused, self.loaded = [], [], []
        base = site.resolve().as_uri() + "/"

        def route(request_route) -> None:
            url = request_route.request.url
            if url.startswith(base):
                self.loaded.append(url)
                request_route.continue_()
            elif url.startswith(("data:", "blob:")):
                request_route.continue_()
            else:
                self.refused.append(url)
                request_route.abort()

        self.page.route("**/*", route)
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.start = time.monotonic()
        self.page.goto(base + name)
        self.page.evaluate(book_pdf.READY)  # MathJax done, images decoded

    def close(self) -> None:
        self.context.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            (ROOT / "test-artifacts").mkdir(exist_ok=True)
            self.page.screenshot(path=str(ROOT / "test-artifacts" / "site-failure.png"), full_page=True)
        self.close()


def pages(site: Path) -> list[str]:
    return sorted(path.name for path in site.glob("*.html"))


def axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "([tags, exclude]) => axe.run({include: [document], exclude: exclude.map(s => [s])},"
        " {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'], preload: false}).then(r => r.violations"
        ".map(v => ({id: v.id, nodes: v.nodes.length, where: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
        [AXE_TAGS, AXE_EXCLUDE],
    )
    return found


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem[:2])
def test_every_chapter_from_disk(browser, site, notebook):
    """Explorers drawn, formulas typeset, no error, nothing from outside, the chrome at AA, the weight."""
    with Visit(browser, site, f"{notebook.stem}.html") as visit:
        page, count = visit.page, explorers_in(notebook)
        if count:
            page.wait_for_function(
                f"document.querySelectorAll('.overlay-root[data-frames]').length === {count}"
                " && [...document.querySelectorAll('.overlay-background')].every(img => img.complete && img.naturalWidth > 0)",
                timeout=30_000,
                polling=50,
            )
            MEASURED[f"explorers drawn {notebook.stem[:2]} (s)"] = time.monotonic() - visit.start
        assert "Click to show javascript error" not in page.content()
        raw = page.evaluate("document.querySelectorAll('.math:not(:has(mjx-container))').length")
        assert raw == 0, f"{raw} formulas left untypeset"
        text = page.inner_text("main")
        assert not re.search(r"\\\(|\\\[|\$\$|\\frac|\\text\{", text), "raw TeX in the text"
        tab_stops = page.evaluate(
            "[...document.querySelectorAll('mjx-container[tabindex]')].filter(m => m.scrollWidth <= m.clientWidth + 1).length"
            " + document.querySelectorAll('mjx-container [tabindex]').length"
        )
        assert tab_stops == 0, f"{tab_stops} Tab stops in formulas (only one wider than the column, which scrolls, may be one)"
        assert axe(page) == []
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)
        weight = sum(Path(unquote(urlsplit(url).path)).stat().st_size for url in set(visit.loaded))
        MEASURED[f"load {notebook.stem[:2]} (MB)"] = weight / 1e6
        assert weight <= PAGE_BUDGET, f"{notebook.stem}.html loads {weight / 1e6:.1f} MB"


def test_first_explorer_drawn_no_later_than_before(browser, site):
    """From the disk, the first explorer of chapter 5 is drawn within the old pages' time (best of three)."""
    times = []
    for _ in range(3):
        with Visit(browser, site, "05_optimizing_b3.html") as visit:
            visit.page.wait_for_selector(".overlay-root[data-frames]", timeout=30_000)
            times.append(time.monotonic() - visit.start)
    MEASURED["first explorer 05 (s)"] = min(times)
    assert min(times) <= FIRST_EXPLORER_BUDGET_S, times


@pytest.mark.parametrize("name", ["index.html", "search.html", "licences.html", "genindex.html"])
def test_other_pages_from_disk(browser, site, name):
    with Visit(browser, site, name) as visit:
        assert axe(visit.page) == []
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)


def test_dark_preference_is_followed(browser, site):
    """A reader who prefers dark gets the dark theme on the front door and a chapter; figures stay on white."""
    for name in ("index.html", "05_optimizing_b3.html"):
        for scheme, dark in (("light", False), ("dark", True)):
            with Visit(browser, site, name, scheme=scheme) as visit:
                page = visit.page
                assert page.evaluate("document.documentElement.dataset.theme") == scheme
                background = page.evaluate("getComputedStyle(document.body).backgroundColor")
                level = sum(int(v) for v in re.findall(r"\d+", background)[:3]) / 3
                assert (level < 80) if dark else (level > 200), background
                if dark and name != "index.html":
                    card = page.evaluate("getComputedStyle(document.querySelector('.cell_output img')).backgroundColor")
                    assert card == "rgb(255, 255, 255)"
                if dark:
                    assert axe(page) == []
                    assert visit.errors == []


def test_skip_link_and_landmarks(browser, site):
    with Visit(browser, site, "03_chain_rule_one_class.html") as visit:
        page = visit.page
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.getAttribute('href')") == "#main-content"
        assert page.evaluate("document.querySelector('#main-content') !== null")
        for landmark in ("main", "header, [role=banner]", "nav", "footer, [role=contentinfo]"):
            assert page.locator(landmark).count() >= 1, landmark


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links, self.ids, self.title = [], set(), ""
        self._in_title = False

    def handle_starttag(self, tag, attrs) -> None:
        values = dict(attrs)
        if "id" in values:
            self.ids.add(values["id"])
        for key in ("href", "src"):
            if values.get(key):
                self.links.append(values[key])
        self._in_title = tag == "title"

    def handle_data(self, data) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag) -> None:
        self._in_title = False


def parsed(site: Path) -> dict[str, Links]:
    found = {}
    for name in pages(site):
        parser = Links()
        parser.feed((site / name).read_text(encoding="utf-8"))
        found[name] = parser
    return found


def test_every_in_site_link_and_anchor_resolves(site):
    documents, broken = parsed(site), []
    for name, document in documents.items():
        for link in document.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = name if not parts.path else parts.path
            path = (site / unquote(target)).resolve()
            if not path.is_file():
                broken.append(f"{name}: {link}")
            elif parts.fragment and path.suffix == ".html":
                ids = documents[path.name].ids if path.name in documents else set()
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{name}: {link} (no such anchor)")
    assert broken == []


def test_titles_name_the_chapters_and_are_unique(site):
    titles = {name: " ".join(document.title.split()) for name, document in parsed(site).items()}
    assert len(set(titles.values())) == len(titles), titles
    for path in NOTEBOOKS:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        heading = re.search(r"^# (.+)$", "".join(notebook["cells"][0]["source"]), re.M)[1]
        assert titles[f"{path.stem}.html"].startswith(heading.strip())


def test_chapters_place_download_and_no_placeholder(site):
    """Each chapter says where it sits, offers its notebook as committed, and (setting unset) no run or report link."""
    for number, path in enumerate(NOTEBOOKS, 1):
        html = (site / f"{path.stem}.html").read_text(encoding="utf-8")
        assert f"Chapter {number} of {len(NOTEBOOKS)}" in html
        assert f'href="notebooks/{path.name}"' in html
        assert (site / "notebooks" / path.name).read_bytes() == path.read_bytes()
        assert "In&nbsp;[" not in html and "In [" not in html
    for name in pages(site):
        html = (site / name).read_text(encoding="utf-8")
        for placeholder in ("OWNER/REPO", "mybinder.org/v2", "issues/new", "repository_url"):
            assert placeholder not in html, f"{name} has {placeholder}"


def test_run_and_report_links_from_the_one_setting(tmp_path):
    out = tmp_path / "site"
    build_site.main(["--out", str(out), "--repository", REPOSITORY, "--no-pdf"])
    for path in NOTEBOOKS:
        html = (out / f"{path.stem}.html").read_text(encoding="utf-8")
        binder = f"https://mybinder.org/v2/gh/example-owner/cross-entropy-book/main?urlpath=lab/tree/notebooks/{path.name}"
        assert f'href="{binder}"' in html
        assert f"{REPOSITORY}/issues/new?title=" in html and f"{path.stem}.html" in html
    assert "Binder" in (out / "index.html").read_text(encoding="utf-8")


def test_front_door(browser, site):
    with Visit(browser, site, "index.html") as visit:
        page = visit.page
        cards = page.locator("li.chapter-card")
        assert cards.count() == len(NOTEBOOKS)
        for i, path in enumerate(NOTEBOOKS):
            card = cards.nth(i)
            assert card.locator("a.chapter-link").get_attribute("href") == f"{path.stem}.html"
            assert len(card.locator("p").inner_text()) > 20
            assert card.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
        text = page.inner_text("main")
        for needed in ("Who it is for", "pip install -r requirements.txt", "python -m pytest", "book.pdf"):
            assert needed in text or needed in page.content(), needed
        assert page.locator("a[href='book.pdf']").count() == 1
        assert "CC BY 4.0" in page.locator(".bd-footer-content").inner_text()


def test_search_answers_from_file(browser, site):
    """'backpropagation' finds chapters 5, 6 and 7, each with a snippet of its text."""
    with Visit(browser, site, "search.html?q=backpropagation") as visit:
        page = visit.page
        page.wait_for_function(
            "document.querySelectorAll('#search-results li p.context').length >= 3", timeout=20_000, polling=100
        )
        results = page.evaluate(
            "[...document.querySelectorAll('#search-results li')].map(li => ({href: li.querySelector('a').getAttribute('href'),"
            " snippet: (li.querySelector('p.context') || {}).textContent || ''}))"
        )
        expected = [path.stem for path in NOTEBOOKS if "backpropagation" in (site / f"{path.stem}.html").read_text().lower()]
        assert {"05_optimizing_b3", "06_gradient_descent", "07_all_parameters_iris"} <= set(expected)
        for chapter in expected:
            snippets = [r["snippet"] for r in results if r["href"].startswith(f"{chapter}.html")]
            assert snippets, (chapter, results)
            assert all("backpropagation" in snippet.lower() for snippet in snippets), snippets
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)


def test_size_budget(site):
    total = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    MEASURED["site (MB)"] = total / 1e6
    assert total <= SITE_BUDGET, f"the site is {total / 1e6:.1f} MB"


def test_print_stylesheet_keeps_figures_and_drops_controls(browser, site):
    with Visit(browser, site, "05_optimizing_b3.html") as visit:
        page = visit.page
        page.wait_for_selector(".overlay-root[data-frames]", timeout=30_000)
        page.emulate_media(media="print")
        shown = page.evaluate(
            "[...document.querySelectorAll('.jupyter-widgets, .widget-slider, button')]"
            ".filter(e => e.offsetParent !== null).length"
        )
        assert shown == 0
        static = "[...document.querySelectorAll('.cell_output img')].filter(i => !i.closest('.jupyter-widgets'))"
        figures = page.evaluate(f"{static}.map(i => i.offsetParent !== null)")
        assert figures and all(figures)
        assert page.evaluate(f"{static}.every(i => i.getBoundingClientRect().right <= innerWidth)")


def test_book_pdf(site):
    from pypdf import PdfReader

    reader = PdfReader(site / "book.pdf")
    outline = [item.title for item in reader.outline]
    assert len(outline) == len(NOTEBOOKS) + 1
    assert len(reader.pages) > len(NOTEBOOKS) + 1
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    notebook = json.loads(NOTEBOOKS[4].read_text(encoding="utf-8"))
    title = re.search(r"^# (.+)$", "".join(notebook["cells"][0]["source"]), re.M)[1]
    assert title in outline
    assert " ".join(title.split()[:3]) in flat
    printed = next(
        "".join(output["text"])
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
        if output.get("output_type") == "stream" and re.search(r"\d\.\d\d", "".join(output["text"]))
    )
    number = re.search(r"-?\d+\.\d\d+", printed)[0]
    assert number in flat, number
    assert "Contents" in reader.pages[0].extract_text()


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


def test_the_main_explorer_works_with_no_kernel(browser, site):
    with Visit(browser, site, "05_optimizing_b3.html") as visit:
        page = visit.page
        page.wait_for_selector(f"{EXPLORER} .overlay-root[data-frames]", timeout=30_000)
        assert page.locator(f"{EXPLORER} .overlay-note").inner_text().startswith("b4 and b5 reshape the curve in Python")
        assert page.locator(f"{EXPLORER} .widget-slider .noUi-target").nth(2).get_attribute("disabled") is not None
        canvas = f"document.querySelector('{EXPLORER} .overlay-canvas').toDataURL()"
        drawn_before = page.evaluate(canvas)
        page.focus(f"{EXPLORER} .widget-slider .noUi-handle >> nth=0")
        for _ in range(10):
            page.keyboard.press("ArrowRight")
        assert page.evaluate(canvas) != drawn_before
        status, cells = expected_at(-1.90)
        assert " ".join(page.locator(f"{EXPLORER} .loss-status").inner_text().split()) == status
        assert re.findall(r"-?\d+\.\d+", page.locator(f"{EXPLORER} .loss-table").inner_text()) == cells
        page.click(f"{EXPLORER} button:has-text('Reset')")
        for expected in ("-1.23", "-0.66"):
            page.click(f"{EXPLORER} button:has-text('Step')")
            assert f"b3 = {expected}" in page.locator(f"{EXPLORER} .loss-status").inner_text()
        page.click(f"{EXPLORER} button:has-text('Play')")
        page.wait_for_function(
            f"document.querySelector('{EXPLORER} .overlay-buttons').innerText.includes('Play')", timeout=20_000, polling=100
        )
        minimum = h.b3_minimum(h.Network(), *h.training_data())[0]
        assert f"b3 = {minimum:.2f}" in page.locator(f"{EXPLORER} .loss-status").inner_text()
        assert visit.refused == [] and visit.errors == [], (visit.refused, visit.errors)

"""Build the web edition: the whole series as one book in build/site/, working from the disk and from
any static host, with nothing fetched from elsewhere.

    npm ci                          # once: the page scripts, from package-lock.json
    python tools/build_site.py      # -> build/site/index.html, one page per notebook, book.pdf

The engine is Sphinx with myst-nb and sphinx-book-theme (what Jupyter Book 1 is made of); its
configuration is book/conf.py, the front door book/index.md, the settings book/site.toml (the
repository's public address, from which the "run it" and "report a problem" links are made).
This script only gathers the sources and runs the engine:

1. copies book/ and the committed notebooks (never executed: their saved outputs and widget
   state are the book) into build/site-src/, with links to the README pointed at the front door;
2. bundles the book's widget manager (book/widgets/manager.js: ipywidgets' base and controls and
   anywidget, by esbuild, tools/bundle_widgets.mjs) and copies MathJax's fonts into _static/vendor/;
3. runs Sphinx; typesets every formula with MathJax in Node (tools/render_math.mjs: HTML, with the
   MathML a screen reader reads; no math script in the pages); moves each chapter's saved widget
   state out of its page (loaded only when an explorer comes near, by _static/widgets-later.js) and
   puts a still picture of each widget, taken in headless Chromium, where it will be drawn; ships
   each notebook in notebooks/ for download; writes the search snippets;
4. prints every chapter with headless Chromium and joins them into book.pdf, with a table of
   contents and bookmarks (skipped with --no-pdf, or with a note if Chromium is missing).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import html
import io
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NODE_MODULES = ROOT / "node_modules"
MATHJAX = "mathjax-full"  # typesets at build time (tools/render_math.mjs); the pages get its fonts only
MATH_FONTS = "vendor/mathjax/fonts"  # where math.css (in _static/) finds them
# What the pages need from node_modules: (source, destination under _static/vendor/).
COPIES = [(f"{MATHJAX}/es5/output/chtml/fonts/woff-v2", "mathjax/fonts")]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
NEEDED = ["esbuild", "@jupyter-widgets/controls", "anywidget", MATHJAX]  # installed by `npm ci`
FIRST_IMAGE = re.compile(r'<img[^>]*src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')


def chapters(notebooks: list[Path], blurbs: dict[str, str]) -> list[dict]:
    """Name, title, one line and first picture (PNG bytes, or None) of each notebook."""
    found = []
    for path in notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        markdown = ["".join(cell["source"]) for cell in notebook["cells"] if cell["cell_type"] == "markdown"]
        heading = next((m for text in markdown if (m := re.search(r"^# (.+)$", text, re.M))), None)
        title = heading[1].strip() if heading else path.stem
        line = blurbs.get(path.stem) or first_sentence("\n".join(markdown))
        found.append({"name": path.stem, "title": title, "line": line, "picture": first_picture(notebook)})
    return found


def first_sentence(markdown: str) -> str:
    """The first sentence of prose (no heading, link line or formula) in a notebook's text."""
    for paragraph in re.split(r"\n\s*\n", markdown):
        text = paragraph.strip()
        if text and not text.startswith(("#", "[", "$$", "<", "|", "```")):
            return re.split(r"(?<=[.!?])\s", " ".join(text.split()), maxsplit=1)[0]
    return ""


def first_picture(notebook: dict) -> bytes | None:
    """The first figure a notebook shows (an <img> in an HTML output, or a PNG output)."""
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if match := FIRST_IMAGE.search("".join(data.get("text/html", ""))):
                return base64.b64decode(match[1])
            if "image/png" in data:
                return base64.b64decode("".join(data["image/png"]))
    return None


def page_scripts_installed() -> bool:
    return all((NODE_MODULES / name / "package.json").exists() for name in NEEDED)


def install_vendor(target: Path) -> None:
    """Bundle the widget manager and copy the math fonts into target/vendor/ (they become _static/vendor/)."""
    if not page_scripts_installed():
        raise SystemExit("node_modules is missing the page scripts: run `npm ci` in the repository root first")
    vendor = target / "vendor"
    for source, destination in COPIES:
        source_path, path = NODE_MODULES / source, vendor / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        if source_path.is_dir():
            shutil.copytree(source_path, path, dirs_exist_ok=True)
        else:
            shutil.copy2(source_path, path)
    done = subprocess.run(["node", str(ROOT / "tools" / "bundle_widgets.mjs"), str(vendor)], capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"bundling the widget manager failed:\n{done.stderr}")


def chapter_list(found: list[dict]) -> str:
    """The front door's list of chapters: a small picture, the title as a link, one line."""
    items = []
    for number, chapter in enumerate(found, 1):
        picture = (
            f'<img src="_static/thumbs/{chapter["name"]}.png" alt="" loading="lazy" width="160">' if chapter["picture"] else ""
        )
        title = re.sub(r"^\d+\.\s*", "", chapter["title"])
        items.append(
            f'<li class="chapter-card">{picture}<div><a class="chapter-link" href="{chapter["name"]}.html">'
            f"{number}. {html_escape(title)}</a><p>{html_escape(chapter['line'])}</p></div></li>"
        )
    return '<ol class="chapter-cards">\n' + "\n".join(items) + "\n</ol>"


def html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def prepare_source(src: Path, notebooks: list[Path], repository: str | None) -> list[dict]:
    """build/site-src/: book/, the notebooks (README links pointed at the front door), the scripts."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    settings = tomllib.loads((BOOK / "site.toml").read_text(encoding="utf-8"))
    found = chapters(notebooks, settings.get("chapters", {}))
    if src.exists():
        shutil.rmtree(src)
    shutil.copytree(BOOK, src, ignore=shutil.ignore_patterns("__pycache__"))
    install_vendor(src / "_vendor")
    (src / "_static" / "thumbs").mkdir(parents=True, exist_ok=True)
    for path, chapter in zip(notebooks, found):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                text = re.sub(r"\]\(\.\./README\.md(#[^)]*)?\)", r"](index.md\1)", text)
                cell["source"] = re.sub(r"\]\(\.\./docs/notation\.md(#[^)]*)?\)", r"](notation.md\1)", text)
        (src / path.name).write_text(json.dumps(notebook), encoding="utf-8")
        if chapter["picture"]:
            (src / "_static" / "thumbs" / f"{chapter['name']}.png").write_bytes(chapter["picture"])
    notation = (ROOT / "docs" / "notation.md").read_text(encoding="utf-8")  # a page of its own, linked from every chapter
    (src / "notation.md").write_text(re.sub(r"\]\(\.\./README\.md\)", "](index.md)", notation), encoding="utf-8")
    repository = settings.get("repository", "") if repository is None else repository
    binder = ", or to run it on Binder with no install" if repository else ""
    index = (src / "index.md").read_text(encoding="utf-8")
    index = index.replace("<!-- chapters -->", chapter_list(found)).replace("<!-- binder -->", binder)
    index = index.replace("<!-- toctree -->", "\n".join(chapter["name"] for chapter in found))
    (src / "index.md").write_text(index, encoding="utf-8")
    public = [{key: chapter[key] for key in ("name", "title", "line")} for chapter in found]
    (src / "_build.json").write_text(json.dumps({"repository": repository, "chapters": public}), encoding="utf-8")
    return found


def build_html(src: Path, out: Path, doctrees: Path) -> None:
    from sphinx.cmd.build import build_main

    if out.exists():
        shutil.rmtree(out)
    status = build_main(["-b", "html", "-q", "-E", "-d", str(doctrees), str(src), str(out)])
    if status:
        raise SystemExit(f"Sphinx failed (exit {status})")
    for name in (".buildinfo", "objects.inv"):
        (out / name).unlink(missing_ok=True)


FONTAWESOME_JS = re.compile(r'\s*<script defer src="_static/scripts/fontawesome\.js[^"]*"></script>')


INLINE_PNG = re.compile(r'(<img\b[^>]*?\bsrc=")data:image/png;base64,([A-Za-z0-9+/=]+)(")')


def slim(out: Path) -> None:
    """Leave out what no reader loads: source maps, the theme's build-time translations, and its
    1.5 MB Font Awesome script (its icons come from the theme's CSS and web fonts without it).
    Figures move out of the pages into _images/ (a quarter lighter than base64, and cached), loaded lazily."""
    images = out / "_images"
    images.mkdir(exist_ok=True)

    def to_file(match: re.Match) -> str:
        data = base64.b64decode(match[2])
        name = f"figure-{hashlib.sha256(data).hexdigest()[:16]}.png"
        (images / name).write_bytes(data)
        # lazily: a phone fetches the text's styles first, and a figure only once it is near
        return f'{match[1]}_images/{name}{match[3]} loading="lazy" decoding="async"'

    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(INLINE_PNG.sub(to_file, FONTAWESOME_JS.sub("", text)), encoding="utf-8")
    for path in [*out.rglob("*.map"), out / "_static" / "scripts" / "fontawesome.js"]:
        path.unlink(missing_ok=True)
    shutil.rmtree(out / "_static" / "locales", ignore_errors=True)
    shutil.rmtree(out / "_sources", ignore_errors=True)


MATH = re.compile(r'(<(span|div) class="math[^"]*"[^>]*>)(.*?)(</\2>)', re.S)
TEX = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.S)
TOKEN = re.compile(r"\x00formula(\d+)\x00")


def typeset(out: Path) -> int:
    """Typeset every formula of every page at build time, as CommonHTML with hidden MathML (one Node
    run for the whole book); the glyphs' styles go to _static/math.css, linked from pages with formulas.
    Returns how many formulas were typeset."""
    formulas: list[dict] = []

    def collect(match: re.Match) -> str:
        def one(tex: re.Match) -> str:
            formulas.append({"tex": html.unescape(tex[1] if tex[1] is not None else tex[2]), "display": tex[2] is not None})
            return f"\x00formula{len(formulas) - 1}\x00"

        return match[1] + TEX.sub(one, match[3]).strip() + match[4]

    texts = {page: MATH.sub(collect, page.read_text(encoding="utf-8")) for page in out.glob("*.html")}
    if not formulas:
        return 0
    request = json.dumps({"formulas": formulas, "fontURL": MATH_FONTS})
    done = subprocess.run(
        ["node", str(ROOT / "tools" / "render_math.mjs")], input=request, capture_output=True, text=True, cwd=ROOT
    )
    if done.returncode:
        raise SystemExit(f"typesetting the formulas failed:\n{done.stderr}")
    rendered = json.loads(done.stdout)
    (out / "_static" / "math.css").write_text(rendered["css"], encoding="utf-8")
    link = '<link rel="stylesheet" type="text/css" href="_static/math.css" />\n</head>'
    for page, text in texts.items():
        if TOKEN.search(text):
            text = TOKEN.sub(lambda m: rendered["html"][int(m[1])], text).replace("</head>", link, 1)
        page.write_text(text, encoding="utf-8")
    return len(formulas)


STATE = re.compile(r'<script type="application/vnd\.jupyter\.widget-state\+json">(.*?)</script>\s*', re.S)
VIEW = re.compile(r'<script type="application/vnd\.jupyter\.widget-view\+json">.*?</script>', re.S)


def defer_widgets(out: Path) -> None:
    """Move each chapter's saved widget state out of its page (into _static/widget-state/<page>.js,
    loaded only when an explorer comes near: _static/widgets-later.js), and wrap each widget's view
    tag in the box its still picture will fill."""
    folder = out / "_static" / "widget-state"
    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        state = STATE.search(text)
        if not state:
            continue
        folder.mkdir(exist_ok=True)
        script = (
            "// This chapter's saved widget state, put back as the tag the widget manager reads.\n(() => {\n"
            '  const tag = document.createElement("script");\n'
            '  tag.type = "application/vnd.jupyter.widget-state+json";\n'
            f"  tag.textContent = {json.dumps(state[1])};\n  document.body.append(tag);\n}})();\n"
        )
        (folder / f"{page.stem}.js").write_text(script, encoding="utf-8")
        text = STATE.sub("", text, count=1)
        box = f'<div class="widget-still" data-state="{page.stem}">'
        text = VIEW.sub(lambda view, box=box: f"{box}{view[0]}</div>", text)
        page.write_text(text, encoding="utf-8")


# Where the still pictures are taken: the book's column at its widest, and a phone's (412 CSS px wide,
# twice as dense). A window up to PHONE_MEDIA shows the phone's, so the live widget takes the same room.
STILL_WINDOWS = {"wide": ({"width": 1300, "height": 900}, 1), "phone": ({"width": 412, "height": 915}, 2)}
PHONE_MEDIA = "(max-width: 720px)"
STILL_ALT = (
    "[...document.querySelectorAll('.widget-still')].map(still => [...still.querySelectorAll('[role=img][aria-label]')]"
    ".map(node => node.getAttribute('aria-label')).join(' '))"
)


def still_pictures(browser, page: Path, images: Path, viewport: dict, scale: int) -> tuple[list[dict], list[str]]:
    """Each widget of a page as first drawn in that window: [{src, width, height}] and alt texts."""
    from PIL import Image

    from tools.book_pdf import LOCAL

    tab = browser.new_page(viewport=viewport, device_scale_factor=scale, color_scheme="light")
    tab.route("**/*", lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort())
    try:
        tab.goto(page.resolve().as_uri(), wait_until="load")
        tab.evaluate("window.bookWidgetsNow()")
        tab.wait_for_function(
            "[...document.querySelectorAll('.widget-still')].every(s => s.classList.contains('widget-live'))",
            timeout=60_000,
            polling=100,
        )
        tab.evaluate("document.fonts.ready")
        alts, found = tab.evaluate(STILL_ALT), []
        for k in range(len(alts)):
            area = tab.locator(".widget-still > .widget-subarea").nth(k)
            area.scroll_into_view_if_needed()
            shot = Image.open(io.BytesIO(area.screenshot(animations="disabled", caret="hide")))
            small = io.BytesIO()
            shot.convert("RGB").quantize(256, method=Image.Quantize.MEDIANCUT).save(small, "PNG", optimize=True)
            name = f"still-{hashlib.sha256(small.getvalue()).hexdigest()[:16]}.png"
            (images / name).write_bytes(small.getvalue())
            found.append({"src": f"_images/{name}", "width": shot.width // scale, "height": shot.height // scale})
    finally:
        tab.close()
    return found, alts


def take_stills(out: Path) -> int:
    """A still picture of each widget as it is first drawn, put where it will be drawn (the same size,
    wide and on a phone), so a chapter shows its explorers before any widget script has loaded. Taken in
    headless Chromium from the built pages (nothing fetched from elsewhere); how many, 0 without Chromium."""
    from tools.lab import CHROMIUM_FLAGS, find_chromium

    chromium = find_chromium()
    if chromium is None:
        return 0
    from playwright.sync_api import sync_playwright

    pages = [page for page in sorted(out.glob("*.html")) if 'class="widget-still"' in page.read_text(encoding="utf-8")]
    taken = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            for page in pages:
                wide, alts = still_pictures(browser, page, out / "_images", *STILL_WINDOWS["wide"])
                phone, _ = still_pictures(browser, page, out / "_images", *STILL_WINDOWS["phone"])
                pictures = []
                for big, small, alt in zip(wide, phone, alts):
                    words = f"The explorer as it first appears (it comes alive as you scroll near). {alt}".strip()
                    pictures.append(
                        f'<picture class="widget-still-picture"><source media="{PHONE_MEDIA}" srcset="{small["src"]}"'
                        f' width="{small["width"]}" height="{small["height"]}"><img src="{big["src"]}" width="{big["width"]}"'
                        f' height="{big["height"]}" alt="{html_escape(words)}" loading="lazy" decoding="async"></picture>'
                    )
                parts = iter(pictures)
                text = page.read_text(encoding="utf-8")
                text = re.sub(r'(<div class="widget-still"[^>]*>)', lambda m, parts=parts: m[1] + next(parts), text)
                page.write_text(text, encoding="utf-8")
                taken += len(pictures)
        finally:
            browser.close()
    return taken


def ship_notebooks(out: Path, notebooks: list[Path]) -> None:
    """Each chapter's notebook, as committed, for download; the licences' full texts."""
    shutil.copy2(ROOT / "LICENSE", out / "LICENSE.txt")
    shutil.copy2(ROOT / "LICENSE-CC-BY-4.0.txt", out / "LICENSE-CC-BY-4.0.txt")
    (out / "notebooks").mkdir(exist_ok=True)
    for path in notebooks:
        shutil.copy2(path, out / "notebooks" / path.name)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="default: build/site")
    parser.add_argument("--repository", help="the repository's public address for this build (default: book/site.toml)")
    parser.add_argument("--no-pdf", action="store_true", help="skip book.pdf")
    parser.add_argument("--no-stills", action="store_true", help="leave out the explorers' still pictures")
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        notebook = json.loads(path.read_text(encoding="utf-8"))
        shows = [o for cell in notebook["cells"] for o in cell.get("outputs", []) if WIDGET_VIEW in o.get("data", {})]
        if shows and "widgets" not in notebook["metadata"]:  # a notebook without explorers needs no state
            raise SystemExit(f"{path.name} has no saved widget state: run tools/execute_notebooks.py first")
    start = time.monotonic()
    work = args.out.parent / f"{args.out.name}-work"
    found = prepare_source(work / "src", notebooks, args.repository)
    build_html(work / "src", args.out, work / "doctrees")
    slim(args.out)
    formulas = typeset(args.out)
    defer_widgets(args.out)
    stills = 0 if args.no_stills else take_stills(args.out)
    ship_notebooks(args.out, notebooks)
    print(f"HTML: {args.out} ({time.monotonic() - start:.1f} s; {formulas} formulas typeset, {stills} still pictures)")
    if not args.no_pdf:
        from tools import book_pdf

        pdf_start = time.monotonic()
        written = book_pdf.write(args.out, found)
        print(f"PDF: {written} ({time.monotonic() - pdf_start:.1f} s)" if written else "PDF: skipped (no Chromium)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

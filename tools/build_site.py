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
2. copies the page scripts from node_modules (require.js, the widgets' HTML manager, anywidget's
   AMD build, MathJax 3) into the site's _static/vendor/;
3. runs Sphinx; ships each notebook in notebooks/ for download; writes the search snippets;
4. prints every chapter with headless Chromium and joins them into book.pdf, with a table of
   contents and bookmarks (skipped with --no-pdf, or with a note if Chromium is missing).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BOOK = ROOT / "book"
NODE_MODULES = ROOT / "node_modules"
HTML_MANAGER = "@jupyter-widgets/html-manager/dist"
MATHJAX = "mathjax/es5"
# What the pages need from node_modules: (source, destination under _static/vendor/).
COPIES = [
    ("requirejs/require.js", "require.js"),
    (f"{HTML_MANAGER}/embed-amd.js", "@jupyter-widgets/embed-amd.js"),
    ("anywidget/dist/index.js", "anywidget.js"),
    # MathJax 3 as components, without its 430 KB menu: TeX in, HTML out, hidden MathML for screen readers.
    *[(f"{MATHJAX}/{part}", f"mathjax/{part}") for part in ("startup.js", "core.js", "input/tex.js", "input/tex/extensions")],
    *[(f"{MATHJAX}/{part}", f"mathjax/{part}") for part in ("output/chtml.js", "output/chtml/fonts/tex.js")],
    *[(f"{MATHJAX}/{part}", f"mathjax/{part}") for part in ("output/chtml/fonts/woff-v2", "a11y/assistive-mml.js")],
]
ANSWER_KIT = ROOT / "helpers" / "js" / "dist"
FONT_SUFFIXES = (".woff2",)  # the widgets' icons (Play's buttons); every browser that runs the pages reads woff2
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


def install_vendor(target: Path) -> None:
    """Copy the page scripts from node_modules into target/vendor/ (they become _static/vendor/)."""
    if not (NODE_MODULES / HTML_MANAGER / "embed-amd.js").exists() or not (NODE_MODULES / MATHJAX).exists():
        raise SystemExit("node_modules is missing the page scripts: run `npm ci` in the repository root first")
    vendor = target / "vendor"
    for source, destination in COPIES:
        source_path, path = NODE_MODULES / source, vendor / destination
        path.parent.mkdir(parents=True, exist_ok=True)
        if source_path.is_dir():
            shutil.copytree(source_path, path, dirs_exist_ok=True)
        else:
            shutil.copy2(source_path, path)
    for font in (NODE_MODULES / HTML_MANAGER).iterdir():
        if font.suffix in FONT_SUFFIXES:
            shutil.copy2(font, vendor / "@jupyter-widgets" / font.name)
    # The answer widgets' math kit (MathLive and the LaTeX reader, bundled by `npm run build` from the npm
    # lock) and its fonts: a page loads them only when a reader reaches an exercise (helpers/js/answer/kit.js).
    widgets_own = shutil.ignore_patterns("question.js", "typed.js", "answer.css")  # in each widget's saved state instead
    shutil.copytree(ANSWER_KIT, vendor / "answer", dirs_exist_ok=True, ignore=widgets_own)


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
                cell["source"] = re.sub(r"\]\(\.\./README\.md(#[^)]*)?\)", r"](index.md\1)", text)
        (src / path.name).write_text(json.dumps(notebook), encoding="utf-8")
        if chapter["picture"]:
            (src / "_static" / "thumbs" / f"{chapter['name']}.png").write_bytes(chapter["picture"])
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
    Figures move out of the pages into _images/ (a quarter lighter than base64, and cached)."""
    images = out / "_images"
    images.mkdir(exist_ok=True)

    def to_file(match: re.Match) -> str:
        data = base64.b64decode(match[2])
        name = f"figure-{hashlib.sha256(data).hexdigest()[:16]}.png"
        (images / name).write_bytes(data)
        return f"{match[1]}_images/{name}{match[3]}"

    for page in out.glob("*.html"):
        text = page.read_text(encoding="utf-8")
        page.write_text(INLINE_PNG.sub(to_file, FONTAWESOME_JS.sub("", text)), encoding="utf-8")
    for path in [*out.rglob("*.map"), out / "_static" / "scripts" / "fontawesome.js"]:
        path.unlink(missing_ok=True)
    shutil.rmtree(out / "_static" / "locales", ignore_errors=True)
    shutil.rmtree(out / "_sources", ignore_errors=True)


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
    args = parser.parse_args(argv)
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for path in notebooks:
        if "widgets" not in json.loads(path.read_text(encoding="utf-8"))["metadata"]:
            raise SystemExit(f"{path.name} has no saved widget state: run tools/execute_notebooks.py first")
    start = time.monotonic()
    work = args.out.parent / f"{args.out.name}-work"
    found = prepare_source(work / "src", notebooks, args.repository)
    build_html(work / "src", args.out, work / "doctrees")
    slim(args.out)
    ship_notebooks(args.out, notebooks)
    print(f"HTML: {args.out} ({time.monotonic() - start:.1f} s)")
    if not args.no_pdf:
        from tools import book_pdf

        pdf_start = time.monotonic()
        written = book_pdf.write(args.out, found)
        print(f"PDF: {written} ({time.monotonic() - pdf_start:.1f} s)" if written else "PDF: skipped (no Chromium)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()

"""The whole book as one PDF (book.pdf in the site), printed by headless Chromium.

Each chapter page is printed with its print stylesheet (no controls, each explorer left out while
the static figure beside it stays, formulas typeset at build time) once fonts and pictures are in; a title page
with the table of contents comes first; pypdf joins them and adds a bookmark per chapter.
Used by tools/build_site.py.
"""

from __future__ import annotations

import io
from pathlib import Path

from tools.lab import CHROMIUM_FLAGS, find_chromium  # one Chromium, started one way, for tests and the PDF

LOCAL = ("file:", "data:", "blob:")  # nothing is fetched from elsewhere while printing
PAGE = {"format": "A4", "margin": {"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"}}
# Formulas are typeset at build time: wait for their fonts (and every other) and the images, lazy ones too.
READY = (
    "() => document.fonts.ready.then(() => Promise.all([...document.images].map(img => {"
    " img.loading = 'eager'; return img.decode().catch(() => null); })))"
)


def footer(title: str) -> str:
    return (
        '<div style="font-size:8px;width:100%;padding:0 16mm;display:flex;justify-content:space-between;color:#333">'
        f"<span>{escape(title)}</span><span>page <span class=pageNumber></span> of this chapter</span></div>"
    )


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def title_page(chapters: list[dict], starts: list[int], project: str) -> str:
    rows = "".join(
        f'<li><a href="#">{escape(chapter["title"])}</a><span class="dots"></span><span>{start}</span></li>'
        for chapter, start in zip(chapters, starts)
    )
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(project)}</title>
<style>
body {{ font-family: sans-serif; color: #111; }}
h1 {{ font-size: 28pt; margin: 30mm 0 4mm; }}
p {{ font-size: 11pt; line-height: 1.5; }}
h2 {{ margin-top: 14mm; }}
ol {{ list-style: none; padding: 0; font-size: 12pt; }}
li {{ display: flex; margin: 3mm 0; }}
li a {{ color: inherit; text-decoration: none; }}
.dots {{ flex: 1; border-bottom: 1px dotted #555; margin: 0 2mm 1.2mm; }}
.licence {{ font-size: 9pt; margin-top: 20mm; }}
</style></head><body>
<h1>{escape(project)}</h1>
<p>The derivative of the cross-entropy loss with respect to one bias of a tiny iris network, worked out with
the chain rule, checked numerically and used for gradient descent; then every parameter, by backpropagation.
The web edition's explorers are live in the browser; this printed edition shows each one's static figure.</p>
<h2>Contents</h2>
<ol>{rows}</ol>
<p class="licence">Text and figures under Creative Commons Attribution 4.0 (CC BY 4.0); code under the MIT licence.
Iris data: Edgar Anderson's measurements, published by R. A. Fisher (1936).</p>
</body></html>"""


def write(site: Path, chapters: list[dict], project: str = "Cross Entropy Derivatives, live") -> Path | None:
    """Print every chapter of the built site and write site/book.pdf; None if there is no Chromium."""
    chromium = find_chromium()
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright
    from pypdf import PdfReader, PdfWriter

    base = site.resolve().as_uri() + "/"
    printed = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(color_scheme="light")
            page.route(
                "**/*",
                lambda route: route.continue_() if route.request.url.startswith(LOCAL) else route.abort(),
            )
            for chapter in chapters:
                page.goto(base + f"{chapter['name']}.html", wait_until="load")
                page.evaluate(READY)
                pdf = page.pdf(
                    **PAGE,
                    display_header_footer=True,
                    header_template="<span></span>",
                    footer_template=footer(chapter["title"]),
                )
                printed.append(PdfReader(io.BytesIO(pdf)))
            starts, next_page = [], 2  # the title page is page 1
            for reader in printed:
                starts.append(next_page)
                next_page += len(reader.pages)
            page.set_content(title_page(chapters, starts, project))
            cover = PdfReader(io.BytesIO(page.pdf(**PAGE)))
        finally:
            browser.close()
    writer = PdfWriter()
    writer.append(cover, outline_item="Contents")
    for chapter, reader in zip(chapters, printed):
        writer.append(reader, outline_item=chapter["title"])
    writer.add_metadata({"/Title": project, "/Subject": "Cross-entropy derivatives and backpropagation on a tiny iris network"})
    writer.page_mode = "/UseOutlines"
    target = site / "book.pdf"
    with target.open("wb") as handle:
        writer.write(handle)
    return target

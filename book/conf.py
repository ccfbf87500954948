"""Sphinx configuration of the web edition (Sphinx + myst-nb + sphinx-book-theme, as Jupyter Book 1 is).

tools/build_site.py copies this folder, the committed notebooks and the page scripts from
node_modules into one source folder and runs Sphinx on it; see that file. The notebooks are
never executed here: their saved outputs and widget state are the book.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote, urlencode

from docutils import nodes

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
SITE = tomllib.loads((HERE / "site.toml").read_text(encoding="utf-8"))
# tools/build_site.py writes what it found (chapters, the repository override) beside this file.
BUILD = json.loads((HERE / "_build.json").read_text(encoding="utf-8")) if (HERE / "_build.json").exists() else {}
REPOSITORY = (BUILD.get("repository") or SITE.get("repository") or "").rstrip("/")
BRANCH = SITE.get("branch") or "main"
CHAPTERS: list[dict] = BUILD.get("chapters", [])

project = "Cross Entropy Derivatives, live"
author = "the Cross Entropy Derivatives authors"
copyright = "2026, the Cross Entropy Derivatives authors"  # Sphinx reads this name
language = "en"

extensions = ["myst_nb"]
exclude_patterns = ["_build.json", "site.toml", "notebooks/*", "widgets/*"]
templates_path = ["_templates"]
html_static_path = ["_static", "_vendor"]  # _vendor: the page scripts, from the npm lock (build_site.py)

# The notebooks as committed: never executed, outputs and widget state as saved.
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3
suppress_warnings = ["myst.header", "mystnb.unknown_mime_type"]

# Widgets: one small deferred script, only on pages with saved widget state. It brings require.js,
# anywidget's AMD build and the widgets' HTML manager (all from _static/vendor/) when the first
# explorer comes near the viewport; until then each explorer is a still picture (tools/build_site.py).
nb_ipywidgets_js = {"widgets-later.js": {"defer": "defer"}}

# Formulas: written as TeX in the HTML (as sphinx.ext.mathjax writes them) and typeset at build time
# by tools/build_site.py (MathJax's Node rendering): no math script in the pages.
html_math_renderer = "build_time"
myst_update_mathjax = False

html_theme = "sphinx_book_theme"
# A real search field (a form with a labelled input) instead of the theme's button, whose visible
# text ("Search Ctrl+K") differs from its accessible name (WCAG 2.5.3).
html_sidebars = {"**": ["navbar-logo.html", "search-field.html", "sbt-sidebar-nav.html"]}
html_title = project
html_short_title = "Cross Entropy Derivatives"
html_copy_source = False  # the notebooks are shipped once, in notebooks/, for download
html_show_sourcelink = False
html_last_updated_fmt = None
html_context = {"default_mode": "auto"}  # follow the reader's light or dark preference
html_css_files = ["site.css"]
html_js_files = [("formulas.js", {"defer": "defer"})]
html_theme_options = {
    "home_page_in_toc": True,
    "show_navbar_depth": 1,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "use_repository_button": bool(REPOSITORY),
    "repository_url": REPOSITORY,
    "repository_branch": BRANCH,
    "path_to_docs": "notebooks",
    "show_toc_level": 2,
    "pygments_light_style": "a11y-high-contrast-light",
    "pygments_dark_style": "a11y-high-contrast-dark",
    "footer_content_items": ["licence-footer.html"],
    "navigation_with_keys": False,
    "navbar_persistent": [],
}


def binder_url(notebook: str) -> str:
    """mybinder.org's address that opens `notebook` in JupyterLab ("" if the host is not one Binder knows)."""
    match = re.fullmatch(r"https://(github\.com|gitlab\.com)/([^/]+)/([^/]+?)(?:\.git)?", REPOSITORY)
    if not match:
        return ""
    provider = {"github.com": "gh", "gitlab.com": "gl"}[match[1]]
    return f"https://mybinder.org/v2/{provider}/{match[2]}/{match[3]}/{BRANCH}?urlpath=lab/tree/notebooks/{quote(notebook)}"


def report_url(title: str, page: str) -> str:
    """A new issue on the repository, its title and text naming the page."""
    if not REPOSITORY:
        return ""
    query = urlencode({"title": f"Web edition: {title}", "body": f"Page: {page}\n\nWhat is wrong:\n"})
    return f"{REPOSITORY}/issues/new?{query}"


def page_context(app, pagename, templatename, context, doctree) -> None:
    """What the chapter header and the footer show on each page."""
    names = [chapter["name"] for chapter in CHAPTERS]
    context["chapter"] = None
    context["report_url"] = report_url(context.get("title", pagename), f"{pagename}.html")
    if pagename in names:
        index = names.index(pagename)
        context["chapter"] = {
            "number": index + 1,
            "count": len(names),
            "download": f"notebooks/{pagename}.ipynb",
            "binder": binder_url(f"{pagename}.ipynb"),
        }


SKIPPED_TEXT = (nodes.raw, nodes.literal_block, nodes.math_block, nodes.image, nodes.comment)


def collect_text(app, doctree, docname) -> None:
    """Each page's readable text (no raw HTML, code or formulas), for the search snippets."""
    words = []
    for node in doctree.findall(nodes.Text):
        parent, skip = node.parent, False
        while parent is not None and not skip:
            skip, parent = isinstance(parent, SKIPPED_TEXT), parent.parent
        if not skip:
            words.append(node.astext())
    app.env.site_text = getattr(app.env, "site_text", {})
    app.env.site_text[docname] = " ".join(" ".join(words).split())


def write_search_text(app, exception) -> None:
    """_static/search-text.js: loaded by a script tag, so the search page has its snippets on file:// too."""
    if exception or app.builder.format != "html":
        return
    text = json.dumps(getattr(app.env, "site_text", {}), ensure_ascii=False)
    (Path(app.outdir) / "_static" / "search-text.js").write_text(f"window.SEARCH_TEXT = {text};\n", encoding="utf-8")


def search_page_scripts(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":
        app.add_js_file("search-text.js")
        app.add_js_file("search-offline.js")


def setup(app):
    from sphinx.ext.mathjax import html_visit_displaymath, html_visit_math

    # sphinx.ext.mathjax's HTML, without its script: tools/build_site.py typesets it.
    app.add_html_math_renderer("build_time", (html_visit_math, None), (html_visit_displaymath, None))
    app.connect("html-page-context", page_context)
    app.connect("html-page-context", search_page_scripts)
    app.connect("doctree-resolved", collect_text)
    app.connect("build-finished", write_search_text)

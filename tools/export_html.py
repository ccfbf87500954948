"""Export notebooks to standalone HTML pages whose explorers work with no kernel and no network.

    npm ci                                    # once: the page scripts, from package-lock.json
    python tools/export_html.py               # every notebook -> build/pages/
    python tools/export_html.py notebooks/05_*.ipynb --out /tmp/pages

Each page shows the notebook as saved (run `tools/execute_notebooks.py` first if the helpers
changed), with its widgets drawn from the widget state saved in it. Every script the page
loads sits in `vendor/` beside it, copied from node_modules: require.js, the widgets'
HTML manager (@jupyter-widgets/html-manager), anywidget's AMD build and MathJax 2. Nothing
is fetched from a CDN, so the pages work offline and opened straight from the disk. Links
between notebooks point at the other pages.
"""

from __future__ import annotations

import argparse
import re
import shutil
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = "vendor"

# What each page needs from node_modules: (source, destination under vendor/).
HTML_MANAGER = "@jupyter-widgets/html-manager/dist"
COPIES = [
    ("requirejs/require.js", "require.js"),
    (f"{HTML_MANAGER}/embed-amd.js", "@jupyter-widgets/embed-amd.js"),
    ("anywidget/dist/index.js", "anywidget.js"),
    ("mathjax/MathJax.js", "mathjax/MathJax.js"),
    ("mathjax/config", "mathjax/config"),
    ("mathjax/extensions", "mathjax/extensions"),
    ("mathjax/jax/input/TeX", "mathjax/jax/input/TeX"),
    ("mathjax/jax/output/CommonHTML", "mathjax/jax/output/CommonHTML"),
    ("mathjax/jax/element", "mathjax/jax/element"),
    ("mathjax/fonts/HTML-CSS/TeX/woff", "mathjax/fonts/HTML-CSS/TeX/woff"),
    ("mathjax/localization/en", "mathjax/localization/en"),
]
FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".eot", ".svg")  # icons of the widgets (Play's buttons)

# Where require.js finds modules: the HTML manager's bundle names its modules itself, and
# computes where its icon fonts are from the module's address (baseUrl/@jupyter-widgets/).
REQUIRE_CONFIG = f"""<script>
require.config({{baseUrl: "{VENDOR}"}});  // so "anywidget" is vendor/anywidget.js
</script>"""


def install_vendor(out: Path) -> None:
    """Copy the page scripts from node_modules into out/vendor/ (once per export)."""
    if not (NODE_MODULES / HTML_MANAGER / "embed-amd.js").exists():
        raise SystemExit("node_modules is missing the page scripts: run `npm ci` in the repository root first")
    vendor = out / VENDOR
    for source, destination in COPIES:
        source_path, target = NODE_MODULES / source, vendor / destination
        target.parent.mkdir(parents=True, exist_ok=True)
        if source_path.is_dir():
            shutil.copytree(source_path, target, dirs_exist_ok=True)
        else:
            shutil.copy2(source_path, target)
    for font in (NODE_MODULES / HTML_MANAGER).iterdir():
        if font.suffix in FONT_SUFFIXES:
            shutil.copy2(font, vendor / "@jupyter-widgets" / font.name)


def exporter() -> HTMLExporter:
    """nbconvert's JupyterLab-style page, every script address pointing into vendor/."""
    html = HTMLExporter(template_name="lab")
    html.require_js_url = f"{VENDOR}/require.js"
    html.widget_renderer_url = f"{VENDOR}/@jupyter-widgets/embed-amd.js"
    html.jupyter_widgets_base_url = f"{VENDOR}/"  # never used: anywidget is found by REQUIRE_CONFIG
    html.mathjax_url = f"{VENDOR}/mathjax/MathJax.js?config=TeX-AMS_CHTML-full,Safe"
    return html


def export(notebook_path: Path, out: Path, html: HTMLExporter | None = None) -> Path:
    """Write out/<notebook name>.html and return its path (vendor/ must be installed)."""
    notebook = nbformat.read(notebook_path, as_version=4)
    if "widgets" not in notebook.metadata:
        raise SystemExit(f"{notebook_path.name} has no saved widget state: run tools/execute_notebooks.py first")
    body, _ = (html or exporter()).from_notebook_node(notebook)
    require_tag = f'<script src="{VENDOR}/require.js"></script>'
    if require_tag not in body:
        raise RuntimeError("nbconvert's template changed: the require.js tag was not found")
    body = body.replace(require_tag, require_tag + "\n" + REQUIRE_CONFIG, 1)
    body = re.sub(r'href="(\d\d_[\w-]+)\.ipynb"', r'href="\1.html"', body)  # links between notebooks
    target = out / f"{notebook_path.stem}.html"
    target.write_text(body, encoding="utf-8")
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every notebook in notebooks/")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "pages", help="default: build/pages")
    args = parser.parse_args()
    notebooks = args.notebooks or sorted((ROOT / "notebooks").glob("*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    install_vendor(args.out)
    html = exporter()
    for path in notebooks:
        print(export(path, args.out, html))


if __name__ == "__main__":
    main()

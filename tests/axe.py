"""axe-core (pinned in package.json, installed by `npm ci`) run inside a Playwright page."""

from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def violations(page, include: str | None = None, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """axe's WCAG 2.2 A/AA violations of these impacts, within `include` (a CSS selector) or
    the whole page: [{"id", "impact", "nodes": [selector :: html, ...]}]."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async ([include, tags, impacts]) => {
          const context = include ? {include: [...document.querySelectorAll(include)]} : document;
          const result = await axe.run(context, {runOnly: {type: 'tag', values: tags}});
          return result.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
            id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ') + ' :: ' + n.html.slice(0, 160)),
          }));
        }""",
        [include, WCAG_AA, list(impacts)],
    )

"""What every browser test shares: skip (or, with REQUIRE_BROWSER_TEST set, fail) when
Chromium or Playwright is missing, and screenshots into test-artifacts/ for a failed test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


# Every error a page meets, recorded by the page itself first thing (some engines' drivers report none):
# script errors, window errors such as "ResizeObserver loop completed with undelivered notifications",
# failed loads (an <img> with an empty src asks for the page itself), and unhandled rejections.
PAGE_ERRORS = (
    "window.PAGE_ERRORS = []; addEventListener('error', (e) => PAGE_ERRORS.push(e.message ||"
    " ('failed to load ' + (e.target && (e.target.currentSrc || e.target.src || e.target.href)))), true);"
    " addEventListener('unhandledrejection', (e) => PAGE_ERRORS.push(String(e.reason)));"
)


def skip_or_fail(reason: str) -> None:
    if os.environ.get("REQUIRE_BROWSER_TEST"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER_TEST is set, so the browser tests may not skip)")
    pytest.skip(reason)


def need_chromium() -> None:
    if labtools.find_chromium() is None:
        skip_or_fail("no Chromium found: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM=/path")
    pytest.importorskip("playwright", reason="pip install playwright (never `playwright install`: it downloads)")


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"browser-{name}.png"), full_page=True)

"""What every browser test shares: skip (or, with REQUIRE_BROWSER_TEST set, fail) when
Chromium or Playwright is missing, and screenshots into test-artifacts/ for a failed test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tools import lab as labtools

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"


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

"""The web edition in the two other engines readers have: Firefox (Debian's firefox-esr, driven by
puppeteer-core over WebDriver BiDi: tests/js/firefox_book.mjs) and WebKit, Safari's engine (Debian's
WebKitGTK MiniBrowser through WebKitWebDriver and Selenium, on a virtual X display). Chromium is
tests/test_site.py's.

Chapters 05 and 01 opened from the disk, as a reader who saved the book would: formulas typeset and
explorers' stills in place before any widget script; then every explorer live; in 05, the main
explorer's status line at the start, after one ArrowRight on b3, a Step and Reset, against the numbers
Python gives, and on a phone's width its canvas drawn at the size shown (crisp text); and no page error,
window error or failed load (WebKitWebDriver reports none: the pages are opened from a copy with a small
recorder first in <head>, tests/browser.py's PAGE_ERRORS).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

import helpers as h
from tests.browser import PAGE_ERRORS, skip_or_fail
from tests.test_site import expected_at

ROOT = Path(__file__).resolve().parent.parent
FIREFOX = os.environ.get("FIREFOX", "/usr/bin/firefox-esr")
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
WEBDRIVER = "/usr/bin/WebKitWebDriver"
CHAPTERS = ("05_optimizing_b3", "01_network_and_cross_entropy")
LOSS = ".loss-curve-explorer"
RECORDER = f"<script>{PAGE_ERRORS}</script>"  # first in <head> of the WebKit copy
READY = (
    "return [...document.querySelectorAll('.widget-still')].every(s => s.classList.contains('widget-live'))"
    " && [...document.querySelectorAll('.overlay-root')].every(r => r.dataset.frames)"
)

CRISP = (
    "const canvas = arguments[0]; return {backing: canvas.width, scaled: canvas.getBoundingClientRect().width <"
    " canvas.offsetWidth, shown: Math.round(canvas.getBoundingClientRect().width * devicePixelRatio)}"
)

pytestmark = pytest.mark.browser


def python_says() -> list[str]:
    """The status line at the start, after one ArrowRight (b3 -1.99), a Step from there, and Reset."""
    X, y = h.training_data()
    step = -1.99 - h.bias_derivatives(h.Network().with_biases(b3=-1.99), X, y)["b3"]
    return [expected_at(-2.00)[0], expected_at(-1.99)[0], f"b3 = {step:.2f} ", expected_at(-2.00)[0]]


def check(results: dict) -> None:
    for chapter in CHAPTERS:
        shown = results[chapter]
        assert shown["errors"] == [], (chapter, shown["errors"])
        assert shown["formulas"] > 40 and shown["untypeset"] == 0, shown
        assert shown["stills"] == shown["explorers"] > 0, shown
    crisp = results["05_optimizing_b3"]["crisp"]
    assert crisp["scaled"] and abs(crisp["backing"] - crisp["shown"]) <= 1, crisp
    statuses = results["05_optimizing_b3"]["statuses"]
    start, key, step, reset = python_says()
    assert statuses[0] == start and statuses[1] == key and statuses[3] == reset, statuses
    assert statuses[2].startswith(step), (statuses[2], step)


def test_firefox(book):
    site, _ = book
    if not Path(FIREFOX).exists() or not (ROOT / "node_modules" / "puppeteer-core").exists():
        skip_or_fail("Firefox test needs Debian's firefox-esr and `npm ci` (puppeteer-core, PUPPETEER_SKIP_DOWNLOAD=1)")
    for scheme in ("light", "dark"):
        done = subprocess.run(
            ["node", str(ROOT / "tests" / "js" / "firefox_book.mjs"), str(site), scheme],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            env={**os.environ, "PAGE_ERRORS": PAGE_ERRORS},
        )
        assert done.returncode == 0, done.stderr[-3000:]
        results = json.loads(done.stdout)
        check(results)
        assert results["05_optimizing_b3"]["theme"] == scheme


@pytest.fixture(scope="module")
def display():
    """A virtual X display for MiniBrowser (it has no headless mode)."""
    if not shutil.which("Xvfb"):
        skip_or_fail("the WebKit test needs Xvfb (apt-get install -y xvfb)")
    read, write = os.pipe()
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-screen", "0", "1400x1100x24", "-nolisten", "tcp"], pass_fds=(write,)
    )
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    try:
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def webkit(display: str):
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    options = Options()
    options.binary_location = MINIBROWSER
    options.add_argument("--automation")
    service = Service(WEBDRIVER, env={**os.environ, "DISPLAY": display})
    return webdriver.WebKitGTK(options=options, service=service)


def wait(driver, script: str, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while not driver.execute_script(script):
        if time.monotonic() > end:
            raise AssertionError(f"timed out: {script}")
        time.sleep(0.1)


def test_webkit(book, tmp_path, display):
    site, _ = book
    if not (Path(MINIBROWSER).exists() and Path(WEBDRIVER).exists()):
        skip_or_fail("the WebKit test needs Debian's webkit2gtk-driver (apt-get install -y webkit2gtk-driver)")
    pytest.importorskip("selenium", reason="pip install selenium (tests/requirements.txt)")
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    copy = tmp_path / "site"
    shutil.copytree(site, copy)
    for chapter in CHAPTERS:
        page = copy / f"{chapter}.html"
        page.write_text(page.read_text(encoding="utf-8").replace("<head>", "<head>" + RECORDER, 1), encoding="utf-8")
    driver = webkit(display)
    results = {}
    try:
        driver.set_window_size(1300, 900)
        for chapter in CHAPTERS:
            driver.get((copy / f"{chapter}.html").as_uri())
            wait(driver, "return document.readyState === 'complete'")
            shown = driver.execute_script(
                "return {untypeset: document.querySelectorAll('.math:not(:has(mjx-container))').length,"
                " formulas: document.querySelectorAll('.math').length,"
                " stills: document.querySelectorAll('.widget-still picture img').length}"
            )
            driver.execute_script("window.bookWidgetsNow()")
            wait(driver, READY)
            shown["explorers"] = driver.execute_script("return document.querySelectorAll('.overlay-root').length")
            shown["statuses"] = []
            if chapter == "05_optimizing_b3":

                def status() -> str:
                    time.sleep(0.3)
                    text = driver.execute_script(f"return document.querySelector('{LOSS} .loss-status').innerText")
                    return " ".join(text.split())

                shown["statuses"].append(status())
                handle = driver.find_element(By.CSS_SELECTOR, f"{LOSS} .control-b3 .noUi-handle")
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus()", handle)
                ActionChains(driver).send_keys(Keys.ARROW_RIGHT).perform()
                shown["statuses"].append(status())
                buttons = driver.find_elements(By.CSS_SELECTOR, f"{LOSS} .overlay-buttons button")
                buttons[0].click()  # Step
                shown["statuses"].append(status())
                buttons[2].click()  # Reset
                shown["statuses"].append(status())
                # a phone's column (MiniBrowser's window keeps a wider minimum): the stage shrinks to fit
                driver.execute_script(f"document.querySelector('{LOSS}').closest('.widget-still').style.width = '380px'")
                wait(driver, f"return document.querySelector('{LOSS} .overlay-stage').style.transform !== ''", 10)
                time.sleep(0.3)
                shown["crisp"] = driver.execute_script(CRISP, driver.find_element(By.CSS_SELECTOR, f"{LOSS} .overlay-canvas"))
            shown["errors"] = driver.execute_script("return window.PAGE_ERRORS")
            results[chapter] = shown
    finally:
        driver.quit()
    check(results)

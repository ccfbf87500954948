"""Drive a real JupyterLab in headless Chromium: start a server on a throw-away copy of the
notebooks, open one, run all cells, press keys and time how soon new pixels arrive.

Used by tests/test_browser.py and benchmarks/bench_browser_latency.py. Jupyter, IPython
and matplotlib state live in a temporary folder, never in the home folder.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"autoStartDefaultKernel": True},
}


def find_chromium() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab server over `root`, reachable at `url(path)`."""

    def __init__(self, root: Path, port: int, token: str) -> None:
        self.root, self.port, self.token = root, port, token

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def api(self, path: str):
        request = urllib.request.Request(self.url(f"api/{path}"), headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)


@contextlib.contextmanager
def jupyter_lab(notebooks: list[Path]) -> Iterator[Lab]:
    """Start JupyterLab on 127.0.0.1 (free port, random token) over copies of `notebooks`."""
    state = Path(tempfile.mkdtemp(prefix="lab-test-"))
    root = state / "root"
    root.mkdir()
    for notebook in notebooks:
        shutil.copy(notebook, root / notebook.name)
    settings = state / "lab-settings"
    for name, values in LAB_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    (state / "workspaces").mkdir()
    env = dict(os.environ)
    env.update(
        HOME=str(state),
        JUPYTER_RUNTIME_DIR=str(state / "runtime"),
        IPYTHONDIR=str(state / "ipython"),
        MPLCONFIGDIR=str(state / "mpl"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(state / "workspaces"),
        JUPYTER_CONFIG_DIR=str(state / "config"),
    )
    port, token = _free_port(), secrets.token_hex(16)
    command = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.password=",
        f"--ServerApp.root_dir={root}",
        "--allow-root",
    ]
    log = open(state / "lab.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=root)
    lab = Lab(root, port, token)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                lab.api("status")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; see {state / 'lab.log'}") from None
                time.sleep(0.3)
        yield lab
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@contextlib.contextmanager
def chromium_page(width: int = 1400, height: int = 1000):
    from playwright.sync_api import sync_playwright

    executable = find_chromium()
    if executable is None:
        raise RuntimeError("no chromium found: apt-get install -y chromium")
    user_data = tempfile.mkdtemp(prefix="chromium-")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            user_data,
            executable_path=executable,
            args=CHROMIUM_FLAGS,
            headless=True,
            viewport={"width": width, "height": height},
        )
        try:
            yield context.pages[0] if context.pages else context.new_page()
        finally:
            context.close()


def open_and_run_all(page, lab: Lab, notebook: str, ready_selector: str, timeout_s: float = 120) -> None:
    """Open a notebook, run all its cells, and wait until `ready_selector` shows and the kernel is idle."""
    page.goto(lab.url(f"lab/tree/{notebook}?reset&token={lab.token}"))
    page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell", timeout=timeout_s * 1000)
    _wait_for_kernel(page, lab, notebook, timeout_s)
    page.click("li.lm-MenuBar-item:has-text('Run')")
    page.click("li.lm-Menu-item[data-command='runmenu:run-all']")
    page.wait_for_selector(ready_selector, timeout=timeout_s * 1000)
    _wait_for_kernel(page, lab, notebook, timeout_s)


def _wait_for_kernel(page, lab: Lab, notebook: str, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        accept = page.query_selector(".jp-Dialog-button.jp-mod-accept")
        if accept is not None:
            accept.click()  # "Select Kernel": take the default
        sessions = [s for s in lab.api("sessions") if s["path"].endswith(notebook)]
        if sessions and sessions[0]["kernel"]["execution_state"] == "idle":
            return
        time.sleep(0.3)
    raise TimeoutError(f"the kernel of {notebook} did not become idle in {timeout_s} s")


# Timestamps the keydown (capture phase) and the first new picture after it: a changed
# `src` on a watched <img>, or a new <img> under a watched container. Two times per press:
# `src`, when the new picture is handed to the page (how the field notes measured), and
# `painted`, when it has loaded and one animation frame has passed (on screen).
LATENCY_PROBE = """
([target, mode]) => {
  window.__latencies = [];
  window.__pressed = null;
  document.addEventListener('keydown', () => { window.__pressed = performance.now(); }, true);
  const record = (img) => {
    const start = window.__pressed;
    if (start === null) return;
    window.__pressed = null;
    const row = {src: performance.now() - start};
    const done = () => requestAnimationFrame(() => { row.painted = performance.now() - start; window.__latencies.push(row); });
    if (img.complete && img.naturalWidth && mode !== 'src') { done(); } else { img.addEventListener('load', done, {once: true}); }
  };
  const node = document.querySelector(target);
  if (mode === 'src') {
    new MutationObserver(() => record(node)).observe(node, {attributes: true, attributeFilter: ['src']});
  } else {
    new MutationObserver((mutations) => {
      for (const m of mutations) for (const added of m.addedNodes) {
        const img = added.tagName === 'IMG' ? added : (added.querySelector && added.querySelector('img'));
        if (img) { record(img); return; }
      }
    }).observe(node, {childList: true, subtree: true});
  }
}
"""


def keypress_latencies(
    page,
    handle_selector: str,
    target: str,
    mode: str,
    presses: int = 20,
    key: str = "ArrowRight",
    settle_s: float = 0.15,
) -> list[float]:
    """Press `key` on a slider handle `presses` times, one at a time; milliseconds from each
    keydown to new pixels in `target` (mode 'src': an <img> whose src changes; 'child': a
    container that gets a new <img>)."""
    page.evaluate(LATENCY_PROBE, [target, mode])
    page.focus(handle_selector)
    for count in range(1, presses + 1):
        page.keyboard.press(key)
        # Poll every 50 ms, not every animation frame: a rAF poll keeps the page drawing
        # frames and competes for the two cores. The times are taken in the page, so the
        # polling interval does not change them.
        page.wait_for_function(f"window.__latencies.length >= {count}", timeout=10_000, polling=50)
        time.sleep(settle_s)  # let the kernel go idle: each press is timed alone
    return page.evaluate("window.__latencies")

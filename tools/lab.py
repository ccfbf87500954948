"""Drive a real JupyterLab in headless Chromium: start a server on a throw-away copy of the
notebooks, open one, run all cells, press keys and see when new pixels arrive; ask the
kernel what it holds.

Used by the browser tests (tests/) and the latency benchmark (benchmarks/, whose own timing
tools are in benchmarks/latency.py). Jupyter, IPython and matplotlib state live in a
temporary folder, never in the home folder.
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


def _collect(printed: list):
    def hook(message: dict) -> None:
        if message["msg_type"] == "stream":
            printed.append(message["content"]["text"])

    return hook


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Lab:
    """A running JupyterLab server over `root`, reachable at `url(path)`."""

    def __init__(self, root: Path, port: int, token: str, state: Path) -> None:
        self.root, self.port, self.token, self.state = root, port, token, state
        self.page_port = port  # where the browser connects (a delay proxy may sit in between)

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.page_port}/{path}"

    def kernel_output(self, notebook: str, code: str, timeout_s: float = 30) -> str:
        """Run `code` in the kernel of an open notebook (a second client, as a console
        would) and return what it printed: the kernel's own view of the widgets."""
        from jupyter_client import BlockingKernelClient

        session = next(s for s in self.api("sessions") if s["path"].endswith(notebook))
        client = BlockingKernelClient(connection_file=str(self.state / "runtime" / f"kernel-{session['kernel']['id']}.json"))
        client.load_connection_file()
        client.start_channels()
        try:
            reply = client.execute_interactive(code, timeout=timeout_s, output_hook=_collect(printed := []))
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"kernel error: {reply['content'].get('evalue')}")
            return "".join(printed)
        finally:
            client.stop_channels()

    def api(self, path: str, method: str = "GET"):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/api/{path}", headers={"Authorization": f"token {self.token}"}, method=method
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            body = response.read()
            return json.loads(body) if body else None


@contextlib.contextmanager
def jupyter_lab(notebooks: list[Path], as_repository: bool = False, trust: bool = False) -> Iterator[Lab]:
    """Start JupyterLab on 127.0.0.1 (free port, random token) over copies of `notebooks`.

    as_repository: lay the copies out as the repository is (README.md at the root, the
    notebooks in notebooks/), as the README's run command serves it. trust: sign the copies
    with `jupyter trust`, as that command does first.
    """
    state = Path(tempfile.mkdtemp(prefix="lab-test-"))
    root = state / "root"
    folder = root / "notebooks" if as_repository else root
    folder.mkdir(parents=True)
    for notebook in notebooks:
        shutil.copy(notebook, folder / notebook.name)
    if as_repository:
        shutil.copy(Path(__file__).resolve().parent.parent / "README.md", root / "README.md")
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
        JUPYTER_DATA_DIR=str(state / "data"),  # where `jupyter trust` keeps its signatures
    )
    if trust:
        copies = [str(folder / notebook.name) for notebook in notebooks]
        subprocess.run([sys.executable, "-m", "jupyter", "trust", *copies], env=env, check=True, capture_output=True)
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
    lab = Lab(root, port, token, state)
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


# Timestamps every keydown and click (capture phase) and every repaint of a target: for a
# browser-drawn explorer ('overlay'), each time the browser engine (helpers/js/) draws, plus one animation frame;
# for a kernel-drawn one ('src'), each new picture in an <img>, once loaded, plus one frame.
# "Painted" means that: the frame that shows the change has been produced.
PAINT_PROBE = """
([target, mode]) => {
  const probe = (window.__probe = {inputs: [], paints: []});
  const input = () => probe.inputs.push(performance.now());
  document.addEventListener('keydown', input, true);
  document.addEventListener('click', input, true);
  const painted = () => requestAnimationFrame(() => probe.paints.push(performance.now()));
  const node = document.querySelector(target);
  if (mode === 'overlay') {
    node.addEventListener('overlay-drawn', painted);
  } else {
    new MutationObserver(() => node.addEventListener('load', painted, {once: true}))
      .observe(node, {attributes: true, attributeFilter: ['src']});
  }
}
"""


def install_probe(page, target: str, mode: str) -> None:
    """Start timing inputs and repaints of `target` (a CSS selector; mode 'overlay' or 'src')."""
    page.evaluate(PAINT_PROBE, [target, mode])


def _probe(page) -> dict:
    return page.evaluate("window.__probe")


def next_paint(page, act, settle_s: float) -> float:
    """Do `act` (one input) and return milliseconds from that input to the next repaint."""
    before = len(_probe(page)["paints"])
    act()
    # Poll every 50 ms, not every animation frame: a rAF poll keeps the page drawing and
    # competes for the two cores. The times are taken in the page, so polling does not change them.
    page.wait_for_function(f"window.__probe.paints.length > {before}", timeout=10_000, polling=50)
    probe = _probe(page)
    time.sleep(settle_s)  # let the kernel go idle: each input is timed alone
    return probe["paints"][before] - probe["inputs"][-1]


def single_presses(page, handle_selector: str, presses: int = 40, key: str = "ArrowRight", settle_s: float = 0.15) -> list[float]:
    """Press `key` on a slider handle `presses` times, one at a time; milliseconds from each
    keydown to the repaint that shows it."""
    page.focus(handle_selector)
    return [next_paint(page, lambda: page.keyboard.press(key), settle_s) for _ in range(presses)]


def held_key(page, handle_selector: str, presses: int = 60, interval_s: float = 0.05, settle_s: float = 2.0) -> dict:
    """Hold `ArrowRight` down for `presses` auto-repeats, `interval_s` apart (a keyboard's
    repeat rate); then count the repaints and how long after the last key the last came."""
    page.focus(handle_selector)
    start = len(_probe(page)["inputs"]), len(_probe(page)["paints"])
    for _ in range(presses):
        page.keyboard.down("ArrowRight")  # a second down of a held key is an auto-repeat
        time.sleep(interval_s)
    page.keyboard.up("ArrowRight")
    time.sleep(settle_s)
    probe = _probe(page)
    keys, paints = probe["inputs"][start[0] :], probe["paints"][start[1] :]
    return {"keys": len(keys), "frames": len(paints), "last_after_last_key": paints[-1] - keys[-1] if paints else float("inf")}

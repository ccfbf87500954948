"""Listen to a real screen reader: Orca reading a page in Firefox ESR or Chromium under Xvfb,
driven by keys (xdotool), with what it speaks captured as text.

Everything runs in a throw-away folder (its own X display, D-Bus session, accessibility bus,
speech server and home), so nothing touches the machine's own desktop or settings, and
several sessions can run side by side. Speech goes to espeak-ng with a null audio sink (no
sound card needed); Orca's speech log is copied, line by line, to a file we read.

Needs Debian's packages: orca xvfb dbus-x11 at-spi2-core speech-dispatcher espeak-ng xdotool
python3-pyatspi firefox-esr chromium (`.ci/run` installs them). Orca and pyatspi run on the
system's Python (/usr/bin/python3); this module only starts processes and reads files.

Used by tests/test_listening.py; `python tools/screen_reader.py PAGE.html --browser firefox
--keys "h h Tab ..."` prints what Orca says after each key (how the transcripts in the issue
notes were taken).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = "orca xvfb dbus-x11 at-spi2-core speech-dispatcher espeak-ng xdotool python3-pyatspi firefox-esr chromium"
PROGRAMS = {
    "orca": "/usr/bin/orca",
    "Xvfb": "/usr/bin/Xvfb",
    "dbus-launch": "/usr/bin/dbus-launch",
    "xdotool": "/usr/bin/xdotool",
    "at-spi-bus-launcher": "/usr/libexec/at-spi-bus-launcher",
    "at-spi2-registryd": "/usr/libexec/at-spi2-registryd",
    "speech-dispatcher": "/usr/bin/speech-dispatcher",
    "espeak-ng": "/usr/bin/espeak-ng",
}
BROWSERS = {"firefox": "/usr/bin/firefox-esr", "chromium": "/usr/bin/chromium"}

# Orca, started by the system's Python with its speech log copied to a file, line by line
# (Orca keeps that log in memory only; its debug file is block-buffered).
LAUNCHER = """
import logging, runpy, sys
handler = logging.FileHandler(sys.argv.pop(1), encoding="utf-8")
handler.setFormatter(logging.Formatter("%(created).3f %(message)s"))
logging.getLogger("speech").addHandler(handler)
sys.argv[0] = "orca"
runpy.run_path("/usr/bin/orca", run_name="__main__")
"""

# Orca's settings for an unattended run: no say-all and no page summary when a page loads
# (with a null audio sink say-all stalls and keeps Orca out of focus mode); no echo of each
# key typed, so the transcript holds what the page says.
CUSTOMIZATIONS = """
import orca.settings as settings
settings.sayAllOnLoad = False
settings.pageSummaryOnLoad = False
settings.enableKeyEcho = False
settings.enableEchoByCharacter = False
settings.enableEchoByWord = False
settings.enableTutorialMessages = False
settings.enableMnemonicSpeaking = False
settings.progressBarVerbosity = 0
"""

SPEECHD_CONF = """
AudioOutputMethod "libao"
DefaultModule espeak-ng
AddModule "espeak-ng" "sd_espeak-ng" "espeak-ng.conf"
LogLevel 1
"""


def missing() -> list[str]:
    """The programs this needs that are not installed, as Debian package hints."""
    absent = [name for name, path in {**PROGRAMS, **BROWSERS}.items() if not Path(path).exists()]
    try:
        subprocess.run(["/usr/bin/python3", "-c", "import pyatspi"], check=True, capture_output=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        absent.append("python3-pyatspi")
    return absent


@dataclass
class Utterance:
    at: float  # seconds since the epoch, as Orca logged it
    text: str


@dataclass
class Listener:
    """A running Xvfb + D-Bus + AT-SPI + speech server + Orca, and one browser on a page."""

    folder: Path
    env: dict
    log: Path
    processes: list = field(default_factory=list)
    _read: int = 0  # how many utterances the caller has already been given

    # -- speech ---------------------------------------------------------------------------
    def utterances(self) -> list[Utterance]:
        if not self.log.exists():
            return []
        found = []
        for line in self.log.read_text(encoding="utf-8", errors="replace").splitlines():
            match = re.match(r"(\d+\.\d+) SPEECH OUTPUT: '(.*)'", line)
            if match:
                found.append(Utterance(float(match[1]), match[2]))
        return found

    def new(self) -> list[str]:
        """What was spoken since the last call (and marks it read)."""
        said = self.utterances()
        fresh, self._read = said[self._read :], len(said)
        return [u.text for u in fresh]

    def listen(self, quiet_s: float = 1.5, timeout_s: float = 20.0, until: str | None = None) -> list[str]:
        """Wait until Orca has said nothing for `quiet_s` (and, given `until`, said something
        matching that regular expression), then return what it said since the last call."""
        start = time.monotonic()
        seen = len(self.utterances())
        last = time.monotonic()
        while time.monotonic() - start < timeout_s:
            time.sleep(0.1)
            said = self.utterances()
            if len(said) != seen:
                seen, last = len(said), time.monotonic()
            heard = until is None or any(re.search(until, u.text) for u in said[self._read :])
            if heard and time.monotonic() - last >= quiet_s:
                break
        return self.new()

    # -- keys -----------------------------------------------------------------------------
    def key(self, *keys: str, delay_ms: int = 60) -> None:
        """Press keys (xdotool names: Tab, shift+Tab, Right, Home, h, Return, space ...)."""
        subprocess.run([PROGRAMS["xdotool"], "key", "--delay", str(delay_ms), *keys], env=self.env, check=True, timeout=60)

    def press(self, *keys: str, quiet_s: float = 1.5, timeout_s: float = 20.0, until: str | None = None) -> list[str]:
        """Press keys and return what was said until Orca fell quiet."""
        self.new()
        self.key(*keys)
        return self.listen(quiet_s=quiet_s, timeout_s=timeout_s, until=until)


def _free_display() -> int:
    for number in range(180, 400):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display between :180 and :399")


def _start(listener: Listener, command: list[str], name: str, **kwargs) -> subprocess.Popen:
    out = open(listener.folder / f"{name}.log", "wb")  # noqa: SIM115 (closed with the session's folder)
    process = subprocess.Popen(command, env=listener.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True, **kwargs)
    listener.processes.append(process)
    return process


def _wait_for(condition, timeout_s: float, what: str) -> None:
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not happen within {timeout_s:.0f} s")


def _browser_command(browser: str, url: str, folder: Path) -> list[str]:
    if browser == "firefox":
        profile = folder / "firefox-profile"
        profile.mkdir()
        # A fresh profile that asks nothing, fetches nothing and keeps file:// pages to their own origin.
        (profile / "user.js").write_text(
            "\n".join(
                f'user_pref("{name}", {value});'
                for name, value in {
                    "browser.shell.checkDefaultBrowser": "false",
                    "browser.startup.homepage_override.mstone": '"ignore"',
                    "browser.aboutwelcome.enabled": "false",
                    "datareporting.policy.dataSubmissionEnabled": "false",
                    "toolkit.telemetry.reportingpolicy.firstRun": "false",
                    "app.update.enabled": "false",
                    "browser.tabs.warnOnClose": "false",
                    "browser.sessionstore.resume_from_crash": "false",
                    "accessibility.force_disabled": "0",
                    "security.fileuri.strict_origin_policy": "true",
                    "network.captive-portal-service.enabled": "false",
                    "browser.safebrowsing.update.enabled": "false",
                    "extensions.update.enabled": "false",
                    "media.autoplay.default": "5",
                }.items()
            )
            + "\n"
        )
        return [BROWSERS["firefox"], "--no-remote", "--profile", str(profile), "--new-instance", url]
    return [
        BROWSERS["chromium"],
        "--force-renderer-accessibility",
        "--no-sandbox",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-features=Translate,MediaRouter",
        "--password-store=basic",
        f"--user-data-dir={folder / 'chromium-profile'}",
        "--window-position=0,0",
        "--window-size=1280,1000",
        url,
    ]


@contextlib.contextmanager
def listening(url: str, browser: str, keep: Path | None = None, start_timeout_s: float = 120) -> Iterator[Listener]:
    """Orca reading `url` in `browser` ("firefox" or "chromium"): yields a Listener once the
    page has been announced. Everything is stopped (by process group) when the block ends;
    `keep` copies the speech log and the processes' logs there."""
    folder = Path(tempfile.mkdtemp(prefix="listen-"))
    home = folder / "home"
    for sub in ("config/speech-dispatcher", "data/orca", "runtime", "cache"):
        (home / sub).mkdir(parents=True)
    (home / "runtime").chmod(0o700)
    (home / "config/speech-dispatcher/speechd.conf").write_text(SPEECHD_CONF)
    (home / ".libao").write_text("default_driver=null\n")
    (home / "data/orca/orca-customizations.py").write_text(CUSTOMIZATIONS)
    keep_vars = ("PATH", "LANG", "LC_ALL", "TZ")
    env = {name: os.environ[name] for name in keep_vars if name in os.environ}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_RUNTIME_DIR=str(home / "runtime"),
        XDG_CACHE_HOME=str(home / "cache"),
        GTK_MODULES="gail:atk-bridge",
        NO_AT_BRIDGE="0",
        GNOME_ACCESSIBILITY="1",
        QT_ACCESSIBILITY="1",
        GSETTINGS_BACKEND="memory",
        MOZ_DISABLE_CONTENT_SANDBOX="1",
        LANG=env.get("LANG", "C.UTF-8"),
    )
    listener = Listener(folder=folder, env=env, log=folder / "speech.log")
    try:
        display = _free_display()
        env["DISPLAY"] = f":{display}"
        _start(listener, [PROGRAMS["Xvfb"], env["DISPLAY"], "-screen", "0", "1280x1024x24", "-nolisten", "tcp"], "xvfb")
        _wait_for(lambda: Path(f"/tmp/.X11-unix/X{display}").exists(), 60, "Xvfb starting")
        found = subprocess.run(
            [PROGRAMS["dbus-launch"], "--sh-syntax"], env=env, capture_output=True, text=True, check=True, timeout=60
        ).stdout
        for name in ("DBUS_SESSION_BUS_ADDRESS", "DBUS_SESSION_BUS_PID"):
            env[name] = re.search(rf"{name}='?([^';\n]+)", found)[1]
        _start(listener, [PROGRAMS["at-spi-bus-launcher"], "--launch-immediately"], "at-spi-bus")
        time.sleep(1)
        _start(listener, [PROGRAMS["at-spi2-registryd"]], "at-spi-registry")
        _start(listener, [PROGRAMS["speech-dispatcher"], "-s", "-t", "0"], "speech-dispatcher")
        launcher = folder / "orca_launcher.py"
        launcher.write_text(LAUNCHER)
        orca = _start(
            listener,
            [
                "/usr/bin/python3",
                str(launcher),
                str(listener.log),
                "-u",
                str(home / "data/orca"),
                "--debug-file",
                str(folder / "orca-debug.log"),
            ],
            "orca",
        )
        _wait_for(lambda: listener.utterances() or orca.poll() is not None, start_timeout_s, "Orca speaking")
        if orca.poll() is not None:
            raise RuntimeError(f"Orca stopped: {(folder / 'orca.log').read_text(errors='replace')[-2000:]}")
        listener.listen(quiet_s=1.0, timeout_s=30)
        _start(listener, _browser_command(browser, url, folder), browser)
        # The page is ready for keys when Orca has spoken its title and fallen quiet.
        listener.listen(quiet_s=3.0, timeout_s=start_timeout_s, until=r".")
        yield listener
    finally:
        for process in reversed(listener.processes):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in reversed(listener.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
        if env.get("DBUS_SESSION_BUS_PID"):
            with contextlib.suppress(ProcessLookupError, PermissionError, ValueError):
                os.kill(int(env["DBUS_SESSION_BUS_PID"]), signal.SIGTERM)
        if keep is not None:
            keep.mkdir(parents=True, exist_ok=True)
            for log in folder.glob("*.log"):
                shutil.copy(log, keep / log.name)
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", help="a file or URL to open")
    parser.add_argument("--browser", choices=sorted(BROWSERS), default="firefox")
    parser.add_argument("--keys", default="", help="space-separated xdotool key names, pressed one at a time")
    parser.add_argument("--keep", type=Path, help="copy the logs to this folder")
    args = parser.parse_args(argv)
    url = args.page if "://" in args.page else Path(args.page).resolve().as_uri()
    with listening(url, args.browser, keep=args.keep) as listener:
        print("(page load) ->", " | ".join(listener.new()) or "(nothing)")
        for key in args.keys.split():
            said = listener.press(key)
            print(f"{key} ->", " | ".join(said) or "(nothing)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

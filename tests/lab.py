"""Kept for older imports (`from tests import lab`): the JupyterLab driver is tools/lab.py."""

from tools.lab import Lab, chromium_page, find_chromium, held_key, install_probe, jupyter_lab, open_and_run_all, single_presses

__all__ = [
    "Lab",
    "chromium_page",
    "find_chromium",
    "held_key",
    "install_probe",
    "jupyter_lab",
    "open_and_run_all",
    "single_presses",
]

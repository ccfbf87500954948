"""Python twins of what the browser reads, for tests: a table's values as overlay.js
decodes them, data coordinates as CSS pixels, and a widget's size in a saved notebook."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import pytest
from numpy.typing import ArrayLike, NDArray


def decode(encoded: dict) -> NDArray[np.float64]:
    """The values the browser reads from an encoded table."""
    kinds = {"f4": "<f4", "u2": "<u2", "u1": np.uint8}
    raw = np.frombuffer(bytes(encoded["data"]), dtype=kinds[encoded["dtype"]]).astype(float)
    return (encoded["offset"] + encoded["scale"] * raw).reshape(encoded["shape"])


def to_pixels(mapping: dict, x: ArrayLike, y: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Python twin of the browser's mapping: data coordinates to CSS pixels."""

    def scaled(values: ArrayLike, kind: str) -> NDArray[np.float64]:
        values = np.asarray(values, dtype=float)
        return np.log10(values) if kind == "log" else values

    (ax_, bx, kx), (ay, by, ky) = mapping["x"], mapping["y"]
    return ax_ * scaled(x, kx) + bx, ay * scaled(y, ky) + by


def state_size(widget: widgets.Widget) -> int:
    """Bytes of the widget's state as a saved notebook stores it (buffers in base64)."""
    from ipywidgets.widgets.widget import _remove_buffers

    state, _paths, buffers = _remove_buffers(widget.get_state())
    return len(json.dumps(state)) + sum(len(base64.b64encode(bytes(b))) for b in buffers)


def run_node(script: Path, overlay: widgets.Widget, folder: Path, **extra: object) -> dict:
    """Run a tests/js/ script on an overlay as the page gets it (tables, spec, inputs' state)
    plus `extra` cases, and return what it printed (JSON). Skips without Node."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the page's own functions cannot be run outside a browser")
    tables = {name: {**table, "data": base64.b64encode(bytes(table["data"])).decode()} for name, table in overlay.tables.items()}
    state = {name: getattr(overlay, name) for name in overlay.spec["inputs"]}
    path = folder / "input.json"
    path.write_text(json.dumps({"tables": tables, "spec": overlay.spec, "state": state, **extra}))
    run = subprocess.run([node, str(script), str(path)], capture_output=True, text=True, timeout=60, check=True)
    return json.loads(run.stdout)

"""Re-execute notebooks in place, keeping their outputs and widget state (for static viewers).

    python tools/execute_notebooks.py                # every notebook in notebooks/
    python tools/execute_notebooks.py notebooks/05_*.ipynb

Run it whenever helpers/ changes, so the stored outputs that nbval checks stay true.
Jupyter and matplotlib state go to a temporary folder, not to the home folder.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path) -> float:
    notebook = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=True,
        record_timing=False,  # no per-cell timestamps: a re-run changes only what the code changed
    ).execute()
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)
    seconds = time.perf_counter() - start
    nbformat.write(notebook, path)
    return seconds


def main(paths: list[str]) -> None:
    state = tempfile.mkdtemp(prefix="nbexec-")
    for name in ("IPYTHONDIR", "MPLCONFIGDIR", "JUPYTER_RUNTIME_DIR"):
        os.environ.setdefault(name, os.path.join(state, name.lower()))
    notebooks = [Path(p) for p in paths] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in notebooks:
        print(f"{path.name}: {execute(path.resolve()):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])

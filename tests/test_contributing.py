"""The minimal explorer in CONTRIBUTING.md runs as it is, and is a working explorer."""

import re
from pathlib import Path

from helpers.spec import validate

GUIDE = Path(__file__).resolve().parent.parent / "CONTRIBUTING.md"


def test_the_guides_minimal_explorer_runs():
    code = re.search(r"## A minimal explorer.*?```python\n(.*?)```", GUIDE.read_text(encoding="utf-8"), re.S).group(1)
    assert len(code.splitlines()) <= 45, "the guide promises about 40 lines"
    scope: dict = {}
    exec(compile(code, str(GUIDE), "exec"), scope)
    explorer = scope["explorer"]
    overlay = explorer.overlay
    validate(overlay.spec, overlay.tables)
    explorer.b3_slider.value = -1.0
    assert overlay.b3 == -1.0, "the slider moves the overlay's input"
    explorer.close()

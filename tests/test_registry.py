"""The explorer registry (helpers/explorers/registry.py) holds every explorer, and each one
it makes is a working explorer: a valid, complete spec, a browser class, named controls."""

import pytest

import helpers.explorers as explorers
from helpers.explorers.base import Explorer
from helpers.explorers.registry import EXPLORERS
from helpers.spec import DEFAULTS, validate


def test_every_explorer_is_registered():
    exported = {getattr(explorers, name) for name in explorers.__all__}
    kinds = {item for item in exported if isinstance(item, type) and issubclass(item, Explorer) and item is not Explorer}
    assert kinds == set(EXPLORERS), "add the new explorer to helpers/explorers/registry.py"


@pytest.mark.parametrize("kind", EXPLORERS, ids=lambda kind: kind.__name__)
def test_every_registered_explorer_makes_a_valid_complete_named_figure(kind):
    explorer = EXPLORERS[kind]()
    overlay = explorer.overlay
    validate(overlay.spec, overlay.tables, overlay.pictures)
    for mark in overlay.spec["marks"]:
        assert set(DEFAULTS[mark["kind"]]) <= set(mark), mark
    assert "explorer" in explorer._dom_classes and overlay.spec.get("describe"), "the browser finds it and names its picture"
    assert all(control["label"] for control in overlay.spec.get("controls", [])), "every control has a name"
    explorer.close()

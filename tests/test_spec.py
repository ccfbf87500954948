"""The overlay spec is checked when an explorer is made: a typo or a dangling name is a
ValueError that names it, not a silent default in the browser (helpers.spec)."""

import copy

import pytest

import helpers as h
from helpers import overlay as ov
from helpers.spec import validate
from helpers.widgets import CrossEntropyExplorer, LossCurveExplorer

X, Y = h.training_data()


@pytest.fixture(scope="module")
def made():
    explorer = LossCurveExplorer(h.Network(), X, Y)
    return dict(explorer.overlay.spec), explorer.overlay.tables


def problems(spec, tables) -> str:
    with pytest.raises(ValueError) as raised:
        validate(spec, tables)
    return str(raised.value)


def test_every_explorer_spec_is_valid_and_carries_its_inputs(made):
    spec, tables = made
    validate(spec, tables)
    assert set(spec["inputs"]) == {"b3", "hand", "learning_rate"}


def test_a_misspelt_mark_key_is_named(made):
    spec, tables = copy.deepcopy(made)
    spec["marks"][0]["colour"] = spec["marks"][0].pop("color")
    assert "mark 0 (curve): unknown key 'colour'" in problems(spec, tables)


def test_a_missing_table_value_or_input_is_named(made):
    spec, tables = copy.deepcopy(made)
    spec["marks"][0]["table"] = "los"
    spec["marks"][3]["slope"] = "slop"
    spec["values"]["ce0"]["table"] = "row_entropy"
    spec["descent"]["rate"] = "rate"
    message = problems(spec, tables)
    for expected in ("no table 'los'", "'slop' is neither a value nor an input", "value 'ce0': no table 'row_entropy'"):
        assert expected in message
    assert "descent rate: 'rate' is not an input" in message


def test_templates_name_values_inputs_and_lists_that_exist(made):
    spec, tables = copy.deepcopy(made)
    spec["readouts"][0]["html"] += " {rate:.2f} {downhill:@downhil}"
    spec["announce"] = "{b3:.2f} {p9_0:.2f}"
    message = problems(spec, tables)
    assert "readout 0: 'rate' is neither a value nor an input" in message
    assert "readout 0: no list 'downhil'" in message
    assert "announce: 'p9_0' is neither a value nor an input" in message


def test_an_unknown_spec_key_or_kind_is_named(made):
    spec, tables = copy.deepcopy(made)
    spec["mark"] = []
    spec["marks"].append({"kind": "arrow"})
    message = problems(spec, tables)
    assert "spec: unknown key 'mark'" in message and "mark 5 (arrow): unknown kind" in message


def test_an_overlay_refuses_a_bad_spec_before_it_opens():
    inputs = {"a": {"min": 0.0, "step": 1.0, "count": 2, "value": 0.0}}
    tables = {"t": ov.table([1.0, 2.0], ["a"])}
    spec = {"size": [10, 10], "axes": [{}], "marks": [{"kind": "point", "x": "a", "y": "b"}]}
    with pytest.raises(ValueError, match="'b' is neither a value nor an input"):
        ov.Overlay(inputs, spec=spec, tables=tables)
    made = ov.Overlay(inputs, spec={**spec, "values": {"b": {"table": "t"}}}, tables=tables)
    assert made.spec["inputs"] == inputs  # given once, to the overlay
    made.spec = {**spec, "values": {"b": 1.0}}
    assert made.spec["inputs"] == inputs
    made.close()


@pytest.mark.parametrize("parts", [("species", "derivatives"), "bias"])
def test_cross_entropy_explorer_refuses_unknown_parts(parts):
    with pytest.raises(ValueError, match="parts must be a collection of species, bias, derivative"):
        CrossEntropyExplorer(h.Network(), X, Y, parts=parts)


def test_builders_hold_every_default_and_refuse_unknown_keys():
    from helpers import spec

    dot = spec.point("b3", "loss", "#e8488a")
    assert dot == {"kind": "point", "x": "b3", "y": "loss", "color": "#e8488a", **spec.DEFAULTS["point"]}
    assert spec.text([10, 20], "{b3:.2f}", size=14)["size"] == 14
    assert spec.curve("probs", "value", "#2c9f70")["indices"] == []
    with pytest.raises(ValueError, match="a point mark has no keys \\['colour'\\]"):
        spec.point("b3", "loss", "#e8488a", colour="red")


def test_the_browser_gets_every_key_of_every_mark_and_value(made):
    # The browser reads every key as given (no defaults of its own): each mark carries all of
    # its kind's defaults, each table look-up its indices.
    from helpers.spec import DEFAULTS

    spec, _ = made
    for mark in spec["marks"]:
        assert set(DEFAULTS[mark["kind"]]) <= set(mark), mark
    assert all("indices" in ref for ref in spec["values"].values() if isinstance(ref, dict) and "table" in ref)


def test_a_spec_set_later_is_checked_too():
    overlay = LossCurveExplorer(h.Network(), X, Y).overlay
    broken = copy.deepcopy(overlay.spec)
    broken["marks"][0]["colour"] = "red"
    with pytest.raises(ValueError, match="unknown key 'colour'"):
        overlay.spec = broken
    overlay.close()

"""The overlay spec: what the browser (`helpers/js/`) draws, in one place, checked in Python.

An explorer describes its figure as a dict (`Overlay(inputs, spec=...)`); `validate` checks
it when the explorer is made, so a typo (`"colour"`) or a mark that names a table, value or
input that does not exist is a `ValueError` naming it, not a silent default in the browser.
All lengths are CSS pixels.

Spec keys
---------
size          [width, height] of the figure.
inputs        name -> grid {"min", "step", "count", "value", "kind"} or choice {"choices",
              "value", "kind": "int"}: the values the marks follow, each a synced trait of
              the overlay. Filled in by `Overlay` from its own `inputs`; explorers leave it out.
axes          one `overlay.axes_mapping` per axes that marks use (a mark's "axes" indexes it).
values        name -> a number, {"table": t, "indices": [trailing indices or names]} (t's
              value where its inputs are now), or {"next": true} (the next point of gradient descent).
              An input's own name needs no entry.
marks         what moves, drawn in order; each {"kind": ..., "axes": i, "clip": bool, ...}:
              point (x, y), tangent (x, y, slope, half), curve (a table against the grid of
              input `over`, its trailing axes at `indices`), path (a list trait `points`,
              then the point `then`), bars, text (a template at CSS pixel position `pixel`),
              picture (one of a list of PNGs by `index`, stretched over `extent`), sprite (a
              PNG at `pixel` slid by value `by`); the keys each kind takes are in MARK_KEYS
              below. Build marks with the functions below (`point`, `curve`, ...): they hold
              every default (DEFAULTS), and `complete` fills them into any spec an Overlay is
              given, so the browser has no defaults of its own.
              graph: nodes {"name", "at", "color", "ink", "sum_at"} and edges [from, to] by node
              index, each drawn as `geometry` [x0, y0, x1, y1, label x, label y] says; each
              node's state, value and gradient from table `states` [..., node, 3], its
              written-out sum from `sums`, each edge's state and label from `edge_states`
              [..., edge, 2], as indices into the list `texts`; `look`: per state, the nodes'
              fill, border width and dash and the edges' color, width, dash and arrow.
readouts      HTML lines {"where": "above"|"below", "class", "html", "region"}, with
              "{name:fmt}" fields: fmt ".2f", ".0%", "d", "+.2f" (a term after the first:
              "+ 0.95", "- 0.99") or "@list" (a name from `lists`; `fill` below).
lists         name -> list of strings, for "@list" fields; a string that is itself a
              template is filled in turn (one level), so a table can pick a sentence.
describe      the picture's accessible name (a template); announce: what a screen reader
              hears once the hand stops (a template).
controls      one `explorers.base.control(...)` per ipywidgets control (names, formats).
descent       Step, Play and Reset: position, hand and rate (inputs), slope and loss
              (values), tolerance, start, low, high, max_steps, interval_ms.
animate       Play through an input instead: input, interval_ms, max_steps, where.
steps         Forward step, Backward step, Step back, Play and Reset through an int input
              (`input`): `phase` a table of each position's kind (1 forward, 2 backward),
              `end` the value of the last position, interval_ms (Play's pace).
rules         "follow" {hand: position} (the slider moves a point that Step may leave
              between positions) and "on_change" {source: {target: [value per choice]}}:
              applied by `Overlay` in the kernel and by helpers/js/rules.js in the browser.
offline_note  the line shown beside controls that need Python, when no kernel answers.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping

SPEC_KEYS = {
    "size", "inputs", "axes", "values", "marks", "readouts", "lists", "describe", "announce",
    "controls", "descent", "animate", "rules", "offline_note", "steps",
}  # fmt: skip
COMMON = {"kind", "axes", "clip"}
LINE = {"color", "width", "alpha", "dash"}
DOT = {"marker", "size", "color", "edge"}
MARK_KEYS = {
    "point": COMMON | DOT | {"x", "y"},
    "tangent": COMMON | LINE | {"x", "y", "slope", "half"},
    "curve": COMMON | LINE | {"table", "over", "indices", "highlight"},
    "path": COMMON | LINE | DOT | {"points", "then", "marker_size"},
    "bars": COMMON | {"x", "width", "heights", "colors", "labels", "label_size", "label_color"},
    "text": COMMON | {"pixel", "text", "size", "align", "baseline", "color"},
    "picture": COMMON | {"picture", "index", "extent"},
    "sprite": COMMON | {"picture", "pixel", "shift", "by", "reference", "alpha"},
    "graph": COMMON | {"nodes", "edges", "geometry", "states", "sums", "edge_states", "texts", "node_size", "look"},
}
INK = "#222222"  # text drawn in the browser (helpers.style.INK; style imports the network, spec must not)
_LINE = {"width": 1.5, "alpha": 1.0, "dash": []}
_DOT = {"marker": "o", "size": 8, "edge": None}
# Every optional key's default, the one place they live (the browser reads every key as given).
DEFAULTS = {
    "point": {"axes": 0, "clip": True, **_DOT},
    "tangent": {"axes": 0, "clip": True, **_LINE},
    "curve": {"axes": 0, "clip": True, **_LINE, "indices": [], "highlight": None},
    "path": {"axes": 0, "clip": True, **_LINE, **_DOT, "marker_size": 6},
    "bars": {"axes": 0, "clip": True, "labels": None, "label_size": 12, "label_color": INK},
    "text": {"axes": 0, "clip": True, "size": 12, "align": "left", "baseline": "top", "color": INK},
    "picture": {"axes": 0, "clip": True},
    "sprite": {"axes": 0, "clip": True, "alpha": 1.0, "reference": 0.0},
    "graph": {"axes": 0, "clip": False},
}
GRAPH_NODE_KEYS = {"name", "at", "color", "ink", "sum_at"}
NAMED = {"x", "y", "slope", "by", "index"}  # mark keys whose value is a name (or a number)
NAME_LISTS = {"then", "heights", "indices"}  # mark keys whose value is a list of names or numbers
READOUT_KEYS = {"where", "class", "html", "region"}
DESCENT_KEYS = {"position", "hand", "slope", "loss", "rate", "tolerance", "start", "low", "high", "max_steps", "interval_ms"}
ANIMATE_KEYS = {"input", "interval_ms", "max_steps", "where"}
STEPS_KEYS = {"input", "phase", "end", "interval_ms"}
FIELD = re.compile(r"\{(\w+):([^}]+)\}")  # a template's "{name:fmt}", as helpers/js/text.js's fill() reads it


def format_value(value: float, fmt: str, lists: Mapping[str, list[str]] | None = None) -> str:
    """A number as helpers/js/text.js's format() writes it: Python's own ".2f", ".0%", "d"; "+.3f" for a
    term after the first ("+ 0.952", "- 0.996"); "@list" for the string at that index of a list."""
    if fmt.startswith("@"):
        return (lists or {})[fmt[1:]][round(value)]
    if fmt.startswith("+"):
        return f"{'-' if value < 0 else '+'} {format_value(abs(value), fmt[1:])}"
    if fmt == "d":
        return str(round(value))
    return format(value, fmt)


def fill(template: str, value_of: Callable[[str], float], lists: Mapping[str, list[str]] | None = None) -> str:
    """Fill a template's "{name:fmt}" fields, as helpers/js/text.js's fill() does: a field picked from
    a list ("@list") that is itself a template is filled in turn. Python's twin of the page's
    rule (tests/test_js.py runs both on the same cases)."""

    def one(match: re.Match) -> str:
        name, fmt = match.groups()
        text = format_value(value_of(name), fmt, lists)
        return fill(text, value_of, lists) if fmt.startswith("@") and "{" in text else text

    return FIELD.sub(one, template)


def validate(spec: Mapping, tables: Mapping, pictures: Mapping = (), lists_traits: Iterable[str] = ("trail",)) -> None:
    """Raise ValueError naming every unknown key and every table, value, input or list the
    spec refers to that does not exist (see this module's docstring for the schema)."""
    problems: list[str] = []
    inputs, values, lists = spec.get("inputs", {}), spec.get("values", {}), spec.get("lists", {})

    def unknown(where: str, given: Iterable[str], known: set[str]) -> None:
        problems.extend(f"{where}: unknown key {key!r}" for key in given if key not in known)

    def name(where: str, ref: object) -> None:
        if not isinstance(ref, (int, float)) and ref not in values and ref not in inputs:
            problems.append(f"{where}: {ref!r} is neither a value nor an input")

    def table(where: str, ref: object) -> None:
        if ref not in tables:
            problems.append(f"{where}: no table {ref!r}")

    def template(where: str, text: str) -> None:
        for field, fmt in FIELD.findall(text):
            name(where, field)
            if fmt.startswith("@") and fmt[1:] not in lists:
                problems.append(f"{where}: no list {fmt[1:]!r}")

    unknown("spec", spec, SPEC_KEYS)
    for key, encoded in tables.items():
        for dim in encoded.get("dims", []):
            if dim not in inputs:
                problems.append(f"table {key!r}: its axis {dim!r} is not an input")
    for key, ref in values.items():
        if isinstance(ref, Mapping) and "table" in ref:
            unknown(f"value {key!r}", ref, {"table", "indices"})
            table(f"value {key!r}", ref["table"])
            for item in ref.get("indices", []):
                name(f"value {key!r}", item)
        elif not (isinstance(ref, (int, float)) or ref == {"next": True}):
            problems.append(f"value {key!r}: {ref!r} is not a number, a table look-up or the next step")
    for k, mark in enumerate(spec.get("marks", [])):
        where = f"mark {k} ({mark.get('kind')})"
        if mark.get("kind") not in MARK_KEYS:
            problems.append(f"{where}: unknown kind; one of {', '.join(MARK_KEYS)}")
            continue
        unknown(where, mark, MARK_KEYS[mark["kind"]])
        _check_mark(mark, where, problems, name, table, template, spec, inputs, pictures, lists_traits)
    for k, readout in enumerate(spec.get("readouts", [])):
        unknown(f"readout {k}", readout, READOUT_KEYS)
        template(f"readout {k}", readout.get("html", ""))
    for key in ("describe", "announce"):
        template(key, spec.get(key, ""))
    for key, items in lists.items():
        for item in items:
            if "{" in item:
                template(f"list {key!r}", item)
    _check_controls(spec, problems, unknown, name)
    if "steps" in spec:
        table("steps phase", spec["steps"].get("phase"))
    if problems:
        raise ValueError("the overlay spec has problems:\n  " + "\n  ".join(problems))


def _check_mark(mark, where, problems, name, table, template, spec, inputs, pictures, lists_traits) -> None:
    """One mark's references: the names, tables, inputs, lists and pictures it uses."""
    for key in sorted(NAMED & set(mark)):
        if not (key == "x" and mark["kind"] == "bars"):  # bars' x: numbers on the axis
            name(f"{where} {key}", mark[key])
    for key in sorted(NAME_LISTS & set(mark)):
        for item in mark[key]:
            name(f"{where} {key}", item)
    if "table" in mark:
        table(where, mark["table"])
    if mark["kind"] == "curve" and mark.get("over") not in inputs:
        problems.append(f"{where}: over {mark.get('over')!r} is not an input")
    if mark.get("highlight"):
        name(f"{where} highlight", mark["highlight"].get("value"))
    if mark["kind"] == "path" and mark.get("points") not in lists_traits:
        problems.append(f"{where}: points {mark.get('points')!r} is not a list trait ({', '.join(lists_traits)})")
    if mark["kind"] == "text":
        template(where, mark.get("text", ""))
    if "picture" in mark and mark["picture"] not in pictures:
        problems.append(f"{where}: no picture {mark['picture']!r}")
    if mark["kind"] == "graph":
        _check_graph(mark, where, problems, table, spec)
    if mark.get("axes", 0) >= len(spec.get("axes", [])):
        problems.append(f"{where}: no axes {mark.get('axes', 0)}")


def _check_graph(mark, where, problems, table, spec) -> None:
    """A graph mark: its nodes' keys, its edges' ends, its tables and its list of texts."""
    nodes = mark.get("nodes", [])
    for k, node in enumerate(nodes):
        problems.extend(f"{where} node {k}: unknown key {key!r}" for key in node if key not in GRAPH_NODE_KEYS)
    for k, (start, end) in enumerate(mark.get("edges", [])):
        if not (0 <= start < len(nodes) and 0 <= end < len(nodes)):
            problems.append(f"{where} edge {k}: {start} -> {end} names a node that does not exist")
    for key in ("states", "sums", "edge_states"):
        if key in mark:
            table(f"{where} {key}", mark[key])
    if mark.get("texts") not in spec.get("lists", {}):
        problems.append(f"{where}: texts {mark.get('texts')!r} is not a list")


def _check_controls(spec, problems, unknown, name) -> None:
    """Descent, animate and rules: the inputs and values they move and read."""
    inputs = spec.get("inputs", {})

    def is_input(where: str, ref: object) -> None:
        if ref not in inputs:
            problems.append(f"{where}: {ref!r} is not an input")

    if "descent" in spec:
        descent = spec["descent"]
        unknown("descent", descent, DESCENT_KEYS)
        for key in ("position", "hand", "rate"):
            is_input(f"descent {key}", descent.get(key))
        for key in ("slope", "loss"):
            name(f"descent {key}", descent.get(key))
    if "animate" in spec:
        unknown("animate", spec["animate"], ANIMATE_KEYS)
        is_input("animate input", spec["animate"].get("input"))
    if "steps" in spec:
        steps = spec["steps"]
        unknown("steps", steps, STEPS_KEYS)
        is_input("steps input", steps.get("input"))
        name("steps end", steps.get("end"))
    rules = spec.get("rules", {})
    unknown("rules", rules, {"follow", "on_change"})
    for hand, position in rules.get("follow", {}).items():
        is_input("rules follow", hand)
        is_input("rules follow", position)
    for source, targets in rules.get("on_change", {}).items():
        is_input("rules on_change", source)
        for target in targets:
            is_input("rules on_change", target)


# --- building marks: each kind's required keys as arguments, the rest from DEFAULTS -----


def complete(spec: Mapping) -> dict:
    """The spec with every mark's and value's defaults filled in: what the browser is sent."""
    done = dict(spec)
    if "marks" in spec:
        done["marks"] = [{**DEFAULTS.get(mark.get("kind"), {}), **mark} for mark in spec["marks"]]
    if "values" in spec:
        done["values"] = {
            key: {"indices": [], **ref} if isinstance(ref, Mapping) and "table" in ref else ref
            for key, ref in spec["values"].items()
        }
    return done


def _mark(kind: str, **keys: object) -> dict:
    unknown = sorted(set(keys) - MARK_KEYS[kind])
    if unknown:
        raise ValueError(f"a {kind} mark has no keys {unknown}; it takes {sorted(MARK_KEYS[kind] - {'kind'})}")
    return {**DEFAULTS[kind], "kind": kind, **keys}


def point(x: str | float, y: str | float, color: str, **keys: object) -> dict:
    """A dot at (x, y), names of values or numbers; keys: marker, size, edge, axes, clip."""
    return _mark("point", x=x, y=y, color=color, **keys)


def tangent(x: str | float, y: str | float, slope: str | float, half: float, color: str, **keys: object) -> dict:
    """A line through (x, y) with `slope`, `half` data units to each side; keys: width, alpha, dash."""
    return _mark("tangent", x=x, y=y, slope=slope, half=half, color=color, **keys)


def curve(table: str, over: str, color: str, **keys: object) -> dict:
    """A table row against input `over`'s grid; keys: indices (trailing axes), highlight, width, alpha, dash."""
    return _mark("curve", table=table, over=over, color=color, **keys)


def path(points: str, then: list, color: str, **keys: object) -> dict:
    """The points of a list trait, then the point `then`; keys: marker_size, marker, width, dash, ..."""
    return _mark("path", points=points, then=then, color=color, **keys)


def bars(x: list, width: float, heights: list, colors: list, **keys: object) -> dict:
    """Bars at x of the values named in `heights`; keys: labels (a format), label_size, label_color."""
    return _mark("bars", x=x, width=width, heights=heights, colors=colors, **keys)


def text(pixel: list, template: str, **keys: object) -> dict:
    """A template's text at CSS pixel position `pixel`; keys: size, align, baseline, color, clip."""
    return _mark("text", pixel=pixel, text=template, **keys)


def picture(name: str, index: str, extent: list, **keys: object) -> dict:
    """Picture `index` of the list `name`, stretched over data `extent` [x0, x1, y0, y1]."""
    return _mark("picture", picture=name, index=index, extent=extent, **keys)


def sprite(name: str, pixel: list, shift: list, by: str, **keys: object) -> dict:
    """A picture at CSS pixel `pixel`, slid by `shift` times (value `by` - reference); keys: reference, alpha."""
    return _mark("sprite", picture=name, pixel=pixel, shift=shift, by=by, **keys)

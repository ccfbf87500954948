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
values        name -> a number, {"table": t, "at": [trailing indices or names]} (t's value
              where its inputs are now), or {"next": true} (the next point of gradient descent).
              An input's own name needs no entry.
marks         what moves, drawn in order; each {"kind": ..., "axes": i, "clip": bool, ...}:
              point (x, y), tangent (x, y, slope, half), curve (a table against the grid of
              input `over`), path (a list trait `points`, then the point `then`), bars,
              text (a template at a pixel position), picture (one of a list of PNGs by
              `index`, stretched over `extent`), sprite (a PNG slid by value `by`); the
              keys each kind takes are in MARK_KEYS below.
readouts      HTML lines {"where": "above"|"below", "class", "html", "region"}, with
              "{name:fmt}" fields: fmt ".2f", ".0%", "d" or "@list" (a name from `lists`).
lists         name -> list of strings, for "@list" fields.
describe      the picture's accessible name (a template); announce: what a screen reader
              hears once the hand stops (a template).
controls      one `explorers.base.control(...)` per ipywidgets control (names, formats).
descent       Step, Play and Reset: position, hand and rate (inputs), slope and loss
              (values), tolerance, start, low, high, max_steps, interval_ms.
animate       Play through an input instead: input, interval_ms, max_steps, where.
rules         "follow" {hand: position} (the slider moves a point that Step may leave
              between positions) and "on_change" {source: {target: [value per choice]}}:
              applied by `Overlay` in the kernel and by helpers/js/rules.js in the browser.
offline_note  the line shown beside controls that need Python, when no kernel answers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

SPEC_KEYS = {
    "size", "inputs", "axes", "values", "marks", "readouts", "lists", "describe", "announce",
    "controls", "descent", "animate", "rules", "offline_note",
}  # fmt: skip
COMMON = {"kind", "axes", "clip"}
LINE = {"color", "width", "alpha", "dash"}
DOT = {"marker", "size", "color", "edge"}
MARK_KEYS = {
    "point": COMMON | DOT | {"x", "y"},
    "tangent": COMMON | LINE | {"x", "y", "slope", "half"},
    "curve": COMMON | LINE | {"table", "over", "at", "highlight"},
    "path": COMMON | LINE | DOT | {"points", "then", "marker_size"},
    "bars": COMMON | {"x", "width", "heights", "colors", "labels", "label_size"},
    "text": COMMON | {"at", "text", "size", "align", "baseline", "color"},
    "picture": COMMON | {"picture", "index", "extent"},
    "sprite": COMMON | {"picture", "at", "shift", "by", "reference", "alpha"},
}
NAMED = {"x", "y", "slope", "by", "index"}  # mark keys whose value is a name (or a number)
NAME_LISTS = {"then", "heights", "at"}  # mark keys whose value is a list of names or numbers
READOUT_KEYS = {"where", "class", "html", "region"}
DESCENT_KEYS = {"position", "hand", "slope", "loss", "rate", "tolerance", "start", "low", "high", "max_steps", "interval_ms"}
ANIMATE_KEYS = {"input", "interval_ms", "max_steps", "where"}
FIELD = re.compile(r"\{(\w+):([^}]+)\}")  # a template's "{name:fmt}", as helpers/js/text.js's fill() reads it


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
            unknown(f"value {key!r}", ref, {"table", "at"})
            table(f"value {key!r}", ref["table"])
            for item in ref.get("at", []):
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
    _check_controls(spec, problems, unknown, name)
    if problems:
        raise ValueError("the overlay spec has problems:\n  " + "\n  ".join(problems))


def _check_mark(mark, where, problems, name, table, template, spec, inputs, pictures, lists_traits) -> None:
    """One mark's references: the names, tables, inputs, lists and pictures it uses."""
    pixels = mark["kind"] in ("text", "sprite")  # their "at" is a pixel position, not names
    for key in sorted(NAMED & set(mark)):
        if not (key == "x" and mark["kind"] == "bars"):  # bars' x: numbers on the axis
            name(f"{where} {key}", mark[key])
    for key in sorted(NAME_LISTS & set(mark)):
        if not (key == "at" and pixels):
            for item in mark[key]:
                name(f"{where} {key}", item)
    if "table" in mark:
        table(where, mark["table"])
    if mark["kind"] == "curve" and mark.get("over") not in inputs:
        problems.append(f"{where}: over {mark.get('over')!r} is not an input")
    if "highlight" in mark:
        name(f"{where} highlight", mark["highlight"].get("value"))
    if mark["kind"] == "path" and mark.get("points") not in lists_traits:
        problems.append(f"{where}: points {mark.get('points')!r} is not a list trait ({', '.join(lists_traits)})")
    if mark["kind"] == "text":
        template(where, mark.get("text", ""))
    if "picture" in mark and mark["picture"] not in pictures:
        problems.append(f"{where}: no picture {mark['picture']!r}")
    if mark.get("axes", 0) >= len(spec.get("axes", [])):
        problems.append(f"{where}: no axes {mark.get('axes', 0)}")


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
    rules = spec.get("rules", {})
    unknown("rules", rules, {"follow", "on_change"})
    for hand, position in rules.get("follow", {}).items():
        is_input("rules follow", hand)
        is_input("rules follow", position)
    for source, targets in rules.get("on_change", {}).items():
        is_input("rules on_change", source)
        for target in targets:
            is_input("rules on_change", target)

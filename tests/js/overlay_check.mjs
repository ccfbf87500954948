// Runs the browser's own code from helpers/js/ (its ES modules) under Node, on tables and a spec
// Python made, and prints what it gives; tests/test_js.py compares that with the helpers.
// Step, Play and Reset are the page's own OverlayView methods, driven on a small fake model
// (anywidget's model API: get, set, on, send, save_changes) with the module's own rules and
// kernel ping applied to it.
//     node tests/js/overlay_check.mjs input.json
import { readFileSync } from "node:fs";

import * as overlay from "../../helpers/js/index.js";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));

const encoded = {};
const tables = {};
for (const [name, table] of Object.entries(input.tables)) {
  const bytes = Buffer.from(table.data, "base64");
  encoded[name] = { ...table, data: new DataView(bytes.buffer, bytes.byteOffset, bytes.length) };
  tables[name] = overlay.decodeTable(encoded[name]);
}
const b3 = input.spec.inputs.b3;
const at = (name, value, tail = []) => overlay.lookup(tables[name], [overlay.position(b3, value)], tail);

/** anywidget's model, as far as the view uses it; a kernel that answers every ping. */
class FakeModel {
  constructor(state) {
    this.state = { ...state };
    this.handlers = {};
    this.saves = 0;
  }
  get(name) {
    return this.state[name];
  }
  set(name, value) {
    const old = this.state[name];
    this.state[name] = value;
    if (old !== value) for (const handler of this.handlers[`change:${name}`] ?? []) handler();
  }
  on(event, handler) {
    (this.handlers[event] ??= []).push(handler);
  }
  send(message) {
    if (message.ping) for (const handler of this.handlers["msg:custom"] ?? []) handler({ pong: true });
  }
  save_changes() {
    this.saves += 1;
  }
}

let reducedMotion = true;
globalThis.window = { matchMedia: () => ({ matches: reducedMotion }) };

/** A view of the real OverlayView class with no page around it: only what Step and Play use. */
function explorer(rate, interval_ms) {
  const spec = { ...input.spec, descent: { ...input.spec.descent, interval_ms: interval_ms ?? input.spec.descent.interval_ms } };
  const model = new FakeModel({ ...input.state, learning_rate: rate, spec, tables: encoded, trail: [], offline: false });
  overlay.default.initialize({ model }); // the follow rule and the kernel's ping, as in the page
  const view = Object.create(overlay.OverlayView.prototype);
  Object.assign(view, { model, tables, playButton: { textContent: "Play" } });
  return { model, view };
}

/** Where the point went: each step's start (the trail), then where it stopped. */
const visited = (model) => [...model.get("trail").map(([position]) => position), model.get(input.spec.descent.position)];

/** Play with reduced motion: every step at once, as the page does. */
function play(rate) {
  reducedMotion = true;
  const { model, view } = explorer(rate);
  view.togglePlay();
  return visited(model);
}

/** Play with reduced motion, as the kernel hears it: how many saves, and where the slider ends. */
function playQuietly(rate) {
  reducedMotion = true;
  const { model, view } = explorer(rate);
  const before = model.saves; // (the kernel's first answer flushes what changed before it)
  view.togglePlay();
  return { saves: model.saves - before, hand: model.get(input.spec.descent.hand), steps: model.get("trail").length };
}

/** Play animated, on the page's timer (a 1 ms interval here), until it stops itself. */
async function playAnimated(rate) {
  reducedMotion = false;
  const { model, view } = explorer(rate, 1);
  view.togglePlay();
  const pausing = view.playButton.textContent;
  while (view.timer) await new Promise((resolve) => setTimeout(resolve, 2));
  return { visited: visited(model), pausing, after: view.playButton.textContent, saves: model.saves };
}

/** Step twice, then Reset: the trail, the point and the slider after each. */
function stepAndReset(rate) {
  reducedMotion = true;
  const { model, view } = explorer(rate);
  const d = input.spec.descent;
  const seen = () => ({ trail: model.get("trail"), position: model.get(d.position), hand: model.get(d.hand), offline: model.get("offline") });
  const states = [];
  view.step();
  states.push(seen());
  view.step();
  states.push(seen());
  view.reset();
  states.push(seen());
  return states;
}

/** The follow rule as the page applies it: the slider moves the point, unless a Step left it between
 * the slider's two positions. Each case: [point before, slider set to] -> the point after. */
function follow(cases) {
  return cases.map(([point, hand]) => {
    const { model } = explorer(1.0);
    model.state[input.spec.descent.position] = point; // where a Step may have left it (no event)
    model.set(input.spec.descent.hand, hand);
    return model.get(input.spec.descent.position);
  });
}

const result = {
  on_grid: input.grid.map((value) => at("loss", value)),
  off_grid: input.off_grid.map((value) => [at("loss", value), at("slope", value), at("probs", value, [0, 0])]),
  descents: input.rates.map((rate) => play(rate)),
  animated: await playAnimated(1.0),
  quietly: playQuietly(0.05),
  stepped: stepAndReset(1.0),
  formats: input.formats.map(([value, fmt]) => overlay.format(value, fmt, { species: ["Setosa", "Versicolor", "Virginica"] })),
  choices: overlay.position({ choices: [2, 0] }, 0),
  follow: follow(input.follow),
  snaps: input.snaps.map((value) => overlay.snap(b3, value)),
};
console.log(JSON.stringify(result));

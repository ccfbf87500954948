// Runs the page's own graph and step code (helpers/js/graph.js, steps.js) under Node on notebook
// 05's backpropagation explorer, as Python made it, driving a view on a fake model, and prints
// what it shows; tests/test_backprop_js.py compares that with the helpers. Forward step,
// Backward step, Step back, Play and Reset are the page's own actions; what each step
// announces is filled as the page fills it (text.js).
//     node tests/js/backprop_check.mjs input.json
import { readFileSync } from "node:fs";
import { graphState } from "../../helpers/js/graph.js";
import { ACTIONS } from "../../helpers/js/steps.js";
import { decodeTable } from "../../helpers/js/tables.js";
import { fill, format } from "../../helpers/js/text.js";
import { OverlayView } from "../../helpers/js/view.js";

const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const tables = {};
for (const [name, table] of Object.entries(input.tables)) {
  const bytes = Buffer.from(table.data, "base64");
  tables[name] = decodeTable({ ...table, data: new DataView(bytes.buffer, bytes.byteOffset, bytes.length) });
}

/** anywidget's model, as far as the view uses it (a kernel that hears every save). */
class FakeModel {
  constructor(state) {
    this.state = { ...state };
    this.saves = 0;
  }
  get(name) {
    return this.state[name];
  }
  set(name, value) {
    this.state[name] = value;
  }
  on() {}
  send() {}
  save_changes() {
    this.saves += 1;
  }
}

let reducedMotion = true;
globalThis.window = { matchMedia: () => ({ matches: reducedMotion }) };

/** The page's OverlayView with no page around it: what the step buttons and the graph use. */
function explorer(mode, b3) {
  const model = new FakeModel({ ...input.state, mode, b3, spec: input.spec, offline: false });
  const view = Object.create(OverlayView.prototype);
  Object.assign(view, { model, tables, status: { textContent: "" }, playButton: { textContent: "Play" }, timer: null });
  return view;
}

const graph = input.spec.marks[0];
const b3Node = graph.nodes.findIndex((node) => node.name === "b3");
/** What the page shows now: the step, its announcement, the nodes the step lit, b3's gradient. */
function seen(view) {
  const value = (name) => view.valueOf(name);
  const shown = graphState(graph, value, view);
  return {
    step: view.model.get("step"),
    said: fill(input.spec.announce, value, input.spec.lists),
    lit: shown.nodes.flatMap((node, k) => (node.state === 2 || node.state === 4 ? [graph.nodes[k].name] : [])),
    b3: shown.nodes[b3Node].gradient,
    told: view.status.textContent,
  };
}

/** Press one button until it stops moving: what each press showed (the last: the press that could not). */
function pressAll(view, action) {
  const states = [];
  for (let k = 0; k < 200; k++) {
    const moved = ACTIONS[action](view);
    states.push(seen(view));
    if (moved === false) break;
  }
  return states;
}

const result = {};
{
  const view = explorer(0, -2.0);
  result.forward = pressAll(view, "forward");
  result.backward = pressAll(view, "backward");
  ACTIONS.back(view);
  result.back = seen(view);
  ACTIONS.reset(view);
  result.reset = seen(view);
}
result.all_three = pressAll(explorer(3, -2.0), "backward");
{
  const view = explorer(0, -1.5);
  ACTIONS.play(view); // reduced motion: the end at once
  result.played = { ...seen(view), saves: view.model.saves };
}
{
  reducedMotion = false;
  const view = explorer(0, -2.0);
  ACTIONS.play(view);
  const pausing = view.playButton.textContent;
  ACTIONS.play(view); // Pause
  result.paused = { pausing, after: view.playButton.textContent, timer: view.timer };
}
// the template rules Python's helpers.spec twins (format_value, fill) hold to
result.formats = input.formats.map(([value, fmt]) => format(value, fmt, input.lists));
result.filled = input.fills.map(([template, values]) => fill(template, (name) => values[name], input.lists));
console.log(JSON.stringify(result));

// @ts-check
// steps.js: Forward step, Backward step, Step back, Play and Reset through an int input whose
// positions are the steps of a computation (notebook 05's backpropagation explorer). spec.steps
// names the input, a table of each position's phase (1 a forward step, 2 a backward one) and
// the value holding the last position. The kernel's twin of these rules is
// BackpropExplorer.forward_step / backward_step / step_back / reset; tests/js/backprop_check.mjs
// runs these on the same cases.

import { prefersReducedMotion } from "./descent.js";
import { lookup } from "./tables.js";

export const FORWARD = 1;
export const BACKWARD = 2;

/**
 * What the step buttons need of the view they drive (OverlayView implements it).
 * @typedef {object} Stepper
 * @property {import("./kernel.js").Model} model
 * @property {Record<string, any>} spec
 * @property {Record<string, import("./tables.js").DecodedTable>} tables
 * @property {(name: string) => number} positionOf
 * @property {(name: string | number) => number} valueOf
 * @property {() => void} save sends the change to the kernel (unless batching)
 * @property {{textContent: string | null}} status the live region
 * @property {ReturnType<typeof setTimeout> | undefined} announceTimer
 * @property {boolean} [batching]
 * @property {ReturnType<typeof setInterval> | null} [timer]
 * @property {{textContent: string | null}} [playButton]
 */

/**
 * The phase of position k (FORWARD or BACKWARD; 0 at the start), the other inputs where they are.
 * @param {Stepper} view
 * @param {number} k
 * @returns {number}
 */
export function phaseAt(view, k) {
  const { input, phase } = view.spec.steps;
  const table = view.tables[phase];
  return Math.round(lookup(table, table.dims.map((dim) => (dim === input ? k : view.positionOf(dim)))));
}

/**
 * Where Forward step goes: the next position, if it is a forward step; else null.
 * @param {Stepper} view
 * @returns {number | null}
 */
export function forwardTarget(view) {
  const { input, end } = view.spec.steps;
  const k = view.model.get(input) + 1;
  return k <= view.valueOf(end) && phaseAt(view, k) === FORWARD ? k : null;
}

/**
 * Where Backward step goes: the next backward step (what is left of the forward pass runs
 * at once on the way); null at the end.
 * @param {Stepper} view
 * @returns {number | null}
 */
export function backwardTarget(view) {
  const { input, end } = view.spec.steps;
  for (let k = view.model.get(input) + 1; k <= view.valueOf(end); k++) {
    if (phaseAt(view, k) === BACKWARD) return k;
  }
  return null;
}

/**
 * @param {Stepper} view
 * @param {number} k
 */
function go(view, k) {
  view.model.set(view.spec.steps.input, k);
  view.save();
}

/**
 * Say something in the live region now (a press that cannot move), instead of a step.
 * @param {Stepper} view
 * @param {string} text
 */
function tell(view, text) {
  clearTimeout(view.announceTimer);
  view.status.textContent = text;
}

/**
 * Stop Play (the view's dispose stops it too, with descent.js's stopPlay: same timer, same button).
 * @param {Stepper} view
 */
function stopPlay(view) {
  clearInterval(view.timer ?? undefined);
  view.timer = null;
  if (view.playButton) view.playButton.textContent = "Play";
}

/** @type {Record<string, (view: Stepper) => boolean | void>} */
export const ACTIONS = {
  forward(view) {
    const k = forwardTarget(view);
    if (k === null) tell(view, "The forward pass is complete here: press Backward step.");
    else go(view, k);
    return k !== null;
  },
  backward(view) {
    const k = backwardTarget(view);
    if (k === null) tell(view, "The backward pass is complete: press Step back or Reset.");
    else go(view, k);
    return k !== null;
  },
  back(view) {
    go(view, Math.max(view.model.get(view.spec.steps.input) - 1, 0));
  },
  /** Play, or Pause while playing; with reduced motion, the end at once (and one save). */
  play(view) {
    if (view.timer) return stopPlay(view);
    if (prefersReducedMotion()) {
      view.batching = true;
      while (next(view));
      view.batching = false;
      view.save();
      return;
    }
    if (view.playButton) view.playButton.textContent = "Pause";
    view.timer = setInterval(() => {
      if (!next(view)) stopPlay(view);
    }, view.spec.steps.interval_ms ?? 500);
  },
  reset(view) {
    stopPlay(view);
    go(view, 0);
  },
};

/**
 * One of Play's steps: the next one, forward or backward; false at the end.
 * @param {Stepper} view
 * @returns {boolean}
 */
export function next(view) {
  const k = forwardTarget(view) ?? backwardTarget(view);
  if (k !== null) go(view, k);
  return k !== null;
}

/** [text (the button's name), title, action, primary] */
const BUTTONS = /** @type {const} */ ([
  ["Forward step", "compute the next node's value", "forward", true],
  ["Backward step", "send the next gradient back along one edge", "backward", true],
  ["Step back", "undo the last step", "back", false],
  ["Play", "run the passes to the end", "play", false],
  ["Reset", "back to the start", "reset", false],
]);

/**
 * The row of step buttons, each a plain <button> named by its text, placed above the figure.
 * @param {Stepper} view
 * @param {HTMLElement} where
 */
export function buildStepButtons(view, where) {
  const row = Object.assign(document.createElement("div"), { className: "overlay-buttons" });
  for (const [text, title, action, primary] of BUTTONS) {
    const node = Object.assign(document.createElement("button"), { textContent: text, title });
    node.className = `jupyter-button widget-button${primary ? " mod-primary" : ""}`;
    node.addEventListener("click", () => ACTIONS[action](view));
    row.append(node);
    if (action === "play") view.playButton = node;
  }
  where.prepend(row);
}

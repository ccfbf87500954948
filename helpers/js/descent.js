// @ts-check
// descent.js: Step, Play and Reset, in the browser: gradient descent on an input (e.g. b3)
// from the tables, or an input animated through its grid. helpers.network.gradient_descent
// is the kernel's rule; tests/test_js.py holds these to it.

import { save } from "./kernel.js";

/**
 * What Step and Play need of the view they drive (OverlayView implements it).
 * @typedef {object} Player
 * @property {import("./kernel.js").Model} model
 * @property {Record<string, any>} spec
 * @property {Record<string, import("./tables.js").Input>} inputs
 * @property {(name: string | number) => number} valueOf
 * @property {() => number} next the next point of gradient descent
 * @property {boolean} [batching] Play with reduced motion: every step at once, one save
 * @property {ReturnType<typeof setInterval> | null} [timer] Play's timer, while it plays
 * @property {{textContent: string | null}} [playButton]
 */

/**
 * The next point of gradient descent (a value, e.g. of b3): point - rate * slope, kept within the slider.
 * @param {{low: number, high: number}} descent
 * @param {number} point
 * @param {number} slope
 * @param {number} rate
 * @returns {number}
 */
export function nextPoint(descent, point, slope, rate) {
  return Math.min(Math.max(point - rate * slope, descent.low), descent.high);
}

/**
 * The slider position nearest to a value (what a slider of that step shows); helpers.overlay.snap is its twin.
 * @param {{min: number, step: number}} info
 * @param {number} value
 * @returns {number}
 */
export function snap(info, value) {
  return Number((info.min + info.step * Math.round((value - info.min) / info.step)).toFixed(10));
}

/** A reader who asked for less motion gets Play's end at once, not an animation. */
function prefersReducedMotion() {
  return window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
}

/**
 * The Step/Play/Reset row, placed with the readouts above or below the figure.
 * @param {Player} view
 * @param {HTMLElement} where
 */
export function buildButtons(view, where) {
  const row = Object.assign(document.createElement("div"), { className: "overlay-buttons" });
  /** @type {(text: string, title: string, action: () => void, primary?: boolean) => HTMLButtonElement} */
  const button = (text, title, action, primary = false) => {
    const node = Object.assign(document.createElement("button"), { textContent: text, title });
    node.className = `jupyter-button widget-button${primary ? " mod-primary" : ""}`;
    node.addEventListener("click", action);
    row.append(node);
    return node;
  };
  if (view.spec.descent) {
    button("Step", "one gradient-descent step", () => step(view), true);
    view.playButton = button("Play", "step until the steps are tiny", () => togglePlay(view));
    button("Reset", "back to the start, trail cleared", () => reset(view));
  } else {
    view.playButton = button("Play", "step through to the end", () => togglePlay(view), true);
    button("Reset", "back to the start", () => reset(view));
  }
  where.prepend(row);
}

/**
 * Send the browser's changes to the kernel, unless Play is running every step at once.
 * @param {Player} view
 */
function saveUnlessBatching(view) {
  if (!view.batching) save(view.model);
}

/**
 * Play's one tick: a descent step, or the animated input's next position. False at the end.
 * @param {Player} view
 * @returns {boolean}
 */
export function tick(view) {
  if (view.spec.descent) {
    const d = view.spec.descent;
    // Stop once a step would be smaller than the tolerance, as h.gradient_descent does.
    if (Math.abs(view.model.get(d.rate) * view.valueOf(d.slope)) < d.tolerance) return false;
    return step(view);
  }
  const a = view.spec.animate;
  const info = /** @type {import("./tables.js").Grid} */ (view.inputs[a.input]);
  const last = info.min + info.step * (info.count - 1);
  const next = Math.min(view.model.get(a.input) + info.step, last);
  view.model.set(a.input, next);
  saveUnlessBatching(view);
  return next < last;
}

/**
 * One gradient-descent step from where the point is: the trail grows by that point.
 * @param {Player} view
 * @returns {boolean} whether the step was at least the tolerance
 */
export function step(view) {
  const d = view.spec.descent;
  const model = view.model;
  const here = model.get(d.position);
  const next = view.next();
  model.set("trail", [...(model.get("trail") ?? []), [here, view.valueOf(d.loss)]]);
  model.set(d.position, next);
  if (!view.batching) model.set(d.hand, snap(/** @type {import("./tables.js").Grid} */ (view.inputs[d.hand]), next)); // the slider shows it rounded
  saveUnlessBatching(view);
  return Math.abs(next - here) >= d.tolerance;
}

/**
 * Play, or Pause while playing.
 * @param {Player} view
 */
export function togglePlay(view) {
  if (view.timer) return stopPlay(view);
  const { max_steps: most, interval_ms: interval } = view.spec.descent ?? view.spec.animate;
  let ticks = 0;
  if (prefersReducedMotion()) {
    // every step at once, no animation: the reader sees (and hears) where Play ends; the
    // kernel and the slider hear of the end only, not of each of up to `most` steps
    view.batching = true;
    while (++ticks <= most && tick(view));
    view.batching = false;
    const d = view.spec.descent;
    if (d) view.model.set(d.hand, snap(/** @type {import("./tables.js").Grid} */ (view.inputs[d.hand]), view.model.get(d.position)));
    saveUnlessBatching(view);
    return;
  }
  if (view.playButton) view.playButton.textContent = "Pause";
  view.timer = setInterval(() => {
    if (++ticks > most || !tick(view)) stopPlay(view);
  }, interval);
}

/** @param {Player} view */
export function stopPlay(view) {
  clearInterval(view.timer ?? undefined);
  view.timer = null;
  if (view.playButton) view.playButton.textContent = "Play";
}

/**
 * Back to the start: the animated input to its first position, or the point (and the
 * slider) to where descent starts, trail cleared.
 * @param {Player} view
 */
export function reset(view) {
  stopPlay(view);
  if (view.spec.animate) {
    const info = /** @type {import("./tables.js").Grid} */ (view.inputs[view.spec.animate.input]);
    view.model.set(view.spec.animate.input, info.min);
    save(view.model);
    return;
  }
  const d = view.spec.descent;
  view.model.set("trail", []);
  view.model.set(d.position, d.start);
  view.model.set(d.hand, snap(/** @type {import("./tables.js").Grid} */ (view.inputs[d.hand]), d.start));
  save(view.model);
}

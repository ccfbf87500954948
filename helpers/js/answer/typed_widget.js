// @ts-check
/**
 * The typed-formula exercise's front end (anywidget), bundled into helpers/js/dist/typed.js:
 * drawn from `spec` only (the Python check's cases and diagnoses, recorded by
 * helpers/answers.py), so it works from saved state with no kernel. The math field itself
 * loads later (kit.js). The pure parts are exported for the Node tests.
 */
import { renderTyped } from "./typed.js";

export { readExpression, valuesAt } from "./formula.js";
export { allClose, fixed, judge } from "./judge.js";
export { judgeLatex } from "./typed.js";

/** @param {{ model: { get: (name: string) => any }, el: HTMLElement }} view */
function render({ model, el }) {
  el.classList.add("answer-widget");
  return renderTyped(el, model.get("spec"));
}

export default { render };

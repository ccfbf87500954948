// @ts-check
/**
 * The answer widgets' front end (anywidget): `kind` "question" (question.js) or "typed"
 * (typed.js), drawn from `spec` alone, so they work from saved state with no kernel. Nothing
 * a reader answers is written to the model. The pure parts are exported for the Node tests.
 */
import { renderQuestion } from "./question.js";
import { renderTyped } from "./typed.js";

export { readExpression, valuesAt } from "./formula.js";
export { allClose, fixed, judge } from "./judge.js";
export { judgeNumber, readNumber } from "./question.js";
export { judgeLatex } from "./typed.js";

/** @param {{ model: { get: (name: string) => any }, el: HTMLElement }} view */
function render({ model, el }) {
  el.classList.add("answer-widget");
  const spec = model.get("spec");
  return model.get("kind") === "typed" ? renderTyped(el, spec) : renderQuestion(el, spec);
}

export default { render };

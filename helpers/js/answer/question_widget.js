// @ts-check
/**
 * The question widget's front end (anywidget), bundled alone into helpers/js/dist/question.js:
 * drawn from `spec` only, so it works from saved state with no kernel. Every question saves
 * its own copy of the module in its notebook, so it carries nothing the typed exercises need
 * (typed_widget.js). Nothing a reader answers is written to the model. The pure parts are
 * exported for the Node tests.
 */
import { renderQuestion } from "./question.js";

export { judgeNumber, readNumber } from "./question.js";

/** @param {{ model: { get: (name: string) => any }, el: HTMLElement }} view */
function render({ model, el }) {
  el.classList.add("answer-widget");
  return renderQuestion(el, model.get("spec"));
}

export default { render };

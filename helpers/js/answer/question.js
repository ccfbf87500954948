// @ts-check
/**
 * Predict, then check: a question with options (radio buttons) or a number, answered in
 * place. The reader commits, presses Check (or Enter), and is told in words whether it is
 * right and why; the explanation unfolds only after an attempt. The feedback goes to a polite
 * live region. The answer is kept on the reader's device (store.js), never in the model.
 */
import { forgetPage, onForget, recall, remember } from "./store.js";
import { clearButton, make, ownKeys, say, uid } from "./ui.js";

/**
 * @typedef {{ text: string, feedback: string }} Option
 * @typedef {{ value: number, feedback: string }} Near
 * @typedef {{ prompt: string, explanation: string, key: string, options?: Option[], correct?: number,
 *   answer?: number, within?: number, near?: Near[] }} QuestionSpec
 */

/** A typed number, read the way people write it: "−0.77", "-0,77", "1 234.5", ".5". */
export function readNumber(/** @type {string} */ text) {
  const cleaned = text.trim().replace(/[\u2212\u2013]/g, "-").replace(/\s+/g, "").replace(/^(-?\d*),(\d+)$/, "$1.$2");
  if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * Feedback on a typed number: right within `within`, else a known wrong number's feedback, else
 * whether it is too high or too low.
 * @param {QuestionSpec} spec
 * @param {number} value
 * @returns {{ right: boolean, text: string }}
 */
export function judgeNumber(spec, value) {
  const answer = /** @type {number} */ (spec.answer);
  const within = spec.within ?? 0.01;
  if (Math.abs(value - answer) <= within) return { right: true, text: "" };
  const near = (spec.near ?? []).find((known) => Math.abs(value - known.value) <= within);
  if (near) return { right: false, text: near.feedback };
  return { right: false, text: value > answer ? "That is too high." : "That is too low." };
}

/**
 * Draw a question into `el`.
 * @param {HTMLElement} el
 * @param {QuestionSpec} spec
 * @returns {() => void} what to undo when the view goes
 */
export function renderQuestion(el, spec) {
  const id = uid("question");
  const status = make("p", { role: "status", class: "answer-feedback", id: `${id}-feedback` });
  const explanation = /** @type {HTMLDetailsElement} */ (make("details", { class: "answer-explanation", hidden: "" }, [
    make("summary", { text: "Why" }),
    make("p", { text: spec.explanation }),
  ]));
  const check = make("button", { type: "submit", class: "answer-check", text: "Check" });
  const form = make("form", { class: "answer-question", "aria-describedby": status.id });
  const legend = make("legend", { text: spec.prompt });
  const fieldset = make("fieldset", {}, [legend]);
  /** @type {HTMLInputElement[]} */
  const radios = [];
  /** @type {HTMLInputElement | null} */
  let numberField = null;

  if (spec.options) {
    for (const [i, option] of spec.options.entries()) {
      const radio = /** @type {HTMLInputElement} */ (make("input", { type: "radio", name: id, value: String(i), id: `${id}-${i}` }));
      radios.push(radio);
      fieldset.append(make("div", { class: "answer-option" }, [radio, make("label", { for: radio.id, text: option.text })]));
    }
  } else {
    numberField = /** @type {HTMLInputElement} */ (
      make("input", { type: "text", autocomplete: "off", spellcheck: "false", enterkeyhint: "done", id: `${id}-number`, class: "answer-number" })
    );
    fieldset.append(make("div", { class: "answer-option" }, [make("label", { for: numberField.id, text: "Your answer: " }), numberField]));
  }
  fieldset.append(make("div", { class: "answer-actions" }, [check]));
  form.append(fieldset, status, explanation, clearButton(() => forgetPage()));
  el.replaceChildren(form);
  ownKeys(form);

  /** Judge what is chosen or typed now; `quiet` restores a stored answer without announcing it anew. */
  function judgeNow(quiet = false) {
    let right = false;
    let text = "";
    let stored;
    if (spec.options) {
      const chosen = radios.findIndex((radio) => radio.checked);
      if (chosen < 0) return say(status, "unjudged", "choose one of the options first.");
      right = chosen === spec.correct;
      text = spec.options[chosen].feedback;
      stored = { chosen };
    } else {
      const raw = numberField?.value ?? "";
      const value = readNumber(raw);
      if (value === null) {
        return say(status, "unjudged", raw.trim() ? `“${raw.trim()}” is not a number I can read: type digits, a point and a minus sign, such as -0.77.` : "type a number first.");
      }
      ({ right, text } = judgeNumber(spec, value));
      stored = { typed: raw };
    }
    if (!quiet) remember(spec.key, stored);
    say(status, right ? "right" : "wrong", text);
    explanation.hidden = false;
    if (right && !quiet) explanation.open = true;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    judgeNow();
  });

  function restore() {
    const stored = recall(spec.key);
    for (const radio of radios) radio.checked = false;
    if (numberField) numberField.value = "";
    say(status, "", "");
    explanation.hidden = true;
    explanation.open = false;
    if (!stored) return;
    if (radios[stored.chosen]) radios[stored.chosen].checked = true;
    if (numberField && typeof stored.typed === "string") numberField.value = stored.typed;
    judgeNow(true);
  }
  restore();
  return onForget(restore);
}

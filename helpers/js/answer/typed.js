// @ts-check
/**
 * An exercise answered by a typed formula. The math field's script loads when the exercise
 * comes near the screen (kit.js). As the reader types, the page says how it read the formula
 * ("Read as: (p_s − 1) ÷ ln(10)"); Check (or Enter) evaluates it at the Python check's cases
 * and judges it with the Python check's diagnoses (judge.js, on data from helpers/answers.py).
 */
import { readExpression, toReadable, valuesAt } from "./formula.js";
import { judge } from "./judge.js";
import { loadKit } from "./kit.js";
import { forgetPage, onForget, recall, remember } from "./store.js";
import { clearButton, make, ownKeys, say, uid } from "./ui.js";

/**
 * @typedef {import("./formula.js").Symbol} Symbol
 * @typedef {{ key: string, prompt: string, answer_name: string, symbols: Symbol[],
 *   cases: import("./judge.js").Cases, kit: string }} TypedSpec
 */

/**
 * Judge a formula's LaTeX: how it was read, then a verdict, or why it cannot be judged.
 * @param {TypedSpec} spec
 * @param {(latex: string) => any} parse the Compute Engine's LaTeX reader
 * @param {string} latex
 * @returns {{ state: "right" | "wrong" | "unjudged", read: string, message: string, diagnosis?: string }}
 */
export function judgeLatex(spec, parse, latex) {
  if (!latex.trim()) return { state: "unjudged", read: "", message: "type a formula first." };
  const reading = readExpression(parse(toReadable(latex)), spec.symbols);
  if (!reading.ok) return { state: "unjudged", read: "", message: reading.message };
  const { points, labels } = spec.cases;
  const values = valuesAt(reading.evaluate, points, labels);
  if (!values.ok) return { state: "unjudged", read: reading.text, message: values.message };
  const verdict = judge(spec.cases, values.values);
  return {
    state: verdict.right ? "right" : "wrong",
    read: reading.text,
    message: verdict.right ? verdict.diagnosis : `${verdict.diagnosis} ${verdict.detail}`,
    diagnosis: verdict.diagnosis,
  };
}

/**
 * Draw a typed-formula exercise into `el`.
 * @param {HTMLElement} el
 * @param {TypedSpec} spec
 * @returns {() => void} what to undo when the view goes
 */
export function renderTyped(el, spec) {
  const id = uid("typed");
  const label = make("p", { class: "answer-prompt", id: `${id}-label`, text: spec.prompt });
  const symbols = make(
    "ul",
    { class: "answer-symbols", "aria-label": "Symbols you can use" },
    spec.symbols.map((symbol) => make("li", {}, [make("code", { text: symbol.latex }), ` ${symbol.meaning}`])),
  );
  const open = make("button", { type: "button", class: "answer-open", "aria-describedby": `${id}-label`, text: "Type your formula" });
  const slot = make("div", { class: "answer-field" }, [open]);
  const read = make("p", { class: "answer-read", "aria-live": "polite", id: `${id}-read` });
  const check = make("button", { type: "button", class: "answer-check", text: "Check", disabled: "" });
  const status = make("p", { role: "status", class: "answer-feedback" });
  const box = make("div", { class: "answer-typed", role: "group", "aria-labelledby": label.id }, [
    label,
    symbols,
    slot,
    read,
    make("div", { class: "answer-actions" }, [check]),
    status,
    clearButton(() => forgetPage()),
  ]);
  el.replaceChildren(box);
  ownKeys(box);

  /** @type {any} */
  let field = null;
  /** @type {((latex: string) => any) | null} */
  let parse = null;

  function showReading() {
    if (!field || !parse) return;
    const latex = field.value;
    if (!latex.trim()) return void (read.textContent = "");
    const reading = readExpression(parse(toReadable(latex)), spec.symbols);
    read.textContent = reading.ok ? `Read as: ${reading.text}` : `Cannot read it yet: ${reading.message}`;
  }

  function checkNow(quiet = false) {
    if (!field || !parse) return;
    const result = judgeLatex(spec, parse, field.value);
    if (result.read) read.textContent = `Read as: ${result.read}`;
    say(status, result.state, result.message);
    if (!quiet) remember(spec.key, field.value.trim() ? { latex: field.value } : undefined);
  }

  let started = false;
  function start(/** @type {boolean} */ focus) {
    if (started) return;
    started = true;
    open.textContent = "Loading the math field…";
    open.setAttribute("aria-disabled", "true");
    loadKit(spec.kit).then(
      (kit) => {
        parse = kit.parse;
        field = new kit.MathfieldElement();
        field.setAttribute("aria-labelledby", label.id);
        field.setAttribute("aria-describedby", read.id);
        field.setAttribute("data-lm-suppress-shortcuts", "true");
        field.setAttribute("math-virtual-keyboard-policy", "auto");
        field.smartFence = true;
        field.addEventListener("input", showReading);
        field.addEventListener("keydown", (/** @type {KeyboardEvent} */ event) => {
          if (event.key === "Enter") {
            event.preventDefault();
            checkNow();
          }
        });
        slot.replaceChildren(field);
        check.removeAttribute("disabled");
        restore();
        if (focus) field.focus();
      },
      (error) => {
        slot.replaceChildren(
          make("p", { class: "answer-loading", text: `The math field could not start here (${error.message}). The Python exercise above works with a running kernel.` }),
        );
      },
    );
  }

  function restore() {
    if (!field) return;
    const stored = recall(spec.key);
    field.value = stored?.latex ?? "";
    read.textContent = "";
    say(status, "", "");
    if (stored?.latex) checkNow(true);
  }

  check.addEventListener("click", () => checkNow());
  // The kit loads when the reader asks for the field (or, if they answered here before, when the
  // exercise comes near the screen, to show that answer again): never with the page.
  open.addEventListener("click", () => start(true));
  /** @type {IntersectionObserver | null} */
  let observer = null;
  if (recall(spec.key) && "IntersectionObserver" in globalThis) {
    observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer?.disconnect();
          start(false);
        }
      },
      { rootMargin: "600px 0px" },
    );
    observer.observe(box);
  }
  const stopForget = onForget(restore);
  return () => {
    observer?.disconnect();
    stopForget();
  };
}

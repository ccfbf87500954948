// @ts-check
/** Small DOM helpers shared by the question and the typed-formula widgets. */

let counter = 0;

/** A page-unique id (each widget loads its own copy of this module, so the time is in it too). */
export function uid(/** @type {string} */ stem) {
  counter += 1;
  return `${stem}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}-${counter}`;
}

/**
 * An element with attributes and children.
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {(Node | string)[]} [children]
 * @returns {HTMLElement}
 */
export function make(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (name === "text") node.textContent = value;
    else node.setAttribute(name, value);
  }
  node.append(...children);
  return node;
}

/** Keep JupyterLab's notebook shortcuts away from a control (Lumino skips marked targets). */
export function ownKeys(/** @type {HTMLElement} */ root) {
  for (const node of root.querySelectorAll("input, button, textarea, select, math-field, summary")) {
    node.setAttribute("data-lm-suppress-shortcuts", "true");
  }
}

/**
 * Say a verdict in words and with a mark (never colour alone), in the live region.
 * @param {HTMLElement} region a role=status element
 * @param {"right" | "wrong" | "unjudged" | ""} state
 * @param {string} text
 */
export function say(region, state, text) {
  const said = /^(Right|Not yet|No)\b/.test(text); // the message says it itself
  const word = said ? "" : { right: "Right. ", wrong: "Not yet. ", unjudged: "Not judged: ", "": "" }[state];
  const mark = { right: "✔ ", wrong: "✘ ", unjudged: "? ", "": "" }[state];
  region.dataset.state = state;
  region.textContent = "";
  if (!text) return;
  region.append(make("span", { "aria-hidden": "true", class: "answer-mark", text: mark }), make("strong", { text: word }), text);
}

/** The "clear my answers on this page" button every widget carries. */
export function clearButton(/** @type {() => void} */ clear) {
  const button = make("button", { type: "button", class: "answer-clear", text: "Clear my answers on this page" });
  button.addEventListener("click", clear);
  return button;
}

// @ts-check
// controls.js: words for every reader. Give the explorer's ipywidgets controls what
// ipywidgets leaves out: a slider handle's name and a value text in its readout's format
// (noUiSlider writes the raw float, e.g. "-1.9900000000000002"), names for icon-only
// buttons, and, for controls that need a kernel when there is none, no Tab stop and a
// pointer to the note that says why. ipywidgets offers no option for any of these, so this
// edits the controls' own elements; it is idempotent, and reruns whenever the explorer's
// elements change.

import { format } from "./text.js";

/** Everything in an explorer a keyboard can reach (and JupyterLab's shortcuts must leave alone). */
export const FOCUSABLE = "button, select, input, textarea, [tabindex], [contenteditable], .noUi-handle";

/**
 * A control of spec.controls (helpers.explorers.base.control makes them).
 * @typedef {object} Control
 * @property {string} class the CSS class of the control's box
 * @property {string} label its accessible name
 * @property {string} format its value text, as text.format reads it
 * @property {boolean} [needs_kernel]
 */

/**
 * @param {Element} root the explorer's box
 * @param {{controls?: Control[]}} spec
 * @param {boolean} offline
 * @param {string} noteId the id of the note that says why a control is disabled
 * @param {() => void} relabel called again whenever ipywidgets or noUiSlider rewrites a control
 */
export function labelControls(root, spec, offline, noteId, relabel) {
  for (const control of spec.controls ?? []) {
    const box = /** @type {HTMLElement | null} */ (root.querySelector(`.${control.class}`));
    if (!box) continue;
    if (!box.dataset.labelled) {
      // noUiSlider rewrites the value text on every move, and ipywidgets the Tab stops when
      // it enables or disables a control: put ours back each time
      new MutationObserver(relabel).observe(box, {
        attributes: true,
        subtree: true,
        attributeFilter: ["aria-valuetext", "aria-valuenow", "tabindex", "disabled"],
      });
      box.dataset.labelled = "true";
    }
    const handle = box.querySelector(".noUi-handle");
    if (handle) {
      setAttribute(handle, "aria-label", control.label);
      const raw = Number(handle.getAttribute("aria-valuetext"));
      if (Number.isFinite(raw)) {
        setAttribute(handle, "aria-valuetext", format(raw, control.format));
        // the exact value (APG slider): noUiSlider rounds it to one decimal, and a screen
        // reader speaks a new value only when this number changes
        setAttribute(handle, "aria-valuenow", String(Number(raw.toPrecision(12))));
      }
    }
    // The editable readout beside a slider repeats the slider's value: out of the Tab order
    // and of the spoken page (the slider speaks the value; a mouse can still type in it).
    for (const readout of box.querySelectorAll(".widget-readout")) {
      setAttribute(readout, "tabindex", "-1");
      setAttribute(readout, "aria-hidden", "true");
    }
    const field = box.querySelector("select, input");
    if (field) setAttribute(field, "aria-label", control.label);
    const disabled = offline && control.needs_kernel;
    for (const node of box.querySelectorAll(".noUi-handle, select, input, button")) {
      if (disabled) {
        setAttribute(node, "tabindex", "-1");
        setAttribute(node, "aria-disabled", "true");
        setAttribute(node, "aria-describedby", noteId);
      } else if (node.getAttribute("aria-disabled") === "true") {
        node.removeAttribute("aria-disabled");
        node.removeAttribute("aria-describedby");
        setAttribute(node, "tabindex", "0");
      }
    }
  }
}

/**
 * Set an attribute only if it differs: every set is a mutation, and the observers above listen.
 * @param {Element} node
 * @param {string} name
 * @param {string} value
 */
export function setAttribute(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

/**
 * The explorer's keys are its own: JupyterLab's notebook shortcuts (arrows, Enter, "a",
 * "b") stay out. Lumino skips them for a target marked so, and only for the target: its
 * command-mode rules match ":focus" on the focused control itself.
 * @param {Element} root
 */
export function keepKeys(root) {
  for (const node of root.querySelectorAll(FOCUSABLE)) node.setAttribute("data-lm-suppress-shortcuts", "true");
}

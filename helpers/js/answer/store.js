// @ts-check
/**
 * What a reader answered stays on their device: the browser's localStorage, one record per
 * page (the page's own path), never the widget's model (which would reach the kernel and the
 * saved notebook). Storage refused (private windows, file:// in some browsers) just forgets.
 */

const PREFIX = "cross-entropy-derivatives:answers:";
const CLEARED = "cross-entropy-derivatives:cleared";

function pageKey() {
  return PREFIX + location.pathname;
}

/** @returns {Record<string, any>} */
function readAll() {
  try {
    return JSON.parse(localStorage.getItem(pageKey()) ?? "{}") ?? {};
  } catch {
    return {};
  }
}

/** This page's stored answer under `key`, or undefined. */
export function recall(/** @type {string} */ key) {
  return readAll()[key];
}

/** Store (or, with undefined, forget) this page's answer under `key`. */
export function remember(/** @type {string} */ key, /** @type {any} */ value) {
  try {
    const all = readAll();
    if (value === undefined) delete all[key];
    else all[key] = value;
    localStorage.setItem(pageKey(), JSON.stringify(all));
  } catch {
    // nowhere to keep it: the answer still counts on the page
  }
}

/** Forget every answer on this page, and tell this page's other answer widgets to reset. */
export function forgetPage() {
  try {
    localStorage.removeItem(pageKey());
  } catch {
    // nothing was kept
  }
  document.dispatchEvent(new CustomEvent(CLEARED));
}

/** Call `reset` when the reader clears this page's answers (from any widget on it). */
export function onForget(/** @type {() => void} */ reset) {
  document.addEventListener(CLEARED, reset);
  return () => document.removeEventListener(CLEARED, reset);
}

// @ts-check
// kernel.js: is a kernel there? One rule, from public means only.
//
// A kernel answers anywidget's custom messages (a ping gets a pong from
// helpers.overlay.Overlay); sending fails once the kernel's connection is closed (shut down,
// deleted, culled); and ipywidgets marks a view whose kernel has stopped or restarted, or
// that was drawn from a notebook's saved state, with the class below. Until a kernel
// answers, and from the moment either of the others is seen, the explorer is "offline" (a
// trait set in this page only): controls that need Python are disabled and its note says
// why. After a restart the old widgets stay unconnected for good, so the note asks for the
// notebook to be run again.

/**
 * anywidget's model, as far as this module and the view use it.
 * @typedef {object} Model
 * @property {(name: string) => any} get
 * @property {(name: string, value: any) => void} set
 * @property {(event: string, handler: (...args: any[]) => void) => void} on
 * @property {(content: any) => void} send
 * @property {() => void} save_changes
 */

const DISCONNECTED = "jupyter-widgets-disconnected";
const PING_EVERY_MS = 1000; // while a reader acts, at most one question a second
const PONG_WITHIN_MS = 1500; // no answer by then: the kernel is gone (or too busy to answer)
/** @type {WeakMap<Model, {at: number, timer: ReturnType<typeof setTimeout> | undefined}>} */
const askers = new WeakMap(); // model (each of anywidget's handles on it) -> its pending question

/**
 * The question state of this handle on the model; any answer clears it and brings it online.
 * @param {Model} model
 */
function askerOf(model) {
  let asker = askers.get(model);
  if (!asker) {
    const created = { at: -Infinity, timer: /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined) };
    model.on("msg:custom", (/** @type {{pong?: boolean}} */ message) => {
      if (!message.pong) return;
      clearTimeout(created.timer);
      const was = model.get("offline");
      model.set("offline", false);
      if (was) model.save_changes(); // what changed while no kernel answered reaches it now
    });
    askers.set(model, created);
    asker = created;
  }
  return asker;
}

/**
 * Ask the kernel whether it is there: offline if the message cannot be sent or no answer comes.
 * @param {Model} model
 */
export function ping(model) {
  const asker = askerOf(model);
  if (performance.now() - asker.at < PING_EVERY_MS) return;
  asker.at = performance.now();
  clearTimeout(asker.timer);
  asker.timer = setTimeout(() => model.set("offline", true), PONG_WITHIN_MS);
  try {
    model.send({ ping: true });
  } catch {
    model.set("offline", true); // "Cannot send": the kernel's connection is closed
  }
}

/**
 * A question left pending must not outlive its view.
 * @param {Model} model
 */
export function stopAsking(model) {
  clearTimeout(askers.get(model)?.timer);
}

/**
 * Offline until a kernel answers (in a page with none, it never does).
 * @param {Model} model
 */
export function watchKernel(model) {
  model.set("offline", true);
  ping(model);
}

/**
 * Watch a view's element, up to its explorer's box, for ipywidgets' unconnected mark.
 * @param {Model} model
 * @param {HTMLElement} el
 * @param {Element} root
 * @returns {MutationObserver}
 */
export function watchConnection(model, el, root) {
  let unconnected = false;
  const check = () => {
    const now = Boolean(el.closest(`.${DISCONNECTED}`));
    if (now === unconnected) return;
    unconnected = now;
    if (now) model.set("offline", true);
    else {
      askerOf(model).at = -Infinity; // connected again: ask now, offline until the kernel answers
      ping(model);
    }
  };
  const observer = new MutationObserver(check);
  /** @type {Element | null} */
  let node = el;
  for (; node; node = node === root ? null : node.parentElement) {
    observer.observe(node, { attributes: true, attributeFilter: ["class"] });
  }
  check();
  return observer;
}

/**
 * Send the browser's changes to the kernel, unless there is none to send them to.
 * @param {Model} model
 */
export function save(model) {
  if (!model.get("offline")) model.save_changes();
}

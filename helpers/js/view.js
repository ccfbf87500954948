// @ts-check
// view.js: one explorer figure in the page. Three layers pinned over each other (a
// matplotlib background, a canvas for what moves, a foreground), readouts, a described
// picture, announcements, and the Step/Play/Reset row; it draws the marks from the tables
// whenever an input changes.

import { labelControls, keepKeys } from "./controls.js";
import * as descent from "./descent.js";
import { watchConnection, save } from "./kernel.js";
import { DRAW, clipTo } from "./marks.js";
import { bytesOf, decodeTable, lookup, position } from "./tables.js";
import { fill } from "./text.js";

const ANNOUNCE_AFTER_MS = 600; // a held key or Play gives one announcement, once the hand stops
const MIN_SCALE = 0.75; // narrower than this and labels would be too small to read: scroll instead
const WATCH_TRIES = 300; // 30 s of looking for the explorer's box, then an overlay shown alone stops looking

/** @typedef {import("./marks.js").Scene} Scene */
/** @typedef {descent.Player} Player */

/**
 * An id unique within the page (each explorer loads its own copy of this module: no shared counter).
 * @param {string} prefix
 */
const uniqueId = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * One explorer figure in the page (exported so tests/js/overlay_check.mjs can drive Step and Play).
 * @implements {Player}
 * @implements {Scene}
 */
export class OverlayView {
  /**
   * @param {import("./kernel.js").Model} model
   * @param {HTMLElement} el
   */
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.frames = 0; // how many times the marks were drawn (tests and benchmarks read it)
    /** @type {Record<string, ImageBitmap[]>} */
    this.pictures = {};
    /** @type {Record<string, import("./tables.js").DecodedTable>} */
    this.tables = {};
    this.pending = false;
    this.disposed = false;
    this.batching = false;
    /** @type {ReturnType<typeof setInterval> | null} */
    this.timer = null;
    /** @type {HTMLButtonElement | undefined} */
    this.playButton = undefined;
    /** @type {MutationObserver | undefined} */
    this.connection = undefined;
    /** @type {MutationObserver | undefined} */
    this.controlsObserver = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.announceTimer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.watchTimer = undefined;
    const [width, height] = this.spec.size;
    this.el.classList.add("overlay-root");
    this.above = document.createElement("div");
    this.stage = document.createElement("div");
    this.stage.className = "overlay-stage";
    Object.assign(this.stage.style, { width: `${width}px`, height: `${height}px` });
    this.backgroundImage = Object.assign(document.createElement("img"), { className: "overlay-background", alt: "" });
    this.foregroundImage = Object.assign(document.createElement("img"), { className: "overlay-foreground", alt: "" });
    this.canvas = Object.assign(document.createElement("canvas"), { className: "overlay-canvas" });
    const ratio = window.devicePixelRatio || 1; // crisp marks on high-density screens
    Object.assign(this.canvas, { width: Math.round(width * ratio), height: Math.round(height * ratio) });
    for (const layer of [this.backgroundImage, this.canvas, this.foregroundImage]) {
      Object.assign(layer.style, { width: `${width}px`, height: `${height}px` });
    }
    this.stage.append(this.backgroundImage, this.canvas, this.foregroundImage);
    // The picture, for a screen reader: one image whose name says what it shows now.
    this.stage.setAttribute("role", "img");
    this.canvas.setAttribute("aria-hidden", "true");
    this.scroller = Object.assign(document.createElement("div"), { className: "overlay-scroll" });
    this.scroller.append(this.stage);
    this.note = Object.assign(document.createElement("div"), { className: "overlay-note", id: uniqueId("overlay-note") });
    this.status = Object.assign(document.createElement("div"), { className: "overlay-status" });
    this.status.setAttribute("role", "status"); // polite: read once the reader pauses
    this.below = document.createElement("div");
    this.el.append(this.above, this.scroller, this.note, this.below, this.status);
    this.readouts = this.buildReadouts();
    if (this.spec.descent || this.spec.animate) {
      descent.buildButtons(this, this.spec.animate?.where === "below" ? this.below : this.above);
    }
    this.showOffline();
    this.resizer = new ResizeObserver(() => this.fit());
    this.resizer.observe(this.el);
    this.load();
  }

  /** @returns {Record<string, any>} the spec (helpers/spec.py documents it) */
  get spec() {
    return this.model.get("spec");
  }

  /** @returns {Record<string, import("./tables.js").Input>} */
  get inputs() {
    return this.spec.inputs;
  }

  /** @param {string} name */
  positionOf(name) {
    return position(this.inputs[name], this.model.get(name));
  }

  /**
   * The current value of a name in spec.values (or of an input, or a number).
   * @param {string | number} name
   * @returns {number}
   */
  valueOf(name) {
    if (typeof name === "number") return name;
    const ref = this.spec.values?.[name];
    if (ref === undefined) return this.model.get(name); // an input
    if (typeof ref === "number") return ref;
    if (ref.next) return this.next();
    const table = this.tables[ref.table];
    const tail = (ref.at ?? []).map((/** @type {string | number} */ item) => Math.round(this.valueOf(item)));
    return lookup(
      table,
      table.dims.map((dim) => this.positionOf(dim)),
      tail,
    );
  }

  /** The next point of gradient descent from where the point is now. */
  next() {
    const d = this.spec.descent;
    return descent.nextPoint(d, this.model.get(d.position), this.valueOf(d.slope), this.model.get(d.rate));
  }

  /** @returns {HTMLDivElement[]} one node per spec.readouts entry */
  buildReadouts() {
    return (this.spec.readouts ?? []).map((/** @type {Record<string, any>} */ readout) => {
      const node = Object.assign(document.createElement("div"), { className: `overlay-readout ${readout.class ?? ""}` });
      if (readout.region) {
        // a wide table: it scrolls inside a named region a keyboard can reach
        Object.assign(node, { tabIndex: 0 });
        node.setAttribute("role", "region");
        node.setAttribute("aria-label", readout.region);
        node.classList.add("overlay-scroll");
      }
      (readout.where === "below" ? this.below : this.above).append(node);
      return node;
    });
  }

  /** In a column narrower than the figure, shrink the whole stage: every layer scales together,
   * so the marks stay exactly on the picture (the pixel mapping is in the stage's own pixels). */
  fit() {
    const [width, height] = this.spec.size;
    const scale = Math.max(MIN_SCALE, Math.min(1, (this.el.clientWidth || width) / width));
    const scrolls = scale * width > (this.el.clientWidth || width) + 1;
    if (scrolls) this.scroller.tabIndex = 0; // a keyboard can scroll what overflows
    else this.scroller.removeAttribute("tabindex");
    Object.assign(this.stage.style, {
      transform: scale < 1 ? `scale(${scale})` : "",
      transformOrigin: "top left",
      marginRight: `${(scale - 1) * width}px`, // a transform keeps the layout size: give the room back
      marginBottom: `${(scale - 1) * height}px`,
    });
  }

  // Step, Play and Reset live in descent.js; these are the buttons' (and the tests') handles.
  tick() {
    return descent.tick(this);
  }

  step() {
    return descent.step(this);
  }

  togglePlay() {
    return descent.togglePlay(this);
  }

  stopPlay() {
    descent.stopPlay(this);
  }

  reset() {
    descent.reset(this);
  }

  /** Send the browser's changes to the kernel, unless Play is running every step at once. */
  save() {
    if (!this.batching) save(this.model);
  }

  showOffline() {
    const offline = this.model.get("offline") && this.spec.offline_note;
    this.note.textContent = offline ? this.spec.offline_note : "";
    this.note.hidden = !offline;
    this.labelControls();
  }

  /** The explorer around this figure (an ipywidgets box), once it is on the page. */
  get root() {
    return this.el.closest(".explorer");
  }

  /**
   * Name the explorer's controls (see controls.js), now and whenever they are re-drawn.
   * @param {number} [tries]
   */
  watchControls(tries = 0) {
    const root = this.root;
    if (!root) {
      // The explorer's box draws its children after this view, and a notebook may keep cells
      // off the page while they are out of sight: look again for a while (not per frame).
      if (tries < WATCH_TRIES && !this.disposed) this.watchTimer = setTimeout(() => this.watchControls(tries + 1), 100);
      return;
    }
    this.connection = watchConnection(this.model, this.el, root);
    this.labelControls();
    this.controlsObserver = new MutationObserver((changes) => {
      if (changes.some((change) => !this.el.contains(change.target))) this.labelControls(); // not our own readouts
    });
    this.controlsObserver.observe(root, { childList: true, subtree: true });
  }

  labelControls() {
    const root = this.root;
    if (!root) return;
    labelControls(root, this.spec, Boolean(this.model.get("offline")), this.note.id, () => this.labelControls());
    keepKeys(root);
  }

  /** Say what changed, once the reader pauses (one polite announcement, not one per key). */
  announceSoon() {
    if (!this.spec.announce) return;
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      this.status.textContent = fill(this.spec.announce, (name) => this.valueOf(name), this.spec.lists);
    }, ANNOUNCE_AFTER_MS);
  }

  /** Load what changes rarely (tables, layers, pictures), each when its own trait changes. */
  load() {
    this.loadTables();
    this.loadLayer("background", this.backgroundImage);
    this.loadLayer("foreground", this.foregroundImage);
    this.loadPictures();
  }

  loadTables() {
    /** @type {Record<string, import("./tables.js").Table>} */
    const tables = this.model.get("tables");
    this.tables = Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, decodeTable(t)]));
    this.schedule();
  }

  /**
   * @param {string} key the trait: "background" or "foreground"
   * @param {HTMLImageElement} image
   */
  loadLayer(key, image) {
    const bytes = this.model.get(key);
    if (image.src) URL.revokeObjectURL(image.src);
    image.hidden = !bytes || !bytesOf(bytes).length;
    image.src = image.hidden ? "" : URL.createObjectURL(new Blob([bytesOf(bytes)], { type: "image/png" }));
  }

  loadPictures() {
    /** @type {Record<string, any>} */
    const pictures = this.model.get("pictures") ?? {};
    const entries = Object.entries(pictures).map(async ([name, value]) => {
      const list = Array.isArray(value) ? value : [value];
      const blobs = list.map((bytes) => new Blob([bytesOf(bytes)], { type: "image/png" }));
      return /** @type {[string, ImageBitmap[]]} */ ([name, await Promise.all(blobs.map((blob) => createImageBitmap(blob)))]);
    });
    Promise.all(entries).then((decoded) => {
      this.pictures = Object.fromEntries(decoded);
      this.schedule();
    });
  }

  /** Draw once per burst of changes (several traits often change together). */
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.draw();
    });
  }

  draw() {
    const ratio = this.canvas.width / this.spec.size[0];
    const ctx = /** @type {CanvasRenderingContext2D} */ (this.canvas.getContext("2d"));
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, this.spec.size[0], this.spec.size[1]);
    /** @type {import("./marks.js").ValueOf} */
    const value = (name) => this.valueOf(name);
    for (const mark of this.spec.marks) {
      const axes = this.spec.axes[mark.axes ?? 0];
      ctx.save();
      if (axes && mark.clip !== false) clipTo(ctx, axes);
      DRAW[mark.kind](ctx, mark, value, axes, this);
      ctx.restore();
    }
    this.readouts.forEach((node, k) => {
      node.innerHTML = fill(this.spec.readouts[k].html, value, this.spec.lists);
    });
    if (this.spec.describe) this.stage.setAttribute("aria-label", fill(this.spec.describe, value, this.spec.lists));
    this.frames += 1;
    this.el.dataset.frames = String(this.frames);
    this.el.dispatchEvent(new CustomEvent("overlay-drawn", { bubbles: true }));
  }

  /** The view is gone: stop Play, observers and timers. */
  dispose() {
    this.stopPlay();
    this.resizer.disconnect();
    this.controlsObserver?.disconnect();
    this.connection?.disconnect();
    clearTimeout(this.announceTimer);
    clearTimeout(this.watchTimer);
    this.disposed = true;
  }
}

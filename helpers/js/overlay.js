// overlay.js: the one front end of every explorer in the series (an anywidget module).
//
// Python computes, the browser draws. Python sent, once, every number a figure shows at
// every position of its controls ("tables"), a picture of what stays (a matplotlib
// background, and a foreground for what must stay on top), and a description of what
// moves ("marks", in spec). When a control moves, this module looks the numbers up and
// redraws the marks on a canvas laid exactly over the background: no kernel round trip,
// so it also works in a web-edition page with no kernel at all.
//
// helpers/spec.py documents the spec (and checks it in Python); helpers/explorers/ builds one per explorer.

// --- tables -------------------------------------------------------------------------------

/** The bytes of a buffer as the kernel (DataView) or a saved page (ArrayBuffer) gives them. */
function bytesOf(buffer) {
  if (buffer instanceof DataView) return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  return new Uint8Array(buffer.buffer ?? buffer);
}

/** Decode one table: {data, dtype, shape, dims, scale, offset} as helpers.overlay.table made it. */
export function decodeTable(table) {
  const copy = bytesOf(table.data).slice().buffer; // a copy is aligned for any typed array
  const Kind = { f4: Float32Array, u2: Uint16Array, u1: Uint8Array }[table.dtype];
  return { ...table, values: new Kind(copy) };
}

/** Where an input's value sits on its grid, as a fractional index (clamped to the grid). */
export function position(info, value) {
  if (info.choices) return info.choices.indexOf(value); // a dropdown: its table holds these
  const index = Math.min(Math.max((value - info.min) / info.step, 0), info.count - 1);
  const nearest = Math.round(index);
  return Math.abs(index - nearest) < 1e-6 ? nearest : index; // a grid point, up to rounding
}

/**
 * A table's value at fractional positions of its leading axes (one per input, linear
 * interpolation between grid points) and integer indices `tail` of the trailing axes.
 */
export function lookup(table, positions, tail = []) {
  const { shape, values, scale, offset } = table;
  let total = 0;
  for (let corner = 0; corner < 1 << positions.length; corner++) {
    let weight = 1;
    let index = 0;
    positions.forEach((p, d) => {
      const low = Math.floor(p);
      const up = (corner >> d) & 1;
      weight *= up ? p - low : 1 - (p - low);
      index = index * shape[d] + Math.min(low + up, shape[d] - 1);
    });
    if (weight === 0) continue;
    tail.forEach((t, k) => {
      index = index * shape[positions.length + k] + t;
    });
    total += weight * (offset + scale * values[index]);
  }
  return total;
}

// --- numbers as text ----------------------------------------------------------------------

/**
 * Format like Python's f-strings (so readouts can be compared with what Python prints):
 * ".2f", ".0%", "d", or "@list" (a name picked from spec.lists by the value).
 */
export function format(value, fmt, lists = {}) {
  if (fmt.startsWith("@")) return lists[fmt.slice(1)][Math.round(value)];
  if (fmt === "d") return String(Math.round(value));
  const digits = Number(fmt.slice(1, -1));
  return fmt.endsWith("%") ? `${fixed(100 * value, digits)}%` : fixed(value, digits);
}

/** value.toFixed(digits), but an exact tie rounds to even, as Python does (0.125 -> "0.12"). */
function fixed(value, digits) {
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const away = Math.abs(value).toFixed(digits); // toFixed takes a tie away from zero
  const exact = Math.abs(value).toFixed(100); // every digit of the double (ties only)
  const [whole, decimals] = exact.split(".");
  if (!/^50*$/.test(decimals.slice(digits))) return sign + away;
  const down = digits ? `${whole}.${decimals.slice(0, digits)}` : whole;
  return sign + (Number(down.slice(-1)) % 2 === 0 ? down : away);
}

/** Fill "{name:fmt}" fields of a template with named values. */
function fill(template, valueOf, lists) {
  return template.replace(/\{(\w+):([^}]+)\}/g, (_, name, fmt) => format(valueOf(name), fmt, lists));
}

// --- the pixel mapping (matplotlib's transData, top-left origin) -------------------------

function toPixels(axes, x, y) {
  const scaled = (v, kind) => (kind === "log" ? Math.log10(v) : v);
  return [axes.x[0] * scaled(x, axes.x[2]) + axes.x[1], axes.y[0] * scaled(y, axes.y[2]) + axes.y[1]];
}

function clipTo(ctx, axes) {
  const [left, top, right, bottom] = axes.clip;
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
}

// --- marks ----------------------------------------------------------------------------------

function marker(ctx, shape, x, y, size) {
  const r = size / 2;
  ctx.beginPath();
  if (shape === "*") {
    for (let k = 0; k < 10; k++) {
      const radius = k % 2 ? r * 0.45 : r;
      const angle = -Math.PI / 2 + (k * Math.PI) / 5;
      ctx.lineTo(x + radius * Math.cos(angle), y + radius * Math.sin(angle));
    }
    ctx.closePath();
  } else if (shape === "v" || shape === "^") {
    const flip = shape === "v" ? 1 : -1; // "v" points down, "^" up (CSS y grows downwards)
    ctx.moveTo(x - r, y - flip * r * 0.8);
    ctx.lineTo(x + r, y - flip * r * 0.8);
    ctx.lineTo(x, y + flip * r);
    ctx.closePath();
  } else if (shape === "s") {
    ctx.rect(x - r * 0.85, y - r * 0.85, 1.7 * r, 1.7 * r);
  } else {
    ctx.arc(x, y, r, 0, 2 * Math.PI);
  }
}

function stroke(ctx, mark, points) {
  ctx.strokeStyle = mark.color;
  ctx.lineWidth = mark.width ?? 1.5;
  ctx.globalAlpha = mark.alpha ?? 1;
  ctx.setLineDash(mark.dash ?? []);
  ctx.beginPath();
  points.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
  ctx.stroke();
  ctx.setLineDash([]);
}

function dot(ctx, mark, x, y) {
  marker(ctx, mark.marker ?? "o", x, y, mark.size ?? 8);
  ctx.fillStyle = mark.color;
  ctx.fill();
  if (mark.edge) {
    ctx.strokeStyle = mark.edge;
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}

function label(ctx, mark, text, x, y) {
  const lines = text.split("\n");
  const size = mark.size ?? 12;
  ctx.font = `normal ${size}px sans-serif`;
  ctx.textAlign = mark.align ?? "left";
  ctx.textBaseline = "top";
  const height = size * 1.25;
  const top = mark.baseline === "bottom" ? y - height * lines.length : y;
  ctx.fillStyle = mark.color ?? "#222222";
  lines.forEach((line, k) => ctx.fillText(line, x, top + k * height));
}

// Each kind draws one mark: `value` resolves a name (or number) to its current value;
// a mark's own `at` is a table's trailing indices (curve) or a pixel position (text, sprite).
const DRAW = {
  point(ctx, mark, value, axes) {
    dot(ctx, mark, ...toPixels(axes, value(mark.x), value(mark.y)));
  },
  tangent(ctx, mark, value, axes) {
    const [x, y, slope, half] = [value(mark.x), value(mark.y), value(mark.slope), mark.half];
    stroke(ctx, mark, [toPixels(axes, x - half, y - slope * half), toPixels(axes, x + half, y + slope * half)]);
  },
  curve(ctx, mark, value, axes, view) {
    // A whole table row against the grid of one input (`over`), the others where they are.
    const table = view.tables[mark.table];
    const info = view.inputs[mark.over];
    const over = table.dims.indexOf(mark.over);
    const positions = table.dims.map((name) => view.positionOf(name));
    const tail = (mark.at ?? []).map((name) => Math.round(value(name)));
    const points = [];
    for (let i = 0; i < info.count; i++) {
      positions[over] = i;
      points.push(toPixels(axes, info.min + i * info.step, lookup(table, positions, tail)));
    }
    const strong = mark.highlight && Math.round(value(mark.highlight.value)) === mark.highlight.equals;
    stroke(ctx, strong ? { ...mark, ...mark.highlight.style } : mark, points);
  },
  path(ctx, mark, value, axes, view) {
    // The points visited (a list trait, e.g. the trail of Steps), then the current point.
    const visited = view.model.get(mark.points) ?? [];
    if (!visited.length) return;
    const points = [...visited, [value(mark.then[0]), value(mark.then[1])]].map(([x, y]) => toPixels(axes, x, y));
    stroke(ctx, mark, points);
    points.slice(0, -1).forEach(([x, y]) => dot(ctx, { ...mark, size: mark.marker_size ?? 6 }, x, y));
  },
  bars(ctx, mark, value, axes, view) {
    mark.heights.forEach((name, k) => {
      const height = value(name);
      const [left, top] = toPixels(axes, mark.x[k] - mark.width / 2, height);
      const [right, base] = toPixels(axes, mark.x[k] + mark.width / 2, 0);
      ctx.fillStyle = mark.colors[k];
      ctx.fillRect(left, top, right - left, base - top);
      if (mark.labels) {
        const text = format(height, mark.labels, view.spec.lists);
        label(ctx, { size: mark.label_size, align: "center", baseline: "bottom" }, text, (left + right) / 2, top - 2);
      }
    });
  },
  text(ctx, mark, value, axes, view) {
    const [x, y] = mark.at; // CSS pixels
    label(ctx, mark, fill(mark.text, value, view.spec.lists), x, y);
  },
  picture(ctx, mark, value, axes, view) {
    // One of a list of small pictures (e.g. decision regions per training step), stretched
    // over a data rectangle; the browser smooths it as matplotlib's imshow would.
    const frame = view.pictures[mark.picture]?.[Math.round(value(mark.index))];
    if (!frame) return;
    const [x0, x1, y0, y1] = mark.extent;
    const [left, top] = toPixels(axes, x0, y1);
    const [right, bottom] = toPixels(axes, x1, y0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(frame, left, top, right - left, bottom - top);
  },
  sprite(ctx, mark, value, axes, view) {
    // A picture that only slides: in an orthographic 3-D view, lifting a surface by d
    // moves every one of its pixels by the same screen vector, d times `shift`.
    const image = view.pictures[mark.picture]?.[0];
    if (!image) return;
    const d = value(mark.by) - mark.reference;
    ctx.globalAlpha = mark.alpha ?? 1;
    ctx.drawImage(image, mark.at[0] + d * mark.shift[0], mark.at[1] + d * mark.shift[1]);
  },
};

// --- descent: Step, Play and Reset, in the browser ----------------------------------------

/** The next point of gradient descent (a value, e.g. of b3): point - rate * slope, kept within the slider. */
export function nextPoint(descent, point, slope, rate) {
  return Math.min(Math.max(point - rate * slope, descent.low), descent.high);
}

/** The slider position nearest to a value (what a slider of that step shows); helpers.overlay.snap is its twin. */
export function snap(info, value) {
  return Number((info.min + info.step * Math.round((value - info.min) / info.step)).toFixed(10));
}

// --- words for every reader: the picture described, changes announced, controls named ---

const ANNOUNCE_AFTER_MS = 600; // a held key or Play gives one announcement, once the hand stops
const MIN_SCALE = 0.75; // narrower than this and labels would be too small to read: scroll instead
/** An id unique within the page (each explorer loads its own copy of this module: no shared counter). */
const uniqueId = (prefix) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
const WATCH_TRIES = 300; // 30 s of looking for the explorer's box, then an overlay shown alone stops looking
const FOCUSABLE = "button, select, input, textarea, [tabindex], [contenteditable], .noUi-handle";

/** A reader who asked for less motion gets Play's end at once, not an animation. */
function prefersReducedMotion() {
  return window.matchMedia?.("(prefers-reduced-motion: reduce)").matches ?? false;
}

/**
 * Give the explorer's ipywidgets controls what ipywidgets leaves out: a slider handle's
 * name and a value text in its readout's format (noUiSlider writes the raw float, e.g.
 * "-1.9900000000000002"), names for icon-only buttons, and, for controls that need a
 * kernel when there is none, no Tab stop and a pointer to the note that says why.
 * ipywidgets offers no option for any of these, so this edits the controls' own elements;
 * it is idempotent, and reruns whenever the explorer's elements change.
 */
function labelControls(root, spec, offline, noteId, relabel) {
  for (const control of spec.controls ?? []) {
    const box = root.querySelector(`.${control.class}`);
    if (!box) continue;
    if (!box.dataset.labelled) {
      // noUiSlider rewrites the value text on every move, and ipywidgets the Tab stops when
      // it enables or disables a control: put ours back each time
      new MutationObserver(relabel).observe(box, {
        attributes: true,
        subtree: true,
        attributeFilter: ["aria-valuetext", "tabindex", "disabled"],
      });
      box.dataset.labelled = "true";
    }
    const handle = box.querySelector(".noUi-handle");
    if (handle) {
      setAttribute(handle, "aria-label", control.label);
      const raw = Number(handle.getAttribute("aria-valuetext"));
      if (Number.isFinite(raw)) setAttribute(handle, "aria-valuetext", format(raw, control.format));
    }
    const field = box.querySelector("select, input");
    if (field) setAttribute(field, "aria-label", control.label);
    const disabled = offline && control.needs_kernel;
    for (const node of box.querySelectorAll(".noUi-handle, .widget-readout, select, input, button")) {
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

/** Set an attribute only if it differs: every set is a mutation, and the observers above listen. */
function setAttribute(node, name, value) {
  if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

// --- the view ------------------------------------------------------------------------------

/** One explorer figure in the page (exported so tests/js/overlay_check.mjs can drive Step and Play). */
export class OverlayView {
  constructor(model, el) {
    this.model = model;
    this.el = el;
    this.frames = 0; // how many times the marks were drawn (tests and benchmarks read it)
    this.pictures = {};
    this.pending = false;
    this.build();
    this.load();
  }

  get spec() {
    return this.model.get("spec");
  }

  get inputs() {
    return this.spec.inputs;
  }

  positionOf(name) {
    return position(this.inputs[name], this.model.get(name));
  }

  /** The current value of a name in spec.values (or of an input, or a number). */
  valueOf(name) {
    if (typeof name === "number") return name;
    const ref = this.spec.values?.[name];
    if (ref === undefined) return this.model.get(name); // an input
    if (typeof ref === "number") return ref;
    if (ref.next) return this.next();
    const table = this.tables[ref.table];
    const tail = (ref.at ?? []).map((item) => Math.round(this.valueOf(item)));
    return lookup(table, table.dims.map((dim) => this.positionOf(dim)), tail);
  }

  next() {
    const d = this.spec.descent;
    return nextPoint(d, this.model.get(d.position), this.valueOf(d.slope), this.model.get(d.rate));
  }

  build() {
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
    this.readouts = (this.spec.readouts ?? []).map((readout) => {
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
    if (this.spec.descent || this.spec.animate) this.buildButtons();
    this.showOffline();
    this.resizer = new ResizeObserver(() => this.fit());
    this.resizer.observe(this.el);
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

  buildButtons() {
    const row = Object.assign(document.createElement("div"), { className: "overlay-buttons" });
    const button = (text, title, action, primary = false) => {
      const node = Object.assign(document.createElement("button"), { textContent: text, title });
      node.className = `jupyter-button widget-button${primary ? " mod-primary" : ""}`;
      node.addEventListener("click", action);
      row.append(node);
      return node;
    };
    if (this.spec.descent) {
      button("Step", "one gradient-descent step", () => this.step(), true);
      this.playButton = button("Play", "step until the steps are tiny", () => this.togglePlay());
      button("Reset", "back to the start, trail cleared", () => this.reset());
    } else {
      this.playButton = button("Play", "step through to the end", () => this.togglePlay(), true);
      button("Reset", "back to the start", () => this.reset());
    }
    (this.spec.animate?.where === "below" ? this.below : this.above).prepend(row);
  }

  /** Play's one tick: a descent step, or the animated input's next position. False at the end. */
  tick() {
    if (this.spec.descent) {
      const d = this.spec.descent;
      // Stop once a step would be smaller than the tolerance, as h.gradient_descent does.
      if (Math.abs(this.model.get(d.rate) * this.valueOf(d.slope)) < d.tolerance) return false;
      return this.step();
    }
    const a = this.spec.animate;
    const info = this.inputs[a.input];
    const last = info.min + info.step * (info.count - 1);
    const next = Math.min(this.model.get(a.input) + info.step, last);
    this.model.set(a.input, next);
    this.save();
    return next < last;
  }

  /** Send the browser's changes to the kernel, unless Play is running every step at once. */
  save() {
    if (!this.batching) save(this.model);
  }

  /** One gradient-descent step from where the point is: the trail grows by that point. */
  step() {
    const d = this.spec.descent;
    const here = this.model.get(d.position);
    const next = this.next();
    this.model.set("trail", [...(this.model.get("trail") ?? []), [here, this.valueOf(d.loss)]]);
    this.model.set(d.position, next);
    if (!this.batching) this.model.set(d.hand, snap(this.inputs[d.hand], next)); // the slider shows it rounded
    this.save();
    return Math.abs(next - here) >= d.tolerance;
  }

  togglePlay() {
    if (this.timer) return this.stopPlay();
    const { max_steps: most, interval_ms: interval } = this.spec.descent ?? this.spec.animate;
    let ticks = 0;
    if (prefersReducedMotion()) {
      // every step at once, no animation: the reader sees (and hears) where Play ends; the
      // kernel and the slider hear of the end only, not of each of up to `most` steps
      this.batching = true;
      while (++ticks <= most && this.tick());
      this.batching = false;
      const d = this.spec.descent;
      if (d) this.model.set(d.hand, snap(this.inputs[d.hand], this.model.get(d.position)));
      this.save();
      return;
    }
    this.playButton.textContent = "Pause";
    this.timer = setInterval(() => {
      if (++ticks > most || !this.tick()) this.stopPlay();
    }, interval);
  }

  stopPlay() {
    clearInterval(this.timer);
    this.timer = null;
    if (this.playButton) this.playButton.textContent = "Play";
  }

  reset() {
    this.stopPlay();
    if (this.spec.animate) {
      const info = this.inputs[this.spec.animate.input];
      this.model.set(this.spec.animate.input, info.min);
      save(this.model);
      return;
    }
    const d = this.spec.descent;
    this.model.set("trail", []);
    this.model.set(d.position, d.start);
    this.model.set(d.hand, snap(this.inputs[d.hand], d.start));
    save(this.model);
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

  /** Name the explorer's controls (see labelControls), now and whenever they are re-drawn. */
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
    // The explorer's keys are its own: JupyterLab's notebook shortcuts (arrows, Enter, "a",
    // "b") stay out. Lumino skips them for a target marked so, and only for the target:
    // its command-mode rules match ":focus" on the focused control itself.
    for (const node of root.querySelectorAll(FOCUSABLE)) node.setAttribute("data-lm-suppress-shortcuts", "true");
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
    this.tables = Object.fromEntries(Object.entries(this.model.get("tables")).map(([k, t]) => [k, decodeTable(t)]));
    this.schedule();
  }

  loadLayer(key, image) {
    const bytes = this.model.get(key);
    if (image.src) URL.revokeObjectURL(image.src);
    image.hidden = !bytes || !bytesOf(bytes).length;
    image.src = image.hidden ? "" : URL.createObjectURL(new Blob([bytesOf(bytes)], { type: "image/png" }));
  }

  loadPictures() {
    const entries = Object.entries(this.model.get("pictures") ?? {}).map(async ([name, value]) => {
      const list = Array.isArray(value) ? value : [value];
      const blobs = list.map((bytes) => new Blob([bytesOf(bytes)], { type: "image/png" }));
      return [name, await Promise.all(blobs.map((blob) => createImageBitmap(blob)))];
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
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, ...this.spec.size);
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
}

// --- rules the kernel applies too (helpers.overlay.Overlay._apply_rules) -------------------

function applyRules(model) {
  const rules = model.get("spec").rules ?? {};
  const inputs = model.get("spec").inputs;
  for (const [hand, target] of Object.entries(rules.follow ?? {})) {
    // The slider moved: the point goes there, unless it already sits between the same
    // two grid points (a Step put it there exactly, and the slider shows it rounded).
    model.on(`change:${hand}`, () => {
      if (Math.abs(snap(inputs[hand], model.get(target)) - model.get(hand)) > 1e-9) {
        model.set(target, model.get(hand));
        save(model);
      }
    });
  }
  for (const [source, targets] of Object.entries(rules.on_change ?? {})) {
    model.on(`change:${source}`, () => {
      for (const [target, choices] of Object.entries(targets)) model.set(target, choices[model.get(source)]);
      save(model);
    });
  }
}

// --- is a kernel there? ------------------------------------------------------------------
//
// One rule, from public means only. A kernel answers anywidget's custom messages (a ping
// gets a pong from helpers.overlay.Overlay); sending fails once the kernel's connection is
// closed (shut down, deleted, culled); and ipywidgets marks a view whose kernel has stopped
// or restarted, or that was drawn from a notebook's saved state, with the class below.
// Until a kernel answers, and from the moment either of the others is seen, the explorer is
// "offline" (a trait set in this page only): controls that need Python are disabled and its
// note says why. After a restart the old widgets stay unconnected for good, so the note
// asks for the notebook to be run again.

const DISCONNECTED = "jupyter-widgets-disconnected";
const PING_EVERY_MS = 1000; // while a reader acts, at most one question a second
const PONG_WITHIN_MS = 1500; // no answer by then: the kernel is gone (or too busy to answer)
const askers = new WeakMap(); // model (each of anywidget's handles on it) -> its pending question

/** The question state of this handle on the model; any answer clears it and brings it online. */
function askerOf(model) {
  if (!askers.has(model)) {
    const asker = { at: -Infinity, timer: null };
    model.on("msg:custom", (message) => {
      if (!message.pong) return;
      clearTimeout(asker.timer);
      const was = model.get("offline");
      model.set("offline", false);
      if (was) model.save_changes(); // what changed while no kernel answered reaches it now
    });
    askers.set(model, asker);
  }
  return askers.get(model);
}

/** Ask the kernel whether it is there: offline if the message cannot be sent or no answer comes. */
function ping(model) {
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

function watchKernel(model) {
  model.set("offline", true); // until a kernel answers (in a page with none, it never does)
  ping(model);
}

/** Watch a view's element, up to its explorer's box, for ipywidgets' unconnected mark. */
function watchConnection(model, el, root) {
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
  for (let node = el; node; node = node === root ? null : node.parentElement) {
    observer.observe(node, { attributes: true, attributeFilter: ["class"] });
  }
  check();
  return observer;
}

/** Send the browser's changes to the kernel, unless there is none to send them to. */
function save(model) {
  if (!model.get("offline")) model.save_changes();
}

export default {
  initialize({ model }) {
    applyRules(model);
    watchKernel(model);
  },
  render({ model, el }) {
    const view = new OverlayView(model, el);
    view.watchControls();
    ping(model); // shown again later, the explorer asks afresh rather than trust an old answer
    const names = [...Object.keys(model.get("spec").inputs), "trail"];
    for (const name of names) {
      model.on(`change:${name}`, () => {
        view.schedule();
        view.announceSoon();
        ping(model); // a reader is acting: make sure the kernel is still there
      });
    }
    model.on("change:tables", () => view.loadTables());
    model.on("change:background", () => view.loadLayer("background", view.backgroundImage));
    model.on("change:foreground", () => view.loadLayer("foreground", view.foregroundImage));
    model.on("change:pictures", () => view.loadPictures());
    model.on("change:spec", () => view.schedule()); // e.g. a new y-range after b4 or b5 moved
    model.on("change:offline", () => view.showOffline());
    return () => {
      view.stopPlay();
      view.resizer.disconnect();
      view.controlsObserver?.disconnect();
      view.connection?.disconnect();
      clearTimeout(view.announceTimer);
      clearTimeout(view.watchTimer);
      view.disposed = true;
      clearTimeout(askers.get(model)?.timer); // a question left pending must not outlive its view
    };
  },
};

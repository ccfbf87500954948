// @ts-check
// marks.js: how each kind of mark is drawn on the canvas (helpers/spec.py documents each
// kind's keys). A mark's numbers come from `value`, which resolves a name of spec.values
// (or an input, or a number) to what it is now.

import { format, fill } from "./text.js";
import { lookup } from "./tables.js";

/**
 * matplotlib's transData for one axes, top-left origin (helpers.overlay.axes_mapping):
 * x and y are [scale, offset, "linear" | "log"]; clip is [left, top, right, bottom].
 * @typedef {object} Axes
 * @property {[number, number, string]} x
 * @property {[number, number, string]} y
 * @property {[number, number, number, number]} clip
 */

/**
 * One mark of spec.marks; which keys it uses depends on its kind (see helpers/spec.py).
 * @typedef {Record<string, any> & {kind: string}} Mark
 */

/** @typedef {string | number} Name a name in spec.values (or an input), or a number */
/** @typedef {(name: Name) => number} ValueOf */

/**
 * What a mark may read from its view besides values (the view implements it).
 * @typedef {object} Scene
 * @property {Record<string, import("./tables.js").DecodedTable>} tables
 * @property {Record<string, import("./tables.js").Input>} inputs
 * @property {Record<string, ImageBitmap[]>} pictures
 * @property {{lists?: import("./text.js").Lists}} spec
 * @property {{get(name: string): any}} model
 * @property {(name: string) => number} positionOf
 */

/**
 * @param {Axes} axes
 * @param {number} x
 * @param {number} y
 * @returns {[number, number]} CSS pixels
 */
export function toPixels(axes, x, y) {
  /** @type {(v: number, kind: string) => number} */
  const scaled = (v, kind) => (kind === "log" ? Math.log10(v) : v);
  return [axes.x[0] * scaled(x, axes.x[2]) + axes.x[1], axes.y[0] * scaled(y, axes.y[2]) + axes.y[1]];
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Axes} axes
 */
export function clipTo(ctx, axes) {
  const [left, top, right, bottom] = axes.clip;
  ctx.beginPath();
  ctx.rect(left, top, right - left, bottom - top);
  ctx.clip();
}

/**
 * A matplotlib marker's outline: "*", "v", "^", "s", or a circle.
 * @param {CanvasRenderingContext2D} ctx
 * @param {string} shape
 * @param {number} x
 * @param {number} y
 * @param {number} size
 */
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

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Mark | Record<string, any>} mark
 * @param {[number, number][]} points
 */
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

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Record<string, any>} mark
 * @param {number} x
 * @param {number} y
 */
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

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {Record<string, any>} mark
 * @param {string} text
 * @param {number} x
 * @param {number} y
 */
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

/** @typedef {(ctx: CanvasRenderingContext2D, mark: Mark, value: ValueOf, axes: Axes, view: Scene) => void} Draw */

// Each kind draws one mark: `value` resolves a name (or number) to its current value;
// a mark's own `at` is a table's trailing indices (curve) or a pixel position (text, sprite).
/** @type {Record<string, Draw>} */
export const DRAW = {
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
    const info = /** @type {import("./tables.js").Grid} */ (view.inputs[mark.over]);
    const over = table.dims.indexOf(mark.over);
    const positions = table.dims.map((name) => view.positionOf(name));
    const tail = (mark.at ?? []).map((/** @type {Name} */ name) => Math.round(value(name)));
    /** @type {[number, number][]} */
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
    /** @type {[number, number][]} */
    const visited = view.model.get(mark.points) ?? [];
    if (!visited.length) return;
    const points = [...visited, [value(mark.then[0]), value(mark.then[1])]].map(([x, y]) => toPixels(axes, x, y));
    stroke(ctx, mark, points);
    points.slice(0, -1).forEach(([x, y]) => dot(ctx, { ...mark, size: mark.marker_size ?? 6 }, x, y));
  },
  bars(ctx, mark, value, axes, view) {
    mark.heights.forEach((/** @type {Name} */ name, /** @type {number} */ k) => {
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

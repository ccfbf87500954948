// @ts-check
// graph.js: the "graph" mark, a computation graph whose nodes and edges light up step by step
// (notebook 05's backpropagation explorer, notebook 07's paths to a parameter). Python laid
// out the nodes and edges (in CSS pixels) and worked out, for every step, what each shows: a
// state (its look, from mark.look) and texts (indices into a list of templates, filled from
// the tables at the controls' values). This only draws that. helpers/explorers/backprop.py
// builds the mark; helpers/spec.py documents and checks its keys.

import { lookup } from "./tables.js";
import { fill } from "./text.js";

/**
 * What one node shows now: its look (an index into mark.look.node) and its texts.
 * @typedef {{state: number, value: string, gradient: string, sum: string}} NodeShown
 */
/** @typedef {{state: number, label: string}} EdgeShown what one edge shows now */

/**
 * What a graph mark shows now: each node's state, value, gradient and written-out sum, and
 * each edge's state and label, read from the mark's tables and filled from the values.
 * @param {import("./marks.js").Mark} mark
 * @param {import("./marks.js").ValueOf} value
 * @param {import("./marks.js").Scene} view
 * @returns {{nodes: NodeShown[], edges: EdgeShown[]}}
 */
export function graphState(mark, value, view) {
  const lists = view.spec.lists ?? {};
  const texts = lists[mark.texts];
  /** @type {(index: number) => string} */
  const say = (index) => fill(texts[Math.round(index)] ?? "", value, lists);
  /** @type {(name: string) => (...tail: number[]) => number} */
  const read = (name) => {
    const table = view.tables[name];
    const positions = table.dims.map((dim) => view.positionOf(dim));
    return (...tail) => Math.round(lookup(table, positions, tail));
  };
  const [nodes, sums, edges] = [read(mark.states), read(mark.sums), read(mark.edge_states)];
  return {
    nodes: mark.nodes.map((/** @type {unknown} */ _, /** @type {number} */ k) => ({
      state: nodes(k, 0),
      value: say(nodes(k, 1)),
      gradient: say(nodes(k, 2)),
      sum: say(sums(k)),
    })),
    edges: mark.edges.map((/** @type {unknown} */ _, /** @type {number} */ k) => ({ state: edges(k, 0), label: say(edges(k, 1)) })),
  };
}

/**
 * @param {CanvasRenderingContext2D} ctx
 * @param {number} x
 * @param {number} y
 * @param {number} w
 * @param {number} h
 * @param {number} r
 */
function roundedBox(ctx, x, y, w, h, r) {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

/**
 * An arrow's head at `to`, pointing away from `from`.
 * @param {CanvasRenderingContext2D} ctx
 * @param {number[]} from
 * @param {number[]} to
 * @param {number} size
 */
function arrowHead(ctx, [x0, y0], [x1, y1], size) {
  const angle = Math.atan2(y1 - y0, x1 - x0);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x1 - size * Math.cos(angle - 0.4), y1 - size * Math.sin(angle - 0.4));
  ctx.lineTo(x1 - size * Math.cos(angle + 0.4), y1 - size * Math.sin(angle + 0.4));
  ctx.closePath();
  ctx.fill();
}

/**
 * A line of bold text on a white box, over whatever lines it crosses.
 * @param {CanvasRenderingContext2D} ctx
 * @param {string} text
 * @param {number} x
 * @param {number} y
 * @param {{size: number, color: string, border?: string}} style
 */
function boxedText(ctx, text, x, y, { size, color, border }) {
  ctx.font = `bold ${size}px sans-serif`;
  const width = ctx.measureText(text).width + 10;
  const height = size + 8;
  roundedBox(ctx, x - width / 2, y - height / 2, width, height, 4);
  ctx.fillStyle = "#ffffff";
  ctx.fill();
  if (border) {
    ctx.strokeStyle = border;
    ctx.lineWidth = 1.5;
    ctx.stroke();
  }
  ctx.fillStyle = color;
  ctx.fillText(text, x, y + 1);
}

/**
 * Draw a graph mark: the edges (each in its state's look: idle, lit forward with its arrow
 * forward, lit backward with its arrow back, done, unused), then the nodes (name, value,
 * "grad" and the gradient; the node a step fills has a thick border and a tint), each node's
 * written-out sum, and last the lit edge's label ("local x upstream = product") on top.
 * @type {import("./marks.js").Draw}
 */
export function drawGraph(ctx, mark, value, _axes, view) {
  const shown = graphState(mark, value, view);
  const { look } = mark;
  const font = look.font ?? 13;
  const [w, h] = mark.node_size;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  /** @type {[string, number, number][]} */
  const labels = [];
  shown.edges.forEach(({ state, label }, k) => {
    const style = look.edge[state];
    const [x0, y0, x1, y1, lx, ly] = mark.geometry[k];
    const [start, end] = style.arrow < 0 ? [[x1, y1], [x0, y0]] : [[x0, y0], [x1, y1]];
    ctx.strokeStyle = ctx.fillStyle = style.color;
    ctx.lineWidth = style.width;
    ctx.setLineDash(style.dash);
    ctx.beginPath();
    ctx.moveTo(start[0], start[1]);
    ctx.lineTo(end[0], end[1]);
    ctx.stroke();
    ctx.setLineDash([]);
    if (style.arrow) arrowHead(ctx, start, end, 6 + 2 * style.width);
    if (label) labels.push([label, lx, ly]);
  });
  shown.nodes.forEach((node, k) => {
    const { name, at, color, ink, sum_at: sumAt } = mark.nodes[k];
    const style = look.node[node.state];
    const [x, y] = at;
    roundedBox(ctx, x - w / 2, y - h / 2, w, h, 8);
    ctx.fillStyle = style.fill;
    ctx.fill();
    ctx.strokeStyle = color;
    ctx.lineWidth = style.width;
    ctx.setLineDash(style.dash);
    ctx.stroke();
    ctx.setLineDash([]);
    ctx.font = `bold ${font}px sans-serif`;
    ctx.fillStyle = ink ?? look.ink;
    ctx.fillText(name, x, y - 17);
    ctx.font = `${font}px sans-serif`;
    ctx.fillStyle = look.ink;
    ctx.fillText(node.value, x, y);
    if (node.gradient) {
      ctx.font = `bold ${font}px sans-serif`;
      ctx.fillStyle = look.grad;
      ctx.fillText(`grad ${node.gradient}`, x, y + 17);
    }
    if (node.sum && sumAt) boxedText(ctx, node.sum, x + sumAt[0], y + sumAt[1], { size: font - 2, color: look.grad });
  });
  for (const [text, x, y] of labels) boxedText(ctx, text, x, y, { size: font - 1, color: look.grad, border: look.grad });
}

// @ts-check
/**
 * A typed formula, read: the LaTeX a math field gives, parsed by the Compute Engine's LaTeX
 * reader into MathJSON (passed in as `parse`), then checked and evaluated here. "Validate, then
 * assess" (STACK): the reader first sees how the input was read (`text`), and input that cannot
 * be judged (an unknown symbol, an unfinished formula, a value that is not a number at a test
 * point) gets a message saying why, never a verdict.
 *
 * The evaluator knows only arithmetic, powers, roots, exp and logs: all an answer here needs.
 * `\log` is the natural log, as everywhere in the series; `\log_{10}` and `\lg` are base 10
 * (the reader gives both `\log` and `\log_{10}` as ["Log", x], so `toReadable` marks base 10 first).
 */

/** The LaTeX to give the reader: `\log_{10}` written as `\lg`, so that a bare `\log` stays natural. */
export function toReadable(/** @type {string} */ latex) {
  return latex.replace(/\\log_\{?10\}?/g, "\\lg ");
}

/**
 * @typedef {number | string | {num: string} | {sym: string} | {str: string} | {fn: any[]} | any[]} Expr   MathJSON
 * @typedef {{ name: string, latex: string, meaning: string }} Symbol
 * @typedef {{ ok: true, text: string, evaluate: (point: Record<string, number>) => number }
 *   | { ok: false, message: string }} Reading
 */

const CONSTANTS = /** @type {Record<string, number>} */ ({ ExponentialE: Math.E, e: Math.E, Pi: Math.PI });

class Unreadable extends Error {}

/** The head and arguments of a MathJSON expression (numbers and symbols have no arguments). */
function parts(/** @type {Expr} */ expr) {
  if (Array.isArray(expr)) return { head: String(expr[0]), args: expr.slice(1) };
  if (expr && typeof expr === "object" && "fn" in expr) return { head: String(expr.fn[0]), args: expr.fn.slice(1) };
  return { head: "", args: [] };
}

/** A number's or a symbol's own value, or null for an expression with a head. */
function leaf(/** @type {Expr} */ expr) {
  if (typeof expr === "number") return { number: expr };
  if (typeof expr === "string") return { symbol: expr };
  if (expr && typeof expr === "object" && "num" in expr) return { number: Number(expr.num) };
  if (expr && typeof expr === "object" && "sym" in expr) return { symbol: expr.sym };
  return null;
}

/** How a symbol is written for the reader: p_s, p_{ve}, \eta as η. */
function symbolText(/** @type {string} */ name, /** @type {Symbol[]} */ symbols) {
  const known = symbols.find((symbol) => symbol.name === name);
  if (known) return known.latex.replace(/\\eta/g, "η").replace(/[{}]/g, "");
  return name.replace(/^eta$/, "η");
}

const BINARY = /** @type {Record<string, [string, number]>} */ ({
  Add: [" + ", 1],
  Subtract: [" − ", 1],
  Multiply: [" × ", 2],
  Divide: [" ÷ ", 2],
});

/**
 * Read MathJSON into a text that shows how it was understood, and a function of the symbols.
 * @param {Expr} expr
 * @param {Symbol[]} symbols
 * @returns {Reading}
 */
export function readExpression(expr, symbols) {
  const names = new Set(symbols.map((symbol) => symbol.name));
  const allowed = symbols.map((symbol) => symbolText(symbol.name, symbols)).join(", ");

  /** @returns {{ text: string, rank: number, f: (point: Record<string, number>) => number }} */
  function read(/** @type {Expr} */ expr) {
    if (expr === "Nothing") throw new Unreadable("The formula is not finished: fill in its empty box.");
    const own = leaf(expr);
    if (own && "number" in own) {
      if (!Number.isFinite(own.number)) throw new Unreadable("That number could not be read.");
      const value = /** @type {number} */ (own.number);
      return { text: String(value), rank: 3, f: () => value };
    }
    if (own && "symbol" in own) {
      const name = /** @type {string} */ (own.symbol);
      if (names.has(name)) return { text: symbolText(name, symbols), rank: 3, f: (point) => point[name] };
      if (name in CONSTANTS) return { text: name === "Pi" ? "π" : "e", rank: 3, f: () => CONSTANTS[name] };
      throw new Unreadable(
        `${symbolText(name, symbols)} is not a symbol this exercise knows. Use ${allowed}` +
          (name.length > 1 && !name.includes("_") ? " (letters typed side by side are multiplied: write × between them)." : "."),
      );
    }
    const { head, args } = parts(expr);
    if (head === "Error" || head === "Sequence" || head === "") {
      throw new Unreadable("The formula is not finished, or has a part that could not be read: look for an empty box or a stray sign.");
    }
    if (head === "Delimiter") {
      if (args.length !== 1) throw new Unreadable("A bracket holds more than one formula: remove the comma.");
      const inner = read(args[0]);
      return { text: `(${inner.text})`, rank: 3, f: inner.f };
    }
    if (head === "Equal") throw new Unreadable("Type only the formula, with no = sign: the answer itself.");
    const r = args.map(read);
    const wrap = (/** @type {{text: string, rank: number}} */ part, /** @type {number} */ rank) => (part.rank < rank ? `(${part.text})` : part.text);
    switch (head) {
      case "Negate":
        return { text: `−${wrap(r[0], 3)}`, rank: 2, f: (p) => -r[0].f(p) };
      case "Add":
      case "Subtract":
      case "Multiply":
      case "InvisibleOperator":
      case "Divide": {
        const [sign, rank] = BINARY[head === "InvisibleOperator" ? "Multiply" : head];
        if (head === "Subtract" && r.length === 1) return { text: `−${wrap(r[0], 3)}`, rank: 2, f: (p) => -r[0].f(p) };
        const right = head === "Add" || head === "Multiply" || head === "InvisibleOperator" ? rank : rank + 1;
        const text = r.map((part, i) => wrap(part, i === 0 ? rank : right)).join(sign);
        const combine = {
          Add: (/** @type {number[]} */ v) => v.reduce((a, b) => a + b, 0),
          Subtract: (/** @type {number[]} */ v) => v.slice(1).reduce((a, b) => a - b, v[0]),
          Multiply: (/** @type {number[]} */ v) => v.reduce((a, b) => a * b, 1),
          InvisibleOperator: (/** @type {number[]} */ v) => v.reduce((a, b) => a * b, 1),
          Divide: (/** @type {number[]} */ v) => v.slice(1).reduce((a, b) => a / b, v[0]),
        }[head];
        return { text, rank, f: (p) => combine(r.map((part) => part.f(p))) };
      }
      case "Power":
        return { text: `${wrap(r[0], 4)}^${wrap(r[1], 4)}`, rank: 3, f: (p) => r[0].f(p) ** r[1].f(p) };
      case "Square":
        return { text: `${wrap(r[0], 4)}^2`, rank: 3, f: (p) => r[0].f(p) ** 2 };
      case "Sqrt":
        return { text: `√(${r[0].text})`, rank: 3, f: (p) => Math.sqrt(r[0].f(p)) };
      case "Root":
        return { text: `root ${r[1].text} of (${r[0].text})`, rank: 3, f: (p) => r[0].f(p) ** (1 / r[1].f(p)) };
      case "Exp":
        return { text: `e^${wrap(r[0], 4)}`, rank: 3, f: (p) => Math.exp(r[0].f(p)) };
      case "Ln":
        return { text: `ln(${r[0].text})`, rank: 3, f: (p) => Math.log(r[0].f(p)) };
      case "Log":
        if (r.length === 1) return { text: `ln(${r[0].text})`, rank: 3, f: (p) => Math.log(r[0].f(p)) };
        return { text: `log base ${r[1].text} of (${r[0].text})`, rank: 3, f: (p) => Math.log(r[0].f(p)) / Math.log(r[1].f(p)) };
      case "Lg":
        return { text: `log base 10 of (${r[0].text})`, rank: 3, f: (p) => Math.log10(r[0].f(p)) };
      case "Lb":
        return { text: `log base 2 of (${r[0].text})`, rank: 3, f: (p) => Math.log2(r[0].f(p)) };
      case "Abs":
        return { text: `|${r[0].text}|`, rank: 3, f: (p) => Math.abs(r[0].f(p)) };
      case "Half":
        return { text: `${wrap(r[0], 3)} ÷ 2`, rank: 2, f: (p) => r[0].f(p) / 2 };
      default:
        throw new Unreadable(`The checker cannot work out "${head}" here: use + − × ÷, powers, roots, exp and logs, and ${allowed}.`);
    }
  }

  try {
    const { text, f } = read(expr);
    return { ok: true, text, evaluate: f };
  } catch (error) {
    if (error instanceof Unreadable) return { ok: false, message: error.message };
    throw error;
  }
}

/**
 * Evaluate a read formula at every test point; a value that is not a finite number stops it.
 * @param {(point: Record<string, number>) => number} evaluate
 * @param {Record<string, number>[]} points
 * @param {string[]} labels
 * @returns {{ ok: true, values: number[] } | { ok: false, message: string }}
 */
export function valuesAt(evaluate, points, labels) {
  const values = [];
  for (const [i, point] of points.entries()) {
    const value = evaluate(point);
    if (!Number.isFinite(value)) {
      return {
        ok: false,
        message:
          `${labels[i]}, your formula has no value (${Number.isNaN(value) ? "not a number" : "infinite"}): ` +
          "it divides by zero or takes the log or root of a number below zero there. It cannot be judged; look at it again.",
      };
    }
    values.push(value);
  }
  return { ok: true, values };
}

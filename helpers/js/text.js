// @ts-check
// text.js: numbers as text, exactly as Python's f-strings print them (so a readout can be
// compared with what a notebook prints; tests/test_js.py runs both on the same cases).

/** @typedef {Record<string, string[]>} Lists names picked by a value ("@species" reads lists.species) */

/**
 * Format like Python's f-strings: ".2f", ".0%", "d", or "@list" (a name picked from
 * spec.lists by the value).
 * @param {number} value
 * @param {string} fmt
 * @param {Lists} [lists]
 * @returns {string}
 */
export function format(value, fmt, lists = {}) {
  if (fmt.startsWith("@")) return lists[fmt.slice(1)][Math.round(value)];
  if (fmt === "d") return String(Math.round(value));
  const digits = Number(fmt.slice(1, -1));
  return fmt.endsWith("%") ? `${fixed(100 * value, digits)}%` : fixed(value, digits);
}

/**
 * value.toFixed(digits), but an exact tie rounds to even, as Python does (0.125 -> "0.12").
 * @param {number} value
 * @param {number} digits
 * @returns {string}
 */
export function fixed(value, digits) {
  const sign = value < 0 || Object.is(value, -0) ? "-" : "";
  const away = Math.abs(value).toFixed(digits); // toFixed takes a tie away from zero
  const exact = Math.abs(value).toFixed(100); // every digit of the double (ties only)
  const [whole, decimals] = exact.split(".");
  if (!/^50*$/.test(decimals.slice(digits))) return sign + away;
  const down = digits ? `${whole}.${decimals.slice(0, digits)}` : whole;
  return sign + (Number(down.slice(-1)) % 2 === 0 ? down : away);
}

/**
 * Fill "{name:fmt}" fields of a template with named values (helpers.spec.FIELD reads the
 * same pattern in Python).
 * @param {string} template
 * @param {(name: string) => number} valueOf
 * @param {Lists} [lists]
 * @returns {string}
 */
export function fill(template, valueOf, lists) {
  return template.replace(/\{(\w+):([^}]+)\}/g, (_, name, fmt) => format(valueOf(name), fmt, lists));
}

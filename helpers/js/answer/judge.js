// @ts-check
/**
 * The verdict on a typed formula's values: the same rule as the Python checks' `_judge`
 * (helpers/checking.py), on the cases and known mistakes Python recorded from those checks
 * (helpers/answers.py). Right if the values match the truth everywhere; else the message of
 * the first known mistake they match; else the check's own "not yet" message. Tolerances,
 * cases and messages all come from Python in the spec: nothing here knows an exercise.
 */

/**
 * @typedef {{ values?: number[], message?: string, prefix?: string, suffix?: string, decimals?: number }} Mistake
 *   A known wrong answer: its values at every case and its message; or (prefix/suffix/decimals)
 *   "the same number at every case", whose message names that number.
 * @typedef {{ rtol: number, atol: number }} Tolerance
 * @typedef {{ points: Record<string, number>[], labels: string[], truth: number[], mistakes: Mistake[],
 *   right: string, fallback: string, tolerance: Tolerance }} Cases
 * @typedef {{ right: boolean, diagnosis: string, detail: string }} Verdict
 */

/** numpy's allclose: |a - b| <= atol + rtol * |b| at every position. */
export function allClose(/** @type {number[]} */ a, /** @type {number[]} */ b, /** @type {Tolerance} */ tol) {
  return a.length === b.length && a.every((value, i) => Math.abs(value - b[i]) <= tol.atol + tol.rtol * Math.abs(b[i]));
}

/** A number as Python's f"{x:.{d}f}" writes it (toFixed rounds the same exact binary value). */
export function fixed(/** @type {number} */ x, /** @type {number} */ decimals) {
  const text = x.toFixed(decimals);
  return Object.is(x, -0) || (x < 0 && Number(text) === 0) ? `-${text.replace("-", "")}` : text;
}

/** The position where the answer is furthest from the truth (the first, on ties, as numpy's argmax). */
export function worst(/** @type {number[]} */ values, /** @type {number[]} */ truth) {
  let at = 0;
  values.forEach((value, i) => {
    if (Math.abs(value - truth[i]) > Math.abs(values[at] - truth[at])) at = i;
  });
  return at;
}

/**
 * Judge an answer's values at every case.
 * @param {Cases} cases
 * @param {number[]} values
 * @returns {Verdict}
 */
export function judge(cases, values) {
  if (allClose(values, cases.truth, cases.tolerance)) return { right: true, diagnosis: cases.right, detail: "" };
  let diagnosis = cases.fallback;
  for (const mistake of cases.mistakes) {
    if (mistake.values && allClose(values, mistake.values, cases.tolerance)) {
      diagnosis = mistake.message ?? "";
      break;
    }
    if (mistake.prefix !== undefined && values.every((value) => allClose([value], [values[0]], cases.tolerance))) {
      diagnosis = `${mistake.prefix}${fixed(values[0], mistake.decimals ?? 3)}${mistake.suffix}`;
      break;
    }
  }
  const i = worst(values, cases.truth);
  const detail = `${cases.labels[i]}: your formula gives ${fixed(values[i], 4)}; the right value is ${fixed(cases.truth[i], 4)}.`;
  return { right: false, diagnosis, detail };
}

// Runs the page's own answer checker (helpers/js/dist/typed.js and question.js, the bundles the widgets load)
// under Node, with the same LaTeX reader the page loads (the Compute Engine's latex-syntax),
// on cases Python recorded from its checks; prints each verdict. tests/test_answers.py compares
// them with the Python checks' verdicts on the same answers written as Python functions.
//     node tests/js/answer_check.mjs input.json
import { readFileSync } from "node:fs";
import { parse } from "@cortex-js/compute-engine/latex-syntax";

/** A bundle loaded from its text, as anywidget loads it in the page. */
async function bundle(/** @type {string} */ name) {
  const source = readFileSync(new URL(`../../helpers/js/dist/${name}`, import.meta.url), "utf8");
  return import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
}
const answer = { ...(await bundle("typed.js")), ...(await bundle("question.js")) };
const input = JSON.parse(readFileSync(process.argv[2], "utf8"));

const results = input.answers.map(({ exercise, latex }) => answer.judgeLatex(input.specs[exercise], parse, latex));
const numbers = input.numbers.map(({ spec, text }) => {
  const value = answer.readNumber(text);
  return value === null ? null : answer.judgeNumber(spec, value);
});
process.stdout.write(JSON.stringify({ results, numbers }));

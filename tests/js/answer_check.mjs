// Runs the page's own answer checker (helpers/js/dist/answer.js, the bundle the widgets load)
// under Node, with the same LaTeX reader the page loads (the Compute Engine's latex-syntax),
// on cases Python recorded from its checks; prints each verdict. tests/test_answers.py compares
// them with the Python checks' verdicts on the same answers written as Python functions.
//     node tests/js/answer_check.mjs input.json
import { readFileSync } from "node:fs";
import { parse } from "@cortex-js/compute-engine/latex-syntax";

const source = readFileSync(new URL("../../helpers/js/dist/answer.js", import.meta.url), "utf8");
const answer = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
const input = JSON.parse(readFileSync(process.argv[2], "utf8"));

const results = input.answers.map(({ exercise, latex }) => answer.judgeLatex(input.specs[exercise], parse, latex));
const numbers = input.numbers.map(({ spec, text }) => {
  const value = answer.readNumber(text);
  return value === null ? null : answer.judgeNumber(spec, value);
});
process.stdout.write(JSON.stringify({ results, numbers }));

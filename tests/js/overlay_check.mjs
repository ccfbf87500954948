// Runs the browser's own functions from helpers/js/overlay.js under Node, on tables Python
// made, and prints what they give; tests/test_js.py compares that with the helpers.
//     node tests/js/overlay_check.mjs input.json
import { readFileSync } from "node:fs";

const source = readFileSync(new URL("../../helpers/js/overlay.js", import.meta.url), "utf8");
// Loaded from its text, as anywidget loads it in the page (a module with no imports).
const overlay = await import(`data:text/javascript;base64,${Buffer.from(source).toString("base64")}`);
const input = JSON.parse(readFileSync(process.argv[2], "utf8"));

const tables = {};
for (const [name, table] of Object.entries(input.tables)) {
  const bytes = Buffer.from(table.data, "base64");
  tables[name] = overlay.decodeTable({ ...table, data: new DataView(bytes.buffer, bytes.byteOffset, bytes.length) });
}
const b3 = input.inputs.b3;
const at = (name, value, tail = []) => overlay.lookup(tables[name], [overlay.position(b3, value)], tail);

// Step and Play as the page runs them: the slope looked up where the point is, then
// position - rate * slope, until a step would be smaller than the tolerance.
function descend(rate) {
  const visited = [input.descent.start];
  for (let k = 0; k < input.descent.max_steps; k++) {
    const here = visited[visited.length - 1];
    const slope = at("slope", here);
    if (Math.abs(rate * slope) < input.descent.tolerance) break;
    visited.push(overlay.nextPosition(input.descent, here, slope, rate));
  }
  return visited;
}

const result = {
  on_grid: input.grid.map((value) => at("loss", value)),
  off_grid: input.off_grid.map((value) => [at("loss", value), at("slope", value), at("probs", value, [0, 0])]),
  descents: input.rates.map((rate) => descend(rate)),
  formats: input.formats.map(([value, fmt]) => overlay.format(value, fmt, { species: ["Setosa", "Versicolor", "Virginica"] })),
  choices: overlay.position({ choices: [2, 0] }, 0),
};
console.log(JSON.stringify(result));

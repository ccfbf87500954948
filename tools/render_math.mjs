// Typeset the book's formulas at build time (tools/build_site.py calls this once per build).
//
// In: JSON on stdin, {formulas: [{tex, display}], fontURL}. Out: JSON on stdout, {html: [...], css}.
// MathJax 3's own Node rendering (mathjax-full, pinned in package-lock.json): the same CommonHTML
// output the pages had when MathJax ran in the reader's browser, so formulas look as before, with
// the MathML a screen reader reads beside each one (MathJax's assistive-mml). No script in the page.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const { mathjax } = require("mathjax-full/js/mathjax.js");
const { TeX } = require("mathjax-full/js/input/tex.js");
const { CHTML } = require("mathjax-full/js/output/chtml.js");
const { liteAdaptor } = require("mathjax-full/js/adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = require("mathjax-full/js/handlers/html.js");
const { AssistiveMmlHandler } = require("mathjax-full/js/a11y/assistive-mml.js");
const { AllPackages } = require("mathjax-full/js/input/tex/AllPackages.js");

/** Read all of stdin as text. */
async function stdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const { formulas, fontURL } = JSON.parse(await stdin());
const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const output = new CHTML({ fontURL, adaptiveCSS: true });
// One document for the whole book: one stylesheet holds every glyph any page uses.
const document = mathjax.document("", { InputJax: new TeX({ packages: AllPackages }), OutputJax: output });
const html = formulas.map(({ tex, display }) => adaptor.outerHTML(document.convert(tex, { display })));
const css = adaptor.textContent(output.styleSheet(document));
process.stdout.write(JSON.stringify({ html, css }));

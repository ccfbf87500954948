// Bundle the book's widget manager (book/widgets/manager.js) with esbuild into OUT/widgets.js and
// OUT/widgets.css: one classic script (pages opened from the disk may not load ES modules) and its styles.
//
//   node tools/bundle_widgets.mjs OUT_FOLDER        (tools/build_site.py runs it)
//
// anywidget ships an AMD build only (`define(["@jupyter-widgets/base"], widget_default)`): its last
// line is turned into an ES export here, so no AMD loader is needed in the page.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const AMD = 'define(["@jupyter-widgets/base"], widget_default);';

const anywidgetAsModule = {
  name: "anywidget-as-module",
  setup(build) {
    build.onLoad({ filter: /anywidget[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, "utf8");
      if (!source.includes(AMD)) throw new Error("anywidget's build has changed: update tools/bundle_widgets.mjs");
      return { contents: source.replace(AMD, "export default widget_default;"), loader: "js" };
    });
  },
};

await esbuild.build({
  entryPoints: [path.join(root, "book", "widgets", "manager.js")],
  outfile: path.join(process.argv[2], "widgets.js"),
  bundle: true,
  format: "iife",
  minify: true,
  target: "es2020",
  legalComments: "none",
  loader: { ".woff": "file", ".woff2": "file", ".ttf": "file", ".eot": "file", ".svg": "file", ".png": "dataurl", ".gif": "dataurl" },
  plugins: [anywidgetAsModule],
  logLevel: "warning",
  nodePaths: [path.join(root, "node_modules")],
});

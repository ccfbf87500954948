// @ts-check
/**
 * The math kit (MathLive's math field and the Compute Engine's LaTeX reader, 1.3 MB) is not
 * part of the widget: it is one classic script, helpers/js/dist/mathkit.js, added to the page
 * only when a reader reaches an exercise. A classic script (not an ES module) because pages
 * opened from the disk (file://) may run scripts but not import modules. Where it is:
 * - in the web edition, the page says (build_site.py copies it to _static/vendor/answer/);
 * - in JupyterLab and Notebook 7, the server's files/ route, from the notebook's folder
 *   (the widget's `kit`, a path relative to it, set by Python when the cell ran).
 */

/** @typedef {{ parse: (latex: string) => any, MathfieldElement: any }} Kit */

export const KIT = Symbol.for("cross-entropy-derivatives.mathkit");
const MARK = "data-cross-entropy-mathkit";

/** Where the kit's script is on this page, or null if this page has no way to reach it. */
export function kitUrl(/** @type {string} */ relative) {
  const root = document.documentElement.dataset.content_root; // Sphinx's pages (the web edition)
  if (root !== undefined) return new URL(`${root}_static/vendor/answer/mathkit.js`, document.baseURI).href;
  const config = document.getElementById("jupyter-config-data");
  if (!config) return null;
  let baseUrl = "/";
  try {
    baseUrl = JSON.parse(config.textContent ?? "{}").baseUrl ?? "/";
  } catch {
    // keep "/"
  }
  const path = location.pathname;
  const match = path.match(/\/(?:lab|doc)(?:\/workspaces\/[^/]+)?\/tree\/(.+)$/) ?? path.match(/\/notebooks\/(.+)$/);
  if (!match) return null;
  const folder = decodeURIComponent(match[1]).split("/").slice(0, -1).join("/");
  const files = new URL(`${baseUrl.replace(/\/?$/, "/")}files/`, location.origin);
  return new URL((folder ? `${folder}/` : "") + relative, files).href;
}

/**
 * The kit, loading its script once per page.
 * @param {string} relative
 * @returns {Promise<Kit>}
 */
export function loadKit(relative) {
  const ready = /** @type {any} */ (globalThis)[KIT];
  if (ready) return Promise.resolve(ready);
  const url = kitUrl(relative);
  if (!url) return Promise.reject(new Error("this page has no copy of the math field's script"));
  return new Promise((resolve, reject) => {
    let script = /** @type {HTMLScriptElement | null} */ (document.querySelector(`script[${MARK}]`));
    if (!script) {
      script = document.createElement("script");
      script.src = url;
      script.setAttribute(MARK, "");
      document.head.append(script);
    }
    script.addEventListener("load", () => {
      const kit = /** @type {any} */ (globalThis)[KIT];
      kit ? resolve(kit) : reject(new Error(`${url} loaded but did not start`));
    });
    script.addEventListener("error", () => reject(new Error(`the math field's script could not be loaded from ${url}`)));
  });
}

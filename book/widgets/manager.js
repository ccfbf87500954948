// The book's widget manager: draws a chapter's saved widgets in the page, with no kernel.
//
// Bundled at build time by esbuild (tools/bundle_widgets.mjs) into _static/vendor/widgets.js and
// widgets.css, and loaded by _static/widgets-later.js once the page has painted and an explorer comes
// near. It does what the widgets' HTML manager (@jupyter-widgets/html-manager's embed-amd.js) did for
// these pages, with only what they use: ipywidgets 8's base and controls, and anywidget (every
// explorer's front end, whatever its ES module). That is a quarter of the bytes to fetch and parse on
// a phone, no require.js, and no schema compiled in the page. A widget of another module is drawn as
// an error box that names it (and the book's tests fail on it).
import { ManagerBase } from "@jupyter-widgets/base-manager";
import * as base from "@jupyter-widgets/base";
import * as controls from "@jupyter-widgets/controls";
import { MessageLoop } from "@lumino/messaging";
import { Widget } from "@lumino/widgets";
import anywidget from "anywidget"; // its AMD build, as a function of base (tools/bundle_widgets.mjs)
import "@jupyter-widgets/controls/css/widgets.css";

const MODULES = {
  "@jupyter-widgets/base": base,
  "@jupyter-widgets/controls": controls,
  anywidget: anywidget(base),
};
const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';

/** Models from the page's saved state; views drawn where their view tags are. */
class BookManager extends ManagerBase {
  constructor() {
    super();
    this.views = new Set();
    // Lumino widgets lay themselves out again when told the window changed size.
    window.addEventListener("resize", () => {
      for (const view of this.views) MessageLoop.postMessage(view.luminoWidget, Widget.ResizeMessage.UnknownSize);
    });
  }

  async loadClass(className, moduleName, moduleVersion) {
    const found = MODULES[moduleName]?.[className];
    if (!found) throw new Error(`the book cannot draw ${moduleName}@${moduleVersion} ${className}`);
    return found;
  }

  async display_view(view, el) {
    Widget.attach(view.luminoWidget, el);
    this.views.add(view);
    view.once("remove", () => this.views.delete(view));
  }

  _get_comm_info() {
    return Promise.resolve({});
  }

  // No kernel: a comm that goes nowhere (as the HTML manager's); sending through it fails, which the
  // explorers read as "no kernel".
  _create_comm() {
    return Promise.resolve({ on_close: () => {}, on_msg: () => {}, close: () => {} });
  }
}

/** Draw every saved widget of the page beside its view tag, in a new div.widget-subarea. */
async function renderWidgets() {
  const manager = new BookManager();
  const models = (await Promise.all([...document.querySelectorAll(STATE)].map((tag) => manager.set_state(JSON.parse(tag.textContent))))).flat();
  await Promise.all(
    [...document.querySelectorAll(VIEW)].map(async (tag) => {
      const { model_id: id } = JSON.parse(tag.textContent);
      const model = models.find((item) => item.model_id === id);
      if (!model) return;
      const area = Object.assign(document.createElement("div"), { className: "widget-subarea" });
      tag.before(area);
      await manager.display_view(await manager.create_view(model), area);
    }),
  );
}

renderWidgets();

// @ts-check
// index.js: the one front end of every explorer in the series (an anywidget module).
//
// Python computes, the browser draws. Python sent, once, every number a figure shows at
// every position of its controls ("tables"), a picture of what stays (a matplotlib
// background, and a foreground for what must stay on top), and a description of what
// moves ("marks", in spec). When a control moves, the view looks the numbers up and
// redraws the marks on a canvas laid exactly over the background: no kernel round trip,
// so it also works in a web-edition page with no kernel at all.
//
// helpers/spec.py documents the spec (and checks it in Python); helpers/explorers/ builds
// one per explorer. `npm run build` bundles this module and those it imports into
// helpers/js/dist/overlay.js, the one file the widgets load (anywidget loads it from a
// Blob URL, where relative imports cannot resolve).

import { ping, save, stopAsking, watchKernel } from "./kernel.js";
import { applyRules } from "./rules.js";
import { OverlayView } from "./view.js";

export { decodeTable, lookup, position } from "./tables.js";
export { format } from "./text.js";
export { nextPoint, snap } from "./descent.js";
export { OverlayView, save };

export default {
  /** @param {{model: import("./kernel.js").Model}} context */
  initialize({ model }) {
    applyRules(model);
    watchKernel(model);
  },
  /** @param {{model: import("./kernel.js").Model, el: HTMLElement}} context */
  render({ model, el }) {
    const view = new OverlayView(model, el);
    view.watchControls();
    ping(model); // shown again later, the explorer asks afresh rather than trust an old answer
    const names = [...Object.keys(model.get("spec").inputs), "trail"];
    for (const name of names) {
      model.on(`change:${name}`, () => {
        view.schedule();
        view.announceSoon();
        ping(model); // a reader is acting: make sure the kernel is still there
      });
    }
    model.on("change:tables", () => view.loadTables());
    model.on("change:background", () => view.loadLayer("background", view.backgroundImage));
    model.on("change:foreground", () => view.loadLayer("foreground", view.foregroundImage));
    model.on("change:pictures", () => view.loadPictures());
    model.on("change:spec", () => view.schedule()); // e.g. a new y-range after b4 or b5 moved
    model.on("change:offline", () => view.showOffline());
    return () => {
      view.dispose();
      stopAsking(model); // a question left pending must not outlive its view
    };
  },
};

// The widgets' scripts come after the text: nothing here blocks the first paint.
//
// tools/build_site.py leaves each widget output of a chapter as a still picture of it (taken at
// build time, the size the live one takes) with the widget's view tag beside it, and moves the saved
// widget state out of the page into _static/widget-state/<page>.js. When the first still comes near
// the viewport (a screen ahead; from the disk, once the page has painted), this loads the state and
// the book's widget manager (_static/vendor/widgets.js and .css, book/widgets/manager.js), which
// draws every widget beside its still. Each live widget is laid out hidden over
// its still and takes its place once its size has settled, so the text around it does not move.
// Generic: any widget output of any chapter, whatever draws it.
(() => {
  const views = [...document.querySelectorAll(".widget-still")];
  if (!views.length) return;
  const root = document.documentElement.dataset.content_root ?? "";
  const page = views[0].dataset.state; // the page's name, written by the build
  const SETTLED_MS = 100; // no change of size for this long: the widget has drawn itself
  const GIVE_UP_MS = 10000; // a widget that keeps changing size still goes live by then

  /** Add a classic script and resolve when it has run. */
  const script = (src, attributes = {}) =>
    new Promise((resolve, reject) => {
      const node = Object.assign(document.createElement("script"), { src: root + src, async: false });
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      node.addEventListener("load", resolve);
      node.addEventListener("error", () => reject(new Error(`could not load ${src}`)));
      document.body.append(node);
    });

  /** A widget drawn beside its still replaces it once its size stops changing. */
  const swapWhenSettled = (still) => {
    let timer = null;
    const live = () => {
      clearTimeout(timer);
      clearTimeout(fallback);
      resizer.disconnect();
      still.classList.add("widget-live");
      still.dispatchEvent(new CustomEvent("widget-live", { bubbles: true }));
    };
    const fallback = setTimeout(live, GIVE_UP_MS);
    const resizer = new ResizeObserver(() => {
      const area = still.querySelector(".widget-subarea");
      if (!area || area.offsetHeight === 0) return;
      clearTimeout(timer);
      timer = setTimeout(live, SETTLED_MS);
    });
    const watch = () => {
      const area = still.querySelector(".widget-subarea");
      if (area) resizer.observe(area);
      return Boolean(area);
    };
    if (!watch()) {
      const added = new MutationObserver(() => watch() && added.disconnect());
      added.observe(still, { childList: true });
    }
  };

  let started = false;
  const start = async () => {
    if (started) return;
    started = true;
    near.disconnect();
    views.forEach(swapWhenSettled);
    // Both download at once and run in this order (dynamic scripts with async = false); the state
    // file puts the page's saved widget state back where the manager reads it.
    const styles = Object.assign(document.createElement("link"), { rel: "stylesheet", href: `${root}_static/vendor/widgets.css` });
    document.head.append(styles);
    await Promise.all([script(`_static/widget-state/${page}.js`), script("_static/vendor/widgets.js")]);
  };
  // A screen ahead of the reader: the explorer is live by the time it scrolls into view.
  const near = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && start(), {
    rootMargin: "100% 0px",
  });
  views.forEach((view) => near.observe(view));
  // From the disk nothing travels: bring them once the page has painted, wherever the reader is.
  if (location.protocol === "file:") requestAnimationFrame(() => setTimeout(start, 0));
  window.bookWidgetsNow = start; // the build (stills) and the tests ask for the widgets at once
})();

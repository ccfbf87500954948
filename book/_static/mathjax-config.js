// MathJax 3, loaded from _static/vendor/mathjax/. Formulas are typeset only inside the elements
// myst-nb marks as math, and are not Tab stops (its menu stays on the right click).
// The widgets' HTML manager still calls MathJax 2's MathJax.Hub.Queue to typeset labels; answer it.
(() => {
  const hub = {
    Queue: (...items) => {
      for (const item of items) {
        const element = Array.isArray(item) && item[0] === "Typeset" ? item[2] : null;
        if (element && window.MathJax.typesetPromise) window.MathJax.typesetPromise([element]);
      }
    },
  };
  window.MathJax = {
    Hub: hub,
    tex: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]], processEscapes: true },
    options: {
      processHtmlClass: "tex2jax_process|mathjax_process|math|output_area",
      ignoreHtmlClass: "tex2jax_ignore|mathjax_ignore|document",
      menuOptions: { settings: { inTabOrder: false } },
    },
    chtml: { fontURL: document.documentElement.dataset.content_root + "_static/vendor/mathjax/output/chtml/fonts/woff-v2" },
    startup: {
      ready: () => {
        window.MathJax.startup.defaultReady();
        window.MathJax.Hub = hub;
      },
    },
  };
})();

// MathJax 3, loaded from _static/vendor/mathjax/ as components: TeX in, HTML out, and hidden MathML
// for screen readers (no menu: it weighs 430 KB and made every formula a Tab stop). Formulas are
// typeset only inside the elements myst-nb marks as math.
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
  // A display formula wider than the column scrolls sideways; only such a one is a Tab stop, so the
  // keyboard can scroll it too (WCAG 2.1.1). Every other formula stays out of the Tab order.
  const scrollable = () => {
    for (const formula of document.querySelectorAll('mjx-container[display="true"]')) {
      if (formula.scrollWidth > formula.clientWidth + 1) formula.setAttribute("tabindex", "0");
      else formula.removeAttribute("tabindex");
    }
  };
  window.MathJax = {
    Hub: hub,
    loader: { load: ["input/tex", "output/chtml", "a11y/assistive-mml"] },
    tex: { inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]], processEscapes: true },
    options: {
      processHtmlClass: "tex2jax_process|mathjax_process|math|output_area",
      ignoreHtmlClass: "tex2jax_ignore|mathjax_ignore|document",
    },
    chtml: { fontURL: document.documentElement.dataset.content_root + "_static/vendor/mathjax/output/chtml/fonts/woff-v2" },
    startup: {
      ready: () => {
        window.MathJax.startup.defaultReady();
        window.MathJax.Hub = hub;
        window.MathJax.startup.promise.then(() => {
          scrollable();
          window.addEventListener("resize", scrollable);
        });
      },
    },
  };
})();

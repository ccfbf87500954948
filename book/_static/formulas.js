// Formulas are typeset at build time (tools/render_math.mjs): no math script runs here. A display
// formula wider than the column scrolls sideways; only such a one is a Tab stop, so the keyboard can
// scroll it too (WCAG 2.1.1). Every other formula stays out of the Tab order.
(() => {
  const scrollable = () => {
    for (const formula of document.querySelectorAll('mjx-container[display="true"]')) {
      if (formula.scrollWidth > formula.clientWidth + 1) formula.setAttribute("tabindex", "0");
      else formula.removeAttribute("tabindex");
    }
  };
  scrollable();
  window.addEventListener("resize", scrollable);
})();

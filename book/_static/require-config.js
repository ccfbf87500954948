// Where require.js finds the widgets' modules: "anywidget" is _static/vendor/anywidget.js, and the
// HTML manager finds its icon fonts under _static/vendor/@jupyter-widgets/. Nothing leaves the site.
require.config({ baseUrl: document.documentElement.dataset.content_root + "_static/vendor" });

// Sphinx's search answers from searchindex.js (a script tag), so it works from file:// too, but it
// fetches each result's page for its snippet, which browsers refuse on file://. The build writes
// every page's text into _static/search-text.js; this answers those fetches from it.
(() => {
  const original = window.fetch ? window.fetch.bind(window) : null;
  const escape = (text) => text.replace(/[&<>]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;" })[c]);
  window.fetch = (resource, init) => {
    const url = new URL(typeof resource === "string" ? resource : resource.url, location.href);
    const name = url.pathname.split("/").pop().replace(/\.html$/, "");
    const text = window.SEARCH_TEXT && window.SEARCH_TEXT[name];
    if (text !== undefined && (location.protocol === "file:" || !original)) {
      const html = `<html><body><div role="main">${escape(text)}</div></body></html>`;
      return Promise.resolve(new Response(html, { headers: { "Content-Type": "text/html" } }));
    }
    return original(resource, init);
  };
})();

// Keep a live part of the page current: every 30 seconds, fetch its fresh HTML and swap it in.
(function () {
  "use strict";
  const part = document.querySelector("[data-refresh]");
  if (!part || !window.fetch) return;
  const url = part.dataset.refresh;
  setInterval(function () {
    fetch(url, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html) return;
        const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-refresh]");
        const current = document.querySelector("[data-refresh]");
        if (fresh && current) current.replaceWith(fresh);
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }, 30000);
})();

// Live counts and charts without a manual reload. Pages work without it: they refresh every 5 s instead.
(function () {
  var box = document.querySelector("[data-live]");
  if (!box || !window.fetch) return;
  var refreshKey = box.getAttribute("data-refresh-on-change");
  // The count the page was drawn with: a change before the first poll still refreshes the charts.
  var shown = refreshKey && box.querySelector('[data-count="' + refreshKey + '"]');
  var last = shown ? shown.textContent.trim() : null;
  function refreshRegions() {
    // The page itself, fetched again: its charts replace the ones shown (the same server-drawn HTML).
    fetch(location.href, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) {
        if (!html || !window.DOMParser) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        box.querySelectorAll("[data-live-region]").forEach(function (old) {
          var name = old.getAttribute("data-live-region");
          var next = fresh.querySelector('[data-live-region="' + name + '"]');
          if (next) old.replaceWith(document.importNode(next, true));
        });
      })
      .catch(function () {});
  }
  function update() {
    fetch(box.getAttribute("data-live"), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        Object.keys(data.counts).forEach(function (key) {
          var el = box.querySelector('[data-count="' + key + '"]');
          if (el) el.textContent = data.counts[key];
        });
        var now = String(data.counts[refreshKey]);
        if (refreshKey && last !== null && now !== last) refreshRegions();
        last = now;
      })
      .catch(function () {});
  }
  setInterval(update, 4000);
})();

// Live counts without a manual reload. Pages work without it: they refresh every 5 s instead.
(function () {
  var box = document.querySelector("[data-live]");
  if (!box || !window.fetch) return;
  var reloadKey = box.getAttribute("data-reload-on-change");
  var last = null;
  function update() {
    fetch(box.getAttribute("data-live"), {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) return;
        Object.keys(data.counts).forEach(function (key) {
          var el = box.querySelector('[data-count="' + key + '"]');
          if (el) el.textContent = data.counts[key];
        });
        if (reloadKey && last !== null && data.counts[reloadKey] !== last) location.reload();
        last = data.counts[reloadKey];
      })
      .catch(function () {});
  }
  setInterval(update, 4000);
})();

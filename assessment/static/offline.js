// SmartStep (issue 12): answers survive a dropped connection. Progressive enhancement only: the
// form works the same without this file. Each answer is kept on the phone the moment it is chosen;
// "Next" that cannot reach the server keeps the page, says the answers are saved here, and tries
// again with growing waits until it gets through. The messages come from the page (translated).
(function () {
  var form = document.querySelector("form[data-offline]"), sw = navigator.serviceWorker;
  if (!form || !window.fetch || !window.localStorage || !window.FormData) return;
  var parts = form.dataset.offline.split("/"), key = "ss:" + form.dataset.offline;
  var note = form.querySelector(".offline-note"), loaded = +form.elements.loaded.value;
  var device = get("ss:device") || put("ss:device", id());
  var entry = JSON.parse(get(key) || "null"), delay = 1000, timer, busy, renewed;

  if (sw) sw.register("/sw.js").then(function () { return sw.ready; }).then(function () {
    if (!sw.controller) caches.open("smartstep-1").then(function (c) { // this page came before the worker
      var css = document.querySelector("link[rel=stylesheet]"), js = document.querySelector("script[src]");
      c.addAll([location.pathname, "/a/" + parts[0] + "/offline", css.href, js.src]);
    });
  }).catch(function () {});

  function get(k) { try { return localStorage.getItem(k); } catch (e) { return null; } }
  function put(k, v) { try { localStorage.setItem(k, v); } catch (e) {} return v; }
  function keep() { put(key, JSON.stringify(entry)); }
  function id() {
    var a = crypto.getRandomValues(new Uint8Array(12));
    return Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }
  function say(which) { note.textContent = note.dataset[which]; note.hidden = false; }

  function answers() { // [name, value] of every answer on the page
    var out = [];
    new FormData(form).forEach(function (v, k) {
      if (!/^(csrf_token|sid|loaded|nav)$/.test(k)) out.push([k, v]);
    });
    return out;
  }

  function restore() {
    var names = {};
    entry.values.forEach(function (p) { (names[p[0]] = names[p[0]] || []).push(p[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      var mine = names[el.name];
      if (!el.name || /^(csrf_token|sid|loaded)$/.test(el.name) || el.type == "submit") return;
      if (el.type == "radio" || el.type == "checkbox") el.checked = !!mine && mine.indexOf(el.value) >= 0;
      else el.value = mine ? mine[0] : "";
    });
  }

  // Not sent yet, or sent after the server drew this (kept) page: the phone's answers are newer.
  if (entry && (entry.pending || entry.at > loaded)) {
    restore();
    if (entry.pending) { say("restored"); send(); }
  } else entry = null;

  function touch(e) {
    if (!e.target.name) return;
    entry = entry || {chosen: {}};
    entry.values = answers();
    entry.chosen[e.target.name] = Date.now();
    entry.sid = id(); // changed answers: a new submission
    keep();
  }
  form.addEventListener("change", touch);
  form.addEventListener("input", touch);

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    entry = entry || {chosen: {}, sid: form.elements.sid.value};
    entry.values = answers();
    entry.nav = e.submitter && e.submitter.value || "next";
    entry.pending = 1;
    keep();
    delay = 1000;
    send();
  });
  addEventListener("online", function () { if (entry && entry.pending) send(); });

  function send() {
    if (busy) return;
    busy = 1;
    clearTimeout(timer);
    var sid = entry.sid, body = new FormData(), stop = new AbortController();
    var late = setTimeout(function () { stop.abort(); }, 20000);
    entry.values.forEach(function (p) { body.append(p[0], p[1]); });
    var token = form.elements.csrf_token;
    if (token) body.append("csrf_token", token.value);
    body.append("sid", sid);
    body.append("device", device);
    body.append("nav", entry.nav);
    body.append("loaded", loaded);
    body.append("chosen", Object.keys(entry.chosen).map(function (n) { return n + ":" + entry.chosen[n]; }).join(" "));
    body.append("sent", Date.now());
    fetch(form.action, {method: "POST", body: body, credentials: "same-origin", signal: stop.signal,
                        headers: {"X-SmartStep-Offline": "1"}}).then(function (res) {
      clearTimeout(late);
      busy = 0;
      if (res.ok && /json/.test(res.headers.get("Content-Type"))) return res.json().then(function (j) {
        if (entry.sid != sid) return send(); // changed while it was on its way: send the newer
        entry.pending = 0;
        entry.at = j.at;
        keep();
        location.assign(j.next);
      });
      if (res.status == 400) return renew(); // the form's token expired (a long time offline)
      if (res.status >= 500) return retry(res.headers.get("Retry-After"));
      // the server has something to say about the answers (one missing): the plain form shows it
      entry.pending = 0;
      keep();
      form.elements.sid.value = sid; // already saved: the server only shows the page again
      var nav = document.createElement("input");
      nav.type = "hidden"; nav.name = "nav"; nav.value = entry.nav;
      form.appendChild(nav);
      form.submit();
    }, function () {
      clearTimeout(late);
      busy = 0;
      retry();
    });
  }

  function retry(after) {
    say("saved");
    renewed = 0; // after the wait, an expired token may be renewed again
    var wait = Math.max(delay, (+after || 0) * 1000);
    delay = Math.min(delay * 2, 30000);
    timer = setTimeout(send, wait + Math.random() * 1000);
  }

  function renew() { // a fresh token from the page itself, then send again; nothing is lost
    if (renewed) return retry();
    renewed = 1;
    fetch(location.pathname, {credentials: "same-origin", cache: "no-store"}).then(function (res) {
      return res.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[name=csrf_token]");
      form.elements.csrf_token.value = fresh.value;
      send();
    }).catch(function () { renewed = 0; retry(); });
  }
})();

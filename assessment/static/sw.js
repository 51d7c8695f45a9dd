// SmartStep's service worker (issue 12): question pages already visited, and the few static files,
// open while the phone is offline; what needs the server (results, the PDF) says so.
var CACHE = "smartstep-1";
var WAIT_MS = 8000; // a weak signal: after this, a kept page rather than a blank screen

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (e) { e.waitUntil(self.clients.claim()); });

self.addEventListener("fetch", function (e) {
  var r = e.request, u = new URL(r.url);
  if (r.method !== "GET" || u.origin !== location.origin) return;
  var m = u.pathname.match(/^\/a\/([^/]+)\/(p\/[^/]+)?/);
  if (u.pathname.indexOf("/static/") === 0) e.respondWith(kept(r, u.href));
  else if (m && m[2]) e.respondWith(kept(r, u.pathname, "/a/" + m[1] + "/offline"));
  else if (m && r.mode === "navigate") e.respondWith(fetch(r).catch(function () {
    return caches.match("/a/" + m[1] + "/offline").then(function (hit) { return hit || Response.error(); });
  }));
});

// The network's answer, kept for later; the kept copy when the network fails or is slow.
function kept(r, key, notice) {
  return caches.open(CACHE).then(function (c) {
    var net = fetch(r).then(function (res) {
      if (res.ok && !res.redirected) {
        c.put(key, res.clone());
        if (notice) c.match(notice).then(function (hit) { if (!hit) c.add(notice); });
      }
      return res;
    });
    var slow = new Promise(function (ok) { setTimeout(ok, WAIT_MS); });
    return Promise.race([net, slow.then(function () { return c.match(key); })]).then(function (res) {
      return res || net;
    }, function () {
      return c.match(key).then(function (hit) { return hit || net; });
    });
  });
}

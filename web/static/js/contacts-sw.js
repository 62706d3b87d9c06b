// Service worker of the quick-log page, served at /contacten/sw.js with
// scope /contacten/. It keeps the page and its assets so the form opens
// without a connection; saving offline is handled by contacts-offline.js.
// self.BK_ASSETS (the hashed asset URLs) is prepended by the server.
"use strict";

var SHELL = "/contacten/nieuw";
var PREFIX = "bk-contacten-";
var CACHE = PREFIX + (function (s) {
  var h = 0;
  for (var i = 0; i < s.length; i++) { h = (h * 31 + s.charCodeAt(i)) | 0; }
  return (h >>> 0).toString(16);
})((self.BK_ASSETS || []).join("|"));

self.addEventListener("install", function (ev) {
  ev.waitUntil(
    caches.open(CACHE)
      .then(function (c) { return c.addAll(self.BK_ASSETS || []); })
      .then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (ev) {
  ev.waitUntil(
    caches.keys()
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k.indexOf(PREFIX) === 0 && k !== CACHE; })
          .map(function (k) { return caches.delete(k); }));
      })
      .then(function () { return self.clients.claim(); })
  );
});

function offlinePage() {
  var html = "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">" +
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Geen verbinding – Buurtkracht</title></head>" +
    "<body><main><h1>Geen verbinding</h1><p>Open deze pagina één keer met verbinding; daarna werkt het formulier ook offline.</p></main></body></html>";
  return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } });
}

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  // Saving always goes to the network; the page queues it when that fails.
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  if (req.mode === "navigate" && url.pathname === SHELL) {
    // Network first, so the form shows the latest defaults; the cache when offline.
    ev.respondWith(
      fetch(req).then(function (res) {
        if (res.ok && !res.redirected) {
          var copy = res.clone();
          caches.open(CACHE).then(function (c) { return c.put(SHELL, copy); });
        }
        return res;
      }).catch(function () {
        return caches.match(SHELL).then(function (hit) { return hit || offlinePage(); });
      })
    );
    return;
  }
  if (url.pathname.indexOf("/static/") === 0) {
    ev.respondWith(caches.match(req).then(function (hit) { return hit || fetch(req); }));
  }
});

// kobai page: keeps the page working offline once loaded (the labs' code too, fetched here in the background
// after the first visit even if no lab was opened). Network first (a rebuilt page is seen at once),
// the cache when the network is gone. Only the page's own files, only its own origin.
'use strict';
var CACHE = 'kobai-v4';
var FILES = ['./', 'index.html', 'kobai.js', 'kobai.wasm', 'kobai.labs.wasm', 'kobai.labs.fonts', 'kobai.questions.json', 'kobai.data', 'boot.js', 'kobai.css', 'data/digits.csv', 'data/iris.csv'];

self.addEventListener('install', function (e) {
  e.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(FILES); }).then(function () { return self.skipWaiting(); }));
});
self.addEventListener('activate', function (e) { e.waitUntil(self.clients.claim()); });
self.addEventListener('fetch', function (e) {
  var url = new URL(e.request.url);
  if (url.origin !== self.location.origin || e.request.method !== 'GET') return;
  e.respondWith(fetch(e.request).then(function (r) {
    if (r.ok) { var copy = r.clone(); caches.open(CACHE).then(function (c) { c.put(e.request, copy); }); }
    return r;
  }).catch(function () {
    return caches.match(e.request, { ignoreSearch: true }).then(function (r) { return r || caches.match('index.html'); });
  }));
});

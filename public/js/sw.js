// The quiz's service worker: an attempt page, once opened, can be reloaded or reopened without a
// connection. Pages under /attempts/ are fetched from the network first and kept; when the network fails,
// the kept copy is shown (the page's own script then puts back the answers kept in this browser).
// Hashed assets never change, so they are served from the cache once kept. Everything else is left alone.
'use strict';
var CACHE = 'sabaq-quiz-v1';

self.addEventListener('install', function () {
  self.skipWaiting();
});
self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  if (req.method !== 'GET') return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (/^\/attempts\/[0-9a-f]{24}$/.test(url.pathname)) {
    event.respondWith(
      fetch(req)
        .then(function (res) {
          if (res.ok) {
            var copy = res.clone();
            caches.open(CACHE).then(function (c) {
              c.put(url.pathname, copy);
            });
          }
          return res;
        })
        .catch(function () {
          return caches.match(url.pathname).then(function (kept) {
            return kept || Response.error();
          });
        }),
    );
    return;
  }
  if (url.pathname.indexOf('/assets/') === 0) {
    event.respondWith(
      caches.match(req).then(function (kept) {
        return (
          kept ||
          fetch(req).then(function (res) {
            if (res.ok) {
              var copy = res.clone();
              caches.open(CACHE).then(function (c) {
                c.put(req, copy);
              });
            }
            return res;
          })
        );
      }),
    );
  }
});

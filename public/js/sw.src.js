// The quiz's service worker, built with Workbox (bundled at start into /sw.js).
// - An attempt page, once opened, can be reloaded or reopened without a connection: fetched from the
//   network first and kept; offline, the kept copy is shown (its own script then puts back the answers
//   kept in this browser). Kept by path, so "/attempts/…?saved=1" finds the same copy.
// - Hashed assets never change: served from the cache once kept.
// - Signing out clears all of it (Clear-Site-Data), so the next person on a shared phone finds nothing.
// - An answer the network did not take is queued here too and replayed by Background Sync where the
//   browser has it (Chrome, Edge, Samsung Internet), or when this worker next starts elsewhere. The page
//   keeps its own copy in IndexedDB and replays it on load and on `online` (Safari and Firefox have no
//   Background Sync); the server keeps the newest answer by its sequence number, so a replay counts once.
import { clientsClaim } from 'workbox-core';
import { registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies';
import { BackgroundSyncPlugin } from 'workbox-background-sync';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';

var CACHE = 'sabaq-quiz-v1';

self.skipWaiting();
clientsClaim();

registerRoute(
  function (o) {
    return o.request.method === 'GET' && /^\/attempts\/[0-9a-f]{24}$/.test(o.url.pathname);
  },
  new NetworkFirst({
    cacheName: CACHE,
    plugins: [
      // Only the page itself: a redirect to sign-in (an ended session) must not replace the kept copy.
      new CacheableResponsePlugin({ statuses: [200] }),
      {
        cacheKeyWillBeUsed: function (o) {
          return Promise.resolve(new URL(o.request.url).pathname);
        },
      },
    ],
  }),
);

registerRoute(
  function (o) {
    return o.url.pathname.indexOf('/assets/') === 0;
  },
  new CacheFirst({ cacheName: CACHE }),
);

registerRoute(
  function (o) {
    return /^\/attempts\/[0-9a-f]{24}\/answers$/.test(o.url.pathname);
  },
  new NetworkOnly({ plugins: [new BackgroundSyncPlugin('sabaq-answers', { maxRetentionTime: 24 * 60 })] }),
  'POST',
);

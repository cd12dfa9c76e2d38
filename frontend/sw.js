// Tạo Nguồn service worker: after one visit, the app opens with no network.
//
// scripts/build-client.sh fills in VERSION (a hash of this build's asset names) and ASSETS.
// Every page URL is the same shell, so navigations are answered from the cache at once (fast on
// 2G, works offline); hashed assets never change, so they are cache-first too. The API is never
// cached: the app keeps its data in IndexedDB and syncs by itself.
//
// A new version installs in the background and then *waits*: the page shows "a new version is
// ready" and posts 'skip-waiting' when the user agrees and no sync is running.

const VERSION = '__VERSION__';
const ASSETS = __ASSETS__;
const CACHE = 'tao-nguon-' + VERSION;
// What a phone reads to install the app (and shows while it opens offline).
const INSTALL = [
  '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-192.png', '/icons/maskable-512.png',
];
const SHELL = '/';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // `reload`: the shell must come from the server, naming this version's assets.
      cache.addAll([new Request(SHELL, { cache: 'reload' }), '/favicon.svg', ...INSTALL, ...ASSETS]),
    ),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(keys.filter((k) => k.startsWith('tao-nguon-') && k !== CACHE).map((k) => caches.delete(k))),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/api/') || url.pathname === '/healthz' || url.pathname === '/sw.js') return;
  if (request.mode === 'navigate') {
    event.respondWith(
      caches.open(CACHE).then((cache) => cache.match(SHELL)).then((hit) => hit || fetch(request)),
    );
    return;
  }
  event.respondWith(
    caches.open(CACHE).then((cache) => cache.match(request)).then((hit) => hit || fetch(request)),
  );
});

// Tạo Nguồn service worker: after one visit, the app opens with no network.
//
// scripts/build-client.sh fills in VERSION (a hash of this build), CORE (what every device needs)
// and CHUNKS (the code of screens only some roles use, by chunk name: 'review', 'admin').
// Every page URL is the same shell, so navigations are answered from the cache at once (fast on
// 2G, works offline); hashed assets never change, so they are cache-first too. The API is never
// cached: the app keeps its data in IndexedDB and syncs by itself.
//
// A new version installs in the background and then *waits*: the page shows "a new version is
// ready" and posts 'skip-waiting' when the user agrees and no sync is running.

const VERSION = '__VERSION__';
const CORE = __CORE__;
const CHUNKS = __CHUNKS__;
const CACHE = 'tao-nguon-' + VERSION;
// Which chunks this device keeps, remembered across versions (so that a new version precaches
// them too, all from one build): the page names them once a user who needs them logs in.
const CHUNK_FILES = new Set(Object.values(CHUNKS).flat());
const KEPT = 'tn-kept-chunks';
const KEPT_KEY = '/__kept-chunks';
// What a phone reads to install the app (and shows while it opens offline).
const INSTALL = [
  '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-192.png', '/icons/maskable-512.png',
];
const SHELL = '/';

async function keptChunks() {
  const hit = await (await caches.open(KEPT)).match(KEPT_KEY);
  if (!hit) return [];
  try {
    const names = await hit.json();
    return Array.isArray(names) ? names.filter((n) => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

function filesOf(names) {
  return [...new Set(names.flatMap((n) => CHUNKS[n] || []))];
}

// Adds to this version's cache the files of these chunks it does not hold yet.
async function precache(names) {
  const cache = await caches.open(CACHE);
  const missing = [];
  for (const file of filesOf(names)) {
    if (!(await cache.match(file))) missing.push(file);
  }
  if (missing.length > 0) await cache.addAll(missing);
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      // `reload`: the shell must come from the server, naming this version's assets.
      await cache.addAll([new Request(SHELL, { cache: 'reload' }), '/favicon.svg', ...INSTALL, ...CORE]);
      await cache.addAll(filesOf(await keptChunks()));
    })(),
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
  const keep = event.data && event.data.keep;
  if (Array.isArray(keep)) {
    const names = keep.filter((n) => typeof n === 'string' && Object.hasOwn(CHUNKS, n));
    event.waitUntil(
      (async () => {
        const all = [...new Set([...(await keptChunks()), ...names])].sort();
        await (await caches.open(KEPT)).put(KEPT_KEY, new Response(JSON.stringify(all)));
        await precache(all);
      })(),
    );
  }
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
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(request);
      if (hit) return hit;
      const response = await fetch(request);
      // A chunk of this build fetched before it was precached is kept as well.
      if (response.ok && CHUNK_FILES.has(url.pathname)) await cache.put(request, response.clone());
      return response;
    })(),
  );
});

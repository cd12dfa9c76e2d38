// Tạo Nguồn service worker: after one visit, the app opens with no network.
//
// scripts/build-client.sh fills in VERSION (a hash of this build and of this file), BUILD (the
// build's directory under /pkg/), CORE (what every device needs) and CHUNKS (the code of screens
// only some roles use, by chunk name: 'review', 'admin'). Every page URL is the same shell, so
// navigations are answered from the cache at once (fast on 2G, works offline); a build's files
// never change, so they are cache-first too. The API is never cached: the app keeps its data in
// IndexedDB and syncs by itself.
//
// A new version installs in the background and then *waits*: the page shows "a new version is
// ready" and posts 'skip-waiting' when the user agrees and no sync is running. The version
// before it stays cached until the next one: another tab still running it (it did not ask for
// the update) loads the chunks of its own build from there, online or not.

const VERSION = '__VERSION__';
const BUILD = '__BUILD__';
const CORE = __CORE__;
const CHUNKS = __CHUNKS__;
const CACHE = 'tao-nguon-' + VERSION;
const CHUNK_FILES = new Set(Object.values(CHUNKS).flat());
// The worker's notes, kept across versions: the role chunks this device keeps (the page says
// which, for the user logged in; a new version precaches them from its own build) and the
// version that was active before this one.
const NOTES = 'tn-notes';
const KEPT_KEY = '/__kept-chunks';
const ACTIVE_KEY = '/__active-version';
// What a phone reads to install the app (and shows while it opens offline).
const INSTALL = [
  '/manifest.webmanifest',
  '/icons/icon-192.png', '/icons/icon-512.png', '/icons/maskable-192.png', '/icons/maskable-512.png',
];
const SHELL = '/';

async function readNote(key, fallback) {
  const hit = await (await caches.open(NOTES)).match(key);
  if (!hit) return fallback;
  try {
    return await hit.json();
  } catch {
    return fallback;
  }
}

async function writeNote(key, value) {
  await (await caches.open(NOTES)).put(key, new Response(JSON.stringify(value)));
}

async function keptChunks() {
  const names = await readNote(KEPT_KEY, []);
  return Array.isArray(names) ? names.filter((n) => typeof n === 'string') : [];
}

function filesOf(names) {
  return [...new Set(names.flatMap((n) => CHUNKS[n] || []))];
}

// Adds to this version's cache the files of these chunks it does not hold yet; nothing once
// this version's cache is gone (a newer version has taken over).
async function precache(names) {
  if (!(await caches.has(CACHE))) return;
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
      // The shell comes from the server (`reload`) and must name this worker's build: a server
      // still running from before the build names another one, and this version would then
      // open nothing offline. Failing here keeps the version that works.
      const shell = await fetch(new Request(SHELL, { cache: 'reload' }));
      if (!shell.ok || !(await shell.clone().text()).includes(`/pkg/${BUILD}/`)) {
        throw new Error(`the shell does not name build ${BUILD}`);
      }
      await cache.put(SHELL, shell);
      await cache.addAll(['/favicon.svg', ...INSTALL, ...CORE]);
      await cache.addAll(filesOf(await keptChunks()));
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const previous = await readNote(ACTIVE_KEY, null);
      const stale = (await caches.keys())
        .filter((k) => k.startsWith('tao-nguon-') && k !== CACHE && k !== previous);
      await Promise.all(stale.map((k) => caches.delete(k)));
      if (previous !== CACHE) await writeNote(ACTIVE_KEY, CACHE);
      await self.clients.claim();
    })(),
  );
});

// The keep messages, one after another: the last one says what the device keeps.
let notes = Promise.resolve();

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
  const keep = event.data && event.data.keep;
  if (Array.isArray(keep)) {
    const names = keep
      .filter((n) => typeof n === 'string' && Object.prototype.hasOwnProperty.call(CHUNKS, n))
      .sort();
    notes = notes
      .then(async () => {
        await writeNote(KEPT_KEY, names);
        await precache(names);
      })
      .catch(() => {});
    event.waitUntil(notes);
  }
});

// This version's cache first, then the one before it (a tab still running that version).
async function cached(request) {
  const hit = await (await caches.open(CACHE)).match(request);
  if (hit) return hit;
  for (const name of await caches.keys()) {
    if (name === CACHE || !name.startsWith('tao-nguon-')) continue;
    const old = await (await caches.open(name)).match(request);
    if (old) return old;
  }
  return undefined;
}

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
      const hit = await cached(request);
      if (hit) return hit;
      const response = await fetch(request);
      // A chunk of this build fetched before it was precached is kept as well: in the
      // background, so that the page compiles it as it arrives, and a full disk costs only
      // the copy.
      if (response.ok && CHUNK_FILES.has(url.pathname)) {
        const copy = response.clone();
        event.waitUntil(caches.open(CACHE).then((cache) => cache.put(request, copy)).catch(() => {}));
      }
      return response;
    })(),
  );
});

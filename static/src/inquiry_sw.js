// The inquiry kiosk's service worker (served as /inquiry-sw.js, scope /inquiry): it keeps every answer the kiosk
// fetched - the page, its bundles, the API's JSON, the whole-gallery GLBs, posters - and answers from them when
// the network drops. Files whose address carries their content hash are taken from the cache first (they never
// change); everything else is asked from the network first, and from the cache when the network fails or is
// too slow. A film's Range requests are cut from a whole copy held here (see cachedPart).
// This file runs as a service worker, typed against lib.dom like the pages: the worker's own parts are named here.
/** @typedef {typeof self & {skipWaiting(): Promise<void>, clients: {claim(): Promise<void>}}} SWScope */
/** @typedef {Event & {waitUntil(promise: Promise<unknown>): void}} SWExtendableEvent */
/** @typedef {SWExtendableEvent & {request: Request, respondWith(response: Response | Promise<Response>): void}} SWFetchEvent */

const CACHE = 'museum-inquiry-v1';
const NETWORK_MS = 4000;

self.addEventListener('install', () => { /** @type {SWScope} */ (self).skipWaiting(); });
self.addEventListener('activate', (/** @type {SWExtendableEvent} */ event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith('museum-inquiry-') && name !== CACHE) await caches.delete(name);
    }
    await /** @type {SWScope} */ (self).clients.claim();
  })());
});

function immutable(url) {
  return url.pathname.startsWith('/files/') || url.pathname.startsWith('/static/build/chunks/')
    || (url.pathname.startsWith('/static/') && url.searchParams.has('v'));
}

async function remember(request, response) {
  if (response.ok && response.status === 200) {
    const cache = await caches.open(CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

async function cached(request) {
  const cache = await caches.open(CACHE);
  const found = await cache.match(request, { ignoreVary: true });
  if (found || request.mode !== 'navigate') return found;
  return cache.match(request, { ignoreVary: true, ignoreSearch: true });
}

async function cacheFirst(request) {
  const found = await cached(request);
  if (found) return found;
  return remember(request, await fetch(request));
}

async function networkFirst(request) {
  const network = fetch(request);
  const late = new Promise((resolve) => { setTimeout(resolve, NETWORK_MS, 'late'); });
  try {
    const first = await Promise.race([network, late]);
    if (first !== 'late') {
      if (first.status < 500) return await remember(request, first);
    } else {
      // A slow network: what was kept answers now, and the answer arriving later refreshes it.
      const found = await cached(request);
      if (found) {
        network.then((response) => remember(request, response)).catch(() => null);
        return found;
      }
      const response = await network;
      if (response.status < 500) return await remember(request, response);
    }
  } catch {
    // offline: fall through to the cache
  }
  const found = await cached(request);
  if (found) return found;
  return Response.json({ error: { code: 'offline', message: 'The network is down and this was not saved.' } },
    { status: 503 });
}

// A film's player asks for parts of its file (Range: bytes=a-b), and a part must never be kept as if it were the
// whole. So the worker answers a Range request only from a whole content-hashed file it already holds (the page
// fetches the loop's films whole while it warms the cache), cutting the part from it as a 206; a Blob read from
// the cache stays on disk, so a slice costs only the bytes asked for. A file not held yet, or a multi-part Range,
// goes to the network untouched and nothing of it is kept: the film plays online as before, and offline once the
// screen has fetched it whole.
async function cachedPart(request) {
  const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('Range') || '');
  const found = range && (range[1] || range[2]) ? await cached(request) : null;
  if (!found) return fetch(request);
  const blob = await found.blob();
  const size = blob.size;
  let start = Number(range[1]);
  let end = range[2] === '' ? size - 1 : Math.min(Number(range[2]), size - 1);
  if (range[1] === '') { start = Math.max(0, size - Number(range[2])); end = size - 1; }
  if (start >= size || start > end) {
    return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${size}` } });
  }
  return new Response(blob.slice(start, end + 1), { status: 206, headers: {
    'Content-Type': found.headers.get('Content-Type') || blob.type, 'Content-Length': String(end - start + 1),
    'Content-Range': `bytes ${start}-${end}/${size}`, 'Accept-Ranges': 'bytes' } });
}

self.addEventListener('fetch', (/** @type {SWFetchEvent} */ event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  // Searches are not kept (one answer a keystroke would pile up for ever): offline, the page searches the titles
  // it holds itself.
  if (url.origin !== self.location.origin || url.pathname === '/api/v1/search') return;
  if (request.headers.has('Range')) {
    if (immutable(url)) event.respondWith(cachedPart(request));
    return;
  }
  event.respondWith(immutable(url) ? cacheFirst(request) : networkFirst(request));
});

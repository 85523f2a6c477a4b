// The visitor pages' beacon: what was looked at and for how long, batched and sent with navigator.sendBeacon to
// POST /api/v1/events. No identifier is made or kept here (no cookie, no storage); the server counts visitors by a
// daily-salted hash it never stores, and browsers that send Global Privacy Control or Do Not Track get none.
import { lang } from './_i18n.js';

const ENDPOINT = '/api/v1/events';
const MAX_BATCH = 100;
const FLUSH_AFTER_MS = 10000;
const SEARCH_PAUSE_MS = 1500;
const queue = [];
const open = new Map(); // kind -> { fields, since }
const leaving = []; // what records itself when the page is hidden or left (a film being played)
let flushTimer = null;
let searchTimer = null;

function device() {
  if (location.pathname.startsWith('/kiosk') || location.pathname.startsWith('/inquiry')) return 'kiosk';
  if (/OculusBrowser|Quest|Pico|Vision/i.test(navigator.userAgent)) return 'headset';
  return matchMedia('(pointer: coarse)').matches && Math.min(screen.width, screen.height) < 820 ? 'phone' : 'desktop';
}

/** Send every queued event now (sendBeacon survives the page being closed). */
export function flush() {
  clearTimeout(flushTimer);
  flushTimer = null;
  while (queue.length) {
    const body = JSON.stringify({ events: queue.splice(0, MAX_BATCH) });
    // A string is sent as text/plain: no CORS preflight, and the server accepts it as JSON.
    if (!(navigator.sendBeacon && navigator.sendBeacon(ENDPOINT, body))) {
      fetch(ENDPOINT, { method: 'POST', body, keepalive: true, headers: { 'Content-Type': 'application/json' } })
        .catch(() => null);
    }
  }
}

/** Record one event (type and its fields); it leaves with the next batch. */
export function track(type, fields = {}) {
  queue.push({ type, device: device(), lang: lang(), path: location.pathname.slice(0, 200), ...fields });
  if (queue.length >= 20) flush();
  else if (!flushTimer) flushTimer = setTimeout(flush, FLUSH_AFTER_MS);
}

/** Start looking at something (a gallery, an exhibit, the timeline); the previous one of its kind ends. */
export function beginView(type, fields) {
  endView(type);
  open.set(type, { fields, since: performance.now() });
}

/** Stop looking: record the view with how long it lasted. */
export function endView(type) {
  const view = open.get(type);
  if (!view) return;
  open.delete(type);
  track(type, { ...view.fields, dwell_ms: Math.min(86400000, Math.round(performance.now() - view.since)) });
}

/** Record a search once the visitor pauses typing, with how many results it found. */
export function searched(query, results) {
  clearTimeout(searchTimer);
  const text = String(query || '').trim().slice(0, 100);
  if (!text) return;
  searchTimer = setTimeout(() => track('search', { query: text, results }), SEARCH_PAUSE_MS);
}

/** Have a function record what it holds (with `track`) whenever the page is hidden or left, before the batch leaves. */
export function beforeLeaving(fn) {
  leaving.push(fn);
}

// Leaving or hiding the page ends what was open and sends the rest.
function closeAll() {
  for (const fn of leaving) {
    try { fn(); } catch { /* one failing recorder keeps the others' events */ }
  }
  for (const type of [...open.keys()]) endView(type);
  flush();
}
addEventListener('pagehide', closeAll);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState !== 'hidden') return;
  const reopen = [...open.entries()].map(([type, view]) => [type, view.fields]);
  closeAll();
  // Coming back to the tab continues the same things, as new views.
  document.addEventListener('visibilitychange', () => {
    for (const [type, fields] of reopen) beginView(type, fields);
  }, { once: true });
});

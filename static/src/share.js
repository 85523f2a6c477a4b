// The guest's share page: wait for the composition by polling the status JSON, then show the photo.
// In WeChat's in-app browser (which refuses file downloads) the page offers the full size as an image to
// long-press instead of a download.
import './share.css';

/** @typedef {Window & {sharePhotoShown?: boolean}} ShareWindow the page's test hook: the photo is on screen */

const main = document.getElementById('share');
const show = (id, on) => { document.getElementById(id).hidden = !on; };

async function poll(delay) {
  let state;
  try {
    const res = await fetch(main.dataset.statusUrl, { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (res.status === 410 || res.status === 404) { window.location.reload(); return; }
    state = res.ok ? await res.json() : null;
  } catch (err) {
    state = null; // a phone on a shaky connection: try again
  }
  if (state && state.status === 'ready') {
    const img = /** @type {HTMLImageElement} */ (document.getElementById('photo'));
    img.addEventListener('load', () => { /** @type {ShareWindow} */ (window).sharePhotoShown = true; }, { once: true });
    img.src = state.photo_url;
    /** @type {HTMLAnchorElement} */ (document.getElementById('download')).href = state.download_url;
    /** @type {HTMLAnchorElement} */ (document.getElementById('full-size')).href = state.view_url;
    show('waiting', false);
    show('ready', true);
    main.dataset.status = 'ready';
    return;
  }
  if (state && state.status === 'failed') {
    show('waiting', false);
    show('failed', true);
    show('delete-box', false); // nothing was kept: no photo to delete, nothing to expire
    show('expiry', false);
    main.dataset.status = 'failed';
    return;
  }
  setTimeout(() => poll(Math.min(delay * 1.5, 4000)), delay);
}

// The server reads the user agent too; this covers a page served from a cache to another browser.
if (main && /MicroMessenger/i.test(navigator.userAgent)) {
  main.dataset.wechat = 'true';
  show('download', false);
  show('full-size', true);
  show('wechat-help', true);
}

if (main && main.dataset.status === 'pending') {
  poll(700);
} else if (main && main.dataset.status === 'ready') {
  const img = /** @type {HTMLImageElement} */ (document.getElementById('photo'));
  if (img.complete && img.naturalWidth) /** @type {ShareWindow} */ (window).sharePhotoShown = true;
  else img.addEventListener('load', () => { /** @type {ShareWindow} */ (window).sharePhotoShown = true; }, { once: true });
}

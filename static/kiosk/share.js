// The guest's share page: wait for the composition by polling the status JSON, then show the photo.
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
    const img = document.getElementById('photo');
    img.addEventListener('load', () => { window.sharePhotoShown = true; }, { once: true });
    img.src = state.photo_url;
    document.getElementById('download').href = state.download_url;
    show('waiting', false);
    show('ready', true);
    main.dataset.status = 'ready';
    return;
  }
  if (state && state.status === 'failed') {
    show('waiting', false);
    show('failed', true);
    main.dataset.status = 'failed';
    return;
  }
  setTimeout(() => poll(Math.min(delay * 1.5, 4000)), delay);
}

if (main && main.dataset.status === 'pending') {
  poll(700);
} else if (main && main.dataset.status === 'ready') {
  const img = document.getElementById('photo');
  if (img.complete && img.naturalWidth) window.sharePhotoShown = true;
  else img.addEventListener('load', () => { window.sharePhotoShown = true; }, { once: true });
}

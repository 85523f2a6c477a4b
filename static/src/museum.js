// The visitor's museum: a gallery in 3D with its exhibits, panels, doors to the next gallery, guided tours and VR.
// One page serves /, /g/<gallery>, /e/<exhibit> and /t/<tour>/<stop>; the route comes in body[data-route].
import './museum.css';
import { beforeLeaving, beginView, endView, searched, track } from './_analytics.js';
import { getJSON } from './_api.js';
import { announce, buildChrome } from './_chrome.js';
import { h } from './_dom.js';
import { formatBytes, lang, t } from './_i18n.js';
import { FilmPlayer, Panel } from './_panel.js';
import { setSoundPref, soundPref } from './_prefs.js';
import { SoundScape, isPhone } from './_sound.js';
import { TourGuide } from './_tour.js';
import { Viewer } from './_viewer.js';

/** @typedef {import('./_xr.js').XRNavigator} XRNavigator */

performance.mark('museum:boot');
const route = JSON.parse(document.body.dataset.route || '{"view":"home"}');
const TIER_KEY = 'museum.tier';
const hooks = {
  framesRendered: 0, ready: false, roomReady: false, gallery: null, selected: null, panelOpen: false,
  loadedBytes: 0, totalBytes: 0, exhibitsReady: 0, errors: [], walks: 0, tier: null, xr: null, tour: null,
  cpuTimes: [],
};
/** @type {Window & {museum?: typeof hooks}} */ (window).museum = hooks;
window.addEventListener('error', (event) => hooks.errors.push(String(event.message)));

async function vrSupported() {
  try { return Boolean(/** @type {XRNavigator} */ (navigator).xr && await /** @type {XRNavigator} */ (navigator).xr.isSessionSupported('immersive-vr')); } catch { return false; }
}

function chosenTier() {
  try { return localStorage.getItem(TIER_KEY) || null; } catch { return null; }
}

const app = document.getElementById('app');
document.body.classList.add('museum-page');
const canvas = h('canvas#scene', { tabindex: '0', role: 'application', 'aria-label': t('sceneLabel') });
const progress = h('div.progress', { role: 'progressbar', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': '0', 'aria-label': t('loading') },
  h('div.progress-bar', {}, h('span')), h('p.progress-text', {}, t('loading')));
const panelRoot = h('aside#panel.panel', { role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'panel-title', hidden: true });
const tourRoot = h('section#tour.tourbar', { 'aria-label': t('tours'), hidden: true });
const drawer = h('div#drawer.drawer', { role: 'dialog', 'aria-label': t('menu'), hidden: true });
const movePad = h('div.move-pad', { role: 'group' });
const bottom = h('div.bottom-bar');
const welcome = h('div.welcome', { hidden: true });
const main = h('main#main', { tabindex: '-1' }, h('div.stage', {}, canvas, progress, movePad, welcome), bottom, tourRoot, panelRoot, drawer);
app.append(main);

let viewer;
let xr = null;
/** @type {SoundScape | null} */
let sound = null;
const panel = new Panel(panelRoot, {
  onClose: () => { hooks.panelOpen = false; hooks.selected = null; endView('exhibit_view'); },
  onSeeInRoom: async (data) => {
    track('ar_session', { exhibit: data.slug });
    return (await import('./_ar.js')).seeInRoom(viewer, data);
  },
  film: (slug) => filmHooks(slug),
});

/** A film plays in the panel (or, in VR, by itself) and on its screen in the gallery; the time played is counted
 * when it stops. @param {string} slug */
function filmHooks(slug) {
  return {
    small: hooks.tier ? hooks.tier === 'phone'
      : matchMedia('(pointer: coarse)').matches && Math.min(screen.width, screen.height) < 820,
    play: (/** @type {HTMLVideoElement} */ video) => viewer?.playFilm(slug, video),
    stop: () => { viewer?.stopFilm(slug); viewer?.filmCaption(slug, ''); },
    watched: (/** @type {number} */ ms) => track('film_play', { exhibit: slug, dwell_ms: ms,
      gallery: hooks.gallery || undefined, ...(xr?.state.presenting ? { device: 'headset' } : {}) }),
  };
}

/** @type {{slug: string, player: FilmPlayer} | null} the film playing on its screen in VR (no panel there) */
let screenFilm = null;

/** In VR, selecting a film's screen plays it there, with sound and the visitor's captions on the picture; selecting
 * it again pauses it. @param {any} exhibit a manifest entry with `film` */
function toggleScreenFilm(exhibit) {
  if (screenFilm && screenFilm.slug !== exhibit.slug) stopScreenFilm();
  if (!screenFilm) {
    const slug = exhibit.slug;
    const player = new FilmPlayer(exhibit.film, { ...filmHooks(slug), small: false });
    const caption = () => {
      const shown = [...player.video.textTracks].find((track) => track.mode === 'showing');
      const cues = shown?.activeCues ? [...shown.activeCues] : [];
      viewer.filmCaption(slug, cues.map((cue) => /** @type {VTTCue} */ (cue).text).join('\n'));
    };
    for (const track of player.video.textTracks) track.addEventListener('cuechange', caption);
    screenFilm = { slug, player };
  }
  screenFilm.player.toggle();
}

function stopScreenFilm() {
  screenFilm?.player.close();
  screenFilm = null;
}

beforeLeaving(() => { panel.film?.report(); screenFilm?.player.report(); });
window.addEventListener('museum:panel', (/** @type {CustomEvent} */ event) => {
  hooks.panelOpen = true;
  hooks.selected = event.detail.slug;
  beginView('exhibit_view', { exhibit: event.detail.slug, gallery: hooks.gallery || undefined });
});
// On a phone the panel is a sheet over the lower 62 % of the screen (museum.css): keep the exhibit above it.
const sheetScreen = matchMedia('(max-width: 600px)');
const coverWithPanel = () => viewer?.setCoveredBelow(
  sheetScreen.matches && (panel.isOpen || document.getElementById('first-view')) ? 0.62 : 0);
new MutationObserver(coverWithPanel).observe(panelRoot, { attributes: true, attributeFilter: ['hidden'] });
sheetScreen.addEventListener('change', coverWithPanel);
const guide = new TourGuide(tourRoot, {
  goToStop: async (stop) => {
    if (hooks.gallery !== stop.gallery) await openGallery(stop.gallery, { push: false });
    track('tour_step', { tour: guide.state.slug, step: guide.state.index });
    if (stop.viewpoint?.position) viewer.goToViewpoint(stop.viewpoint);
    else if (stop.exhibit) viewer.goToExhibit(stop.exhibit);
    announce(stop.title || '');
  },
  onEnd: () => {
    hooks.tour = null;
    document.body.classList.remove('touring');
    history.replaceState(null, '', `/g/${hooks.gallery}${location.search}`);
  },
});

function setTitle(title) {
  const heading = document.getElementById('page-title');
  if (heading) heading.textContent = title;
  document.title = `${title} · ${t('museum')}`;
}

function chrome() {
  const menuButton = h('button.menu-button', { type: 'button', 'aria-expanded': String(!drawer.hidden), 'aria-controls': 'drawer',
    onclick: () => toggleDrawer() }, h('span', { 'aria-hidden': 'true' }, '☰ '), t('menu'));
  const extra = [menuButton];
  if (xr) {
    extra.unshift(h('button.primary.vr-button', { type: 'button', onclick: () => enterVR() }, t('enterVR')));
  }
  buildChrome(app, { title: hooks.galleryTitle || '', extra, beside: [soundButton()] });
  canvas.setAttribute('aria-label', t('sceneLabel'));
  buildMovePad();
}

// Listening counts in the cockpit (sound_heard, with how long): from when a room's sounds can be heard (sound on,
// the page touched once, the room has sounds) until they stop (sound off, another room; a hidden page ends and
// reopens it in _analytics.js).
let listeningIn = null;
function countListening() {
  const state = sound?.state();
  const room = state && state.on && state.activated && (hooks.manifest?.sounds || []).length ? hooks.gallery : null;
  if (room === listeningIn) return;
  if (listeningIn) endView('sound_heard');
  if (room) beginView('sound_heard', { gallery: room });
  listeningIn = room;
}
for (const name of ['pointerdown', 'keydown', 'touchstart']) {
  addEventListener(name, () => setTimeout(countListening, 0), { capture: true, passive: true });
}

// The rooms' sound, on or off (remembered); its description says what can be heard in this room.
function soundButton() {
  const button = h('button.sound-button', { type: 'button', 'aria-describedby': 'sound-here', onclick: () => {
    if (!sound) return;
    sound.setOn(!sound.on);
    setSoundPref(sound.on);
    countListening();
    announce(t(sound.on ? 'soundOn' : 'soundOff'));
  } }, h('span.sound-icon', { 'aria-hidden': 'true' }), h('span.sound-state', { 'aria-hidden': 'true' }),
  h('span#sound-here.sr-only'));
  showSound(button);
  return button;
}

/** Draw a speaker with sound waves (on) or crossed out (off), in the text's colour (no emoji font needed). */
function speakerIcon(on) {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '1.3em');
  svg.setAttribute('height', '1.3em');
  const path = (d, fill) => {
    const p = document.createElementNS(ns, 'path');
    p.setAttribute('d', d);
    p.setAttribute('fill', fill ? 'currentColor' : 'none');
    p.setAttribute('stroke', 'currentColor');
    p.setAttribute('stroke-width', '2');
    p.setAttribute('stroke-linecap', 'round');
    p.setAttribute('stroke-linejoin', 'round');
    svg.append(p);
  };
  path('M3 9h4l5-4v14l-5-4H3z', true);
  if (on) { path('M15.5 8.5a5 5 0 0 1 0 7', false); path('M18.5 5.5a9 9 0 0 1 0 13', false); }
  else { path('M16 9l6 6', false); path('M22 9l-6 6', false); }
  return svg;
}

/** Show on the sound button whether the sound is on and what can be heard here (kept in place: it keeps focus). */
function showSound(button = /** @type {HTMLElement | null} */ (document.querySelector('.sound-button'))) {
  if (!button) return;
  const on = Boolean(sound?.on);
  const titles = sound?.titles() || [];
  button.setAttribute('aria-pressed', String(on));
  // The name is the words the button shows ("Room sound on"), so a voice-control user can say what they see.
  button.setAttribute('aria-label', t(on ? 'soundOn' : 'soundOff'));
  button.title = t('sound');
  button.querySelector('.sound-icon').replaceChildren(speakerIcon(on));
  button.querySelector('.sound-state').textContent = t(on ? 'soundOn' : 'soundOff');
  button.querySelector('#sound-here').textContent = titles.length
    ? t('soundHere', { titles: titles.join(t('soundSep')) }) : t('soundNone');
}

function buildMovePad() {
  const button = (label, icon, forward, turn) => {
    const b = h('button.pad', { type: 'button', 'aria-label': label, title: label }, h('span', { 'aria-hidden': 'true' }, icon));
    const stop = () => viewer.hold(0, 0);
    b.addEventListener('pointerdown', (e) => { e.preventDefault(); viewer.hold(forward, turn); });
    b.addEventListener('pointerup', stop);
    b.addEventListener('pointerleave', stop);
    b.addEventListener('pointercancel', stop);
    b.addEventListener('click', (e) => { if (e.detail === 0) viewer.nudge(forward, turn); });
    return b;
  };
  movePad.setAttribute('aria-label', t('move'));
  movePad.replaceChildren(button(t('turnLeft'), '↺', 0, -1), button(t('forward'), '▲', 1, 0),
    button(t('back'), '▼', -1, 0), button(t('turnRight'), '↻', 0, 1));
}

function buildBottom(manifest) {
  const list = h('ul.exhibit-list', { id: 'exhibit-list', hidden: true },
    ...manifest.exhibits.map((exhibit) => h('li', {}, h('button.list-item', { type: 'button', onclick: () => {
      list.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
      viewer.goToExhibit(exhibit.slug);
      openExhibit(exhibit.slug);
    } }, exhibit.title))));
  const toggle = h('button.secondary', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'exhibit-list', onclick: () => {
    list.hidden = !list.hidden;
    toggle.setAttribute('aria-expanded', String(!list.hidden));
  } }, `${t('exhibitsHere')} (${manifest.exhibits.length})`);
  const doors = manifest.doors.map((door) => h('button.door-button', { type: 'button', onclick: () => goToGallery(door.to) },
    `${t('nextGallery')} ${door.title} →`));
  bottom.replaceChildren(h('div.bottom-row', {}, toggle, ...doors), list);
}

async function buildDrawer() {
  const [galleries, tours] = await Promise.all([
    getJSON('/api/v1/galleries', { per_page: 100 }).catch(() => ({ items: [] })),
    getJSON('/api/v1/tours', { per_page: 100 }).catch(() => ({ items: [] })),
  ]);
  const results = h('ul.links.search-results', { 'aria-live': 'polite' });
  const input = h('input#search', { type: 'search', placeholder: t('searchPlaceholder'), autocomplete: 'off' });
  let timer = null;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = input.value.trim();
      if (!q) { results.replaceChildren(); return; }
      const found = await getJSON('/api/v1/search', { q }).catch(() => ({ items: [] }));
      searched(q, found.items.length);
      results.replaceChildren(...(found.items.length ? found.items.slice(0, 12).map((item) => h('li', {},
        h('a', { href: item.page_url || item.url || '#' }, item.title))) : [h('li', {}, t('noResults'))]));
    }, 250);
  });
  const tier = chosenTier() || 'auto';
  const quality = h('select#quality', { onchange: (e) => {
    try { if (e.target.value === 'auto') localStorage.removeItem(TIER_KEY); else localStorage.setItem(TIER_KEY, e.target.value); } catch { /* not remembered */ }
    openGallery(hooks.gallery, { push: false });
  } }, ...[['auto', 'Auto'], ['phone', '📱'], ['desktop', '🖥'], ['vr', 'VR']].map(([value, label]) =>
    h('option', { value, selected: value === tier }, label)));
  drawer.replaceChildren(h('div.drawer-inner', {},
    h('button.close', { type: 'button', 'aria-label': t('close'), onclick: () => toggleDrawer(false) }, h('span', { 'aria-hidden': 'true' }, '✕')),
    h('h2', {}, t('galleries')),
    h('ul.links', {}, ...galleries.items.map((g) => h('li', {}, h('a', { href: g.page_url, 'aria-current': g.slug === hooks.gallery ? 'page' : null,
      onclick: (e) => { e.preventDefault(); toggleDrawer(false); goToGallery(g.slug); } }, g.title)))),
    tours.items.length ? h('h2', {}, t('tours')) : null,
    h('ul.links', {}, ...tours.items.map((tour) => h('li', {}, h('a', { href: tour.page_url,
      onclick: (e) => { e.preventDefault(); toggleDrawer(false); startTour(tour.slug, 1); } }, tour.title)))),
    h('h2', {}, h('a', { href: '/timeline' }, t('timeline'))),
    h('h2', {}, h('a', { href: `/help?lang=${lang()}` }, t('help'))),
    h('h2', {}, h('label', { for: 'search' }, t('search'))), input, results,
    h('p.quality', {}, h('label', { for: 'quality' }, 'Quality / 画质 '), quality)));
}

function toggleDrawer(open = drawer.hidden) {
  drawer.hidden = !open;
  document.querySelector('.menu-button')?.setAttribute('aria-expanded', String(open));
  if (open) /** @type {HTMLElement} */ (drawer.querySelector('.close'))?.focus();
  else /** @type {HTMLElement} */ (document.querySelector('.menu-button'))?.focus();
}

function showProgress(loaded, total) {
  hooks.loadedBytes = loaded;
  hooks.totalBytes = total;
  const pct = Math.round((100 * loaded) / Math.max(1, total));
  progress.hidden = false;
  progress.setAttribute('aria-valuenow', String(pct));
  /** @type {HTMLElement} */ (progress.querySelector('.progress-bar span')).style.width = `${pct}%`;
  progress.querySelector('.progress-text').textContent = t('loadedBytes', { a: formatBytes(loaded), b: formatBytes(total) });
}

function fetchManifest(slug) {
  const tier = chosenTier();
  // No headers of its own: the same request as the page's <link rel="preload">, so the preloaded answer is used.
  return getJSON(`/api/v1/galleries/${encodeURIComponent(slug)}/manifest`, tier ? { tier } : {}, { headers: {} });
}
// The manifest of a deep-linked gallery is asked for at once, while three.js sets itself up.
// An exhibit's link carries the exhibit and its galleries: its first gallery's manifest is asked for at once too.
const earlySlug = route.view === 'gallery' ? route.gallery : route.detail?.galleries?.[0]?.slug;
let early = earlySlug ? { slug: earlySlug, manifest: fetchManifest(earlySlug) } : null;

let loading = 0;
async function openGallery(slug, { push = true, spawn = null, focus = null } = {}) {
  const ticket = ++loading;
  hooks.ready = false;
  hooks.roomReady = false;
  hooks.exhibitsReady = 0;
  if (!focus) panel.close();
  stopScreenFilm();
  progress.hidden = false;
  performance.mark(`museum:open:${slug}`);
  let manifest;
  try {
    const pending = early?.slug === slug ? early.manifest : fetchManifest(slug);
    early = null;
    manifest = await pending;
  } catch (error) {
    progress.querySelector('.progress-text').replaceChildren(t('loadFailed'), ' ',
      h('button.secondary', { type: 'button', onclick: () => openGallery(slug, { push }) }, t('retry')));
    hooks.errors.push(String(error));
    return;
  }
  if (ticket !== loading) return;
  performance.mark('museum:manifest');
  hooks.gallery = manifest.gallery.slug;
  hooks.galleryTitle = manifest.gallery.title;
  hooks.tier = manifest.tier;
  hooks.manifest = manifest;
  beginView('gallery_view', { gallery: manifest.gallery.slug });
  if (push && location.pathname !== `/g/${slug}`) history.pushState({ gallery: slug }, '', `/g/${slug}${location.search}`);
  setTitle(manifest.gallery.title);
  buildBottom(manifest);
  showProgress(0, manifest.totals?.bytes || 0);
  firstFrame = false;
  const built = viewer.load(manifest, { onProgress: showProgress, spawn, focus });
  sound?.enter(manifest);  // the visitor stands in the new room now: its sound fades in, the last room's out
  countListening();
  showSound();
  await built;
  if (ticket !== loading) return;
  progress.hidden = true;
  hooks.ready = true;
  performance.mark('museum:loaded');
  // Phones go without reflections: the environment map costs more than it shows on a small screen.
  if (!matchMedia('(pointer: coarse)').matches) setTimeout(() => viewer.addReflections(), 0);
  announce(`${manifest.gallery.title} · ${t('loaded')}`);
  buildDrawer();
}

function goToGallery(slug) {
  if (hooks.tour) guide.end();
  openGallery(slug);
}

function openExhibit(slug, hotspot = null) {
  const summary = viewer.manifest?.exhibits.find((e) => e.slug === slug);
  panel.open(slug, { hotspot, summary });
}

function onSelect(hit) {
  if (hit.kind === 'door') { goToGallery(hit.door.to); return; }
  if (hit.kind !== 'exhibit' && hit.kind !== 'hotspot') return;
  const exhibit = hit.exhibit;
  hooks.selected = exhibit.slug;
  if (xr?.state.presenting) {
    if (hit.kind === 'exhibit' && exhibit.film) { toggleScreenFilm(exhibit); return; }
    const spot = hit.kind === 'hotspot' ? hit.hotspot : null;
    xr.showPanel({ title: spot ? spot.title : exhibit.title, text: spot ? spot.text : (exhibit.summary || exhibit.narration),
      credit: exhibit.label !== exhibit.title ? exhibit.label : '' });
    hooks.panelOpen = true;
    // Seen in the headset: counted like a panel opened on a phone, as the headset's view of the exhibit.
    beginView('exhibit_view', { exhibit: exhibit.slug, gallery: hooks.gallery || undefined, device: 'headset' });
    return;
  }
  openExhibit(exhibit.slug, hit.kind === 'hotspot' ? hit.hotspot.slug : null);
}

async function enterVR() {
  try {
    await xr.enter();
    track('vr_session');
  } catch (error) {
    hooks.errors.push(`VR: ${error}`);
  }
}

async function startTour(slug, n) {
  hooks.tour = guide.state;
  document.body.classList.add('touring');
  await guide.start(slug, n);
}

async function openExhibitRoute(slug) {
  // The page brought the exhibit's texts and shows them (the first view) while the exhibit's own model loads;
  // once the model is drawn the full panel takes over, then the room and the other exhibits follow.
  const given = route.detail?.slug === slug ? route.detail : null;
  const detail = given || await getJSON(`/api/v1/exhibits/${encodeURIComponent(slug)}`).catch(() => null);
  let opened = false;
  const openPanel = () => {
    if (opened) return;
    opened = true;
    if (detail) panel.open(slug, { data: detail }); else openExhibit(slug);
    document.getElementById('first-view')?.remove();
  };
  onFocusDrawn = openPanel;
  const home = detail?.galleries?.[0]?.slug || (await firstGallery());
  if (home) await openGallery(home, { push: false, focus: slug });
  openPanel();
}

async function firstGallery() {
  const list = await getJSON('/api/v1/galleries', { per_page: 1 }).catch(() => ({ items: [] }));
  return list.items[0]?.slug || null;
}

function showWelcome(info) {
  const touch = matchMedia('(pointer: coarse)').matches;
  welcome.hidden = false;
  const start = h('button.primary.big', { type: 'button', onclick: () => { welcome.hidden = true; canvas.focus(); } }, t('start'));
  welcome.replaceChildren(h('div.welcome-card', {},
    h('p.welcome-kicker', {}, t('welcome')),
    h('h2', {}, info?.name || t('museum')),
    info?.tagline ? h('p.lead', {}, info.tagline) : null,
    h('p.hint', {}, touch ? t('hintTouch') : t('hintMouse')),
    start));
  start.focus();
}

let firstFrame = false;
let focusDrawn = null;
let onFocusDrawn = null;
let relabelTicket = 0;
async function relabel() {
  const ticket = ++relabelTicket;
  chrome();
  progress.setAttribute('aria-label', t('loading'));
  tourRoot.setAttribute('aria-label', t('tours'));
  drawer.setAttribute('aria-label', t('menu'));
  if (hooks.gallery) {
    const tier = hooks.tier;
    const manifest = await getJSON(`/api/v1/galleries/${encodeURIComponent(hooks.gallery)}/manifest`, chosenTier() ? { tier } : {});
    if (ticket !== relabelTicket) return;
    viewer.relabel(manifest);
    sound?.relabel(manifest);
    showSound();
    hooks.galleryTitle = manifest.gallery.title;
    setTitle(manifest.gallery.title);
    buildBottom(manifest);
    buildDrawer();
  }
  if (!welcome.hidden) showWelcome(await getJSON('/api/v1').catch(() => null));
  if (panel.isOpen && panel.slug) panel.open(panel.slug);
  await guide.relabel();
  hooks.lang = lang();
}

async function boot() {
  hooks.lang = lang();
  viewer = new Viewer(canvas, {
    frame: (ms) => {
      hooks.framesRendered++;
      if (!firstFrame && viewer.manifest) {
        firstFrame = true;
        performance.mark('museum:first-frame');
      }
      if (focusDrawn) {  // the first frame that shows the exhibit a link opened
        hooks.focused = focusDrawn;
        focusDrawn = null;
        performance.mark('museum:exhibit-3d');
        onFocusDrawn?.();
        onFocusDrawn = null;
      }
      hooks.lastFrameMs = ms;
      hooks.cpuTimes.push(ms);
      if (hooks.cpuTimes.length > 600) hooks.cpuTimes.shift();
    },
    roomReady: () => { hooks.roomReady = true; performance.mark('museum:room'); },
    exhibitReady: () => { hooks.exhibitsReady++; },
    focusReady: (exhibit) => { focusDrawn = exhibit.slug; },
    walked: () => { hooks.walks++; },
  });
  viewer.onSelect = onSelect;
  // Off by default on a phone (in a bus, a waiting room); on elsewhere, from the visitor's first tap or key.
  sound = new SoundScape(viewer, { on: soundPref(!isPhone()), changed: () => showSound() });
  hooks.sound = { levels: () => sound.levels(), state: () => sound.state(), titles: () => sound.titles() };
  coverWithPanel();
  hooks.viewer = viewer;
  performance.mark('museum:viewer');
  hooks.snapshot = () => viewer.snapshot();
  hooks.exhibitScreen = (slug) => {
    const holder = viewer.pickables.find((p) => p.userData.exhibit?.slug === slug);
    return holder ? viewer.screenPosition(holder) : null;
  };
  hooks.exhibitCentre = (slug) => {
    const holder = viewer.pickables.find((p) => p.userData.exhibit?.slug === slug);
    const box = holder?.children.find((c) => c.userData.pickBox);
    if (!box) return null;
    const p = box.getWorldPosition(box.position.clone());
    return [p.x, p.y, p.z];
  };
  // What a visitor sees of an exhibit (tests): its model's rectangle on the screen, its hotspots', its label plate.
  hooks.exhibitRect = (slug) => {
    const box = viewer.exhibitBox(slug);
    return box ? viewer.screenRect(box) : null;
  };
  hooks.hotspotRects = (slug) => viewer.hotspotRects(slug);
  // A film exhibit's screen (tests): what its picture shows, and whether the play glyph is on it.
  hooks.filmScreen = (slug) => {
    const screen = viewer._screen(slug);
    if (!screen) return null;
    const map = screen.userData.picture.material.map;
    return { video: Boolean(map?.isVideoTexture), poster: Boolean(map) && map === screen.userData.poster,
      glyph: screen.userData.glyph.visible, srgb: map?.colorSpace === 'srgb', version: map?.version ?? 0,
      caption: screen.userData.caption?.visible ? screen.userData.caption.userData.text : '' };
  };
  // The film playing on its screen in VR (tests): which, and how far.
  hooks.screenFilm = () => (screenFilm ? { slug: screenFilm.slug, playing: screenFilm.player.playing,
    time: screenFilm.player.video.currentTime, muted: screenFilm.player.video.muted } : null);
  hooks.plates = () => viewer.plates.map((p) => ({ slug: p.userData.exhibit.slug, text: p.userData.text,
    canvas: p.material.map?.image ? [p.material.map.image.width, p.material.map.image.height] : null }));
  hooks.closePanel = () => {
    panel.close();
    xr?.closePanel();
    hooks.panelOpen = false;
    hooks.selected = null;
  };
  hooks.position = () => [viewer.rig.position.x, viewer.rig.position.z, viewer.rig.rotation.y];
  hooks.openExhibit = openExhibit;
  hooks.openGallery = (slug) => openGallery(slug, { push: false });
  hooks.setTourSeconds = (s) => { guide.secondsOverride = s; };
  if (await vrSupported()) {
    const module = await import('./_xr.js');
    xr = new module.XRSupport(viewer, { onSelect, onPanelClosed: () => endView('exhibit_view'), hint: t('vrClose') });
    hooks.xr = xr.state;
    hooks.enterVR = enterVR;
  }
  chrome();
  window.addEventListener('museum:lang', relabel);
  window.addEventListener('museum:xr', (/** @type {CustomEvent} */ event) => {
    document.body.classList.toggle('in-vr', event.detail);
    if (!event.detail) {
      stopScreenFilm();
      hooks.panelOpen = panel.isOpen;
    }
  });
  window.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !drawer.hidden) toggleDrawer(false);
  });
  window.addEventListener('popstate', () => {
    const match = /^\/g\/([^/]+)/.exec(location.pathname);
    if (match) openGallery(decodeURIComponent(match[1]), { push: false });
  });
  if (route.view === 'gallery') await openGallery(route.gallery, { push: false });
  else if (route.view === 'exhibit') await openExhibitRoute(route.exhibit);
  else if (route.view === 'tour') await startTour(route.tour, route.stop || 1);
  else {
    const [info, slug] = await Promise.all([getJSON('/api/v1').catch(() => null), firstGallery()]);
    showWelcome(info);
    if (slug) await openGallery(slug, { push: false });
  }
}

boot().catch((error) => {
  hooks.errors.push(String(error));
  console.error(error);
});

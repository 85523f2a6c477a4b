// The inquiry kiosk: a standing touch screen at the exhibition centre. An attract loop of the galleries until
// someone touches it; then large buttons for the galleries, the exhibits, the timeline and search (with an
// on-screen keyboard for Chinese and English), a QR code on every view that hands the visit to the visitor's
// phone, and back to the loop when nobody touches it for a while. A service worker (inquiry_sw.js) keeps what the
// screen fetched, so it goes on working from its cache when the network drops.
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { beginView, endView, flush, searched } from './_analytics.js';
import { getJSON } from './_api.js';
import { h } from './_dom.js';
import { LANGS, addTexts, lang, setLang, t } from './_i18n.js';
import { captionLang, qrImage } from './_panel.js';
import './inquiry.css';

const params = new URLSearchParams(window.location.search);
const SLIDE_MS = Number(params.get('slide')) || 7000;
const TOKEN_KEY = 'museum.inquiryToken';
const PENDING_KEY = 'museum.inquirySessions';
const FIRST_LANG = 'zh-Hans';
const $ = (id) => document.getElementById(id);
const main = $('inquiry');

// The kiosk's own texts, in the museum's three languages (zh-Hans, zh-Hant, en).
const TX = {
  touch: ['轻触屏幕，开始了解医院历史', '輕觸螢幕，開始了解醫院歷史', 'Touch the screen to explore the hospital\'s history'],
  home: ['首页', '首頁', 'Home'],
  back: ['返回', '返回', 'Back'],
  welcome: ['欢迎使用互动查询', '歡迎使用互動查詢', 'Welcome to the inquiry kiosk'],
  galleries: ['展厅', '展廳', 'Galleries'],
  exhibits: ['展品', '展品', 'Exhibits'],
  timeline: ['院史时间轴', '院史時間軸', 'Timeline'],
  search: ['搜索', '搜尋', 'Search'],
  galleriesNote: ['走进三维展厅', '走進三維展廳', 'Step into the 3D galleries'],
  exhibitsNote: ['浏览全部展品', '瀏覽全部展品', 'Browse every exhibit'],
  timelineNote: ['医院发展的重要时刻', '醫院發展的重要時刻', 'Moments in the hospital\'s history'],
  searchNote: ['用屏幕键盘查找', '用螢幕鍵盤查找', 'Find with the on-screen keyboard'],
  exhibitsHere: ['本厅展品', '本廳展品', 'Exhibits in this gallery'],
  inGallery: ['所在展厅', '所在展廳', 'In the gallery'],
  related: ['相关展品', '相關展品', 'Exhibits'],
  handoff: ['用手机扫码，继续参观', '用手機掃碼，繼續參觀', 'Scan with your phone to continue there'],
  offline: ['网络已断开：正在使用本机保存的内容', '網絡已斷開：正在使用本機保存的內容',
    'Offline: showing what this screen has saved'],
  noResults: ['没有找到，请换个词试试', '沒有找到，請換個詞試試', 'Nothing found - try another word'],
  typeHere: ['点下面的字或词来输入', '點下面的字或詞來輸入', 'Tap the keys below to type'],
  suggestions: ['推荐词', '推薦詞', 'Suggestions'],
  keysZh: ['中文', '中文', '中文'],
  keysEn: ['ABC', 'ABC', 'ABC'],
  clear: ['清空', '清空', 'Clear'],
  space: ['空格', '空格', 'Space'],
  erase: ['删除', '刪除', 'Delete'],
  unavailable: ['此内容暂时无法显示', '此內容暫時無法顯示', 'This cannot be shown right now'],
  noModel: ['此展厅暂无三维模型', '此展廳暫無三維模型', 'No 3D model for this gallery yet'],
  tokenRefused: ['设备令牌被拒绝：', '設備令牌被拒絕：', 'The device token was refused: '],
  notToken: ['这不是设备令牌（应以 kio_ 开头）。', '這不是設備令牌（應以 kio_ 開頭）。', 'This is not a device token (it starts with kio_).'],
  staffQr: ['工作人员：访客的手机可能打不开这个二维码。', '工作人員：訪客的手機可能打不開這個二維碼。',
    'For staff: visitors\' phones may not open this QR code.'],
  startFailed: ['查询终端无法启动：', '查詢終端無法啟動：', 'The kiosk could not start: '],
};
// Kept among the museum's texts under `inquiry.` (so no key of the shared texts is taken over).
addTexts(Object.fromEntries(Object.entries(TX).map(([key, row]) => [`inquiry.${key}`, row])));
const tx = (key, vars = {}) => t(`inquiry.${key}`, vars);

const EN_ROWS = ['QWERTYUIOP', 'ASDFGHJKL', 'ZXCVBNM'];

const kiosk = {
  config: null, idleMs: 90000, lastTouch: performance.now(), sessionStart: null, view: null, stack: [],
  data: new Map(), galleries: [], exhibits: [], slides: [], slide: 0, warm: 'no', offline: !navigator.onLine,
  frames: 0, sceneShown: null, timings: [], keyboard: null, query: '', keys: 'zh', searchSeq: 0,
};
/** @type {Window & {inquiry?: typeof kiosk}} */ (window).inquiry = kiosk;

function show(id) {
  if (id !== 'attract') stopLoop();
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.screen'))) el.hidden = el.id !== id;
  main.dataset.state = id;
}

function authHeaders() {
  return { Accept: 'application/json', Authorization: `Bearer ${localStorage.getItem(TOKEN_KEY)}` };
}

// --- data: every answer kept in memory too, so a view that was warmed opens without waiting ----------------

function apiKey(path, extra = {}) {
  return `${lang()}|${path}|${JSON.stringify(extra)}`;
}

async function api(path, extra = {}) {
  const key = apiKey(path, extra);
  if (kiosk.data.has(key)) return kiosk.data.get(key);
  const body = await getJSON(path, extra);
  kiosk.data.set(key, body);
  return body;
}

// --- set-up: a device token of the kind "inquiry" -----------------------------------------------------------

function setupError(message) {
  const el = $('setup-error');
  el.textContent = message;
  el.hidden = !message;
}

$('setup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = /** @type {HTMLInputElement} */ ($('device-token')).value.trim();
  if (!token.startsWith('kio_')) {
    setupError(TX.notToken.join(' '));
    return;
  }
  localStorage.setItem(TOKEN_KEY, token);
  setupError('');
  begin();
});

async function loadConfig() {
  const response = await fetch('/api/v1/inquiry/config', { headers: authHeaders() });
  const body = await response.json().catch(() => ({}));
  if (response.status === 401 || response.status === 403) {
    localStorage.removeItem(TOKEN_KEY);
    const reason = body.error ? body.error.message : `HTTP ${response.status}`;
    setupError(`${TX.tokenRefused[0]}${reason}\n${TX.tokenRefused[2]}${reason}`);
    show('setup');
    return null;
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return body;
}

// --- the attract loop ---------------------------------------------------------------------------------------

const TINTS = { warm: ['#6b3f1f', '#2a1a10'], cool: ['#1f4a6b', '#0e1c2a'], neutral: ['#40463f', '#1a1c19'] };
// A film moves the loop on when it ends, or after its length and a moment to start (a stalled film must not hold
// the screen), and never after more than FILM_MAX_MS: a long film gives its first minute to the loop.
const FILM_MAX_MS = 60000;
const FILM_START_MS = 4000;
const loop = { timer: 0, video: /** @type {HTMLVideoElement | null} */ (null) };
/** @type {WeakMap<HTMLElement, any>} the film (as the kiosk's settings give it) of each film slide */
const filmOf = new WeakMap();

/** Interleave the still slides and the films: galleries and films in turn, then the exhibits' posters. */
function loopItems() {
  const films = (kiosk.config && kiosk.config.films) || [];
  const withFilm = new Set(films.map((f) => f.exhibit));
  const exhibit = (slug) => kiosk.exhibits.find((e) => e.slug === slug) || {};
  const galleries = kiosk.galleries.map((g) => ({ kind: 'gallery', slug: g.slug, title: g.title, summary: g.summary,
    poster: g.poster_url, tint: TINTS[g.lighting] || TINTS.neutral }));
  const filmItems = films.filter((f) => f.sources.length).map((f) => ({ kind: 'film', slug: f.exhibit,
    title: exhibit(f.exhibit).title || '', summary: exhibit(f.exhibit).summary, poster: f.poster_url,
    tint: TINTS.neutral, film: f }));
  const exhibits = kiosk.exhibits.filter((e) => e.poster_url && !withFilm.has(e.slug)).slice(0, 8)
    .map((e) => ({ kind: 'exhibit', slug: e.slug, title: e.title, summary: e.summary, poster: e.poster_url,
      tint: TINTS.neutral }));
  const turns = [];
  for (let i = 0; i < Math.max(galleries.length, filmItems.length); i += 1) {
    if (i < galleries.length) turns.push(galleries[i]);
    if (i < filmItems.length) turns.push(filmItems[i]);
  }
  return [...turns, ...exhibits];
}

function buildSlides() {
  stopLoop();
  const box = $('slides');
  box.replaceChildren();
  kiosk.slides = loopItems().map((item) => {
    const art = item.poster ? h('img.slide-art', { src: item.poster, alt: '' }) : h('div.slide-art.plain');
    const slide = h(item.film ? 'article.slide.film-slide' : 'article.slide',
      { 'data-kind': item.kind, 'data-slug': item.slug }, art,
      h('div.slide-text', {}, h('h2', {}, item.title), h('p', {}, item.summary || '')));
    slide.style.setProperty('--tint-a', item.tint[0]);
    slide.style.setProperty('--tint-b', item.tint[1]);
    if (item.film) filmOf.set(slide, item.film);
    box.append(slide);
    return slide;
  });
  kiosk.slide = 0;
  showSlide();
}

function showSlide() {
  stopLoop();
  kiosk.slides.forEach((el, i) => el.classList.toggle('on', i === kiosk.slide));
  const slide = kiosk.slides[kiosk.slide];
  main.dataset.slide = slide ? slide.dataset.slug : '';
  main.dataset.slideKind = slide ? slide.dataset.kind : '';
  if (!slide || main.dataset.state !== 'attract') return;
  if (filmOf.has(slide)) playFilm(slide, filmOf.get(slide));
  else if (kiosk.slides.length > 1) loop.timer = window.setTimeout(nextSlide, SLIDE_MS);
}

function nextSlide() {
  if (main.dataset.state !== 'attract' || !kiosk.slides.length) return;
  kiosk.slide = (kiosk.slide + 1) % kiosk.slides.length;
  showSlide();
}

// A film in the loop plays without sound, always: a standing screen in a hall is never heard until someone asks,
// so muted it may also start by itself. It fills the screen with its captions in the kiosk's first language.
function playFilm(slide, film) {
  const source = film.sources.find((s) => s.size === 'large') || film.sources[film.sources.length - 1];
  const shown = captionLang(film.captions.map((c) => c.lang), FIRST_LANG);
  const wide = film.width && film.height ? film.width / film.height : 16 / 9;
  const video = h('video.slide-film', { muted: true, defaultMuted: true, playsinline: true, autoplay: true,
    preload: 'auto', disablePictureInPicture: true, disableRemotePlayback: true, 'aria-hidden': 'true' },
  ...film.captions.filter((c) => c.lang === shown).map((c) => h('track', { kind: 'captions', srclang: c.lang,
    src: c.url, default: true })));
  // Cover the screen when the film is near its shape; a portrait or very wide film is shown whole instead.
  video.classList.toggle('whole', Math.abs(wide - innerWidth / innerHeight) > 0.45);
  video.volume = 0;
  video.src = source.url;
  const track = video.textTracks[0];
  if (track) {
    track.mode = 'showing';
    // Captions sit a few lines up, clear of the touch hint along the bottom (a film's own placement is kept).
    video.querySelector('track').addEventListener('load', () => {
      for (const cue of /** @type {any} */ (track.cues) || []) if (cue.line === 'auto') cue.line = -3;
    });
  }
  video.addEventListener('playing', () => slide.classList.add('playing'));
  const next = () => { if (loop.video === video) nextSlide(); };
  video.addEventListener('ended', next);
  video.addEventListener('error', () => { loop.timer = window.setTimeout(next, SLIDE_MS); });
  slide.append(video);
  loop.video = video;
  const length = film.seconds > 0 ? film.seconds * 1000 + FILM_START_MS : FILM_MAX_MS;
  loop.timer = window.setTimeout(next, Math.min(length, FILM_MAX_MS));
  video.play().catch(() => null); // refused or unloaded: the timer moves on
}

/** Stop the loop: no timer, and the film stopped and unloaded (nothing plays behind the app). */
function stopLoop() {
  clearTimeout(loop.timer);
  const video = loop.video;
  loop.video = null;
  if (!video) return;
  video.parentElement?.classList.remove('playing');
  video.pause();
  video.removeAttribute('src');
  video.load(); // lets go of the decoder and the connection
  video.remove();
}

const VIEW_EVENTS = { gallery: 'gallery_view', exhibit: 'exhibit_view', timeline: 'timeline_view' };

// What a visitor looks at on the screen counts in the cockpit like the same view on a phone, as a kiosk device.
function countView(view) {
  for (const [name, type] of Object.entries(VIEW_EVENTS)) {
    if (view && view.name === name) beginView(type, name === 'timeline' ? {} : { [name]: view.slug });
    else endView(type);
  }
}

function attract() {
  countView(null);
  flush();
  endSession();
  stopScene();
  refreshIfStale();
  if (lang() !== FIRST_LANG) setLang(FIRST_LANG);
  $('touch-hint').textContent = `${TX.touch[0]} · ${TX.touch[2]}`;
  kiosk.stack = [];
  kiosk.view = null;
  show('attract');
  showSlide(); // the loop goes on where it was (a film from its start)
}

$('attract').addEventListener('pointerdown', (event) => {
  event.preventDefault();
  kiosk.sessionStart = performance.now();
  kiosk.lastTouch = kiosk.sessionStart;
  show('app');
  go({ name: 'home' }, false);
});

// --- sessions for the cockpit: sent with the device token, kept until sent when the network is down ---------

function endSession() {
  if (kiosk.sessionStart == null) return;
  const duration = Math.max(0, Math.round(kiosk.lastTouch - kiosk.sessionStart));
  kiosk.sessionStart = null;
  let pending = [];
  try { pending = JSON.parse(localStorage.getItem(PENDING_KEY) || '[]'); } catch { pending = []; }
  pending.push({ duration_ms: Math.min(duration, 86400000), lang: lang() });
  localStorage.setItem(PENDING_KEY, JSON.stringify(pending.slice(-200)));
  sendSessions();
}

async function sendSessions() {
  let pending;
  try { pending = JSON.parse(localStorage.getItem(PENDING_KEY) || '[]'); } catch { pending = []; }
  while (pending.length) {
    try {
      const response = await fetch('/api/v1/inquiry/sessions', {
        method: 'POST', body: JSON.stringify(pending[0]),
        headers: { ...authHeaders(), 'Content-Type': 'application/json' },
      });
      if (response.status >= 500) return; // try again later
    } catch {
      return; // offline: kept for later
    }
    pending.shift(); // sent, or refused for good (a 4xx would be refused again)
    localStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  }
  kiosk.sessionsSent = (kiosk.sessionsSent || 0) + 1;
}

// --- idle reset ---------------------------------------------------------------------------------------------

for (const kind of ['pointerdown', 'keydown']) {
  window.addEventListener(kind, () => { kiosk.lastTouch = performance.now(); }, { capture: true });
}
setInterval(() => {
  if (main.dataset.state === 'app' && performance.now() - kiosk.lastTouch > kiosk.idleMs) attract();
}, 250);
document.addEventListener('contextmenu', (event) => event.preventDefault());

// --- the frame of every view: bar, language switch, the QR code to the phone -------------------------------

function buildBar() {
  $('nav-home').textContent = `⌂ ${tx('home')}`;
  $('nav-back').textContent = `‹ ${tx('back')}`;
  $('langs').replaceChildren(...LANGS.map((l) => h('button.lang', {
    type: 'button', lang: l.code, 'aria-pressed': String(l.code === lang()),
    onclick: () => { if (l.code !== lang()) setLang(l.code); },
  }, l.short)));
  $('offline-note').textContent = tx('offline');
  $('offline-note').hidden = !kiosk.offline;
}
$('nav-home').addEventListener('click', () => go({ name: 'home' }, false));
$('nav-back').addEventListener('click', () => {
  const previous = kiosk.stack.pop();
  go(previous || { name: 'home' }, false);
});
window.addEventListener('museum:lang', () => { if (kiosk.view) go(kiosk.view, false, true); });

/** The visitor's address of a view, on the museum's public origin, in the screen's language. */
function visitorUrl(view) {
  const base = (kiosk.config && kiosk.config.public_url) || location.origin;
  const paths = { gallery: `/g/${view.slug}`, exhibit: `/e/${view.slug}`, timeline: '/timeline' };
  const path = paths[view.name] || '/';
  return `${base}${path}?lang=${lang()}`;
}

function handoff(view) {
  const url = visitorUrl(view);
  const img = qrImage(url, tx('handoff'));
  img.id = 'handoff-qr';
  img.dataset.url = url;
  $('qr-box').replaceChildren(img);
  $('handoff-text').textContent = tx('handoff');
  $('handoff-url').textContent = url.replace(/^https?:\/\//, '');
  // An address phones cannot reach (MUSEUM_BASE_URL unset or local) is said on screen, for the staff to fix.
  const problem = kiosk.config && kiosk.config.public_url_problem;
  $('staff-note').hidden = !problem;
  $('staff-note').textContent = problem ? `${tx('staffQr')} ${problem}` : '';
}

// --- views --------------------------------------------------------------------------------------------------

const VIEWS = { home: homeView, galleries: galleriesView, gallery: galleryView, exhibits: exhibitsView,
  exhibit: exhibitView, timeline: timelineView, search: searchView };

async function go(view, push = true, same = false) {
  if (push && kiosk.view && !same) kiosk.stack.push(kiosk.view);
  if (!push && view.name === 'home') kiosk.stack = [];
  kiosk.view = view;
  if (!same) countView(view);
  if (view.name !== 'gallery') stopScene();
  buildBar();
  handoff(view);
  main.dataset.view = view.name;
  main.dataset.slug = view.slug || '';
  const box = $('view');
  box.dataset.ready = 'no';
  const seq = (kiosk.seq = (kiosk.seq || 0) + 1);
  try {
    const content = await VIEWS[view.name](view);
    if (seq !== kiosk.seq) return;
    box.replaceChildren(...[content].flat());
    if (view.name === 'search') drawKeyboard();
  } catch (err) {
    if (seq !== kiosk.seq) return;
    $('view-title').textContent = tx('unavailable');
    box.replaceChildren(h('p.error', { role: 'alert' }, `${tx('unavailable')} (${err.message})`));
  }
  box.dataset.ready = 'yes';
  box.scrollTop = 0;
  // From the touch that asked for the view to the frame that shows it (the tests' and the bench's figure).
  const tappedAt = kiosk.lastTouch;
  requestAnimationFrame(() => kiosk.timings.push({ view: view.name, slug: view.slug, tappedAt,
    shownAt: performance.now() }));
}

function title(text) { $('view-title').textContent = text; }

function bigButton(spec, label, note, onclick) {
  return h(`button.big-button${spec}`, { type: 'button', onclick }, h('span.label', {}, label),
    note ? h('span.note', {}, note) : null);
}

async function homeView() {
  const info = await api('/api/v1').catch(() => ({}));
  title(info.name || tx('welcome'));
  return h('div.home', {},
    bigButton('#go-galleries', tx('galleries'), tx('galleriesNote'), () => go({ name: 'galleries' })),
    bigButton('#go-exhibits', tx('exhibits'), tx('exhibitsNote'), () => go({ name: 'exhibits' })),
    bigButton('#go-timeline', tx('timeline'), tx('timelineNote'), () => go({ name: 'timeline' })),
    bigButton('#go-search', tx('search'), tx('searchNote'), () => go({ name: 'search' })));
}

function card(item, onclick, kind) {
  const art = item.poster_url ? h('img', { src: item.poster_url, alt: '', loading: 'lazy' }) : h('div.art-plain');
  return h('button.card', { type: 'button', onclick, 'data-kind': kind, 'data-slug': item.slug }, art,
    h('span.card-title', {}, item.title), item.summary ? h('span.card-note', {}, item.summary) : null);
}

async function galleriesView() {
  title(tx('galleries'));
  const list = await api('/api/v1/galleries', { per_page: 100 });
  return h('div.cards.large', {}, list.items.map((g) => card(g, () => go({ name: 'gallery', slug: g.slug }),
    'gallery')));
}

async function exhibitsView() {
  title(tx('exhibits'));
  const list = await api('/api/v1/exhibits', { per_page: 100 });
  return h('div.cards', {}, list.items.map((e) => card(e, () => go({ name: 'exhibit', slug: e.slug }), 'exhibit')));
}

async function galleryView(view) {
  const g = await api(`/api/v1/galleries/${view.slug}`);
  title(g.title);
  const stage = h('div.stage#stage', {}, g.poster_url ? h('img.stage-poster', { src: g.poster_url, alt: '' }) : null,
    h('p.stage-note#stage-note', {}, ''));
  showScene(view.slug, stage);
  return h('div.gallery', {}, stage,
    h('div.side', {}, h('p.lead', {}, g.summary || ''), h('h2', {}, tx('exhibitsHere')),
      h('div.cards.small', {}, g.exhibits.map((e) => card(e, () => go({ name: 'exhibit', slug: e.slug }),
        'exhibit')))));
}

async function exhibitView(view) {
  const list = await api('/api/v1/exhibits', { per_page: 100 }).catch(() => ({ items: [] }));
  let e = list.items.find((x) => x.slug === view.slug);
  try { e = await api(`/api/v1/exhibits/${view.slug}`); } catch (err) { if (!e) throw err; }
  title(e.title);
  const galleries = e.galleries || [];
  return h('div.exhibit', {},
    e.poster_url ? h('img.exhibit-poster', { src: e.poster_url, alt: '' }) : h('div.art-plain.exhibit-poster'),
    h('div.side', {}, h('p.lead', {}, e.summary || ''),
      ...String(e.body || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => h('p', {}, p.trim())),
      galleries.length ? h('h2', {}, tx('inGallery')) : null,
      ...galleries.map((g) => bigButton('.inline', g.title, '', () => go({ name: 'gallery', slug: g.slug })))));
}

async function timelineView() {
  title(tx('timeline'));
  const data = await api('/api/v1/timeline');
  return h('div.timeline', {}, data.eras.map((era) => h('section.era', {},
    h('h2', {}, `${era.title} · ${era.start_year}${era.end_year ? `–${era.end_year}` : '–'}`),
    ...data.events.filter((ev) => ev.era === era.slug).map((ev) => h('article.event', { id: `event-${ev.slug}` },
      h('span.year', {}, String(ev.year)), h('div', {}, h('h3', {}, ev.title), h('p', {}, ev.body || ''),
        ...ev.exhibits.map((x) => bigButton('.inline', x.title, '', () => go({ name: 'exhibit', slug: x.slug })))))))));
}

// --- search with the on-screen keyboard ---------------------------------------------------------------------

async function searchView() {
  title(tx('search'));
  kiosk.query = '';
  kiosk.keys = lang() === 'en' ? 'en' : 'zh';
  kiosk.keyboard = await api('/api/v1/inquiry/keyboard').catch(() => ({ characters: [], terms: [] }));
  const box = h('div.search', {},
    h('div.query-row', {}, h('output#query', { 'aria-live': 'polite' }, ''),
      h('span.placeholder#query-hint', {}, tx('typeHere'))),
    h('div#suggestions.suggestions', { 'aria-label': tx('suggestions') }),
    h('div#keyboard.keyboard'),
    h('div#results.results', { 'aria-live': 'polite' }));
  return box;
}

function typed(text) {
  kiosk.query = text.slice(0, 40);
  $('query').textContent = kiosk.query;
  $('query-hint').hidden = Boolean(kiosk.query);
  drawKeyboard();
  runSearch();
}

function keyButton(label, onclick, spec = '') {
  return h(`button.key${spec}`, { type: 'button', onclick, 'data-key': label }, label);
}

// Chinese keys: after a typed character, the characters that follow it in some title; otherwise the
// characters the titles use most. No pinyin and no strokes: everything offered leads to something.
function chineseKeys() {
  const { characters = [], terms = [] } = kiosk.keyboard || {};
  const q = kiosk.query;
  if (!q) return characters;
  const next = [];
  for (const term of terms) {
    let at = term.indexOf(q);
    while (at >= 0) {
      const ch = term[at + q.length];
      if (ch && /\p{Script=Han}/u.test(ch) && !next.includes(ch)) next.push(ch);
      at = term.indexOf(q, at + 1);
    }
  }
  return [...next, ...characters.filter((ch) => !next.includes(ch))].slice(0, 60);
}

function drawKeyboard() {
  const board = $('keyboard');
  if (!board) return;
  const modes = h('div.key-row.modes', {},
    keyButton(tx('keysZh'), () => { kiosk.keys = 'zh'; drawKeyboard(); }, kiosk.keys === 'zh' ? '.mode.on' : '.mode'),
    keyButton(tx('keysEn'), () => { kiosk.keys = 'en'; drawKeyboard(); }, kiosk.keys === 'en' ? '.mode.on' : '.mode'),
    keyButton(tx('space'), () => typed(`${kiosk.query} `), '.wide'),
    keyButton(tx('erase'), () => typed([...kiosk.query].slice(0, -1).join('')), '.wide#key-erase'),
    keyButton(tx('clear'), () => typed(''), '.wide#key-clear'));
  let rows;
  if (kiosk.keys === 'en') {
    rows = EN_ROWS.map((row) => h('div.key-row', {}, [...row].map((ch) => keyButton(ch, () => typed(kiosk.query + ch.toLowerCase())))));
    rows.push(h('div.key-row', {}, [...'0123456789'].map((ch) => keyButton(ch, () => typed(kiosk.query + ch)))));
  } else {
    rows = [h('div.key-grid', {}, chineseKeys().map((ch) => keyButton(ch, () => typed(kiosk.query + ch), '.han')))];
  }
  board.replaceChildren(modes, ...rows);
  const q = kiosk.query.trim().toLowerCase();
  const terms = (kiosk.keyboard && kiosk.keyboard.terms) || [];
  const found = q ? terms.filter((term) => term.toLowerCase().includes(q) && term.toLowerCase() !== q) : [];
  $('suggestions').replaceChildren(...found.slice(0, 8).map((term) => h('button.suggestion', {
    type: 'button', onclick: () => typed(term) }, term)));
}

let searchTimer = null;
function runSearch() {
  clearTimeout(searchTimer);
  const q = kiosk.query.trim();
  const results = $('results');
  if (!q) { results.replaceChildren(); results.dataset.query = ''; return; }
  searchTimer = setTimeout(async () => {
    const seq = (kiosk.searchSeq += 1);
    let items = [];
    try {
      items = (await getJSON('/api/v1/search', { q, limit: 24 })).items.filter((x) => x.type !== 'tour');
    } catch {
      items = offlineSearch(q);
    }
    if (seq !== kiosk.searchSeq || !$('results')) return;
    searched(q, items.length);
    results.dataset.query = q;
    results.replaceChildren(...(items.length ? items.map((item) => h('button.result', {
      type: 'button', 'data-type': item.type, 'data-slug': item.slug,
      onclick: () => {
        if (item.type === 'exhibit') go({ name: 'exhibit', slug: item.slug });
        else if (item.type === 'gallery') go({ name: 'gallery', slug: item.slug });
        else go({ name: 'timeline' });
      },
    }, h('span.result-title', {}, item.title), h('span.result-note', {}, item.summary || ''))) :
      [h('p.none', {}, tx('noResults'))]));
  }, 200);
}

// Without the network the search API cannot answer: look through the titles this screen has kept.
function offlineSearch(q) {
  const needle = q.toLowerCase();
  const hit = (x) => `${x.title} ${x.summary || ''}`.toLowerCase().includes(needle);
  const exhibits = (kiosk.data.get(apiKey('/api/v1/exhibits', { per_page: 100 })) || { items: [] }).items;
  const galleries = (kiosk.data.get(apiKey('/api/v1/galleries', { per_page: 100 })) || { items: [] }).items;
  return [...exhibits.filter(hit).map((x) => ({ ...x, type: 'exhibit' })),
    ...galleries.filter(hit).map((x) => ({ ...x, type: 'gallery' }))];
}

// --- the gallery in 3D: the museum's whole-gallery GLB, turning slowly, dragged to look around --------------

const three = { renderer: null, scene: null, camera: null, loader: null, models: new Map(), current: null,
  yaw: 0, drag: null, running: false, slug: null };

function ensureRenderer() {
  if (three.renderer) return;
  const canvas = h('canvas#scene-canvas');
  three.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, powerPreference: 'high-performance' });
  three.renderer.setPixelRatio(1);
  three.scene = new THREE.Scene();
  three.scene.background = new THREE.Color(0x0b0a09);
  three.scene.add(new THREE.HemisphereLight(0xffffff, 0x443322, 2.0));
  const sun = new THREE.DirectionalLight(0xffffff, 1.6);
  sun.position.set(2, 6, 3);
  three.scene.add(sun);
  three.camera = new THREE.PerspectiveCamera(70, 16 / 9, 0.05, 200);
  three.loader = new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
  canvas.addEventListener('pointerdown', (event) => {
    three.drag = { x: event.clientX, yaw: three.yaw };
    canvas.setPointerCapture(event.pointerId);
  });
  canvas.addEventListener('pointermove', (event) => {
    if (three.drag) three.yaw = three.drag.yaw - (event.clientX - three.drag.x) * 0.005;
  });
  for (const kind of ['pointerup', 'pointercancel']) canvas.addEventListener(kind, () => { three.drag = null; });
}

function sceneUrl(slug) { return ((kiosk.config && kiosk.config.scenes) || {})[slug] || null; }

async function loadModel(slug) {
  if (three.models.has(slug)) return three.models.get(slug);
  const url = sceneUrl(slug);
  if (!url) throw new Error('no room model');
  const promise = three.loader.loadAsync(url).then((gltf) => {
    const root = gltf.scene;
    const box = new THREE.Box3().setFromObject(root);
    const centre = box.getCenter(new THREE.Vector3());
    const size = box.getSize(new THREE.Vector3());
    return { root, eye: new THREE.Vector3(centre.x, box.min.y + Math.min(1.6, size.y * 0.6), centre.z) };
  });
  three.models.set(slug, promise);
  promise.catch(() => three.models.delete(slug));
  return promise;
}

async function showScene(slug, stage) {
  ensureRenderer();
  three.slug = slug;
  stage.prepend(three.renderer.domElement);
  three.renderer.domElement.hidden = true;
  let model;
  try {
    model = await loadModel(slug);
  } catch {
    if (three.slug === slug) $('stage-note').textContent = tx('noModel');
    return;
  }
  if (three.slug !== slug || !stage.isConnected) return;
  if (three.current) three.scene.remove(three.current);
  three.current = model.root;
  three.scene.add(model.root);
  three.camera.position.copy(model.eye);
  three.yaw = 0;
  three.renderer.domElement.hidden = false;
  stage.classList.add('live');
  if (!three.running) {
    three.running = true;
    kiosk.sceneShown = null;
    const loop = (three.loop = (three.loop || 0) + 1);
    requestAnimationFrame((now) => renderLoop(now, loop));
  }
}

function stopScene() {
  three.running = false;
  three.slug = null;
}

let lastFrame = performance.now();
function renderLoop(now, loop) {
  if (!three.running || loop !== three.loop) return;
  const dt = Math.min(0.1, (now - lastFrame) / 1000);
  lastFrame = now;
  const canvas = three.renderer.domElement;
  const w = canvas.clientWidth;
  const hgt = canvas.clientHeight;
  if (w && hgt && (canvas.width !== w || canvas.height !== hgt)) {
    three.renderer.setSize(w, hgt, false);
    three.camera.aspect = w / hgt;
    three.camera.updateProjectionMatrix();
  }
  if (!three.drag) three.yaw += dt * 0.12;
  const eye = three.camera.position;
  three.camera.lookAt(eye.x + Math.sin(three.yaw), eye.y - 0.05, eye.z - Math.cos(three.yaw));
  three.renderer.render(three.scene, three.camera);
  kiosk.frames += 1;
  if (kiosk.sceneShown == null) kiosk.sceneShown = { slug: three.slug, at: performance.now() };
  requestAnimationFrame((next) => renderLoop(next, loop));
}

// --- offline: the service worker, and warming its cache with everything the screen can show ----------------

window.addEventListener('online', () => { kiosk.offline = false; buildBar(); sendSessions(); });
window.addEventListener('offline', () => { kiosk.offline = true; buildBar(); });

async function controlled() {
  if (!('serviceWorker' in navigator)) return false;
  await navigator.serviceWorker.register('/inquiry-sw.js', { scope: '/inquiry' });
  await navigator.serviceWorker.ready;
  if (navigator.serviceWorker.controller) return true;
  await new Promise((ok) => navigator.serviceWorker.addEventListener('controllerchange', ok, { once: true }));
  return true;
}

// Fetch through the service worker (which keeps each answer) everything the kiosk may show: the page and its
// files, the lists and details in every language, each gallery's whole-gallery GLB and the posters.
async function warm() {
  kiosk.warm = 'running';
  const here = lang();
  const urls = new Set([location.href]);
  // The icons too: the browser asks for one through the worker, and offline it would fail.
  for (const link of /** @type {NodeListOf<HTMLLinkElement>} */ (document.querySelectorAll('link[rel~=icon]'))) {
    urls.add(link.href);
  }
  for (const entry of performance.getEntriesByType('resource')) {
    const url = new URL(entry.name);
    if (url.origin === location.origin && url.pathname.startsWith('/static/')) urls.add(url.href);
  }
  // Read each answer through and let it go (the service worker keeps it): a film is not held in memory here.
  const get = async (url, headers = {}) => {
    try {
      const reader = (await fetch(url, { headers })).body.getReader();
      while (!(await reader.read()).done) { /* drained */ }
    } catch { /* kept what we could */ }
  };
  await get('/api/v1/inquiry/config', authHeaders());
  for (const url of urls) await get(url);
  const posters = new Set();
  for (const code of [here, ...LANGS.map((l) => l.code).filter((c) => c !== here)]) {
    const one = (path, extra = {}) => {
      const url = new URL(path, location.origin);
      url.searchParams.set('lang', code);
      for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
      return fetch(url, { headers: { Accept: 'application/json' } }).then((r) => (r.ok ? r.json() : null))
        .catch(() => null);
    };
    const [, galleries, exhibits] = await Promise.all([one('/api/v1'), one('/api/v1/galleries', { per_page: 100 }),
      one('/api/v1/exhibits', { per_page: 100 }), one('/api/v1/timeline'), one('/api/v1/inquiry/keyboard')]);
    for (const g of galleries ? galleries.items : []) {
      if (g.poster_url) posters.add(g.poster_url);
      const detail = await one(`/api/v1/galleries/${g.slug}`);
      if (code === here && detail) kiosk.data.set(`${code}|/api/v1/galleries/${g.slug}|{}`, detail);
    }
    for (const e of exhibits ? exhibits.items : []) {
      if (e.poster_url) posters.add(e.poster_url);
      if (code === here) await one(`/api/v1/exhibits/${e.slug}`);
    }
  }
  for (const url of posters) await get(url);
  // The loop's films, whole (the service worker answers the player's Range requests from them when offline).
  for (const film of (kiosk.config && kiosk.config.films) || []) {
    if (film.poster_url) await get(film.poster_url);
    for (const c of film.captions) await get(c.url);
    const source = film.sources.find((x) => x.size === 'large') || film.sources[film.sources.length - 1];
    if (source) await get(source.url);
  }
  for (const g of kiosk.galleries.filter((x) => sceneUrl(x.slug))) {
    await get(sceneUrl(g.slug));
    if (main.dataset.state !== 'app') loadModel(g.slug).catch(() => null); // parsed ahead: opens at once
  }
  kiosk.warm = 'done';
  kiosk.warmedAt = performance.now();
}

// A screen runs for days: between visitors, now and then, it forgets what it holds in memory and fetches the
// catalogue again (through the service worker, which keeps the new answers), so curators' changes reach it.
const REFRESH_MS = Number(params.get('refresh')) || 10 * 60 * 1000;
function refreshIfStale() {
  if (!navigator.onLine || kiosk.warm !== 'done' || performance.now() - kiosk.warmedAt < REFRESH_MS) return;
  kiosk.data.clear();
  three.models.clear();
  (async () => {
    const config = await loadConfig(); // a revoked token sends the screen back to its set-up
    if (!config) return;
    kiosk.config = config;
    const [galleries, exhibits] = await Promise.all([api('/api/v1/galleries', { per_page: 100 }),
      api('/api/v1/exhibits', { per_page: 100 })]);
    kiosk.galleries = galleries.items;
    kiosk.exhibits = exhibits.items;
    if (main.dataset.state === 'attract') buildSlides();
    await warm();
  })().catch(() => { kiosk.warm = 'done'; });
}

// --- start --------------------------------------------------------------------------------------------------

async function start() {
  if (!localStorage.getItem(TOKEN_KEY)) {
    show('setup');
    return;
  }
  const config = await loadConfig();
  if (!config) return;
  kiosk.config = config;
  kiosk.idleMs = Number(params.get('idle')) || config.idle_seconds * 1000;
  if (lang() !== FIRST_LANG) setLang(FIRST_LANG);
  const [galleries, exhibits] = await Promise.all([api('/api/v1/galleries', { per_page: 100 }),
    api('/api/v1/exhibits', { per_page: 100 })]);
  kiosk.galleries = galleries.items;
  kiosk.exhibits = exhibits.items;
  ensureRenderer();
  buildSlides();
  attract();
  sendSessions();
  controlled().then((ok) => (ok && navigator.onLine ? warm() : null)).catch((err) => {
    kiosk.warm = `failed: ${err}`;
  });
}

// Started on load and again after set-up; a start that fails says so on the screen instead of leaving it as it was.
function begin() {
  start().catch((err) => {
    console.error('the inquiry kiosk could not start', err);
    main.dataset.state = 'error';
    document.body.append(h('p.error', { role: 'alert' }, TX.startFailed.map((x) => x + err).join('\n')));
  });
}

begin();

// The exhibit panel: title, texts, images, a film with its captions, narration with captions, hotspots, timeline
// links, rights, a share link with its QR code, and "see it in your room" where the device can.
import qrcode from 'qrcode-generator';
import { getJSON } from './_api.js';
import { h, paragraphs } from './_dom.js';
import { LANGS, lang, t } from './_i18n.js';
import { Listener } from './_listen.js';
import { pref } from './_prefs.js';

/** @typedef {import('./_xr.js').XRNavigator} XRNavigator */

/** Return an <img> of a QR code for a URL (drawn here, nothing fetched). */
export function qrImage(url, alt) {
  const qr = qrcode(0, 'M');
  qr.addData(url);
  qr.make();
  const svg = qr.createSvgTag({ cellSize: 6, margin: 2, scalable: true });
  return h('img.qr', { src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, alt, width: 176, height: 176 });
}

/** Return the public link to an exhibit. */
export function shareUrl(slug) {
  return `${location.origin}/e/${encodeURIComponent(slug)}`;
}

async function arSupported() {
  try { return Boolean(/** @type {XRNavigator} */ (navigator).xr && await /** @type {XRNavigator} */ (navigator).xr.isSessionSupported('immersive-ar')); } catch { return false; }
}

function media(item) {
  const parts = [];
  if (item.image?.url) {
    parts.push(h('figure', {}, h('img', { src: item.image.url, alt: item.image.alt || '', loading: 'lazy' }),
      item.image.credit ? h('figcaption', {}, item.image.credit) : null));
  }
  if (item.audio_url) parts.push(audioPlayer(item.audio_url, item.captions_url));
  return parts;
}

function audioPlayer(url, captionsUrl, label = t('listen')) {
  const audio = h('audio', { controls: true, preload: 'none', src: url, 'aria-label': label });
  if (captionsUrl) {
    audio.append(h('track', { kind: 'captions', src: captionsUrl, srclang: lang(), label: lang(), default: true }));
  }
  const captionLine = h('p.caption-line', { 'aria-live': 'off' });
  // Audio elements do not draw captions; show the active cue under the player.
  audio.addEventListener('loadedmetadata', () => {
    const track = audio.textTracks[0];
    if (!track) return;
    track.mode = 'hidden';
    track.addEventListener('cuechange', () => {
      captionLine.textContent = [...(track.activeCues || [])].map((c) => /** @type {VTTCue} */ (c).text).join(' ');
    });
  });
  return h('div.audio', {}, h('h3', {}, label), audio, captionLine);
}

// The caption track shown first: the visitor's language, else the nearest the film has (Chinese readers of either
// script read the other; an English reader gets Simplified Chinese, the museum's own language, before none).
const CAPTION_ORDER = { 'zh-Hans': ['zh-Hans', 'zh-Hant', 'en'], 'zh-Hant': ['zh-Hant', 'zh-Hans', 'en'],
  en: ['en', 'zh-Hans', 'zh-Hant'] };

/** Return which of a film's caption languages to show a visitor of a language (null when it has none). */
export function captionLang(available, visitor = lang()) {
  return (CAPTION_ORDER[visitor] || CAPTION_ORDER['zh-Hans']).find((code) => available.includes(code))
    ?? available[0] ?? null;
}

/**
 * @typedef {{play?: (video: HTMLVideoElement) => void, stop?: () => void, watched?: (ms: number) => void,
 *   small?: boolean}} FilmHooks
 */

/**
 * A film in an exhibit's panel: the <video> with both renditions (the small one first on a phone) and a caption
 * track per language, the visitor's shown; a big Play button (nothing plays before the visitor asks, and never by
 * itself with sound) and a Full screen button (the native player draws the captions there). The time actually
 * played is told to `watched` each time playback stops (pause, end, panel closed, page hidden).
 */
export class FilmPlayer {
  /** @param {any} film the exhibit's `film` as the API gives it @param {FilmHooks} [hooks] */
  constructor(film, hooks = {}) {
    this.hooks = hooks;
    this.since = null; // when the current stretch of playing began (performance.now())
    this.played = 0; // ms played and not yet told
    this.closed = false;
    const order = hooks.small ? ['small', 'large'] : ['large', 'small'];
    const sources = [...film.sources].sort((a, b) => order.indexOf(a.size) - order.indexOf(b.size));
    const shown = captionLang(film.captions.map((c) => c.lang));
    const names = Object.fromEntries(LANGS.map(({ code, name }) => [code, name]));
    const video = h('video.film-video', { controls: true, playsinline: true, preload: 'metadata',
      poster: film.poster_url || null, 'aria-label': t('film'),
      width: film.width || null, height: film.height || null },
    ...sources.map((s) => h('source', { src: s.url, type: s.media_type, 'data-size': s.size })),
    ...film.captions.map((c) => h('track', { kind: 'captions', srclang: c.lang, label: names[c.lang] || c.lang,
      src: c.url, default: c.lang === shown })));
    // The browser's own choice of track (its user's language) is made once the film's data arrive: the museum
    // language's track is set again then, and only the browser's first choice is overridden, not the visitor's.
    const showCaptions = () => {
      for (const track of video.textTracks) track.mode = track.language === shown ? 'showing' : 'disabled';
    };
    showCaptions();
    video.addEventListener('loadedmetadata', showCaptions, { once: true });
    this.video = video;
    this.button = h('button.primary.big.film-play', { type: 'button', onclick: () => this.toggle() });
    const full = h('button.secondary.film-full', { type: 'button', onclick: () => this.fullScreen() }, t('fullScreen'));
    video.addEventListener('playing', () => {
      this.since ??= performance.now();
      this.hooks.play?.(video);
      this._label();
    });
    video.addEventListener('waiting', () => this._count(false));  // buffering is not watching
    for (const type of ['pause', 'ended']) {
      video.addEventListener(type, () => {
        this.report();
        if (!this.closed) this.hooks.stop?.();
        this._label();
      });
    }
    this._label();
    this.element = h('section.film', {}, h('h3', {}, t('film')), video, h('div.film-buttons', {}, this.button, full));
  }

  get playing() {
    return !this.video.paused && !this.video.ended;
  }

  _label() {
    this.button.textContent = this.playing ? `❚❚ ${t('pauseFilm')}` : `▶ ${t('playFilm')}`;
    this.button.setAttribute('aria-pressed', String(this.playing));
  }

  /** Add the stretch being played to what is not yet told; `goOn` starts the next stretch at once. */
  _count(goOn) {
    if (this.since == null) return;
    const now = performance.now();
    this.played += now - this.since;
    this.since = goOn && this.playing ? now : null;
  }

  /** Play or pause, as the visitor asks. */
  toggle() {
    if (this.playing) this.video.pause();
    else this.video.play().catch(() => this._label());
  }

  /** Show the film on the whole screen (iOS: its own player), where the browser draws the captions itself. */
  fullScreen() {
    const video = /** @type {HTMLVideoElement & {webkitEnterFullscreen?: () => void}} */ (this.video);
    if (video.requestFullscreen) video.requestFullscreen().catch(() => video.webkitEnterFullscreen?.());
    else video.webkitEnterFullscreen?.();
  }

  /** Tell how long was played since last told (the page is being hidden or left, or playback stopped). */
  report() {
    this._count(true);
    const ms = Math.min(86400000, Math.round(this.played));
    this.played = 0;
    if (ms > 0) this.hooks.watched?.(ms);
  }

  /** Stop for good (the panel closes or shows something else): tell what was played, give the screen its poster. */
  close() {
    if (this.closed) return;
    this.report();
    this.closed = true;
    this.since = null;
    this.video.pause();
    this.hooks.stop?.();
  }
}

export class Panel {
  /**
   * @param {any} root the panel element
   * @param {{onClose?: () => void, onSeeInRoom?: ((data: any) => any) | null,
   *   film?: (slug: string) => FilmHooks}} [options] `film` gives a film's hooks (the 3D screen, the figures)
   */
  constructor(root, { onClose = () => {}, onSeeInRoom = null, film = () => ({}) } = {}) {
    this.root = root;
    this.onClose = onClose;
    this.onSeeInRoom = onSeeInRoom;
    this.filmHooks = film;
    /** @type {FilmPlayer | null} */
    this.film = null;
    this.slug = null;
    this.returnFocus = null;
    this.request = 0;
    this.listener = null;
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') { event.stopPropagation(); this.close(); }
      if (event.key === 'Tab') this._trap(event);
    });
    window.addEventListener('museum:prefs', () => this._placeListener());
    // One sound at a time: the narration starting pauses the film ('play' does not bubble; caught on the way down).
    root.addEventListener('play', (event) => {
      if (this.film && event.target !== this.film.video) this.film.video.pause();
    }, true);
  }

  /** Put the listen button first in large-text mode, else after the exhibit's summary. */
  _placeListener() {
    const section = this.listener?.element;
    if (!section || !this.root.contains(section)) return;
    const anchor = pref('large') ? this.root.querySelector('#panel-title') : this.root.querySelector('.panel-inner > .lead');
    if (anchor && anchor.nextElementSibling !== section) anchor.after(section);
  }

  _stopListening() {
    this.listener?.stop();
    this.listener = null;
    this.film?.close();
    this.film = null;
  }

  _trap(event) {
    const focusable = [...this.root.querySelectorAll('a[href], button, audio, video, input, [tabindex="0"]')]
      .filter((el) => !el.disabled && el.offsetParent !== null);
    if (!focusable.length) return;
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
    else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
  }

  get isOpen() {
    return !this.root.hidden;
  }

  /** Open the panel of an exhibit (optionally at one of its hotspots). */
  async open(slug, { hotspot = null, summary = null, data: given = null } = {}) {
    const ticket = ++this.request;
    this._stopListening();
    this.slug = slug;
    if (!this.isOpen) this.returnFocus = /** @type {HTMLElement} */ (document.activeElement);
    this.root.hidden = false;
    if (!given) this.root.replaceChildren(this._frame(h('h2#panel-title', {}, summary?.title || '…'), h('p.muted', {}, t('loading'))));
    let data = given;
    try {
      data ??= await getJSON(`/api/v1/exhibits/${encodeURIComponent(slug)}`);
    } catch {
      if (ticket === this.request) this.root.replaceChildren(this._frame(h('h2#panel-title', {}, t('notFound'))));
      return;
    }
    if (ticket !== this.request) return;
    this.data = data;
    this.root.replaceChildren(this._frame(...this._content(data, hotspot)));
    this._placeListener();
    this.root.querySelector('.close').focus();
    if (hotspot) this.root.querySelector(`#hotspot-${CSS.escape(hotspot)}`)?.scrollIntoView({ block: 'start' });
    if (this.onSeeInRoom && await arSupported() && ticket === this.request) {
      this.root.querySelector('.see-in-room')?.removeAttribute('hidden');
    }
    window.dispatchEvent(new CustomEvent('museum:panel', { detail: { slug, hotspot } }));
  }

  _frame(...children) {
    return h('div.panel-inner', {},
      h('button.close', { type: 'button', 'aria-label': t('close'), onclick: () => this.close() }, h('span', { 'aria-hidden': 'true' }, '✕')),
      ...children);
  }

  _content(data, hotspot) {
    /** @type {HTMLElement[]} */
    const out = [h('h2#panel-title', {}, data.title)];
    const meta = [data.object_date, data.era?.title].filter(Boolean).join(' · ');
    if (meta) out.push(h('p.meta', {}, meta));
    if (data.sample) out.push(h('p.badge', {}, t('sample')));
    if (data.film) {
      const hooks = this.filmHooks(data.slug);
      this.film = new FilmPlayer(data.film, { ...hooks, play: (video) => {
        this.listener?.pause();  // one sound at a time
        hooks.play?.(video);
      } });
      out.push(this.film.element);
    } else if (data.poster_url && !data.images.length) {
      out.push(h('img.poster', { src: data.poster_url, alt: data.title }));
    }
    out.push(h('p.lead', {}, data.summary), ...paragraphs(data.body));
    for (const image of data.images) {
      out.push(h('figure', {}, h('img', { src: image.url, alt: image.alt || '', loading: 'lazy' }),
        h('figcaption', {}, [image.caption, image.credit].filter(Boolean).join(' · '))));
    }
    if (data.narration || data.audio?.length) {
      this.listener = new Listener(data);
      out.push(this.listener.element);
    }
    if (data.hotspots.length) {
      out.push(h('section.hotspots', {}, h('h3', {}, t('details')),
        ...data.hotspots.map((spot) => h(`article.hotspot${spot.slug === hotspot ? '.current' : ''}`,
          { id: `hotspot-${spot.slug}` }, h('h4', {}, spot.title), ...paragraphs(spot.text), ...media(spot)))));
    }
    if (data.events.length) {
      out.push(h('section', {}, h('h3', {}, t('related')), h('ul.links', {},
        ...data.events.map((e) => h('li', {}, h('a', { href: `/timeline#${e.slug}` }, `${e.date?.slice(0, 4) || ''} ${e.title}`))))));
    }
    if (data.rights) {
      const r = data.rights;
      out.push(h('section.rights', {}, h('h3', {}, t('rights')), h('dl', {},
        r.licence ? [h('dt', {}, t('licence')), h('dd', {}, r.licence_url ? h('a', { href: r.licence_url, rel: 'license' }, r.licence) : r.licence)] : null,
        r.credit ? [h('dt', {}, t('credit')), h('dd', {}, r.credit)] : null,
        r.copyright ? [h('dt', {}, '©'), h('dd', {}, r.copyright.replace(/^©\s*/, ''))] : null,
        r.source_url ? [h('dt', {}, t('source')), h('dd', {}, h('a', { href: r.source_url }, r.source_url))] : null)));
    }
    const url = shareUrl(data.slug);
    const copy = h('button.secondary', { type: 'button', onclick: async (event) => {
      const button = event.currentTarget;
      try { await navigator.clipboard.writeText(url); } catch { /* the link is on screen to copy by hand */ }
      button.textContent = t('copied');
    } }, t('copyLink'));
    out.push(h('section.share', {}, h('h3', {}, t('share')),
      h('div.share-row', {}, qrImage(url, t('qrAlt')), h('div', {}, h('a.share-link', { href: url }, url), copy))));
    if (this.onSeeInRoom) {
      out.push(h('button.primary.see-in-room', { type: 'button', hidden: true, onclick: () => this.onSeeInRoom(data) }, t('seeInRoom')));
    }
    return out;
  }

  /** Close the panel and give focus back to where it was. */
  close() {
    if (!this.isOpen) return;
    this.request++;
    this._stopListening();
    this.root.querySelectorAll('audio, video').forEach((a) => a.pause());
    this.root.hidden = true;
    this.root.replaceChildren();
    this.slug = null;
    this.onClose();
    if (this.returnFocus && document.contains(this.returnFocus)) this.returnFocus.focus();
  }
}

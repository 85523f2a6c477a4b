// The exhibit panel: title, texts, images, narration with captions, hotspots, timeline links, rights, a share
// link with its QR code, and "see it in your room" where the device can.
import qrcode from 'qrcode-generator';
import { getJSON } from './_api.js';
import { h, paragraphs } from './_dom.js';
import { lang, t } from './_i18n.js';

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
  try { return Boolean(navigator.xr && await navigator.xr.isSessionSupported('immersive-ar')); } catch { return false; }
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
      captionLine.textContent = [...(track.activeCues || [])].map((c) => c.text).join(' ');
    });
  });
  return h('div.audio', {}, h('h3', {}, label), audio, captionLine);
}

export class Panel {
  constructor(root, { onClose = () => {}, onSeeInRoom = null } = {}) {
    this.root = root;
    this.onClose = onClose;
    this.onSeeInRoom = onSeeInRoom;
    this.slug = null;
    this.returnFocus = null;
    this.request = 0;
    root.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') { event.stopPropagation(); this.close(); }
      if (event.key === 'Tab') this._trap(event);
    });
  }

  _trap(event) {
    const focusable = [...this.root.querySelectorAll('a[href], button, audio, input, [tabindex="0"]')]
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
  async open(slug, { hotspot = null, summary = null } = {}) {
    const ticket = ++this.request;
    this.slug = slug;
    if (!this.isOpen) this.returnFocus = document.activeElement;
    this.root.hidden = false;
    this.root.replaceChildren(this._frame(h('h2#panel-title', {}, summary?.title || '…'), h('p.muted', {}, t('loading'))));
    let data;
    try {
      data = await getJSON(`/api/v1/exhibits/${encodeURIComponent(slug)}`);
    } catch {
      if (ticket === this.request) this.root.replaceChildren(this._frame(h('h2#panel-title', {}, t('notFound'))));
      return;
    }
    if (ticket !== this.request) return;
    this.data = data;
    this.root.replaceChildren(this._frame(...this._content(data, hotspot)));
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
    const out = [h('h2#panel-title', {}, data.title)];
    const meta = [data.object_date, data.era?.title].filter(Boolean).join(' · ');
    if (meta) out.push(h('p.meta', {}, meta));
    if (data.sample) out.push(h('p.badge', {}, t('sample')));
    if (data.poster_url && !data.images.length) out.push(h('img.poster', { src: data.poster_url, alt: data.title }));
    out.push(h('p.lead', {}, data.summary), ...paragraphs(data.body));
    for (const image of data.images) {
      out.push(h('figure', {}, h('img', { src: image.url, alt: image.alt || '', loading: 'lazy' }),
        h('figcaption', {}, [image.caption, image.credit].filter(Boolean).join(' · '))));
    }
    const audio = data.audio.find((a) => a.lang === lang()) || data.audio[0];
    if (audio) out.push(audioPlayer(audio.url, audio.captions_url));
    if (data.narration) {
      out.push(h('details.transcript', {}, h('summary', {}, t('transcript')), ...paragraphs(data.narration)));
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
    this.root.querySelectorAll('audio').forEach((a) => a.pause());
    this.root.hidden = true;
    this.root.replaceChildren();
    this.slug = null;
    this.onClose();
    if (this.returnFocus && document.contains(this.returnFocus)) this.returnFocus.focus();
  }
}

// Guided tours: stop by stop across galleries, with the stop's text and narration, advancing on its own.
import { getJSON } from './_api.js';
import { h, paragraphs } from './_dom.js';
import { t } from './_i18n.js';
import { reducedMotion } from './_prefs.js';

export class TourGuide {
  constructor(root, { goToStop, onEnd }) {
    this.root = root;
    this.goToStop = goToStop;
    this.onEnd = onEnd;
    this.tour = null;
    this.index = 0;
    this.playing = true;
    this.timer = null;
    this.secondsOverride = null;
    this.state = { slug: null, index: 0, total: 0, playing: true, advanced: 0 };
  }

  /** Load a tour and go to its n-th stop (from 1). */
  async start(slug, n = 1) {
    this.tour = await getJSON(`/api/v1/tours/${encodeURIComponent(slug)}`);
    this.state.slug = slug;
    this.state.total = this.tour.stops.length;
    await this.show(Math.max(0, Math.min(this.tour.stops.length - 1, n - 1)));
  }

  /** Reload the tour's texts in the current language, staying at the same stop. */
  async relabel() {
    if (!this.tour) return;
    this.tour = await getJSON(`/api/v1/tours/${encodeURIComponent(this.state.slug)}`);
    this._render();
  }

  /** Go to a stop by index (from 0). */
  async show(index) {
    clearTimeout(this.timer);
    this.index = index;
    this.state.index = index;
    const stop = this.tour.stops[index];
    history.replaceState(null, '', `${stop.page_url}${location.search}`);
    this._render();
    await this.goToStop(stop);
    this._schedule();
  }

  _schedule() {
    clearTimeout(this.timer);
    const bar = this.root.querySelector('.countdown > span');
    if (!this.playing || this.index >= this.tour.stops.length - 1) return;
    const seconds = this.secondsOverride ?? this.tour.stops[this.index].duration_s ?? 20;
    if (bar && !reducedMotion()) {
      bar.style.transition = 'none';
      bar.style.width = '0%';
      void bar.offsetWidth;
      bar.style.transition = `width ${seconds}s linear`;
      bar.style.width = '100%';
    }
    this.timer = setTimeout(() => { this.state.advanced++; this.show(this.index + 1); }, seconds * 1000);
  }

  /** Pause or resume auto-advance. */
  toggle() {
    this.playing = !this.playing;
    this.state.playing = this.playing;
    this._render();
    if (this.playing) this._schedule();
    else clearTimeout(this.timer);
  }

  /** Leave the tour. */
  end() {
    clearTimeout(this.timer);
    speechSynthesis?.cancel?.();
    this.tour = null;
    this.root.hidden = true;
    this.root.replaceChildren();
    this.onEnd();
  }

  _speak(text) {
    if (!('speechSynthesis' in window)) return;
    speechSynthesis.cancel();
    const utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = document.documentElement.lang;
    utterance.rate = 0.9;
    speechSynthesis.speak(utterance);
  }

  _render() {
    const stop = this.tour.stops[this.index];
    const total = this.tour.stops.length;
    const last = this.index >= total - 1;
    const narration = stop.narration || stop.text;
    this.root.hidden = false;
    this.root.replaceChildren(h('div.tour-inner', {},
      h('p.tour-name', {}, this.tour.title, ' · ', h('span.tour-count', {}, t('tourStop', { n: this.index + 1, total }))),
      h('h2.tour-title', {}, stop.title || stop.exhibit_title || stop.gallery_title),
      h('div.tour-text', {}, ...paragraphs(stop.text)),
      stop.narration && stop.narration !== stop.text ? h('details.transcript', {}, h('summary', {}, t('transcript')), ...paragraphs(stop.narration)) : null,
      h('div.countdown', { 'aria-hidden': 'true' }, h('span')),
      h('div.tour-buttons', {},
        h('button.secondary', { type: 'button', disabled: this.index === 0, onclick: () => this.show(this.index - 1) }, '◀ ', t('previous')),
        h('button.secondary', { type: 'button', disabled: last, 'aria-pressed': String(!this.playing), onclick: () => this.toggle() },
          this.playing ? `❚❚ ${t('pause')}` : `▶ ${t('play')}`),
        h('button.primary', { type: 'button', disabled: last, onclick: () => this.show(this.index + 1) }, t('next'), ' ▶'),
        'speechSynthesis' in window ? h('button.secondary', { type: 'button', onclick: () => this._speak(narration) }, t('readAloud')) : null,
        h('button.secondary', { type: 'button', onclick: () => this.end() }, t('endTour')))));
  }
}

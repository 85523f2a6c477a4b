// The timeline page: eras and their events, each event linked to its exhibits in the 3D galleries.
// Readable on a 360 px phone; /timeline#<event> opens at that event.
import './museum.css';
import { beginView } from './_analytics.js';
import { getJSON } from './_api.js';
import { announce, buildChrome } from './_chrome.js';
import { h, paragraphs } from './_dom.js';
import { lang, t } from './_i18n.js';

const hooks = { ready: false, events: 0, lang: null, errors: [] };
beginView('timeline_view', {});
/** @type {Window & {museum?: typeof hooks}} */ (window).museum = hooks;
const app = document.getElementById('app');
const main = h('main#main.timeline', { tabindex: '-1' });
app.append(main);

function dateText(event) {
  if (!event.month) return String(event.year);
  const l = lang();
  if (l === 'en') {
    const month = new Date(Date.UTC(2000, event.month - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' });
    return event.day ? `${event.day} ${month} ${event.year}` : `${month} ${event.year}`;
  }
  return `${event.year}年${event.month}月${event.day ? `${event.day}日` : ''}`;
}

function eventCard(event) {
  return h('li.event', { id: event.slug },
    h('article', { 'aria-labelledby': `title-${event.slug}` },
      h('p.event-date', {}, h('time', { datetime: event.date || String(event.year) }, dateText(event))),
      h('h3', { id: `title-${event.slug}` }, event.title),
      event.sample ? h('p.badge', {}, t('sample')) : null,
      event.image_url ? h('img', { src: event.image_url, alt: '', loading: 'lazy' }) : null,
      ...paragraphs(event.body),
      event.exhibits.length ? h('ul.event-exhibits', {}, ...event.exhibits.map((x) => h('li', {},
        h('a.exhibit-link', { href: x.page_url }, h('span', { 'aria-hidden': 'true' }, '◆ '), x.title,
          h('span.sr-only', {}, ` – ${t('seeExhibit')}`))))) : null));
}

async function render() {
  buildChrome(app, { title: t('timeline') });
  document.title = `${t('timeline')} · ${t('museum')}`;
  let data;
  try {
    data = await getJSON('/api/v1/timeline');
  } catch (error) {
    hooks.errors.push(String(error));
    main.replaceChildren(h('p', {}, t('loadFailed')));
    return;
  }
  const byEra = new Map();
  for (const event of data.events) {
    const key = event.era || '';
    if (!byEra.has(key)) byEra.set(key, []);
    byEra.get(key).push(event);
  }
  const sections = data.eras.map((era) => {
    const events = byEra.get(era.slug) || [];
    byEra.delete(era.slug);
    const years = era.end_year ? `${era.start_year}–${era.end_year}` : `${era.start_year}–`;
    return h('section.era', { id: `era-${era.slug}`, 'aria-labelledby': `era-title-${era.slug}` },
      h('header.era-head', {}, h('p.era-years', {}, years), h('h2', { id: `era-title-${era.slug}` }, era.title),
        era.summary ? h('p', {}, era.summary) : null, era.sample ? h('p.badge', {}, t('sample')) : null),
      h('ol.events', {}, ...events.map(eventCard)));
  });
  const rest = [...byEra.values()].flat();
  if (rest.length) sections.push(h('section.era', {}, h('ol.events', {}, ...rest.map(eventCard))));
  const nav = h('nav.era-nav', { 'aria-label': t('era') }, h('ul', {}, ...data.eras.map((era) =>
    h('li', {}, h('a', { href: `#era-${era.slug}` }, era.title)))));
  main.replaceChildren(nav, ...sections, h('p.back', {}, h('a', { href: '/' }, '← ', t('backToMuseum'))));
  hooks.events = data.events.length;
  hooks.lang = lang();
  hooks.ready = true;
  const target = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
  if (target) {
    target.classList.add('current');
    target.scrollIntoView({ block: 'start' });
  }
  announce(t('timeline'));
}

window.addEventListener('museum:lang', () => { hooks.ready = false; render(); });
render();

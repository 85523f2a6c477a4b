// The page frame every visitor page shares: skip link, header with museum name, language switch and display
// settings, and a live region for announcements.
import { h } from './_dom.js';
import { LANGS, lang, setLang, t } from './_i18n.js';
import { applyPrefs, pref, setPref } from './_prefs.js';

/** Build the header into the page and return its parts; call again after a language change. `beside` stands by the
 * title (it stays on the title's row on a phone), `extra` with the controls. */
export function buildChrome(app, { title = '', extra = [], beside = [] } = {}) {
  applyPrefs();
  const langButtons = LANGS.map((l) => h('button.lang', {
    type: 'button', lang: l.code, 'aria-pressed': String(l.code === lang()),
    onclick: () => { if (l.code !== lang()) setLang(l.code); },
  }, l.short, l.name !== l.short ? h('span.sr-only', {}, ` ${l.name}`) : null));
  const toggle = (name, label, icon) => h('button.toggle', {
    type: 'button', 'aria-pressed': String(pref(name)), title: label,
    onclick: (event) => {
      const on = !pref(name);
      setPref(name, on);
      event.currentTarget.setAttribute('aria-pressed', String(on));
    },
  }, icon, h('span.sr-only', {}, ` ${label}`));
  const header = h('header.top', {},
    h('a.skip', { href: '#main' }, t('skip')),
    h('a.brand', { href: `/?lang=${lang()}`, 'aria-label': t('museum') }, h('span.logo', { 'aria-hidden': 'true' }, '✚'), h('span.brand-name', {}, t('museum'))),
    h('h1.page-title', { id: 'page-title' }, title),
    ...beside,
    h('a.help-link', { href: `/help?lang=${lang()}`, 'aria-current': location.pathname === '/help' ? 'page' : null },
      h('span.help-mark', { 'aria-hidden': 'true' }, '?'), t('help')),
    h('div.controls', {},
      ...extra,
      h('div.langs', { role: 'group', 'aria-label': t('language') }, ...langButtons),
      h('div.prefs', { role: 'group', 'aria-label': t('settings') },
        toggle('large', t('largeText'), 'A+'), toggle('contrast', t('contrast'), '◐'))));
  const live = h('div.sr-only', { 'aria-live': 'polite', role: 'status', id: 'announce' });
  app.querySelector('header.top')?.remove();
  app.querySelector('#announce')?.remove();
  app.prepend(header, live);
  return { header, live };
}

/** Say something to screen-reader users. */
export function announce(text) {
  const live = document.getElementById('announce');
  if (live) live.textContent = text;
}

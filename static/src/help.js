// The help page (/help): its texts come in the first HTML in all three languages; this shows the visitor's language,
// switches it at once when the visitor picks another, and adds the page frame (language, large text, contrast).
import './museum.css';
import { buildChrome } from './_chrome.js';
import { lang, t } from './_i18n.js';

const hooks = { ready: false, lang: null };
/** @type {Window & {museum?: typeof hooks}} */ (window).museum = hooks;
const app = document.getElementById('app');

function show() {
  const code = lang();
  for (const section of /** @type {NodeListOf<HTMLElement>} */ (app.querySelectorAll('.help-lang'))) section.hidden = section.dataset.lang !== code;
  buildChrome(app, { title: t('help') });
  document.title = `${t('help')} · ${t('museum')}`;
  const url = new URL(location.href);
  if (url.searchParams.has('lang') && url.searchParams.get('lang') !== code) {
    url.searchParams.set('lang', code);
    history.replaceState(null, '', url);
  }
  hooks.lang = code;
}

document.body.classList.add('help-page');
app.querySelector('.help-main')?.setAttribute('tabindex', '-1');
show();
window.addEventListener('museum:lang', show);
hooks.ready = true;

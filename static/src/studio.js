// The curator studio: sign-in, dashboard, lists and editors for each kind of content, history with revert,
// review queue, uploads, translations, users, API tokens, kiosks and the 3D placement editor. Every word is in the
// curator's language (zh-Hans, zh-Hant or en), switched in the header and remembered on this device.
import { api, ApiError, setCsrf, upload } from './_api.js';
import { field, h } from './_dom.js';
import { addTexts, lang, LANGS, setLang, t } from './_i18n.js';
import {
  KINDS, assetKindName, assetStatusName, contentLangs, errorText, followAsset, forgetOptions, problemText,
  pathText, renderFields, showFieldError, tierName, titleOf, valueNode,
} from './_studio_forms.js';
import TEXTS from './_studio_texts.json';
import { changesView } from './_studio_changes.js';
import { badge, say } from './_studio_ui.js';
import './studio.css';

addTexts(TEXTS);

const main = document.getElementById('main');
let me = null;
let unsaved = false; // something was typed into a form of this view and not saved yet

const can = {
  edit: () => me && ['admin', 'curator'].includes(me.role),
  publish: () => me && ['admin', 'reviewer'].includes(me.role),
  admin: () => me && me.role === 'admin',
};

const ROLES = { admin: 'roleAdmin', curator: 'roleCurator', reviewer: 'roleReviewer' };
const roleName = (role) => (ROLES[role] ? t(ROLES[role]) : role);
const when = (iso, length = 16) => (iso || '').slice(0, length).replace('T', ' ');
const capitalise = (text) => text.charAt(0).toUpperCase() + text.slice(1);
const kindOne = (kind) => (KINDS[kind] ? t(KINDS[kind].one) : kind);

// Field names of the texts that still miss a language ("title", "stops/0/title"), in the curator's language.
const FIELD_WORDS = { title: 'fTitle', summary: 'fSummary', body: 'fFullText', object_date: 'fObjectDate',
  narration_text: 'fNarrationText', caption: 'fCaption', alt: 'fAlt', credit: 'fCredit', label: 'fLabel',
  text: 'fText', narration: 'fNarration', image_alt: 'fAlt', image_credit: 'fPictureCredit', hotspots: 'iHotspot',
  media: 'iFile', placements: 'iPlacement', doors: 'iDoor', stops: 'iStop' };
function fieldName(path) {
  return String(path).split('/').map((part) => (/^\d+$/.test(part) ? String(Number(part) + 1)
    : FIELD_WORDS[part] ? t(FIELD_WORDS[part]) : part)).join(' ');
}
const langNames = () => Object.fromEntries(contentLangs());
// A text of the studio's if it has one for this key, else the value as the server sent it.
const known = (key, fallback) => (t(key) === key ? fallback : t(key));
// What an audit row is about: a kind of content (its table's name) or an account, token, file or kiosk.
function targetName(type) {
  const kind = String(type || '').replace(/_/g, '-');
  return KINDS[kind] ? t(KINDS[kind].one) : known(`target_${type}`, type || '');
}

function page(title, ...children) {
  document.title = `${title} · ${t('studio')}`;
  main.replaceChildren(h('h1', {}, title), ...children);
  main.focus();
}

function explain(err) {
  if (err instanceof ApiError && err.status === 401) { me = null; location.hash = '#/signin'; }
  say(err instanceof ApiError ? errorText(err) : String(err.message || err), true);
}

// The language switch, in the header and on the sign-in page: each language named in itself.
function langSwitch() {
  const select = h('select', { 'aria-label': t('language'), class: 'lang-switch' },
    LANGS.map((l) => h('option', { value: l.code, lang: l.code }, l.name)));
  select.value = lang();
  select.addEventListener('change', () => {
    // The view is drawn again in the new language: a form being edited would lose what was typed.
    if (unsaved && !window.confirm(t('confirmLangSwitch'))) { select.value = lang(); return; }
    unsaved = false;
    setLang(select.value);
  });
  return select;
}

function chrome() {
  document.getElementById('skip').textContent = t('skip');
  document.getElementById('brand').textContent = t('studio');
  document.getElementById('sign-out').textContent = t('signOut');
  document.getElementById('nav').setAttribute('aria-label', t('studio'));
}

function nav() {
  const links = [['#/', t('navHome')], ...Object.entries(KINDS).map(([k, v]) => [`#/list/${k}`, t(v.label)]),
    ['#/review', t('reviewQueue')], ['#/assets', t('navUploads')], ['#/translations', t('navTranslations')]];
  if (can.admin()) {
    links.push(['#/users', t('navUsers')], ['#/tokens', t('navTokens')], ['#/kiosks', t('navKiosks')],
      ['#/audit', t('navAudit')]);
  }
  const here = location.hash.split('/').slice(0, 3).join('/');
  document.getElementById('nav').replaceChildren(...links.map(([href, label]) =>
    h('a', { href, 'aria-current': href === here || (href === '#/' && here === '#') ? 'page' : null }, label)));
  document.getElementById('who').replaceChildren(`${me.name} (${roleName(me.role)}) `, langSwitch());
  document.getElementById('top').hidden = false;
}

async function whoAmI() {
  const state = await api('GET', '/api/v1/session');
  me = state.signed_in ? state.user : null;
  setCsrf(state.csrf_token);
}

function signInPage() {
  document.getElementById('top').hidden = true;
  const name = h('input', { autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', autocomplete: 'current-password', required: true });
  const form = h('form', { class: 'card signin', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const state = await api('POST', '/api/v1/session', { name: name.value, password: password.value });
      me = state.user;
      setCsrf(state.csrf_token);
      say(t('welcome', { name: me.name }));
      if (location.hash === '#/' || location.hash === '') scheduleRoute(); else location.hash = '#/';
    } catch (err) { say(errorText(err), true); password.value = ''; password.focus(); }
  } }, field(t('userName'), name), field(t('password'), password),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('signIn'))));
  document.title = `${t('signIn')} · ${t('studio')}`;
  main.replaceChildren(h('div', { class: 'actions signin-lang' }, field(t('language'), langSwitch())),
    h('h1', { class: 'signin' }, t('studio')), form);
  name.focus();
}

async function dashboard() {
  // The greeting at once, then what is waiting, the counts and the translations as each arrives: one slow or failed
  // request leaves the rest of the start page usable.
  const kinds = Object.entries(KINDS);
  const counts = kinds.map(() => h('div', {}, t('loading')));
  const waiting = h('div', {}, h('p', {}, t('loading')));
  const translations = h('p', {}, t('loading'));
  page(t('hello', { name: me.name }),
    h('p', {}, me.role === 'reviewer' ? t('introReviewer') : t('introCurator')),
    h('div', { class: 'grid' }, kinds.map(([k, v], i) => h('a', { class: 'card', href: `#/list/${k}` },
      h('strong', {}, t(v.label)), counts[i]))),
    h('h2', {}, t('waitingForReview')), waiting,
    h('h2', {}, t('navTranslations')), translations);
  const fill = async (path, draw) => {
    try {
      draw(await api('GET', path));
    } catch (err) {
      if (main.contains(translations)) explain(err);
    }
  };
  await Promise.all([
    fill('/api/v1/studio/review', (review) => waiting.replaceChildren(review.items.length
      ? h('ul', {}, review.items.map((it) => h('li', {},
        h('a', { href: `#/edit/${it.kind}/${it.id}` }, titleOf(it)), ` (${kindOne(it.kind)})`)))
      : h('p', {}, t('nothingWaiting')))),
    fill('/api/v1/studio/translations/missing', (missing) => translations.replaceChildren(missing.total
      ? h('a', { href: '#/translations' }, t('textsMissLanguage', { n: missing.total })) : t('allTranslated'))),
    ...kinds.map(([k], i) => fill(`/api/v1/studio/${k}?per_page=1`,
      (list) => counts[i].replaceChildren(t('inTotal', { n: list.total })))),
  ]);
}

async function listPage(kind) {
  const spec = KINDS[kind];
  const status = h('select', {}, h('option', { value: '' }, t('everything')),
    ...['draft', 'review', 'published'].map((s) => h('option', { value: s }, t(`state_${s}`))));
  const table = h('table');
  const names = langNames();
  const load = async () => {
    const list = await api('GET', `/api/v1/studio/${kind}?per_page=100${status.value ? `&status=${status.value}` : ''}`);
    table.replaceChildren(h('thead', {}, h('tr', {}, h('th', {}, t('fTitle')), h('th', {}, t('colState')),
      h('th', {}, t('colUntranslated')), h('th', {}, t('colChanged')))),
    h('tbody', {}, list.items.map((it) => h('tr', {},
      h('td', {}, h('a', { href: `#/edit/${kind}/${it.id}` }, titleOf(it)), h('div', { class: 'hint' }, it.slug)),
      h('td', {}, badge(it.status, it.live)),
      h('td', {}, Object.keys(it.untranslated).length
        ? h('span', { class: 'flag' }, Object.entries(it.untranslated)
          .map(([f, l]) => `${fieldName(f)}${t('colon')}${l.map((code) => names[code] || code).join(t('listSep'))}`)
          .join(t('groupSep')))
        : '—'),
      h('td', {}, when(it.updated_at))))));
  };
  status.addEventListener('change', load);
  page(t(spec.label), h('div', { class: 'actions' },
    can.edit() ? h('a', { class: 'button', href: `#/new/${kind}` }, t('newItem', { item: t(spec.one) })) : null,
    field(t('show'), status)), table);
  await load();
}

async function editPage(kind, id) {
  const spec = KINDS[kind];
  const doc = id ? await api('GET', `/api/v1/studio/${kind}/${id}`)
    : { slug: '', status: 'draft', version: 0, untranslated: {} };
  const slug = h('input', { 'data-pointer': '/slug', pattern: '[a-z0-9]+(-[a-z0-9]+)*', required: true });
  slug.value = doc.slug;
  const fields = renderFields(spec.fields, doc);
  const form = h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    let body;
    try { body = { slug: slug.value, ...fields.read() }; } catch (err) {
      say(t('checkJson', { why: err.message }), true); return;
    }
    try {
      const saved = id ? await api('PUT', `/api/v1/studio/${kind}/${id}`, { ...body, version: doc.version })
        : await api('POST', `/api/v1/studio/${kind}`, body);
      forgetOptions();
      const waiting = saved.live && saved.status !== 'published';
      say(waiting ? t('savedStillLive')
        : saved.status === 'draft' && doc.status !== 'draft' && id ? t('savedDraftAgain') : t('saved'));
      if (id) refresh(); else location.hash = `#/edit/${kind}/${saved.id}`;
    } catch (err) {
      if (err.status === 412) {
        say(errorText(err), true);
        form.append(h('p', {}, h('button', { type: 'button', onclick: () => refresh() }, t('reloadLatest'))));
      } else if (!showFieldError(form, err)) explain(err); else say(errorText(err), true);
    }
  } }, field(t('slug'), slug, t('slugHint')), fields.node,
  h('div', { class: 'actions' }, can.edit() ? h('button', { type: 'submit' }, t('save')) : null));
  if (!can.edit()) /** @type {NodeListOf<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>} */ (form.querySelectorAll('input, select, textarea')).forEach((el) => { el.disabled = true; });
  const flow = id ? workflowBar(kind, doc) : null;
  const untranslated = Object.keys(doc.untranslated || {});
  // A reviewer looking at content in review sees what changed, and the whole form only when asked.
  const review = id && doc.status === 'review' && can.publish() ? await changesView(api, kind, id).catch(() => null) : null;
  page(id ? capitalise(t('itemTitle', { item: t(spec.one), title: titleOf(doc) })) : t('newItem', { item: t(spec.one) }),
    id ? h('p', {}, badge(doc.status, doc.live), ` ${t('versionN', { n: doc.version })} `,
      untranslated.length ? h('span', { class: 'flag' },
        t('notTranslatedFields', { fields: untranslated.map(fieldName).join(t('listSep')) })) : '') : '',
    flow, review, review ? h('details', { class: 'whole-form' }, h('summary', {}, t('wholeForm')), form) : form);
}

function workflowBar(kind, doc) {
  const move = (status, words) => h('button', { type: 'button', class: status === 'published' ? '' : 'secondary',
    onclick: async () => {
      try {
        await api('POST', `/api/v1/studio/${kind}/${doc.id}/status`, { status, version: doc.version });
        say(t(words));
        refresh();
      } catch (err) {
        if (err.pointer && err.pointer.startsWith('/placements')) say(errorText(err), true); else explain(err);
      }
    } }, t({ review: 'sendToReview', published: 'publish',
    draft: doc.status === 'published' ? 'unpublish' : 'backToDraft' }[status]));
  const bar = h('div', { class: 'actions' });
  if (doc.status === 'draft' && can.edit()) bar.append(move('review', 'sentToReview'));
  if (doc.status === 'review' && can.publish()) bar.append(move('published', 'publishedNow'));
  if (doc.status === 'draft' && can.admin()) bar.append(move('published', 'publishedDone'));
  if (doc.status === 'review') bar.append(move('draft', 'sentBackToDraft'));
  if (doc.status === 'published' && can.publish()) bar.append(move('draft', 'unpublished'));
  bar.append(h('a', { class: 'button secondary', href: `#/history/${kind}/${doc.id}` }, t('history')));
  if (kind === 'galleries') {
    bar.append(h('a', { class: 'button secondary', href: `#/place/${doc.id}` }, t('openPlacementEditor')));
  }
  const linkOut = h('span');
  const links = h('ul', { class: 'preview-links', 'aria-label': t('previewLinksWorking') });
  // Every link that still works is listed with a way to revoke it, say when it was sent to the wrong person.
  const listLinks = async () => {
    const active = await api('GET', `/api/v1/studio/${kind}/${doc.id}/previews`);
    links.replaceChildren(...active.items.map((link) => h('li', {},
      `${t('previewLinkMade', { id: link.id, made: when(link.created_at), until: when(link.expires_at) })} `,
      h('button', { type: 'button', class: 'secondary', 'aria-label': t('revokePreviewLink', { id: link.id }),
        onclick: async () => {
          try {
            await api('DELETE', `/api/v1/studio/previews/${link.id}`);
            say(t('previewLinkRevoked', { id: link.id }));
            linkOut.replaceChildren();
            await listLinks();
          } catch (err) { explain(err); }
        } }, t('revoke')))));
  };
  bar.append(h('button', { type: 'button', class: 'secondary', onclick: async () => {
    try {
      const link = await api('POST', `/api/v1/studio/${kind}/${doc.id}/preview`);
      linkOut.replaceChildren(t('previewValid'), h('a', { href: link.url, target: '_blank', rel: 'noopener' }, link.url));
      await listLinks();
    } catch (err) { explain(err); }
  } }, t('previewLink')), linkOut, links);
  listLinks().catch(() => null);
  if (can.edit() && ((doc.status === 'draft' && !doc.live) || can.admin())) {
    bar.append(h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!window.confirm(t('confirmDelete', { title: titleOf(doc) }))) return;
      try {
        await api('DELETE', `/api/v1/studio/${kind}/${doc.id}`, undefined, { 'If-Match': `"${doc.version}"` });
        say(t('deleted')); location.hash = `#/list/${kind}`;
      } catch (err) { explain(err); }
    } }, t('delete')));
  }
  return bar;
}

const REVISION_WORDS = { created: 'revCreated', saved: 'revSaved', deleted: 'revDeleted',
  'as it was before the first studio edit': 'revOriginal' };

/** A revision's message (the server writes it in English) in the studio's language; a note stays as written. */
function revisionText(message) {
  if (REVISION_WORDS[message]) return t(REVISION_WORDS[message]);
  const reverted = /^reverted to version (\d+)$/.exec(message);
  if (reverted) return t('revReverted', { n: reverted[1] });
  const moved = /^(draft|review|published) -> (draft|review|published)(?:: ([\s\S]*))?$/.exec(message);
  if (moved) {
    const words = t('revStatus', { from: t(`state_${moved[1]}`), to: t(`state_${moved[2]}`) });
    return moved[3] ? `${words}${t('colon')}${moved[3]}` : words;
  }
  return message;
}

function show(kind, path, value) {
  return value === null || value === undefined ? t('empty') : valueNode(kind, path, value);
}

async function historyPage(kind, id) {
  const [doc, hist] = await Promise.all([api('GET', `/api/v1/studio/${kind}/${id}`),
    api('GET', `/api/v1/studio/${kind}/${id}/history`)]);
  page(t('historyOf', { title: titleOf(doc) }), h('p', {}, h('a', { href: `#/edit/${kind}/${id}` }, t('backToEditor'))),
    ...hist.revisions.map((rev, i) => h('section', { class: 'card diff' },
      h('h2', {}, t('versionN', { n: rev.version }), ' — ', revisionText(rev.message)),
      h('p', { class: 'hint' }, t('madeBy', { at: when(rev.at), who: rev.author || t('theSystem') })),
      h('ul', {}, rev.changes.slice(0, 50).map((c) => h('li', {}, h('span', { title: c.path }, pathText(kind, c.path)), t('colon'),
        h('del', {}, show(kind, c.path, c.before)), ' → ', h('ins', {}, show(kind, c.path, c.after))))),
      i > 0 && can.edit() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          await api('POST', `/api/v1/studio/${kind}/${id}/revert/${rev.id}`, { version: hist.version });
          say(t('restored', { n: rev.version }));
          refresh();
        } catch (err) { explain(err); }
      } }, t('restoreVersion', { n: rev.version })) : null)));
}

async function reviewPage() {
  const queue = await api('GET', '/api/v1/studio/review');
  page(t('reviewQueue'), queue.items.length ? h('table', {}, h('tbody', {}, queue.items.map((it) => h('tr', {},
    h('td', {}, kindOne(it.kind)), h('td', {}, h('a', { href: `#/edit/${it.kind}/${it.id}` }, titleOf(it))),
    h('td', {}, badge(it.status, it.live)), h('td', {}, when(it.updated_at))))))
    : h('p', {}, t('nothingWaiting')));
}

async function assetsPage() {
  const list = await api('GET', '/api/v1/studio/assets?per_page=100');
  const out = h('p', { 'aria-live': 'polite' });
  const file = h('input', { type: 'file', accept: '.glb,.gltf,.zip,.png,.jpg,.jpeg,.webp,.mp3,.ogg,.m4a,.wav,.vtt,.mp4,.mov,.webm,.heic,.heif' });
  const progress = h('progress', { class: 'progress', max: 1, value: 0 });
  file.addEventListener('change', async () => {
    try {
      const asset = await upload('/api/v1/assets', file.files[0], (f) => { progress.value = f; });
      await followAsset(asset.status_url, out);
      refresh();
    } catch (err) { out.textContent = errorText(err); }
  });
  page(t('navUploads'), h('div', { class: 'card' }, field(t('uploadAny'), file), progress, out),
    h('table', {}, h('tbody', {}, list.items.map((a) => h('tr', {},
      h('td', {}, a.poster_url || (a.kind === 'image' && a.url)
        ? h('img', { src: a.poster_url || a.url, alt: '', width: 96, height: 96 }) : assetKindName(a.kind || '')),
      h('td', {}, a.original_name || `#${a.id}`), h('td', {}, assetStatusName(a.status)),
      h('td', {}, Object.keys(a.tiers).map(tierName).join(t('listSep'))),
      h('td', {}, (a.problems || []).map(problemText).join(t('groupSep')) || '—'))))));
}

async function translationsPage() {
  const missing = await api('GET', '/api/v1/studio/translations/missing');
  const names = langNames();
  page(t('textsToTranslate'), missing.items.length ? h('table', {}, h('tbody', {}, missing.items.map((m) =>
    h('tr', {}, h('td', {}, kindOne(String(m.type).replace(/_/g, '-'))), h('td', {}, m.slug),
      h('td', {}, fieldName(m.field)), h('td', {}, m.missing.map((l) => names[l] || l).join(t('listSep')))))))
    : h('p', {}, t('allTranslated')));
}

async function usersPage() {
  const users = await api('GET', '/api/v1/studio/users');
  const name = h('input', {});
  const role = h('select', {}, ['curator', 'reviewer', 'admin'].map((r) => h('option', { value: r }, roleName(r))));
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  page(t('navUsers'), h('table', {}, h('tbody', {}, users.items.map((u) => h('tr', {}, h('td', {}, u.name),
    h('td', {}, roleName(u.role)), h('td', {}, u.active ? t('accountActive') : t('accountClosed')),
    h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: async () => {
      await api('PATCH', `/api/v1/studio/users/${u.id}`, { active: !u.active }).catch(explain); refresh();
    } }, u.active ? t('closeAccount') : t('reopenAccount'))))))),
  h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try {
      await api('POST', '/api/v1/studio/users', { name: name.value, role: role.value, password: password.value });
      say(t('accountCreated')); refresh();
    } catch (err) { explain(err); }
  } }, h('h2', {}, t('newAccount')), field(t('userName'), name), field(t('role'), role),
  field(t('passwordLong'), password), h('button', { type: 'submit' }, t('create'))));
}

async function tokensPage() {
  const [tokens, users] = await Promise.all([api('GET', '/api/v1/studio/tokens'), api('GET', '/api/v1/studio/users')]);
  const name = h('input', {});
  const owner = h('select', {}, users.items.map((u) => h('option', { value: u.id }, u.name)));
  const out = h('p', { 'aria-live': 'polite' });
  page(t('tokensTitle'), h('table', {}, h('tbody', {}, tokens.items.map((tk) => h('tr', {}, h('td', {}, tk.name),
    h('td', {}, tk.user), h('td', {}, h('code', {}, `${tk.prefix}…`)),
    h('td', {}, tk.revoked_at ? t('revoked') : t('accountActive')),
    h('td', {}, tk.revoked_at ? '' : h('button', { type: 'button', class: 'danger', onclick: async () => {
      await api('DELETE', `/api/v1/studio/tokens/${tk.id}`).catch(explain); refresh();
    } }, t('revoke'))))))),
  h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const made = await api('POST', '/api/v1/studio/tokens', { name: name.value, user_id: Number(owner.value) });
      out.replaceChildren(t('copyTokenNow'), h('code', {}, made.token));
    } catch (err) { explain(err); }
  } }, h('h2', {}, t('newToken')), field(t('tokenPurpose'), name), field(t('actsAs'), owner),
  h('button', { type: 'submit' }, t('create')), out));
}

async function kiosksPage() {
  const kiosks = await api('GET', '/api/v1/studio/kiosks');
  const name = h('input', {}); const out = h('p', { 'aria-live': 'polite' });
  page(t('kiosksTitle'), h('table', {}, h('tbody', {}, kiosks.items.map((k) => h('tr', {}, h('td', {}, k.name),
    h('td', {}, k.revoked_at ? t('revoked') : t('accountActive')),
    h('td', {}, k.last_seen_at ? when(k.last_seen_at) : t('never')),
    h('td', {}, k.revoked_at ? '' : h('button', { type: 'button', class: 'danger', onclick: async () => {
      await api('DELETE', `/api/v1/studio/kiosks/${k.id}`).catch(explain); refresh();
    } }, t('revoke'))))))),
  h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try {
      const made = await api('POST', '/api/v1/studio/kiosks', { name: name.value });
      out.replaceChildren(t('kioskTokenNow'), h('code', {}, made.token));
    } catch (err) { explain(err); }
  } }, h('h2', {}, t('registerKiosk')), field(t('kioskName'), name), h('button', { type: 'submit' }, t('register')),
  out));
}

async function auditPage() {
  const log = await api('GET', '/api/v1/studio/audit?per_page=100');
  page(t('navAudit'), h('table', {}, h('thead', {}, h('tr', {}, h('th', {}, t('colWhen')), h('th', {}, t('colWho')),
    h('th', {}, t('colAction')), h('th', {}, t('colTarget')), h('th', {}, t('colAddress')))),
  h('tbody', {}, log.items.map((r) => h('tr', {},
    h('td', {}, when(r.at, 19)), h('td', {}, r.actor), h('td', {}, known(`act_${r.action}`, r.action)),
    h('td', {}, `${targetName(r.target_type)} ${r.target_id ?? ''}`), h('td', {}, r.ip))))));
}

async function placementPage(id) {
  const viewport = h('div', { class: 'viewport', id: 'viewport' });
  page(t('placementEditor'), h('p', { class: 'hint' }, t('loadingEditor')), viewport);
  const editor = await import('./_studio_editor.js').catch(() => null);
  if (!editor) { say(t('editorMissing'), true); return; }
  await editor.openPlacementEditor(main, Number(id), { api, say, canEdit: can.edit() });
}

async function route(keepMessage = false) {
  if (!keepMessage) say('');
  chrome();
  const hash = location.hash;
  const parts = hash.replace(/^#\/?/, '').split('/');
  delete main.dataset.drawn;
  try {
    if (me === null) await whoAmI();
    if (me === null) { signInPage(); return; }
    nav();
    const [view, a, b] = parts;
    if (!view) await dashboard();
    else if (view === 'signin') { location.hash = '#/'; }
    else if (view === 'list' && KINDS[a]) await listPage(a);
    else if (view === 'new' && KINDS[a]) await editPage(a, null);
    else if (view === 'edit' && KINDS[a]) await editPage(a, Number(b));
    else if (view === 'history' && KINDS[a]) await historyPage(a, Number(b));
    else if (view === 'place') await placementPage(a);
    else if (view === 'review') await reviewPage();
    else if (view === 'assets') await assetsPage();
    else if (view === 'translations') await translationsPage();
    else if (view === 'users') await usersPage();
    else if (view === 'tokens') await tokensPage();
    else if (view === 'kiosks') await kiosksPage();
    else if (view === 'audit') await auditPage();
    else page(t('notFound'), h('p', {}, h('a', { href: '#/' }, t('backToStart'))));
  } catch (err) { explain(err); }
  main.dataset.drawn = hash;  // the address whose view is on screen, for whoever waits for it (tests, scripts)
}

// One view at a time: every redraw, after a change of address or after an action, waits in this queue and then
// draws whatever the address names, so a slow page can never paint over the one the curator moved on to.
let routing = Promise.resolve();
function scheduleRoute() {
  routing = routing.then(() => route(false), () => route(false));
  return routing;
}

// Redraw the current view after an action, keeping the message that reported it.
function refresh() {
  routing = routing.then(() => route(true), () => route(true));
  return routing;
}

main.addEventListener('input', (e) => { if (/** @type {Element} */ (e.target).closest('form:not(.signin)')) unsaved = true; });
main.addEventListener('submit', () => { unsaved = false; });
window.addEventListener('hashchange', () => { unsaved = false; });
window.addEventListener('museum:lang', () => { refresh(); });

document.getElementById('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/api/v1/session').catch(() => null);
  me = null; setCsrf(null);
  if (location.hash === '#/signin') scheduleRoute(); else location.hash = '#/signin';
});
window.addEventListener('hashchange', scheduleRoute);
lang();
scheduleRoute();

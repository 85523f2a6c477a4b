// The curator studio: sign-in, dashboard, lists and editors for each kind of content, history with revert,
// review queue, uploads, translations, users, API tokens, kiosks and the 3D placement editor.
import { api, ApiError, setCsrf } from './api.js';
import { badge, field, h, say } from './dom.js';
import { KINDS, LANGS, followAsset, forgetOptions, renderFields, showFieldError, titleOf } from './forms.js';

const main = document.getElementById('main');
let me = null;

const can = {
  edit: () => me && ['admin', 'curator'].includes(me.role),
  publish: () => me && ['admin', 'reviewer'].includes(me.role),
  admin: () => me && me.role === 'admin',
};

function page(title, ...children) {
  document.title = `${title} · Curator studio`;
  main.replaceChildren(h('h1', {}, title), ...children);
  main.focus();
}

function explain(err) {
  if (err instanceof ApiError && err.status === 401) { me = null; location.hash = '#/signin'; }
  say(err.message || String(err), true);
}

function nav() {
  const links = [['#/', 'Home'], ...Object.entries(KINDS).map(([k, v]) => [`#/list/${k}`, v.label]),
    ['#/review', 'Review queue'], ['#/assets', 'Uploads'], ['#/translations', 'Translations']];
  if (can.admin()) links.push(['#/users', 'Users'], ['#/tokens', 'API tokens'], ['#/kiosks', 'Kiosks'], ['#/audit', 'Audit log']);
  const here = location.hash.split('/').slice(0, 3).join('/');
  document.getElementById('nav').replaceChildren(...links.map(([href, label]) =>
    h('a', { href, 'aria-current': href === here || (href === '#/' && here === '#') ? 'page' : null }, label)));
  document.getElementById('who').textContent = `${me.name} (${me.role})`;
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
      say(`Welcome, ${me.name}.`);
      if (location.hash === '#/' || location.hash === '') scheduleRoute(); else location.hash = '#/';
    } catch (err) { say(err.message, true); password.value = ''; password.focus(); }
  } }, field('Name 用户名', name), field('Password 密码', password),
  h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Sign in 登录')));
  document.title = 'Sign in · Curator studio';
  main.replaceChildren(h('h1', { class: 'signin' }, 'Curator studio · 策展工作室'), form);
  name.focus();
}

async function dashboard() {
  const [review, missing] = await Promise.all([api('GET', '/api/v1/studio/review'),
    api('GET', '/api/v1/studio/translations/missing')]);
  const counts = await Promise.all(Object.keys(KINDS).map((k) => api('GET', `/api/v1/studio/${k}?per_page=1`)));
  page(`Hello, ${me.name}`,
    h('p', {}, me.role === 'reviewer' ? 'You check and publish what curators send to review.'
      : 'Create and edit content here. Nothing reaches visitors until a reviewer publishes it.'),
    h('div', { class: 'grid' }, Object.entries(KINDS).map(([k, v], i) => h('a', { class: 'card', href: `#/list/${k}` },
      h('strong', {}, v.label), h('div', {}, `${counts[i].total} in total`)))),
    h('h2', {}, 'Waiting for review'),
    review.items.length ? h('ul', {}, review.items.map((it) => h('li', {},
      h('a', { href: `#/edit/${it.kind}/${it.id}` }, titleOf(it)), ` (${KINDS[it.kind].one})`)))
      : h('p', {}, 'Nothing is waiting for review.'),
    h('h2', {}, 'Translations'),
    h('p', {}, missing.total ? h('a', { href: '#/translations' }, `${missing.total} texts still miss a language.`)
      : 'Every text is in all three languages.'));
}

async function listPage(kind) {
  const spec = KINDS[kind];
  const status = h('select', { 'aria-label': 'Show' }, h('option', { value: '' }, 'Everything'),
    ...['draft', 'review', 'published'].map((s) => h('option', { value: s }, s)));
  const table = h('table');
  const load = async () => {
    const list = await api('GET', `/api/v1/studio/${kind}?per_page=100${status.value ? `&status=${status.value}` : ''}`);
    table.replaceChildren(h('thead', {}, h('tr', {}, h('th', {}, 'Title'), h('th', {}, 'State'),
      h('th', {}, 'Untranslated'), h('th', {}, 'Changed'))),
    h('tbody', {}, list.items.map((it) => h('tr', {},
      h('td', {}, h('a', { href: `#/edit/${kind}/${it.id}` }, titleOf(it)), h('div', { class: 'hint' }, it.slug)),
      h('td', {}, badge(it.status)),
      h('td', {}, Object.keys(it.untranslated).length
        ? h('span', { class: 'flag' }, Object.entries(it.untranslated).map(([f, l]) => `${f}: ${l.join(', ')}`).join('; '))
        : '—'),
      h('td', {}, (it.updated_at || '').slice(0, 16).replace('T', ' '))))));
  };
  status.addEventListener('change', load);
  page(spec.label, h('div', { class: 'actions' },
    can.edit() ? h('a', { class: 'button', href: `#/new/${kind}` }, `New ${spec.one}`) : null, field('Show', status)), table);
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
    try { body = { slug: slug.value, ...fields.read() }; } catch (err) { say(`Check the JSON: ${err.message}`, true); return; }
    try {
      const saved = id ? await api('PUT', `/api/v1/studio/${kind}/${id}`, { ...body, version: doc.version })
        : await api('POST', `/api/v1/studio/${kind}`, body);
      forgetOptions();
      say(saved.status === 'draft' && doc.status !== 'draft' && id
        ? 'Saved. It is a draft again: send it to review so a reviewer can publish it.' : 'Saved.');
      if (id) refresh(); else location.hash = `#/edit/${kind}/${saved.id}`;
    } catch (err) {
      if (err.status === 412) {
        say(`${err.message}`, true);
        form.append(h('p', {}, h('button', { type: 'button', onclick: () => refresh() }, 'Reload the latest version')));
      } else if (!showFieldError(form, err)) explain(err); else say(err.message, true);
    }
  } }, field('Short name in links (slug)', slug, 'lower-case letters, digits and hyphens'), fields.node,
  h('div', { class: 'actions' }, can.edit() ? h('button', { type: 'submit' }, 'Save') : null));
  if (!can.edit()) form.querySelectorAll('input, select, textarea').forEach((el) => { el.disabled = true; });
  const flow = id ? workflowBar(kind, doc) : null;
  const untranslated = Object.keys(doc.untranslated || {});
  page(id ? `${spec.one[0].toUpperCase()}${spec.one.slice(1)}: ${titleOf(doc)}` : `New ${spec.one}`,
    id ? h('p', {}, badge(doc.status), ` Version ${doc.version}. `,
      untranslated.length ? h('span', { class: 'flag' }, `Not translated yet: ${untranslated.join(', ')}.`) : '') : '',
    flow, form);
}

function workflowBar(kind, doc) {
  const move = (status, words) => h('button', { type: 'button', class: status === 'published' ? '' : 'secondary',
    onclick: async () => {
      try {
        await api('POST', `/api/v1/studio/${kind}/${doc.id}/status`, { status, version: doc.version });
        say(words);
        refresh();
      } catch (err) { if (err.pointer && err.pointer.startsWith('/placements')) say(err.message, true); else explain(err); }
    } }, { review: 'Send to review', published: 'Publish', draft: doc.status === 'published' ? 'Unpublish' : 'Back to draft' }[status]);
  const bar = h('div', { class: 'actions' });
  if (doc.status === 'draft' && can.edit()) bar.append(move('review', 'Sent to review.'));
  if (doc.status === 'review' && can.publish()) bar.append(move('published', 'Published: visitors can see it now.'));
  if (doc.status === 'draft' && can.admin()) bar.append(move('published', 'Published.'));
  if (doc.status === 'review') bar.append(move('draft', 'Sent back to draft.'));
  if (doc.status === 'published' && can.publish()) bar.append(move('draft', 'Unpublished.'));
  bar.append(h('a', { class: 'button secondary', href: `#/history/${kind}/${doc.id}` }, 'History'));
  if (kind === 'galleries') bar.append(h('a', { class: 'button secondary', href: `#/place/${doc.id}` }, 'Open the placement editor'));
  const linkOut = h('span');
  bar.append(h('button', { type: 'button', class: 'secondary', onclick: async () => {
    const link = await api('POST', `/api/v1/studio/${kind}/${doc.id}/preview`);
    linkOut.replaceChildren('Preview (valid 24 hours, works on a phone or headset): ',
      h('a', { href: link.url, target: '_blank', rel: 'noopener' }, link.url));
  } }, 'Preview link'), linkOut);
  if (can.edit() && (doc.status === 'draft' || can.admin())) {
    bar.append(h('button', { type: 'button', class: 'danger', onclick: async () => {
      if (!window.confirm(`Delete “${titleOf(doc)}”? This cannot be undone from the studio.`)) return;
      try {
        await api('DELETE', `/api/v1/studio/${kind}/${doc.id}`, undefined, { 'If-Match': `"${doc.version}"` });
        say('Deleted.'); location.hash = `#/list/${kind}`;
      } catch (err) { explain(err); }
    } }, 'Delete'));
  }
  return bar;
}

function show(value) {
  if (value === null || value === undefined) return '(empty)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

async function historyPage(kind, id) {
  const [doc, hist] = await Promise.all([api('GET', `/api/v1/studio/${kind}/${id}`),
    api('GET', `/api/v1/studio/${kind}/${id}/history`)]);
  page(`History: ${titleOf(doc)}`, h('p', {}, h('a', { href: `#/edit/${kind}/${id}` }, 'Back to the editor')),
    ...hist.revisions.map((rev, i) => h('section', { class: 'card diff' },
      h('h2', {}, `Version ${rev.version}`, ' — ', rev.message),
      h('p', { class: 'hint' }, `${rev.at.slice(0, 16).replace('T', ' ')} by ${rev.author || 'the system'}`),
      h('ul', {}, rev.changes.slice(0, 50).map((c) => h('li', {}, h('code', {}, c.path), ': ',
        h('del', {}, show(c.before)), ' → ', h('ins', {}, show(c.after))))),
      i > 0 && can.edit() ? h('button', { type: 'button', class: 'secondary', onclick: async () => {
        try {
          await api('POST', `/api/v1/studio/${kind}/${id}/revert/${rev.id}`, { version: hist.version });
          say(`Restored version ${rev.version} (as a new version you can undo).`);
          refresh();
        } catch (err) { explain(err); }
      } }, `Restore version ${rev.version}`) : null)));
}

async function reviewPage() {
  const queue = await api('GET', '/api/v1/studio/review');
  page('Review queue', queue.items.length ? h('table', {}, h('tbody', {}, queue.items.map((it) => h('tr', {},
    h('td', {}, KINDS[it.kind].one), h('td', {}, h('a', { href: `#/edit/${it.kind}/${it.id}` }, titleOf(it))),
    h('td', {}, (it.updated_at || '').slice(0, 16).replace('T', ' '))))))
    : h('p', {}, 'Nothing is waiting for review.'));
}

async function assetsPage() {
  const list = await api('GET', '/api/v1/studio/assets?per_page=100');
  const out = h('p', { 'aria-live': 'polite' });
  const file = h('input', { type: 'file', accept: '.glb,.gltf,.zip,.png,.jpg,.jpeg,.webp,.mp3,.ogg,.m4a,.wav,.vtt' });
  const progress = h('progress', { class: 'progress', max: 1, value: 0 });
  const { upload } = await import('./api.js');
  file.addEventListener('change', async () => {
    try {
      const asset = await upload('/api/v1/assets', file.files[0], (f) => { progress.value = f; });
      await followAsset(asset.status_url, out);
      refresh();
    } catch (err) { out.textContent = err.message; }
  });
  page('Uploads', h('div', { class: 'card' },
    field('Upload a 3D model (.glb, .gltf, .zip), a picture (.png, .jpg, .webp), audio (.mp3, .ogg, .m4a, .wav) '
      + 'or captions (.vtt)', file), progress, out),
    h('table', {}, h('tbody', {}, list.items.map((a) => h('tr', {},
      h('td', {}, a.poster_url || (a.kind === 'image' && a.url)
        ? h('img', { src: a.poster_url || a.url, alt: '', width: 96, height: 96 }) : (a.kind || '')),
      h('td', {}, a.original_name || `#${a.id}`), h('td', {}, a.status),
      h('td', {}, Object.keys(a.tiers).join(', ')),
      h('td', {}, (a.problems || []).map((p) => p.message || p.code).join('; ') || '—'))))));
}

async function translationsPage() {
  const missing = await api('GET', '/api/v1/studio/translations/missing');
  const names = Object.fromEntries(LANGS);
  page('Texts still to translate', missing.items.length ? h('table', {}, h('tbody', {}, missing.items.map((m) =>
    h('tr', {}, h('td', {}, m.type), h('td', {}, m.slug), h('td', {}, m.field),
      h('td', {}, m.missing.map((l) => names[l]).join(', '))))))
    : h('p', {}, 'Every text is in all three languages.'));
}

async function usersPage() {
  const users = await api('GET', '/api/v1/studio/users');
  const name = h('input', {}); const role = h('select', {}, ['curator', 'reviewer', 'admin'].map((r) => h('option', {}, r)));
  const password = h('input', { type: 'password', autocomplete: 'new-password' });
  page('Users', h('table', {}, h('tbody', {}, users.items.map((u) => h('tr', {}, h('td', {}, u.name), h('td', {}, u.role),
    h('td', {}, u.active ? 'active' : 'closed'),
    h('td', {}, h('button', { type: 'button', class: 'secondary', onclick: async () => {
      await api('PATCH', `/api/v1/studio/users/${u.id}`, { active: !u.active }).catch(explain); refresh();
    } }, u.active ? 'Close account' : 'Reopen account')))))),
  h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try { await api('POST', '/api/v1/studio/users', { name: name.value, role: role.value, password: password.value });
      say('Account created.'); refresh(); } catch (err) { explain(err); }
  } }, h('h2', {}, 'New account'), field('Name', name), field('Role', role), field('Password (10 characters or more)', password),
  h('button', { type: 'submit' }, 'Create')));
}

async function tokensPage() {
  const [tokens, users] = await Promise.all([api('GET', '/api/v1/studio/tokens'), api('GET', '/api/v1/studio/users')]);
  const name = h('input', {}); const owner = h('select', {}, users.items.map((u) => h('option', { value: u.id }, u.name)));
  const out = h('p', { 'aria-live': 'polite' });
  page('API tokens for scripts', h('table', {}, h('tbody', {}, tokens.items.map((t) => h('tr', {}, h('td', {}, t.name),
    h('td', {}, t.user), h('td', {}, h('code', {}, `${t.prefix}…`)), h('td', {}, t.revoked_at ? 'revoked' : 'active'),
    h('td', {}, t.revoked_at ? '' : h('button', { type: 'button', class: 'danger', onclick: async () => {
      await api('DELETE', `/api/v1/studio/tokens/${t.id}`).catch(explain); refresh();
    } }, 'Revoke')))))),
  h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try { const t = await api('POST', '/api/v1/studio/tokens', { name: name.value, user_id: Number(owner.value) });
      out.replaceChildren('Copy this token now; it is shown only once: ', h('code', {}, t.token)); } catch (err) { explain(err); }
  } }, h('h2', {}, 'New token'), field('What it is for', name), field('Acts as', owner), h('button', { type: 'submit' }, 'Create'), out));
}

async function kiosksPage() {
  const kiosks = await api('GET', '/api/v1/studio/kiosks');
  const name = h('input', {}); const out = h('p', { 'aria-live': 'polite' });
  page('Photo kiosks', h('table', {}, h('tbody', {}, kiosks.items.map((k) => h('tr', {}, h('td', {}, k.name),
    h('td', {}, k.revoked_at ? 'revoked' : 'active'), h('td', {}, (k.last_seen_at || 'never').slice(0, 16)),
    h('td', {}, k.revoked_at ? '' : h('button', { type: 'button', class: 'danger', onclick: async () => {
      await api('DELETE', `/api/v1/studio/kiosks/${k.id}`).catch(explain); refresh();
    } }, 'Revoke')))))),
  h('form', { class: 'card', onsubmit: async (e) => {
    e.preventDefault();
    try { const k = await api('POST', '/api/v1/studio/kiosks', { name: name.value });
      out.replaceChildren('Enter this device token in the kiosk (shown only once): ', h('code', {}, k.token)); } catch (err) { explain(err); }
  } }, h('h2', {}, 'Register a kiosk'), field('Name', name), h('button', { type: 'submit' }, 'Register'), out));
}

async function auditPage() {
  const log = await api('GET', '/api/v1/studio/audit?per_page=100');
  page('Audit log', h('table', {}, h('tbody', {}, log.items.map((r) => h('tr', {},
    h('td', {}, r.at.slice(0, 19).replace('T', ' ')), h('td', {}, r.actor), h('td', {}, r.action),
    h('td', {}, `${r.target_type} ${r.target_id}`), h('td', {}, r.ip))))));
}

async function placementPage(id) {
  const viewport = h('div', { class: 'viewport', id: 'viewport' });
  page('Placement editor', h('p', { class: 'hint' }, 'Loading the 3D editor…'), viewport);
  const editor = await import('/studio/build/studio_editor.js').catch(() => null);
  if (!editor) { say('The 3D editor is not built on this server (run `npm run build`).', true); return; }
  await editor.openPlacementEditor(main, Number(id), { api, say, canEdit: can.edit() });
}

async function route(keepMessage = false) {
  if (!keepMessage) say('');
  const parts = location.hash.replace(/^#\/?/, '').split('/');
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
    else page('Not found', h('p', {}, h('a', { href: '#/' }, 'Back to the start')));
  } catch (err) { explain(err); }
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

document.getElementById('sign-out').addEventListener('click', async () => {
  await api('DELETE', '/api/v1/session').catch(() => null);
  me = null; setCsrf(null);
  if (location.hash === '#/signin') scheduleRoute(); else location.hash = '#/signin';
});
window.addEventListener('hashchange', scheduleRoute);
scheduleRoute();

// What changed, for the reviewer: content in review is shown as its differences from the published version (or,
// never published, from the revision before), from GET /api/v1/studio/<kind>/<id>/changes: each text per language
// with the words taken out and put in marked, exhibits moved, turned, added or removed in a gallery, other fields
// as before -> after. The studio shows this instead of the whole form (which stays one click away).
import { h } from './_dom.js';
import { t } from './_i18n.js';
import { pathText, titleOf, valueNode } from './_studio_forms.js';

const LANG_NAMES = { 'zh-Hans': '简体中文', 'zh-Hant': '繁體中文', en: 'English' };
const PLACEMENT_FIELDS = { translation: 'placementPosition', rotation_deg: 'placementRotation', scale: 'placementScale',
  target_size_m: 'placementHeight', mount: 'placementMount', plinth: 'placementPlinth', label: 'placementLabel',
  exhibit_id: 'placementExhibit' };

const show = (kind, path, value) => (value === null || value === undefined ? '—' : valueNode(kind, path, value));

/** Return the text with its deleted words in <del> and inserted words in <ins>. */
function marked(ops) {
  return ops.map(([op, text]) => (op === 'insert' ? h('ins', {}, text) : op === 'delete' ? h('del', {}, text) : text));
}

function textList(texts) {
  return h('ul', { class: 'changes-texts' }, texts.map((c) => h('li', { 'data-path': c.path },
    h('strong', {}, `${c.field.slice(1).replaceAll('/', ' › ')} · ${LANG_NAMES[c.lang] || c.lang}`),
    h('p', { class: 'diff', lang: c.lang }, marked(c.ops)))));
}

function placementWhat(p) {
  if (p.change === 'added') return t('changesAdded');
  if (p.change === 'removed') return t('changesRemoved');
  const parts = [];
  if (p.moved_m > 0) parts.push(t('changesMoved', { m: p.moved_m.toFixed(2) }));
  if (p.turned_deg > 0) parts.push(t('changesTurned', { d: Math.round(p.turned_deg) }));
  const rest = p.fields.filter((f) => f !== 'translation' && f !== 'rotation_deg').map((f) => t(PLACEMENT_FIELDS[f] || f));
  if (rest.length) parts.push(t('changesOther', { names: rest.join(t('listSep')) }));
  return parts.join(t('listSep'));
}

function placementList(placements) {
  return h('ul', { class: 'changes-placements' }, placements.map((p) => h('li',
    { 'data-change': p.change, 'data-exhibit': p.exhibit || '' },
    h('strong', {}, titleOf({ title: p.title, slug: p.exhibit || String(p.exhibit_id) })), `${t('colon')}${placementWhat(p)}`)));
}

function fieldTable(kind, fields) {
  return h('table', { class: 'diff' }, h('tbody', {}, fields.map((f) => h('tr', {},
    h('td', { title: f.path }, pathText(kind, f.path)), h('td', {}, h('del', {}, show(kind, f.path, f.before))),
    h('td', {}, h('ins', {}, show(kind, f.path, f.after)))))));
}

/** Fetch what changed in a piece of content and return it as a section to put above the (folded) form. */
export async function changesView(api, kind, id) {
  const changes = await api('GET', `/api/v1/studio/${kind}/${id}/changes`);
  const base = changes.base.kind === 'published' ? t('changesPublished')
    : changes.base.kind === 'revision' ? t('changesRevision', { n: changes.base.version }) : t('changesNone');
  const section = h('section', { class: 'card changes', 'aria-labelledby': 'changes-heading' },
    h('h2', { id: 'changes-heading' }, t('changesHeading')), h('p', { class: 'hint' }, base));
  if (!changes.total) section.append(h('p', {}, t('changesNothing')));
  if (changes.texts.length) section.append(h('h3', {}, t('changesTexts')), textList(changes.texts));
  if (changes.placements.length) section.append(h('h3', {}, t('changesPlacements')), placementList(changes.placements));
  if (changes.fields.length) section.append(h('h3', {}, t('changesFields')), fieldTable(kind, changes.fields));
  if (changes.more) section.append(h('p', { class: 'hint' }, t('changesMore', { n: changes.more })));
  return section;
}

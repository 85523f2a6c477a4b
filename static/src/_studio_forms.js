// Editors for every kind of content, built from a description of its fields; each input knows the JSON pointer
// of its value, so a server error ("pointer": "/placements/1/mount") is shown on the field at fault. Labels and
// hints are keys of the studio's texts, shown in the curator's language.
import { api, upload } from './_api.js';
import { field, h } from './_dom.js';
import { lang, t } from './_i18n.js';

/** The content languages, named in the curator's language: [[code, name], ...]. */
export function contentLangs() {
  return [['zh-Hans', t('langZhHans')], ['zh-Hant', t('langZhHant')], ['en', t('langEn')]];
}

const I18N = (name, label, long = false) => ({ name, label, type: long ? 'i18n-long' : 'i18n' });
const LANG_WORDS = { 'zh-Hans': 'langZhHans', 'zh-Hant': 'langZhHant', en: 'langEn' };
const MOUNTS = ['pedestal', 'wall', 'floor', 'showcase'];
/** The mounts' names (keys of the studio's texts), by value. */
export const MOUNT_WORDS = { pedestal: 'mountPedestal', wall: 'mountWall', floor: 'mountFloor', showcase: 'mountShowcase' };
// What an exhibit's file is used as (the server's MEDIA_ROLES); none lets the kind of file say (a video: the film).
// Narration captions go with the narration audio of their language, film captions with the film.
const MEDIA_ROLES = ['', 'image', 'audio', 'captions', 'film', 'film_captions'];
const MEDIA_ROLE_WORDS = { '': 'mediaByKind', image: 'mediaImage', audio: 'mediaAudio', captions: 'mediaCaptions',
  film: 'mediaFilm', film_captions: 'mediaFilmCaptions' };

// A gallery's sound zones: heard in the whole room, or near their place within a radius (the server's SOUND_KINDS).
export const SOUND_KINDS = ['ambient', 'spot'];
export const SOUND_KIND_WORDS = { ambient: 'soundAmbient', spot: 'soundSpot' };

export const KINDS = {
  exhibits: { label: 'kindExhibits', one: 'oneExhibit', fields: [
    I18N('title', 'fTitle'), I18N('summary', 'fShortSummary', true), I18N('body', 'fFullText', true),
    I18N('object_date', 'fObjectDate'), I18N('narration_text', 'fNarrationText', true),
    { name: 'model_asset_id', label: 'f3dModel', type: 'asset' },
    { name: 'era_id', label: 'fEra', type: 'ref', ref: 'eras' },
    { name: 'real_height_m', label: 'fRealHeight', type: 'number', hint: 'hEmptyIfUnknown' },
    { name: 'tags', label: 'fKeywords', type: 'tags', hint: 'hCommas' },
    { name: 'sample', label: 'fSampleUnchecked', type: 'bool' },
    { name: 'hotspots', label: 'fHotspots', type: 'list', itemLabel: 'iHotspot',
      blank: () => ({ slug: `spot-${Date.now() % 100000}`, kind: 'point', anchor: [0, 0, 0], title: {}, text: {} }),
      item: [{ name: 'slug', label: 'fHotspotSlug', type: 'text' },
        { name: 'anchor', label: 'fAnchor', type: 'vec3', hint: 'hClickModel' },
        I18N('title', 'fTitle'), I18N('text', 'fText', true),
        { name: 'image_asset_id', label: 'fPicture', type: 'asset', kind: 'image' },
        I18N('image_alt', 'fAlt'), I18N('image_credit', 'fPictureCredit'),
        { name: 'audio_asset_id', label: 'fAudioNarration', type: 'asset', kind: 'audio' },
        { name: 'captions_asset_id', label: 'fCaptionsFile', type: 'asset', kind: 'captions' }] },
    { name: 'media', label: 'fMedia', type: 'list', itemLabel: 'iFile',
      blank: () => ({ asset_id: null, role: '', lang: '', synthetic: false, caption: {}, alt: {}, credit: {} }),
      item: [{ name: 'asset_id', label: 'fMediaFile', type: 'asset', kind: 'media' },
        { name: 'role', label: 'fMediaRole', type: 'select', options: MEDIA_ROLES, words: MEDIA_ROLE_WORDS },
        { name: 'lang', label: 'fMediaLang', type: 'select', options: ['', 'zh-Hans', 'zh-Hant', 'en'],
          words: { '': 'optNone', ...LANG_WORDS } },
        { name: 'synthetic', label: 'fSynthetic', type: 'bool' },
        I18N('caption', 'fCaption'), I18N('alt', 'fAlt'), I18N('credit', 'fCredit')] },
  ] },
  galleries: { label: 'kindGalleries', one: 'oneGallery', fields: [
    I18N('title', 'fTitle'), I18N('summary', 'fShortSummary', true),
    { name: 'room_asset_id', label: 'fRoomModel', type: 'asset' },
    { name: 'lighting', label: 'fLighting', type: 'select', options: ['warm', 'gallery', 'cool'],
      words: { warm: 'lightWarm', gallery: 'lightGallery', cool: 'lightCool' } },
    { name: 'size_m', label: 'fRoomSize', type: 'vec3' },
    { name: 'position', label: 'fOrderInMuseum', type: 'int' },
    { name: 'placements', label: 'fPlacements', type: 'list', itemLabel: 'iPlacement', hint: 'hUsePlacementEditor',
      blank: () => ({ exhibit_id: null, translation: [0, 0, 0], rotation_deg: [0, 0, 0], scale: 1, mount: 'floor',
        label: {} }),
      item: [{ name: 'exhibit_id', label: 'fExhibit', type: 'ref', ref: 'exhibits' },
        { name: 'translation', label: 'fPositionXyz', type: 'vec3' },
        { name: 'rotation_deg', label: 'fRotationXyz', type: 'vec3' },
        { name: 'scale', label: 'fScale', type: 'number' },
        { name: 'mount', label: 'fMount', type: 'select', options: MOUNTS, words: MOUNT_WORDS },
        I18N('label', 'fLabel')] },
    { name: 'doors', label: 'fDoors', type: 'list', itemLabel: 'iDoor',
      blank: () => ({ to_gallery_id: null, translation: [0, 0, 0], yaw_deg: 0, label: {} }),
      item: [{ name: 'to_gallery_id', label: 'fLeadsTo', type: 'ref', ref: 'galleries' },
        { name: 'translation', label: 'fPositionXyz', type: 'vec3' },
        { name: 'yaw_deg', label: 'fFacing', type: 'number' }, I18N('label', 'fLabel')] },
    { name: 'spawns', label: 'fSpawns', type: 'list', itemLabel: 'iStartPoint',
      blank: () => ({ position: [0, 0, 0], yaw_deg: 0 }),
      item: [{ name: 'position', label: 'fPositionXyz', type: 'vec3' },
        { name: 'yaw_deg', label: 'fFacing', type: 'number' }] },
    { name: 'sounds', label: 'fSounds', type: 'list', itemLabel: 'iSound', hint: 'hSounds',
      blank: () => ({ kind: 'spot', asset_id: null, translation: [0, 1.5, 0], radius_m: 4, volume: 0.6, title: {} }),
      item: [{ name: 'kind', label: 'fSoundKind', type: 'select', options: SOUND_KINDS, words: SOUND_KIND_WORDS },
        { name: 'asset_id', label: 'fSoundFile', type: 'asset', kind: 'audio' },
        { name: 'translation', label: 'fPositionXyz', type: 'vec3' },
        { name: 'radius_m', label: 'fRadius', type: 'number' },
        { name: 'volume', label: 'fVolume', type: 'number' }, I18N('title', 'fSoundTitle')] },
  ] },
  eras: { label: 'kindEras', one: 'oneEra', fields: [
    I18N('title', 'fTitle'), I18N('summary', 'fSummary', true),
    { name: 'start_year', label: 'fFromYear', type: 'int' },
    { name: 'end_year', label: 'fToYear', type: 'int', hint: 'hUntilToday' },
    { name: 'position', label: 'fOrder', type: 'int' }, { name: 'sample', label: 'fSample', type: 'bool' },
  ] },
  events: { label: 'kindEvents', one: 'oneEvent', fields: [
    I18N('title', 'fTitle'), I18N('body', 'fText', true),
    { name: 'year', label: 'fYear', type: 'int' }, { name: 'month', label: 'fMonth', type: 'int' },
    { name: 'day', label: 'fDay', type: 'int' }, { name: 'era_id', label: 'fEra', type: 'ref', ref: 'eras' },
    { name: 'source', label: 'fSource', type: 'text' }, { name: 'sample', label: 'fSample', type: 'bool' },
    { name: 'image_asset_id', label: 'fPicture', type: 'asset', kind: 'image' },
  ] },
  tours: { label: 'kindTours', one: 'oneTour', fields: [
    I18N('title', 'fTitle'), I18N('summary', 'fSummary', true),
    { name: 'stops', label: 'fStops', type: 'list', itemLabel: 'iStop',
      blank: () => ({ gallery_id: null, exhibit_id: null, title: {}, text: {}, narration: {}, duration_s: 20 }),
      item: [{ name: 'gallery_id', label: 'fGallery', type: 'ref', ref: 'galleries' },
        { name: 'exhibit_id', label: 'fExhibitToLookAt', type: 'ref', ref: 'exhibits' },
        I18N('title', 'fTitle'), I18N('text', 'fText', true), I18N('narration', 'fNarration', true),
        { name: 'narration_asset_id', label: 'fNarrationAudio', type: 'asset', kind: 'audio' },
        { name: 'captions_asset_id', label: 'fCaptionsFile', type: 'asset', kind: 'captions' },
        { name: 'duration_s', label: 'fDuration', type: 'number' }] },
  ] },
  'photo-templates': { label: 'kindPhotoTemplates', one: 'onePhotoTemplate', fields: [
    I18N('title', 'fTitle'), I18N('caption', 'fCaption'),
    { name: 'frame_sha256', label: 'fFrame', type: 'text' },
    { name: 'spec', label: 'fLayoutJson', type: 'json' },
  ] },
};

const refCache = new Map();

export async function options(kind) {
  if (!refCache.has(kind)) {
    refCache.set(kind, api('GET', `/api/v1/studio/${kind}?per_page=100`).then((r) => r.items));
  }
  return refCache.get(kind);
}

export function forgetOptions() { refCache.clear(); }

/** Walk a change's JSON pointer (as the history and the changes report it) through the form: the field it ends at
 * and the form's labels on the way ("Exhibits in this room › Placement 2 › Mount"), or null where the form has no
 * field for it. */
function fieldAt(kind, path) {
  let specs = KINDS[kind]?.fields;
  let spec = null;
  const names = [];
  for (const part of String(path).split('/').filter(Boolean)) {
    if (spec?.type === 'list' && /^\d+$/.test(part)) {
      names.push(t('itemN', { item: t(spec.itemLabel), n: Number(part) + 1 }));
      specs = spec.item;
    } else if (spec?.type?.startsWith('i18n') && LANG_WORDS[part]) {
      names.push(t(LANG_WORDS[part]));
      specs = null;
    } else {
      spec = specs?.find((s) => s.name === part) || null;
      if (!spec) return null;
      names.push(t(spec.label));
    }
  }
  return spec && { spec, names };
}

/** A change's JSON pointer as the curator reads it: the form's own labels in the studio's language, or the
 * pointer itself where the form has no field for it. */
export function pathText(kind, path) {
  return fieldAt(kind, path)?.names.join(' › ') || path;
}

/** A changed value to show: a choice by its name in the studio's language; a whole list of items (a gallery's
 * placements, a tour's stops) counted, with its JSON folded under the count; anything else as it is. */
export function valueNode(kind, path, value) {
  const spec = fieldAt(kind, path)?.spec;
  if (spec?.words && typeof value === 'string' && spec.words[value]) return t(spec.words[value]);
  if (spec?.type === 'list' && Array.isArray(value) && value.length) {
    const count = t('itemsN', { n: value.length, item: t(spec.itemLabel) });
    return h('details', { class: 'value-list' }, h('summary', {}, count), h('code', {}, JSON.stringify(value)));
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** An item's title in the curator's language, else in another, else its slug or name. */
export function titleOf(item) {
  const title = item.title || {};
  const order = { 'zh-Hans': ['zh-Hans', 'zh-Hant', 'en'], 'zh-Hant': ['zh-Hant', 'zh-Hans', 'en'],
    en: ['en', 'zh-Hans', 'zh-Hant'] }[lang()];
  const found = order.map((code) => title[code]).find((text) => text && text.trim());
  return found || item.slug || item.original_name || `#${item.id}`;
}

function i18nEditor(spec, value, pointer) {
  const text = { ...(value || {}) };
  const box = h('fieldset', { 'data-pointer': pointer }, h('legend', {}, t(spec.label)));
  const langs = h('div', { class: 'langs' });
  for (const [code, name] of contentLangs()) {
    const input = spec.type === 'i18n-long'
      ? h('textarea', { lang: code, 'data-pointer': `${pointer}/${code}` })
      : h('input', { lang: code, 'data-pointer': `${pointer}/${code}` });
    input.value = text[code] || '';
    const flag = h('span', { class: 'flag' });
    const wrap = h('div', { class: 'lang' }, field(name, input), flag);
    const mark = () => {
      const missing = !input.value.trim();
      wrap.classList.toggle('missing', missing);
      flag.textContent = missing ? t('notTranslatedYet') : '';
      input.setAttribute('aria-invalid', missing ? 'true' : 'false');
    };
    input.addEventListener('input', () => { text[code] = input.value; mark(); });
    mark();
    langs.append(wrap);
  }
  box.append(langs);
  return { node: box, read: () => Object.fromEntries(Object.entries(text).filter(([, v]) => v && v.trim())) };
}

function vecEditor(spec, value, pointer) {
  const inputs = [0, 1, 2].map((i) => h('input', { type: 'number', step: 'any', inputmode: 'decimal',
    'aria-label': `${t(spec.label)} ${'xyz'[i]}`, 'data-pointer': `${pointer}/${i}` }));
  inputs.forEach((input, i) => { input.value = value && value[i] !== undefined ? value[i] : ''; });
  const node = h('div', { 'data-pointer': pointer }, h('label', {}, t(spec.label),
    spec.hint ? h('span', { class: 'hint' }, ` — ${t(spec.hint)}`) : null), h('div', { class: 'langs' }, inputs));
  return { node, read: () => (inputs.every((i) => i.value === '') ? [] : inputs.map((i) => Number(i.value || 0))) };
}

// What each kind of asset field accepts, and how its upload control is named.
const ASSET_KINDS = {
  model: { accept: '.glb,.gltf,.zip', upload: 'uploadModel' },
  image: { accept: '.png,.jpg,.jpeg,.webp', upload: 'uploadPicture' },
  audio: { accept: '.mp3,.ogg,.m4a,.wav', upload: 'uploadAudio' },
  captions: { accept: '.vtt', upload: 'uploadCaptions' },
  media: { accept: '.png,.jpg,.jpeg,.webp,.mp3,.ogg,.m4a,.wav,.vtt,.mp4,.mov,.webm', upload: 'uploadMedia' },
};
const MEDIA_KINDS = ['image', 'audio', 'captions', 'video'];

function assetEditor(spec, value, pointer) {
  const kind = spec.kind || 'model';
  const select = h('select', { 'data-pointer': pointer, 'aria-label': t(spec.label) });
  const progress = h('progress', { class: 'progress', max: 1, value: 0, hidden: true });
  const state = h('p', { class: 'hint', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', accept: ASSET_KINDS[kind].accept });
  // The file the document names is chosen from the start, before (and whether or not) the list of uploads
  // arrives: a curator who saves a typo fix meanwhile keeps the exhibit's model.
  const named = (id) => h('option', { value: id }, `${assetKindName(kind)} #${id}`);
  select.replaceChildren(h('option', { value: '' }, t('optNone')), ...(value ? [named(value)] : []));
  select.value = value ?? '';
  const fill = async (selected = null) => {
    const list = await api('GET', '/api/v1/studio/assets?per_page=100');
    const keep = selected ?? (select.value ? Number(select.value) : null);
    const options = list.items.filter((a) => (kind === 'media' ? MEDIA_KINDS.includes(a.kind) : (a.kind || 'model') === kind))
      .map((a) => h('option', { value: a.id },
        `${a.original_name || assetKindName(a.kind || kind)} #${a.id} (${assetStatusName(a.status)})`));
    if (keep && !options.some((o) => o.value === String(keep))) options.unshift(named(keep));
    select.replaceChildren(h('option', { value: '' }, t('optNone')), ...options);
    select.value = keep ?? '';
  };
  fill().catch(() => null);  // without the list the named file stays chosen
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    progress.hidden = false;
    state.textContent = t('uploading');
    try {
      const asset = await upload('/api/v1/assets', file.files[0], (f) => { progress.value = f; });
      progress.value = 1;
      await fill(asset.id);
      await followAsset(asset.status_url, state);
      await fill(asset.id);
    } catch (err) {
      state.textContent = t('uploadFailed', { why: errorText(err) });
    }
  });
  const node = h('div', { 'data-pointer': pointer }, field(t(spec.label), select),
    field(t(ASSET_KINDS[kind].upload), file), progress, state);
  return { node, read: () => (select.value ? Number(select.value) : null) };
}

// A file's size as people read it: 850 B, 12 KB, 3.4 MB (a small picture or caption file is not "0.0 MB").
export function sizeText(bytes) {
  const n = Number(bytes) || 0;
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${n < 1e4 ? (n / 1e3).toFixed(1) : Math.round(n / 1e3)} KB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(n < 1e7 ? 1 : 0)} MB`;
  return `${(n / 1e9).toFixed(1)} GB`;
}

const TIERS = { phone: 'tierPhone', desktop: 'tierDesktop', vr: 'tierVr', original: 'tierOriginal', poster: 'tierPoster',
  small: 'tierSmall', large: 'tierLarge' };
const ASSET_STATUS = { queued: 'statusQueued', processing: 'statusProcessing', ready: 'statusReady',
  failed: 'statusFailed' };
const ASSET_KIND_NAMES = { model: 'assetModel', image: 'assetImage', audio: 'assetAudio', captions: 'assetCaptions',
  media: 'assetMedia', video: 'assetVideo' };

/** A version's name (phone, desktop, ...) in the curator's language. */
export function tierName(tier) { return TIERS[tier] ? t(TIERS[tier]) : tier; }

/** An upload's state (queued, ready, ...) in the curator's language. */
export function assetStatusName(status) { return ASSET_STATUS[status] ? t(ASSET_STATUS[status]) : status; }

/** A kind of upload (model, image, ...) in the curator's language. */
export function assetKindName(kind) { return ASSET_KIND_NAMES[kind] ? t(ASSET_KIND_NAMES[kind]) : kind; }

/** A problem found in an upload or a layout: the studio's own words for its code, else the server's (in English). */
export function problemText(problem) {
  const key = `err_${problem.code}`;
  if (lang() !== 'en' && t(key) !== key) return t(key);
  return problem.message || problem.code;
}

/** What went wrong, for the curator: in English the server's own message (it names the value at fault); in Chinese
 * the studio's words for the error's code, else for its HTTP status. */
export function errorText(err) {
  if (lang() === 'en' && err.message) return err.message;
  const key = `err_${err.code}`;
  if (t(key) !== key) return t(key);
  const byStatus = `err_http${err.status}`;
  return t(byStatus) !== byStatus ? t(byStatus) : t('err_other', { status: err.status || '' });
}

// Follow an uploaded model through the pipeline and say where it is, in words.
export async function followAsset(url, out) {
  const words = { queued: 'assetQueued', processing: 'assetProcessing', ready: 'assetReady', failed: 'assetFailed' };
  for (let i = 0; i < 600; i += 1) {
    const asset = await api('GET', url);
    const stage = asset.job && asset.job.stage ? ` (${asset.job.stage}, ${Math.round((asset.job.progress || 0) * 100)}%)` : '';
    // A model's versions by device, a film's renditions by size.
    const versions = asset.film ? asset.film.sources.map((s) => [s.size, s]) : Object.entries(asset.tiers || {});
    const tiers = versions.map(([tier, f]) => `${tierName(tier)}: ${sizeText(f.bytes)}`).join(t('listSep'));
    const problems = (asset.problems || []).map(problemText).join(t('listSep'));
    out.textContent = `${words[asset.status] ? t(words[asset.status]) : asset.status}${stage}`
      + `${tiers ? ` ${t('assetVersions', { tiers })}` : ''}${problems ? ` ${t('assetProblems', { problems })}` : ''}`;
    out.dataset.status = asset.status;
    if (asset.status === 'ready' || asset.status === 'failed') return asset;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return null;
}

function refEditor(spec, value, pointer) {
  const select = h('select', { 'data-pointer': pointer });
  options(spec.ref).then((items) => {
    select.replaceChildren(h('option', { value: '' }, t('optNone')),
      ...items.map((item) => h('option', { value: item.id }, `${titleOf(item)} (${item.slug})`)));
    select.value = value ?? '';
  });
  return { node: field(t(spec.label), select), read: () => (select.value ? Number(select.value) : null) };
}

function listEditor(spec, value, pointer) {
  const items = (value || []).map((v) => ({ ...v }));
  const box = h('fieldset', { 'data-pointer': pointer }, h('legend', {}, t(spec.label)));
  const body = h('div');
  let readers = [];
  const render = () => {
    readers = [];
    body.replaceChildren();
    items.forEach((item, i) => {
      const part = renderFields(spec.item, item, `${pointer}/${i}`);
      readers.push(() => ({ ...item, ...part.read() }));
      const remove = h('button', { type: 'button', class: 'secondary', onclick: () => {
        items.splice(i, 1); render();
      } }, t('removeItem', { item: t(spec.itemLabel), n: i + 1 }));
      body.append(h('div', { class: 'list-item', 'data-pointer': `${pointer}/${i}` },
        h('strong', {}, t('itemN', { item: t(spec.itemLabel), n: i + 1 })), part.node, remove));
    });
  };
  const sync = () => { readers.forEach((r, i) => { items[i] = r(); }); };
  render();
  box.append(spec.hint ? h('p', { class: 'hint' }, t(spec.hint)) : '', body,
    h('button', { type: 'button', class: 'secondary', onclick: () => { sync(); items.push(spec.blank()); render(); } },
      t('addItem', { item: t(spec.itemLabel) })));
  return { node: box, read: () => { sync(); return items.map((x) => ({ ...x })); } };
}

function simpleEditor(spec, value, pointer) {
  let input;
  if (spec.type === 'select') {
    input = h('select', {}, spec.options.map((o) => h('option', { value: o }, spec.words ? t(spec.words[o]) : o)));
    input.value = value ?? spec.options[0];
  } else if (spec.type === 'bool') {
    input = h('input', { type: 'checkbox' });
    input.checked = Boolean(value);
  } else if (spec.type === 'json') {
    input = h('textarea', { spellcheck: 'false' });
    input.value = JSON.stringify(value ?? {}, null, 2);
  } else if (spec.type === 'tags') {
    input = h('input', {});
    input.value = (value || []).join(', ');
  } else {
    const numeric = ['int', 'number'].includes(spec.type);
    input = h('input', numeric ? { type: 'number', step: spec.type === 'int' ? '1' : 'any' } : {});
    input.value = value ?? '';
  }
  input.dataset.pointer = pointer;
  const read = () => {
    if (spec.type === 'bool') return /** @type {HTMLInputElement} */ (input).checked;
    if (spec.type === 'select') return input.value;
    if (spec.type === 'tags') return input.value.split(',').map((t) => t.trim()).filter(Boolean);
    if (spec.type === 'json') return JSON.parse(input.value || '{}');
    if (spec.type === 'int' || spec.type === 'number') return input.value === '' ? null : Number(input.value);
    return input.value;
  };
  return { node: field(t(spec.label), input, spec.hint ? t(spec.hint) : null), read };
}

export function renderFields(specs, doc, prefix = '') {
  const node = h('div');
  const readers = {};
  for (const spec of specs) {
    const pointer = `${prefix}/${spec.name}`;
    let part;
    if (spec.type === 'i18n' || spec.type === 'i18n-long') part = i18nEditor(spec, doc[spec.name], pointer);
    else if (spec.type === 'vec3') part = vecEditor(spec, doc[spec.name], pointer);
    else if (spec.type === 'asset') part = assetEditor(spec, doc[spec.name], pointer);
    else if (spec.type === 'ref') part = refEditor(spec, doc[spec.name], pointer);
    else if (spec.type === 'list') part = listEditor(spec, doc[spec.name], pointer);
    else part = simpleEditor(spec, doc[spec.name], pointer);
    readers[spec.name] = part.read;
    node.append(part.node);
  }
  return { node, read: () => Object.fromEntries(Object.entries(readers).map(([k, r]) => [k, r()])) };
}

// Mark the field a server error points at, say why next to it, and move the focus there.
export function showFieldError(root, error) {
  root.querySelectorAll('.error-field').forEach((el) => el.classList.remove('error-field'));
  root.querySelectorAll('.field-error').forEach((el) => el.remove());
  if (!error.pointer) return false;
  let pointer = error.pointer;
  while (pointer) {
    const el = root.querySelector(`[data-pointer="${CSS.escape(pointer)}"]`);
    if (el) {
      el.classList.add('error-field');
      el.insertAdjacentElement('afterend', h('p', { class: 'field-error', role: 'alert' }, errorText(error)));
      el.scrollIntoView({ block: 'center' });
      if (el.focus) el.focus();
      return true;
    }
    pointer = pointer.slice(0, pointer.lastIndexOf('/'));
  }
  return false;
}

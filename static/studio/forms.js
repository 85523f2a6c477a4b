// Editors for every kind of content, built from a description of its fields; each input knows the JSON pointer
// of its value, so a server error ("pointer": "/placements/1/mount") is shown on the field at fault.
import { api, upload } from './api.js';
import { field, h } from './dom.js';

export const LANGS = [['zh-Hans', '简体中文 (Simplified Chinese)'], ['zh-Hant', '繁體中文 (Traditional Chinese)'],
  ['en', 'English']];

const I18N = (name, label, long = false) => ({ name, label, type: long ? 'i18n-long' : 'i18n' });
const MOUNTS = ['pedestal', 'wall', 'floor', 'showcase'];

export const KINDS = {
  exhibits: { label: 'Exhibits', one: 'exhibit', fields: [
    I18N('title', 'Title'), I18N('summary', 'Short summary', true), I18N('body', 'Full text', true),
    I18N('object_date', 'Date of the object'), I18N('narration_text', 'Narration (read aloud to visitors)', true),
    { name: 'model_asset_id', label: '3D model', type: 'asset' },
    { name: 'era_id', label: 'Era', type: 'ref', ref: 'eras' },
    { name: 'real_height_m', label: 'Real height in metres', type: 'number', hint: 'leave empty if unknown' },
    { name: 'tags', label: 'Keywords', type: 'tags', hint: 'separate with commas' },
    { name: 'sample', label: 'Sample content (not yet checked history)', type: 'bool' },
    { name: 'hotspots', label: 'Hotspots on the model', type: 'list', itemLabel: 'Hotspot',
      blank: () => ({ slug: `spot-${Date.now() % 100000}`, kind: 'point', anchor: [0, 0, 0], title: {}, text: {} }),
      item: [{ name: 'slug', label: 'Short name (in links)', type: 'text' },
        { name: 'anchor', label: 'Point on the model (x, y, z in metres)', type: 'vec3',
          hint: 'easier: click the model in the placement editor' },
        I18N('title', 'Title'), I18N('text', 'Text', true),
        { name: 'image_asset_id', label: 'Picture', type: 'asset', kind: 'image' },
        I18N('image_alt', 'Picture description (for people who cannot see it)'),
        I18N('image_credit', 'Picture credit'),
        { name: 'audio_asset_id', label: 'Audio narration', type: 'asset', kind: 'audio' },
        { name: 'captions_asset_id', label: 'Captions of the narration (WebVTT)', type: 'asset', kind: 'captions' }] },
    { name: 'media', label: 'Pictures and audio of the exhibit', type: 'list', itemLabel: 'File',
      blank: () => ({ asset_id: null, lang: '', caption: {}, alt: {}, credit: {} }),
      item: [{ name: 'asset_id', label: 'Picture, audio or captions file', type: 'asset', kind: 'media' },
        { name: 'lang', label: 'Language of the audio or captions', type: 'select',
          options: ['', 'zh-Hans', 'zh-Hant', 'en'] },
        I18N('caption', 'Caption'), I18N('alt', 'Picture description (for people who cannot see it)'),
        I18N('credit', 'Credit')] },
  ] },
  galleries: { label: 'Galleries', one: 'gallery', fields: [
    I18N('title', 'Title'), I18N('summary', 'Short summary', true),
    { name: 'room_asset_id', label: 'Room model', type: 'asset' },
    { name: 'lighting', label: 'Lighting', type: 'select', options: ['warm', 'gallery', 'cool'] },
    { name: 'size_m', label: 'Room size: width, height, depth (metres)', type: 'vec3' },
    { name: 'position', label: 'Order in the museum', type: 'int' },
    { name: 'placements', label: 'Exhibits in this room', type: 'list', itemLabel: 'Placement',
      hint: 'easier in 3D: use “Open the placement editor”',
      blank: () => ({ exhibit_id: null, translation: [0, 0, 0], rotation_deg: [0, 0, 0], scale: 1, mount: 'floor',
        label: {} }),
      item: [{ name: 'exhibit_id', label: 'Exhibit', type: 'ref', ref: 'exhibits' },
        { name: 'translation', label: 'Position x, y, z (metres)', type: 'vec3' },
        { name: 'rotation_deg', label: 'Rotation x, y, z (degrees)', type: 'vec3' },
        { name: 'scale', label: 'Scale', type: 'number' },
        { name: 'mount', label: 'Mount', type: 'select', options: MOUNTS }, I18N('label', 'Label')] },
    { name: 'doors', label: 'Doors to other galleries', type: 'list', itemLabel: 'Door',
      blank: () => ({ to_gallery_id: null, translation: [0, 0, 0], yaw_deg: 0, label: {} }),
      item: [{ name: 'to_gallery_id', label: 'Leads to', type: 'ref', ref: 'galleries' },
        { name: 'translation', label: 'Position x, y, z (metres)', type: 'vec3' },
        { name: 'yaw_deg', label: 'Facing (degrees)', type: 'number' }, I18N('label', 'Label')] },
    { name: 'spawns', label: 'Where visitors start', type: 'list', itemLabel: 'Start point',
      blank: () => ({ position: [0, 0, 0], yaw_deg: 0 }),
      item: [{ name: 'position', label: 'Position x, y, z (metres)', type: 'vec3' },
        { name: 'yaw_deg', label: 'Facing (degrees)', type: 'number' }] },
  ] },
  eras: { label: 'Eras', one: 'era', fields: [
    I18N('title', 'Title'), I18N('summary', 'Summary', true),
    { name: 'start_year', label: 'From year', type: 'int' }, { name: 'end_year', label: 'To year', type: 'int',
      hint: 'empty for “until today”' },
    { name: 'position', label: 'Order', type: 'int' }, { name: 'sample', label: 'Sample content', type: 'bool' },
  ] },
  events: { label: 'Timeline events', one: 'event', fields: [
    I18N('title', 'Title'), I18N('body', 'Text', true),
    { name: 'year', label: 'Year', type: 'int' }, { name: 'month', label: 'Month (optional)', type: 'int' },
    { name: 'day', label: 'Day (optional)', type: 'int' }, { name: 'era_id', label: 'Era', type: 'ref', ref: 'eras' },
    { name: 'source', label: 'Source', type: 'text' }, { name: 'sample', label: 'Sample content', type: 'bool' },
    { name: 'image_asset_id', label: 'Picture', type: 'asset', kind: 'image' },
  ] },
  tours: { label: 'Tours', one: 'tour', fields: [
    I18N('title', 'Title'), I18N('summary', 'Summary', true),
    { name: 'stops', label: 'Stops, in order', type: 'list', itemLabel: 'Stop',
      blank: () => ({ gallery_id: null, exhibit_id: null, title: {}, text: {}, narration: {}, duration_s: 20 }),
      item: [{ name: 'gallery_id', label: 'Gallery', type: 'ref', ref: 'galleries' },
        { name: 'exhibit_id', label: 'Exhibit to look at', type: 'ref', ref: 'exhibits' },
        I18N('title', 'Title'), I18N('text', 'Text', true), I18N('narration', 'Narration', true),
        { name: 'narration_asset_id', label: 'Narration audio', type: 'asset', kind: 'audio' },
        { name: 'captions_asset_id', label: 'Captions of the narration (WebVTT)', type: 'asset', kind: 'captions' },
        { name: 'duration_s', label: 'Duration (seconds)', type: 'number' }] },
  ] },
  'photo-templates': { label: 'Photo templates', one: 'photo template', fields: [
    I18N('title', 'Title'), I18N('caption', 'Caption'),
    { name: 'frame_sha256', label: 'Frame image (SHA-256 of a stored file)', type: 'text' },
    { name: 'spec', label: 'Layout (JSON)', type: 'json' },
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

export function titleOf(item) {
  const t = item.title || {};
  return t.en || t['zh-Hans'] || t['zh-Hant'] || item.slug || item.original_name || `#${item.id}`;
}

function i18nEditor(spec, value, pointer) {
  const text = { ...(value || {}) };
  const box = h('fieldset', { 'data-pointer': pointer }, h('legend', {}, spec.label));
  const langs = h('div', { class: 'langs' });
  for (const [lang, name] of LANGS) {
    const input = spec.type === 'i18n-long'
      ? h('textarea', { lang, 'data-pointer': `${pointer}/${lang}` }) : h('input', { lang, 'data-pointer': `${pointer}/${lang}` });
    input.value = text[lang] || '';
    const flag = h('span', { class: 'flag' });
    const wrap = h('div', { class: 'lang' }, field(name, input), flag);
    const mark = () => {
      const missing = !input.value.trim();
      wrap.classList.toggle('missing', missing);
      flag.textContent = missing ? 'Not translated yet' : '';
      input.setAttribute('aria-invalid', missing ? 'true' : 'false');
    };
    input.addEventListener('input', () => { text[lang] = input.value; mark(); });
    mark();
    langs.append(wrap);
  }
  box.append(langs);
  return { node: box, read: () => Object.fromEntries(Object.entries(text).filter(([, v]) => v && v.trim())) };
}

function vecEditor(spec, value, pointer) {
  const inputs = [0, 1, 2].map((i) => h('input', { type: 'number', step: 'any', inputmode: 'decimal',
    'aria-label': `${spec.label} ${'xyz'[i]}`, 'data-pointer': `${pointer}/${i}` }));
  inputs.forEach((input, i) => { input.value = value && value[i] !== undefined ? value[i] : ''; });
  const node = h('div', { 'data-pointer': pointer }, h('label', {}, spec.label,
    spec.hint ? h('span', { class: 'hint' }, ` — ${spec.hint}`) : null), h('div', { class: 'langs' }, inputs));
  return { node, read: () => (inputs.every((i) => i.value === '') ? [] : inputs.map((i) => Number(i.value || 0))) };
}

// What each kind of asset field accepts, and how its upload control is named.
const ASSET_KINDS = {
  model: { accept: '.glb,.gltf,.zip', upload: 'Upload a new model (.glb, .gltf or .zip)' },
  image: { accept: '.png,.jpg,.jpeg,.webp', upload: 'Upload a picture (.png, .jpg or .webp)' },
  audio: { accept: '.mp3,.ogg,.m4a,.wav', upload: 'Upload audio (.mp3, .ogg, .m4a or .wav)' },
  captions: { accept: '.vtt', upload: 'Upload captions (.vtt)' },
  media: { accept: '.png,.jpg,.jpeg,.webp,.mp3,.ogg,.m4a,.wav,.vtt',
    upload: 'Upload a picture, audio or captions (.png .jpg .webp .mp3 .ogg .m4a .wav .vtt)' },
};
const MEDIA_KINDS = ['image', 'audio', 'captions'];

function assetEditor(spec, value, pointer) {
  const kind = spec.kind || 'model';
  const select = h('select', { 'data-pointer': pointer, 'aria-label': spec.label });
  const progress = h('progress', { class: 'progress', max: 1, value: 0, hidden: true });
  const state = h('p', { class: 'hint', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', accept: ASSET_KINDS[kind].accept });
  const fill = async (selected) => {
    const list = await api('GET', '/api/v1/studio/assets?per_page=100');
    select.replaceChildren(h('option', { value: '' }, '(none)'),
      ...list.items.filter((a) => (kind === 'media' ? MEDIA_KINDS.includes(a.kind) : (a.kind || 'model') === kind))
        .map((a) => h('option', { value: a.id }, `${a.original_name || kind} #${a.id} (${a.status})`)));
    select.value = selected ?? '';
  };
  fill(value);
  file.addEventListener('change', async () => {
    if (!file.files.length) return;
    progress.hidden = false;
    state.textContent = 'Uploading…';
    try {
      const asset = await upload('/api/v1/assets', file.files[0], (f) => { progress.value = f; });
      progress.value = 1;
      await fill(asset.id);
      await followAsset(asset.status_url, state);
      await fill(asset.id);
    } catch (err) {
      state.textContent = `The upload did not work: ${err.message}`;
    }
  });
  const node = h('div', { 'data-pointer': pointer }, field(spec.label, select),
    field(ASSET_KINDS[kind].upload, file), progress, state);
  return { node, read: () => (select.value ? Number(select.value) : null) };
}

// Follow an uploaded model through the pipeline and say where it is, in words.
export async function followAsset(url, out) {
  const words = { queued: 'Waiting to be processed…', processing: 'Preparing versions for phones, computers and VR…',
    ready: 'Ready.', failed: 'The model could not be used.' };
  for (let i = 0; i < 600; i += 1) {
    const asset = await api('GET', url);
    const stage = asset.job && asset.job.stage ? ` (${asset.job.stage}, ${Math.round((asset.job.progress || 0) * 100)}%)` : '';
    const tiers = Object.entries(asset.tiers || {}).map(([t, f]) => `${t}: ${(f.bytes / 1e6).toFixed(1)} MB`).join(', ');
    const problems = (asset.problems || []).map((p) => p.message || p.code).join('; ');
    out.textContent = `${words[asset.status] || asset.status}${stage}${tiers ? ` Versions: ${tiers}.` : ''}`
      + `${problems ? ` Problems: ${problems}` : ''}`;
    out.dataset.status = asset.status;
    if (asset.status === 'ready' || asset.status === 'failed') return asset;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return null;
}

function refEditor(spec, value, pointer) {
  const select = h('select', { 'data-pointer': pointer });
  options(spec.ref).then((items) => {
    select.replaceChildren(h('option', { value: '' }, '(none)'),
      ...items.map((item) => h('option', { value: item.id }, `${titleOf(item)} (${item.slug})`)));
    select.value = value ?? '';
  });
  return { node: field(spec.label, select), read: () => (select.value ? Number(select.value) : null) };
}

function listEditor(spec, value, pointer) {
  const items = (value || []).map((v) => ({ ...v }));
  const box = h('fieldset', { 'data-pointer': pointer }, h('legend', {}, spec.label));
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
      } }, `Remove ${spec.itemLabel.toLowerCase()} ${i + 1}`);
      body.append(h('div', { class: 'list-item', 'data-pointer': `${pointer}/${i}` },
        h('strong', {}, `${spec.itemLabel} ${i + 1}`), part.node, remove));
    });
  };
  const sync = () => { readers.forEach((r, i) => { items[i] = r(); }); };
  render();
  box.append(spec.hint ? h('p', { class: 'hint' }, spec.hint) : '', body,
    h('button', { type: 'button', class: 'secondary', onclick: () => { sync(); items.push(spec.blank()); render(); } },
      `Add ${spec.itemLabel.toLowerCase()}`));
  return { node: box, read: () => { sync(); return items.map((x) => ({ ...x })); } };
}

function simpleEditor(spec, value, pointer) {
  let input;
  if (spec.type === 'select') {
    input = h('select', {}, spec.options.map((o) => h('option', { value: o }, o)));
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
    if (spec.type === 'bool') return input.checked;
    if (spec.type === 'select') return input.value;
    if (spec.type === 'tags') return input.value.split(',').map((t) => t.trim()).filter(Boolean);
    if (spec.type === 'json') return JSON.parse(input.value || '{}');
    if (spec.type === 'int' || spec.type === 'number') return input.value === '' ? null : Number(input.value);
    return input.value;
  };
  return { node: field(spec.label, input, spec.hint), read };
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
      el.insertAdjacentElement('afterend', h('p', { class: 'field-error', role: 'alert' }, error.message));
      el.scrollIntoView({ block: 'center' });
      if (el.focus) el.focus();
      return true;
    }
    pointer = pointer.slice(0, pointer.lastIndexOf('/'));
  }
  return false;
}

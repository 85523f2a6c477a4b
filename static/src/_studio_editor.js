// The studio's placement editor: a gallery in 3D where curators drag exhibits in from the catalogue, move, turn
// and resize them with gizmos, click a model to put a hotspot on it, and set start points and doors. Saving sends
// the gallery document to the API; a validation error is shown on the object at fault. Sound zones are placed the
// same way: a speaker marker, with a translucent sphere as far as a spot sound carries. An exhibit's plinth (and glass
// case) belongs to its placement: it is drawn in the exhibit's holder, so it moves and turns with the exhibit.
import {
  AmbientLight, Box3, BoxGeometry, BoxHelper, CanvasTexture, Color, ConeGeometry, DirectionalLight, FrontSide,
  GridHelper, Group, MathUtils,
  Mesh, MeshBasicMaterial, MeshStandardMaterial, PerspectiveCamera, Plane, Raycaster, Scene, SphereGeometry, Sprite,
  SpriteMaterial, SRGBColorSpace, Vector2, Vector3, WebGLRenderer,
} from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';
import { h as el } from './_dom.js';
import { lang, t } from './_i18n.js';
import { MOUNT_WORDS, SOUND_KINDS, SOUND_KIND_WORDS, contentLangs, errorText, problemText, titleOf } from './_studio_forms.js';
import { plinthGroup } from './_plinth.js';
import { filmScreen } from './_viewer.js';

const MOUNTS = ['pedestal', 'wall', 'floor', 'showcase'];
// What the plinth menu offers: none, an open pedestal or a showcase (a pedestal with a glass case), at a usual size.
const PLINTHS = {
  none: null,
  pedestal: { width_m: 0.6, depth_m: 0.6, height_m: 0.9, case_height_m: 0, finish: 'walnut' },
  showcase: { width_m: 0.6, depth_m: 0.6, height_m: 1.0, case_height_m: 0.5, finish: 'walnut' },
};
const CUT_HEIGHT = 2.4; // metres: above eye level, below most ceilings
const STEEP_VIEW = 0.75; // |y| of the view direction beyond which the view counts as from above
const round = (v) => Math.round(v * 1000) / 1000;
const SOUND_GLYPH_M = 0.45; // the speaker marker's size in the room

let speakerCanvas = null;
/** Draw the speaker glyph (a speaker with two sound waves on a dark violet disc) once. */
function speakerTexture() {
  if (!speakerCanvas) {
    speakerCanvas = document.createElement('canvas');
    speakerCanvas.width = speakerCanvas.height = 128;
    const ctx = speakerCanvas.getContext('2d');
    ctx.beginPath();
    ctx.arc(64, 64, 60, 0, Math.PI * 2);
    ctx.fillStyle = '#5f3dc4';
    ctx.fill();
    ctx.lineWidth = 6;
    ctx.strokeStyle = '#ffffff';
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.beginPath();
    ctx.moveTo(30, 50); ctx.lineTo(46, 50); ctx.lineTo(66, 32); ctx.lineTo(66, 96); ctx.lineTo(46, 78); ctx.lineTo(30, 78);
    ctx.closePath();
    ctx.fill();
    ctx.lineCap = 'round';
    for (const r of [14, 26]) {
      ctx.beginPath();
      ctx.arc(68, 64, r, -Math.PI / 4, Math.PI / 4);
      ctx.stroke();
    }
  }
  const texture = new CanvasTexture(speakerCanvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

export async function openPlacementEditor(main, galleryId, { api, say, canEdit }) {
  let doc = await api('GET', `/api/v1/studio/galleries/${galleryId}`);
  const [catalogue, galleries, manifest] = await Promise.all([
    api('GET', '/api/v1/studio/exhibits?per_page=100'), api('GET', '/api/v1/studio/galleries?per_page=100'),
    api('GET', `/api/v1/galleries/${doc.slug}/manifest?tier=desktop`).catch(() => null)]);
  const exhibitsById = new Map(catalogue.items.map((e) => [e.id, e]));
  const state = { frames: 0, ready: false, objects: 0, selected: null, error: null };
  /** @type {Window & {studioEditor?: typeof state}} */ (window).studioEditor = state;

  // --- layout -------------------------------------------------------------------------------------------------
  const viewport = el('div', { class: 'viewport', tabindex: '0', 'aria-label': t('galleryIn3d') });
  const errorTag = el('div', { class: 'object-error', hidden: true, role: 'alert' });
  viewport.append(errorTag);
  const props = el('div');
  const modeButtons = ['translate', 'rotate', 'scale'].map((mode, i) => el('button', {
    type: 'button', class: 'secondary', 'data-mode': mode, onclick: () => setMode(mode),
  }, t(['modeMove', 'modeTurn', 'modeResize'][i])));
  const hotspotToggle = el('input', { type: 'checkbox', id: 'hotspot-mode' });
  const doorTarget = el('select', { 'aria-label': t('doorLeadsTo') },
    galleries.items.filter((g) => g.id !== galleryId).map((g) => el('option', { value: g.id }, titleOf(g))));
  const saveButton = el('button', { type: 'button', id: 'save-layout', onclick: () => save() }, t('saveRoom'));
  doc.sounds = doc.sounds || [];
  // The uploaded audio files a sound zone can play, asked for once.
  let audioFiles = null;
  const audioAssets = () => (audioFiles ||= api('GET', '/api/v1/studio/assets?per_page=100')
    .then((list) => list.items.filter((a) => a.kind === 'audio')).catch(() => []));
  const left = el('aside', { 'aria-label': t('catalogue') }, el('h2', {}, t('catalogue')),
    el('p', { class: 'hint' }, t('dragHint')),
    catalogue.items.map((e) => el('div', { class: 'catalogue-item', draggable: 'true', 'data-exhibit': e.id,
      ondragstart: (ev) => ev.dataTransfer.setData('text/x-exhibit', String(e.id)) },
    el('div', {}, titleOf(e), ' ', el('span', { class: 'hint' }, `(${t(`state_${e.status}`)})`)),
    el('button', { type: 'button', class: 'secondary', 'data-add-exhibit': e.id, onclick: () => addPlacement(e.id, null) },
      t('add')))));
  const right = el('aside', { 'aria-label': t('selectedObject') },
    el('h2', {}, t('tools')), el('div', { class: 'actions' }, modeButtons),
    el('label', { for: 'hotspot-mode' }, hotspotToggle, ` ${t('hotspotMode')}`),
    el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', onclick: () => addSpawn() },
      t('addStartPoint'))),
    el('div', { class: 'actions' }, doorTarget, el('button', { type: 'button', class: 'secondary',
      onclick: () => addDoor() }, t('addDoor'))),
    el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', onclick: () => addSound() },
      t('addSound'))),
    el('h2', {}, t('selected')), props, el('div', { class: 'actions' }, canEdit ? saveButton : null));
  main.replaceChildren(el('h1', {}, t('placementEditorOf', { title: titleOf(doc) })),
    el('p', {}, el('a', { href: `#/edit/galleries/${galleryId}` }, t('backToGalleryForm')), ' · ',
      el('span', { id: 'layout-version' }, t('versionN', { n: doc.version }))),
    el('div', { class: 'editor' }, left, viewport, right));

  // --- three.js scene -----------------------------------------------------------------------------------------
  const renderer = new WebGLRenderer({ antialias: true });
  renderer.outputColorSpace = SRGBColorSpace;
  viewport.prepend(renderer.domElement);
  const scene = new Scene();
  scene.background = new Color('#2a2723');
  scene.add(new AmbientLight('#ffffff', 1.2));
  const sun = new DirectionalLight('#fff6ea', 2.0);
  sun.position.set(-3, 8, 4);
  scene.add(sun);
  const [w = 10, , d = 8] = doc.size_m && doc.size_m.length ? doc.size_m : [10, 4, 8];
  scene.add(new GridHelper(Math.max(w, d) * 1.2, Math.round(Math.max(w, d) * 1.2), '#8a8478', '#4a4640'));
  const camera = new PerspectiveCamera(55, 1, 0.05, 200);
  camera.position.set(0, Math.max(w, d) * 1.3, Math.max(w, d) * 0.55); // steep, so near walls hide little
  const orbit = new OrbitControls(camera, renderer.domElement);
  orbit.target.set(0, 0.8, 0);
  const gizmo = new TransformControls(camera, renderer.domElement);
  gizmo.addEventListener('dragging-changed', (e) => { orbit.enabled = !e.value; });
  gizmo.addEventListener('objectChange', () => { syncFromObject(); });
  scene.add(gizmo.getHelper ? gizmo.getHelper() : gizmo);
  const loader = new GLTFLoader();
  loader.setMeshoptDecoder(MeshoptDecoder);
  loader.setKTX2Loader(new KTX2Loader().setTranscoderPath('/static/vendor/basis/').detectSupport(renderer));
  const modelCache = new Map();
  const loadModel = (url) => {
    if (!modelCache.has(url)) modelCache.set(url, loader.loadAsync(url).then((g) => g.scene).catch(() => null));
    return modelCache.get(url).then((m) => (m ? m.clone(true) : null));
  };
  if (manifest && manifest.room && manifest.room.url) {
    // A dollhouse view: the room is cut at CUT_HEIGHT so its ceiling and upper walls never hide the exhibits.
    renderer.localClippingEnabled = true;
    const cut = [new Plane(new Vector3(0, -1, 0), CUT_HEIGHT)];
    loadModel(manifest.room.url).then((room) => {
      if (!room) return;
      room.traverse((node) => {
        if (!node.isMesh) return;
        node.material = node.material.clone();
        node.material.clippingPlanes = cut;
        node.material.side = FrontSide;
      });
      room.userData.room = true;
      scene.add(room);
    });
  }
  const modelUrls = new Map((manifest ? manifest.exhibits : []).map((x) => [x.placement_id, x.model && x.model.url]));

  const objects = []; // {kind: 'placement'|'door'|'spawn'|'sound', index, holder, box}
  const floorPlane = new Plane(new Vector3(0, 1, 0), 0);

  async function exhibitModelUrl(exhibitId) {
    const exhibit = exhibitsById.get(exhibitId);
    if (!exhibit) return null;
    const detail = await api('GET', `/api/v1/exhibits/${exhibit.slug}`).catch(() => null);
    const models = (detail && detail.models) || {};
    return (models.desktop || models.phone || models.original || {}).url || null;
  }

  // A film exhibit (no model) stands in the room as its screen, at the size visitors will see: its film from the
  // published manifest, else from the exhibit's own document (a draft's film is not public yet).
  async function exhibitFilm(p) {
    const published = manifest?.exhibits.find((x) => x.placement_id === p.id && x.film);
    if (published) return published.film;
    const exhibit = await api('GET', `/api/v1/studio/exhibits/${p.exhibit_id}`).catch(() => null);
    const media = exhibit?.media?.find((m) => m.role === 'film' && m.asset_id);
    const asset = media ? await api('GET', `/api/v1/assets/${media.asset_id}`).catch(() => null) : null;
    return asset?.film || null;
  }

  function placeholder(color, size = [0.5, 1, 0.5]) {
    const mesh = new Mesh(new BoxGeometry(...size), new MeshStandardMaterial({ color }));
    mesh.position.y = size[1] / 2;
    return mesh;
  }

  async function buildPlacement(p, index) {
    const holder = new Group();
    holder.userData = { kind: 'placement', index };
    applyTransform(holder, p.translation, p.rotation_deg, p.scale);
    scene.add(holder);
    const obj = { kind: 'placement', index, holder, box: null };
    setPlinth(obj, p.plinth);
    const url = (p.id && modelUrls.get(p.id)) || await exhibitModelUrl(p.exhibit_id);
    let model = url ? await loadModel(url) : null;
    const film = model ? null : await exhibitFilm(p);
    if (film) {
      model = await filmScreen({ slug: exhibitsById.get(p.exhibit_id)?.slug || String(p.exhibit_id), film,
        transform: { target_size_m: p.target_size_m } });
    }
    holder.add(model || placeholder('#c9a227'));
    obj.box = new BoxHelper(holder, '#f3c969');
    obj.box.visible = false;
    scene.add(obj.box);
    objects.push(obj);
    state.objects = objects.length;
    return holder;
  }

  function buildMarker(kind, index, item) {
    const holder = new Group();
    holder.userData = { kind, index };
    if (kind === 'sound') {
      const glyph = new Sprite(new SpriteMaterial({ map: speakerTexture(), depthTest: false, transparent: true }));
      glyph.scale.set(SOUND_GLYPH_M, SOUND_GLYPH_M, 1);
      glyph.renderOrder = 3;
      holder.add(glyph);
      if (item.kind === 'spot') {
        // How far it carries: seen through, never in the way of a click on what stands inside it.
        const reach = new Mesh(new SphereGeometry(1, 32, 16), new MeshBasicMaterial({
          color: '#9775fa', transparent: true, opacity: 0.14, depthWrite: false }));
        reach.scale.setScalar(item.radius_m || 4);
        reach.raycast = () => {};
        reach.name = 'sound-reach';
        holder.add(reach);
        holder.userData.reach = reach;
      }
      applyTransform(holder, item.translation, [0, 0, 0], 1);
    } else if (kind === 'spawn') {
      const cone = new Mesh(new ConeGeometry(0.25, 0.6, 16), new MeshStandardMaterial({ color: '#2f9e44' }));
      cone.rotation.x = Math.PI / 2;
      cone.position.y = 0.3;
      holder.add(cone);
      applyTransform(holder, item.position, [0, item.yaw_deg || 0, 0], 1);
    } else {
      holder.add(placeholder('#1c7ed6', [item.width_m || 1.6, item.height_m || 2.4, 0.1]));
      applyTransform(holder, item.translation, [0, item.yaw_deg || 0, 0], 1);
    }
    scene.add(holder);
    const box = new BoxHelper(holder, '#f3c969');
    box.visible = false;
    scene.add(box);
    objects.push({ kind, index, holder, box });
    state.objects = objects.length;
  }

  function applyTransform(holder, t = [0, 0, 0], r = [0, 0, 0], s = 1) {
    holder.position.set(...(t && t.length === 3 ? t : [0, 0, 0]));
    holder.rotation.set(...(r && r.length === 3 ? r : [0, 0, 0]).map((v) => MathUtils.degToRad(v)));
    holder.scale.setScalar(s || 1);
    unscalePlinth(holder);
  }

  // The plinth keeps its size when the exhibit is resized: it undoes its holder's scale.
  function unscalePlinth(holder) {
    if (holder.userData.plinth) holder.userData.plinth.scale.setScalar(1 / (holder.scale.x || 1));
  }

  // Give a placement's holder its plinth (or none), drawn as the visitors' gallery draws it.
  function setPlinth(obj, plinth) {
    const { holder } = obj;
    if (holder.userData.plinth) holder.remove(holder.userData.plinth);
    holder.userData.plinth = plinth ? plinthGroup(plinth) : null;
    if (holder.userData.plinth) holder.add(holder.userData.plinth);
    unscalePlinth(holder);
    if (obj.box) obj.box.update();
  }

  function itemOf(obj) {
    if (obj.kind === 'placement') return doc.placements[obj.index];
    if (obj.kind === 'door') return doc.doors[obj.index];
    if (obj.kind === 'sound') return doc.sounds[obj.index];
    return doc.spawns[obj.index];
  }

  function syncFromObject() {
    const obj = state.selected;
    if (!obj) return;
    const { holder } = obj;
    if (gizmo.getMode() === 'scale') {
      const s = [holder.scale.x, holder.scale.y, holder.scale.z].reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a));
      holder.scale.setScalar(MathUtils.clamp(s, 0.01, 100));
      unscalePlinth(holder);
    }
    const item = itemOf(obj);
    const pos = holder.position.toArray().map(round);
    const rot = [holder.rotation.x, holder.rotation.y, holder.rotation.z].map((v) => round(MathUtils.radToDeg(v)));
    if (obj.kind === 'placement') {
      Object.assign(item, { translation: pos, rotation_deg: rot, scale: round(holder.scale.x) });
    } else if (obj.kind === 'door') {
      Object.assign(item, { translation: pos, yaw_deg: rot[1] });
    } else if (obj.kind === 'sound') {
      item.translation = pos;
    } else {
      Object.assign(item, { position: pos, yaw_deg: rot[1] });
    }
    obj.box.update();
    showProps();
    scheduleCheck();
  }

  function select(obj) {
    for (const o of objects) o.box.visible = o === obj;
    state.selected = obj;
    if (obj && canEdit) gizmo.attach(obj.holder); else gizmo.detach();
    if (obj && obj.kind !== 'placement' && gizmo.getMode() === 'scale') setMode('translate');
    if (obj && obj.kind === 'sound') setMode('translate');  // a sound has a place, not a facing
    showProps();
  }

  function numberInput(label, value, onchange) {
    const input = el('input', { type: 'number', step: 'any', value: String(value), 'aria-label': label });
    input.addEventListener('change', () => onchange(Number(input.value)));
    return el('label', {}, label, input);
  }

  function showProps() {
    const obj = state.selected;
    if (!obj) { props.replaceChildren(el('p', { class: 'hint' }, t('clickToSelect'))); return; }
    const item = itemOf(obj);
    const rebuild = () => {
      if (obj.kind === 'sound') applyTransform(obj.holder, item.translation, [0, 0, 0], 1);
      else if (obj.kind === 'placement') applyTransform(obj.holder, item.translation, item.rotation_deg, item.scale);
      else applyTransform(obj.holder, obj.kind === 'door' ? item.translation : item.position, [0, item.yaw_deg, 0], 1);
      obj.box.update();
      scheduleCheck();
    };
    const remove = el('button', { type: 'button', class: 'danger', onclick: () => removeObject(obj) }, t('removeFromRoom'));
    if (obj.kind === 'sound') {
      props.replaceChildren(...soundFields(obj, item, rebuild), remove);
    } else if (obj.kind === 'placement') {
      const exhibit = exhibitsById.get(item.exhibit_id);
      const mount = el('select', { 'aria-label': t('fMount') },
        MOUNTS.map((m) => el('option', { value: m }, t(MOUNT_WORDS[m]))));
      mount.value = item.mount || 'floor';
      mount.addEventListener('change', () => { item.mount = mount.value; });
      props.replaceChildren(el('p', {}, el('strong', {}, exhibit ? titleOf(exhibit) : t('exhibitN', { id: item.exhibit_id }))),
        ...['x', 'y', 'z'].map((a, i) => numberInput(t('positionAxis', { axis: a }), item.translation[i], (v) => { item.translation[i] = v; rebuild(); })),
        numberInput(t('turnDegrees'), item.rotation_deg[1], (v) => { item.rotation_deg[1] = v; rebuild(); }),
        numberInput(t('fScale'), item.scale, (v) => { item.scale = v; rebuild(); }),
        el('label', {}, t('fMount'), mount), plinthFields(obj, item), remove);
    } else {
      const pos = obj.kind === 'door' ? item.translation : item.position;
      const target = obj.kind === 'door' ? galleries.items.find((g) => g.id === item.to_gallery_id) : null;
      props.replaceChildren(el('p', {}, el('strong', {}, obj.kind === 'door' ? t('doorTo', { title: target ? titleOf(target) : '?' })
        : t('itemN', { item: t('iStartPoint'), n: obj.index + 1 }))),
      ...['x', 'y', 'z'].map((a, i) => numberInput(t('positionAxis', { axis: a }), pos[i], (v) => { pos[i] = v; rebuild(); })),
      numberInput(t('fFacing'), item.yaw_deg || 0, (v) => { item.yaw_deg = v; rebuild(); }), remove);
    }
  }

  // The plinth the exhibit stands on: none, a pedestal or a showcase, and its size; the exhibit stands on its top.
  function plinthFields(obj, item) {
    const kind = el('select', { 'aria-label': t('fPlinth') },
      [['none', 'plinthNone'], ['pedestal', 'plinthPedestal'], ['showcase', 'plinthShowcase']]
        .map(([value, key]) => el('option', { value }, t(key))));
    kind.value = !item.plinth ? 'none' : item.plinth.case_height_m > 0 ? 'showcase' : 'pedestal';
    const apply = (plinth) => {
      item.plinth = plinth;
      if (plinth) { item.translation[1] = round(plinth.height_m); obj.holder.position.y = item.translation[1]; }
      setPlinth(obj, plinth);
      showProps();
      scheduleCheck();
    };
    kind.addEventListener('change', () => apply(PLINTHS[kind.value] ? { ...PLINTHS[kind.value] } : null));
    const sizes = item.plinth ? [['width_m', 'plinthWidth'], ['depth_m', 'plinthDepth'], ['height_m', 'plinthHeight'],
      ['case_height_m', 'plinthCase']].map(([key, label]) => numberInput(t(label), item.plinth[key] || 0, (v) => {
      apply({ ...item.plinth, [key]: v });
    })) : [];
    return el('fieldset', { class: 'plinth' }, el('legend', {}, t('fPlinth')), el('label', {}, t('plinthStandsOn'), kind),
      ...sizes);
  }

  // A sound zone's fields: its kind, file, place, reach, loudness and what it is, in the three languages.
  function soundFields(obj, item, rebuild) {
    const kind = el('select', { 'aria-label': t('fSoundKind') },
      SOUND_KINDS.map((k) => el('option', { value: k }, t(SOUND_KIND_WORDS[k]))));
    kind.value = item.kind || 'spot';
    kind.addEventListener('change', () => { item.kind = kind.value; rebuildSound(obj); });
    const file = el('select', { 'aria-label': t('fSoundFile') }, el('option', { value: '' }, t('optNone')));
    const none = el('p', { class: 'hint', hidden: true }, t('noAudioYet'));
    audioAssets().then((files) => {
      file.append(...files.map((a) => el('option', { value: String(a.id) }, `${a.original_name || t('assetAudio')} #${a.id}`)));
      file.value = item.asset_id ? String(item.asset_id) : '';
      none.hidden = files.length > 0;
    });
    file.addEventListener('change', () => { item.asset_id = file.value ? Number(file.value) : null; });
    item.title = item.title || {};
    const titles = contentLangs().map(([code, name]) => {
      const input = el('input', { lang: code, 'aria-label': `${t('fSoundTitle')} ${name}`, value: item.title[code] || '' });
      input.addEventListener('change', () => {
        if (input.value.trim()) item.title[code] = input.value.trim(); else delete item.title[code];
      });
      return el('label', {}, name, input);
    });
    const spot = item.kind !== 'ambient';
    return [el('p', {}, el('strong', {}, item.title[lang()] || t('itemN', { item: t('iSound'), n: obj.index + 1 }))),
      el('label', {}, t('fSoundKind'), kind), el('label', {}, t('fSoundFile'), file), none,
      ...['x', 'y', 'z'].map((a, i) => numberInput(t('positionAxis', { axis: a }), item.translation[i], (v) => {
        item.translation[i] = v; rebuild();
      })),
      spot ? numberInput(t('fRadius'), item.radius_m, (v) => { item.radius_m = v; rebuildSound(obj); }) : null,
      numberInput(t('fVolume'), item.volume, (v) => { item.volume = v; }),
      el('fieldset', {}, el('legend', {}, t('fSoundTitle')), ...titles)].filter(Boolean);
  }

  // Draw a sound's marker again (its kind or radius changed), keeping it selected.
  function rebuildSound(obj) {
    scene.remove(obj.holder);
    scene.remove(obj.box);
    objects.splice(objects.indexOf(obj), 1);
    buildMarker('sound', obj.index, doc.sounds[obj.index]);
    select(objects[objects.length - 1]);
  }

  function removeObject(obj) {
    const list = obj.kind === 'placement' ? doc.placements : obj.kind === 'door' ? doc.doors
      : obj.kind === 'sound' ? doc.sounds : doc.spawns;
    list.splice(obj.index, 1);
    select(null);
    rebuildAll();
  }

  async function rebuildAll() {
    for (const o of objects) { scene.remove(o.holder); scene.remove(o.box); }
    objects.length = 0;
    await Promise.all(doc.placements.map((p, i) => buildPlacement(p, i)));
    doc.doors.forEach((door, i) => buildMarker('door', i, door));
    doc.spawns.forEach((spawn, i) => buildMarker('spawn', i, spawn));
    doc.sounds.forEach((zone, i) => buildMarker('sound', i, zone));
    state.objects = objects.length;
  }

  async function addPlacement(exhibitId, point) {
    const at = point ? [round(point.x), 0, round(point.z)] : [0, 0, 0];
    doc.placements.push({ exhibit_id: exhibitId, translation: at, rotation_deg: [0, 0, 0], scale: 1, mount: 'floor', label: {} });
    const index = doc.placements.length - 1;
    const holder = await buildPlacement(doc.placements[index], index);
    // Stand the new exhibit on the floor: a model whose origin is at its centre would otherwise sink into it.
    const lowest = new Box3().setFromObject(holder).min.y;
    if (Number.isFinite(lowest) && lowest < 0) {
      doc.placements[index].translation[1] = round(-lowest);
      holder.position.y = doc.placements[index].translation[1];
    }
    select(objects.find((o) => o.kind === 'placement' && o.index === index));
    say(t('addedToRoom'));
  }

  function addSpawn() {
    doc.spawns.push({ position: [0, 0, round(d / 2 - 1)], yaw_deg: 180 });
    buildMarker('spawn', doc.spawns.length - 1, doc.spawns[doc.spawns.length - 1]);
    select(objects[objects.length - 1]);
  }

  function addDoor() {
    if (!doorTarget.value) { say(t('noOtherGallery'), true); return; }
    doc.doors.push({ to_gallery_id: Number(doorTarget.value), translation: [round(w / 2), 0, 0], yaw_deg: 90, label: {} });
    buildMarker('door', doc.doors.length - 1, doc.doors[doc.doors.length - 1]);
    select(objects[objects.length - 1]);
  }

  // A new sound zone: a spot sound at ear height in the middle of the room, playing the first uploaded audio file.
  async function addSound() {
    const files = await audioAssets();
    doc.sounds.push({ kind: 'spot', asset_id: files.length ? files[0].id : null, translation: [0, 1.5, 0], radius_m: 4,
      volume: 0.6, title: {} });
    buildMarker('sound', doc.sounds.length - 1, doc.sounds[doc.sounds.length - 1]);
    select(objects[objects.length - 1]);
    if (!files.length) say(t('noAudioYet'), true);
  }

  function setMode(mode) {
    gizmo.setMode(mode);
    modeButtons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.mode === mode)));
  }

  // --- picking, dropping, hotspots ------------------------------------------------------------------------------
  const raycaster = new Raycaster();
  const pointer = new Vector2();
  function ray(event) {
    const rect = renderer.domElement.getBoundingClientRect();
    pointer.set(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    raycaster.setFromCamera(pointer, camera);
  }
  function objectAt(event) {
    ray(event);
    const hits = raycaster.intersectObjects(objects.map((o) => o.holder), true);
    if (!hits.length) return null;
    let node = hits[0].object;
    while (node && !objects.some((o) => o.holder === node)) node = node.parent;
    return { obj: objects.find((o) => o.holder === node), hit: hits[0] };
  }
  let downAt = null;
  renderer.domElement.addEventListener('pointerdown', (e) => { downAt = [e.clientX, e.clientY]; });
  renderer.domElement.addEventListener('pointerup', async (e) => {
    if (!downAt || Math.hypot(e.clientX - downAt[0], e.clientY - downAt[1]) > 4 || gizmo.dragging) return;
    const found = objectAt(e);
    if (hotspotToggle.checked && found && found.obj.kind === 'placement') {
      await addHotspot(found.obj, found.hit.point);
      return;
    }
    select(found ? found.obj : null);
  });
  viewport.addEventListener('dragover', (e) => e.preventDefault());
  viewport.addEventListener('drop', (e) => {
    e.preventDefault();
    const id = Number(e.dataTransfer.getData('text/x-exhibit'));
    if (!id) return;
    ray(e);
    const point = new Vector3();
    addPlacement(id, raycaster.ray.intersectPlane(floorPlane, point) ? point : null);
  });
  window.addEventListener('keydown', (e) => {
    if (!document.body.contains(viewport) || ['INPUT', 'SELECT', 'TEXTAREA'].includes(/** @type {Element} */ (e.target).tagName)) return;
    const mode = { w: 'translate', e: 'rotate', r: 'scale' }[e.key.toLowerCase()];
    if (mode) setMode(mode);
  });

  async function addHotspot(obj, worldPoint) {
    const placement = doc.placements[obj.index];
    const local = obj.holder.worldToLocal(worldPoint.clone()).toArray().map(round);
    const title = window.prompt(t('hotspotPrompt'));
    if (!title) return;
    try {
      const exhibit = await api('GET', `/api/v1/studio/exhibits/${placement.exhibit_id}`);
      const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `spot-${exhibit.hotspots.length + 1}`;
      exhibit.hotspots.push({ slug, kind: 'point', anchor: local, radius_m: 0.05, title: { [lang()]: title }, text: {} });
      await api('PATCH', `/api/v1/studio/exhibits/${exhibit.id}`, { version: exhibit.version, hotspots: exhibit.hotspots });
      const dot = new Mesh(new SphereGeometry(0.04, 12, 8), new MeshStandardMaterial({ color: '#ffb347' }));
      dot.position.fromArray(local);
      obj.holder.add(dot);
      say(t('hotspotAdded', { title }));
    } catch (err) { say(errorText(err), true); }
  }

  // --- saving and errors on the object at fault -----------------------------------------------------------------
  function objectOfPointer(pointer) {
    const m = /^\/(placements|doors|spawns|sounds)\/(\d+)/.exec(pointer || '');
    const kind = m ? { placements: 'placement', doors: 'door', spawns: 'spawn', sounds: 'sound' }[m[1]] : null;
    return kind ? objects.find((o) => o.kind === kind && o.index === Number(m[2])) : null;
  }

  function showError(err) {
    state.error = err.pointer || null;
    const obj = objectOfPointer(err.pointer);
    errorTag.hidden = !obj;
    errorTag.textContent = errorText(err);
    errorTag.dataset.pointer = err.pointer || '';
    if (obj) {
      select(obj);
      obj.box.material.color.set('#e03131');
      obj.box.visible = true;
      state.errorObject = obj;
    }
    say(errorText(err), true);
  }

  // --- live faults: the layout is checked as it changes, so a fault shows while dragging, not only on Save -------
  let checkTimer = null;
  let checking = false;
  let checkAgain = false;
  state.checks = 0;
  state.faults = [];

  function markFaults(faults) {
    state.faults = faults.filter((f) => f.blocks_save).map((f) => f.pointer);
    for (const o of objects) {
      o.box.material.color.set('#f3c969');
      o.box.visible = o === state.selected;
    }
    let first = null;
    for (const fault of faults) {
      const obj = objectOfPointer(fault.pointer);
      if (!obj) continue;
      obj.box.material.color.set(fault.blocks_save ? '#e03131' : '#f59f00');  // red: Save refuses it
      obj.box.visible = true;
      if (!first && fault.blocks_save) first = { obj, fault };
    }
    errorTag.hidden = !first;
    if (first) {
      errorTag.textContent = problemText(first.fault);
      errorTag.dataset.pointer = first.fault.pointer;
      state.errorObject = first.obj;
    }
  }

  async function checkLayout() {
    if (checking) { checkAgain = true; return; }
    checking = true;
    try {
      const found = await api('POST', `/api/v1/studio/galleries/${galleryId}/layout-check`,
        { placements: doc.placements, doors: doc.doors, spawns: doc.spawns, sounds: doc.sounds });
      markFaults(found.problems);
    } catch (err) {
      if (err.status === 422) markFaults([{ pointer: err.pointer, code: err.code, message: err.message,
        blocks_save: true }]);
    } finally {
      checking = false;
      state.checks += 1;
      if (checkAgain) { checkAgain = false; scheduleCheck(); }
    }
  }

  function scheduleCheck() {
    if (!canEdit) return;
    clearTimeout(checkTimer);
    checkTimer = setTimeout(checkLayout, 200);
  }

  async function save() {
    saveButton.disabled = true;
    errorTag.hidden = true;
    try {
      const body = { version: doc.version, placements: doc.placements, doors: doc.doors, spawns: doc.spawns,
        sounds: doc.sounds };
      const saved = await api('PATCH', `/api/v1/studio/galleries/${galleryId}`, body);
      doc = saved;
      doc.sounds = doc.sounds || [];
      document.getElementById('layout-version').textContent = t('versionN', { n: doc.version });
      state.error = null;
      objects.forEach((o) => o.box.material.color.set('#f3c969'));
      say(saved.status === 'draft' ? t('savedGalleryDraft') : t('saved'));
      state.saved = (state.saved || 0) + 1;
    } catch (err) {
      if (err.status === 412) say(`${errorText(err)} ${t('reloadToSee')}`, true);
      else showError(err);
    } finally { saveButton.disabled = false; }
  }

  function resize() {
    const rect = viewport.getBoundingClientRect();
    renderer.setSize(Math.max(rect.width, 100), Math.max(rect.height, 100), false);
    renderer.setPixelRatio(Math.min(window.devicePixelRatio, 2));
    camera.aspect = Math.max(rect.width, 100) / Math.max(rect.height, 100);
    camera.updateProjectionMatrix();
  }
  new ResizeObserver(resize).observe(viewport);
  resize();

  const tagAt = new Vector3();
  const viewDir = new Vector3();
  renderer.setAnimationLoop(() => {
    if (!document.body.contains(viewport)) { renderer.setAnimationLoop(null); renderer.dispose(); return; }
    orbit.update();
    // Seen from above, the vertical arrow sits on the object's centre, where a drag meant to slide it starts:
    // moving, the height is then changed in the number field or from a side view.
    const steep = Math.abs(camera.getWorldDirection(viewDir).y) > STEEP_VIEW;
    gizmo.showY = !(gizmo.getMode() === 'translate' && steep);
    state.verticalHandle = gizmo.showY;
    if (!errorTag.hidden && state.errorObject) {
      new Box3().setFromObject(state.errorObject.holder).getCenter(tagAt);
      tagAt.y = new Box3().setFromObject(state.errorObject.holder).max.y;
      tagAt.project(camera);
      errorTag.style.left = `${((tagAt.x + 1) / 2) * 100}%`;
      errorTag.style.top = `${((1 - tagAt.y) / 2) * 100}%`;
    }
    renderer.render(scene, camera);
    state.frames += 1;
  });
  setMode('translate');
  await rebuildAll();
  showProps();
  state.ready = true;
  // For tests and scripted checks: where an object appears on the screen, in page coordinates.
  const screenOf = (kind, index) => {
    const obj = objects.find((o) => o.kind === kind && o.index === index);
    const centre = new Box3().setFromObject(obj.holder).getCenter(new Vector3()).project(camera);
    const rect = renderer.domElement.getBoundingClientRect();
    return [rect.left + ((centre.x + 1) / 2) * rect.width, rect.top + ((1 - centre.y) / 2) * rect.height];
  };
  // Where a placement's plinth stands in the room ([x, y, z] of its top centre), or null without one.
  const plinthOf = (index) => {
    const obj = objects.find((o) => o.kind === 'placement' && o.index === index);
    const plinth = obj && obj.holder.userData.plinth;
    return plinth ? plinth.getWorldPosition(new Vector3()).toArray().map(round) : null;
  };
  state.api = { addPlacement, addSound, save, screenOf, plinthOf, placements: () => doc.placements, sounds: () => doc.sounds,
    select: (kind, index) => select(objects.find((o) => o.kind === kind && o.index === index)) };
}

// The studio's placement editor: a gallery in 3D where curators drag exhibits in from the catalogue, move, turn
// and resize them with gizmos, click a model to put a hotspot on it, and set start points and doors. Saving sends
// the gallery document to the API; a validation error is shown on the object at fault.
import {
  AmbientLight, Box3, BoxGeometry, BoxHelper, Color, ConeGeometry, DirectionalLight, FrontSide, GridHelper, Group,
  MathUtils,
  Mesh, MeshStandardMaterial, PerspectiveCamera, Plane, Raycaster, Scene, SphereGeometry, SRGBColorSpace, Vector2,
  Vector3, WebGLRenderer,
} from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { TransformControls } from 'three/examples/jsm/controls/TransformControls.js';

const MOUNTS = ['pedestal', 'wall', 'floor', 'showcase'];
const CUT_HEIGHT = 2.4; // metres: above eye level, below most ceilings
const round = (v) => Math.round(v * 1000) / 1000;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? '' : String(v));
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

const titleOf = (item) => (item.title && (item.title.en || item.title['zh-Hans'] || item.title['zh-Hant'])) || item.slug;

export async function openPlacementEditor(main, galleryId, { api, say, canEdit }) {
  let doc = await api('GET', `/api/v1/studio/galleries/${galleryId}`);
  const [catalogue, galleries, manifest] = await Promise.all([
    api('GET', '/api/v1/studio/exhibits?per_page=100'), api('GET', '/api/v1/studio/galleries?per_page=100'),
    api('GET', `/api/v1/galleries/${doc.slug}/manifest?tier=desktop`).catch(() => null)]);
  const exhibitsById = new Map(catalogue.items.map((e) => [e.id, e]));
  const state = { frames: 0, ready: false, objects: 0, selected: null, error: null };
  window.studioEditor = state;

  // --- layout -------------------------------------------------------------------------------------------------
  const viewport = el('div', { class: 'viewport', tabindex: '0', 'aria-label': 'The gallery in 3D' });
  const errorTag = el('div', { class: 'object-error', hidden: true, role: 'alert' });
  viewport.append(errorTag);
  const props = el('div');
  const modeButtons = ['translate', 'rotate', 'scale'].map((mode, i) => el('button', {
    type: 'button', class: 'secondary', 'data-mode': mode, onclick: () => setMode(mode),
  }, ['Move (W)', 'Turn (E)', 'Resize (R)'][i]));
  const hotspotToggle = el('input', { type: 'checkbox', id: 'hotspot-mode' });
  const doorTarget = el('select', { 'aria-label': 'Door leads to' },
    galleries.items.filter((g) => g.id !== galleryId).map((g) => el('option', { value: g.id }, titleOf(g))));
  const saveButton = el('button', { type: 'button', id: 'save-layout', onclick: () => save() }, 'Save the room');
  const left = el('aside', { 'aria-label': 'Catalogue' }, el('h2', {}, 'Catalogue'),
    el('p', { class: 'hint' }, 'Drag an exhibit into the room, or use its “Add” button.'),
    catalogue.items.map((e) => el('div', { class: 'catalogue-item', draggable: 'true', 'data-exhibit': e.id,
      ondragstart: (ev) => ev.dataTransfer.setData('text/x-exhibit', String(e.id)) },
    el('div', {}, titleOf(e), ' ', el('span', { class: 'hint' }, `(${e.status})`)),
    el('button', { type: 'button', class: 'secondary', 'data-add-exhibit': e.id, onclick: () => addPlacement(e.id, null) },
      'Add'))));
  const right = el('aside', { 'aria-label': 'Selected object' },
    el('h2', {}, 'Tools'), el('div', { class: 'actions' }, modeButtons),
    el('label', { for: 'hotspot-mode' }, hotspotToggle, ' Click a model to add a hotspot'),
    el('div', { class: 'actions' }, el('button', { type: 'button', class: 'secondary', onclick: () => addSpawn() },
      'Add a start point')),
    el('div', { class: 'actions' }, doorTarget, el('button', { type: 'button', class: 'secondary',
      onclick: () => addDoor() }, 'Add a door')),
    el('h2', {}, 'Selected'), props, el('div', { class: 'actions' }, canEdit ? saveButton : null));
  main.replaceChildren(el('h1', {}, `Placement editor: ${titleOf(doc)}`),
    el('p', {}, el('a', { href: `#/edit/galleries/${galleryId}` }, 'Back to the gallery form'), ' · ',
      el('span', { id: 'layout-version' }, `Version ${doc.version}`)),
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

  const objects = []; // {kind: 'placement'|'door'|'spawn', index, holder, box}
  const floorPlane = new Plane(new Vector3(0, 1, 0), 0);

  async function exhibitModelUrl(exhibitId) {
    const exhibit = exhibitsById.get(exhibitId);
    if (!exhibit) return null;
    const detail = await api('GET', `/api/v1/exhibits/${exhibit.slug}`).catch(() => null);
    const models = (detail && detail.models) || {};
    return (models.desktop || models.phone || models.original || {}).url || null;
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
    const url = (p.id && modelUrls.get(p.id)) || await exhibitModelUrl(p.exhibit_id);
    const model = url ? await loadModel(url) : null;
    holder.add(model || placeholder('#c9a227'));
    const box = new BoxHelper(holder, '#f3c969');
    box.visible = false;
    scene.add(box);
    objects.push({ kind: 'placement', index, holder, box });
    state.objects = objects.length;
    return holder;
  }

  function buildMarker(kind, index, item) {
    const holder = new Group();
    holder.userData = { kind, index };
    if (kind === 'spawn') {
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
  }

  function itemOf(obj) {
    if (obj.kind === 'placement') return doc.placements[obj.index];
    if (obj.kind === 'door') return doc.doors[obj.index];
    return doc.spawns[obj.index];
  }

  function syncFromObject() {
    const obj = state.selected;
    if (!obj) return;
    const { holder } = obj;
    if (gizmo.getMode() === 'scale') {
      const s = [holder.scale.x, holder.scale.y, holder.scale.z].reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a));
      holder.scale.setScalar(MathUtils.clamp(s, 0.01, 100));
    }
    const item = itemOf(obj);
    const pos = holder.position.toArray().map(round);
    const rot = [holder.rotation.x, holder.rotation.y, holder.rotation.z].map((v) => round(MathUtils.radToDeg(v)));
    if (obj.kind === 'placement') {
      Object.assign(item, { translation: pos, rotation_deg: rot, scale: round(holder.scale.x) });
    } else if (obj.kind === 'door') {
      Object.assign(item, { translation: pos, yaw_deg: rot[1] });
    } else {
      Object.assign(item, { position: pos, yaw_deg: rot[1] });
    }
    obj.box.update();
    showProps();
  }

  function select(obj) {
    for (const o of objects) o.box.visible = o === obj;
    state.selected = obj;
    if (obj && canEdit) gizmo.attach(obj.holder); else gizmo.detach();
    if (obj && obj.kind !== 'placement' && gizmo.getMode() === 'scale') setMode('translate');
    showProps();
  }

  function numberInput(label, value, onchange) {
    const input = el('input', { type: 'number', step: 'any', value: String(value), 'aria-label': label });
    input.addEventListener('change', () => onchange(Number(input.value)));
    return el('label', {}, label, input);
  }

  function showProps() {
    const obj = state.selected;
    if (!obj) { props.replaceChildren(el('p', { class: 'hint' }, 'Click an object in the room to select it.')); return; }
    const item = itemOf(obj);
    const rebuild = () => {
      if (obj.kind === 'placement') applyTransform(obj.holder, item.translation, item.rotation_deg, item.scale);
      else applyTransform(obj.holder, obj.kind === 'door' ? item.translation : item.position, [0, item.yaw_deg, 0], 1);
      obj.box.update();
    };
    const remove = el('button', { type: 'button', class: 'danger', onclick: () => removeObject(obj) }, 'Remove from the room');
    if (obj.kind === 'placement') {
      const exhibit = exhibitsById.get(item.exhibit_id);
      const mount = el('select', { 'aria-label': 'Mount' }, MOUNTS.map((m) => el('option', { value: m }, m)));
      mount.value = item.mount || 'floor';
      mount.addEventListener('change', () => { item.mount = mount.value; });
      props.replaceChildren(el('p', {}, el('strong', {}, exhibit ? titleOf(exhibit) : `Exhibit ${item.exhibit_id}`)),
        ...['x', 'y', 'z'].map((a, i) => numberInput(`Position ${a} (m)`, item.translation[i], (v) => { item.translation[i] = v; rebuild(); })),
        numberInput('Turn (degrees)', item.rotation_deg[1], (v) => { item.rotation_deg[1] = v; rebuild(); }),
        numberInput('Scale', item.scale, (v) => { item.scale = v; rebuild(); }), el('label', {}, 'Mount', mount), remove);
    } else {
      const pos = obj.kind === 'door' ? item.translation : item.position;
      const target = obj.kind === 'door' ? galleries.items.find((g) => g.id === item.to_gallery_id) : null;
      props.replaceChildren(el('p', {}, el('strong', {}, obj.kind === 'door' ? `Door to ${target ? titleOf(target) : '?'}`
        : `Start point ${obj.index + 1}`)),
      ...['x', 'y', 'z'].map((a, i) => numberInput(`Position ${a} (m)`, pos[i], (v) => { pos[i] = v; rebuild(); })),
      numberInput('Facing (degrees)', item.yaw_deg || 0, (v) => { item.yaw_deg = v; rebuild(); }), remove);
    }
  }

  function removeObject(obj) {
    const list = obj.kind === 'placement' ? doc.placements : obj.kind === 'door' ? doc.doors : doc.spawns;
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
    say('Added to the room; move it into place, then save.');
  }

  function addSpawn() {
    doc.spawns.push({ position: [0, 0, round(d / 2 - 1)], yaw_deg: 180 });
    buildMarker('spawn', doc.spawns.length - 1, doc.spawns[doc.spawns.length - 1]);
    select(objects[objects.length - 1]);
  }

  function addDoor() {
    if (!doorTarget.value) { say('There is no other gallery to lead to yet.', true); return; }
    doc.doors.push({ to_gallery_id: Number(doorTarget.value), translation: [round(w / 2), 0, 0], yaw_deg: 90, label: {} });
    buildMarker('door', doc.doors.length - 1, doc.doors[doc.doors.length - 1]);
    select(objects[objects.length - 1]);
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
    if (!document.body.contains(viewport) || ['INPUT', 'SELECT', 'TEXTAREA'].includes(e.target.tagName)) return;
    const mode = { w: 'translate', e: 'rotate', r: 'scale' }[e.key.toLowerCase()];
    if (mode) setMode(mode);
  });

  async function addHotspot(obj, worldPoint) {
    const placement = doc.placements[obj.index];
    const local = obj.holder.worldToLocal(worldPoint.clone()).toArray().map(round);
    const title = window.prompt('Title of the hotspot (English; add the other languages in the exhibit form):');
    if (!title) return;
    try {
      const exhibit = await api('GET', `/api/v1/studio/exhibits/${placement.exhibit_id}`);
      const slug = title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || `spot-${exhibit.hotspots.length + 1}`;
      exhibit.hotspots.push({ slug, kind: 'point', anchor: local, radius_m: 0.05, title: { en: title }, text: {} });
      await api('PATCH', `/api/v1/studio/exhibits/${exhibit.id}`, { version: exhibit.version, hotspots: exhibit.hotspots });
      const dot = new Mesh(new SphereGeometry(0.04, 12, 8), new MeshStandardMaterial({ color: '#ffb347' }));
      dot.position.fromArray(local);
      obj.holder.add(dot);
      say(`Hotspot “${title}” added to the exhibit (the exhibit is a draft again until reviewed).`);
    } catch (err) { say(err.message, true); }
  }

  // --- saving and errors on the object at fault -----------------------------------------------------------------
  function showError(err) {
    state.error = err.pointer || null;
    const m = /^\/(placements|doors|spawns)\/(\d+)/.exec(err.pointer || '');
    const kind = m ? { placements: 'placement', doors: 'door', spawns: 'spawn' }[m[1]] : null;
    const obj = kind ? objects.find((o) => o.kind === kind && o.index === Number(m[2])) : null;
    errorTag.hidden = !obj;
    errorTag.textContent = err.message;
    errorTag.dataset.pointer = err.pointer || '';
    if (obj) {
      select(obj);
      obj.box.material.color.set('#e03131');
      obj.box.visible = true;
      state.errorObject = obj;
    }
    say(err.message, true);
  }

  async function save() {
    saveButton.disabled = true;
    errorTag.hidden = true;
    try {
      const body = { version: doc.version, placements: doc.placements, doors: doc.doors, spawns: doc.spawns };
      const saved = await api('PATCH', `/api/v1/studio/galleries/${galleryId}`, body);
      doc = saved;
      document.getElementById('layout-version').textContent = `Version ${doc.version}`;
      state.error = null;
      objects.forEach((o) => o.box.material.color.set('#f3c969'));
      say(saved.status === 'draft' ? 'Saved. The gallery is a draft: send it to review to publish the change.' : 'Saved.');
      state.saved = (state.saved || 0) + 1;
    } catch (err) {
      if (err.status === 412) say(`${err.message} Reload the page to see the other changes.`, true);
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
  renderer.setAnimationLoop(() => {
    if (!document.body.contains(viewport)) { renderer.setAnimationLoop(null); renderer.dispose(); return; }
    orbit.update();
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
  state.api = { addPlacement, save, screenOf,
    select: (kind, index) => select(objects.find((o) => o.kind === kind && o.index === index)) };
}

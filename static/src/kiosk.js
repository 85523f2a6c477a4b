// The photo booth: device set-up, consent, live camera with frame and 3D props (three.js), countdown, capture,
// review, send, QR code; back to the start when nobody touches it for a while.
//
// With a museum backdrop chosen, the guests stand inside a gallery: the live preview cuts them out of the camera's
// picture (MediaPipe selfie segmentation, _backdrop.js) in front of the gallery's scene; the photo is sent with
// the gallery's view at the photo's resolution, and the server stands the guests in front of it.
//
// The guests' photo takes its props from this page: at capture, the same three.js scene is drawn once more at the
// photo's own resolution and sent beside it as a PNG layer (see ar_photo/prop_layer.py for why and how the
// server bounds it), so the photo shows the props exactly as the approved preview did.
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { CameraFrames, GalleryView, LiveStage, PersonMask, standIn } from './_backdrop.js';
import './kiosk.css';

const params = new URLSearchParams(window.location.search);
const IDLE_MS = Number(params.get('idle')) || 90000;
const COUNT_MS = Number(params.get('tick')) || 1000;
// The QR code should not wait on screen for the next group: it leaves sooner than an unfinished session.
const DONE_MS = Math.min(IDLE_MS, Number(params.get('done')) || 45000);
const TOKEN_KEY = 'museum.kioskToken';
const PROP_BASE_FRACTION = 0.35; // as ar_photo.prop_layer: a prop at scale 1 spans this much of the window
const LAYER_MARGIN = 2; // px around a prop's own bounds in its layer, for the antialiased edge
// Any view of a model scaled to one prop length fits in a disc of sqrt(3)/2 of it (a cube's half diagonal).
const REACH = 0.87;
// Where a new prop goes, it starts wholly inside the window: its centre at least this many prop lengths in.
const INSIDE = 0.5;
// The gallery's view sent with a photo: the window's part of the photo at its own resolution, up to this long side
// (the room behind the guests is a little soft at 12 MP, as a real lens's background would be).
const BACKDROP_LONG_SIDE = 2560;
// The live preview in a gallery shows every camera frame, with the model's newest mask; the model runs on one frame
// in this many (at most 7.5 masks a second from a 30 frames/s camera; figures in bench/photo/live.py).
const MODEL_EVERY = 4;
// Dynamic resolution of the live preview in a gallery: when frames come slower than SLOW_FPS (counted over
// SCALE_EVERY frames), the preview is drawn at fewer pixels (down to MIN_STAGE_SCALE of the window's, stretched to
// fill it); when they come faster than FAST_FPS, at more again. A booth with a graphics card stays at full
// resolution; one drawing in software keeps its frame rate, a little softer. The photo is always taken at the
// camera's full resolution.
const SLOW_FPS = 20;
const FAST_FPS = 28;
const MIN_STAGE_SCALE = 0.6;
const SCALE_EVERY = 12; // frames between decisions

/** Follows the live preview's frame rate and says at what share of the window's pixels to draw the next frame. */
class StageScale {
  constructor() {
    this.value = 1;
    this.since = 0; // when the current count of frames began (ms)
    this.frames = 0;
  }

  /** Count a drawn frame at time `now` (ms) and return the scale for the next one. */
  tick(now) {
    if (!this.since) this.since = now;
    else this.frames += 1;
    if (this.frames < SCALE_EVERY) return this.value;
    const fps = (this.frames * 1000) / Math.max(1, now - this.since);
    [this.since, this.frames] = [now, 0];
    const step = fps < SLOW_FPS ? -0.1 : fps > FAST_FPS ? 0.1 : 0;
    this.value = Math.min(1, Math.max(MIN_STAGE_SCALE, Math.round((this.value + step) * 10) / 10));
    return this.value;
  }
}

/**
 * The elements of the kiosk page (photos/kiosk.html) that are more than an HTMLElement, by id.
 * @typedef {{'device-token': HTMLInputElement, 'opt-children': HTMLInputElement, 'opt-guardian': HTMLInputElement,
 *   'consent-start': HTMLButtonElement, video: HTMLVideoElement, 'props-canvas': HTMLCanvasElement,
 *   frame: HTMLImageElement, 'stage-canvas': HTMLCanvasElement, 'review-image': HTMLImageElement, send: HTMLButtonElement, qr: HTMLImageElement}} KioskElements
 */
/**
 * The element with an id, typed by KioskElements.
 * @template {string} K
 * @param {K} id
 * @returns {K extends keyof KioskElements ? KioskElements[K] : HTMLElement}
 */
const $ = (id) => /** @type {K extends keyof KioskElements ? KioskElements[K] : HTMLElement} */ (document.getElementById(id));
const main = $('kiosk');

const booth = {
  retention: 7, timezone: 'Asia/Shanghai', shareProblem: null, templates: [], template: null, props: [],
  placed: [], selected: null, stream: null, blob: null, layer: null, lastTouch: performance.now(), frames: 0,
  busy: false, backdrops: [], backdrop: null, background: null, behind: null, standIns: 0, masks: 0, dirty: true,
  stageScale: 1, // the live preview's share of the window's pixels, as `scaler` (a StageScale) decides it
  /** @type {StageScale | null} */ scaler: null,
  previewSize: [0, 0], // the camera frames' size in the live preview in a gallery
};
/** @type {Window & {kiosk?: typeof booth}} */ (window).kiosk = booth;

function show(id) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.screen'))) el.hidden = el.id !== id;
  main.dataset.state = id;
  if (id === 'camera') standInLoop();
}

function fail(id, message) {
  const el = $(id);
  el.textContent = message;
  el.hidden = !message;
}

function bilingual(text) {
  if (!text) return '';
  return `${text['zh-Hans'] || text.zh || ''}\n${text.en || ''}`.trim();
}

// --- set-up and consent -------------------------------------------------------------------------------------

$('setup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const token = $('device-token').value.trim();
  if (!token.startsWith('kio_')) {
    fail('setup-error', '这不是设备令牌（应以 kio_ 开头）。 This is not a device token (it starts with kio_).');
    return;
  }
  window.localStorage.setItem(TOKEN_KEY, token);
  fail('setup-error', '');
  reset();
});

const optins = /** @type {HTMLInputElement[]} */ (['opt-photo', 'opt-keep', 'opt-children', 'opt-guardian'].map($));
function consentGiven() {
  const [photo, keep, children, guardian] = optins.map((el) => el.checked);
  return photo && keep && (!children || guardian);
}
for (const el of optins) {
  el.addEventListener('change', () => {
    $('guardian-row').hidden = !$('opt-children').checked;
    if (!$('opt-children').checked) $('opt-guardian').checked = false;
    $('consent-start').disabled = !consentGiven();
  });
}
$('consent-start').addEventListener('click', () => { if (consentGiven() && !booth.shareProblem) startCamera(); });

// --- camera and stage ---------------------------------------------------------------------------------------

const video = $('video');
const canvas = $('props-canvas');
const renderer = new THREE.WebGLRenderer({ canvas, alpha: true, antialias: true, preserveDrawingBuffer: true });
renderer.setPixelRatio(Math.min(2, window.devicePixelRatio || 1));
renderer.setClearColor(0x000000, 0);
const scene = new THREE.Scene();
scene.add(new THREE.HemisphereLight(0xffffff, 0x445544, 2.2));
scene.add(new THREE.AmbientLight(0xffffff, 0.8));
const sun = new THREE.DirectionalLight(0xffffff, 2.0);
sun.position.set(0.4, 0.8, 1);
scene.add(sun);
const camera = new THREE.OrthographicCamera(0, 1, 0, -1, -5000, 5000);
const loader = new GLTFLoader().setMeshoptDecoder(MeshoptDecoder);
const models = new Map();
let win = { x: 0, y: 0, w: 1, h: 1 }; // the template's window on screen, CSS pixels

async function startCamera() {
  show('camera');
  fail('camera-error', '');
  try {
    booth.stream = await navigator.mediaDevices.getUserMedia({
      // As many pixels as the camera gives, up to 12 MP: the full-size download keeps them.
      video: { width: { ideal: 4000 }, height: { ideal: 3000 }, facingMode: 'user' }, audio: false,
    });
  } catch (err) {
    fail('camera-error', `无法打开摄像头。Cannot open the camera: ${err.name}`);
    return;
  }
  video.srcObject = booth.stream;
  await video.play().catch(() => {});
  if (!video.videoWidth) await new Promise((ok) => video.addEventListener('loadedmetadata', ok, { once: true }));
  layout();
  if (!booth.placed.length && booth.props.length) placeProp(booth.props[0]);
  standInLoop();
}

function stopCamera() {
  if (booth.stream) for (const track of booth.stream.getTracks()) track.stop();
  booth.stream = null;
  video.srcObject = null;
}

function layout() {
  const t = booth.template;
  if (!t) return;
  const stage = $('stage');
  const room = $('camera');
  const toolsWidth = $('tools').getBoundingClientRect().width;
  // Tools beside the picture on a landscape screen, below it on a portrait one (kiosk.css).
  const portraitScreen = room.clientHeight > room.clientWidth;
  const availW = room.clientWidth - (portraitScreen ? 0 : toolsWidth) - 64;
  const availH = room.clientHeight * (portraitScreen ? 0.56 : 1) - 32;
  if (availW <= 0 || availH <= 0) return; // hidden: laid out again when the camera screen shows
  const [cw, ch] = t.size;
  const s = Math.min(availW / cw, availH / ch);
  stage.style.width = `${cw * s}px`;
  stage.style.height = `${ch * s}px`;
  const [x, y, w, h] = t.window;
  win = { x: x * s, y: y * s, w: w * s, h: h * s };
  for (const el of [video, stageCanvas, canvas]) {
    Object.assign(el.style, { left: `${win.x}px`, top: `${win.y}px`, width: `${win.w}px`, height: `${win.h}px` });
  }
  const emblem = $('emblem');
  const side = Math.min(cw, ch) * s * 0.08;
  Object.assign(emblem.style, { width: `${side}px`, right: `${side * 0.4}px`, bottom: `${side * 0.4}px` });
  $('frame').src = t.frame_url;
  renderer.setSize(win.w, win.h, false);
  booth.dirty = true;
  camera.right = win.w;
  camera.bottom = -win.h;
  camera.updateProjectionMatrix();
  for (const prop of booth.placed) pose(prop);
  if (booth.backdrop) paintBackdrop();
}

// --- the museum behind the guests ---------------------------------------------------------------------------

const stageCanvas = $('stage-canvas');
/** @type {{gallery: GalleryView | null, people: PersonMask | null, stage: LiveStage | null, wanted: any,
 *   behind: HTMLCanvasElement}} */
const views = { gallery: null, people: null, stage: null, wanted: null, behind: document.createElement('canvas') };

// The gallery at the window's shape and the preview's pixels, drawn once and kept for the live preview.
function paintBackdrop() {
  if (!views.gallery || !views.stage) return;
  const ratio = renderer.getPixelRatio();
  const w = Math.max(1, Math.round(win.w * ratio));
  const h = Math.max(1, Math.round(win.h * ratio));
  const copy = document.createElement('canvas');
  copy.width = w;
  copy.height = h;
  /** @type {CanvasRenderingContext2D} */ (copy.getContext('2d')).drawImage(views.gallery.render(w, h), 0, 0);
  views.stage.setBackdrop(copy);
}

function markBackdrop(slug) {
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.backdrop'))) {
    el.setAttribute('aria-pressed', String(el.dataset.slug === (slug || '')));
  }
}

// Stand the guests in a gallery (null: the camera's own picture). The model and the scene load on first use.
async function chooseBackdrop(backdrop) {
  views.wanted = backdrop;
  markBackdrop(backdrop && backdrop.slug);
  if (!backdrop) {
    booth.backdrop = null;
    main.dataset.backdrop = '';
    booth.dirty = true;
    showBehind();
    return;
  }
  const button = /** @type {HTMLElement | null} */ (document.querySelector(`.backdrop[data-slug="${backdrop.slug}"]`));
  if (button) button.setAttribute('aria-busy', 'true');
  try {
    views.people ||= new PersonMask();
    views.stage ||= new LiveStage(stageCanvas);
    views.gallery ||= new GalleryView();
    if (views.gallery.slug !== backdrop.slug) await views.gallery.load(backdrop);
  } catch (err) {
    fail('camera-error', `无法加载展厅背景 The gallery backdrop could not be loaded: ${backdrop.slug}`);
    if (views.wanted === backdrop) chooseBackdrop(null);
    return;
  } finally {
    if (button) button.removeAttribute('aria-busy');
  }
  if (views.wanted !== backdrop) return; // another was chosen meanwhile
  booth.backdrop = backdrop;
  booth.dirty = true;
  showBehind();
  paintBackdrop();
  standInLoop();
}

// The live preview in a gallery. Each camera frame is read as raw bytes (drawing a 12-megapixel <video> frame
// costs a booth without a graphics card about 400 ms; copying its bytes, 13), handed to the renderer, which
// draws the people over the gallery under the props (LiveStage), and to the model whenever it is free: every
// frame is drawn with the newest mask, so the picture keeps the camera's pace where the model cannot.
let standing = false;
async function standInLoop() {
  if (standing || !booth.backdrop || !views.people || !views.stage || !booth.stream) return;
  standing = true;
  const track = booth.stream.getVideoTracks()[0].clone();
  const { people, stage } = views;
  let frames = null;
  let finding = false;
  let count = 0;
  const scale = new StageScale();
  booth.scaler = scale;
  booth.stageScale = 1;
  try {
    frames = new CameraFrames(track);
    while (booth.backdrop && booth.stream && main.dataset.state === 'camera') {
      const frame = await frames.next();
      if (!frame || !booth.backdrop) break;
      booth.previewSize = [frame.width, frame.height];
      // The model's turn comes every MODEL_EVERY frames: on a booth without a graphics card it costs more than a
      // frame's time, and the page's thread waits for it (figures in the README).
      count += 1;
      if (!finding && count % MODEL_EVERY === 0) {
        finding = true;
        people.findFrame(frame).then((mask) => {
          stage.setMask(mask);
          booth.masks += 1;
        }).catch((err) => {
          fail('camera-error', `人像分割失败 Finding the people failed: ${err}`);
          chooseBackdrop(null);
        }).finally(() => { finding = false; });
      }
      if (!stage.hasMask) continue;
      const ratio = renderer.getPixelRatio() * booth.stageScale;
      const c = cover();
      stage.setFrame(frame, win.w * ratio, win.h * ratio);
      stage.place(Math.round(win.w * ratio), Math.round(win.h * ratio),
        [c.ox * ratio, c.oy * ratio, c.dw * ratio, c.dh * ratio]);
      stage.draw();
      if (stageCanvas.hidden) {
        stageCanvas.hidden = false;
        video.style.visibility = 'hidden';
      }
      main.dataset.backdrop = booth.backdrop.slug;
      booth.standIns += 1; // camera frames shown in the gallery: the live preview's frame rate
      booth.stageScale = scale.tick(performance.now());
    }
  } catch (err) {
    fail('camera-error', `人像分割失败 Finding the people failed: ${err}`);
    chooseBackdrop(null);
  } finally {
    if (frames) frames.close();
    track.stop();
    standing = false;
    if (!booth.backdrop) {
      if (views.stage) views.stage.hasMask = false;
      stageCanvas.hidden = true;
      video.style.visibility = '';
    }
  }
}

// The gallery's view sent with a photo: the window's part of the photo, at the photo's resolution (capped).
async function backdropShot(pw, ph) {
  if (!booth.backdrop || !views.gallery) return null;
  const crop = cropOf(pw, ph);
  const k = Math.min(1, BACKDROP_LONG_SIDE / Math.max(crop.w, crop.h));
  const view = views.gallery.render(Math.round(crop.w * k), Math.round(crop.h * k));
  const blob = await new Promise((ok) => view.toBlob(ok, 'image/jpeg', 0.92));
  return { blob, slug: booth.backdrop.slug };
}

// The server fills the window with the photo "cover"-cropped about its centre; the preview does the same, so
// a pose as fractions of the whole photo lands where the guest saw it.
function cover() {
  const vw = video.videoWidth || 4;
  const vh = video.videoHeight || 3;
  const s = Math.max(win.w / vw, win.h / vh);
  return { s, dw: vw * s, dh: vh * s, ox: (win.w - vw * s) / 2, oy: (win.h - vh * s) / 2 };
}
// The part of the photo the window shows, as fractions of the photo: the same centred crop the server makes.
function cropOf(pw, ph) {
  const aspect = win.w / win.h;
  const cw = Math.min(pw, ph * aspect);
  const ch = cw / aspect;
  return { left: (pw - cw) / 2, top: (ph - ch) / 2, w: cw, h: ch };
}
const toScreen = (u, v) => { const c = cover(); return [c.ox + u * c.dw, c.oy + v * c.dh]; };
const toPhoto = (sx, sy) => { const c = cover(); return [(sx - c.ox) / c.dw, (sy - c.oy) / c.dh]; };
const longSide = (scale) => scale * PROP_BASE_FRACTION * Math.min(win.w, win.h);

function pose(prop) {
  booth.dirty = true;
  const [sx, sy] = toScreen(prop.u, prop.v);
  prop.pivot.position.set(sx, -sy, 0);
  prop.pivot.scale.setScalar(longSide(prop.scale));
  prop.pivot.rotation.z = (prop.rotation * Math.PI) / 180;
}

async function modelOf(item) {
  if (models.has(item.slug)) return models.get(item.slug).clone(true);
  let object;
  if (item.model_url) {
    const gltf = await loader.loadAsync(item.model_url);
    object = gltf.scene;
  } else {
    const texture = await new THREE.TextureLoader().loadAsync(item.poster_url);
    texture.colorSpace = THREE.SRGBColorSpace;
    const aspect = texture.image.width / texture.image.height;
    object = new THREE.Mesh(new THREE.PlaneGeometry(aspect, 1),
      new THREE.MeshBasicMaterial({ map: texture, transparent: true }));
  }
  const box = new THREE.Box3().setFromObject(object);
  const size = box.getSize(new THREE.Vector3());
  const centre = box.getCenter(new THREE.Vector3());
  object.position.sub(centre);
  const unit = new THREE.Group();
  unit.add(object);
  unit.scale.setScalar(1 / Math.max(size.x, size.y, size.z, 1e-6));
  models.set(item.slug, unit);
  return unit.clone(true);
}

async function placeProp(item) {
  const max = booth.template ? booth.template.max_props : 6;
  if (booth.placed.length >= max) return;
  const slots = (booth.template && booth.template.prop_slots) || [];
  const slot = slots[booth.placed.length % Math.max(1, slots.length)] || { x: 0.5, y: 0.5, scale: 1 };
  const pivot = new THREE.Group();
  const [u, v] = slotPosition(slot);
  const prop = { slug: item.slug, u, v, scale: slot.scale || 1, rotation: 0, pivot };
  booth.placed.push(prop);
  select(prop);
  pose(prop);
  scene.add(pivot);
  try {
    pivot.add(await modelOf(item));
    booth.dirty = true;
  } catch (err) {
    removeProp(prop);
    fail('camera-error', `道具加载失败 The prop could not be loaded: ${item.slug}`);
  }
}

// A slot is a place in the window (0..1 of what the guests see), whatever the camera's shape; the pose is in
// fractions of the whole photo. A new prop starts wholly inside the window, never clipped by its edge.
function slotPosition(slot) {
  const vw = video.videoWidth || 4;
  const vh = video.videoHeight || 3;
  const crop = cropOf(vw, vh);
  const long = (slot.scale || 1) * PROP_BASE_FRACTION * Math.min(crop.w, crop.h);
  const margin = Math.min(INSIDE * long, crop.w / 2, crop.h / 2);
  const x = Math.min(crop.w - margin, Math.max(margin, slot.x * crop.w));
  const y = Math.min(crop.h - margin, Math.max(margin, slot.y * crop.h));
  return [(crop.left + x) / vw, (crop.top + y) / vh];
}

function select(prop) {
  booth.selected = prop;
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.prop'))) {
    el.setAttribute('aria-pressed', String(!!prop && el.dataset.slug === prop.slug));
  }
  showBehind();
}

// Behind the guests: only in a gallery, where the people are cut out of the picture; elsewhere every prop is in
// front, whatever it was set to.
const behindNow = (prop) => !!(prop.behind && booth.backdrop);
function showBehind() {
  const button = $('prop-behind');
  button.hidden = !booth.backdrop;
  button.setAttribute('aria-pressed', String(!!(booth.selected && booth.selected.behind)));
}
$('prop-behind').addEventListener('click', () => {
  const p = booth.selected;
  if (!p || !booth.backdrop) return;
  p.behind = !p.behind;
  booth.dirty = true;
  showBehind();
});

function removeProp(prop) {
  if (!prop) return;
  scene.remove(prop.pivot);
  booth.dirty = true;
  booth.placed = booth.placed.filter((p) => p !== prop);
  select(booth.placed[booth.placed.length - 1] || null);
}

function clampScale(value) { return Math.min(5, Math.max(0.1, value)); }
$('prop-bigger').addEventListener('click', () => { const p = booth.selected; if (p) { p.scale = clampScale(p.scale * 1.2); pose(p); } });
$('prop-smaller').addEventListener('click', () => { const p = booth.selected; if (p) { p.scale = clampScale(p.scale / 1.2); pose(p); } });
$('prop-turn').addEventListener('click', () => { const p = booth.selected; if (p) { p.rotation = (p.rotation + 15) % 360; pose(p); } });
$('prop-remove').addEventListener('click', () => removeProp(booth.selected));

// Drag a prop with one finger, scale it with two.
const pointers = new Map();
let pinch = null;
function local(event) {
  const r = canvas.getBoundingClientRect();
  return [event.clientX - r.left, event.clientY - r.top];
}
function nearest(sx, sy) {
  let best = null;
  let bestDist = Infinity;
  for (const prop of booth.placed) {
    const [px, py] = toScreen(prop.u, prop.v);
    const d = Math.hypot(px - sx, py - sy);
    if (d < longSide(prop.scale) * 0.75 && d < bestDist) { best = prop; bestDist = d; }
  }
  return best;
}
canvas.addEventListener('pointerdown', (event) => {
  canvas.setPointerCapture(event.pointerId);
  pointers.set(event.pointerId, local(event));
  if (pointers.size === 1) {
    const hit = nearest(...local(event));
    if (hit) select(hit);
  } else if (pointers.size === 2 && booth.selected) {
    const [a, b] = [...pointers.values()];
    pinch = { dist: Math.hypot(a[0] - b[0], a[1] - b[1]), scale: booth.selected.scale };
  }
});
canvas.addEventListener('pointermove', (event) => {
  if (!pointers.has(event.pointerId) || !booth.selected) return;
  pointers.set(event.pointerId, local(event));
  const prop = booth.selected;
  prop.moved = true;
  if (pointers.size === 1) {
    [prop.u, prop.v] = toPhoto(...local(event));
    prop.u = Math.min(1.4, Math.max(-0.4, prop.u));
    prop.v = Math.min(1.4, Math.max(-0.4, prop.v));
  } else if (pinch && pointers.size === 2) {
    const [a, b] = [...pointers.values()];
    prop.scale = clampScale(pinch.scale * Math.hypot(a[0] - b[0], a[1] - b[1]) / Math.max(1, pinch.dist));
  }
  pose(prop);
});
for (const kind of ['pointerup', 'pointercancel']) {
  canvas.addEventListener(kind, (/** @type {PointerEvent} */ event) => { pointers.delete(event.pointerId); if (pointers.size < 2) pinch = null; });
}

// The props are drawn again only when something about them changed: the canvas keeps its picture, and a booth
// without a graphics card has no time to spare on the live preview in a gallery.
function tick() {
  if (booth.dirty) {
    booth.dirty = false;
    const behind = booth.placed.filter(behindNow);
    if (views.stage) {
      // The props behind the guests are drawn alone, handed to the live stage (between the gallery and the
      // people), then hidden while the others are drawn on the props' own canvas above.
      if (behind.length) {
        for (const prop of booth.placed) prop.pivot.visible = behindNow(prop);
        renderer.render(scene, camera);
        views.behind.width = canvas.width;
        views.behind.height = canvas.height;
        const ctx = /** @type {CanvasRenderingContext2D} */ (views.behind.getContext('2d'));
        ctx.clearRect(0, 0, canvas.width, canvas.height);
        ctx.drawImage(canvas, 0, 0);
        views.stage.setBehind(views.behind);
      } else {
        views.stage.setBehind(null);
      }
    }
    for (const prop of booth.placed) prop.pivot.visible = !behindNow(prop);
    renderer.render(scene, camera);
    for (const prop of booth.placed) prop.pivot.visible = true;
  }
  booth.frames += 1;
  window.requestAnimationFrame(tick);
}

// --- countdown, capture, review, send -----------------------------------------------------------------------

const wait = (ms) => new Promise((ok) => { setTimeout(ok, ms); });

$('shoot').addEventListener('click', async () => {
  if (booth.busy || !video.videoWidth) return;
  booth.busy = true;
  const counter = $('countdown');
  counter.hidden = false;
  for (const n of [3, 2, 1]) {
    counter.textContent = String(n);
    await wait(COUNT_MS);
  }
  counter.hidden = true;
  booth.blob = await capture();
  booth.layer = await propLayer(video.videoWidth, video.videoHeight);
  booth.background = await backdropShot(video.videoWidth, video.videoHeight);
  booth.behind = booth.background ? await propLayer(video.videoWidth, video.videoHeight, true) : null;
  $('review-image').src = await preview(booth.blob, booth.layer, booth.background, booth.behind);
  booth.busy = false;
  show('review');
});

function capture() {
  // The preview is mirrored like a mirror; the photo is mirrored the same way, so it is what the guests saw.
  const shot = document.createElement('canvas');
  shot.width = video.videoWidth;
  shot.height = video.videoHeight;
  const ctx = shot.getContext('2d');
  ctx.translate(shot.width, 0);
  ctx.scale(-1, 1);
  ctx.drawImage(video, 0, 0);
  return new Promise((ok) => shot.toBlob(ok, 'image/jpeg', 0.92));
}

// Draw the placed props once more, at the photo's own resolution, over the box of the photo they cover: the
// layer the server puts on the guests' photo. Returns { canvas, box: [x, y, w, h] } or null without props.
// The box is each prop's own bounds as posed (a flat poster covers a strip, not the disc any turn of it could
// reach), within the reach the server allows: the server decodes every pixel of the layer, so a layer as
// small as the props makes the guests' photo sooner.
function propLayer(pw, ph, behind = false) {
  const drawn = booth.placed.filter((prop) => behindNow(prop) === behind);
  if (!drawn.length) return null;
  const crop = cropOf(pw, ph);
  const shortSide = Math.min(crop.w, crop.h);
  for (const prop of booth.placed) {
    prop.pivot.position.set(prop.u * pw, -prop.v * ph, 0);
    prop.pivot.scale.setScalar(prop.scale * PROP_BASE_FRACTION * shortSide);
  }
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  const bounds = new THREE.Box3();
  for (const prop of drawn) {
    const r = REACH * prop.scale * PROP_BASE_FRACTION * shortSide;
    prop.pivot.updateMatrixWorld(true);
    bounds.setFromObject(prop.pivot, true);
    // The camera looks down -z with y up: the props' world x is the photo's x, and -y its y. Two pixels of
    // margin keep the antialiased edge.
    const own = bounds.isEmpty() ? null : [bounds.min.x - LAYER_MARGIN, -bounds.max.y - LAYER_MARGIN,
      bounds.max.x + LAYER_MARGIN, -bounds.min.y + LAYER_MARGIN];
    const cx = prop.u * pw;
    const cy = prop.v * ph;
    const [l, t, rr, b] = own || [cx - r, cy - r, cx + r, cy + r];
    x0 = Math.min(x0, Math.max(l, cx - r)); y0 = Math.min(y0, Math.max(t, cy - r));
    x1 = Math.max(x1, Math.min(rr, cx + r)); y1 = Math.max(y1, Math.min(b, cy + r));
  }
  // Only what the window shows is ever seen; the server refuses a box off the photo.
  x0 = Math.max(Math.ceil(x0), Math.floor(crop.left), 0); y0 = Math.max(Math.ceil(y0), Math.floor(crop.top), 0);
  x1 = Math.min(Math.floor(x1), Math.ceil(crop.left + crop.w), pw);
  y1 = Math.min(Math.floor(y1), Math.ceil(crop.top + crop.h), ph);
  if (x1 - x0 < 1 || y1 - y0 < 1) return null; // every prop dragged out of the window
  const [w, h] = [x1 - x0, y1 - y0];
  const ratio = renderer.getPixelRatio();
  renderer.setPixelRatio(1);
  renderer.setSize(w, h, false);
  const shot = new THREE.OrthographicCamera(x0, x1, -y0, -y1, -1e6, 1e6);
  for (const prop of booth.placed) prop.pivot.visible = drawn.includes(prop);
  renderer.render(scene, shot);
  for (const prop of booth.placed) prop.pivot.visible = true;
  const out = document.createElement('canvas');
  out.width = w;
  out.height = h;
  out.getContext('2d').drawImage(canvas, 0, 0);
  renderer.setPixelRatio(ratio);
  layout(); // back to the live preview's size and poses
  return { canvas: out, box: [x0, y0, w, h] };
}

// The review picture: the photo in the window with the same crop (the guests in the gallery when one is chosen,
// as the server will stand them there), the prop layer as sent, and the frame.
async function preview(blob, layer, background, behind) {
  const t = booth.template;
  const [cw, ch] = t.size;
  const k = Math.min(1, 1280 / Math.max(cw, ch));
  const out = document.createElement('canvas');
  out.width = Math.round(cw * k);
  out.height = Math.round(ch * k);
  const ctx = out.getContext('2d');
  const [x, y, w, h] = t.window.map((value) => value * k);
  const photo = await createImageBitmap(blob);
  const crop = cropOf(photo.width, photo.height);
  ctx.save();
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
  if (background && views.people) {
    const inside = document.createElement('canvas');
    inside.width = Math.round(w);
    inside.height = Math.round(h);
    const mask = await views.people.find(photo, photo.width, photo.height);
    const view = await createImageBitmap(background.blob);
    const s = inside.width / crop.w;
    const under = behind && {
      image: behind.canvas,
      at: [(behind.box[0] - crop.left) * s, (behind.box[1] - crop.top) * s, behind.box[2] * s, behind.box[3] * s],
    };
    standIn(/** @type {CanvasRenderingContext2D} */ (inside.getContext('2d')), photo,
      [crop.left, crop.top, crop.w, crop.h], mask, view, under);
    ctx.drawImage(inside, x, y, w, h);
  } else {
    ctx.drawImage(photo, crop.left, crop.top, crop.w, crop.h, x, y, w, h);
  }
  if (layer) {
    const s = w / crop.w;
    const [lx, ly, lw, lh] = layer.box;
    ctx.drawImage(layer.canvas, x + (lx - crop.left) * s, y + (ly - crop.top) * s, lw * s, lh * s);
  }
  ctx.restore();
  const frame = $('frame');
  if (frame.complete && frame.naturalWidth) ctx.drawImage(frame, 0, 0, out.width, out.height);
  return out.toDataURL('image/jpeg', 0.85);
}

$('retake').addEventListener('click', () => {
  booth.blob = null;
  booth.layer = null;
  booth.background = null;
  booth.behind = null;
  show('camera');
});

// The museum's local time (its time zone, not the booth's clock setting), in both of the booth's languages.
function untilText(iso) {
  const when = new Date(iso);
  /** @type {Intl.DateTimeFormatOptions} */
  const style = { timeZone: booth.timezone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23', timeZoneName: 'long' };
  const zh = new Intl.DateTimeFormat('zh-CN', style).format(when);
  const en = new Intl.DateTimeFormat('en-GB', { ...style, month: 'short' }).format(when);
  return `照片保留至 ${zh}\nKept until ${en}`;
}

$('send').addEventListener('click', async () => {
  if (booth.busy || !booth.blob) return;
  booth.busy = true;
  $('send').disabled = true;
  fail('send-error', '');
  const form = new FormData();
  form.append('photo', booth.blob, 'booth.jpg');
  form.append('template', booth.template.slug);
  form.append('props', JSON.stringify(booth.placed.map((p) => ({
    asset: p.slug, x: round(p.u), y: round(p.v), scale: round(p.scale), rotation_deg: p.rotation,
  }))));
  if (booth.layer) {
    const png = await new Promise((ok) => booth.layer.canvas.toBlob(ok, 'image/png'));
    form.append('prop_layer', png, 'props.png');
    form.append('prop_layer_box', booth.layer.box.join(','));
  }
  if (booth.background) {
    form.append('background', booth.background.blob, 'backdrop.jpg');
    form.append('background_gallery', booth.background.slug);
  }
  if (booth.behind) {
    const png = await new Promise((ok) => booth.behind.canvas.toBlob(ok, 'image/png'));
    form.append('prop_layer_behind', png, 'behind.png');
    form.append('prop_layer_behind_box', booth.behind.box.join(','));
  }
  form.append('consent', 'true');
  form.append('guardian', String($('opt-guardian').checked));
  try {
    const res = await fetch('/api/v1/kiosk/photos', {
      method: 'POST', body: form,
      headers: { Authorization: `Bearer ${window.localStorage.getItem(TOKEN_KEY)}`, Accept: 'application/json' },
    });
    const body = await res.json().catch(() => ({}));
    if (res.status === 401 || res.status === 403) {
      window.localStorage.removeItem(TOKEN_KEY);
      fail('setup-error', '设备令牌无效或已吊销。The device token was refused (revoked?).');
      stopCamera();
      show('setup');
      return;
    }
    if (res.status !== 201) {
      const message = body.error ? body.error.message : `HTTP ${res.status}`;
      fail('send-error', `发送失败，请重拍。Sending failed: ${message}`);
      return;
    }
    stopCamera();
    $('qr').src = body.qr_url;
    $('qr').dataset.shareUrl = body.share_url;
    $('until').textContent = untilText(body.expires_at);
    show('done');
  } catch (err) {
    fail('send-error', '网络错误，请重试。Network error - please try again.');
  } finally {
    booth.busy = false;
    $('send').disabled = false;
  }
});
const round = (value) => Math.round(value * 10000) / 10000;

$('finish').addEventListener('click', () => reset());
$('camera-cancel').addEventListener('click', () => reset());

// --- idle reset and start-up ------------------------------------------------------------------------------

function reset() {
  stopCamera();
  for (const prop of [...booth.placed]) removeProp(prop);
  for (const el of optins) el.checked = false;
  $('guardian-row').hidden = true;
  $('consent-start').disabled = true;
  booth.blob = null;
  booth.layer = null;
  booth.background = null;
  booth.behind = null;
  chooseBackdrop(null);
  fail('send-error', '');
  if (booth.shareProblem) {
    // A QR code no guest's phone can open is worse than no booth: stop here and tell the staff why.
    $('blocked-reason').textContent = booth.shareProblem;
    show('blocked');
    return;
  }
  show(window.localStorage.getItem(TOKEN_KEY) ? 'consent' : 'setup');
}

for (const kind of ['pointerdown', 'keydown']) {
  window.addEventListener(kind, () => { booth.lastTouch = performance.now(); }, { capture: true });
}
window.setInterval(() => {
  const state = main.dataset.state;
  if (state === 'setup' || state === 'blocked' || booth.busy) return;
  const untouched = state === 'consent' && !optins.some((el) => el.checked);
  const limit = state === 'done' ? DONE_MS : IDLE_MS;
  if (!untouched && performance.now() - booth.lastTouch > limit) reset();
}, 500);
window.addEventListener('resize', layout);
document.addEventListener('contextmenu', (event) => event.preventDefault());

function chooseTemplate(template) {
  booth.template = template;
  for (const el of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll('.template'))) {
    el.setAttribute('aria-pressed', String(el.dataset.slug === template.slug));
  }
  layout();
  // Another frame shows another part of the photo: props the guests have not moved go to the new frame's slots,
  // so none starts clipped by the new window's edge.
  const slots = template.prop_slots || [];
  booth.placed.forEach((prop, index) => {
    if (prop.moved) return;
    const slot = slots[index % Math.max(1, slots.length)] || { x: 0.5, y: 0.5, scale: 1 };
    [prop.u, prop.v] = slotPosition(slot);
    prop.scale = slot.scale || 1;
    pose(prop);
  });
}

async function start() {
  const [config, templates, props, backdrops] = await Promise.all(
    ['/api/v1/kiosk/config', '/api/v1/kiosk/templates', '/api/v1/kiosk/props', '/api/v1/kiosk/backdrops'].map(
      (url) => fetch(url, { headers: { Accept: 'application/json' } }).then((r) => r.json())),
  );
  booth.retention = config.retention_days;
  booth.timezone = config.timezone || booth.timezone;
  booth.shareProblem = config.share_links && !config.share_links.ok ? config.share_links.problem : null;
  for (const el of document.querySelectorAll('.retention')) el.textContent = String(booth.retention);
  booth.templates = templates.items;
  booth.props = props.items;
  for (const t of booth.templates) {
    const button = document.createElement('button');
    button.className = 'template';
    button.dataset.slug = t.slug;
    button.textContent = bilingual(t.title);
    button.addEventListener('click', () => chooseTemplate(t));
    $('template-list').append(button);
  }
  for (const item of booth.props) {
    const button = document.createElement('button');
    button.className = 'prop';
    button.dataset.slug = item.slug;
    if (item.poster_url) {
      const img = document.createElement('img');
      img.src = item.poster_url;
      img.alt = '';
      button.append(img);
    }
    button.append(bilingual(item.title));
    button.addEventListener('click', () => placeProp(item));
    $('prop-list').append(button);
  }
  booth.backdrops = backdrops.items;
  for (const b of [null, ...booth.backdrops]) {
    const button = document.createElement('button');
    button.className = 'backdrop';
    button.dataset.slug = b ? b.slug : '';
    if (b && b.poster_url) {
      const img = document.createElement('img');
      img.src = b.poster_url;
      img.alt = '';
      button.append(img);
    }
    button.append(b ? bilingual(b.title) : '相机画面\nCamera');
    button.addEventListener('click', () => chooseBackdrop(b));
    $('backdrop-list').append(button);
  }
  $('backdrop-heading').hidden = !booth.backdrops.length;
  markBackdrop(null);
  if (booth.templates.length) chooseTemplate(booth.templates[0]);
  window.requestAnimationFrame(tick);
  reset();
}

start().catch((err) => {
  main.dataset.state = 'error';
  document.body.append(`展台无法启动 / The booth could not start: ${err}`);
});

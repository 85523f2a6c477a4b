// The 3D gallery: builds a room from its scene manifest with three.js and lets the visitor move around it
// (drag to look, tap the floor to walk, pinch or wheel to zoom, WASD / arrow keys), always on the walkable floor
// (_walkable.js); VR lives in _xr.js.
import {
  ACESFilmicToneMapping, Box3, BoxGeometry, CanvasTexture, CircleGeometry, Clock, DoubleSide, Group,
  MathUtils, Mesh, MeshBasicMaterial, PerspectiveCamera, PlaneGeometry, Raycaster,
  RingGeometry, Scene, Shape, ShapeGeometry, SRGBColorSpace, Sprite, SpriteMaterial, TextureLoader, Vector2,
  Vector3, VideoTexture, WebGLRenderer,
} from 'three';
import { fetchBytes } from './_api.js';
import { galleryLights, roomReflections } from './_lighting.js';
import { museumLoader } from './_loaders.js';
import { plinthGroup } from './_plinth.js';
import { reducedMotion } from './_prefs.js';
import { WalkableFloor, insideFloor } from './_walkable.js';

export { insideFloor };

export const EYE_HEIGHT = 1.6;
const WALK_SPEED = 1.4; // m/s, an unhurried walk
const TURN_SPEED = 1.6; // rad/s for keys and buttons
const MAX_PARALLEL = 4;
export const FOV = 65; // the camera's vertical field of view (degrees) when not zoomed
// Hotspots keep one size on the screen whatever the distance (a dot of HOTSPOT_PX CSS pixels; in a headset, the same
// angle a phone shows), so they never hide a small exhibit; they stay hidden until the visitor is near the exhibit.
export const HOTSPOT_PX = 22;
const HOTSPOT_XR_RAD = MathUtils.degToRad(1.6);
// Going to an exhibit frames it: its bounds take FRAME_FILL of the view (of the width or of the visible height,
// whichever is tighter), from no closer than the glass case allows, looking down at most FRAME_PITCH; when standing
// there leaves a small object small, the view zooms in (down to FRAME_MIN_FOV) until it fills that share.
export const FRAME_FILL = 0.6;
const FRAME_PITCH = MathUtils.degToRad(38);
const FRAME_MIN_FOV = 22;
// Where to stand before an exhibit: every FRAME_TURNS-th of a turn around it is tried; the view is chosen whose
// background is the room's wall soonest (furniture or another exhibit behind it would seem to stand with it), with
// a cost for turning away from the exhibit's front and a smaller one for looking over something low (a rope).
const FRAME_TURNS = 24;
const FRAME_SIDE_COST = 2.5;
const FRAME_CLUTTER_COST = 8;
const FRAME_BETWEEN_COST = 2;
// A spawn that leaves the visitor this close before a wall turns them to the nearest exhibit instead.
const BLANK_WALL_M = 1.5;

/** Draw a text label on a canvas and return it as a sprite of a given height in metres. */
export function labelSprite(text, { height = 0.16, color = '#fff8ec', background = 'rgba(24,20,16,0.86)' } = {}) {
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d');
  const font = '600 56px "Noto Sans CJK SC", "Noto Sans", system-ui, sans-serif';
  ctx.font = font;
  const width = Math.min(1400, Math.ceil(ctx.measureText(text).width) + 64);
  canvas.width = width;
  canvas.height = 96;
  ctx.font = font;
  ctx.fillStyle = background;
  ctx.beginPath();
  ctx.roundRect(0, 0, width, 96, 24);
  ctx.fill();
  ctx.fillStyle = color;
  ctx.textBaseline = 'middle';
  ctx.fillText(text, 32, 50, width - 64);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  const sprite = new Sprite(new SpriteMaterial({ map: texture, depthTest: true, transparent: true }));
  sprite.scale.set((height * width) / 96, height, 1);
  sprite.renderOrder = 2;
  return sprite;
}

let hotspotCanvas = null;
/** Return the hotspot dot (an amber disc in a white ring), drawn once; each marker has its own texture of it. */
function hotspotMap() {
  if (hotspotCanvas) return hotspotTexture(hotspotCanvas);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 64;
  const ctx = canvas.getContext('2d');
  ctx.beginPath();
  ctx.arc(32, 32, 29, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  ctx.beginPath();
  ctx.arc(32, 32, 21, 0, Math.PI * 2);
  ctx.fillStyle = '#ff9f1c';
  ctx.fill();
  ctx.beginPath();
  ctx.arc(32, 32, 7, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  hotspotCanvas = canvas;
  return hotspotTexture(canvas);
}

function hotspotTexture(canvas) {
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

/** Make a hotspot marker: a dot that faces the camera; its size and visibility are set every frame. */
function hotspotMarker() {
  const sprite = new Sprite(new SpriteMaterial({ map: hotspotMap(), transparent: true, depthTest: false, depthWrite: false }));
  sprite.renderOrder = 3;
  return sprite;
}

/** Break a title into at most `lines` lines that fit `width` pixels (CJK text breaks anywhere, other text at spaces). */
function wrapText(ctx, text, width, lines) {
  const words = /[\u3000-\u9fff\uff00-\uffef]/.test(text) ? [...text] : text.split(/(?<=\s)/);
  const out = [''];
  for (const word of words) {
    const line = out[out.length - 1];
    if (line && ctx.measureText(line + word).width > width) out.push(word.trimStart());
    else out[out.length - 1] = line + word;
  }
  if (out.length > lines) {
    out.length = lines;
    let last = out[lines - 1];
    while (last && ctx.measureText(`${last}…`).width > width) last = last.slice(0, -1);
    out[lines - 1] = `${last.trimEnd()}…`;
  }
  return out.map((line) => line.trimEnd());
}

/** Draw an exhibit's title on a label plate of size [w, h] metres; return the plane mesh carrying it. */
export function plateMesh(text, [w, h]) {
  const canvas = document.createElement('canvas');
  const px = 1600; // pixels per metre: a 22 cm plate is 352 px wide, sharp from a step away
  canvas.width = Math.round(w * px);
  canvas.height = Math.round(h * px);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#f4ecd8';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.strokeStyle = '#8a6a3a';
  ctx.lineWidth = 6;
  ctx.strokeRect(8, 8, canvas.width - 16, canvas.height - 16);
  const pad = 26;
  let size = 54;
  let lines = [];
  for (; size >= 26; size -= 4) {
    ctx.font = `700 ${size}px "Noto Serif CJK SC", "Noto Sans CJK SC", "Noto Sans", serif`;
    lines = wrapText(ctx, text, canvas.width - 2 * pad, Math.max(1, Math.floor((canvas.height - 2 * pad) / (size * 1.25))));
    if (!lines.some((l) => l.endsWith('…'))) break;
  }
  ctx.fillStyle = '#2a1e10';
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const top = canvas.height / 2 - ((lines.length - 1) * size * 1.25) / 2;
  lines.forEach((line, i) => ctx.fillText(line, canvas.width / 2, top + i * size * 1.25, canvas.width - 2 * pad));
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  texture.anisotropy = 4;
  const mesh = new Mesh(new PlaneGeometry(w, h), new MeshBasicMaterial({ map: texture, toneMapped: false }));
  mesh.userData.text = lines.join('\n');
  return mesh;
}

// A film's screen: its width when the placement gives none, the frame's border and depth, the play glyph's share
// of the picture's shorter side.
const SCREEN_WIDTH_M = 1.8;
const SCREEN_BORDER_M = 0.05;
const SCREEN_DEPTH_M = 0.04;
const SCREEN_GLYPH = 0.34;

/** Draw the play glyph (a white triangle in a dark disc ringed in white) once, as a texture. */
function playGlyphTexture() {
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 256;
  const ctx = canvas.getContext('2d');
  ctx.beginPath();
  ctx.arc(128, 128, 118, 0, Math.PI * 2);
  ctx.fillStyle = 'rgba(0,0,0,0.62)';
  ctx.fill();
  ctx.lineWidth = 12;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(100, 72);
  ctx.lineTo(188, 128);
  ctx.lineTo(100, 184);
  ctx.closePath();
  ctx.fillStyle = '#ffffff';
  ctx.fill();
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  return texture;
}

/** Load a poster image as an sRGB texture; null when it cannot be loaded (the screen stays dark). */
async function posterTexture(url) {
  if (!url) return null;
  try {
    const texture = await new TextureLoader().loadAsync(url);
    texture.colorSpace = SRGBColorSpace;
    texture.anisotropy = 4;
    return texture;
  } catch {
    return null;
  }
}

/**
 * Build a film's screen: a dark frame and the picture (`target_size_m` tall, as a model's target size is its height,
 * and as wide as the film's aspect makes it), the middle of its bottom edge at the placement's origin, its back
 * there and its face towards the placement's +Z (the bounds the layout rules give it, museum/catalogue/walkable.py),
 * the poster on it under a play glyph.
 * @param {any} exhibit a manifest entry with `film`
 * @returns {Promise<Group>} the screen, with userData {picture, glyph, poster}
 */
export async function filmScreen(exhibit) {
  const film = exhibit.film;
  const aspect = film.width > 0 && film.height > 0 ? film.width / film.height : 16 / 9;
  const height = exhibit.transform?.target_size_m || SCREEN_WIDTH_M / aspect;
  const width = height * aspect;
  const screen = new Group();
  screen.name = `film-screen:${exhibit.slug}`;
  const frame = new Mesh(new BoxGeometry(width + 2 * SCREEN_BORDER_M, height + 2 * SCREEN_BORDER_M, SCREEN_DEPTH_M),
    new MeshBasicMaterial({ color: '#121212' }));
  frame.position.set(0, height / 2, SCREEN_DEPTH_M / 2);
  frame.name = 'film-frame';
  const poster = await posterTexture(film.poster_url || exhibit.poster_url);
  const picture = new Mesh(new PlaneGeometry(width, height),
    new MeshBasicMaterial({ map: poster, color: poster ? '#ffffff' : '#202020', toneMapped: false }));
  picture.position.set(0, height / 2, SCREEN_DEPTH_M + 0.004);
  picture.name = 'film-picture';
  const side = SCREEN_GLYPH * Math.min(width, height);
  const glyph = new Mesh(new PlaneGeometry(side, side),
    new MeshBasicMaterial({ map: playGlyphTexture(), transparent: true, depthWrite: false, toneMapped: false }));
  glyph.position.set(0, height / 2, SCREEN_DEPTH_M + 0.008);
  glyph.name = 'film-glyph';
  screen.add(frame, picture, glyph);
  screen.userData = { picture, glyph, poster };
  return screen;
}

/** Make an invisible box over an exhibit's bounds (at least 12 cm a side) that catches taps aimed at it. */
function pickBox(holder, worldBox) {
  holder.updateWorldMatrix(true, false);
  const local = worldBox.clone().applyMatrix4(holder.matrixWorld.clone().invert());
  const size = local.getSize(new Vector3()).max(new Vector3(0.12, 0.12, 0.12));
  const mesh = new Mesh(new BoxGeometry(size.x, size.y, size.z), new MeshBasicMaterial({ visible: false }));
  local.getCenter(mesh.position);
  mesh.name = 'pick-box';
  mesh.userData = { pickBox: true, kind: 'exhibit' };
  return mesh;
}

function dispose(object) {
  object.traverse((child) => {
    child.geometry?.dispose();
    if (child.userData.poster?.isTexture) child.userData.poster.dispose();  // a film screen's, while it plays
    const materials = Array.isArray(child.material) ? child.material : [child.material];
    for (const m of materials) {
      if (!m) continue;
      for (const value of Object.values(m)) if (value && value.isTexture) value.dispose();
      m.dispose();
    }
  });
}

export class Viewer {
  constructor(canvas, hooks) {
    this.canvas = canvas;
    this.hooks = hooks;
    this.renderer = new WebGLRenderer({ canvas, antialias: true, powerPreference: 'high-performance' });
    // Phones: 1.5x is sharp enough and keeps the frame rate of mid-range GPUs.
    const coarse = matchMedia('(pointer: coarse)').matches;
    this.renderer.setPixelRatio(Math.min(window.devicePixelRatio || 1, coarse ? 1.5 : 2));
    this.renderer.toneMapping = ACESFilmicToneMapping;
    this.scene = new Scene();
    this.camera = new PerspectiveCamera(FOV, 1, 0.05, 200);
    this.rig = new Group();
    this.rig.name = 'visitor';
    this.camera.position.set(0, EYE_HEIGHT, 0);
    this.rig.add(this.camera);
    this.scene.add(this.rig);
    this.content = new Group();
    this.scene.add(this.content);
    this.pickables = [];
    this.plates = [];
    this.coveredBelow = 0;
    this.manifest = null;
    this.floor = null;
    this.walkable = null;
    this.walkTo = null;
    this.keys = new Set();
    this.moveHold = { forward: 0, turn: 0 };
    this.clock = new Clock();
    this.frameTimes = [];
    /** @type {(hit: object) => void} */
    this.onSelect = () => {};
    this.onFrame = [];
    this.override = null;
    this.raycaster = new Raycaster();
    this.raycaster.far = 60;
    this.gltf = museumLoader(this.renderer);
    this._bindInput();
    this._resize();
    new ResizeObserver(() => this._resize()).observe(canvas);
    this.renderer.setAnimationLoop((time, frame) => this._tick(time, frame));
  }

  /** Give metals and glass something to reflect (a soft studio room); done once, after the first gallery loads. */
  addReflections() {
    if (this.scene.environment) return;
    roomReflections(this.scene, this.renderer);
  }

  _resize() {
    const width = this.canvas.clientWidth || window.innerWidth;
    const height = this.canvas.clientHeight || window.innerHeight;
    if (this.renderer.xr.isPresenting) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    // A sheet over the lower part of the screen (the panel on a phone): shift the picture so that what the visitor
    // looks at sits in the middle of the part still in view.
    if (this.coveredBelow > 0) this.camera.setViewOffset(width, height, 0, (height * this.coveredBelow) / 2, width, height);
    else this.camera.clearViewOffset();
    this.camera.updateProjectionMatrix();
  }

  /** Say which fraction of the screen's height a sheet covers from below (0 when none). */
  setCoveredBelow(fraction) {
    this.coveredBelow = fraction;
    this._resize();
  }

  /**
   * Remove the current gallery and build another from its manifest, reporting bytes as they load.
   * @param {any} manifest the gallery's manifest as the API gives it
   * @param {{onProgress?: (loaded: number, total: number) => void, spawn?: object, focus?: string}} [options]
   */
  async load(manifest, { onProgress = () => {}, spawn = null, focus = null } = {}) {
    this.clear();
    this.manifest = manifest;
    this.content.add(...galleryLights(this.scene, this.renderer, manifest.lighting));
    this.walkable = WalkableFloor.of(manifest);
    this._buildFloor(manifest.floor);
    this._buildDoors(manifest.doors || []);
    this.placeAt(spawn || (manifest.spawns || [])[0] || { position: [0, 0, 0], yaw_deg: 0 });
    const focused = focus && (manifest.exhibits || []).find((e) => e.slug === focus);
    if (focused) this.goToExhibit(focus, { instant: true });

    const total = manifest.totals?.bytes || 1;
    let loaded = 0;
    const progress = (n) => { loaded += n; onProgress(Math.min(loaded, total), total); };
    const jobs = [];
    if (manifest.room) jobs.push(() => this._loadModel(manifest.room.url, progress).then((scene) => {
      scene.name = 'room';
      this.content.add(scene);
      this.hooks.roomReady?.();
    }));
    for (const exhibit of manifest.exhibits || []) {
      if (exhibit !== focused) jobs.push(() => this._placeExhibit(exhibit, progress));
    }
    // An exhibit opened by its link comes first (that is what the visitor came for), framed once its size is known;
    // then the room, what the visitor sees around it; the other exhibits follow a few at a time.
    if (focused) {
      try {
        await this._placeExhibit(focused, progress);
        this.goToExhibit(focus, { instant: true });
        this.hooks.focusReady?.(focused);
      } catch (error) { console.warn('the exhibit could not be shown', String(error)); }
    }
    if (jobs.length) await jobs.shift()();
    const errors = [];
    const queue = jobs.slice();
    const workers = Array.from({ length: Math.min(MAX_PARALLEL, queue.length) }, async () => {
      while (queue.length) {
        try { await queue.shift()(); } catch (error) { errors.push(error); }
      }
    });
    await Promise.all(workers);
    onProgress(total, total);
    if (errors.length) console.warn('some exhibits could not be shown', errors.map(String));
    return { errors };
  }

  async _loadModel(url, progress) {
    const buffer = await fetchBytes(url, progress);
    const gltf = await this.gltf.parseAsync(buffer, '');
    return gltf.scene;
  }

  async _placeExhibit(exhibit, progress) {
    const holder = new Group();
    holder.name = `exhibit:${exhibit.slug}`;
    const tr = exhibit.transform || {};
    const [x = 0, y = 0, z = 0] = tr.position || [];
    const [rx = 0, ry = 0, rz = 0] = tr.rotation_deg || [];
    holder.position.set(x, y, z);
    holder.rotation.set(MathUtils.degToRad(rx), MathUtils.degToRad(ry), MathUtils.degToRad(rz));
    holder.userData = { kind: 'exhibit', exhibit };
    // The plinth belongs to the placement: it stands in the holder, so it moves and turns with the exhibit.
    if (exhibit.plinth) {
      holder.userData.plinth = plinthGroup(exhibit.plinth);
      holder.add(holder.userData.plinth);
      this._buildPlate(holder, exhibit);
    }
    this.content.add(holder);
    let model = null;
    if (exhibit.model?.url) {
      model = await this._loadModel(exhibit.model.url, progress);
      let scale = tr.scale ?? 1;
      if (tr.target_size_m) {
        const size = new Box3().setFromObject(model).getSize(new Vector3());
        if (size.y > 0) scale = tr.target_size_m / size.y;
      }
      model.scale.setScalar(scale);
      holder.add(model);
      holder.userData.model = model;
    } else if (exhibit.film) {
      // A film without a model is shown on a screen; the screen stands for the model (framing, picking, label).
      model = await filmScreen(exhibit);
      holder.add(model);
      holder.userData.model = model;
      holder.userData.screen = model;
    }
    // World bounds need the holder's world matrix of now: no frame may have been drawn since it was placed (a
    // gallery whose models are cached is built between two frames).
    holder.updateWorldMatrix(true, true);
    const box = model ? new Box3().setFromObject(model) : new Box3();
    const top = box.isEmpty() ? y + 1.2 : box.max.y;
    if (!box.isEmpty()) holder.add(pickBox(holder, box));
    const label = labelSprite(exhibit.label || exhibit.title);
    // A screen's label stands a little out from the wall, before whatever else hangs there.
    label.position.set(0, top - y + 0.22, holder.userData.screen ? 0.12 : 0);
    label.userData = { kind: 'exhibit', exhibit, label: true };
    holder.add(label);
    holder.userData.label = label;
    // How near the visitor must come before the hotspots show: a small exhibit is looked at from close by.
    const extent = box.isEmpty() ? 1 : box.getSize(new Vector3()).length();
    holder.userData.hotspotNear = MathUtils.clamp(1.2 + 1.5 * extent, 1.6, 4.5);
    for (const hotspot of exhibit.hotspots || []) {
      const marker = hotspotMarker();
      const [ax = 0, ay = 0, az = 0] = hotspot.anchor || [];
      marker.position.set(ax, ay, az);
      if (model) marker.position.multiplyScalar(model.scale.x);
      marker.userData = { kind: 'hotspot', exhibit, hotspot };
      marker.name = `hotspot:${exhibit.slug}:${hotspot.slug}`;
      marker.visible = false;
      holder.add(marker);
    }
    this.pickables.push(holder);
    this.hooks.exhibitReady?.(exhibit);
  }

  _buildFloor(polygon) {
    if (!polygon || polygon.length < 3) return;
    // Shape in the XY plane, turned flat: (x, y) -> (x, 0, -y), hence -z here.
    const shape = new Shape(polygon.map(([x, z]) => new Vector2(x, -z)));
    const mesh = new Mesh(new ShapeGeometry(shape), new MeshBasicMaterial({ visible: false }));
    mesh.rotation.x = -Math.PI / 2;
    mesh.position.y = 0.005;
    mesh.name = 'walkable-floor';
    mesh.userData = { kind: 'floor' };
    this.content.add(mesh);
    this.floor = mesh;
    const marker = new Mesh(new RingGeometry(0.18, 0.26, 32), new MeshBasicMaterial({
      color: '#ffd27a', transparent: true, opacity: 0.9, depthWrite: false }));
    marker.rotation.x = -Math.PI / 2;
    marker.visible = false;
    marker.name = 'walk-marker';
    this.content.add(marker);
    this.walkMarker = marker;
  }

  _buildDoors(doors) {
    for (const door of doors) {
      const width = door.width_m || 1.6;
      const height = door.height_m || 2.4;
      const plane = new Mesh(new PlaneGeometry(width, height), new MeshBasicMaterial({
        color: '#ffd27a', transparent: true, opacity: 0.12, side: DoubleSide, depthWrite: false }));
      const [x = 0, y = 0, z = 0] = door.position || [];
      plane.position.set(x, y + height / 2, z);
      plane.rotation.y = MathUtils.degToRad(door.yaw_deg || 0);
      plane.userData = { kind: 'door', door };
      plane.name = `door:${door.to}`;
      const label = labelSprite(`→ ${door.title}`, { height: 0.2, background: 'rgba(120,70,10,0.92)' });
      label.position.set(0, height / 2 + 0.2, 0);
      label.userData = { kind: 'door', door };
      plane.add(label);
      this.content.add(plane);
      this.pickables.push(plane);
    }
  }

  /** Write an exhibit's title on the label plate of its plinth (the plinth says where the plate is). */
  _buildPlate(holder, exhibit) {
    const old = holder.userData.plate;
    if (old) { holder.remove(old); dispose(old); this.plates = this.plates.filter((p) => p !== old); }
    const plate = exhibit.plinth?.label_plate;
    if (!plate || !Array.isArray(plate.position) || !Array.isArray(plate.size_m)) return;
    const mesh = plateMesh(exhibit.label || exhibit.title, plate.size_m);
    mesh.position.set(...plate.position);
    const [rx = 0, ry = 0, rz = 0] = plate.rotation_deg || [];
    mesh.rotation.set(MathUtils.degToRad(rx), MathUtils.degToRad(ry), MathUtils.degToRad(rz), plate.rotation_order || 'YXZ');
    mesh.name = `label-plate:${exhibit.slug}`;
    // A plate is read, not acted on: a tap on it opens its exhibit only when nothing else is there (as a label).
    mesh.userData = { kind: 'exhibit', exhibit, label: true, plate: true, text: mesh.userData.text };
    holder.add(mesh);
    holder.userData.plate = mesh;
    this.plates.push(mesh);
  }

  /** Put the texts of a manifest in another language on the gallery already built (labels, doors). */
  relabel(manifest) {
    const bySlug = new Map(manifest.exhibits.map((e) => [e.slug, e]));
    for (const holder of this.pickables) {
      const old = holder.userData.label;
      const exhibit = bySlug.get(holder.userData.exhibit?.slug);
      if (exhibit) {
        holder.userData.exhibit = exhibit;
        if (holder.userData.plate) this._buildPlate(holder, exhibit);
        for (const child of holder.children) if (child.userData.kind === 'hotspot') {
          child.userData.exhibit = exhibit;
          child.userData.hotspot = exhibit.hotspots.find((h) => h.slug === child.userData.hotspot.slug) || child.userData.hotspot;
        }
      }
      if (exhibit && old) {
        const label = labelSprite(exhibit.label || exhibit.title);
        label.position.copy(old.position);
        label.userData = { kind: 'exhibit', exhibit, label: true };
        holder.remove(old);
        dispose(old);
        holder.add(label);
        holder.userData.label = label;
      }
      if (holder.userData.kind === 'door') {
        const door = manifest.doors.find((d) => d.to === holder.userData.door.to);
        const oldLabel = holder.children.find((c) => c.isSprite);
        if (door && oldLabel) {
          const label = labelSprite(`→ ${door.title}`, { height: 0.2, background: 'rgba(120,70,10,0.92)' });
          label.position.copy(oldLabel.position);
          label.userData = { kind: 'door', door };
          holder.userData.door = door;
          holder.remove(oldLabel);
          dispose(oldLabel);
          holder.add(label);
        }
      }
    }
    this.manifest = { ...this.manifest, ...manifest, floor: this.manifest.floor, walkable: this.manifest.walkable };
  }

  /**
   * Show a playing film on its exhibit's screen (the panel's own <video>), in place of the poster.
   * @param {string} slug
   * @param {HTMLVideoElement} video
   */
  playFilm(slug, video) {
    const screen = this._screen(slug);
    if (!screen) return false;
    const { picture, glyph } = screen.userData;
    const material = picture.material;
    if (material.map?.isVideoTexture && material.map.image === video) return true;
    if (material.map?.isVideoTexture) material.map.dispose();
    const texture = new VideoTexture(video);
    texture.colorSpace = SRGBColorSpace;
    material.map = texture;
    material.color.set('#ffffff');
    material.needsUpdate = true;
    glyph.visible = false;
    return true;
  }

  /** Put the poster and the play glyph back on an exhibit's screen (the film paused or its panel closed). */
  stopFilm(slug) {
    const screen = this._screen(slug);
    if (!screen) return;
    const { picture, glyph, poster } = screen.userData;
    const material = picture.material;
    if (material.map?.isVideoTexture) material.map.dispose();
    material.map = poster;
    if (!poster) material.color.set('#202020');
    material.needsUpdate = true;
    glyph.visible = true;
  }

  /**
   * Show a caption line over the foot of a film's picture, as a film's subtitles are (VR, where there is no panel);
   * an empty text hides it.
   * @param {string} slug
   * @param {string} text
   */
  filmCaption(slug, text) {
    const screen = this._screen(slug);
    if (!screen) return;
    let strip = screen.userData.caption;
    if (!text) {
      if (strip) strip.visible = false;
      return;
    }
    const { picture } = screen.userData;
    const { width, height } = picture.geometry.parameters;
    if (!strip) {
      const canvas = document.createElement('canvas');
      canvas.width = 1024;
      canvas.height = 160;
      const texture = new CanvasTexture(canvas);
      texture.colorSpace = SRGBColorSpace;
      strip = new Mesh(new PlaneGeometry(width * 0.92, width * 0.92 * (160 / 1024)),
        new MeshBasicMaterial({ map: texture, transparent: true, depthWrite: false, toneMapped: false }));
      strip.name = 'film-caption';
      strip.position.set(0, picture.position.y - height / 2 + strip.geometry.parameters.height / 2 + height * 0.04,
        picture.position.z + 0.006);
      screen.add(strip);
      screen.userData.caption = strip;
    }
    if (strip.userData.text !== text) {
      const canvas = strip.material.map.image;
      const ctx = canvas.getContext('2d');
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      const lines = text.split('\n').slice(-2);
      const size = lines.length > 1 ? 44 : 50;
      ctx.font = `600 ${size}px "Noto Sans CJK SC", "Noto Sans", system-ui, sans-serif`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      const widest = Math.min(canvas.width - 8, Math.max(...lines.map((l) => ctx.measureText(l).width)) + 48);
      ctx.fillStyle = 'rgba(0,0,0,0.72)';
      ctx.fillRect((canvas.width - widest) / 2, 4, widest, canvas.height - 8);
      ctx.fillStyle = '#ffffff';
      lines.forEach((line, i) => ctx.fillText(line, canvas.width / 2,
        canvas.height / 2 + (i - (lines.length - 1) / 2) * size * 1.15, widest - 40));
      strip.material.map.needsUpdate = true;
      strip.userData.text = text;
    }
    strip.visible = true;
  }

  /** Return the screen of a film exhibit of this gallery, or null. */
  _screen(slug) {
    return this.pickables.find((p) => p.userData.exhibit?.slug === slug)?.userData.screen || null;
  }

  /** Remove everything of the current gallery. */
  clear() {
    for (const child of [...this.content.children]) {
      this.content.remove(child);
      dispose(child);
    }
    this.pickables = [];
    this.plates = [];
    this.floor = null;
    this.walkable = null;
    this.walkTo = null;
  }

  /** Return whether the visitor may stand at a floor point (the walkable grid, else the floor polygon). */
  canStand(x, z) {
    return this.walkable ? this.walkable.has(x, z) : insideFloor(this.manifest?.floor, x, z);
  }

  /** Return the nearest point {x, z} where the visitor may stand (within `within` metres), or null. */
  standingNear(x, z, within = Infinity) {
    if (!this.walkable) return insideFloor(this.manifest?.floor, x, z) ? { x, z } : null;
    return this.walkable.nearest(x, z, within);
  }

  /** Put the visitor on the floor at a spawn point {position:[x,y,z], yaw_deg}. */
  placeAt(spawn) {
    const [x = 0, , z = 0] = spawn.position || [];
    const at = this.standingNear(x, z) || { x, z };
    let yaw = MathUtils.degToRad(spawn.yaw_deg || 0);
    // Not before a blank wall: turned to the nearest exhibit when the spawn faces a wall close by.
    const ahead = this.walkable?.beyond(at.x, at.z, -Math.sin(yaw), -Math.cos(yaw), 0);
    if (ahead?.wall && ahead.distance < BLANK_WALL_M) {
      const exhibit = this._nearestPlaced(at.x, at.z);
      if (exhibit) yaw = Math.atan2(-(exhibit[0] - at.x), -(exhibit[2] - at.z));
    }
    this.rig.position.set(at.x, 0, at.z);
    this.rig.rotation.set(0, yaw, 0);
    this.camera.rotation.set(0, 0, 0);
    this.camera.fov = FOV;
    this.camera.updateProjectionMatrix();
  }

  /** Stand at a viewpoint {position:[x,y,z] at eye height, target:[x,y,z]}; glide there unless motion is reduced.
   * `fov` is the field of view to end with (the unzoomed one unless an exhibit's framing zooms in). */
  goToViewpoint(viewpoint, { instant = false, fov = FOV } = {}) {
    const [vx, , vz] = viewpoint.position;
    const [tx, ty, tz] = viewpoint.target || [vx, EYE_HEIGHT, vz - 1];
    // A viewpoint off the walkable floor (inside a case, behind a rope) is taken from the nearest walkable point.
    const { x: px, z: pz } = this.standingNear(vx, vz) || { x: vx, z: vz };
    const yaw = Math.atan2(-(tx - px), -(tz - pz));
    const flat = Math.hypot(tx - px, tz - pz);
    const pitch = Math.atan2(ty - EYE_HEIGHT, Math.max(0.01, flat));
    this.glide(new Vector3(px, 0, pz), yaw, MathUtils.clamp(pitch, -0.9, 0.9), instant, fov);
  }

  /** Return the world bounds of an exhibit's own model (not its label or hotspots), or null before it is loaded. */
  exhibitBox(slug) {
    const holder = this.pickables.find((p) => p.userData.exhibit?.slug === slug);
    const model = holder?.userData.model;
    if (!model) return null;
    holder.updateWorldMatrix(true, true);
    const box = new Box3().setFromObject(model);
    return box.isEmpty() ? null : box;
  }

  /** Return the room position [x, y, z] of the placed exhibit nearest a floor point, or null. */
  _nearestPlaced(x, z) {
    let best = null;
    let bestD = Infinity;
    for (const e of this.manifest?.exhibits || []) {
      const p = e.transform?.position || [0, 0, 0];
      const d = Math.hypot(p[0] - x, p[2] - z);
      if (d < bestD) { best = p; bestD = d; }
    }
    return best;
  }

  /** Return how much of the view a box fills from a camera: the larger of its share of the width and of the
   * visible height (the part above a sheet covering the screen from below). */
  _fill(box, camera) {
    camera.updateMatrixWorld();
    const v = new Vector3();
    let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
    for (let i = 0; i < 8; i++) {
      v.set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z).project(camera);
      x0 = Math.min(x0, v.x); x1 = Math.max(x1, v.x); y0 = Math.min(y0, v.y); y1 = Math.max(y1, v.y);
    }
    return Math.max((x1 - x0) / 2, (y1 - y0) / 2 / Math.max(0.2, 1 - this.coveredBelow));
  }

  /** Work out where to stand before an exhibit's bounds so that it fills FRAME_FILL of the view: {x, z, target, fov}.
   * The spot is on the walkable floor, in front of the exhibit (its front faces `yaw`) or turned around it where the
   * view from the front would have furniture or another exhibit behind it, or something between. An exhibit in a
   * glass case (`cased`) is seen square through one of the case's sides, never across a corner post. Close, small
   * objects are not walked into: the view zooms in instead. */
  frameFor(box, yaw, { cased = false } = {}) {
    const centre = box.getCenter(new Vector3());
    const size = box.getSize(new Vector3());
    const dy = EYE_HEIGHT - centre.y;
    // No nearer than a step in front of the object's (or its case's) front, nor looking down steeper than FRAME_PITCH.
    const closest = Math.max(0.5 * Math.hypot(size.x, size.z) + 0.35, Math.abs(dy) / Math.tan(FRAME_PITCH), 0.6);
    const camera = new PerspectiveCamera(FOV, this.camera.aspect, 0.05, 200);
    const fillAt = (x, z) => {
      camera.position.set(x, EYE_HEIGHT, z);
      camera.lookAt(centre);
      return this._fill(box, camera);
    };
    const along = (a, s) => ({ x: centre.x + Math.sin(a) * s, z: centre.z + Math.cos(a) * s });
    // The projected size shrinks about as the distance grows: a few steps of s <- s * fill / FRAME_FILL settle it.
    const distance = (a) => {
      let s = closest;
      for (let i = 0; i < 6; i++) {
        const p = along(a, s);
        const fill = fillAt(p.x, p.z);
        if (fill <= FRAME_FILL && s === closest) break;
        const d = Math.hypot(s, dy) * (fill / FRAME_FILL);
        s = Math.max(closest, Math.sqrt(Math.max(0, d * d - dy * dy)));
      }
      return s;
    };
    const walkable = this.walkable;
    const clearOf = Math.max(closest, 0.8); // what stands within this of the exhibit is its own case or plinth
    let best = null;
    for (let i = 0; i < FRAME_TURNS; i++) {
      const turn = (2 * Math.PI * i) / FRAME_TURNS;
      const square = Math.abs(((turn + Math.PI / 4) % (Math.PI / 2)) - Math.PI / 4);
      if (cased && square > Math.PI / 8 + 1e-6) continue;
      const a = yaw + turn;
      const s = distance(a);
      // Stand on the walkable floor: the framing distance, nearer if need be, else the nearest walkable point.
      let spot = null;
      for (let k = s; k >= closest * 0.999 && !spot; k *= 0.9) {
        const p = along(a, k);
        if (this.canStand(p.x, p.z)) spot = p;
      }
      if (!spot) {
        const p = along(a, s);
        const near = this.standingNear(p.x, p.z, 0.5);
        if (near && Math.hypot(near.x - centre.x, near.z - centre.z) >= closest * 0.9) spot = near;
      }
      if (!spot) continue;
      let cost = FRAME_SIDE_COST * (1 - Math.cos(turn));
      if (walkable) {
        const ux = spot.x - centre.x;
        const uz = spot.z - centre.z;
        const away = Math.hypot(ux, uz);
        cost += Math.abs(away - s) * 0.5;
        const m = Math.min(away, clearOf);
        if (!walkable.clear(spot.x, spot.z, centre.x + (ux / away) * m, centre.z + (uz / away) * m)) cost += FRAME_BETWEEN_COST;
        // What the visitor sees behind the exhibit: rays across the middle of the view, beyond the exhibit.
        for (const spread of [-0.14, 0, 0.14]) {
          const c = Math.cos(spread);
          const sn = Math.sin(spread);
          const bx = (-ux * c - -uz * sn) / away;
          const bz = (-ux * sn + -uz * c) / away;
          const seen = walkable.beyond(centre.x, centre.z, bx, bz, clearOf);
          cost += (0.3 * seen.distance + (seen.wall ? 0 : FRAME_CLUTTER_COST)) / 3;
        }
      }
      if (!best || cost < best.cost) best = { ...spot, cost };
    }
    if (!best) {
      const p = along(yaw, distance(yaw));
      best = this.standingNear(p.x, p.z) || p;
    }
    const fill = fillAt(best.x, best.z);
    let fov = FOV;
    if (fill < FRAME_FILL) {
      const half = Math.atan(Math.tan(MathUtils.degToRad(FOV / 2)) * (fill / FRAME_FILL));
      fov = Math.max(FRAME_MIN_FOV, MathUtils.radToDeg(2 * half));
    }
    return { x: best.x, z: best.z, target: [centre.x, centre.y, centre.z], fov };
  }

  /** Walk the visitor to stand before an exhibit, looking at it, framed so that it fills much of the view. */
  goToExhibit(slug, { instant = false } = {}) {
    const holder = this.pickables.find((p) => p.userData.exhibit?.slug === slug);
    const exhibit = holder?.userData.exhibit || this.manifest?.exhibits.find((e) => e.slug === slug);
    if (!exhibit) return false;
    const yaw = MathUtils.degToRad(exhibit.transform.rotation_deg?.[1] || 0);
    // Its model is not here yet (an exhibit's link frames it again once it is): a box of a plinth's size for it.
    const [x = 0, y = 0, z = 0] = exhibit.transform.position || [];
    const box = this.exhibitBox(slug) || new Box3().setFromCenterAndSize(new Vector3(x, y + 0.5, z), new Vector3(0.6, 1, 0.6));
    const frame = this.frameFor(box, yaw, { cased: exhibit.mount === 'showcase' });
    this.goToViewpoint({ position: [frame.x, EYE_HEIGHT, frame.z], target: frame.target }, { instant, fov: frame.fov });
    return true;
  }

  /** Move the visitor's feet to a floor point and turn them, smoothly unless motion is reduced; the walk goes around
   * what stands in the way. */
  glide(target, yaw = null, pitch = null, instant = false, fov = FOV) {
    const from = this.rig.position.clone();
    const fromYaw = this.rig.rotation.y;
    let toYaw = yaw ?? fromYaw;
    while (toYaw - fromYaw > Math.PI) toYaw -= 2 * Math.PI;
    while (toYaw - fromYaw < -Math.PI) toYaw += 2 * Math.PI;
    const route = (!instant && this.walkable?.path(from, target)) || [from, target];
    const points = route.map((p) => new Vector3(p.x, 0, p.z));
    points[points.length - 1] = target.clone();
    const lengths = [0];
    for (let i = 1; i < points.length; i++) lengths.push(lengths[i - 1] + points[i].distanceTo(points[i - 1]));
    const length = lengths[lengths.length - 1];
    const seconds = reducedMotion() || instant ? 0 : Math.min(4, 0.3 + length / (WALK_SPEED * 2));
    this.walkTo = { from, to: target.clone(), points, lengths, fromYaw, toYaw, fromPitch: this.camera.rotation.x,
      toPitch: pitch ?? this.camera.rotation.x, fromFov: this.camera.fov, toFov: fov ?? this.camera.fov, t: 0, seconds };
    if (seconds === 0) this._stepWalk(0);
  }

  _stepWalk(dt) {
    const w = this.walkTo;
    w.t = w.seconds ? Math.min(1, w.t + dt / w.seconds) : 1;
    const k = w.t < 0.5 ? 2 * w.t * w.t : 1 - (-2 * w.t + 2) ** 2 / 2;
    const along = k * w.lengths[w.lengths.length - 1];
    let i = 1;
    while (i < w.points.length - 1 && w.lengths[i] < along) i++;
    const leg = w.lengths[i] - w.lengths[i - 1];
    this.rig.position.lerpVectors(w.points[i - 1], w.points[i], leg > 0 ? (along - w.lengths[i - 1]) / leg : 1);
    this.rig.rotation.y = w.fromYaw + (w.toYaw - w.fromYaw) * k;
    this.camera.rotation.x = w.fromPitch + (w.toPitch - w.fromPitch) * k;
    if (w.fromFov !== w.toFov) {
      this.camera.fov = w.fromFov + (w.toFov - w.fromFov) * k;
      this.camera.updateProjectionMatrix();
    }
    if (w.t >= 1) {
      this.walkTo = null;
      if (this.walkMarker) this.walkMarker.visible = false;
      this.hooks.walked?.(this.rig.position);
    }
  }

  /** Return what lies under a normalised screen point: {kind, object, point} or null. */
  pick(ndc) {
    // The pose of this moment, even when no frame has been drawn since the visitor moved (slow devices).
    this.scene.updateMatrixWorld();
    this.raycaster.setFromCamera(ndc, this.camera);
    return this.pickRay(this.raycaster);
  }

  /** Return what a ray is aimed at: an exhibit, hotspot, door, panel, or a walkable floor point.
   *
   * Only what a visitor can act on stops the ray: the room, the exhibits' plinths and glass cases, labels and the
   * marker are
   * looked through, so an exhibit in a case opens when its case is tapped. An exhibit's pick box (its bounds)
   * catches taps between the parts of a thin object; a hotspot or a model mesh of that exhibit behind it wins. */
  pickRay(raycaster, extra = []) {
    const hits = raycaster.intersectObjects([...this.content.children, ...extra], true)
      .filter((hit) => hit.object.visible !== false && hit.object.name !== 'walk-marker' && !hit.object.userData.ray
        && !hit.object.userData.plinth);
    let box = null;
    let label = null;
    let roomHit = null;
    const found = (node, hit) => ({ kind: node.userData.kind, object: node, point: hit.point, ...node.userData });
    for (const hit of hits) {
      if (hit.object === this.floor) return box || { kind: 'floor', point: hit.point };
      let node = hit.object;
      while (node && !node.userData.kind) node = node.parent;
      if (!node) { roomHit ??= hit; continue; }
      const data = node.userData;
      if (data.label) { label ??= found(node, hit); continue; }
      if (data.pickBox) { box ??= found(node.parent, hit); continue; }
      if (data.kind === 'panel') return found(node, hit);
      if (box && data.exhibit?.slug !== box.exhibit?.slug) return box;
      return found(node, hit);
    }
    if (box || label) return box || label;
    // Geometry of the room alone: a floor point just under it still counts as floor (the room's own floor).
    const floorHit = roomHit && this.floor && raycaster.intersectObject(this.floor, false)[0];
    if (floorHit && floorHit.distance <= roomHit.distance + 0.08) return { kind: 'floor', point: floorHit.point };
    return null;
  }

  /** Walk to a floor point, or to the walkable point next to it (a step away at most); false when there is none. */
  walkToPoint(point) {
    const at = this.standingNear(point.x, point.z, 0.6);
    if (!at) return false;
    if (this.walkMarker) {
      this.walkMarker.position.set(at.x, 0.02, at.z);
      this.walkMarker.visible = true;
    }
    this.glide(new Vector3(at.x, 0, at.z));
    return true;
  }

  /** Return the exhibit nearest the visitor. */
  nearestExhibit() {
    let best = null;
    let bestDistance = Infinity;
    for (const p of this.pickables) {
      if (p.userData.kind !== 'exhibit') continue;
      const d = p.position.distanceTo(this.rig.position);
      if (d < bestDistance) { best = p.userData.exhibit; bestDistance = d; }
    }
    return best;
  }

  _move(forward, strafe) {
    this._unzoom();
    const yaw = this.rig.rotation.y;
    const dx = -Math.sin(yaw) * forward + Math.cos(yaw) * strafe;
    const dz = -Math.cos(yaw) * forward - Math.sin(yaw) * strafe;
    if (this.walkable) {
      const to = this.walkable.step(this.rig.position.x, this.rig.position.z, dx, dz);
      this.rig.position.set(to.x, 0, to.z);
      return;
    }
    const nx = this.rig.position.x + dx;
    const nz = this.rig.position.z + dz;
    if (insideFloor(this.manifest?.floor, nx, nz)) this.rig.position.set(nx, 0, nz);
    else if (insideFloor(this.manifest?.floor, nx, this.rig.position.z)) this.rig.position.x = nx;
    else if (insideFloor(this.manifest?.floor, this.rig.position.x, nz)) this.rig.position.z = nz;
  }

  /** Walking away from an exhibit ends the zoom its framing chose (a pinch or the wheel zooms by choice). */
  _unzoom() {
    if (this.camera.fov >= FOV || this.walkTo || this.renderer.xr.isPresenting) return;
    this.camera.fov = Math.min(FOV, this.camera.fov + 2);
    this.camera.updateProjectionMatrix();
  }

  /** Hold a movement from an on-screen button: forward (-1..1) and turn (-1..1). */
  hold(forward, turn) {
    this.moveHold = { forward, turn };
  }

  /** Step or turn once (keyboard users without key repeat, screen-reader buttons). */
  nudge(forward, turn) {
    this.walkTo = null;
    if (forward) this._move(forward * 0.6, 0);
    if (turn) this.rig.rotation.y -= turn * (Math.PI / 8);
  }

  _bindInput() {
    const canvas = this.canvas;
    const pointers = new Map();
    let drag = null;
    let pinch = null;
    canvas.addEventListener('pointerdown', (event) => {
      canvas.setPointerCapture?.(event.pointerId);
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pointers.size === 1) drag = { x: event.clientX, y: event.clientY, startX: event.clientX, startY: event.clientY, moved: 0, time: performance.now() };
      if (pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        pinch = { distance: Math.hypot(a.x - b.x, a.y - b.y), fov: this.camera.fov };
        drag = null;
      }
    });
    canvas.addEventListener('pointermove', (event) => {
      if (!pointers.has(event.pointerId)) return;
      pointers.set(event.pointerId, { x: event.clientX, y: event.clientY });
      if (pinch && pointers.size === 2) {
        const [a, b] = [...pointers.values()];
        const distance = Math.hypot(a.x - b.x, a.y - b.y);
        this.camera.fov = MathUtils.clamp(pinch.fov * (pinch.distance / Math.max(1, distance)), 25, 80);
        this.camera.updateProjectionMatrix();
        return;
      }
      if (!drag) return;
      const dx = event.clientX - drag.x;
      const dy = event.clientY - drag.y;
      drag.x = event.clientX;
      drag.y = event.clientY;
      drag.moved += Math.abs(dx) + Math.abs(dy);
      const speed = (this.camera.fov / 65) * 0.005;
      this.rig.rotation.y += dx * speed;
      this.camera.rotation.x = MathUtils.clamp(this.camera.rotation.x + dy * speed, -1.2, 1.2);
      if (drag.moved > 6) this.walkTo = null;
    });
    const end = (event) => {
      pointers.delete(event.pointerId);
      if (pointers.size < 2) pinch = null;
      if (drag && event.type === 'pointerup' && drag.moved < 8 && performance.now() - drag.time < 700) {
        this._tap(event.clientX, event.clientY);
      }
      if (pointers.size === 0) drag = null;
    };
    canvas.addEventListener('pointerup', end);
    canvas.addEventListener('pointercancel', end);
    canvas.addEventListener('wheel', (event) => {
      event.preventDefault();
      this.camera.fov = MathUtils.clamp(this.camera.fov + event.deltaY * 0.03, 25, 80);
      this.camera.updateProjectionMatrix();
    }, { passive: false });
    const keyName = (event) => ({ ArrowUp: 'w', ArrowDown: 's', ArrowLeft: 'left', ArrowRight: 'right' }[event.key]
      || event.key.toLowerCase());
    window.addEventListener('keydown', (event) => {
      const target = event.target;
      if (target !== canvas && target !== document.body) return;
      const key = keyName(event);
      if (['w', 'a', 's', 'd', 'q', 'e', 'left', 'right'].includes(key)) {
        this.keys.add(key);
        this.walkTo = null;
        event.preventDefault();
      } else if (key === 'enter' && target === canvas) {
        const nearest = this.nearestExhibit();
        if (nearest) this.onSelect({ kind: 'exhibit', exhibit: nearest });
      }
    });
    window.addEventListener('keyup', (event) => this.keys.delete(keyName(event)));
    window.addEventListener('blur', () => this.keys.clear());
  }

  _tap(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const ndc = new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1);
    const hit = this.pick(ndc);
    if (!hit) return;
    if (hit.kind === 'floor') this.walkToPoint(hit.point);
    else this.onSelect(hit);
  }

  /** Return the screen position (CSS pixels) of an exhibit or hotspot, for tests and tooltips. */
  screenPosition(object) {
    this.scene.updateMatrixWorld();
    const p = new Vector3();
    object.getWorldPosition(p);
    if (object.userData.kind === 'exhibit') {
      // The middle of the exhibit itself (its pick box), not of its label and hotspots above it.
      const target = object.children.find((c) => c.userData.pickBox) || object;
      const box = new Box3().setFromObject(target);
      if (!box.isEmpty()) box.getCenter(p);
    }
    p.project(this.camera);
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + ((p.x + 1) / 2) * rect.width, y: rect.top + ((1 - p.y) / 2) * rect.height, visible: p.z < 1 };
  }

  _tick(time, frame) {
    const started = performance.now();
    const dt = Math.min(0.1, this.clock.getDelta());
    if (this.walkTo) this._stepWalk(dt);
    let forward = this.moveHold.forward;
    let turn = this.moveHold.turn;
    let strafe = 0;
    if (this.keys.has('w')) forward += 1;
    if (this.keys.has('s')) forward -= 1;
    if (this.keys.has('a')) strafe -= 1;
    if (this.keys.has('d')) strafe += 1;
    if (this.keys.has('left') || this.keys.has('q')) turn -= 1;
    if (this.keys.has('right') || this.keys.has('e')) turn += 1;
    if (forward || strafe) this._move(forward * WALK_SPEED * dt, strafe * WALK_SPEED * dt);
    if (turn) this.rig.rotation.y -= turn * TURN_SPEED * dt;
    for (const fn of this.onFrame) fn(dt, frame);
    this._updateHotspots();
    const view = this.override || this;
    this.renderer.render(view.scene, view.camera);
    this.hooks.frame?.(performance.now() - started, time);
  }

  /**
   * Size every hotspot to HOTSPOT_PX on the screen and show it only near its exhibit (faint a little farther).
   * @this {Viewer & {_eye?: Vector3, _spot?: Vector3, _scale?: Vector3}} the vectors are made once and reused
   */
  _updateHotspots() {
    const camera = this.camera;
    camera.updateMatrixWorld();
    const eye = camera.getWorldPosition(this._eye ||= new Vector3());
    const p = this._spot ||= new Vector3();
    const xr = this.renderer.xr.isPresenting;
    // World size of one CSS pixel at 1 m in front of the camera (a view offset shifts the picture, not its scale).
    const perMetre = (2 * Math.tan(MathUtils.degToRad(camera.fov) / 2)) / Math.max(1, this.canvas.clientHeight || window.innerHeight);
    for (const holder of this.pickables) {
      if (holder.userData.kind !== 'exhibit') continue;
      const near = holder.userData.hotspotNear || 2;
      for (const marker of holder.children) {
        if (marker.userData.kind !== 'hotspot') continue;
        marker.getWorldPosition(p);
        const distance = p.distanceTo(eye);
        marker.visible = distance < near * 1.5;
        if (!marker.visible) continue;
        marker.material.opacity = distance <= near ? 0.95 : 0.35;
        const depth = Math.max(0.05, -p.applyMatrix4(camera.matrixWorldInverse).z);
        const size = xr ? 2 * distance * Math.tan(HOTSPOT_XR_RAD / 2) : HOTSPOT_PX * perMetre * depth;
        const parent = holder.getWorldScale(this._scale ||= new Vector3()).x || 1;
        marker.scale.set(size / parent, size / parent, 1);
      }
    }
  }

  /** Return the rectangle (CSS pixels) a world box covers on the screen: {x0, y0, x1, y1, visible}. */
  screenRect(box) {
    this.scene.updateMatrixWorld();
    this.camera.updateMatrixWorld();
    const rect = this.canvas.getBoundingClientRect();
    const v = new Vector3();
    let x0 = Infinity; let x1 = -Infinity; let y0 = Infinity; let y1 = -Infinity;
    let visible = true;
    for (let i = 0; i < 8; i++) {
      v.set(i & 1 ? box.max.x : box.min.x, i & 2 ? box.max.y : box.min.y, i & 4 ? box.max.z : box.min.z).project(this.camera);
      if (v.z > 1) visible = false;
      const x = rect.left + ((v.x + 1) / 2) * rect.width;
      const y = rect.top + ((1 - v.y) / 2) * rect.height;
      x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
    }
    return { x0, y0, x1, y1, visible };
  }

  /** Return the screen rectangles of an exhibit's hotspots as drawn: {slug, x0, y0, x1, y1, visible, opacity}. */
  hotspotRects(slug) {
    this._updateHotspots();
    const holder = this.pickables.find((p) => p.userData.exhibit?.slug === slug);
    const height = this.canvas.getBoundingClientRect().height;
    return (holder?.children || []).filter((c) => c.userData.kind === 'hotspot').map((marker) => {
      const centre = marker.getWorldPosition(new Vector3());
      const size = marker.getWorldScale(new Vector3()).x;
      const depth = Math.max(0.05, -centre.applyMatrix4(this.camera.matrixWorldInverse).z);
      const radius = (size / (2 * depth * Math.tan(MathUtils.degToRad(this.camera.fov) / 2))) * height / 2;
      const c = this.screenPosition(marker);
      return { slug: marker.userData.hotspot.slug, x0: c.x - radius, y0: c.y - radius, x1: c.x + radius, y1: c.y + radius,
        visible: marker.visible, opacity: marker.material.opacity };
    });
  }

  /** Render once and return a summary of the picture: distinct colours and brightness spread (tests). */
  snapshot() {
    this.renderer.render(this.scene, this.camera);
    const gl = this.renderer.getContext();
    const w = gl.drawingBufferWidth;
    const hgt = gl.drawingBufferHeight;
    const pixels = new Uint8Array(w * hgt * 4);
    gl.readPixels(0, 0, w, hgt, gl.RGBA, gl.UNSIGNED_BYTE, pixels);
    const colours = new Set();
    let sum = 0;
    let sum2 = 0;
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4 * 97) {
      const luma = 0.2126 * pixels[i] + 0.7152 * pixels[i + 1] + 0.0722 * pixels[i + 2];
      colours.add((pixels[i] >> 3) << 10 | (pixels[i + 1] >> 3) << 5 | pixels[i + 2] >> 3);
      sum += luma;
      sum2 += luma * luma;
      n += 1;
    }
    const mean = sum / n;
    return { width: w, height: hgt, colours: colours.size, mean, spread: Math.sqrt(Math.max(0, sum2 / n - mean * mean)) };
  }
}

/** Make a flat disc mesh (the teleport target in VR). */
export function targetDisc() {
  const disc = new Mesh(new CircleGeometry(0.25, 32), new MeshBasicMaterial({ color: '#7fd1ff', transparent: true, opacity: 0.55, depthWrite: false }));
  disc.rotation.x = -Math.PI / 2;
  disc.visible = false;
  disc.userData.ray = true;
  return disc;
}

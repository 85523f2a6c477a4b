// The 3D gallery: builds a room from its scene manifest with three.js and lets the visitor move around it
// (drag to look, tap the floor to walk, pinch or wheel to zoom, WASD / arrow keys); VR lives in _xr.js.
import {
  ACESFilmicToneMapping, Box3, CanvasTexture, CircleGeometry, Clock, Color, DirectionalLight, DoubleSide, Group,
  HemisphereLight, MathUtils, Mesh, MeshBasicMaterial, PerspectiveCamera, PlaneGeometry, PMREMGenerator, Raycaster,
  RingGeometry, Scene, Shape, ShapeGeometry, SphereGeometry, SRGBColorSpace, Sprite, SpriteMaterial, Vector2,
  Vector3, WebGLRenderer,
} from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';
import { fetchBytes } from './_api.js';
import { reducedMotion } from './_prefs.js';

export const EYE_HEIGHT = 1.6;
const WALK_SPEED = 1.4; // m/s, an unhurried walk
const TURN_SPEED = 1.6; // rad/s for keys and buttons
const MAX_PARALLEL = 4;

/** Return whether a point [x, z] lies inside a floor polygon [[x, z], ...]. */
export function insideFloor(polygon, x, z) {
  if (!polygon || polygon.length < 3) return true;
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const [xi, zi] = polygon[i];
    const [xj, zj] = polygon[j];
    if ((zi > z) !== (zj > z) && x < ((xj - xi) * (z - zi)) / (zj - zi) + xi) inside = !inside;
  }
  return inside;
}

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

function dispose(object) {
  object.traverse((child) => {
    child.geometry?.dispose();
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
    this.camera = new PerspectiveCamera(65, 1, 0.05, 200);
    this.rig = new Group();
    this.rig.name = 'visitor';
    this.camera.position.set(0, EYE_HEIGHT, 0);
    this.rig.add(this.camera);
    this.scene.add(this.rig);
    this.content = new Group();
    this.scene.add(this.content);
    this.pickables = [];
    this.manifest = null;
    this.floor = null;
    this.walkTo = null;
    this.keys = new Set();
    this.moveHold = { forward: 0, turn: 0 };
    this.clock = new Clock();
    this.frameTimes = [];
    this.onSelect = () => {};
    this.onFrame = [];
    this.override = null;
    this.raycaster = new Raycaster();
    this.raycaster.far = 60;
    this.environment = null;
    this.gltf = this._makeLoader();
    this._bindInput();
    this._resize();
    new ResizeObserver(() => this._resize()).observe(canvas);
    this.renderer.setAnimationLoop((time, frame) => this._tick(time, frame));
  }

  /** Give metals and glass something to reflect (a soft studio room); done once, after the first gallery loads. */
  addReflections() {
    if (this.environment) return;
    const pmrem = new PMREMGenerator(this.renderer);
    this.environment = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
    pmrem.dispose();
    this.scene.environment = this.environment;
    this.scene.environmentIntensity = 0.35;
  }

  _makeLoader() {
    const loader = new GLTFLoader();
    loader.setMeshoptDecoder(MeshoptDecoder);
    const draco = new DRACOLoader().setDecoderPath('/static/vendor/draco/gltf/');
    loader.setDRACOLoader(draco);
    const ktx2 = new KTX2Loader().setTranscoderPath('/static/vendor/basis/').detectSupport(this.renderer);
    loader.setKTX2Loader(ktx2);
    return loader;
  }

  _resize() {
    const width = this.canvas.clientWidth || window.innerWidth;
    const height = this.canvas.clientHeight || window.innerHeight;
    if (this.renderer.xr.isPresenting) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / Math.max(1, height);
    this.camera.updateProjectionMatrix();
  }

  /** Remove the current gallery and build another from its manifest, reporting bytes as they load. */
  async load(manifest, { onProgress = () => {}, spawn = null } = {}) {
    this.clear();
    this.manifest = manifest;
    const light = manifest.lighting || {};
    this.scene.background = new Color(light.background || '#1e1e22');
    this.renderer.toneMappingExposure = light.exposure ?? 1;
    const ambient = light.ambient || { color: '#ffffff', intensity: 0.6 };
    const key = light.key || { color: '#ffffff', intensity: 2, direction: [-0.3, -1, -0.2] };
    const hemi = new HemisphereLight(ambient.color, '#3a3026', ambient.intensity * 1.6);
    const sun = new DirectionalLight(key.color, key.intensity);
    const dir = new Vector3(...key.direction).normalize();
    sun.position.copy(dir).multiplyScalar(-10);
    this.content.add(hemi, sun, sun.target);
    this._buildFloor(manifest.floor);
    this._buildDoors(manifest.doors || []);
    this.placeAt(spawn || (manifest.spawns || [])[0] || { position: [0, 0, 0], yaw_deg: 0 });

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
      jobs.push(() => this._placeExhibit(exhibit, progress));
    }
    // The room first: it is what the visitor sees at once; exhibits follow a few at a time.
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
    }
    const box = new Box3().setFromObject(holder);
    const top = box.isEmpty() ? y + 1.2 : box.max.y;
    const label = labelSprite(exhibit.label || exhibit.title);
    label.position.set(0, top - y + 0.22, 0);
    label.userData = { kind: 'exhibit', exhibit, label: true };
    holder.add(label);
    holder.userData.label = label;
    for (const hotspot of exhibit.hotspots || []) {
      const marker = new Mesh(new SphereGeometry(Math.max(0.025, Math.min(0.06, hotspot.radius_m || 0.04)), 16, 12),
        new MeshBasicMaterial({ color: '#ffb347', transparent: true, opacity: 0.95 }));
      const ring = new Mesh(new RingGeometry(0.05, 0.065, 24), new MeshBasicMaterial({ color: '#ffffff', side: DoubleSide }));
      ring.userData.billboard = true;
      marker.add(ring);
      const [ax = 0, ay = 0, az = 0] = hotspot.anchor || [];
      marker.position.set(ax, ay, az);
      if (model) marker.position.multiplyScalar(model.scale.x);
      marker.userData = { kind: 'hotspot', exhibit, hotspot };
      marker.name = `hotspot:${exhibit.slug}:${hotspot.slug}`;
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

  /** Put the texts of a manifest in another language on the gallery already built (labels, doors). */
  relabel(manifest) {
    const bySlug = new Map(manifest.exhibits.map((e) => [e.slug, e]));
    for (const holder of this.pickables) {
      const old = holder.userData.label;
      const exhibit = bySlug.get(holder.userData.exhibit?.slug);
      if (exhibit) {
        holder.userData.exhibit = exhibit;
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
    this.manifest = { ...this.manifest, ...manifest, floor: this.manifest.floor };
  }

  /** Remove everything of the current gallery. */
  clear() {
    for (const child of [...this.content.children]) {
      this.content.remove(child);
      dispose(child);
    }
    this.pickables = [];
    this.floor = null;
    this.walkTo = null;
  }

  /** Put the visitor on the floor at a spawn point {position:[x,y,z], yaw_deg}. */
  placeAt(spawn) {
    const [x = 0, , z = 0] = spawn.position || [];
    this.rig.position.set(x, 0, z);
    this.rig.rotation.set(0, MathUtils.degToRad(spawn.yaw_deg || 0), 0);
    this.camera.rotation.set(0, 0, 0);
    this.camera.fov = 65;
    this.camera.updateProjectionMatrix();
  }

  /** Stand at a viewpoint {position:[x,y,z] at eye height, target:[x,y,z]}; glide there unless motion is reduced. */
  goToViewpoint(viewpoint, { instant = false } = {}) {
    const [px, , pz] = viewpoint.position;
    const [tx, ty, tz] = viewpoint.target || [px, EYE_HEIGHT, pz - 1];
    const yaw = Math.atan2(-(tx - px), -(tz - pz));
    const flat = Math.hypot(tx - px, tz - pz);
    const pitch = Math.atan2(ty - EYE_HEIGHT, Math.max(0.01, flat));
    this.glide(new Vector3(px, 0, pz), yaw, MathUtils.clamp(pitch, -0.9, 0.9), instant);
  }

  /** Walk the visitor to stand in front of an exhibit, looking at it. */
  goToExhibit(slug, { instant = false } = {}) {
    const holder = this.pickables.find((p) => p.userData.exhibit?.slug === slug);
    const exhibit = holder?.userData.exhibit || this.manifest?.exhibits.find((e) => e.slug === slug);
    if (!exhibit) return false;
    const [x, y, z] = exhibit.transform.position;
    const yaw = MathUtils.degToRad(exhibit.transform.rotation_deg?.[1] || 0);
    const box = holder ? new Box3().setFromObject(holder) : null;
    const height = box && !box.isEmpty() ? box.max.y - y : 1;
    const distance = 1.6 + 0.4 * height;
    let sx = x + Math.sin(yaw) * distance;
    let sz = z + Math.cos(yaw) * distance;
    if (!insideFloor(this.manifest.floor, sx, sz)) { sx = x - Math.sin(yaw) * distance; sz = z - Math.cos(yaw) * distance; }
    this.goToViewpoint({ position: [sx, EYE_HEIGHT, sz], target: [x, y + height * 0.55, z] }, { instant });
    return true;
  }

  /** Move the visitor's feet to a floor point and turn them, smoothly unless motion is reduced. */
  glide(target, yaw = null, pitch = null, instant = false) {
    const from = this.rig.position.clone();
    const fromYaw = this.rig.rotation.y;
    let toYaw = yaw ?? fromYaw;
    while (toYaw - fromYaw > Math.PI) toYaw -= 2 * Math.PI;
    while (toYaw - fromYaw < -Math.PI) toYaw += 2 * Math.PI;
    const seconds = reducedMotion() || instant ? 0 : Math.min(2.5, 0.3 + from.distanceTo(target) / (WALK_SPEED * 2));
    this.walkTo = { from, to: target.clone(), fromYaw, toYaw, fromPitch: this.camera.rotation.x,
      toPitch: pitch ?? this.camera.rotation.x, t: 0, seconds };
    if (seconds === 0) this._stepWalk(0);
  }

  _stepWalk(dt) {
    const w = this.walkTo;
    w.t = w.seconds ? Math.min(1, w.t + dt / w.seconds) : 1;
    const k = w.t < 0.5 ? 2 * w.t * w.t : 1 - (-2 * w.t + 2) ** 2 / 2;
    this.rig.position.lerpVectors(w.from, w.to, k);
    this.rig.rotation.y = w.fromYaw + (w.toYaw - w.fromYaw) * k;
    this.camera.rotation.x = w.fromPitch + (w.toPitch - w.fromPitch) * k;
    if (w.t >= 1) {
      this.walkTo = null;
      if (this.walkMarker) this.walkMarker.visible = false;
      this.hooks.walked?.(this.rig.position);
    }
  }

  /** Return what lies under a normalised screen point: {kind, object, point} or null. */
  pick(ndc) {
    this.raycaster.setFromCamera(ndc, this.camera);
    return this.pickRay(this.raycaster);
  }

  /** Return what a ray meets first: an exhibit, hotspot, door, panel, or a walkable floor point. */
  pickRay(raycaster, extra = []) {
    const hits = raycaster.intersectObjects([...this.content.children, ...extra], true)
      .filter((hit) => hit.object.visible !== false && hit.object.name !== 'walk-marker' && !hit.object.userData.ray);
    for (const hit of hits) {
      if (hit.object === this.floor) return { kind: 'floor', point: hit.point };
      let node = hit.object;
      while (node && !node.userData.kind) node = node.parent;
      if (node && node.userData.kind !== 'floor') return { kind: node.userData.kind, object: node, point: hit.point, ...node.userData };
      // Geometry of the room itself: a floor point just under it still counts as floor (the room's own floor).
      const floorHit = this.floor && raycaster.intersectObject(this.floor, false)[0];
      if (floorHit && floorHit.distance <= hit.distance + 0.08) return { kind: 'floor', point: floorHit.point };
      return null;
    }
    return null;
  }

  /** Walk to a floor point if it is inside the walkable floor. */
  walkToPoint(point) {
    if (!insideFloor(this.manifest?.floor, point.x, point.z)) return false;
    if (this.walkMarker) {
      this.walkMarker.position.set(point.x, 0.02, point.z);
      this.walkMarker.visible = true;
    }
    this.glide(new Vector3(point.x, 0, point.z));
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
    const yaw = this.rig.rotation.y;
    const dx = -Math.sin(yaw) * forward + Math.cos(yaw) * strafe;
    const dz = -Math.cos(yaw) * forward - Math.sin(yaw) * strafe;
    const nx = this.rig.position.x + dx;
    const nz = this.rig.position.z + dz;
    if (insideFloor(this.manifest?.floor, nx, nz)) this.rig.position.set(nx, 0, nz);
    else if (insideFloor(this.manifest?.floor, nx, this.rig.position.z)) this.rig.position.x = nx;
    else if (insideFloor(this.manifest?.floor, this.rig.position.x, nz)) this.rig.position.z = nz;
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
    const p = new Vector3();
    object.getWorldPosition(p);
    if (object.userData.kind === 'exhibit') {
      const box = new Box3().setFromObject(object);
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
    const view = this.override || this;
    this.renderer.render(view.scene, view.camera);
    this.hooks.frame?.(performance.now() - started, time);
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

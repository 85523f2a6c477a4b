// VR in the gallery (WebXR immersive-vr): controllers or hands, a pointing ray, select to open an exhibit or
// teleport onto the walkable floor (a target off it shows red and is refused), snap turn on the thumbstick, and the exhibit panel as a 3D card.
// Loaded only on browsers that support immersive-vr.
import {
  BufferGeometry, CanvasTexture, Line, LineBasicMaterial, Matrix4, Mesh, MeshBasicMaterial, PlaneGeometry,
  Raycaster, SRGBColorSpace, Vector3,
} from 'three';
import { XRControllerModelFactory } from 'three/examples/jsm/webxr/XRControllerModelFactory.js';
import { XRHandModelFactory } from 'three/examples/jsm/webxr/XRHandModelFactory.js';
import { targetDisc } from './_viewer.js';

/**
 * A WebXR session (lib.dom has no WebXR types): what the museum calls on one.
 * @typedef {EventTarget & {end(): Promise<void>, requestReferenceSpace(type: string): Promise<object>,
 *   requestHitTestSource?(options: object): Promise<object>}} XRSessionLike
 */
/**
 * navigator with WebXR's navigator.xr, where the browser has it.
 * @typedef {Navigator & {xr?: {isSessionSupported(mode: string): Promise<boolean>,
 *   requestSession(mode: string, options?: object): Promise<XRSessionLike>}}} XRNavigator
 */

const PROFILES = '/static/vendor/webxr-input-profiles';
const SNAP_DEG = 30;
const DISC_VALID = '#7fd1ff';
const DISC_INVALID = '#ff5a4f';

function wrap(ctx, text, x, y, width, lineHeight, maxLines) {
  let line = '';
  let lines = 0;
  // CJK has no spaces: break anywhere; Latin: break at spaces.
  const tokens = /\s/.test(text) ? text.split(/(\s+)/) : [...text];
  for (const token of tokens) {
    const next = line + token;
    if (ctx.measureText(next).width > width && line) {
      ctx.fillText(line.trim(), x, y);
      y += lineHeight;
      line = token.trimStart();
      if (++lines >= maxLines - 1) { ctx.fillText(`${line}…`, x, y); return y + lineHeight; }
    } else line = next;
  }
  if (line.trim()) { ctx.fillText(line.trim(), x, y); y += lineHeight; }
  return y;
}

/** Draw an exhibit's card (title, summary, credit) for VR: readable at arm's length. */
export function panelMesh({ title, text, credit, hint }) {
  const canvas = document.createElement('canvas');
  canvas.width = 1024;
  canvas.height = 768;
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#1d1a16';
  ctx.beginPath();
  ctx.roundRect(0, 0, 1024, 768, 40);
  ctx.fill();
  ctx.strokeStyle = '#f0c27b';
  ctx.lineWidth = 8;
  ctx.stroke();
  const family = '"Noto Sans CJK SC", "Noto Sans", system-ui, sans-serif';
  ctx.fillStyle = '#f0c27b';
  ctx.font = `700 64px ${family}`;
  let y = wrap(ctx, title || '', 56, 110, 912, 76, 2) + 16;
  ctx.fillStyle = '#fff8ec';
  ctx.font = `400 42px ${family}`;
  y = wrap(ctx, text || '', 56, y, 912, 56, 8);
  ctx.fillStyle = '#d8cbb8';
  ctx.font = `400 32px ${family}`;
  if (credit) wrap(ctx, credit, 56, 670, 912, 40, 1);
  if (hint) wrap(ctx, hint, 56, 726, 912, 40, 1);
  const texture = new CanvasTexture(canvas);
  texture.colorSpace = SRGBColorSpace;
  const mesh = new Mesh(new PlaneGeometry(0.64, 0.48), new MeshBasicMaterial({ map: texture, transparent: true }));
  mesh.userData = { kind: 'panel' };
  mesh.renderOrder = 5;
  return mesh;
}

export class XRSupport {
  /**
   * @param {import('./_viewer.js').Viewer} viewer
   * @param {{onSelect: (hit: object) => void, onTeleport?: (point: object) => void, onPanelClosed?: () => void,
   *   hint?: string}} options
   */
  constructor(viewer, { onSelect, onTeleport = () => {}, onPanelClosed = () => {}, hint = '' }) {
    this.viewer = viewer;
    this.onSelect = onSelect;
    this.onPanelClosed = onPanelClosed;
    this.onTeleport = onTeleport;
    this.hint = hint;
    this.state = { presenting: false, teleports: 0, refused: 0, selects: 0, turns: 0, frames: 0, frameTimes: [],
      lastTeleport: null, target: null };
    this.panel = null;
    this.controllers = [];
    this.raycaster = new Raycaster();
    this.raycaster.far = 30;
    this.disc = targetDisc();
    viewer.scene.add(this.disc);
    const renderer = viewer.renderer;
    renderer.xr.enabled = true;
    renderer.xr.setReferenceSpaceType('local-floor');
    const models = new XRControllerModelFactory();
    models.setPath(PROFILES);
    const hands = new XRHandModelFactory();
    hands.setPath(`${PROFILES}/generic-hand/`);
    for (let i = 0; i < 2; i++) {
      const controller = renderer.xr.getController(i);
      const ray = new Line(new BufferGeometry().setFromPoints([new Vector3(0, 0, 0), new Vector3(0, 0, -1)]),
        new LineBasicMaterial({ color: '#ffe2a8' }));
      ray.scale.z = 5;
      ray.userData.ray = true;
      controller.add(ray);
      controller.userData = { ray, source: null, turnReady: true, ray_: true };
      controller.addEventListener('connected', (event) => { controller.userData.source = event.data; });
      controller.addEventListener('disconnected', () => { controller.userData.source = null; });
      controller.addEventListener('select', () => this._select(controller));
      viewer.rig.add(controller);
      const grip = renderer.xr.getControllerGrip(i);
      grip.add(models.createControllerModel(grip));
      viewer.rig.add(grip);
      const hand = renderer.xr.getHand(i);
      hand.add(hands.createHandModel(hand, 'mesh'));
      viewer.rig.add(hand);
      this.controllers.push(controller);
    }
    renderer.xr.addEventListener('sessionstart', () => this._started());
    renderer.xr.addEventListener('sessionend', () => this._ended());
    viewer.onFrame.push(() => this._frame());
  }

  /** Return whether this browser can show immersive VR. */
  static async supported() {
    try { return Boolean(/** @type {XRNavigator} */ (navigator).xr && await /** @type {XRNavigator} */ (navigator).xr.isSessionSupported('immersive-vr')); } catch { return false; }
  }

  /** Ask for an immersive-vr session (call from a click). */
  async enter() {
    const session = await /** @type {XRNavigator} */ (navigator).xr.requestSession('immersive-vr', {
      optionalFeatures: ['local-floor', 'bounded-floor', 'hand-tracking'],
    });
    await this.viewer.renderer.xr.setSession(session);
    return session;
  }

  /** End the VR session. */
  async exit() {
    await this.viewer.renderer.xr.getSession()?.end();
  }

  _started() {
    const camera = this.viewer.camera;
    this.saved = { pitch: camera.rotation.x, fov: camera.fov };
    this.viewer.walkTo = null;
    this.state.presenting = true;
    this.lastFrame = performance.now();
    window.dispatchEvent(new CustomEvent('museum:xr', { detail: true }));
  }

  _ended() {
    const camera = this.viewer.camera;
    camera.position.set(0, 1.6, 0);
    camera.rotation.set(this.saved?.pitch || 0, 0, 0);
    this.closePanel();
    this.disc.visible = false;
    this.state.presenting = false;
    this.viewer._resize();
    window.dispatchEvent(new CustomEvent('museum:xr', { detail: false }));
  }

  _aim(controller) {
    const matrix = new Matrix4().extractRotation(controller.matrixWorld);
    this.raycaster.ray.origin.setFromMatrixPosition(controller.matrixWorld);
    this.raycaster.ray.direction.set(0, 0, -1).applyMatrix4(matrix);
    this.raycaster.camera = this.viewer.camera;
    return this.viewer.pickRay(this.raycaster, this.panel ? [this.panel] : []);
  }

  _select(controller) {
    const hit = this._aim(controller);
    this.state.selects++;
    if (!hit) return;
    if (hit.kind === 'panel') { this.closePanel(); return; }
    if (hit.kind === 'floor') { this.teleport(hit.point); return; }
    this.onSelect(hit);
  }

  /** Move the visitor so that their head stands over a floor point if it is walkable; refuse it otherwise. */
  teleport(point) {
    const viewer = this.viewer;
    if (!viewer.canStand(point.x, point.z)) {
      this.state.refused++;
      return false;
    }
    const head = new Vector3();
    viewer.camera.getWorldPosition(head);
    viewer.rig.position.x += point.x - head.x;
    viewer.rig.position.z += point.z - head.z;
    this.state.teleports++;
    this.state.lastTeleport = [point.x, point.z];
    this.onTeleport(point);
    return true;
  }

  _snapTurn(sign) {
    // Turn about the head, not the rig's origin, so the visitor does not slide sideways.
    const viewer = this.viewer;
    const head = new Vector3();
    viewer.camera.getWorldPosition(head);
    const angle = -sign * (SNAP_DEG * Math.PI) / 180;
    const offset = viewer.rig.position.clone().sub(head);
    offset.applyAxisAngle(new Vector3(0, 1, 0), angle);
    viewer.rig.position.set(head.x + offset.x, viewer.rig.position.y, head.z + offset.z);
    viewer.rig.rotation.y += angle;
    this.state.turns++;
  }

  /** Show an exhibit's card in front of the visitor. */
  showPanel(card) {
    this.closePanel();
    const panel = panelMesh({ ...card, hint: this.hint });
    const head = new Vector3();
    const camera = this.viewer.camera;
    camera.getWorldPosition(head);
    const dir = new Vector3();
    camera.getWorldDirection(dir);
    dir.y = 0;
    if (dir.lengthSq() < 1e-6) dir.set(0, 0, -1);
    dir.normalize();
    panel.position.copy(head).addScaledVector(dir, 0.75);
    panel.position.y = head.y - 0.1;
    panel.lookAt(head.x, panel.position.y, head.z);
    this.viewer.scene.add(panel);
    this.panel = panel;
  }

  /** Remove the VR card. */
  closePanel() {
    if (!this.panel) return;
    this.viewer.scene.remove(this.panel);
    this.panel.material.map.dispose();
    this.panel.material.dispose();
    this.panel.geometry.dispose();
    this.panel = null;
    this.onPanelClosed();
  }

  /** Run on every frame (one of viewer.onFrame); it times frames itself from performance.now(). */
  _frame() {
    if (!this.state.presenting) return;
    const now = performance.now();
    this.state.frameTimes.push(now - this.lastFrame);
    if (this.state.frameTimes.length > 600) this.state.frameTimes.shift();
    this.lastFrame = now;
    this.state.frames++;
    this.disc.visible = false;
    this.state.target = null;
    for (const controller of this.controllers) {
      const source = controller.userData.source;
      if (!source) continue;
      const hit = this._aim(controller);
      const ray = controller.userData.ray;
      ray.scale.z = hit ? Math.max(0.05, hit.point.distanceTo(this.raycaster.ray.origin)) : 5;
      if (hit?.kind === 'floor') {
        // Where a teleport would land: blue on the walkable floor, red (and refused) beside a bed, rope or case.
        const valid = this.viewer.canStand(hit.point.x, hit.point.z);
        this.disc.position.set(hit.point.x, 0.02, hit.point.z);
        this.disc.material.color.set(valid ? DISC_VALID : DISC_INVALID);
        this.disc.visible = true;
        this.state.target = valid ? 'valid' : 'invalid';
      }
      const axes = source.gamepad?.axes || [];
      const x = axes.length >= 4 ? axes[2] : axes[0] || 0;
      if (Math.abs(x) > 0.7 && controller.userData.turnReady) {
        controller.userData.turnReady = false;
        this._snapTurn(Math.sign(x));
      } else if (Math.abs(x) < 0.3) controller.userData.turnReady = true;
    }
  }
}

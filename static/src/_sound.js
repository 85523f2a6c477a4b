// The sound of a room: a gallery's ambient loops, heard in the whole room, and its spot sounds, heard near where they
// are placed and fading to silence at their radius. One AudioListener rides on the camera (in a headset three.js
// moves the camera with the head, and the listener with it); a room's sounds fade in as the visitor enters it and
// out as they leave. Nothing is made or played before the visitor's first tap, click or key on the page (browsers'
// autoplay rules, and an elderly visitor must not be startled), nor while they have the sound off.
import { Audio, AudioListener, AudioLoader, Group, PositionalAudio, Vector3 } from 'three';

export const FADE_S = 1.5;
// What makes a page "activated" for audio in browsers: a pointer released, a tap, a click or a key.
const GESTURES = ['pointerup', 'touchend', 'click', 'keydown'];
const BUFFERS_KEPT = 8;

/** Return whether this device is a phone (where the sound starts off): a small touch screen or a mobile browser. */
export function isPhone() {
  const ua = navigator.userAgent || '';
  if (/Quest|OculusBrowser|Pico/i.test(ua)) return false;
  const small = Math.min(screen.width, screen.height) < 820;
  return (matchMedia('(pointer: coarse)').matches && small) || /iPhone|Android.+Mobile|Mobile Safari/.test(ua);
}

/** Return the gain of a linear distance model at a distance (as a PannerNode with that model computes it). */
export function linearGain(distance, ref, max, rolloff = 1) {
  if (max <= ref) return distance <= ref ? 1 : 0;
  const d = Math.min(Math.max(distance, ref), max);
  return 1 - rolloff * ((d - ref) / (max - ref));
}

/** A fade from one level to another over some seconds, by the page's clock. */
class Fade {
  constructor(from, to, seconds = FADE_S) {
    this.from = from;
    this.to = to;
    this.start = performance.now();
    this.seconds = seconds;
  }

  /** Return the level now. */
  value(now = performance.now()) {
    const k = this.seconds > 0 ? Math.min(1, Math.max(0, (now - this.start) / (this.seconds * 1000))) : 1;
    return this.from + (this.to - this.from) * k;
  }

  /** Return whether the fade has reached its level. */
  done(now = performance.now()) {
    return this.value(now) === this.to;
  }
}

/**
 * A room sound as the manifest gives it, and what plays it once sound is on.
 * @typedef {{kind: string, url: string, position: number[], radius_m: number, volume: number, title: string}} Zone
 * @typedef {{zone: Zone, gallery: string, fade: Fade, audio: Audio | PositionalAudio | null, leaving: boolean,
 *   volume?: number}} Voice
 */

export class SoundScape {
  /**
   * @param {{camera: import('three').Camera, scene: import('three').Scene, onFrame: Function[]}} viewer
   * @param {{on: boolean, changed?: (on: boolean) => void}} options whether sound is on (remembered by the page)
   */
  constructor(viewer, { on, changed = () => {} }) {
    this.viewer = viewer;
    this.on = on;
    this.changed = changed;
    this.activated = false;
    /** @type {AudioListener | null} */
    this.listener = null;
    this.group = new Group();
    this.group.name = 'room-sounds';
    viewer.scene.add(this.group);
    /** @type {Voice[]} */
    this.voices = [];
    this.gallery = null;
    this.buffers = new Map();
    this._at = new Vector3();
    this._ear = new Vector3();
    const activate = () => {
      this.activated = true;
      for (const name of GESTURES) window.removeEventListener(name, activate, true);
      if (this.on) this._start();
    };
    for (const name of GESTURES) window.addEventListener(name, activate, true);
    document.addEventListener('visibilitychange', () => this._suspendIfQuiet());
    viewer.onFrame.push(() => this.update());
  }

  /** Take up a gallery's sounds (its manifest has `sounds`): the last room's fade out, this room's fade in. */
  enter(manifest) {
    const slug = manifest.gallery.slug;
    if (slug === this.gallery) { this.relabel(manifest); return; }
    this.gallery = slug;
    for (const voice of this.voices) this._leave(voice);
    for (const zone of manifest.sounds || []) {
      const voice = { zone, gallery: slug, fade: new Fade(0, 1), audio: null, leaving: false };
      this.voices.push(voice);
      if (this.listener) this._play(voice);
    }
  }

  /** Fade out every sound (the visitor left the galleries). */
  leave() {
    this.gallery = null;
    for (const voice of this.voices) this._leave(voice);
  }

  /** Put a manifest's titles (in another language) on the sounds of its gallery. */
  relabel(manifest) {
    const current = this.voices.filter((v) => !v.leaving && v.gallery === manifest.gallery.slug);
    (manifest.sounds || []).forEach((zone, i) => { if (current[i]) current[i].zone = { ...current[i].zone, title: zone.title }; });
  }

  /** Turn the sound on or off (the visitor's choice); on, it starts at once when the page was tapped before. */
  setOn(on) {
    this.on = on;
    if (on && this.activated) this._start();
    if (this.listener) this.listener.setMasterVolume(on ? 1 : 0);
    this._suspendIfQuiet();
    this.changed(on);
  }

  /** Return the titles of what can be heard in this room. */
  titles() {
    return this.voices.filter((v) => !v.leaving && v.zone.title).map((v) => v.zone.title);
  }

  /** Return every sound's state: its kind, title, whether it plays, its fade and its gain at the visitor's ear. */
  levels() {
    const now = performance.now();
    const ear = this._earPosition();
    return this.voices.map((voice) => {
      const { zone } = voice;
      const fade = voice.fade.value(now);
      let distance = null;
      let spatial = 1;
      if (zone.kind === 'spot') {
        distance = ear.distanceTo(this._at.fromArray(zone.position));
        spatial = linearGain(distance, zone.radius_m / 4, zone.radius_m);
      }
      return { gallery: voice.gallery, kind: zone.kind, title: zone.title, url: zone.url, leaving: voice.leaving,
        playing: Boolean(voice.audio?.isPlaying), fade, distance,
        gain: (this.on && this.listener ? 1 : 0) * zone.volume * fade * spatial };
    });
  }

  /** Return the audio state: whether sound is on, the page activated, and the audio context's state. */
  state() {
    return { on: this.on, activated: this.activated, context: this.listener?.context.state || null };
  }

  /** Follow the fades (called every frame): set each sound's volume, end those faded out. */
  update() {
    if (!this.voices.length) return;
    const now = performance.now();
    for (const voice of [...this.voices]) {
      const level = voice.fade.value(now);
      const volume = voice.zone.volume * level;
      // Only a change is scheduled: a ramp set every frame would pile up while the audio clock is suspended.
      if (voice.audio && Math.abs(volume - (voice.volume ?? -1)) > 1e-4) {
        voice.audio.setVolume(volume);
        voice.volume = volume;
      }
      if (voice.leaving && voice.fade.done(now)) this._dispose(voice);
    }
  }

  _earPosition() {
    const camera = this.viewer.camera;
    camera.updateMatrixWorld();
    return camera.getWorldPosition(this._ear);
  }

  // Called within the visitor's gesture (or later, with sound turned on, once the page was activated).
  _start() {
    if (!this.listener) {
      this.listener = new AudioListener();
      this.viewer.camera.add(this.listener);
      this.listener.setMasterVolume(this.on ? 1 : 0);
      for (const voice of this.voices) if (!voice.leaving) this._play(voice);
    }
    if (this.listener.context.state !== 'running' && !document.hidden) this.listener.context.resume().catch(() => {});
  }

  // Off, or the page out of sight: the audio clock stops (no battery spent on silence).
  _suspendIfQuiet() {
    const context = this.listener?.context;
    if (!context) return;
    if (!this.on || document.hidden) { if (context.state === 'running') context.suspend().catch(() => {}); }
    else if (context.state !== 'running') context.resume().catch(() => {});
  }

  async _buffer(url) {
    if (!this.buffers.has(url)) {
      const loading = new AudioLoader().loadAsync(url);
      this.buffers.set(url, loading);
      loading.catch(() => this.buffers.delete(url));
      while (this.buffers.size > BUFFERS_KEPT) this.buffers.delete(this.buffers.keys().next().value);
    }
    return this.buffers.get(url);
  }

  async _play(voice) {
    const { zone } = voice;
    let buffer;
    try { buffer = await this._buffer(zone.url); } catch (error) { console.warn('a room sound could not be loaded', String(error)); return; }
    if (voice.leaving || !this.voices.includes(voice) || voice.audio) return;
    let audio;
    if (zone.kind === 'spot') {
      const spot = new PositionalAudio(this.listener);
      // Loud within a quarter of its radius, fading to silence at the radius, nothing beyond.
      spot.setDistanceModel('linear');
      spot.setRefDistance(zone.radius_m / 4);
      spot.setMaxDistance(zone.radius_m);
      spot.setRolloffFactor(1);
      if (isPhone()) spot.panner.panningModel = 'equalpower';  // HRTF costs a phone more than it gives
      spot.position.fromArray(zone.position);
      audio = spot;
    } else {
      audio = new Audio(this.listener);
    }
    audio.name = `sound:${zone.title || zone.url}`;
    audio.setBuffer(buffer);
    audio.setLoop(true);
    audio.setVolume(zone.volume * voice.fade.value());
    this.group.add(audio);
    voice.audio = audio;
    audio.play();
  }

  _leave(voice) {
    if (voice.leaving) return;
    voice.leaving = true;
    voice.fade = new Fade(voice.fade.value(), 0);
  }

  _dispose(voice) {
    this.voices = this.voices.filter((v) => v !== voice);
    const audio = voice.audio;
    if (!audio) return;
    if (audio.isPlaying) audio.stop();
    audio.disconnect();
    audio.gain.disconnect();  // from the listener: nothing of the room is left in the audio graph
    this.group.remove(audio);
    voice.audio = null;
  }
}

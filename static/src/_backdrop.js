// Guests inside the museum: a gallery's composed scene rendered from where a visitor enters it (GalleryView), and
// the people in the camera's picture found by MediaPipe's selfie segmentation (PersonMask), for the booth's live
// preview and its review screen. The server stands the guests in front of the same view with its own copy of the
// model (ar_photo/segment.py), so the photo shows what the preview showed.
import * as THREE from 'three';
import { galleryLights, roomReflections } from './_lighting.js';
import { museumLoader } from './_loaders.js';

const EYE_HEIGHT = 1.5; // m: a camera on a stand at a booth, a little under a standing visitor's eyes
const FOV_SHORT_SIDE = 58; // degrees across the picture's shorter side, as a booth camera's lens
const STEP_BACK = 0.6; // m behind the spawn point, so the first exhibits are in the picture, not beside it
const SEGMENT_WIDTH = 256; // px: the model's input; a smaller copy of the frame is all it needs
const VENDOR = '/static/vendor/selfie_segmentation/';

/** One gallery's room and exhibits, drawn by its own renderer from the gallery's first spawn point. */
export class GalleryView {
  constructor() {
    this.canvas = document.createElement('canvas');
    this.renderer = new THREE.WebGLRenderer({ canvas: this.canvas, antialias: true, preserveDrawingBuffer: true });
    this.loader = museumLoader(this.renderer); // as the visitors' viewer reads galleries
    this.renderer.setPixelRatio(1);
    this.renderer.outputColorSpace = THREE.SRGBColorSpace;
    this.renderer.toneMapping = THREE.ACESFilmicToneMapping;
    this.scene = new THREE.Scene();
    roomReflections(this.scene, this.renderer); // as the visitors see the gallery
    this.camera = new THREE.PerspectiveCamera(FOV_SHORT_SIDE, 4 / 3, 0.05, 200);
    this.content = null;
    this.slug = null;
  }

  /** Load a backdrop ({slug, scene_url, spawn, lighting}) in place of the one before. */
  async load(backdrop) {
    const gltf = await this.loader.loadAsync(backdrop.scene_url);
    if (this.content) this.scene.remove(this.content);
    const content = new THREE.Group();
    content.add(...galleryLights(this.scene, this.renderer, backdrop.lighting), gltf.scene);
    this.scene.add(content);
    this.content = content;
    const [x = 0, , z = 0] = backdrop.spawn?.position || [];
    const yaw = THREE.MathUtils.degToRad(backdrop.spawn?.yaw_deg || 0);
    // Facing -z turned by yaw, as the visitors' viewer does; a step back from the spawn point.
    this.camera.position.set(x + Math.sin(yaw) * STEP_BACK, EYE_HEIGHT, z + Math.cos(yaw) * STEP_BACK);
    this.camera.rotation.set(0, yaw, 0, 'YXZ');
    this.slug = backdrop.slug;
  }

  /** Draw the view at width x height pixels and return the canvas holding it (valid until the next render). */
  render(width, height) {
    const aspect = width / height;
    // The same lens whatever the frame's shape: FOV_SHORT_SIDE across the shorter side.
    const half = Math.tan(THREE.MathUtils.degToRad(FOV_SHORT_SIDE) / 2);
    this.camera.fov = THREE.MathUtils.radToDeg(2 * Math.atan(aspect >= 1 ? half : half / aspect));
    this.camera.aspect = aspect;
    this.camera.updateProjectionMatrix();
    this.renderer.setSize(Math.round(width), Math.round(height), false);
    this.renderer.render(this.scene, this.camera);
    return this.canvas;
  }
}

/**
 * A camera frame as raw pixels: `format` (I420, NV12, RGBA, RGBX, BGRA or BGRX), its size, the planes' layout
 * in `data`, and the YUV matrix and range to turn it into RGB.
 * @typedef {{format: string, width: number, height: number, data: Uint8Array,
 *   layout: {offset: number, stride: number}[], kr: number, kb: number, full: boolean}} RawFrame
 */

/**
 * A camera track's frames as raw pixels (WebCodecs' MediaStreamTrackProcessor), read without the GPU round trip
 * that drawing a <video> costs: copying a 12-megapixel frame out takes about 13 ms here, drawing it 400.
 */
export class CameraFrames {
  /** @param {MediaStreamTrack} track */
  constructor(track) {
    const Processor = /** @type {any} */ (window).MediaStreamTrackProcessor;
    if (!Processor) throw new Error('this browser cannot read camera frames (MediaStreamTrackProcessor)');
    this.reader = new Processor({ track }).readable.getReader();
    /** @type {Uint8Array[]} two buffers: the frame being read and the one being drawn */
    this.buffers = [new Uint8Array(0), new Uint8Array(0)];
    this.turn = 0;
  }

  /** @returns {Promise<RawFrame | null>} the next frame, or null when the track has ended */
  async next() {
    const { value: frame, done } = await this.reader.read();
    if (done || !frame) return null;
    try {
      const size = frame.allocationSize();
      this.turn = 1 - this.turn;
      if (this.buffers[this.turn].length < size) this.buffers[this.turn] = new Uint8Array(size);
      const data = this.buffers[this.turn];
      const layout = await frame.copyTo(data);
      const matrix = frame.colorSpace && frame.colorSpace.matrix;
      const [kr, kb] = matrix === 'bt709' ? [0.2126, 0.0722] : [0.299, 0.114];
      return { format: frame.format, width: frame.visibleRect.width, height: frame.visibleRect.height, data,
        layout, kr, kb, full: !!(frame.colorSpace && frame.colorSpace.fullRange) };
    } finally {
      frame.close();
    }
  }

  close() {
    this.reader.cancel().catch(() => {});
  }
}

/**
 * The numbers that turn a YUV frame's bytes into RGB 0..255: R = (Y - y0) ys + rv V', G = (Y - y0) ys - gu U' -
 * gv V', B = (Y - y0) ys + bu U', with U' and V' the chroma bytes less 128 (its matrix and range, from the frame).
 * @param {RawFrame} f
 */
function yuvCoefficients(f) {
  const cs = f.full ? 1 : 255 / 224;
  const kg = 1 - f.kr - f.kb;
  return {
    y0: f.full ? 0 : 16, ys: f.full ? 1 : 255 / 219, rv: 2 * (1 - f.kr) * cs, bu: 2 * (1 - f.kb) * cs,
    gu: ((2 * f.kb * (1 - f.kb)) / kg) * cs, gv: ((2 * f.kr * (1 - f.kr)) / kg) * cs,
  };
}

/**
 * A function (x, y, out, at) writing the RGB of a frame's pixel to out[at..at+2].
 * @param {RawFrame} f
 * @returns {(x: number, y: number, out: Uint8ClampedArray, at: number) => void}
 */
function pixelReader(f) {
  const d = f.data;
  const [p0, p1, p2] = f.layout;
  if (f.format === 'I420' || f.format === 'NV12') {
    const { y0, ys, rv, bu, gu, gv } = yuvCoefficients(f);
    const nv12 = f.format === 'NV12';
    return (x, y, out, at) => {
      const l = (d[p0.offset + y * p0.stride + x] - y0) * ys;
      const cx = x >> 1;
      const cy = y >> 1;
      const u = (nv12 ? d[p1.offset + cy * p1.stride + 2 * cx] : d[p1.offset + cy * p1.stride + cx]) - 128;
      const v = (nv12 ? d[p1.offset + cy * p1.stride + 2 * cx + 1] : d[p2.offset + cy * p2.stride + cx]) - 128;
      out[at] = l + rv * v;
      out[at + 1] = l - gu * u - gv * v;
      out[at + 2] = l + bu * u;
    };
  }
  const bgr = f.format === 'BGRA' || f.format === 'BGRX';
  if (!bgr && f.format !== 'RGBA' && f.format !== 'RGBX') throw new Error(`camera pixel format ${f.format}`);
  return (x, y, out, at) => {
    const i = p0.offset + y * p0.stride + 4 * x;
    out[at] = d[bgr ? i + 2 : i];
    out[at + 1] = d[i + 1];
    out[at + 2] = d[bgr ? i : i + 2];
  };
}

/** Whether this browser's WebGL is drawn in software (SwiftShader, llvmpipe): a booth without a graphics card. */
function softwareGL() {
  const gl = document.createElement('canvas').getContext('webgl');
  if (!gl) return true;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return /swiftshader|llvmpipe|software/i.test(name);
}

/**
 * MediaPipe's selfie segmentation (the general model, as on the server), loaded from the museum's own copy of
 * the npm package's files. It finds the people in a frame; the mask it gives is a canvas of the model's input size
 * whose alpha is how sure the model is that a pixel is a person.
 */
export class PersonMask {
  constructor() {
    const Model = /** @type {any} */ (window).SelfieSegmentation;
    if (!Model) throw new Error('selfie segmentation is not loaded');
    this.model = new Model({ locateFile: (/** @type {string} */ file) => `${VENDOR}${file}` });
    // On a booth without a graphics card WebGL is software, where the model's GPU path costs about three times its
    // CPU one (WebAssembly with SIMD); with a graphics card MediaPipe's own choice, the GPU, stands.
    this.model.setOptions({ modelSelection: 0, selfieMode: false, useCpuInference: softwareGL() });
    this.input = document.createElement('canvas');
    this.inputCtx = /** @type {CanvasRenderingContext2D} */ (this.input.getContext('2d', { willReadFrequently: true }));
    this.mask = document.createElement('canvas');
    this.maskCtx = /** @type {CanvasRenderingContext2D} */ (this.mask.getContext('2d', { willReadFrequently: true }));
    /** @type {((mask: HTMLCanvasElement) => void) | null} */
    this.waiting = null;
    /** @type {Promise<unknown>} */
    this.queue = Promise.resolve();
    this.model.onResults((/** @type {any} */ results) => {
      const m = results.segmentationMask;
      if (this.mask.width !== m.width || this.mask.height !== m.height) {
        this.mask.width = m.width;
        this.mask.height = m.height;
      }
      this.maskCtx.clearRect(0, 0, m.width, m.height);
      this.maskCtx.drawImage(m, 0, 0);
      if (this.waiting) this.waiting(this.mask);
    });
  }

  /** Size the model's input for a w x h picture. */
  _inputFor(w, h) {
    const width = SEGMENT_WIDTH;
    const height = Math.max(1, Math.round((SEGMENT_WIDTH * h) / w));
    if (this.input.width !== width || this.input.height !== height) {
      this.input.width = width;
      this.input.height = height;
    }
    return [width, height];
  }

  /**
   * Run the model on what fill() draws into its input; one frame at a time (the model's graph is not
   * re-entrant, and the live preview and the review screen share it).
   * @param {() => void} fill
   * @returns {Promise<HTMLCanvasElement>}
   */
  _run(fill) {
    const turn = this.queue.then(async () => {
      fill();
      const done = new Promise((ok) => { this.waiting = ok; });
      await this.model.send({ image: this.input });
      this.waiting = null;
      return /** @type {Promise<HTMLCanvasElement>} */ (done);
    });
    this.queue = turn.catch(() => {});
    return turn;
  }

  /**
   * Find the people in a picture (an image or canvas, w x h, drawn as it is).
   * @param {CanvasImageSource} source
   * @param {number} w
   * @param {number} h
   */
  find(source, w, h) {
    return this._run(() => {
      const [width, height] = this._inputFor(w, h);
      this.inputCtx.drawImage(source, 0, 0, width, height);
    });
  }

  /**
   * Find the people in a camera frame, mirrored as the booth's preview shows it; resolve to the mask's pixels.
   * @param {RawFrame} frame
   * @returns {Promise<ImageData>}
   */
  async findFrame(frame) {
    const mask = await this._run(() => {
      const [width, height] = this._inputFor(frame.width, frame.height);
      const image = this.inputCtx.createImageData(width, height);
      const read = pixelReader(frame);
      const out = image.data;
      for (let y = 0; y < height; y += 1) {
        const sy = Math.min(frame.height - 1, Math.floor(((y + 0.5) * frame.height) / height));
        for (let x = 0; x < width; x += 1) {
          const sx = Math.min(frame.width - 1, Math.floor(((width - 0.5 - x) * frame.width) / width));
          const at = 4 * (y * width + x);
          read(sx, sy, out, at);
          out[at + 3] = 255;
        }
      }
      this.inputCtx.putImageData(image, 0, 0);
    });
    return this.maskCtx.getImageData(0, 0, mask.width, mask.height);
  }
}

/**
 * The review screen's picture in a gallery: the people of `picture`'s part `source` [x, y, w, h], cut out by
 * `mask` (which covers the whole picture), over `behind` (props behind them, drawn at `at` [x, y, w, h] of the
 * canvas, or null) over `backdrop`, filling ctx's canvas.
 * @param {CanvasRenderingContext2D} ctx
 * @param {ImageBitmap} picture
 * @param {number[]} source
 * @param {HTMLCanvasElement} mask
 * @param {CanvasImageSource} backdrop
 * @param {{image: CanvasImageSource, at: number[]} | null} behind
 */
export function standIn(ctx, picture, source, mask, backdrop, behind) {
  const { width, height } = ctx.canvas;
  const [sx, sy, sw, sh] = source;
  const [kx, ky] = [mask.width / picture.width, mask.height / picture.height];
  ctx.save();
  ctx.globalCompositeOperation = 'copy';
  ctx.drawImage(mask, sx * kx, sy * ky, sw * kx, sh * ky, 0, 0, width, height);
  ctx.globalCompositeOperation = 'source-in';
  ctx.drawImage(picture, sx, sy, sw, sh, 0, 0, width, height);
  ctx.globalCompositeOperation = 'destination-over';
  if (behind) ctx.drawImage(behind.image, behind.at[0], behind.at[1], behind.at[2], behind.at[3]);
  ctx.drawImage(backdrop, 0, 0, width, height);
  ctx.restore();
}

/** @type {{data: Uint8Array}} */
const smaller = { data: new Uint8Array(0) };

/**
 * A YUV frame much larger than the w x h pixels it is shown at, cut down by a whole factor (luma averaged over
 * 2 x 2, chroma sampled) before it goes to the graphics side: a 12-megapixel frame is 18 MB to upload, 60 times a
 * second counting both planes' copies, for a preview of under a megapixel. Other frames are returned as they are.
 * @param {RawFrame} f
 * @param {number} w
 * @param {number} h
 * @returns {RawFrame}
 */
function shrunk(f, w, h) {
  const k = Math.floor(Math.min(f.width / Math.max(1, w), f.height / Math.max(1, h)));
  if (k < 2 || (f.format !== 'I420' && f.format !== 'NV12')) return f;
  const ow = Math.floor(f.width / k) & ~1;
  const oh = Math.floor(f.height / k) & ~1;
  const [cw, ch] = [ow / 2, oh / 2];
  const size = ow * oh + 2 * cw * ch;
  if (smaller.data.length < size) smaller.data = new Uint8Array(size);
  const out = smaller.data;
  const d = f.data;
  const [p0, p1, p2 = p1] = f.layout;
  for (let y = 0; y < oh; y += 1) {
    const row = p0.offset + y * k * p0.stride;
    const next = row + p0.stride;
    let at = y * ow;
    for (let x = 0, sx = 0; x < ow; x += 1, sx += k, at += 1) {
      out[at] = (d[row + sx] + d[row + sx + 1] + d[next + sx] + d[next + sx + 1] + 2) >> 2;
    }
  }
  const nv12 = f.format === 'NV12';
  const uAt = ow * oh;
  const vAt = uAt + cw * ch;
  for (let y = 0; y < ch; y += 1) {
    const su = p1.offset + y * k * p1.stride;
    const sv = p2.offset + y * k * p2.stride;
    for (let x = 0; x < cw; x += 1) {
      const sx = x * k;
      out[uAt + y * cw + x] = nv12 ? d[su + 2 * sx] : d[su + sx];
      out[vAt + y * cw + x] = nv12 ? d[su + 2 * sx + 1] : d[sv + sx];
    }
  }
  return { ...f, format: 'I420', width: ow, height: oh, data: out,
    layout: [{ offset: 0, stride: ow }, { offset: uAt, stride: cw }, { offset: vAt, stride: cw }] };
}

const STAGE_VERTEX = `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
}`;
// p: the window's point (y down); u: the frame's point under it (the frame is cover-fitted to rect, mirrored).
const STAGE_FRAGMENT = `
uniform sampler2D luma, chroma, chromaV, packed, mask, backdrop, behind;
uniform int mode;
uniform bool hasBehind;
uniform vec4 rect;
uniform float y0, ys, rv, gu, gv, bu;
varying vec2 vUv;
void main() {
  vec2 p = vec2(vUv.x, 1.0 - vUv.y);
  vec3 bg = texture2D(backdrop, p).rgb;
  if (hasBehind) {
    vec4 prop = texture2D(behind, p);
    bg = mix(bg, prop.rgb, prop.a);
  }
  vec2 u = (p - rect.xy) / rect.zw;
  if (u.x < 0.0 || u.y < 0.0 || u.x >= 1.0 || u.y >= 1.0) {
    gl_FragColor = vec4(bg, 1.0);
    return;
  }
  float a = texture2D(mask, u).a;
  vec2 s = vec2(1.0 - u.x, u.y);
  vec3 rgb;
  if (mode < 2) {
    float l = (texture2D(luma, s).r * 255.0 - y0) * ys;
    vec2 c = mode == 0 ? vec2(texture2D(chroma, s).r, texture2D(chromaV, s).r) : texture2D(chroma, s).rg;
    c = c * 255.0 - 128.0;
    rgb = vec3(l + rv * c.y, l - gu * c.x - gv * c.y, l + bu * c.x) / 255.0;
  } else {
    vec4 c = texture2D(packed, s);
    rgb = mode == 3 ? c.bgr : c.rgb;
  }
  gl_FragColor = vec4(mix(bg, clamp(rgb, 0.0, 1.0), a), 1.0);
}`;

/**
 * A texture of raw bytes, uploaded as they are (no colour conversion, no flip, rows packed).
 * @param {Uint8Array | Uint8ClampedArray} data
 * @param {number} w
 * @param {number} h
 * @param {THREE.PixelFormat} format
 */
function rawTexture(data, w, h, format) {
  const texture = new THREE.DataTexture(data, w, h, format, THREE.UnsignedByteType);
  texture.unpackAlignment = 1;
  texture.minFilter = THREE.LinearFilter;
  texture.magFilter = THREE.LinearFilter;
  texture.generateMipmaps = false;
  texture.flipY = false;
  texture.needsUpdate = true;
  return texture;
}

/**
 * The live preview in a gallery, drawn on its own canvas under the props' one: one quad whose shader turns the
 * camera frame's YUV into RGB, mirrors and cover-fits it, and mixes it over the gallery's view by the model's mask
 * (bilinear, on the graphics side, so the page's own thread only copies bytes). No antialiasing: the quad's
 * edges are the canvas's, and multisampling would cost a software-rendered booth a frame's time.
 */
export class LiveStage {
  /** @param {HTMLCanvasElement} canvas */
  constructor(canvas) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: false, alpha: false });
    this.renderer.setPixelRatio(1);
    this.camera = new THREE.OrthographicCamera(-0.5, 0.5, 0.5, -0.5, -1, 1);
    const blank = rawTexture(new Uint8Array(4), 1, 1, THREE.RGBAFormat);
    this.blank = blank;
    this.uniforms = {
      luma: { value: blank }, chroma: { value: blank }, chromaV: { value: blank }, packed: { value: blank },
      mask: { value: blank }, backdrop: { value: blank }, behind: { value: blank }, hasBehind: { value: false },
      mode: { value: 0 },
      rect: { value: new THREE.Vector4(0, 0, 1, 1) },
      y0: { value: 0 }, ys: { value: 1 }, rv: { value: 0 }, gu: { value: 0 }, gv: { value: 0 }, bu: { value: 0 },
    };
    this.material = new THREE.ShaderMaterial({
      uniforms: this.uniforms, vertexShader: STAGE_VERTEX, fragmentShader: STAGE_FRAGMENT,
      depthTest: false, depthWrite: false,
    });
    this.mesh = new THREE.Mesh(new THREE.PlaneGeometry(1, 1), this.material);
    this.scene = new THREE.Scene();
    this.scene.add(this.mesh);
    /** @type {Record<string, THREE.DataTexture>} */
    this.textures = {};
    this.shape = '';
    this.hasMask = false;
  }

  /** Size the canvas to w x h pixels, the frame cover-fitted to rect [x, y, w, h] of them. */
  place(w, h, rect) {
    const size = this.renderer.getSize(new THREE.Vector2());
    if (size.x !== w || size.y !== h) this.renderer.setSize(w, h, false);
    const [x, y, rw, rh] = rect;
    this.uniforms.rect.value.set(x / w, y / h, rw / w, rh / h);
  }

  /** Draw the newest frame, mask and view. */
  draw() {
    this.renderer.render(this.scene, this.camera);
  }

  /**
   * Show a canvas (window-sized) through one of the shader's pictures, in place of the one before. Its sRGB values
   * are mixed with the camera's as they are.
   * @param {'backdrop' | 'behind'} name
   * @param {HTMLCanvasElement} canvas
   */
  _useCanvas(name, canvas) {
    const old = this.uniforms[name].value;
    const texture = new THREE.CanvasTexture(canvas);
    texture.flipY = false;
    texture.colorSpace = THREE.NoColorSpace;
    texture.generateMipmaps = false;
    texture.minFilter = THREE.LinearFilter;
    this.uniforms[name].value = texture;
    if (old !== this.blank) old.dispose();
  }

  /** The gallery's view, drawn at the window's shape. @param {HTMLCanvasElement} canvas */
  setBackdrop(canvas) {
    this._useCanvas('backdrop', canvas);
  }

  /**
   * The props behind the guests, drawn over the window at the canvas's size (or null: none).
   * @param {HTMLCanvasElement | null} canvas
   */
  setBehind(canvas) {
    this.uniforms.hasBehind.value = !!canvas;
    if (canvas) this._useCanvas('behind', canvas);
  }

  /** @param {ImageData} mask the model's mask of the mirrored frame */
  setMask(mask) {
    const t = this.textures.mask;
    if (t && t.image.width === mask.width && t.image.height === mask.height) {
      t.image.data = mask.data;
      t.needsUpdate = true;
    } else {
      if (t) t.dispose();
      this.textures.mask = rawTexture(mask.data, mask.width, mask.height, THREE.RGBAFormat);
      this.uniforms.mask.value = this.textures.mask;
    }
    this.hasMask = true;
  }

  /**
   * @param {RawFrame} frame a camera frame, its planes packed (copyTo's default layout)
   * @param {number} w the window's width in the renderer's pixels
   * @param {number} h its height
   */
  setFrame(frame, w, h) {
    const f = shrunk(frame, w, h);
    const { data, layout } = f;
    [w, h] = [f.width, f.height];
    const cw = Math.ceil(w / 2);
    const ch = Math.ceil(h / 2);
    const mode = { I420: 0, NV12: 1, RGBA: 2, RGBX: 2, BGRA: 3, BGRX: 3 }[f.format];
    if (mode === undefined) throw new Error(`camera pixel format ${f.format}`);
    /** @type {[string, number, number, number, THREE.PixelFormat][]} name, offset, width, height, format */
    const planes = mode === 0 ? [['luma', layout[0].offset, w, h, THREE.RedFormat],
      ['chroma', layout[1].offset, cw, ch, THREE.RedFormat], ['chromaV', layout[2].offset, cw, ch, THREE.RedFormat]]
      : mode === 1 ? [['luma', layout[0].offset, w, h, THREE.RedFormat], ['chroma', layout[1].offset, cw, ch, THREE.RGFormat]]
        : [['packed', layout[0].offset, w, h, THREE.RGBAFormat]];
    const shape = `${f.format}:${w}x${h}`;
    for (const [name, offset, pw, ph, format] of planes) {
      const channels = format === THREE.RGBAFormat ? 4 : format === THREE.RGFormat ? 2 : 1;
      const bytes = data.subarray(offset, offset + pw * ph * channels);
      const t = this.textures[name];
      if (t && shape === this.shape) {
        t.image.data = bytes;
        t.needsUpdate = true;
      } else {
        if (t) t.dispose();
        this.textures[name] = rawTexture(bytes, pw, ph, format);
        this.uniforms[name].value = this.textures[name];
      }
    }
    this.shape = shape;
    const u = this.uniforms;
    u.mode.value = mode;
    for (const [name, value] of Object.entries(yuvCoefficients(f))) u[name].value = value;
  }
}

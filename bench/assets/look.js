// The look benchmark's renderer: three.js draws one model's variants from the same fixed views.
// window.renderVariants(urls, size) loads every URL with GLTFLoader (Draco, KTX2 and meshopt decoders served
// beside the page), frames the views by the FIRST model's bounds (the original), lights them with a neutral
// room environment and answers {url: [PNG data URL per view]}. Scenes are drawn at rest: no animation plays.
import * as THREE from 'three';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

// Azimuth and elevation in degrees: front-right from above, back-left, and the left side from slightly below.
const VIEWS = [[35, 20], [-145, 25], [-80, -10]];

const renderer = new THREE.WebGLRenderer({ antialias: true, preserveDrawingBuffer: true });
renderer.setPixelRatio(1);
renderer.outputColorSpace = THREE.SRGBColorSpace;
renderer.toneMapping = THREE.NeutralToneMapping;
document.body.appendChild(renderer.domElement);
const environment = new THREE.PMREMGenerator(renderer).fromScene(new RoomEnvironment(), 0.04).texture;

const draco = new DRACOLoader().setDecoderPath('./draco/');
const ktx2 = new KTX2Loader().setTranscoderPath('./basis/').detectSupport(renderer);
const loader = new GLTFLoader().setDRACOLoader(draco).setKTX2Loader(ktx2).setMeshoptDecoder(MeshoptDecoder);

function cameraFor(box, azimuth, elevation) {
  const sphere = box.getBoundingSphere(new THREE.Sphere());
  const camera = new THREE.PerspectiveCamera(35, 1, sphere.radius / 100, sphere.radius * 100);
  const a = THREE.MathUtils.degToRad(azimuth);
  const e = THREE.MathUtils.degToRad(elevation);
  const distance = sphere.radius / Math.sin(THREE.MathUtils.degToRad(35 / 2)) * 1.05;
  const direction = new THREE.Vector3(Math.sin(a) * Math.cos(e), Math.sin(e), Math.cos(a) * Math.cos(e));
  camera.position.copy(sphere.center).addScaledVector(direction, distance);
  camera.lookAt(sphere.center);
  return camera;
}

window.renderVariants = async (urls, size) => {
  renderer.setSize(size, size);
  const scenes = [];
  for (const url of urls) {
    try {
      const gltf = await loader.loadAsync(url);
      const scene = new THREE.Scene();
      scene.background = new THREE.Color(0.5, 0.5, 0.5);
      scene.environment = environment;
      scene.add(gltf.scene);
      scene.updateMatrixWorld(true);
      scenes.push({ url, scene });
    } catch (err) {
      scenes.push({ url, error: String(err && err.message ? err.message : err) });
    }
  }
  if (scenes[0].error) return { error: scenes[0].error };
  const box = new THREE.Box3().setFromObject(scenes[0].scene, true);
  const cameras = VIEWS.map(([a, e]) => cameraFor(box, a, e));
  const out = {};
  for (const { url, scene, error } of scenes) {
    if (error) {
      out[url] = { error };
      continue;
    }
    out[url] = cameras.map((camera) => {
      renderer.render(scene, camera);
      return renderer.domElement.toDataURL('image/png');
    });
  }
  for (const { scene } of scenes) {
    scene?.traverse((o) => {
      o.geometry?.dispose();
      for (const m of [].concat(o.material || [])) {
        for (const v of Object.values(m)) if (v && v.isTexture) v.dispose();
        m.dispose();
      }
    });
  }
  return out;
};
window.lookReady = true;

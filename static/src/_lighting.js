// A gallery's light, the same wherever the gallery is drawn: the visitors' viewer and the photo booth's backdrop.
import { Color, DirectionalLight, HemisphereLight, PMREMGenerator, Vector3 } from 'three';
import { RoomEnvironment } from 'three/examples/jsm/environments/RoomEnvironment.js';

const REFLECTIONS = 0.35; // how strongly metals and glass reflect the soft studio room

/**
 * Light `scene` as a gallery's lighting preset says: its background colour and exposure, a sky-and-ground light
 * and a key light. Returns the lights, to be added to the gallery's content (removed with it).
 * @param {import('three').Scene} scene
 * @param {import('three').WebGLRenderer} renderer
 * @param {any} light the preset (`lighting` of a gallery's manifest or backdrop), or nothing for the default
 * @returns {import('three').Object3D[]}
 */
export function galleryLights(scene, renderer, light) {
  const preset = light || {};
  scene.background = new Color(preset.background || '#1e1e22');
  renderer.toneMappingExposure = preset.exposure ?? 1;
  const ambient = preset.ambient || { color: '#ffffff', intensity: 0.6 };
  const key = preset.key || { color: '#ffffff', intensity: 2, direction: [-0.3, -1, -0.2] };
  const sun = new DirectionalLight(key.color, key.intensity);
  sun.position.copy(new Vector3(...key.direction).normalize()).multiplyScalar(-10);
  return [new HemisphereLight(ambient.color, '#3a3026', ambient.intensity * 1.6), sun, sun.target];
}

/**
 * Give metals and glass something to reflect: a soft studio room, at the museum's one strength.
 * @param {import('three').Scene} scene
 * @param {import('three').WebGLRenderer} renderer
 */
export function roomReflections(scene, renderer) {
  const pmrem = new PMREMGenerator(renderer);
  scene.environment = pmrem.fromScene(new RoomEnvironment(), 0.04).texture;
  pmrem.dispose();
  scene.environmentIntensity = REFLECTIONS;
}

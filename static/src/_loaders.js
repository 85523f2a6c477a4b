// The glTF loader the museum's pages read galleries and exhibits with: every compression the asset pipeline writes
// (meshopt, Draco, KTX2 textures), decoded by the museum's own copies of the decoders in static/vendor.
import { DRACOLoader } from 'three/examples/jsm/loaders/DRACOLoader.js';
import { GLTFLoader } from 'three/examples/jsm/loaders/GLTFLoader.js';
import { KTX2Loader } from 'three/examples/jsm/loaders/KTX2Loader.js';
import { MeshoptDecoder } from 'three/examples/jsm/libs/meshopt_decoder.module.js';

/**
 * A GLTFLoader for scenes drawn by `renderer` (KTX2 textures are transcoded to what its GPU supports).
 * @param {import('three').WebGLRenderer} renderer
 */
export function museumLoader(renderer) {
  const loader = new GLTFLoader();
  loader.setMeshoptDecoder(MeshoptDecoder);
  loader.setDRACOLoader(new DRACOLoader().setDecoderPath('/static/vendor/draco/gltf/'));
  loader.setKTX2Loader(new KTX2Loader().setTranscoderPath('/static/vendor/basis/').detectSupport(renderer));
  return loader;
}

// "See it in your room": one exhibit in the visitor's room through WebXR immersive-ar, placed on a real surface
// by hit test where the device offers it, otherwise 1.5 m in front of them.
import { Box3, Group, HemisphereLight, Matrix4, Scene, Vector3 } from 'three';

export async function seeInRoom(viewer, exhibit) {
  const model = exhibit.models?.phone || exhibit.models?.desktop || exhibit.models?.original;
  if (!model) return;
  const session = await /** @type {import('./_xr.js').XRNavigator} */ (navigator).xr.requestSession('immersive-ar', { optionalFeatures: ['local-floor', 'hit-test'] });
  const scene = new Scene();
  scene.add(new HemisphereLight('#ffffff', '#444444', 2.5));
  const gltf = await viewer.gltf.loadAsync(model.url);
  const holder = new Group();
  holder.add(gltf.scene);
  const size = new Box3().setFromObject(gltf.scene).getSize(new Vector3());
  if (exhibit.real_height_m && size.y > 0) gltf.scene.scale.setScalar(exhibit.real_height_m / size.y);
  scene.add(holder);
  const renderer = viewer.renderer;
  const background = viewer.scene.background;
  viewer.override = { scene, camera: viewer.camera };
  await renderer.xr.setSession(session);
  const ahead = new Vector3(0, 0, -1.5).applyMatrix4(viewer.rig.matrixWorld);
  holder.position.copy(ahead);
  let hitSource = null;
  try {
    const viewerSpace = await session.requestReferenceSpace('viewer');
    hitSource = await session.requestHitTestSource?.({ space: viewerSpace });
  } catch { /* no hit test: the model stays in front of the visitor */ }
  let placed = false;
  session.addEventListener('select', () => { placed = true; });
  const onFrame = (dt, frame) => {
    if (!frame || !hitSource || placed) return;
    const hit = frame.getHitTestResults(hitSource)[0];
    const pose = hit?.getPose(renderer.xr.getReferenceSpace());
    if (pose) holder.position.setFromMatrixPosition(new Matrix4().fromArray(pose.transform.matrix).premultiply(viewer.rig.matrixWorld));
  };
  viewer.onFrame.push(onFrame);
  session.addEventListener('end', () => {
    viewer.onFrame.splice(viewer.onFrame.indexOf(onFrame), 1);
    viewer.override = null;
    viewer.scene.background = background;
    hitSource?.cancel?.();
  });
}

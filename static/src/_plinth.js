// The plinth an exhibit stands on, drawn with three.js from its placement's `plinth` (as scenes/plinth.py builds it
// for the whole-gallery GLB): a base, a body, a cap, the label plate and, when it has one, a glass case. Its origin is
// the plinth's top centre, the placement's position, so it goes into the exhibit's holder and moves and turns with it.
import { BoxGeometry, Group, Mesh, MeshPhysicalMaterial, MeshStandardMaterial } from 'three';

const FINISHES = {
  walnut: { body: { color: '#4d2b14', roughness: 0.5 }, trim: { color: '#cc9e47', metalness: 1, roughness: 0.28 } },
  white: { body: { color: '#edeff2', roughness: 0.35 }, trim: { color: '#9ea1a6', metalness: 1, roughness: 0.5 } },
};
export const PLATE_SIZE = [0.22, 0.12];

function block(size, centre, material) {
  const mesh = new Mesh(new BoxGeometry(...size), material);
  mesh.position.set(...centre);
  mesh.userData.plinth = true; // looked through by picking, as the room is: it is not what the visitor opens
  return mesh;
}

/** Make the plinth group (metres, top centre at the origin) of a placement's plinth {width_m, depth_m, height_m,
 * case_height_m, finish}. */
export function plinthGroup(plinth) {
  const { width_m: w, depth_m: d, height_m: h } = plinth;
  const glass = plinth.case_height_m || 0;
  const finish = FINISHES[plinth.finish] || FINISHES.walnut;
  const body = new MeshStandardMaterial(finish.body);
  const trim = new MeshStandardMaterial(finish.trim);
  const group = new Group();
  group.name = 'plinth';
  const core = Math.max(h - 0.11, 0.001);
  group.add(
    block([w + 0.04, 0.08, d + 0.04], [0, 0.04 - h, 0], trim),
    block([w, core, d], [0, 0.08 + core / 2 - h, 0], body),
    block([w + 0.03, 0.03, d + 0.03], [0, -0.015, 0], trim),
  );
  if (glass > 0) {
    const pane = new MeshPhysicalMaterial({ color: '#d9edf5', transparent: true, opacity: 0.22, roughness: 0.05,
      metalness: 0, depthWrite: false });
    const caseMesh = block([w - 0.02, glass, d - 0.02], [0, glass / 2, 0], pane);
    caseMesh.name = 'plinth-case';
    caseMesh.renderOrder = 1;
    group.add(caseMesh);
    for (const x of [-1, 1]) for (const z of [-1, 1]) {
      group.add(block([0.012, glass, 0.012], [x * (w / 2 - 0.016), glass / 2, z * (d / 2 - 0.016)], trim));
    }
  }
  group.userData.plinth = true;
  return group;
}

// Repair what the Khronos validator reports and the pipeline can fix safely, with glTF-Transform.
// repairModel(input, output, codes) reads a GLB (no Draco or meshopt data: the caller decodes those first),
// applies the repairs the error codes call for and writes a GLB. It answers one row per repair made:
// {code, pointer, count, action}. Indices of meshes and primitives are those of the input.
// The accessor minimum and maximum that POSITION and animation inputs need are rewritten from the data on
// every write, which is the repair of ACCESSOR_MIN_MISMATCH, ACCESSOR_MAX_MISMATCH and
// MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS.
'use strict';
const fs = require('fs');
const path = require('path');
const { NodeIO, Primitive } = require('@gltf-transform/core');
const { ALL_EXTENSIONS } = require('@gltf-transform/extensions');
const { unweldPrimitive } = require('@gltf-transform/functions');
const { generateTangents } = require('mikktspace');

// Material slots whose texture is read in tangent space (the validator's list for MESH_PRIMITIVE_NO_TANGENT_SPACE).
function tangentTexcoord(material) {
  if (!material) return null;
  const normal = material.getNormalTextureInfo();
  if (material.getNormalTexture() && normal) return normal.getTexCoord();
  const clearcoat = material.getExtension('KHR_materials_clearcoat');
  if (clearcoat && clearcoat.getClearcoatNormalTexture()) return clearcoat.getClearcoatNormalTextureInfo().getTexCoord();
  const anisotropy = material.getExtension('KHR_materials_anisotropy');
  if (anisotropy && anisotropy.getAnisotropyTexture()) return anisotropy.getAnisotropyTextureInfo().getTexCoord();
  return null;
}

function float32(accessor) {
  // Normalized integer data (quantized normals or UVs) is read as the floats it stands for.
  const out = new Float32Array(accessor.getCount() * accessor.getElementSize());
  const element = [];
  for (let i = 0; i < accessor.getCount(); i++) {
    accessor.getElement(i, element);
    out.set(element, i * element.length);
  }
  return out;
}

function flatNormals(doc, prim) {
  // glTF: a primitive without normals is drawn with flat normals; store exactly those.
  const position = float32(prim.getAttribute('POSITION'));
  const normal = new Float32Array(position.length);
  for (let i = 0; i + 8 < position.length; i += 9) {
    const ax = position[i + 3] - position[i], ay = position[i + 4] - position[i + 1], az = position[i + 5] - position[i + 2];
    const bx = position[i + 6] - position[i], by = position[i + 7] - position[i + 1], bz = position[i + 8] - position[i + 2];
    let nx = ay * bz - az * by, ny = az * bx - ax * bz, nz = ax * by - ay * bx;
    const length = Math.hypot(nx, ny, nz);
    if (length > 0) { nx /= length; ny /= length; nz /= length; } else { nx = 0; ny = 0; nz = 1; }
    for (let k = 0; k < 3; k++) normal.set([nx, ny, nz], i + 3 * k);
  }
  const buffer = prim.getAttribute('POSITION').getBuffer();
  prim.setAttribute('NORMAL', doc.createAccessor().setType('VEC3').setArray(normal).setBuffer(buffer));
}

function generateTangentSpace(doc, rows) {
  let tangents = 0;
  let normals = 0;
  let first = null;
  let firstNormals = null;
  const meshes = doc.getRoot().listMeshes();
  meshes.forEach((mesh, m) => {
    mesh.listPrimitives().forEach((prim, p) => {
      const texcoord = tangentTexcoord(prim.getMaterial());
      if (texcoord === null || prim.getAttribute('TANGENT') || prim.getMode() !== Primitive.Mode.TRIANGLES) return;
      const uv = prim.getAttribute(`TEXCOORD_${texcoord}`) || prim.getAttribute('TEXCOORD_0');
      if (!uv || !prim.getAttribute('POSITION')) return;
      // MikkTSpace works on separate triangles; gltfpack welds equal vertices again when it builds the tiers.
      unweldPrimitive(prim);
      const pointer = `/meshes/${m}/primitives/${p}`;
      if (!prim.getAttribute('NORMAL')) {
        flatNormals(doc, prim);
        normals += 1;
        firstNormals = firstNormals || `${pointer}/attributes`;
      }
      const set = prim.getAttribute(`TEXCOORD_${texcoord}`) || prim.getAttribute('TEXCOORD_0');
      const result = generateTangents(
        float32(prim.getAttribute('POSITION')), float32(prim.getAttribute('NORMAL')), float32(set));
      // MikkTSpace's bitangent sign is for UVs with the origin at the bottom; glTF's origin is at the top.
      for (let i = 3; i < result.length; i += 4) result[i] *= -1;
      const buffer = prim.getAttribute('POSITION').getBuffer();
      prim.setAttribute('TANGENT', doc.createAccessor().setType('VEC4').setArray(result).setBuffer(buffer));
      tangents += 1;
      first = first || `${pointer}/material`;
    });
  });
  if (normals) {
    rows.push({ code: 'MESH_PRIMITIVE_NO_TANGENT_SPACE', pointer: firstNormals, count: normals,
      action: 'generated flat normals (what a viewer draws for a mesh without normals) so tangents could be made' });
  }
  if (tangents) {
    rows.push({ code: 'MESH_PRIMITIVE_NO_TANGENT_SPACE', pointer: first, count: tangents,
      action: 'generated MikkTSpace tangents for primitives whose material reads a normal map' });
  }
}

function eachVertexAccessor(doc, semantic, visit) {
  const seen = new Set();
  for (const mesh of doc.getRoot().listMeshes()) {
    for (const prim of mesh.listPrimitives()) {
      const accessor = prim.getAttribute(semantic);
      if (accessor && !seen.has(accessor)) {
        seen.add(accessor);
        visit(accessor);
      }
    }
  }
}

function normaliseVectors(doc, rows) {
  let fixed = 0;
  const element = [];
  for (const semantic of ['NORMAL', 'TANGENT']) {
    eachVertexAccessor(doc, semantic, (accessor) => {
      for (let i = 0; i < accessor.getCount(); i++) {
        accessor.getElement(i, element);
        const length = Math.hypot(element[0], element[1], element[2]);
        if (length > 0 && Math.abs(length - 1) > 5e-4) {
          element[0] /= length; element[1] /= length; element[2] /= length;
          accessor.setElement(i, element);
          fixed += 1;
        }
      }
    });
  }
  if (fixed) rows.push({ code: 'ACCESSOR_VECTOR3_NON_UNIT', pointer: null, count: fixed,
    action: 'scaled normals and tangents to unit length' });
}

function tangentSigns(doc, rows) {
  let fixed = 0;
  const element = [];
  eachVertexAccessor(doc, 'TANGENT', (accessor) => {
    for (let i = 0; i < accessor.getCount(); i++) {
      accessor.getElement(i, element);
      if (element[3] !== 1 && element[3] !== -1) {
        element[3] = element[3] < 0 ? -1 : 1;
        accessor.setElement(i, element);
        fixed += 1;
      }
    }
  });
  if (fixed) rows.push({ code: 'ACCESSOR_INVALID_SIGN', pointer: null, count: fixed,
    action: 'set the tangents\' handedness (w) to 1 or -1 by its sign' });
}

function normaliseWeights(doc, rows) {
  let fixed = 0;
  for (const mesh of doc.getRoot().listMeshes()) {
    for (const prim of mesh.listPrimitives()) {
      const sets = prim.listSemantics().filter((s) => s.startsWith('WEIGHTS_')).sort().map((s) => prim.getAttribute(s));
      if (!sets.length || sets.some((a) => a.getType() !== 'VEC4')) continue;
      const count = sets[0].getCount();
      const element = [];
      for (let i = 0; i < count; i++) {
        const values = sets.flatMap((a) => { a.getElement(i, element); return element.slice(); });
        const sum = values.reduce((s, v) => s + v, 0);
        if (sum <= 0 || Math.abs(sum - 1) <= 2e-7 * values.length) continue;
        const scaled = values.map((v) => Math.max(v, 0) / sum);
        sets.forEach((a, k) => a.setElement(i, scaled.slice(4 * k, 4 * k + 4)));
        fixed += 1;
      }
    }
  }
  if (fixed) rows.push({ code: 'ACCESSOR_WEIGHTS_NON_NORMALIZED', pointer: null, count: fixed,
    action: 'scaled skin weights so each vertex\'s weights add up to 1' });
}

function normaliseRotations(doc, rows) {
  let fixed = 0;
  let first = null;
  doc.getRoot().listNodes().forEach((node, n) => {
    const q = node.getRotation();
    const length = Math.hypot(q[0], q[1], q[2], q[3]);
    if (length > 0 && Math.abs(length - 1) > 5e-6) {
      node.setRotation(q.map((v) => v / length));
      fixed += 1;
      first = first || `/nodes/${n}/rotation`;
    }
  });
  if (fixed) rows.push({ code: 'ROTATION_NON_UNIT', pointer: first, count: fixed,
    action: 'scaled node rotations to unit quaternions' });
}

const REPAIRS = {
  MESH_PRIMITIVE_NO_TANGENT_SPACE: generateTangentSpace,
  ACCESSOR_VECTOR3_NON_UNIT: normaliseVectors,
  ACCESSOR_INVALID_SIGN: tangentSigns,
  ACCESSOR_WEIGHTS_NON_NORMALIZED: normaliseWeights,
  ROTATION_NON_UNIT: normaliseRotations,
};
const REWRITTEN = ['ACCESSOR_MIN_MISMATCH', 'ACCESSOR_MAX_MISMATCH', 'MESH_PRIMITIVE_POSITION_ACCESSOR_WITHOUT_BOUNDS'];

async function repairModel(input, output, codes) {
  const io = new NodeIO(fs, path).setAllowNetwork(false).registerExtensions(ALL_EXTENSIONS);
  const doc = await io.read(input);
  const rows = [];
  for (const [code, repair] of Object.entries(REPAIRS)) {
    if (codes.includes(code)) repair(doc, rows);
  }
  for (const code of REWRITTEN) {
    if (codes.includes(code)) rows.push({ code, pointer: null, count: 1, action: 'rewrote accessor bounds from the data' });
  }
  await io.write(output, doc);
  return rows;
}

module.exports = { repairModel, REPAIRABLE: [...Object.keys(REPAIRS), ...REWRITTEN] };

// Decode KHR_draco_mesh_compression: read a glTF/GLB, write a GLB with plain accessors and nothing else changed.
// Usage: node undraco.cjs IN OUT. Resources are read only from the input's folder.
'use strict';
const fs = require('fs');
const path = require('path');
const { NodeIO } = require('@gltf-transform/core');
const { ALL_EXTENSIONS, KHRDracoMeshCompression } = require('@gltf-transform/extensions');
const draco3d = require('draco3dgltf');

async function main() {
  const [input, output] = process.argv.slice(2);
  const io = new NodeIO(fs, path)
    .setAllowNetwork(false)
    .registerExtensions(ALL_EXTENSIONS)
    .registerDependencies({ 'draco3d.decoder': await draco3d.createDecoderModule() });
  const doc = await io.read(input);
  for (const ext of doc.getRoot().listExtensionsUsed()) {
    if (ext instanceof KHRDracoMeshCompression) ext.dispose();
  }
  await io.write(output, doc);
}

main().catch((err) => {
  process.stderr.write(String(err && err.message ? err.message : err));
  process.exit(2);
});

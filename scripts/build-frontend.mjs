// Bundle the visitor pages (static/src/*.js -> static/build/) and copy the decoders three.js loads at run time
// (Draco, Basis/KTX2; meshopt is bundled) and the WebXR controller profiles into static/vendor/, so the museum
// serves everything itself. Every bundle, stylesheet and decoder also gets a precompressed .gz beside it.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const three = join(root, 'node_modules', 'three', 'examples', 'jsm', 'libs');
const vendor = join(root, 'static', 'vendor');
mkdirSync(vendor, { recursive: true });
for (const dir of ['draco', 'basis']) {
  cpSync(join(three, dir), join(vendor, dir), { recursive: true });
}
const profiles = join(root, 'node_modules', '@webxr-input-profiles', 'assets', 'dist', 'profiles');
const profilesOut = join(vendor, 'webxr-input-profiles');
if (existsSync(profiles) && !existsSync(join(profilesOut, 'profilesList.json'))) {
  cpSync(profiles, profilesOut, { recursive: true });
}
// The booth's person segmentation: MediaPipe's script, its WASM (SIMD and plain) and its models, as the package ships
// them (the script loads the rest from beside itself through locateFile).
const selfie = join(root, 'node_modules', '@mediapipe', 'selfie_segmentation');
const selfieOut = join(vendor, 'selfie_segmentation');
if (existsSync(selfie)) {
  mkdirSync(selfieOut, { recursive: true });
  for (const name of readdirSync(selfie)) {
    if (/\.(js|wasm|tflite|binarypb|data)$/.test(name)) cpSync(join(selfie, name), join(selfieOut, name));
  }
}
rmSync(join(root, 'static', 'build'), { recursive: true, force: true });

const srcDir = join(root, 'static', 'src');
const entries = existsSync(srcDir)
  ? readdirSync(srcDir).filter((f) => f.endsWith('.js') && !f.startsWith('_')).map((f) => join(srcDir, f))
  : [];
if (entries.length) {
  await build({
    entryPoints: entries,
    bundle: true,
    format: 'esm',
    splitting: true,
    minify: true,
    sourcemap: true,
    target: ['es2020'],
    outdir: join(root, 'static', 'build'),
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
    logLevel: 'warning',
  });
}

function gzipTree(dir, pattern) {
  if (!existsSync(dir)) return 0;
  let count = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) count += gzipTree(path, pattern);
    else if (pattern.test(name)) {
      writeFileSync(`${path}.gz`, gzipSync(readFileSync(path), { level: 9 }));
      count += 1;
    }
  }
  return count;
}
const zipped = gzipTree(join(root, 'static', 'build'), /\.(js|css)$/)
  + gzipTree(join(vendor, 'draco'), /\.(js|wasm)$/) + gzipTree(join(vendor, 'basis'), /\.(js|wasm)$/)
  + gzipTree(profilesOut, /\.json$/) + gzipTree(selfieOut, /\.(js|wasm)$/);
console.log(`built ${entries.length} page bundle(s); decoders in static/vendor; ${zipped} files gzipped`);

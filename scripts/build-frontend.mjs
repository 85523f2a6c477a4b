// Bundle the visitor pages (static/src/*.js -> static/build/) and copy the decoders three.js loads at run time
// (Draco, Basis/KTX2, meshopt) into static/vendor/, so the museum serves everything itself.
import { build } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const three = join(root, 'node_modules', 'three', 'examples', 'jsm', 'libs');
const vendor = join(root, 'static', 'vendor');
mkdirSync(vendor, { recursive: true });
for (const dir of ['draco', 'basis']) {
  cpSync(join(three, dir), join(vendor, dir), { recursive: true });
}

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
console.log(`built ${entries.length} page bundle(s); decoders in static/vendor`);

// One node process per ingest for the npm tools it needs: the Khronos validator, gltfpack and the repairs.
// Requests arrive as JSON lines on stdin: {"id", "op": "validate", "files": [...]},
// {"id", "op": "gltfpack", "args": [...]} or {"id", "op": "repair", "input", "output", "codes": [...]};
// each answer is one JSON line {"id", "result"} or {"id", "error"}.
// Starting node once instead of once per tool call is most of the wall time on small models.
import fs from 'fs';
import path from 'path';
import readline from 'readline';
import { createRequire } from 'module';
import { pathToFileURL } from 'url';

const require = createRequire(import.meta.url);
const { validateOne } = require('./validate.cjs');
const { repairModel } = require('./repair.cjs');
const modules = process.env.NODE_PATH;
const gltfpack = await import(pathToFileURL(path.join(modules, 'gltfpack', 'library.js')).href);

const io = {
  read: (file) => fs.readFileSync(file),
  write: (file, data) => fs.writeFileSync(file, data),
};

async function handle(request) {
  if (request.op === 'validate') {
    const maxIssues = Number(process.env.GLTF_VALIDATOR_MAX_ISSUES || 200);
    const out = [];
    for (const file of request.files) {
      try {
        out.push(await validateOne(file, maxIssues));
      } catch (err) {
        out.push({ fatal: String(err && err.message ? err.message : err) });
      }
    }
    return out;
  }
  if (request.op === 'gltfpack') {
    return await gltfpack.pack(request.args, io);
  }
  if (request.op === 'repair') {
    return await repairModel(request.input, request.output, request.codes);
  }
  throw new Error('unknown op ' + request.op);
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const request = JSON.parse(line);
  handle(request).then(
    (result) => process.stdout.write(JSON.stringify({ id: request.id, result }) + '\n'),
    (err) => process.stdout.write(JSON.stringify({ id: request.id, error: String(err && err.message ? err.message : err) }) + '\n'),
  );
});

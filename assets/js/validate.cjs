// Validate glTF files with the Khronos glTF-Validator.
// Reads a JSON array of file paths on stdin, writes one JSON report per path (a JSON array) on stdout.
// External resources are resolved only inside the folder of the file being validated.
'use strict';
const fs = require('fs');
const path = require('path');
const validator = require('gltf-validator');

function readStdin() {
  return fs.readFileSync(0, 'utf8');
}

async function validateOne(file, maxIssues) {
  const dir = path.resolve(path.dirname(file));
  const bytes = new Uint8Array(fs.readFileSync(file));
  const options = {
    uri: path.basename(file),
    maxIssues,
    externalResourceFunction: (uri) => new Promise((resolve, reject) => {
      const target = path.resolve(dir, decodeURIComponent(uri));
      if (target !== dir && !target.startsWith(dir + path.sep)) {
        reject(new Error('resource outside the upload: ' + uri));
        return;
      }
      fs.readFile(target, (err, data) => (err ? reject(err) : resolve(new Uint8Array(data))));
    }),
  };
  if (file.toLowerCase().endsWith('.gltf')) {
    return validator.validateString(Buffer.from(bytes).toString('utf8'), options);
  }
  return validator.validateBytes(bytes, options);
}

async function main() {
  const files = JSON.parse(readStdin());
  const maxIssues = Number(process.env.GLTF_VALIDATOR_MAX_ISSUES || 200);
  const out = [];
  for (const file of files) {
    try {
      out.push(await validateOne(file, maxIssues));
    } catch (err) {
      out.push({ fatal: String(err && err.message ? err.message : err) });
    }
  }
  process.stdout.write(JSON.stringify(out));
}

module.exports = { validateOne };

if (require.main === module) {
  main().catch((err) => {
    process.stderr.write(String(err && err.stack ? err.stack : err));
    process.exit(2);
  });
}

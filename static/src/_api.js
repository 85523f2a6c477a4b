// The museum's JSON API, always asked in the visitor's language.
import { lang } from './_i18n.js';

/** Fetch JSON from the API with ?lang= added; throw an Error carrying the HTTP status on failure. */
export async function getJSON(path, params = {}) {
  const url = new URL(path, location.origin);
  url.searchParams.set('lang', lang());
  for (const [k, v] of Object.entries(params)) if (v != null) url.searchParams.set(k, v);
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  if (!response.ok) {
    const error = new Error(`${response.status} ${url.pathname}`);
    error.status = response.status;
    throw error;
  }
  return response.json();
}

/** Fetch a file's bytes, reporting each chunk's size as it arrives. */
export async function fetchBytes(url, onChunk) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${response.status} ${url}`);
  if (!response.body) {
    const buffer = await response.arrayBuffer();
    onChunk(buffer.byteLength);
    return buffer;
  }
  const reader = response.body.getReader();
  const parts = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    size += value.byteLength;
    onChunk(value.byteLength);
  }
  const out = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) { out.set(part, offset); offset += part.byteLength; }
  return out.buffer;
}

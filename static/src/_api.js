// The museum's JSON API: reading in the visitor's language, and the studio's signed-in changes.
import { lang } from './_i18n.js';

/**
 * Fetch JSON from the API with ?lang= added; throw an Error carrying the HTTP status on failure.
 * @param {string} path
 * @param {object} [params]
 * @param {{headers?: Record<string, string>}} [options]
 */
export async function getJSON(path, params = {}, { headers = { Accept: 'application/json' } } = {}) {
  const url = new URL(path, location.origin);
  url.searchParams.set('lang', lang());
  for (const [k, v] of Object.entries(params)) if (v != null) url.searchParams.set(k, v);
  const response = await fetch(url, { headers });
  if (!response.ok) {
    const error = /** @type {Error & {status?: number}} */ (new Error(`${response.status} ${url.pathname}`));
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

// Calls that change things (the studio, signed in): the session's CSRF token on every change, errors as ApiError.
let csrfToken = null;

/** Remember the session's CSRF token (null after signing out). */
export function setCsrf(token) { csrfToken = token; }

/** An error answered by the API: its HTTP status and the error's code, message and JSON pointer. */
export class ApiError extends Error {
  constructor(status, error) {
    super(error.message || `HTTP ${status}`);
    this.status = status;
    this.code = error.code || 'error';
    this.pointer = error.pointer || null;
  }
}

/** Call the API with a method and a JSON (or FormData) body; return its JSON, or null for 204; throw ApiError. */
export async function api(method, url, body, headers = {}) {
  /** @type {RequestInit & {headers: Record<string, string>}} */
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (method !== 'GET' && csrfToken) init.headers['X-CSRF-Token'] = csrfToken;
  if (body !== undefined && !(body instanceof FormData)) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  } else if (body instanceof FormData) {
    init.body = body;
  }
  const response = await fetch(url, init);
  if (response.status === 204) return null;
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new ApiError(response.status, data.error || {});
  return data;
}

/** Upload a file with a progress callback (fetch cannot report upload progress). */
export function upload(url, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Accept', 'application/json');
    if (csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    xhr.onload = () => {
      let data = {};
      try { data = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
      if (xhr.status >= 200 && xhr.status < 300) resolve(data);
      else reject(new ApiError(xhr.status, data.error || {}));
    };
    xhr.onerror = () => reject(new ApiError(0, { code: 'upload_interrupted',
      message: 'The upload was interrupted; check the connection.' }));
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}

// Small helpers to build the studio's pages from plain DOM nodes (never innerHTML with data).

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

let statusTimer = null;

export function say(message, bad = false) {
  const box = document.getElementById('status');
  box.textContent = message;
  box.classList.toggle('bad', bad);
  clearTimeout(statusTimer);
  if (!bad && message) statusTimer = setTimeout(() => { box.textContent = ''; }, 6000);
}

export function badge(status) {
  const words = { draft: 'Draft', review: 'In review', published: 'Published' };
  return h('span', { class: `badge ${status}` }, words[status] || status);
}

export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  return h('div', {}, h('label', { for: id }, label, hint ? h('span', { class: 'hint' }, ` — ${hint}`) : null), input);
}

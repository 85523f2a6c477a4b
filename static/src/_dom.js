// A tiny element builder: h('button.big', {onclick}, 'text', child...).

/**
 * The tag at the start of an h() spec: "input.big#name" -> "input" (a spec that is not a literal stays string).
 * @template {string} S
 * @typedef {(S extends `${infer A}#${string}` ? A : S) extends infer B
 *   ? (B extends `${infer C}.${string}` ? C : B) : never} SpecTag
 */

/**
 * The element h() creates for a spec: the tag's own element type, or HTMLElement.
 * @template {string} S
 * @typedef {SpecTag<S> extends keyof HTMLElementTagNameMap
 *   ? HTMLElementTagNameMap[SpecTag<S>] : HTMLElement} SpecElement
 */

/**
 * Create an element from "tag.class#id", properties/attributes and children.
 * @template {string} S
 * @param {S} spec
 * @param {object} [props]
 * @param {...unknown} children
 * @returns {SpecElement<S>}
 */
export function h(spec, props = {}, ...children) {
  const [, tag = 'div', rest = ''] = /^([a-z0-9]*)(.*)$/i.exec(spec);
  const el = document.createElement(tag || 'div');
  for (const part of rest.match(/[.#][^.#]+/g) || []) {
    if (part[0] === '.') el.classList.add(part.slice(1));
    else el.id = part.slice(1);
  }
  for (const [key, value] of Object.entries(props || {})) {
    if (value == null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'html') el.innerHTML = value;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return /** @type {SpecElement<S>} */ (el);
}

/** Wrap an input in a labelled block, with an optional hint after the label. */
export function field(label, input, hint) {
  const id = input.id || `f-${Math.random().toString(36).slice(2)}`;
  input.id = id;
  return h('div', {}, h('label', { for: id }, label, hint ? h('span', { class: 'hint' }, ` — ${hint}`) : null), input);
}

/** Split a text into paragraphs. */
export function paragraphs(text) {
  return String(text || '').split(/\n\s*\n/).filter((p) => p.trim()).map((p) => h('p', {}, p.trim()));
}

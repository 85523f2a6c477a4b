// The studio's status line and workflow badges.
import { h } from './_dom.js';
import { t } from './_i18n.js';

let statusTimer = null;

/** Say something in the status line; a good message fades after a while, a bad one stays. */
export function say(message, bad = false) {
  const box = document.getElementById('status');
  box.textContent = message;
  box.classList.toggle('bad', bad);
  clearTimeout(statusTimer);
  if (!bad && message) statusTimer = setTimeout(() => { box.textContent = ''; }, 6000);
}

/** Show a workflow state; `live` content in draft or review is published, with its changes waiting. */
export function badge(status, live = false) {
  const changes = { draft: 'liveChangesDraft', review: 'liveChangesReview' };
  if (live && changes[status]) return h('span', { class: `badge published changes-${status}` }, t(changes[status]));
  const key = `state_${status}`;
  return h('span', { class: `badge ${status}` }, t(key) === key ? status : t(key));
}

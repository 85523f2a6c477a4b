// Display preferences for visitors who need them: large text, high contrast; reduced motion comes from the system;
// and whether the rooms' sound is on.
const KEYS = { large: 'museum.largeText', contrast: 'museum.contrast' };

function read(key) {
  try { return localStorage.getItem(key) === '1'; } catch { return false; }
}

/** Apply the remembered display preferences to the page. */
export function applyPrefs() {
  const root = document.documentElement;
  root.classList.toggle('large-text', read(KEYS.large));
  root.classList.toggle('high-contrast', read(KEYS.contrast) || matchMedia('(prefers-contrast: more)').matches);
}

/** Return whether a preference ("large" or "contrast") is on. */
export function pref(name) {
  return document.documentElement.classList.contains(name === 'large' ? 'large-text' : 'high-contrast');
}

/** Turn a preference on or off and remember it. */
export function setPref(name, on) {
  try { localStorage.setItem(KEYS[name], on ? '1' : '0'); } catch { /* not remembered */ }
  document.documentElement.classList.toggle(name === 'large' ? 'large-text' : 'high-contrast', on);
  window.dispatchEvent(new CustomEvent('museum:prefs'));
}

/** Return whether the visitor asked the system for less motion. */
export function reducedMotion() {
  return matchMedia('(prefers-reduced-motion: reduce)').matches;
}

const SOUND_KEY = 'museum.sound';

/** Return whether the visitor wants the rooms' sound: their remembered choice, else `byDefault`. */
export function soundPref(byDefault) {
  try {
    const stored = localStorage.getItem(SOUND_KEY);
    return stored === null ? byDefault : stored === '1';
  } catch { return byDefault; }
}

/** Remember whether the visitor wants the rooms' sound. */
export function setSoundPref(on) {
  try { localStorage.setItem(SOUND_KEY, on ? '1' : '0'); } catch { /* not remembered */ }
}

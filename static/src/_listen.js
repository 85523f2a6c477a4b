// Listening to an exhibit: the curator's recorded narration with the caption being spoken highlighted in the
// transcript, or, where no recording is uploaded for the visitor's language, the device's own speech voice reading
// the narration sentence by sentence (highlighted the same way).
import { h } from './_dom.js';
import { lang, t } from './_i18n.js';
import { reducedMotion } from './_prefs.js';

// The language tags speech voices carry for the museum's three languages.
const SPEECH_LANG = { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-TW', en: 'en' };
const VOICE_ORDER = {
  'zh-Hans': [/^zh-cn/, /^zh-hans/, /^cmn/, /^zh-sg/, /^zh$/, /^zh-(?!tw|hk|mo|hant)/],
  'zh-Hant': [/^zh-tw/, /^zh-hant/, /^zh-hk/, /^zh-mo/, /^zh/],
  en: [/^en-gb/, /^en-us/, /^en/],
};

/** Split a narration into sentences, each with its closing punctuation (as the demo's captions are cut). */
export function sentences(text) {
  return String(text || '').split(/\n\s*\n/)
    .flatMap((para) => para.split(/(?<=[。！？!?；;][”」’』）)]*)\s*|(?<=\.)\s+/))
    .map((s) => s.trim()).filter(Boolean);
}

function seconds(stamp) {
  const parts = stamp.trim().split(':').map(Number);
  return parts.reduce((sum, part) => sum * 60 + part, 0);
}

/** Parse WebVTT captions into cues {start, end, text} (tags stripped). */
export function parseVtt(text) {
  const cues = [];
  for (const block of String(text).replace(/\r/g, '').split(/\n{2,}/)) {
    const lines = block.split('\n');
    const at = lines.findIndex((line) => line.includes('-->'));
    if (at < 0) continue;
    const [from, to] = lines[at].split('-->');
    const start = seconds(from);
    const end = seconds(to.trim().split(/\s+/)[0]);
    const body = lines.slice(at + 1).join(' ').replace(/<[^>]*>/g, '').trim();
    if (body && Number.isFinite(start) && Number.isFinite(end)) cues.push({ start, end, text: body });
  }
  return cues.sort((a, b) => a.start - b.start);
}

function speechAvailable() {
  return 'speechSynthesis' in window && typeof window.SpeechSynthesisUtterance === 'function';
}

/** Return the device's speech voice for a museum language, or null when it has none (the lang tag still asks). */
export function voiceFor(code) {
  let voices = [];
  try { voices = window.speechSynthesis.getVoices() || []; } catch { /* no voices */ }
  const tag = (v) => String(v.lang || '').replace('_', '-').toLowerCase();
  for (const pattern of VOICE_ORDER[code] || []) {
    const found = voices.find((v) => pattern.test(tag(v)));
    if (found) return found;
  }
  return null;
}

/** The listen button of an exhibit panel with its transcript. */
export class Listener {
  /**
   * @param {{narration: string, audio: Array<{lang: string, url: string, captions_url: string|null,
   *          synthetic: boolean}>}} data the exhibit as the API gives it
   */
  constructor(data) {
    const here = lang();
    const own = (data.audio || []).find((a) => a.lang === here && a.url);
    const other = (data.audio || []).find((a) => a.url);
    this.narration = data.narration || '';
    this.recording = own || (!speechAvailable() || !this.narration ? other : null) || null;
    this.mode = this.recording ? 'recording' : (this.narration && speechAvailable() ? 'speech' : null);
    this.state = 'idle';
    this.index = -1;
    this.token = 0;
    this.resumeAt = 0;
    this.cues = sentences(this.narration).map((text) => ({ start: null, end: null, text }));
    this.element = this._render();
    if (this.recording?.captions_url) this._loadCaptions(this.recording.captions_url);
  }

  _render() {
    this.transcript = h('div.transcript-text', { lang: this.recording?.lang || lang() });
    this._drawCues();
    if (!this.mode) {
      return h('section.listen.no-audio', {}, h('h3', {}, t('transcript')), this.transcript);
    }
    this.button = h('button.primary.listen-button', { type: 'button', 'aria-pressed': 'false',
      onclick: () => this.toggle() });
    this.stopButton = h('button.secondary.listen-stop', { type: 'button', hidden: true, onclick: () => this.stop() },
      h('span', { 'aria-hidden': 'true' }, '■ '), t('stopListening'));
    let source = t('deviceVoice');
    if (this.recording) source = this.recording.synthetic ? t('syntheticVoice') : t('recordedVoice');
    /** @type {HTMLElement[]} */
    const parts = [h('h3', {}, t('listen')), h('div.listen-row', {}, this.button, this.stopButton),
      h(`p.listen-source${this.recording?.synthetic ? '.synthetic' : ''}`, {}, source)];
    if (this.recording) {
      this.audio = h('audio', { preload: 'none', src: this.recording.url });
      this.audio.addEventListener('timeupdate', () => this._follow());
      this.audio.addEventListener('seeked', () => this._follow());
      this.audio.addEventListener('ended', () => this._finish());
      this.audio.addEventListener('error', () => this._recordingFailed());
      parts.push(this.audio);
    }
    this._label();
    return h('section.listen', {}, ...parts, h('h4.transcript-title', {}, t('transcript')), this.transcript);
  }

  _drawCues() {
    // Chinese runs sentences together; other scripts leave a space between them.
    this.spans = this.cues.map((cue, i) => h('span.cue', { 'data-cue': String(i) }, cue.text,
      /[\u3000-\u9fff\uff00-\uffef”」』]$/.test(cue.text) ? '' : ' '));
    this.transcript.replaceChildren(h('p', {}, ...this.spans));
  }

  async _loadCaptions(url) {
    try {
      const response = await fetch(url);
      if (!response.ok) return;
      const cues = parseVtt(await response.text());
      if (!cues.length) return;
      this.cues = cues;
      this._drawCues();
      this.index = -1;
      this._follow();
    } catch { /* the narration text stays as the transcript */ }
  }

  _label() {
    if (!this.button) return;
    const icon = this.state === 'playing' ? '❚❚ ' : '▶ ';
    const text = this.state === 'playing' ? t('pause') : this.state === 'paused' ? t('resume') : t('listenNow');
    this.button.replaceChildren(h('span', { 'aria-hidden': 'true' }, icon), text);
    this.button.setAttribute('aria-pressed', String(this.state === 'playing'));
    this.stopButton.hidden = this.state === 'idle';
  }

  _highlight(index) {
    if (index === this.index) return;
    this.spans[this.index]?.classList.remove('current');
    this.spans[this.index]?.removeAttribute('aria-current');
    this.index = index;
    const span = this.spans[index];
    if (!span) return;
    span.classList.add('current');
    span.setAttribute('aria-current', 'true');
    span.scrollIntoView({ block: 'nearest', behavior: reducedMotion() ? 'auto' : 'smooth' });
  }

  _follow() {
    if (!this.audio || this.cues[0]?.start == null) return;
    const now = this.audio.currentTime;
    let index = -1;
    // The cue being spoken, or during the pause after it, the one just spoken.
    this.cues.forEach((cue, i) => { if (cue.start <= now) index = i; });
    if (this.state !== 'idle') this._highlight(index);
  }

  /** Start, pause or resume listening. */
  toggle() {
    if (this.state === 'playing') this.pause();
    else this.play();
  }

  play() {
    if (!this.mode) return;
    const resuming = this.state === 'paused';
    this.state = 'playing';
    this._label();
    if (this.mode === 'recording') {
      this.audio.play().catch((err) => { if (err?.name !== 'AbortError') this._recordingFailed(); });
    } else {
      this._speakFrom(resuming ? this.resumeAt || 0 : 0);
    }
  }

  pause() {
    if (this.state !== 'playing') return;
    this.state = 'paused';
    if (this.mode === 'recording') this.audio.pause();
    else {
      // Android's speech has no pause: stop, and go on from the sentence being read.
      this.resumeAt = Math.max(0, this.index);
      this.token++;
      window.speechSynthesis.cancel();
    }
    this._label();
  }

  /** Stop listening and go back to the start. */
  stop() {
    const was = this.state;
    this.state = 'idle';
    this.resumeAt = 0;
    if (this.audio) {
      this.audio.pause();
      if (was !== 'idle' && this.audio.readyState > 0) this.audio.currentTime = 0;
    }
    if (this.mode === 'speech' && was !== 'idle') {
      this.token++;
      window.speechSynthesis.cancel();
    }
    this._highlight(-1);
    this._label();
  }

  _finish() {
    this.state = 'idle';
    this.resumeAt = 0;
    this._highlight(-1);
    this._label();
  }

  _recordingFailed() {
    if (this.mode !== 'recording') return;
    const wasPlaying = this.state === 'playing';
    if (!this.narration || !speechAvailable()) { this._finish(); return; }
    // The recording cannot be played here: the device's voice reads the narration instead.
    this.mode = 'speech';
    this.recording = null;
    this.audio?.remove();
    this.audio = null;
    this.cues = sentences(this.narration).map((text) => ({ start: null, end: null, text }));
    this._drawCues();
    this.element.querySelector('.listen-source').textContent = t('deviceVoice');
    this.element.querySelector('.listen-source').classList.remove('synthetic');
    this.index = -1;
    this.state = 'idle';
    if (wasPlaying) this.play();
  }

  _speakFrom(start) {
    const synth = window.speechSynthesis;
    const token = ++this.token;
    synth.cancel();
    const code = lang();
    const voice = voiceFor(code);
    this.resumeAt = start;
    for (let i = start; i < this.cues.length; i++) {
      const utterance = new SpeechSynthesisUtterance(this.cues[i].text);
      utterance.lang = SPEECH_LANG[code] || code;
      if (voice) utterance.voice = voice;
      utterance.rate = 0.9;
      utterance.addEventListener('start', () => { if (token === this.token) { this.resumeAt = i; this._highlight(i); } });
      if (i === this.cues.length - 1) {
        utterance.addEventListener('end', () => { if (token === this.token) this._finish(); });
      }
      utterance.addEventListener('error', (event) => {
        if (token === this.token && event.error !== 'interrupted' && event.error !== 'canceled') this._finish();
      });
      synth.speak(utterance);
    }
  }
}

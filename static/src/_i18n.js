// Interface texts in the museum's three languages, and the visitor's language (remembered on this device).
export const LANGS = [
  { code: 'zh-Hans', short: '简体', name: '简体中文' },
  { code: 'zh-Hant', short: '繁體', name: '繁體中文' },
  { code: 'en', short: 'EN', name: 'English' },
];
const KEY = 'museum.lang';

const T = {
  museum: ['医院历史博物馆', '醫院歷史博物館', 'Hospital History Museum'],
  language: ['语言', '語言', 'Language'],
  menu: ['菜单', '選單', 'Menu'],
  close: ['关闭', '關閉', 'Close'],
  largeText: ['大字', '大字', 'Large text'],
  contrast: ['高对比度', '高對比度', 'High contrast'],
  enterVR: ['进入 VR', '進入 VR', 'Enter VR'],
  exitVR: ['退出 VR', '退出 VR', 'Exit VR'],
  loading: ['正在加载展厅…', '正在載入展廳…', 'Loading the gallery…'],
  loaded: ['展厅已就绪', '展廳已就緒', 'The gallery is ready'],
  loadFailed: ['展厅未能加载，请稍后再试。', '展廳未能載入，請稍後再試。', 'The gallery could not be loaded. Please try again later.'],
  retry: ['重试', '重試', 'Try again'],
  start: ['开始参观', '開始參觀', 'Start visiting'],
  welcome: ['欢迎来到', '歡迎來到', 'Welcome to'],
  hintTouch: ['单指拖动环顾四周 · 点地面走过去 · 点展品看介绍 · 双指缩放',
    '單指拖動環顧四周 · 點地面走過去 · 點展品看介紹 · 雙指縮放',
    'Drag to look around · Tap the floor to walk there · Tap an exhibit to read about it · Pinch to zoom'],
  hintMouse: ['拖动鼠标环顾 · 点地面走过去 · W A S D 或方向键移动 · 点展品看介绍',
    '拖動滑鼠環顧 · 點地面走過去 · W A S D 或方向鍵移動 · 點展品看介紹',
    'Drag to look around · Click the floor to walk there · W A S D or arrow keys to move · Click an exhibit'],
  sceneLabel: ['三维展厅。方向键或 W A S D 移动，回车打开最近的展品。',
    '三維展廳。方向鍵或 W A S D 移動，Enter 打開最近的展品。',
    '3D gallery. Arrow keys or W A S D to move, Enter opens the nearest exhibit.'],
  move: ['移动', '移動', 'Move'],
  forward: ['前进', '前進', 'Move forward'],
  back: ['后退', '後退', 'Move back'],
  turnLeft: ['向左转', '向左轉', 'Turn left'],
  turnRight: ['向右转', '向右轉', 'Turn right'],
  exhibitsHere: ['本厅展品', '本廳展品', 'Exhibits here'],
  galleries: ['展厅', '展廳', 'Galleries'],
  tours: ['导览', '導覽', 'Guided tours'],
  timeline: ['院史时间轴', '院史時間軸', 'Timeline'],
  search: ['搜索', '搜尋', 'Search'],
  searchPlaceholder: ['展品、事件…', '展品、事件…', 'Exhibits, events…'],
  noResults: ['没有找到', '沒有找到', 'Nothing found'],
  nextGallery: ['前往', '前往', 'Go to'],
  share: ['分享', '分享', 'Share'],
  copyLink: ['复制链接', '複製連結', 'Copy link'],
  copied: ['已复制', '已複製', 'Copied'],
  qrAlt: ['此展品链接的二维码', '此展品連結的二維碼', 'QR code of the link to this exhibit'],
  seeInRoom: ['在我的房间里看', '在我的房間裡看', 'See it in your room'],
  rights: ['版权与来源', '版權與來源', 'Rights and credit'],
  licence: ['许可', '授權', 'Licence'],
  credit: ['提供', '提供', 'Credit'],
  source: ['来源', '來源', 'Source'],
  listen: ['语音讲解', '語音講解', 'Listen'],
  transcript: ['讲解文字', '講解文字', 'Transcript'],
  listenNow: ['收听讲解', '收聽講解', 'Listen'],
  resume: ['继续收听', '繼續收聽', 'Resume'],
  stopListening: ['停止', '停止', 'Stop'],
  syntheticVoice: ['合成语音：由语音合成器朗读，不是真人录音', '合成語音：由語音合成器朗讀，不是真人錄音',
    'Synthetic voice: read by a speech synthesizer, not recorded by a person'],
  recordedVoice: ['讲解录音', '講解錄音', 'Recorded narration'],
  deviceVoice: ['由您设备的语音朗读', '由您裝置的語音朗讀', "Read aloud by your device's voice"],
  details: ['看点', '看點', 'Look closer'],
  related: ['相关事件', '相關事件', 'In the timeline'],
  date: ['年代', '年代', 'Date'],
  sample: ['示例内容', '範例內容', 'Sample content'],
  tourStop: ['第 {n} 站，共 {total} 站', '第 {n} 站，共 {total} 站', 'Stop {n} of {total}'],
  previous: ['上一站', '上一站', 'Previous'],
  next: ['下一站', '下一站', 'Next'],
  pause: ['暂停', '暫停', 'Pause'],
  play: ['继续', '繼續', 'Play'],
  endTour: ['结束导览', '結束導覽', 'End tour'],
  readAloud: ['朗读', '朗讀', 'Read aloud'],
  startTour: ['开始导览', '開始導覽', 'Start the tour'],
  era: ['时期', '時期', 'Era'],
  seeExhibit: ['在展厅中查看', '在展廳中查看', 'See it in the gallery'],
  backToMuseum: ['返回博物馆', '返回博物館', 'Back to the museum'],
  notFound: ['没有找到该内容', '沒有找到該內容', 'This could not be found'],
  vrHint: ['扳机：传送或打开展品 · 摇杆左右：转身', '扳機：傳送或打開展品 · 搖桿左右：轉身',
    'Trigger: teleport or open an exhibit · Stick left/right: turn'],
  vrClose: ['再按一次扳机关闭', '再按一次扳機關閉', 'Press the trigger again to close'],
  loadedBytes: ['已加载 {a} / {b}', '已載入 {a} / {b}', 'Loaded {a} of {b}'],
  skip: ['跳到主要内容', '跳到主要內容', 'Skip to content'],
  settings: ['显示设置', '顯示設定', 'Display'],
  help: ['使用帮助', '使用說明', 'Help'],
  film: ['影片', '影片', 'Film'],
  playFilm: ['播放影片', '播放影片', 'Play the film'],
  pauseFilm: ['暂停影片', '暫停影片', 'Pause the film'],
  fullScreen: ['全屏观看', '全螢幕觀看', 'Full screen'],
  sound: ['展厅声音', '展廳聲音', 'Room sound'],
  soundOn: ['展厅声音已打开', '展廳聲音已開啟', 'Room sound on'],
  soundOff: ['展厅声音已关闭', '展廳聲音已關閉', 'Room sound off'],
  soundHere: ['本厅可听到：{titles}', '本廳可聽到：{titles}', 'In this room you can hear: {titles}'],
  soundNone: ['本厅没有声音', '本廳沒有聲音', 'This room has no sound'],
  soundSep: ['、', '、', ', '],
};
const INDEX = { 'zh-Hans': 0, 'zh-Hant': 1, en: 2 };

function normalise(tag) {
  if (!tag) return null;
  const t = tag.toLowerCase();
  if (t === 'en' || t.startsWith('en-')) return 'en';
  if (t === 'zh-hant' || t.startsWith('zh-hant') || t === 'zh-tw' || t === 'zh-hk' || t === 'zh-mo') return 'zh-Hant';
  if (t.startsWith('zh')) return 'zh-Hans';
  return null;
}

let current = null;

/** Return the visitor's language: ?lang=, then the remembered choice, then the page's own. */
export function lang() {
  if (current) return current;
  const asked = normalise(new URLSearchParams(location.search).get('lang'));
  let stored = null;
  try { stored = normalise(localStorage.getItem(KEY)); } catch { /* storage may be blocked */ }
  current = asked || stored || normalise(document.documentElement.lang) || 'zh-Hans';
  if (asked) remember(asked);
  document.documentElement.lang = current;
  return current;
}

function remember(code) {
  try { localStorage.setItem(KEY, code); } catch { /* private mode: the choice lasts this page */ }
}

/** Switch language, remember it and tell the page. */
export function setLang(code) {
  current = normalise(code) || 'zh-Hans';
  remember(current);
  document.documentElement.lang = current;
  window.dispatchEvent(new CustomEvent('museum:lang', { detail: current }));
}

/** Add a page's own interface texts: {key: [zh-Hans, zh-Hant, en]}. */
export function addTexts(rows) {
  Object.assign(T, rows);
}

/** Return an interface text in the visitor's language, with {name} placeholders filled. */
export function t(key, vars = {}) {
  const row = T[key];
  let text = row ? row[INDEX[lang()]] : key;
  for (const [k, v] of Object.entries(vars)) text = text.replaceAll(`{${k}}`, String(v));
  return text;
}

/** Return a byte count as a short text (bytes, kB, MB). */
export function formatBytes(n) {
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n >= 1e3) return `${Math.round(n / 1e3)} kB`;
  return `${Math.max(0, Math.round(n))} B`;
}

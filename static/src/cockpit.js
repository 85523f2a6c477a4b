// The managers' cockpit: sign in, then the museum's key figures, charts and alerts for a range of days, as tiles
// each manager chooses, orders and sizes; wall mode (?wall=1) is dark, large and refreshes itself for a big screen.
// Charts are Apache ECharts, imported piece by piece from echarts/core so the bundle carries only what is drawn.
import { init, use } from 'echarts/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  AriaComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { h } from './_dom.js';
import { LANGS, addTexts, lang, setLang, t } from './_i18n.js';
import './cockpit.css';

use([BarChart, FunnelChart, HeatmapChart, LineChart, PieChart, AriaComponent, GridComponent, LegendComponent,
  TooltipComponent, VisualMapComponent, CanvasRenderer]);

// The cockpit's own texts, by language; the language itself is the museum's one choice (./_i18n.js).
const TEXT = {
  'zh-Hans': {
    title: '管理驾驶舱', signIn: '登录', name: '用户名', password: '密码', signOut: '退出',
    wrongRole: '此账号无权查看驾驶舱（需要管理者或管理员）。', badLogin: '用户名或密码不正确。',
    from: '开始日期', to: '结束日期', apply: '查看', days: '{n}天', export: '导出 CSV', wall: '大屏模式',
    leaveWall: '退出大屏', customise: '布局', save: '保存布局', cancel: '取消', show: '显示', size: '大小',
    up: '上移', down: '下移', loading: '正在加载…', failed: '数据加载失败，稍后自动重试。', updated: '更新于 {t}',
    views: '浏览量', visitors: '访客', vr_sessions: 'VR 会话', ar_sessions: 'AR 会话', photos_taken: '拍照',
    zero_result_searches: '无结果搜索', vsPrevious: '较上期', noPrevious: '上期无数据',
    key_figures: '关键指标', alerts: '预警', visitors_by_day: '每日访问', hour_of_week: '一周各时段访问',
    top_exhibits: '热门展品', top_galleries: '热门展厅', devices: '设备', languages: '语言',
    tour_funnel: '导览完成漏斗', sessions: 'VR / AR / 查询终端会话', inquiry: '查询终端',
    inquiryMedian: '查询终端会话 {n} 次，中位时长 {s}', booth: 'AR 合影亭', zero_searches: '无结果的搜索',
    avgDwell: '平均停留', seconds: '{n} 秒', step: '第 {n} 站', whichTour: '选择导览', noAlerts: '没有预警。', started: '开始',
    ended: '结束', open: '进行中', acknowledge: '确认', acknowledged: '已确认', value: '数值', band: '正常范围',
    noData: '这段时间没有数据。', taken: '拍摄', composed: '合成', shared: '分享页打开', deleted: '删除',
    failed_: '失败', p95: '合成时间 P95', query: '搜索词', count: '次数', unknown: '未知',
    phone: '手机', desktop: '电脑', headset: '头显', kiosk: '一体机', weekdays: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'],
    visits_drop: '访问量低于该时段正常范围', booth_failures: '合影失败次数异常偏高', compose_slow: '照片合成变慢',
    queue_stalled: '任务队列停滞', disk_filling: '存储磁盘即将写满', language: '语言',
    films: '影片', filmPlays: '播放次数', hoursWatched: '观看时长（小时）', film: '影片', avgWatched: '平均观看',
  },
  'zh-Hant': {
    title: '管理駕駛艙', signIn: '登入', name: '使用者名稱', password: '密碼', signOut: '登出',
    wrongRole: '此帳號無權查看駕駛艙（需要管理者或管理員）。', badLogin: '使用者名稱或密碼不正確。',
    from: '開始日期', to: '結束日期', apply: '查看', days: '{n}天', export: '匯出 CSV', wall: '大屏模式',
    leaveWall: '退出大屏', customise: '版面', save: '儲存版面', cancel: '取消', show: '顯示', size: '大小',
    up: '上移', down: '下移', loading: '載入中…', failed: '資料載入失敗，稍後自動重試。', updated: '更新於 {t}',
    views: '瀏覽量', visitors: '訪客', vr_sessions: 'VR 工作階段', ar_sessions: 'AR 工作階段', photos_taken: '拍照',
    zero_result_searches: '無結果搜尋', vsPrevious: '較上期', noPrevious: '上期無資料',
    key_figures: '關鍵指標', alerts: '預警', visitors_by_day: '每日訪問', hour_of_week: '一週各時段訪問',
    top_exhibits: '熱門展品', top_galleries: '熱門展廳', devices: '裝置', languages: '語言',
    tour_funnel: '導覽完成漏斗', sessions: 'VR / AR / 查詢終端工作階段', inquiry: '查詢終端',
    inquiryMedian: '查詢終端工作階段 {n} 次，中位時長 {s}', booth: 'AR 合影亭', zero_searches: '無結果的搜尋',
    avgDwell: '平均停留', seconds: '{n} 秒', step: '第 {n} 站', whichTour: '選擇導覽', noAlerts: '沒有預警。', started: '開始',
    ended: '結束', open: '進行中', acknowledge: '確認', acknowledged: '已確認', value: '數值', band: '正常範圍',
    noData: '這段時間沒有資料。', taken: '拍攝', composed: '合成', shared: '分享頁開啟', deleted: '刪除',
    failed_: '失敗', p95: '合成時間 P95', query: '搜尋詞', count: '次數', unknown: '未知',
    phone: '手機', desktop: '電腦', headset: '頭戴裝置', kiosk: '一體機', weekdays: ['週一', '週二', '週三', '週四', '週五', '週六', '週日'],
    visits_drop: '訪問量低於該時段正常範圍', booth_failures: '合影失敗次數異常偏高', compose_slow: '照片合成變慢',
    queue_stalled: '任務佇列停滯', disk_filling: '儲存磁碟即將寫滿', language: '語言',
    films: '影片', filmPlays: '播放次數', hoursWatched: '觀看時長（小時）', film: '影片', avgWatched: '平均觀看',
  },
  en: {
    title: 'Management cockpit', signIn: 'Sign in', name: 'User name', password: 'Password', signOut: 'Sign out',
    wrongRole: 'This account may not read the cockpit (a manager or an admin may).',
    badLogin: 'The name or the password is not right.',
    from: 'From', to: 'To', apply: 'Show', days: '{n} days', export: 'Export CSV', wall: 'Wall mode',
    leaveWall: 'Leave wall mode', customise: 'Tiles', save: 'Save tiles', cancel: 'Cancel', show: 'Show',
    size: 'Size', up: 'Up', down: 'Down', loading: 'Loading…', failed: 'Could not load the figures; retrying soon.',
    updated: 'Updated {t}', views: 'Views', visitors: 'Visitors', vr_sessions: 'VR sessions',
    ar_sessions: 'AR sessions', photos_taken: 'Photos', zero_result_searches: 'Searches with no result',
    vsPrevious: 'vs previous period', noPrevious: 'no previous data', key_figures: 'Key figures', alerts: 'Alerts',
    visitors_by_day: 'Visits by day', hour_of_week: 'Visits by hour of the week', top_exhibits: 'Top exhibits',
    top_galleries: 'Top galleries', devices: 'Devices', languages: 'Languages', tour_funnel: 'Tour completion',
    sessions: 'VR, AR and inquiry kiosk sessions', inquiry: 'Inquiry kiosk',
    inquiryMedian: '{n} inquiry kiosk sessions, median {s}', booth: 'AR photo booth', zero_searches: 'Searches that found nothing',
    avgDwell: 'Average dwell', seconds: '{n} s', step: 'Stop {n}', whichTour: 'Tour', noAlerts: 'No alerts.', started: 'Started',
    ended: 'Ended', open: 'Ongoing', acknowledge: 'Acknowledge', acknowledged: 'Acknowledged', value: 'Value',
    band: 'Normal band', noData: 'No data in this period.', taken: 'Taken', composed: 'Composed',
    shared: 'Share page opened', deleted: 'Deleted', failed_: 'Failed', p95: 'Composition p95', query: 'Query',
    count: 'Count', unknown: 'Unknown', phone: 'Phone', desktop: 'Desktop', headset: 'Headset', kiosk: 'Kiosk',
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    visits_drop: 'Visits below their normal band for this hour', booth_failures: 'Unusually many booth failures',
    compose_slow: 'Photo composition is slowing', queue_stalled: 'The job queue is stalled',
    disk_filling: 'The file store disk is filling up', language: 'Language',
    films: 'Films', filmPlays: 'Plays', hoursWatched: 'Hours watched', film: 'Film', avgWatched: 'Average watched',
  },
};
const LANG_NAMES = Object.fromEntries(LANGS.map(({ code, name }) => [code, name]));
const KEY_FIGURES = ['views', 'visitors', 'vr_sessions', 'ar_sessions', 'photos_taken', 'zero_result_searches'];
const REFRESH_MS = { normal: 5 * 60 * 1000, wall: 60 * 1000 };

const params = new URLSearchParams(location.search);
const state = {
  wall: params.get('wall') === '1', csrf: null, user: null, layout: null, available: [],
  sizes: [], summary: null, tour: params.get('tour') || '', from: params.get('from') || '', to: params.get('to') || '', charts: [], timer: null,
};
const root = document.getElementById('cockpit');

addTexts(Object.fromEntries(Object.keys(TEXT.en).map(
  (key) => [key, LANGS.map(({ code }) => TEXT[code][key] ?? TEXT.en[key])])));

const number = (n) => new Intl.NumberFormat(lang()).format(n);
// Times are shown on the museum's clock (the summary names its time zone), wherever the screen is.
const when = (iso) => new Intl.DateTimeFormat(lang(), { dateStyle: 'medium', timeStyle: 'short',
  timeZone: state.summary?.timezone || undefined }).format(new Date(iso));

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin' });
  const data = response.headers.get('Content-Type')?.includes('json') ? await response.json() : null;
  if (!response.ok) {
    const error = /** @type {Error & {status?: number}} */ (new Error(data?.error?.message || `${response.status}`));
    error.status = response.status;
    throw error;
  }
  return data;
}

// ---- sign-in ---------------------------------------------------------------------------------------------------

function signInForm(message) {
  document.title = t('title');
  const name = h('input#name', { name: 'name', autocomplete: 'username', required: true });
  const password = h('input#password', { name: 'password', type: 'password', autocomplete: 'current-password',
    required: true });
  const status = h('p.status', { role: 'status', 'aria-live': 'polite' }, message || '');
  const form = h('form.signin', {
    onsubmit: async (event) => {
      event.preventDefault();
      try {
        const signed = await api('POST', '/api/v1/session', { name: name.value, password: password.value });
        state.csrf = signed.csrf_token;
        state.user = signed.user;
        start();
      } catch (error) {
        status.textContent = error.status === 401 || error.status === 422 || error.status === 400
          ? t('badLogin') : error.message;
      }
    },
  }, h('h1', {}, t('title')), h('label', { for: 'name' }, t('name')), name,
  h('label', { for: 'password' }, t('password')), password, h('button', { type: 'submit' }, t('signIn')), status,
  langPicker());
  root.replaceChildren(h('main.cockpit-signin', {}, form));
  name.focus();
}

function langPicker() {
  const select = h('select#lang', { 'aria-label': t('language'),
    onchange: () => { setLang(select.value); redraw(); } },
  ...LANGS.map(({ code, name }) => h('option', { value: code, selected: code === lang(), lang: code }, name)));
  return select;
}

async function signOut() {
  await api('DELETE', '/api/v1/session').catch(() => null);
  state.user = null;
  state.csrf = null;
  stopTimer();
  signInForm();
}

// ---- the dashboard ---------------------------------------------------------------------------------------------

function redraw() {
  if (!state.user) { signInForm(); return; }
  if (!['manager', 'admin'].includes(state.user.role)) {
    root.replaceChildren(h('main.cockpit-signin', {}, h('h1', {}, t('title')), h('p', {}, t('wrongRole')),
      h('button', { type: 'button', onclick: signOut }, t('signOut'))));
    return;
  }
  draw();
}

function rangeQuery() {
  const q = new URLSearchParams();
  if (state.from) q.set('from', state.from);
  if (state.to) q.set('to', state.to);
  return q;
}

async function load() {
  const q = rangeQuery();
  q.set('lang', lang());
  try {
    state.summary = await api('GET', `/api/v1/cockpit/summary?${q}`);
    state.from = state.summary.from;
    state.to = state.summary.to;
    state.error = null;
  } catch (error) {
    if (error.status === 401) { state.user = null; signInForm(); return; }
    state.error = error;
  }
  redraw();
}

function stopTimer() {
  if (state.timer) clearInterval(state.timer);
  state.timer = null;
}

function startTimer() {
  stopTimer();
  state.timer = setInterval(load, state.wall ? REFRESH_MS.wall : REFRESH_MS.normal);
}

function setWall(on) {
  state.wall = on;
  const url = new URL(location.href);
  if (on) url.searchParams.set('wall', '1'); else url.searchParams.delete('wall');
  history.replaceState(null, '', url);
  if (on && document.fullscreenEnabled && !document.fullscreenElement) {
    document.documentElement.requestFullscreen().catch(() => null);
  } else if (!on && document.fullscreenElement) {
    document.exitFullscreen().catch(() => null);
  }
  startTimer();
  redraw();
}

function shiftRange(days) {
  const end = state.summary ? new Date(`${state.summary.to}T00:00:00Z`) : new Date();
  const first = new Date(end.getTime() - (days - 1) * 86400000);
  state.from = first.toISOString().slice(0, 10);
  state.to = end.toISOString().slice(0, 10);
  load();
}

function toolbar() {
  const from = h('input#from', { type: 'date', value: state.from, max: state.to || undefined });
  const to = h('input#to', { type: 'date', value: state.to });
  const csv = h('a.button', { href: `/api/v1/cockpit/export.csv?${rangeQuery()}`, download: '' }, t('export'));
  return h('header.bar', {},
    h('h1', {}, t('title')),
    h('form.range', { onsubmit: (e) => { e.preventDefault(); state.from = from.value; state.to = to.value; load(); } },
      h('label', { for: 'from' }, t('from')), from, h('label', { for: 'to' }, t('to')), to,
      h('button', { type: 'submit' }, t('apply')),
      ...[7, 30, 90].map((n) => h('button.preset', { type: 'button', onclick: () => shiftRange(n) }, t('days', { n })))),
    h('div.actions', {}, csv,
      h('button', { type: 'button', onclick: () => setWall(!state.wall), 'aria-pressed': String(state.wall) },
        state.wall ? t('leaveWall') : t('wall')),
      state.wall ? null : h('button', { type: 'button', onclick: customise }, t('customise')),
      langPicker(),
      state.wall ? null : h('button', { type: 'button', onclick: signOut }, t('signOut'))));
}

function disposeCharts() {
  for (const chart of state.charts) chart.dispose();
  state.charts = [];
}

function draw() {
  disposeCharts();
  document.body.classList.toggle('wall', state.wall);
  document.title = t('title');
  const summary = state.summary;
  const main = h('main.tiles', { id: 'tiles' });
  const status = h('p.status', { role: 'status', 'aria-live': 'polite' },
    state.error ? t('failed') : summary ? t('updated', { t: when(summary.generated_at) }) : t('loading'));
  root.replaceChildren(toolbar(), status, main);
  if (!summary) return;
  const charts = [];
  for (const tile of state.layout) {
    const build = TILES[tile.id];
    if (!build) continue;
    const section = h(`section.tile.size-${tile.size}`, { 'aria-labelledby': `tile-${tile.id}`, 'data-tile': tile.id },
      h('h2', { id: `tile-${tile.id}` }, t(tile.id)));
    main.append(section);
    const made = build(summary, section);
    if (made) charts.push([section.querySelector('.chart'), made]);
  }
  for (const [el, option] of charts) {
    for (const axis of ['xAxis', 'yAxis']) {
      if (option[axis]) option[axis].axisLabel = { fontSize: fontSize(), ...option[axis].axisLabel };
    }
    const chart = init(el, state.wall ? 'dark' : null, { renderer: 'canvas' });
    chart.setOption({ aria: { enabled: true }, backgroundColor: 'transparent', textStyle: { fontSize: fontSize() },
      animation: !state.wall, ...option });
    state.charts.push(chart);
  }
}

const fontSize = () => (state.wall ? 18 : 13);

function chartBox(section, label) {
  section.append(h('div.chart', { role: 'img', 'aria-label': label }));
}

function change(value) {
  if (value == null) return h('span.change.none', {}, t('noPrevious'));
  const pct = Math.round(value * 1000) / 10;
  const cls = pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat';
  const arrow = pct > 0 ? '▲' : pct < 0 ? '▼' : '■';
  return h(`span.change.${cls}`, {}, `${arrow} ${Math.abs(pct)}% ${t('vsPrevious')}`);
}

function table(headers, rows) {
  return h('table', {}, h('thead', {}, h('tr', {}, ...headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))));
}

function emptyNote(section) {
  section.append(h('p.empty', {}, t('noData')));
  return null;
}

// Hours with a tenth, and a few minutes still show as a fraction of an hour, not as 0.
function hours(secondsWatched) {
  const value = secondsWatched / 3600;
  return new Intl.NumberFormat(lang(), value >= 1 || value === 0 ? { maximumFractionDigits: 1 }
    : { maximumSignificantDigits: 2 }).format(value);
}

function seconds(ms) {
  return ms == null ? '–' : t('seconds', { n: (ms / 1000).toFixed(1) });
}

const TILES = {
  key_figures(summary, section) {
    section.append(h('div.figures', {}, ...KEY_FIGURES.map((key) => h('div.figure', {},
      h('span.label', {}, t(key)), h('span.value', {}, number(summary[key])), change(summary.change[key])))));
  },

  alerts(summary, section) {
    if (!summary.alerts.length) { section.append(h('p.empty', {}, t('noAlerts'))); return; }
    section.append(h('ul.alerts', {}, ...summary.alerts.map((alert) => h(`li.alert${alert.ended_at ? '' : '.open'}`,
      {}, h('strong', {}, t(alert.code)),
      h('span', {}, `${t('started')}: ${when(alert.started_at)}`),
      h('span', {}, alert.ended_at ? `${t('ended')}: ${when(alert.ended_at)}` : t('open')),
      h('span', {}, `${t('value')}: ${number(alert.value)}`
        + (alert.low != null ? ` · ${t('band')}: ${number(Math.max(0, Math.round(alert.low)))}–${number(Math.round(alert.high))}` : '')),
      alert.id == null ? null : alert.acknowledged_at
        ? h('span.acked', {}, `${t('acknowledged')} ${when(alert.acknowledged_at)}`)
        : h('button', { type: 'button', onclick: async () => {
          await api('POST', `/api/v1/cockpit/alerts/${alert.id}/acknowledge`);
          load();
        } }, t('acknowledge'))))));
  },

  visitors_by_day(summary, section) {
    chartBox(section, t('visitors_by_day'));
    return {
      tooltip: { trigger: 'axis' }, legend: { top: 0, textStyle: { fontSize: fontSize() } },
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: summary.by_day.map((d) => d.date.slice(5)) },
      yAxis: { type: 'value' },
      series: [
        { name: t('views'), type: 'line', smooth: true, showSymbol: false, areaStyle: { opacity: 0.15 },
          data: summary.by_day.map((d) => d.views) },
        { name: t('visitors'), type: 'line', smooth: true, showSymbol: false, data: summary.by_day.map((d) => d.visitors) },
      ],
    };
  },

  hour_of_week(summary, section) {
    chartBox(section, t('hour_of_week'));
    const data = summary.by_hour_of_week.map((s) => [s.hour, s.weekday, s.views]);
    const max = Math.max(1, ...data.map((d) => d[2]));
    return {
      tooltip: { position: 'top' }, grid: { left: 56, right: 16, top: 8, bottom: 64 },
      xAxis: { type: 'category', data: [...Array(24).keys()].map(String), splitArea: { show: true } },
      yAxis: { type: 'category', data: t('weekdays'), inverse: true, splitArea: { show: true } },
      visualMap: { min: 0, max, calculable: false, orient: 'horizontal', left: 'center', bottom: 0,
        itemHeight: 120, textStyle: { fontSize: fontSize() }, inRange: { color: ['#e8f3ef', '#2f8f73', '#0c3d30'] } },
      series: [{ name: t('views'), type: 'heatmap', data, label: { show: false } }],
    };
  },

  top_exhibits(summary, section) { return topTile(summary.top_exhibits, section, 'top_exhibits'); },
  top_galleries(summary, section) { return topTile(summary.top_galleries, section, 'top_galleries'); },

  films(summary, section) {
    // Plays, hours watched, and the films most played with how long each is watched on average.
    const films = summary.films || { plays: 0, watched_seconds: 0, top: [] };
    section.append(h('div.figures.small', {},
      h('div.figure', {}, h('span.label', {}, t('filmPlays')), h('span.value', {}, number(films.plays))),
      h('div.figure', {}, h('span.label', {}, t('hoursWatched')),
        h('span.value', {}, hours(films.watched_seconds)))));
    if (!films.top.length) return emptyNote(section);
    section.append(table([t('film'), t('filmPlays'), t('avgWatched')],
      films.top.slice(0, 5).map((f) => [f.title, number(f.views), seconds(f.avg_dwell_ms)])));
    return null;
  },

  devices(summary, section) { return pieTile(summary.devices, section, 'devices'); },
  languages(summary, section) {
    const named = Object.fromEntries(Object.entries(summary.languages).map(([k, v]) => [LANG_NAMES[k] || t(k), v]));
    return pieTile(named, section, 'languages', false);
  },

  tour_funnel(summary, section) {
    // Every tour has its funnel: the most followed one first, the others a choice away.
    const tour = summary.tours.find((x) => x.slug === state.tour) || summary.tours[0];
    if (!tour) return emptyNote(section);
    if (summary.tours.length > 1) {
      section.append(h('label.sub', {}, `${t('whichTour')} `, h('select.tour', {
        onchange: (e) => { state.tour = e.target.value; draw(); },
      }, ...summary.tours.map((x) => h('option', { value: x.slug, selected: x.slug === tour.slug }, x.title)))));
    } else {
      section.append(h('p.sub', {}, tour.title));
    }
    chartBox(section, `${t('tour_funnel')}: ${tour.title}`);
    return {
      tooltip: { trigger: 'item' },
      series: [{ type: 'funnel', sort: 'none', left: '8%', width: '84%', top: 8, bottom: 8, minSize: '10%',
        label: { position: 'inside', fontSize: fontSize() },
        data: tour.steps.map((s) => ({ name: `${t('step', { n: s.step + 1 })}: ${number(s.count)}`, value: s.count })) }],
    };
  },

  sessions(summary, section) {
    const inquiry = summary.inquiry || { sessions: 0, median_seconds: null };
    section.append(h('p.sub#inquiry-sessions', {}, t('inquiryMedian', { n: number(inquiry.sessions),
      s: inquiry.median_seconds == null ? '–' : t('seconds', { n: inquiry.median_seconds }) })));
    chartBox(section, t('sessions'));
    return {
      tooltip: { trigger: 'axis' }, legend: { top: 0, textStyle: { fontSize: fontSize() } },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: summary.by_day.map((d) => d.date.slice(5)) }, yAxis: { type: 'value' },
      series: [
        { name: 'VR', type: 'bar', stack: 's', data: summary.by_day.map((d) => d.vr_sessions) },
        { name: 'AR', type: 'bar', stack: 's', data: summary.by_day.map((d) => d.ar_sessions) },
        { name: t('inquiry'), type: 'bar', data: summary.by_day.map((d) => d.inquiry_sessions || 0) },
      ],
    };
  },

  booth(summary, section) {
    const b = summary.booth;
    section.append(h('div.figures.small', {},
      ...[['taken', b.taken], ['composed', b.composed], ['shared', b.shared], ['deleted', b.deleted],
        ['failed_', b.failed]].map(([k, v]) => h('div.figure', {}, h('span.label', {}, t(k)),
        h('span.value', {}, number(v)))),
      h('div.figure', {}, h('span.label', {}, t('p95')), h('span.value', {}, seconds(b.compose_p95_ms)))));
    chartBox(section, t('booth'));
    return {
      tooltip: { trigger: 'axis' }, legend: { top: 0, textStyle: { fontSize: fontSize() } },
      grid: { left: 40, right: 16, top: 36, bottom: 28 },
      xAxis: { type: 'category', data: summary.by_day.map((d) => d.date.slice(5)) }, yAxis: { type: 'value' },
      series: [
        { name: t('taken'), type: 'bar', data: summary.by_day.map((d) => d.photos_taken) },
        { name: t('failed_'), type: 'bar', data: summary.by_day.map((d) => d.photos_failed), itemStyle: { color: '#c0392b' } },
      ],
    };
  },

  zero_searches(summary, section) {
    const rows = summary.searches.top_zero_result_queries;
    section.append(h('p.sub', {}, `${number(summary.searches.zero_results)} / ${number(summary.searches.total)}`));
    if (!rows.length) return emptyNote(section);
    section.append(table([t('query'), t('count')], rows.map((r) => [r.query, number(r.count)])));
    return null;
  },
};

function topTile(items, section, name) {
  if (!items.length) return emptyNote(section);
  section.append(table([t(name === 'top_exhibits' ? 'top_exhibits' : 'top_galleries'), t('views'), t('avgDwell')],
    items.slice(0, 5).map((e) => [e.title, number(e.views), seconds(e.avg_dwell_ms)])));
  chartBox(section, t(name));
  const shown = items.slice(0, 10).reverse();
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value' },
    yAxis: { type: 'category', data: shown.map((e) => e.title), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [{ name: t('views'), type: 'bar', data: shown.map((e) => e.views), itemStyle: { color: '#2f8f73' } }],
  };
}

function pieTile(values, section, name, translate = true) {
  const entries = Object.entries(values);
  if (!entries.length) return emptyNote(section);
  chartBox(section, t(name));
  return {
    tooltip: { trigger: 'item' }, legend: { bottom: 0, textStyle: { fontSize: fontSize() } },
    series: [{ type: 'pie', radius: ['40%', '70%'], top: 0, bottom: 32, label: { fontSize: fontSize() },
      data: entries.map(([k, v]) => ({ name: translate ? t(k) : k, value: v })) }],
  };
}

// ---- customising the tiles -------------------------------------------------------------------------------------

function customise() {
  const shown = new Map(state.layout.map((tile) => [tile.id, tile.size]));
  const order = [...state.layout.map((tile) => tile.id), ...state.available.filter((id) => !shown.has(id))];
  const dialog = h('dialog.customise', { 'aria-labelledby': 'customise-title' });
  const list = h('ol');
  const render = () => {
    list.replaceChildren(...order.map((id, index) => h('li', {},
      h('label', {}, h('input', { type: 'checkbox', checked: shown.has(id),
        onchange: (e) => {
          // Only the size picker follows; redrawing the list would take the checkbox from under the finger.
          if (e.target.checked) shown.set(id, 'm'); else shown.delete(id);
          const size = e.target.closest('li').querySelector('select');
          size.disabled = !e.target.checked;
          size.value = shown.get(id) || 'm';
        } }), ` ${t(id)}`),
      h('select', { 'aria-label': `${t('size')}: ${t(id)}`, disabled: !shown.has(id),
        onchange: (e) => shown.set(id, e.target.value) },
      ...state.sizes.map((size) => h('option', { value: size, selected: shown.get(id) === size }, size.toUpperCase()))),
      h('button', { type: 'button', 'aria-label': `${t('up')}: ${t(id)}`, disabled: index === 0,
        onclick: () => { order.splice(index - 1, 0, order.splice(index, 1)[0]); render(); } }, '↑'),
      h('button', { type: 'button', 'aria-label': `${t('down')}: ${t(id)}`, disabled: index === order.length - 1,
        onclick: () => { order.splice(index + 1, 0, order.splice(index, 1)[0]); render(); } }, '↓'))));
  };
  render();
  dialog.append(h('h2', { id: 'customise-title' }, t('customise')), list, h('div.actions', {},
    h('button', { type: 'button', onclick: async () => {
      const tiles = order.filter((id) => shown.has(id)).map((id) => ({ id, size: shown.get(id) }));
      const saved = await api('PUT', '/api/v1/cockpit/layout', { tiles });
      state.layout = saved.tiles;
      dialog.close();
      dialog.remove();
      redraw();
    } }, t('save')),
    h('button', { type: 'button', onclick: () => { dialog.close(); dialog.remove(); } }, t('cancel'))));
  document.body.append(dialog);
  dialog.showModal();
}

// ---- start -----------------------------------------------------------------------------------------------------

async function start() {
  const layout = await api('GET', '/api/v1/cockpit/layout').catch((error) => error);
  if (layout instanceof Error) {
    if (/** @type {Error & {status?: number}} */ (layout).status === 403) { redraw(); return; }
    signInForm();
    return;
  }
  state.layout = layout.tiles;
  state.available = layout.available;
  state.sizes = layout.sizes;
  redraw();
  await load();
  startTimer();
}

async function boot() {
  const who = await api('GET', '/api/v1/session').catch(() => null);
  if (!who?.signed_in) { signInForm(); return; }
  state.user = who.user;
  state.csrf = who.csrf_token;
  start();
}

let resizeQueued = false;
window.addEventListener('resize', () => {
  if (resizeQueued) return;
  resizeQueued = true;
  requestAnimationFrame(() => { resizeQueued = false; for (const chart of state.charts) chart.resize(); });
});

boot();

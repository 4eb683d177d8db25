// Pure functions of the chat widget: no DOM, no globals, so `node --test` can check them.
// Everything that comes from the server or from storage passes through here first and is
// turned into a small, validated shape; the DOM code only ever renders those shapes, and
// only with textContent / createTextNode (never innerHTML).

export const MAX_TRANSCRIPT = 200;   // entries kept in storage (oldest dropped first)
export const MAX_TEXT = 4000;        // characters of one message kept
const MAX_BUTTONS = 12;
const MAX_CHART_ITEMS = 24;

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const clip = (s, n) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

// ---- session id -----------------------------------------------------------------------

/** A fresh 128-bit session id as 32 lowercase hex digits, from a CSPRNG. */
export function newSessionId(cryptoObj) {
  if (!cryptoObj || typeof cryptoObj.getRandomValues !== 'function') {
    throw new Error('a cryptographically secure random source is required');
  }
  const bytes = new Uint8Array(16);
  cryptoObj.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function isSessionId(value) {
  return typeof value === 'string' && /^[0-9a-f]{32}$/.test(value);
}

// ---- bot messages ---------------------------------------------------------------------

/** Only http(s) images (absolute, or relative to `base`); anything else is refused. */
export function safeImageUrl(src, base) {
  if (typeof src !== 'string' || src.trim() === '') return null;
  let url;
  try {
    url = base ? new URL(src, base) : new URL(src);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

function cleanButtons(list) {
  if (!Array.isArray(list)) return [];
  const out = [];
  for (const b of list) {
    if (!isObject(b)) continue;
    const payload = typeof b.payload === 'string' ? b.payload : '';
    let title = typeof b.title === 'string' ? b.title.trim() : '';
    if (!title) title = payload;
    if (!payload || !title) continue;
    out.push({ title: clip(title, 80), payload: clip(payload, 1000) });
    if (out.length === MAX_BUTTONS) break;
  }
  return out;
}

function textItem(text) {
  if (typeof text !== 'string') return null;
  const t = text.replace(/\r\n?/g, '\n').trim();
  return t ? { type: 'text', text: clip(t, MAX_TEXT) } : null;
}

/**
 * Turn one `bot_uttered` payload of Rasa's socket.io channel into render items:
 *   {type:'text', text} | {type:'buttons', buttons:[{title,payload}]}
 *   {type:'image', src, alt} | {type:'chart', chart}
 * Unknown or malformed parts are dropped; the result may be empty.
 * A chart arrives as `{custom: {chart}}` (channels.socketio) or, from Rasa's stock
 * socket.io output with a `{"data": {...}}` custom payload, as a top-level `chart`.
 */
export function normalizeBotMessage(msg, base) {
  if (typeof msg === 'string') msg = { text: msg };
  if (!isObject(msg)) return [];
  const items = [];
  const text = textItem(msg.text);
  if (text) items.push(text);
  const buttons = cleanButtons(msg.quick_replies).concat(cleanButtons(msg.buttons));
  if (buttons.length) items.push({ type: 'buttons', buttons: buttons.slice(0, MAX_BUTTONS) });

  const images = [];
  if (typeof msg.image === 'string') images.push({ src: msg.image });
  const att = msg.attachment;
  if (isObject(att) && att.type === 'image' && isObject(att.payload)) images.push(att.payload);
  for (const img of images) {
    const src = safeImageUrl(img.src, base);
    if (src) {
      const alt = typeof img.alt === 'string' ? clip(img.alt.trim(), 300) : '';
      items.push({ type: 'image', src, alt });
    }
  }

  const custom = isObject(msg.custom) ? msg.custom : msg;
  if ('chart' in custom) {
    const chart = parseChart(custom.chart);
    if (chart) items.push({ type: 'chart', chart });
  }
  return items;
}

// ---- charts ---------------------------------------------------------------------------

/** Round to at most one decimal and print without trailing zeros (77, 2.5). */
export function formatNumber(value) {
  return String(Math.round(value * 10) / 10);
}

function describeChart(c) {
  const parts = c.items.map((i) => `${i.label}: ${formatNumber(i.value)}${c.unit ? ' ' + c.unit : ''}`);
  let s = (c.title ? c.title + '. ' : 'Bar chart. ') + parts.join('; ') + '.';
  if (c.target !== null) s += ` Target: ${formatNumber(c.target)}${c.unit ? ' ' + c.unit : ''}.`;
  return s;
}

/**
 * Validate a chart payload:
 *   {type:'bar', title, unit, target: number|null, items:[{label, value}], alt}
 * Returns a clean copy, or null when anything essential is wrong.
 */
export function parseChart(raw) {
  if (!isObject(raw) || raw.type !== 'bar') return null;
  if (!Array.isArray(raw.items) || raw.items.length === 0 || raw.items.length > MAX_CHART_ITEMS) {
    return null;
  }
  const items = [];
  for (const it of raw.items) {
    if (!isObject(it) || typeof it.label !== 'string' || !it.label.trim()) return null;
    if (typeof it.value !== 'number' || !Number.isFinite(it.value) || it.value < 0) return null;
    items.push({ label: clip(it.label.trim(), 60), value: it.value });
  }
  let target = null;
  if (raw.target !== undefined && raw.target !== null) {
    if (typeof raw.target !== 'number' || !Number.isFinite(raw.target) || raw.target <= 0) {
      return null;
    }
    target = raw.target;
  }
  const str = (v, n) => (typeof v === 'string' ? clip(v.trim(), n) : '');
  const chart = { type: 'bar', title: str(raw.title, 120), unit: str(raw.unit, 16), target, items };
  chart.alt = str(raw.alt, 1000) || describeChart(chart);
  return chart;
}

/**
 * Geometry of a horizontal bar chart in a `width`-wide SVG: one row per item (label above
 * its bar, value after it) and an optional dashed target line across all rows.
 */
export function chartLayout(chart, width = 300) {
  const pad = 8;
  const titleH = chart.title ? 24 : 0;
  const rowH = 38;
  const labelH = 16;
  const barH = 13;
  const valueRoom = 64;
  const top = pad + titleH + (chart.target !== null ? 14 : 0);
  const maxValue = Math.max(chart.target ?? 0, ...chart.items.map((i) => i.value));
  const span = width - 2 * pad - valueRoom;
  const scale = maxValue > 0 ? span / maxValue : 0;
  const unit = chart.unit ? ' ' + chart.unit : '';
  const bars = chart.items.map((item, i) => {
    const y = top + i * rowH;
    const w = item.value * scale;
    return {
      label: item.label,
      labelX: pad,
      labelY: y + labelH - 3,
      x: pad,
      y: y + labelH,
      w,
      h: barH,
      valueText: formatNumber(item.value) + unit,
      valueX: pad + w + 4,
      valueY: y + labelH + barH - 2,
    };
  });
  const height = top + chart.items.length * rowH + pad;
  let target = null;
  if (chart.target !== null) {
    const x = pad + chart.target * scale;
    const label = `target ${formatNumber(chart.target)}${unit}`;
    target = {
      x,
      y1: top - 4,
      y2: height - pad,
      label,
      labelY: top - 6,
      anchor: x > width / 2 ? 'end' : 'start',
      labelX: x > width / 2 ? x - 3 : x + 3,
    };
  }
  return { width, height, titleX: pad, titleY: pad + 14, bars, target };
}

// ---- text -----------------------------------------------------------------------------

/** Split text into plain and link segments; only http(s) URLs become links. */
export function splitLinks(text) {
  const out = [];
  const re = /\bhttps?:\/\/[^\s<>"'`]+/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    let url = m[0];
    // Leave sentence punctuation (and an unbalanced closing parenthesis) outside the link.
    while (/[.,;:!?]$/.test(url) || (url.endsWith(')') && !url.includes('('))) {
      url = url.slice(0, -1);
    }
    const start = m.index;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: url, href: url });
    last = start + url.length;
    re.lastIndex = last;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** What a screen reader should hear for one new bot item. */
export function announcement(item) {
  switch (item.type) {
    case 'text':
      return item.text;
    case 'buttons':
      return 'Suggested replies: ' + item.buttons.map((b) => b.title).join(', ');
    case 'image':
      return item.alt ? 'Image: ' + item.alt : 'Image';
    case 'chart':
      return item.chart.alt;
    default:
      return '';
  }
}

// ---- transcript (kept in localStorage so a reload shows the conversation) -------------

/** Re-validate one stored entry ({from:'user'|'bot', type, ...}); null if unusable. */
export function cleanEntry(entry, base) {
  if (!isObject(entry)) return null;
  if (entry.from === 'user') {
    const t = textItem(entry.text);
    return entry.type === 'text' && t ? { from: 'user', ...t } : null;
  }
  if (entry.from !== 'bot') return null;
  let items = [];
  switch (entry.type) {
    case 'text':
      items = normalizeBotMessage({ text: entry.text });
      break;
    case 'buttons':
      items = normalizeBotMessage({ buttons: entry.buttons });
      break;
    case 'image':
      items = normalizeBotMessage({ attachment: { type: 'image', payload: entry } }, base);
      break;
    case 'chart':
      items = normalizeBotMessage({ custom: { chart: entry.chart } });
      break;
    default:
      return null;
  }
  return items.length === 1 ? { from: 'bot', ...items[0] } : null;
}

export function parseTranscript(json, base) {
  let data;
  try {
    data = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(data)) return [];
  return data.map((entry) => cleanEntry(entry, base)).filter(Boolean).slice(-MAX_TRANSCRIPT);
}

export function appendEntries(transcript, entries, max = MAX_TRANSCRIPT) {
  return transcript.concat(entries).slice(-max);
}

/** Index of the button group that is still answerable (none after the last user turn). */
export function activeButtonsIndex(transcript) {
  for (let i = transcript.length - 1; i >= 0; i--) {
    if (transcript[i].from === 'user') return -1;
    if (transcript[i].type === 'buttons') return i;
  }
  return -1;
}

/**
 * The widget's settings: defaults, then the page's config object, then data-attributes.
 * `authToken` (for sites with logins; off by default) is a signed token (JWT) string, or a
 * function returning one or a promise of one, called before every (re)connection so an
 * expired token can be replaced. Only the page's config object can give a function.
 */
export function resolveConfig(pageConfig, dataset, location) {
  const cfg = {
    serverUrl: location ? `${location.protocol}//${location.hostname}:5005` : '',
    socketPath: '/socket.io/',
    title: 'Bone health assistant',
    initialMessage: '/greet',
    placeholder: 'Ask about magnesium and your bones…',
    storagePrefix: 'bonechat',
    authToken: null,
  };
  const pick = (src, map) => {
    if (!src || typeof src !== 'object') return;
    for (const [from, to] of map) {
      const v = src[from];
      if (typeof v === 'string' && (v.trim() !== '' || to === 'initialMessage')) cfg[to] = v.trim();
    }
  };
  const keys = ['serverUrl', 'socketPath', 'title', 'initialMessage', 'placeholder', 'storagePrefix', 'authToken'];
  pick(pageConfig, keys.map((k) => [k, k]));
  pick(dataset, keys.map((k) => [k, k]));
  if (pageConfig && typeof pageConfig === 'object' && typeof pageConfig.authToken === 'function') {
    cfg.authToken = pageConfig.authToken;
  }
  cfg.serverUrl = cfg.serverUrl.replace(/\/+$/, '');
  return cfg;
}

// ---- signed token for the socket.io channel (Rasa's `jwt_key` credential) ------------

/**
 * The token to send now: the string itself, or what the function returns (awaited).
 * Anything that is not a non-empty string, or a function that throws, gives null.
 */
export async function currentToken(authToken) {
  let value = authToken;
  if (typeof authToken === 'function') {
    try {
      value = await authToken();
    } catch {
      return null;
    }
  }
  if (typeof value !== 'string') return null;
  const token = value.trim().replace(/^Bearer\s+/i, '');
  return token || null;
}

/**
 * The `auth` option for socket.io-client, or undefined without a token setting. Rasa's
 * socket.io channel reads the token from the connection's auth object as `{token}`; as a
 * function, socket.io-client calls it on every (re)connection, so each gets a fresh token.
 */
export function socketAuth(authToken) {
  if (authToken === null || authToken === undefined || authToken === '') return undefined;
  return (send) => {
    currentToken(authToken).then((token) => send(token ? { token } : {}));
  };
}

/**
 * After the server refused the connection (missing, invalid or expired token): how long
 * to wait before connecting again, or null for not at all. Only a token function can give
 * a new token, so only then is it worth retrying (2 s, 4 s, 8 s, ... up to 60 s).
 */
export function refusedRetryDelay(authToken, attempt) {
  if (typeof authToken !== 'function') return null;
  const n = Number.isInteger(attempt) && attempt > 0 ? attempt : 0;
  return Math.min(60000, 2000 * 2 ** Math.min(n, 5));
}

/**
 * The metadata sent with each message: the browser's IANA time zone ("Europe/Paris"), so the
 * assistant's food diary counts the person's own day. The server checks the name and counts
 * in UTC when it is missing or unknown. `intl` is `Intl` (a stand-in in tests).
 */
export function messageMetadata(intl = globalThis.Intl) {
  try {
    const zone = intl.DateTimeFormat().resolvedOptions().timeZone;
    if (typeof zone === 'string' && zone.length > 0 && zone.length <= 64) return { timezone: zone };
  } catch (error) {
    // no Intl time zone support: the server counts in UTC
  }
  return {};
}

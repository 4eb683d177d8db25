// The chat widget: a launcher button in the page corner that opens a chat panel talking to
// Rasa's socket.io channel. One <script> tag embeds it (see README, "Embed the chat widget").
//
// Safety rule for this file: text from the bot, the user or storage is only ever put into
// the page with textContent / createTextNode / setAttribute, never with innerHTML.
import { io } from 'socket.io-client';
import {
  activeButtonsIndex,
  announcement,
  appendEntries,
  chartLayout,
  isSessionId,
  messageMetadata,
  newSessionId,
  normalizeBotMessage,
  parseTranscript,
  refusedRetryDelay,
  resolveConfig,
  socketAuth,
  splitLinks,
} from './core.js';
import { CSS } from './styles.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const REPLY_TIMEOUT_MS = 20000;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (v === true) node.setAttribute(k, '');
    else if (v !== false && v != null) node.setAttribute(k, String(v));
  }
  for (const c of children) node.append(c);
  return node;
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Storage that never throws (private mode, disabled cookies, full quota). */
function safeStorage(kind) {
  const memory = new Map();
  let store = null;
  try {
    store = window[kind];
    const probe = '__bonechat_probe__';
    store.setItem(probe, '1');
    store.removeItem(probe);
  } catch {
    store = null;
  }
  return {
    get: (k) => {
      try {
        return store ? store.getItem(k) : memory.get(k) ?? null;
      } catch {
        return memory.get(k) ?? null;
      }
    },
    set: (k, v) => {
      memory.set(k, v);
      try {
        if (store) store.setItem(k, v);
      } catch {
        /* quota or privacy settings: keep the in-memory copy */
      }
    },
    remove: (k) => {
      memory.delete(k);
      try {
        if (store) store.removeItem(k);
      } catch {
        /* ignore */
      }
    },
  };
}

// ---- rendering of one transcript entry ------------------------------------------------

function renderText(text) {
  const p = el('p', { class: 'bc-bubble' });
  for (const seg of splitLinks(text)) {
    if (seg.href) {
      p.append(el('a', { href: seg.href, target: '_blank', rel: 'noopener noreferrer', text: seg.text }));
    } else {
      p.append(document.createTextNode(seg.text));
    }
  }
  return p;
}

function renderChart(chart) {
  const g = chartLayout(chart, 300);
  const root = svg('svg', {
    viewBox: `0 0 ${g.width} ${g.height}`,
    role: 'img',
    'aria-label': chart.alt,
    focusable: 'false',
  });
  root.append(svg('title', {}, chart.alt));
  if (chart.title) {
    root.append(svg('text', { x: g.titleX, y: g.titleY, 'font-size': 14, 'font-weight': 700, fill: '#1b1b1b' }, chart.title));
  }
  for (const b of g.bars) {
    root.append(svg('text', { x: b.labelX, y: b.labelY, 'font-size': 12, fill: '#333' }, b.label));
    root.append(svg('rect', { x: b.x, y: b.y, width: Math.max(b.w, 1), height: b.h, rx: 2, fill: '#1f5f8b' }));
    root.append(svg('text', { x: b.valueX, y: b.valueY, 'font-size': 12, 'font-weight': 600, fill: '#1b1b1b' }, b.valueText));
  }
  if (g.target) {
    const t = g.target;
    root.append(svg('line', { x1: t.x, x2: t.x, y1: t.y1, y2: t.y2, stroke: '#b3261e', 'stroke-width': 2, 'stroke-dasharray': '4 3' }));
    root.append(svg('text', { x: t.labelX, y: t.labelY, 'font-size': 11, fill: '#b3261e', 'text-anchor': t.anchor }, t.label));
  }
  return el('figure', { class: 'bc-chart' }, root);
}

function renderEntry(entry, onChoose, active) {
  const wide = entry.type === 'chart' ? ' bc-wide' : '';
  const li = el('li', { class: `bc-msg ${entry.from === 'user' ? 'bc-user' : 'bc-bot'}${wide}` });
  if (entry.from === 'user') {
    li.append(el('span', { class: 'bc-sr-only', text: 'You said:' }), renderText(entry.text));
    return li;
  }
  switch (entry.type) {
    case 'text':
      li.append(renderText(entry.text));
      break;
    case 'buttons': {
      const group = el('div', { class: 'bc-buttons', role: 'group', 'aria-label': 'Suggested replies' });
      for (const b of entry.buttons) {
        const btn = el('button', { type: 'button', text: b.title, disabled: !active });
        btn.addEventListener('click', () => onChoose(b));
        group.append(btn);
      }
      li.append(group);
      break;
    }
    case 'image':
      li.append(el('img', { class: 'bc-image', src: entry.src, alt: entry.alt || 'Image from the assistant', loading: 'lazy' }));
      break;
    case 'chart':
      li.append(renderChart(entry.chart));
      break;
    default:
      return null;
  }
  return li;
}

// ---- the widget -----------------------------------------------------------------------

const CHAT_ICON =
  'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z';

class BoneChat {
  constructor(config) {
    this.cfg = config;
    this.local = safeStorage('localStorage');
    this.tabStore = safeStorage('sessionStorage');
    this.keys = {
      session: `${config.storagePrefix}.session`,
      transcript: `${config.storagePrefix}.transcript`,
      greeted: `${config.storagePrefix}.greeted`,
      lastSender: `${config.storagePrefix}.lastSender`,
      open: `${config.storagePrefix}.open`,
    };
    // Which browser tab asked last (kept across reloads of the same tab).
    this.tabId = this.tabStore.get(`${config.storagePrefix}.tab`) || newSessionId(window.crypto).slice(0, 12);
    this.tabStore.set(`${config.storagePrefix}.tab`, this.tabId);
    this.sessionId = this.loadSession();
    this.transcript = parseTranscript(this.local.get(this.keys.transcript) || '[]', window.location.href);
    this.socket = null;
    this.refusals = 0;
    this.ready = false;
    this.outbox = [];
    this.replyTimer = null;
    this.build();
    this.renderAll();
    window.addEventListener('storage', (e) => this.onStorage(e));
    if (this.tabStore.get(this.keys.open) === '1') this.open({ focus: false });
  }

  loadSession() {
    const stored = this.local.get(this.keys.session);
    if (isSessionId(stored)) return stored;
    const id = newSessionId(window.crypto);
    this.local.set(this.keys.session, id);
    return id;
  }

  // -- DOM

  build() {
    const host = el('div', { id: 'bonechat-widget' });
    const root = host.attachShadow({ mode: 'open' });
    this.host = host;
    this.root = root;
    root.append(el('style', { text: CSS }));

    const icon = svg('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' });
    icon.append(svg('path', { d: CHAT_ICON, fill: 'currentColor' }));
    this.launcher = el(
      'button',
      { type: 'button', class: 'bc-launcher', 'aria-expanded': 'false', 'aria-controls': 'bc-panel' },
      icon,
      el('span', { text: 'Chat' }),
      el('span', { class: 'bc-dot', 'aria-hidden': 'true' }),
    );
    this.launcher.setAttribute('aria-label', `Open chat: ${this.cfg.title}`);
    this.launcher.addEventListener('click', () => this.open({ focus: true }));

    this.restartBtn = el('button', { type: 'button', class: 'bc-restart', text: 'New chat', 'aria-label': 'Start a new conversation' });
    this.restartBtn.addEventListener('click', () => this.restart());
    this.closeBtn = el('button', { type: 'button', class: 'bc-close', 'aria-label': 'Close chat', text: '×' });
    this.closeBtn.addEventListener('click', () => this.close());

    this.status = el('p', { class: 'bc-status', role: 'status', hidden: true });
    this.log = el('ol', { class: 'bc-log', tabindex: '0', 'aria-label': 'Conversation' });
    this.typing = el(
      'div',
      { class: 'bc-typing', hidden: true },
      el('span', { 'aria-hidden': 'true' }),
      el('span', { 'aria-hidden': 'true' }),
      el('span', { 'aria-hidden': 'true' }),
      el('span', { class: 'bc-sr-only', text: 'The assistant is typing' }),
    );
    this.live = el('div', { class: 'bc-sr-only', 'aria-live': 'polite', 'aria-atomic': 'false' });

    this.input = el('input', {
      id: 'bc-input',
      type: 'text',
      autocomplete: 'off',
      maxlength: '1000',
      placeholder: this.cfg.placeholder,
      enterkeyhint: 'send',
    });
    this.form = el(
      'form',
      { class: 'bc-form' },
      el('label', { class: 'bc-sr-only', for: 'bc-input', text: 'Your message' }),
      this.input,
      el('button', { type: 'submit', text: 'Send' }),
    );
    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.sendText(this.input.value);
    });

    const title = el('h2', { id: 'bc-title', text: this.cfg.title });
    this.panel = el(
      'section',
      { id: 'bc-panel', class: 'bc-panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'bc-title', hidden: true },
      el('div', { class: 'bc-header' }, title, this.restartBtn, this.closeBtn),
      this.status,
      this.log,
      this.typing,
      this.live,
      this.form,
      el('p', { class: 'bc-note', text: 'General information, not medical advice.' }),
    );
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      }
    });

    root.append(el('div', { class: 'bc' }, this.launcher, this.panel));
    document.body.append(host);
  }

  renderAll() {
    this.log.replaceChildren();
    const active = activeButtonsIndex(this.transcript);
    this.transcript.forEach((entry, i) => {
      const node = renderEntry(entry, (b) => this.choose(b), i === active);
      if (node) this.log.append(node);
    });
    this.scrollToEnd();
  }

  scrollToEnd() {
    this.log.scrollTop = this.log.scrollHeight;
  }

  announce(text) {
    if (!text) return;
    this.live.append(el('p', { text }));
    while (this.live.childElementCount > 6) this.live.firstElementChild.remove();
  }

  setStatus(text) {
    this.status.textContent = text || '';
    this.status.hidden = !text;
  }

  showTyping(on) {
    clearTimeout(this.replyTimer);
    this.typing.hidden = !on;
    if (on) {
      this.replyTimer = setTimeout(() => {
        this.typing.hidden = true;
      }, REPLY_TIMEOUT_MS);
    }
  }

  // -- open / close

  open({ focus }) {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.launcher.setAttribute('aria-expanded', 'true');
    this.launcher.classList.remove('bc-unread');
    this.tabStore.set(this.keys.open, '1');
    this.connect();
    this.scrollToEnd();
    if (focus) this.input.focus();
    if (this.transcript.length === 0 && this.local.get(this.keys.greeted) !== this.sessionId) {
      this.greet();
    }
  }

  close() {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.launcher.setAttribute('aria-expanded', 'false');
    this.tabStore.set(this.keys.open, '0');
    this.launcher.focus();
  }

  greet() {
    if (!this.cfg.initialMessage) return;
    this.local.set(this.keys.greeted, this.sessionId);
    this.emitUser(this.cfg.initialMessage);
  }

  restart() {
    this.sessionId = newSessionId(window.crypto);
    this.local.set(this.keys.session, this.sessionId);
    this.transcript = [];
    this.saveTranscript();
    this.renderAll();
    this.outbox = [];
    this.ready = false;
    if (this.socket && this.socket.connected) {
      this.socket.emit('session_request', { session_id: this.sessionId });
    }
    this.announce('New conversation started.');
    this.greet();
    this.input.focus();
  }

  // -- transcript

  saveTranscript() {
    this.local.set(this.keys.transcript, JSON.stringify(this.transcript));
  }

  addEntries(entries, { store = true } = {}) {
    const before = this.transcript.length;
    this.transcript = appendEntries(this.transcript, entries);
    if (store) this.saveTranscript();
    // Appending keeps what is on screen; a trimmed transcript is simply redrawn.
    if (this.transcript.length < before + entries.length || entries.some((e) => e.from === 'user')) {
      this.renderAll();
    } else {
      const active = activeButtonsIndex(this.transcript);
      const start = this.transcript.length - entries.length;
      entries.forEach((entry, k) => {
        const node = renderEntry(entry, (b) => this.choose(b), start + k === active);
        if (node) this.log.append(node);
      });
      this.scrollToEnd();
    }
  }

  onStorage(e) {
    // Another tab of the same site wrote the conversation: show the same thing here.
    if (e.key === this.keys.transcript) {
      this.transcript = parseTranscript(e.newValue || '[]', window.location.href);
      this.renderAll();
    } else if (e.key === this.keys.session && isSessionId(e.newValue) && e.newValue !== this.sessionId) {
      this.sessionId = e.newValue;
      if (this.socket && this.socket.connected) {
        this.socket.emit('session_request', { session_id: this.sessionId });
      }
    }
  }

  // -- sending

  sendText(raw) {
    const text = String(raw || '').trim();
    if (!text) return;
    this.input.value = '';
    this.addEntries([{ from: 'user', type: 'text', text: text.slice(0, 1000) }]);
    this.emitUser(text.slice(0, 1000));
  }

  choose(button) {
    this.addEntries([{ from: 'user', type: 'text', text: button.title }]);
    this.emitUser(button.payload);
    this.input.focus();
  }

  emitUser(message) {
    this.local.set(this.keys.lastSender, this.tabId);
    this.outbox.push(message);
    this.showTyping(true);
    this.flush();
  }

  flush() {
    if (!this.ready || !this.socket) return;
    while (this.outbox.length) {
      const message = this.outbox.shift();
      this.socket.emit('user_uttered', {
        message, session_id: this.sessionId, metadata: messageMetadata(),
      });
    }
  }

  // -- connection

  connect() {
    if (this.socket) return;
    this.setStatus('Connecting…');
    const options = {
      path: this.cfg.socketPath,
      transports: ['websocket', 'polling'],
      tryAllTransports: true,
      reconnectionDelayMax: 4000,
    };
    // Sites with logins: the signed token Rasa's channel checks (credentials `jwt_key`).
    const auth = socketAuth(this.cfg.authToken);
    if (auth) options.auth = auth;
    const socket = io(this.cfg.serverUrl, options);
    this.socket = socket;
    socket.on('connect', () => {
      this.refusals = 0;
      // Every (re)connection joins the conversation's room again; Rasa keeps the
      // conversation itself under this id, so it continues where it stopped.
      this.ready = false;
      socket.emit('session_request', { session_id: this.sessionId });
    });
    socket.on('session_confirm', (id) => {
      const confirmed = typeof id === 'string' ? id : id && id.session_id;
      if (confirmed !== this.sessionId) return;
      this.ready = true;
      this.setStatus('');
      this.flush();
    });
    socket.on('disconnect', () => {
      this.ready = false;
      this.setStatus('Connection lost. Reconnecting…');
    });
    socket.on('connect_error', () => {
      this.ready = false;
      if (socket.active) {
        this.setStatus('Cannot reach the assistant right now. Retrying…');
        return;
      }
      // The server refused this connection (its sign-in token was missing, invalid or
      // expired); socket.io does not retry that by itself.
      const delay = refusedRetryDelay(this.cfg.authToken, this.refusals++);
      if (delay === null) {
        this.setStatus('The assistant did not accept this page\'s sign-in. Please sign in again and reload the page.');
        return;
      }
      this.setStatus('Signing in to the assistant again…');
      setTimeout(() => socket.connect(), delay);
    });
    socket.on('bot_uttered', (msg) => this.onBotMessage(msg));
  }

  onBotMessage(msg) {
    const items = normalizeBotMessage(msg, window.location.href);
    if (items.length === 0) return;
    this.showTyping(false);
    // Only the tab that asked stores the answer (other tabs of the same conversation get
    // it through the storage event), so it is not stored twice.
    const sender = this.local.get(this.keys.lastSender);
    const mine = !sender || sender === this.tabId;
    this.addEntries(items.map((it) => ({ from: 'bot', ...it })), { store: mine });
    for (const it of items) this.announce(announcement(it));
    if (this.panel.hidden) this.launcher.classList.add('bc-unread');
  }
}

// document.currentScript is only set while this script first runs: read the tag's
// data-attributes now, start once the page body exists.
const scriptData = document.currentScript ? document.currentScript.dataset : null;

function boot() {
  if (window.__boneChat) return;
  try {
    const cfg = resolveConfig(window.BoneChatConfig, scriptData, window.location);
    window.__boneChat = new BoneChat(cfg);
  } catch (err) {
    console.error('[bone chat] could not start:', err);
  }
}

if (document.readyState === 'loading') {
  document.addEventListener('DOMContentLoaded', boot);
} else {
  boot();
}

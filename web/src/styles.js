// The widget's stylesheet. It lives inside the widget's shadow root, so the host page's
// CSS cannot reach in and these rules cannot leak out.
export const CSS = `
:host { all: initial; }
.bc {
  --bc-accent: #1f5f8b;
  --bc-accent-dark: #174a6d;
  --bc-bot-bg: #eef2f5;
  --bc-text: #1b1b1b;
  --bc-muted: #555f69;
  --bc-focus: #e8a200;
  font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
  color: var(--bc-text);
}
.bc *, .bc *::before, .bc *::after { box-sizing: border-box; }
.bc button { font: inherit; cursor: pointer; }
.bc :focus-visible { outline: 3px solid var(--bc-focus); outline-offset: 2px; }
.bc-sr-only {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; border: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap;
}

.bc-launcher {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483000;
  display: flex; align-items: center; gap: 8px;
  min-height: 52px; padding: 0 20px 0 16px; border: 0; border-radius: 26px;
  background: var(--bc-accent); color: #fff; font-weight: 600;
  box-shadow: 0 4px 14px rgba(0,0,0,.25);
}
.bc-launcher:hover { background: var(--bc-accent-dark); }
.bc-launcher svg { width: 22px; height: 22px; flex: none; }
.bc-launcher .bc-dot {
  display: none; width: 10px; height: 10px; border-radius: 50%; background: #e8a200;
}
.bc-launcher.bc-unread .bc-dot { display: inline-block; }

.bc-panel {
  position: fixed; right: 16px; bottom: 16px; z-index: 2147483001;
  width: min(390px, calc(100vw - 32px)); height: min(620px, calc(100vh - 32px));
  display: flex; flex-direction: column;
  background: #fff; border-radius: 14px; overflow: hidden;
  box-shadow: 0 8px 30px rgba(0,0,0,.3);
}
.bc-panel[hidden] { display: none; }
@media (max-width: 480px) {
  .bc-panel { right: 0; bottom: 0; width: 100vw; height: 100vh; height: 100dvh; border-radius: 0; }
}

.bc-header {
  display: flex; align-items: center; gap: 6px; padding: 10px 10px 10px 16px;
  background: var(--bc-accent); color: #fff;
}
.bc-header h2 { flex: 1; margin: 0; font-size: 16px; font-weight: 650; }
.bc-header button {
  min-width: 40px; min-height: 40px; padding: 0 10px; border: 1px solid rgba(255,255,255,.55);
  border-radius: 8px; background: transparent; color: #fff; font-size: 14px;
}
.bc-header button:hover { background: rgba(255,255,255,.15); }
.bc-header .bc-close { font-size: 22px; line-height: 1; border-color: transparent; }

.bc-status { margin: 0; padding: 6px 16px; background: #fff4d6; color: #5a4300; font-size: 13px; }
.bc-status[hidden] { display: none; }

.bc-log {
  flex: 1; margin: 0; padding: 12px; overflow-y: auto; list-style: none;
  display: flex; flex-direction: column; gap: 8px; overscroll-behavior: contain;
}
.bc-msg { max-width: 88%; display: flex; flex-direction: column; gap: 6px; }
.bc-msg.bc-bot { align-self: flex-start; }
.bc-msg.bc-user { align-self: flex-end; }
.bc-msg.bc-wide { max-width: 100%; align-self: stretch; }
.bc-bubble {
  margin: 0; padding: 8px 12px; border-radius: 14px;
  white-space: pre-wrap; overflow-wrap: anywhere;
}
.bc-bot .bc-bubble { background: var(--bc-bot-bg); border-bottom-left-radius: 4px; }
.bc-user .bc-bubble { background: var(--bc-accent); color: #fff; border-bottom-right-radius: 4px; }
.bc-bubble a { color: inherit; text-decoration: underline; }
.bc-buttons { display: flex; flex-wrap: wrap; gap: 6px; }
.bc-buttons button {
  min-height: 36px; padding: 6px 12px; border: 1.5px solid var(--bc-accent);
  border-radius: 18px; background: #fff; color: var(--bc-accent); font-size: 14px;
}
.bc-buttons button:hover:not(:disabled) { background: #e6eff6; }
.bc-buttons button:disabled { border-color: #b8c2cb; color: #6b7680; cursor: default; }
.bc-image { display: block; max-width: 100%; height: auto; border-radius: 10px; }
.bc-chart { margin: 0; padding: 8px; background: #fff; border: 1px solid #d5dde4; border-radius: 10px; }
.bc-chart svg { display: block; width: 100%; height: auto; }

.bc-typing { display: flex; gap: 4px; margin: 0 12px 8px; padding: 10px 12px; width: max-content;
  background: var(--bc-bot-bg); border-radius: 14px; }
.bc-typing[hidden] { display: none; }
.bc-typing span { width: 7px; height: 7px; border-radius: 50%; background: #7b8792;
  animation: bc-blink 1.2s infinite ease-in-out; }
.bc-typing span:nth-child(2) { animation-delay: .2s; }
.bc-typing span:nth-child(3) { animation-delay: .4s; }
@keyframes bc-blink { 0%, 80%, 100% { opacity: .3; } 40% { opacity: 1; } }
@media (prefers-reduced-motion: reduce) { .bc-typing span { animation: none; opacity: .7; } }

.bc-form { display: flex; gap: 8px; padding: 10px; border-top: 1px solid #dde3e8; }
.bc-form input {
  flex: 1; min-width: 0; min-height: 44px; padding: 8px 12px;
  border: 1.5px solid #8a96a1; border-radius: 10px; font: inherit; color: var(--bc-text);
}
.bc-form button[type=submit] {
  min-height: 44px; padding: 0 16px; border: 0; border-radius: 10px;
  background: var(--bc-accent); color: #fff; font-weight: 600;
}
.bc-form button[type=submit]:hover { background: var(--bc-accent-dark); }
.bc-note { margin: 0; padding: 0 12px 8px; color: var(--bc-muted); font-size: 12px; }
`;

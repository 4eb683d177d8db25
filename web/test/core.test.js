// Unit tests of the widget's pure functions: `node --test web/test/` (no browser, no deps).
import assert from 'node:assert/strict';
import { webcrypto } from 'node:crypto';
import { test } from 'node:test';
import {
  activeButtonsIndex,
  announcement,
  appendEntries,
  chartLayout,
  cleanEntry,
  formatNumber,
  isSessionId,
  messageMetadata,
  newSessionId,
  normalizeBotMessage,
  parseChart,
  parseTranscript,
  resolveConfig,
  safeImageUrl,
  splitLinks,
} from '../src/core.js';

const goodChart = {
  type: 'bar',
  title: 'Magnesium in your foods',
  unit: 'mg',
  target: 320,
  items: [
    { label: 'almonds, 1 oz', value: 77 },
    { label: 'spinach, 1/2 cup', value: 78.3 },
  ],
  alt: 'Almonds 77 mg and spinach 78 mg against a 320 mg target',
};

test('session ids are 128 random bits as 32 hex digits', () => {
  const a = newSessionId(webcrypto);
  const b = newSessionId(webcrypto);
  assert.match(a, /^[0-9a-f]{32}$/);
  assert.notEqual(a, b);
  assert.ok(isSessionId(a));
  assert.ok(!isSessionId('abc'));
  assert.ok(!isSessionId(a.toUpperCase()));
  assert.ok(!isSessionId(null));
});

test('session ids use exactly the bytes from getRandomValues', () => {
  const fake = { getRandomValues: (arr) => arr.fill(0xab) };
  assert.equal(newSessionId(fake), 'ab'.repeat(16));
  assert.throws(() => newSessionId({}), /random/);
  assert.throws(() => newSessionId(undefined), /random/);
});

test('text with quick replies becomes a text item and a buttons item', () => {
  const items = normalizeBotMessage({
    text: 'How old are you?',
    quick_replies: [
      { content_type: 'text', title: '19-30', payload: '/inform{"age": 25}' },
      { content_type: 'text', title: '', payload: '/skip' },
      { title: 'no payload' },
      'junk',
    ],
  });
  assert.deepEqual(items, [
    { type: 'text', text: 'How old are you?' },
    {
      type: 'buttons',
      buttons: [
        { title: '19-30', payload: '/inform{"age": 25}' },
        { title: '/skip', payload: '/skip' },
      ],
    },
  ]);
});

test('line breaks are kept, CRLF normalised, surrounding space trimmed', () => {
  const [item] = normalizeBotMessage({ text: '  first line\r\n- second\r- third \n' });
  assert.equal(item.text, 'first line\n- second\n- third');
});

test('images: only http(s) sources, relative ones resolved against the page', () => {
  const base = 'https://example.org/page/';
  const ok = normalizeBotMessage({ attachment: { type: 'image', payload: { src: 'img/bone.png' } } }, base);
  assert.deepEqual(ok, [{ type: 'image', src: 'https://example.org/page/img/bone.png', alt: '' }]);
  assert.deepEqual(normalizeBotMessage({ attachment: { type: 'image', payload: { src: 'javascript:alert(1)' } } }), []);
  assert.deepEqual(normalizeBotMessage({ image: 'data:image/svg+xml,<svg onload=alert(1)>' }), []);
  assert.equal(safeImageUrl('http://a.test/x.png'), 'http://a.test/x.png');
  assert.equal(safeImageUrl(42), null);
  assert.equal(safeImageUrl('not a url'), null);
});

test('a chart arrives as {custom: {chart}} or, via Rasa\'s {"data": ...} form, as top-level chart', () => {
  const viaCustom = normalizeBotMessage({ custom: { chart: goodChart } });
  const viaData = normalizeBotMessage({ chart: goodChart });
  assert.equal(viaCustom.length, 1);
  assert.equal(viaCustom[0].type, 'chart');
  assert.deepEqual(viaCustom, viaData);
  assert.equal(viaCustom[0].chart.alt, goodChart.alt);
  assert.equal(viaCustom[0].chart.target, 320);
});

test('malformed charts are ignored, never thrown', () => {
  const bad = [
    null,
    'chart',
    [],
    { ...goodChart, type: 'pie' },
    { ...goodChart, items: [] },
    { ...goodChart, items: 'x' },
    { ...goodChart, items: [{ label: 'x', value: -1 }] },
    { ...goodChart, items: [{ label: 'x', value: NaN }] },
    { ...goodChart, items: [{ label: 'x', value: '77' }] },
    { ...goodChart, items: [{ label: '', value: 1 }] },
    { ...goodChart, items: [null] },
    { ...goodChart, target: 'lots' },
    { ...goodChart, target: -5 },
    { ...goodChart, items: Array.from({ length: 25 }, (_, i) => ({ label: `f${i}`, value: i })) },
  ];
  for (const chart of bad) {
    assert.equal(parseChart(chart), null, JSON.stringify(chart));
    assert.deepEqual(normalizeBotMessage({ custom: { chart } }), []);
  }
  // A bad chart does not take the text of the same message with it.
  assert.deepEqual(normalizeBotMessage({ text: 'hi', custom: { chart: { type: 'bar' } } }), [
    { type: 'text', text: 'hi' },
  ]);
});

test('a chart without alt text gets one generated from its data; target may be null', () => {
  const chart = parseChart({ type: 'bar', unit: 'mg', target: null, items: [{ label: 'banana', value: 31.94 }] });
  assert.equal(chart.target, null);
  assert.equal(chart.alt, 'Bar chart. banana: 31.9 mg.');
  const withTarget = parseChart({ ...goodChart, alt: undefined });
  assert.match(withTarget.alt, /^Magnesium in your foods\. almonds, 1 oz: 77 mg; spinach, 1\/2 cup: 78\.3 mg\. Target: 320 mg\.$/);
});

test('chart layout: bars scale to the largest of values and target, target line inside', () => {
  const chart = parseChart(goodChart);
  const g = chartLayout(chart, 300);
  assert.equal(g.bars.length, 2);
  const [almonds, spinach] = g.bars;
  assert.ok(Math.abs(almonds.w / spinach.w - 77 / 78.3) < 1e-9);
  assert.ok(g.target.x > spinach.x + spinach.w, 'target 320 is right of a 78 mg bar');
  assert.ok(g.target.x <= 300, 'target inside the drawing');
  assert.ok(spinach.y > almonds.y, 'one row per item');
  assert.ok(g.height > spinach.y + spinach.h);
  assert.equal(almonds.valueText, '77 mg');
  assert.equal(g.target.label, 'target 320 mg');
  // Without a target the largest bar uses the full span.
  const noTarget = chartLayout(parseChart({ ...goodChart, target: null }), 300);
  assert.equal(noTarget.target, null);
  assert.ok(noTarget.bars[1].w > spinach.w);
  // All-zero values draw without dividing by zero.
  const zeros = chartLayout(parseChart({ type: 'bar', items: [{ label: 'water', value: 0 }] }), 300);
  assert.equal(zeros.bars[0].w, 0);
});

test('formatNumber keeps at most one decimal', () => {
  assert.equal(formatNumber(77), '77');
  assert.equal(formatNumber(78.34), '78.3');
  assert.equal(formatNumber(0.05), '0.1');
});

test('links: only http(s) URLs, trailing punctuation left outside', () => {
  assert.deepEqual(splitLinks('See https://ods.od.nih.gov/factsheets/Magnesium/. Thanks'), [
    { text: 'See ' },
    { text: 'https://ods.od.nih.gov/factsheets/Magnesium/', href: 'https://ods.od.nih.gov/factsheets/Magnesium/' },
    { text: '. Thanks' },
  ]);
  assert.deepEqual(splitLinks('(source: https://a.test/x)'), [
    { text: '(source: ' },
    { text: 'https://a.test/x', href: 'https://a.test/x' },
    { text: ')' },
  ]);
  assert.deepEqual(splitLinks('javascript:alert(1) and <b>bold</b>'), [
    { text: 'javascript:alert(1) and <b>bold</b>' },
  ]);
  assert.deepEqual(splitLinks(''), []);
});

test('stored transcripts are re-validated; junk is dropped', () => {
  const stored = JSON.stringify([
    { from: 'user', type: 'text', text: '<img src=x onerror=alert(1)>' },
    { from: 'bot', type: 'text', text: 'Hello' },
    { from: 'bot', type: 'buttons', buttons: [{ title: 'Yes', payload: '/affirm' }] },
    { from: 'bot', type: 'chart', chart: goodChart },
    { from: 'bot', type: 'chart', chart: { type: 'bar', items: 'nope' } },
    { from: 'bot', type: 'image', src: 'javascript:alert(1)' },
    { from: 'admin', type: 'text', text: 'x' },
    { from: 'bot', type: 'html', html: '<b>x</b>' },
    null,
  ]);
  const t = parseTranscript(stored);
  assert.deepEqual(t.map((e) => `${e.from}:${e.type}`), ['user:text', 'bot:text', 'bot:buttons', 'bot:chart']);
  assert.equal(t[0].text, '<img src=x onerror=alert(1)>', 'kept as text, to be shown as text');
  const withImage = JSON.stringify([{ from: 'bot', type: 'image', src: 'img/x.png', alt: 'x' }]);
  assert.deepEqual(parseTranscript(withImage, 'https://site.test/a/'), [
    { from: 'bot', type: 'image', src: 'https://site.test/a/img/x.png', alt: 'x' },
  ]);
  assert.deepEqual(parseTranscript(withImage), [], 'a relative source needs the page address');
  assert.deepEqual(parseTranscript('not json'), []);
  assert.deepEqual(parseTranscript('{"a": 1}'), []);
  assert.equal(cleanEntry({ from: 'user', type: 'text', text: '   ' }), null);
});

test('transcripts keep the newest entries up to the cap', () => {
  const t = appendEntries([{ n: 1 }, { n: 2 }], [{ n: 3 }, { n: 4 }], 3);
  assert.deepEqual(t, [{ n: 2 }, { n: 3 }, { n: 4 }]);
});

test('only the newest button group, with no user turn after it, stays answerable', () => {
  const b = { from: 'bot', type: 'buttons', buttons: [{ title: 'A', payload: '/a' }] };
  const u = { from: 'user', type: 'text', text: 'A' };
  const t = { from: 'bot', type: 'text', text: 'ok' };
  assert.equal(activeButtonsIndex([b, t]), 0);
  assert.equal(activeButtonsIndex([b, u, t]), -1);
  assert.equal(activeButtonsIndex([b, u, t, b]), 3);
  assert.equal(activeButtonsIndex([]), -1);
});

test('screen reader announcements for each kind of item', () => {
  assert.equal(announcement({ type: 'text', text: 'Hi' }), 'Hi');
  assert.equal(
    announcement({ type: 'buttons', buttons: [{ title: 'Yes' }, { title: 'No' }] }),
    'Suggested replies: Yes, No',
  );
  assert.equal(announcement({ type: 'image', alt: '' }), 'Image');
  assert.equal(announcement({ type: 'chart', chart: parseChart(goodChart) }), goodChart.alt);
});

test('config: defaults, then the page object, then data-attributes', () => {
  const loc = { protocol: 'https:', hostname: 'bones.example' };
  assert.equal(resolveConfig(undefined, null, loc).serverUrl, 'https://bones.example:5005');
  const cfg = resolveConfig(
    { serverUrl: 'https://bot.example/', title: 'Ask us', initialMessage: '' , extra: 1 },
    { title: 'From tag' },
    loc,
  );
  assert.equal(cfg.serverUrl, 'https://bot.example');
  assert.equal(cfg.title, 'From tag');
  assert.equal(cfg.initialMessage, '', 'an empty initialMessage turns the greeting off');
  assert.equal(cfg.extra, undefined);
  assert.equal(resolveConfig({ title: 42 }, null, loc).title, 'Bone health assistant');
});

test('messageMetadata sends the browser time zone, or nothing without one', () => {
  const intl = (zone) => ({ DateTimeFormat: () => ({ resolvedOptions: () => ({ timeZone: zone }) }) });
  assert.deepEqual(messageMetadata(intl('Europe/Paris')), { timezone: 'Europe/Paris' });
  assert.deepEqual(messageMetadata(intl(undefined)), {});
  assert.deepEqual(messageMetadata(intl('x'.repeat(65))), {});
  assert.deepEqual(messageMetadata({ DateTimeFormat: () => { throw new Error('no Intl'); } }), {});
  assert.equal(typeof messageMetadata().timezone, 'string');
});

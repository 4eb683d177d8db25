// The widget's signed-token setting (authToken) for Rasa's socket.io `jwt_key` check:
// `node --test web/test/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentToken, refusedRetryDelay, resolveConfig, socketAuth } from '../src/core.js';

const loc = { protocol: 'https:', hostname: 'bones.example' };
const JWT = 'header.payload.signature-of-a-test-token'; // the widget never reads it

/** What socket.io-client would send as the connection's auth object. */
function authSent(auth) {
  return new Promise((resolve) => auth(resolve));
}

test('authToken is off by default and taken from the config object or the script tag', () => {
  assert.equal(resolveConfig(undefined, null, loc).authToken, null);
  assert.equal(resolveConfig({ authToken: `  ${JWT} ` }, null, loc).authToken, JWT);
  assert.equal(resolveConfig(null, { authToken: JWT }, loc).authToken, JWT);
  assert.equal(resolveConfig({ authToken: '   ' }, null, loc).authToken, null);
  assert.equal(resolveConfig({ authToken: 42 }, null, loc).authToken, null);
  const fresh = () => JWT;
  assert.equal(resolveConfig({ authToken: fresh }, null, loc).authToken, fresh);
  // a function from the page wins over a fixed string on the script tag
  assert.equal(resolveConfig({ authToken: fresh }, { authToken: 'old' }, loc).authToken, fresh);
});

test('currentToken accepts a string, a function or an async function', async () => {
  assert.equal(await currentToken(JWT), JWT);
  assert.equal(await currentToken(`Bearer ${JWT}`), JWT, 'a "Bearer " prefix is dropped');
  assert.equal(await currentToken(() => JWT), JWT);
  assert.equal(await currentToken(async () => ` ${JWT}\n`), JWT);
});

test('currentToken gives null for anything that is not a token', async () => {
  assert.equal(await currentToken(null), null);
  assert.equal(await currentToken(''), null);
  assert.equal(await currentToken(() => undefined), null);
  assert.equal(await currentToken(async () => ({ token: JWT })), null);
  assert.equal(await currentToken(() => { throw new Error('logged out'); }), null);
  assert.equal(await currentToken(() => Promise.reject(new Error('offline'))), null);
});

test('socketAuth sends the token as Rasa reads it: auth = {token}', async () => {
  assert.equal(socketAuth(null), undefined, 'no auth option without a token setting');
  assert.equal(socketAuth(undefined), undefined);
  assert.deepEqual(await authSent(socketAuth(JWT)), { token: JWT });
});

test('socketAuth asks a token function again on every connection', async () => {
  let calls = 0;
  const auth = socketAuth(async () => `token-${++calls}`);
  assert.deepEqual(await authSent(auth), { token: 'token-1' });
  assert.deepEqual(await authSent(auth), { token: 'token-2' });
  assert.equal(calls, 2);
});

test('socketAuth connects without a token when the function fails, so the server decides', async () => {
  assert.deepEqual(await authSent(socketAuth(() => { throw new Error('logged out'); })), {});
  assert.deepEqual(await authSent(socketAuth(() => null)), {});
});

test('a refused connection is retried only when a new token can be fetched', () => {
  assert.equal(refusedRetryDelay(null, 0), null);
  assert.equal(refusedRetryDelay(JWT, 0), null, 'the same fixed token would be refused again');
  const fresh = () => JWT;
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 20].map((n) => refusedRetryDelay(fresh, n)),
    [2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
  assert.equal(refusedRetryDelay(fresh, -3), 2000);
});

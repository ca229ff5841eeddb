import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RequestCancel } from '../../../src/adapter/requestCancel.js';

test('a cancel that comes before the signal is read leaves the signal aborted', () => {
  const c = new RequestCancel();
  c.abort();
  assert.equal(c.signal.aborted, true);
});

test('a signal read before the cancel is aborted by it, and its listeners run', () => {
  const c = new RequestCancel();
  const s = c.signal;
  let heard = 0;
  s.addEventListener('abort', () => heard++);
  assert.equal(s.aborted, false);
  c.abort();
  assert.equal(s.aborted, true);
  assert.equal(heard, 1);
  assert.equal(c.signal, s, 'one signal per request');
});

test('a request nobody cancels keeps an unaborted signal', () => {
  const c = new RequestCancel();
  assert.equal(c.signal.aborted, false);
  assert.equal(c.signal, c.signal);
});

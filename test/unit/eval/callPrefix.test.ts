/**
 * Delve's `call ` prefix in evaluate (`call f(2)` is `f(2)`): blanked so
 * that columns stay those of the text as typed; `call` used as a Go name is
 * left alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withoutCallPrefix } from '../../../src/eval/calls.js';

test('the prefix is blanked before a name or a parenthesis, nowhere else', () => {
  assert.equal(withoutCallPrefix('call f(2)'), '     f(2)');
  assert.equal(withoutCallPrefix('  call\tpkg.F(x)'), '      \tpkg.F(x)');
  assert.equal(withoutCallPrefix('call (f)(1)'), '     (f)(1)');
  // A variable named call, and an expression that only begins with the word.
  for (const src of ['call + 1', 'call(1)', 'call.x', 'caller(1)', 'callf(2)', 'call', 'f(call)']) assert.equal(withoutCallPrefix(src), src);
});

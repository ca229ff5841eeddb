/**
 * One expression text evaluated again (a watch at every stop, a hover each
 * time the pointer rests) over other values: each evaluation answers from its
 * own scope, and a failing text fails the same way each time, naming its
 * column. The scopes are the warm-up's synthetic values (no program needed).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { warmReader, warmSamples } from '../../../src/debuggee/inspect/warmUp.js';
import { evaluate, type EvalScope } from '../../../src/eval/evaluator.js';
import { formatValue } from '../../../src/values/format.js';
import type { Value } from '../../../src/values/value.js';

function scopeWith(n: number): { scope: EvalScope; text: (v: Value) => string } {
  const r = warmReader();
  const samples = warmSamples(r);
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, BigInt(n), true);
  const byName = new Map(samples.map((s) => [s.name, s.value]));
  byName.set('n', { type: byName.get('n')!.type, addr: r.synthesize(bytes) });
  return { scope: { reader: r, dwarf: r.dwarf, pkg: 'warmup', local: (name) => byName.get(name) }, text: (v) => formatValue(r, v) };
}

test('the same text over two scopes: each answers its own values', () => {
  for (const n of [5, -3, 5]) {
    const { scope, text } = scopeWith(n);
    const res = evaluate(scope, 'n * 2 + w.B.N');
    assert.equal(res.k, 'val');
    if (res.k === 'val') assert.equal(text(res.v), String(n * 2 + 1));
  }
});

test('a failing text fails the same way every time', () => {
  const { scope } = scopeWith(1);
  for (let i = 0; i < 2; i++) {
    assert.throws(() => evaluate(scope, 'w.S[200]'), /^EvalError: index out of range \[200\] with length 100 at column 1$/);
    assert.throws(() => evaluate(scope, 'n +'), /column 4/);
  }
});

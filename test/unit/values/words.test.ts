/**
 * wordAt / intWordAt (values/valueReader.ts) read a 64-bit word as a number
 * without a BigInt: they must give what Number(u64()) and
 * Number(BigInt.asIntN(64, u64())) give, including one rounding above 2^53.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { intWordAt, u64, wordAt } from '../../../src/values/valueReader.js';

const EDGES = [
  0n,
  1n,
  0x7fn,
  0xffn,
  0x80000000n,
  0xffffffffn,
  0x100000000n,
  0xc000012345n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  2n ** 53n + 3n,
  2n ** 63n - 1n,
  2n ** 63n,
  2n ** 63n + 1025n,
  2n ** 64n - 1n,
  2n ** 64n - 2049n,
];

test('a word read as a number equals the BigInt read converted, unsigned and signed, at any offset', () => {
  const b = new Uint8Array(24);
  const dv = new DataView(b.buffer);
  // Every edge, then pseudo-random words (a fixed LCG: the same words on every run).
  let x = 0x2545f4914f6cdd1dn;
  const words = [...EDGES];
  for (let i = 0; i < 2000; i++) {
    x = (x * 6364136223846793005n + 1442695040888963407n) & (2n ** 64n - 1n);
    words.push(x, x >> BigInt(i % 64));
  }
  for (const [i, w] of words.entries()) {
    const off = i % 17;
    b.fill(0xa5);
    dv.setBigUint64(off, w, true);
    assert.equal(wordAt(b, off), Number(u64(b, off)), `unsigned 0x${w.toString(16)}`);
    assert.equal(intWordAt(b, off), Number(BigInt.asIntN(64, u64(b, off))), `signed 0x${w.toString(16)}`);
  }
});

test('a word past the end of the bytes is refused, not read as zeros', () => {
  const b = new Uint8Array(12);
  assert.throws(() => wordAt(b, 5), RangeError);
  assert.throws(() => intWordAt(b, -1), RangeError);
  assert.equal(wordAt(b, 4), 0);
});

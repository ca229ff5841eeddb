/**
 * hexAddr (values/format.ts), spelled by bytes above 2^31, against
 * Number#toString(16) on addresses of every magnitude up to 2^53 and on
 * the values no address takes (negative, fractional, not finite).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hexAddr } from '../../../src/values/format.js';
import { prng } from '../../support/prng.js';

test('hexAddr spells every address as toString(16) does', () => {
  const rnd = prng(53);
  const values: number[] = [0, 1, 15, 16, 255, 256, 0x7fffffff, 0x80000000, 0x80000001, 0xffffffff, 0x100000000, 0x100000001];
  values.push(0xc000012345, 0x19ac65e00000, 0x7ffd12345678, 2 ** 52, 2 ** 53 - 1, Number.MAX_SAFE_INTEGER);
  for (let bits = 1; bits <= 53; bits++) {
    for (let i = 0; i < 200; i++) values.push(Math.floor(rnd() * 2 ** bits));
    values.push(2 ** bits - 1, 2 ** (bits - 1));
  }
  for (const v of values) assert.equal(hexAddr(v), `0x${v.toString(16)}`, `${v}`);
  for (const v of [-1, -0x80000001, 2 ** 53, 2 ** 60, 0x80000000 + 0.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.equal(hexAddr(v), `0x${v.toString(16)}`, `${v}`);
  }
});

/**
 * Untyped float constants beyond float64's range: Go keeps them exact (a
 * constant expression may pass through 1e+309 and come back), shows them in
 * %g style, and refuses them only where a float64 is needed. Expected texts
 * are math/big's Text('g', 17) of the same rationals, and the compiler's
 * words for `f64 + 1e400` (go build -gcflags=-e).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dwarf } from '../../../src/dwarf/dwarf.js';
import { foldConst, representAs } from '../../../src/eval/constants.js';
import { rat, ratFromLiteral, ratToExponent } from '../../../src/eval/rationals.js';
import { basicType, formatConst, type Const } from '../../../src/eval/results.js';

const dw = { typeByName: () => undefined } as unknown as Dwarf;
const at = (text: string, pos = 0) => ({ text, pos });
const flt = (text: string): Const => ({ kind: 'float', v: Number(text), exact: ratFromLiteral(text) });
const int = (v: bigint): Const => ({ kind: 'int', v });

test('ratToExponent: 17 significant digits, trailing zeros dropped, as big.Float.Text("g", 17)', () => {
  assert.equal(ratToExponent(rat(2n ** 1024n)), '1.7976931348623159e+308');
  assert.equal(ratToExponent(rat(-(10n ** 400n), 3n)), '-3.3333333333333333e+399');
  assert.equal(ratToExponent(rat(10n ** 309n, 7n)), '1.4285714285714286e+308');
  assert.equal(ratToExponent(rat(10n ** 400n)), '1e+400');
  assert.equal(ratToExponent(rat(15n * 10n ** 308n)), '1.5e+309');
});

test('constant arithmetic through values beyond float64 stays exact', () => {
  const over = foldConst('*', flt('1e308'), int(10n), at('1e308'), at('10', 8));
  assert.equal(over.k === 'const' && formatConst(over.c), '1e+309');
  const back = over.k === 'const' ? foldConst('/', over.c, int(10n), at('1e308*10'), at('10', 11)) : over;
  assert.equal(back.k === 'const' && formatConst(back.c), '1e+308');
  assert.equal(formatConst(flt('1e400')), '1e+400');
  // Where a float64 is needed: the compiler's words.
  const mismatch = () => new Error('mismatch') as never;
  assert.throws(() => representAs(flt('1e400'), basicType(dw, 'float64')!, at('1e400', 6), mismatch), {
    message: '1e400 (untyped float constant 1e+400) overflows float64 at column 7',
  });
});

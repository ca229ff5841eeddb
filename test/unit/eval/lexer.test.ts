/**
 * Identifiers and the characters after a number, as the Go spec reads them:
 * the lexer tests ASCII itself and leaves other characters to Unicode property
 * classes, so both kinds are checked here against what the classes say.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from '../../../src/eval/lexer.js';

const idents = (src: string) => tokenize(src).map((t) => `${t.kind}:${t.text}`);

test('ASCII identifiers: letters, underscore, digits after the first character', () => {
  assert.deepEqual(idents('t.B_2.x9 + _a'), ['ident:t', 'op:.', 'ident:B_2', 'op:.', 'ident:x9', 'op:+', 'ident:_a', 'eof:']);
  assert.deepEqual(idents('9a'.slice(1)), ['ident:a', 'eof:']);
});

test('identifiers with letters and digits beyond ASCII (\\p{L}, \\p{N})', () => {
  // é and ß are letters, ٣ (Arabic-Indic three) and ² (superscript two) are numbers: an identifier may continue with them.
  assert.deepEqual(idents('é.ß٣ + x²'), ['ident:é', 'op:.', 'ident:ß٣', 'op:+', 'ident:x²', 'eof:']);
  // A number is not a letter: ² cannot start an identifier.
  assert.throws(() => tokenize('²x'), /unexpected character/);
});

test('a number followed by a letter, underscore or digit is a bad literal; by an operator it is not', () => {
  for (const src of ['1a', '1é', '0x1g', '1.5x']) assert.throws(() => tokenize(src), /bad number/, src);
  assert.deepEqual(idents('1+x'), ['int:1', 'op:+', 'ident:x', 'eof:']);
});

/**
 * The Go spec's operators, comparisons, builtins and conversions over real
 * DAP, on testdata/exprtyping (built -N -l): every row is evaluated at the
 * program's stop; the expected results are written from the spec. Then the
 * program resumes and prints the same expressions computed by the compiled
 * program itself, and each printed value must equal the row's expectation
 * (the program spells values as the adapter does: uintptr in hex, arrays
 * with their type).
 * Rows Go rejects must fail with the compiler's (or the runtime's) words.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { StartedClient } from '../support/adapterClient.js';
import { waitExit } from '../support/dap.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const mainGo = join(testdataDir, 'exprtyping', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

/** expression, the result Go's spec gives (as the adapter spells it), and the type it has ('' for untyped constants). */
const VALUES: [string, string, string][] = [
  // Typed operands: the operands' type, two's-complement wrap-around.
  ['i2 + i3', '5', 'int'],
  ['i3 - i2*4', '-5', 'int'],
  ['i3 / i2', '1', 'int'],
  ['i8 * 30', '106', 'int8'],
  ['u8 + 100', '44', 'uint8'],
  ['u64 + 1', '0', 'uint64'],
  ['^u8', '55', 'uint8'],
  ['^i2', '-3', 'int'],
  ['-u8', '56', 'uint8'],
  ['b << 7', '128', 'uint8'],
  ['i2 << 62', '-9223372036854775808', 'int'],
  ['i8 >> 1', '-3', 'int8'],
  ['1 << i3', '8', 'int'],
  ['f1 / 2', '1.5', 'float64'],
  ['f32 * 3', '0.3', 'float32'],
  ['str1 + " world"', '"hello world"', 'string'],
  ['str1 < "help"', 'true', ''],
  ['str2 > str1', 'true', ''],
  ['name + "!"', '"bob!"', 'main.Name'],
  ['temp * 2', '43', 'main.Celsius'],
  ['c128 * c128', '(-3+4i)', 'complex128'],
  ['c64 + 1', '(4+4i)', 'complex64'],
  // Untyped constants: exact arithmetic.
  ['1 << 100 >> 98', '4', ''],
  ['0.1 + 0.2 == 0.3', 'true', ''],
  ['10 / 4.0', '2.5', ''],
  ['10 / 4', '2', ''],
  ['-7 / 2', '-3', ''],
  ['-7 % 2', '-1', ''],
  ["'a' + 1", "98 'b'", ''],
  ["'a' << i3", '776', 'int32'],
  ['^uint8(0)', '255', 'uint8'],
  ['uint8(200) / 2 * 2', '200', 'uint8'],
  // Builtins.
  ['real(c64)', '3', 'float32'],
  ['imag(c128)', '2', 'float64'],
  ['complex(f1, 1)', '(3+1i)', 'complex128'],
  ['imag(3i)', '3', ''],
  ['len(str2)', '6', 'int'],
  ['len("héllo")', '6', 'int'],
  ['cap(ch1)', '3', 'int'],
  ['len(ch1)', '1', 'int'],
  ['len(m)', '1', 'int'],
  ['len(arr1)', '3', 'int'],
  ['len(rs)', '3', 'int'],
  ['min(i2, i3, 1)', '1', 'int'],
  ['max(f1, 2.5)', '3', 'float64'],
  ['min("b", "a", "c")', '"a"', ''],
  ['max(str1, str2)', '"héllo"', 'string'],
  ['min(nan, 1.0)', 'NaN', 'float64'],
  ['max(1, 2.5)', '2.5', ''],
  ["min(1, 2.5, 'a')", '1', ''],
  ['real(3)', '3', ''],
  ['unsafe.Sizeof(p1)', '0x10', 'uintptr'],
  ['unsafe.Sizeof(str1)', '0x10', 'uintptr'],
  ['unsafe.Sizeof(c64)', '0x8', 'uintptr'],
  ['unsafe.Alignof(c64)', '0x4', 'uintptr'],
  ['unsafe.Offsetof(pair1.Tag)', '0x10', 'uintptr'],
  ['unsafe.Offsetof(pair1.P.Y)', '0x8', 'uintptr'],
  // Comparisons of every comparable kind.
  ['p1 == p2', 'true', ''],
  ['p1 == p3', 'false', ''],
  ['pair1 == pair2', 'true', ''],
  ['arr1 == arr2', 'true', ''],
  ['arr1 == [3]int(arr3)', 'false', ''],
  ['pi == pj', 'true', ''],
  ['pi == pk', 'false', ''],
  ['pnil == nil', 'true', ''],
  ['pi != nil', 'true', ''],
  ['ch1 == ch2', 'true', ''],
  ['ch1 == chnil', 'false', ''],
  ['chnil == nil', 'true', ''],
  ['sl == nil', 'true', ''],
  ['sl2 == nil', 'false', ''],
  ['m != nil', 'true', ''],
  ['mnil == nil', 'true', ''],
  ['fnnil == nil', 'true', ''],
  ['fn != nil', 'true', ''],
  ['e1 == e2', 'true', ''],
  ['e1 == enil', 'false', ''],
  ['enil == nil', 'true', ''],
  ['any3 == e1', 'true', ''],
  ['any1 == p1', 'true', ''],
  ['any1 == p3', 'false', ''],
  ['any2 == 5', 'true', ''],
  ['any2 == i2', 'false', ''],
  ['sh == sh2', 'true', ''],
  ['nan == nan', 'false', ''],
  ['negz == 0', 'true', ''],
  ['up == unsafe.Pointer(&arr1[0])', 'true', ''],
  ['uptr == uintptr(up)', 'true', ''],
  // Conversions.
  ['len([]byte(str2))', '6', 'int'],
  ['[]byte(str1)[1]', '101', 'uint8'],
  ['[]rune(str2)[1]', '233', 'int32'],
  ['len([]rune(str2))', '5', 'int'],
  ['string(rs)', '"añb"', 'string'],
  ['string(bs)', '"bytes"', 'string'],
  ['string(rune(65))', '"A"', 'string'],
  ['Name(str1)', '"hello"', 'main.Name'],
  ['string(name)', '"bob"', 'string'],
  ['Celsius(f1)', '3', 'main.Celsius'],
  ['float64(temp)', '21.5', 'float64'],
  ['int(f1)', '3', 'int'],
  ['int8(i2 * 100)', '-56', 'int8'],
  ['uint8(i8)', '251', 'uint8'],
  ['float32(0.1)', '0.1', 'float32'],
  ['int64(u64)', '-1', 'int64'],
  ['int(-f1 - 0.5)', '-3', 'int'],
  ['*(*[5]byte)(unsafe.Pointer(&bs[0]))', '[5]uint8 [98,121,116,101,115]', '[5]uint8'],
  ['*(*int)(unsafe.Pointer(uptr))', '1', 'int'],
  ['uintptr(unsafe.Pointer(pi)) == uintptr(unsafe.Pointer(pj))', 'true', ''],
  ['any(5) == any2', 'true', ''],
  ['any(str1) == any("hello")', 'true', ''],
];

/** Expressions Go rejects, and the words of its compiler (or run-time panic) that the error must contain. */
const ERRORS: [string, string][] = [
  ['i2 + f1', 'invalid operation: i2 + f1 (mismatched types int and float64) at column 1'],
  ['i2 + i8', 'invalid operation: i2 + i8 (mismatched types int and int8)'],
  ['u8 + 300', '300 (untyped int constant) overflows uint8 at column 6'],
  ['uint8(300)', 'constant 300 overflows uint8'],
  ['int8(-129)', 'constant -129 overflows int8'],
  ['i2 + 1.5', '1.5 (untyped float constant) truncated to int'],
  ['sl == sl2', 'invalid operation: sl == sl2 (slice can only be compared to nil)'],
  ['m == m', 'invalid operation: m == m (map can only be compared to nil)'],
  ['fn == fn', 'invalid operation: fn == fn (func can only be compared to nil)'],
  ['bag == bag', 'invalid operation: bag == bag (struct containing []int cannot be compared)'],
  ['anyS == anyS2', 'runtime error: comparing uncomparable type []int'],
  ['e1 < e2', 'invalid operation: e1 < e2 (operator < not defined on interface)'],
  ['ch1 < ch2', 'invalid operation: ch1 < ch2 (operator < not defined on chan)'],
  ['i2 << f1', 'invalid operation: shift count f1 (variable of type float64) must be integer at column 7'],
  ['1 + (i2 << f1)', 'must be integer at column 12'],
  ['i2 << -1', 'invalid operation: negative shift count -1 (untyped int constant)'],
  ['f1 << 2', 'invalid operation: shifted operand f1 (variable of type float64) must be integer'],
  ['str1 - str1', 'invalid operation: operator - not defined on str1 (variable of type string)'],
  ['str1 + 1', 'invalid operation: str1 + 1 (mismatched types string and untyped int)'],
  ['nil == nil', 'invalid operation: nil == nil (operator == not defined on untyped nil)'],
  ['i2 == nil', 'invalid operation: i2 == nil (mismatched types int and untyped nil)'],
  ['1 / 0', 'invalid operation: division by zero'],
  ['i2 / 0', 'invalid operation: division by zero'],
  ['!i2', 'invalid operation: operator ! not defined on i2 (variable of type int)'],
  ['len(pi)', 'invalid argument: pi (variable of type *int) for built-in len'],
  ['real(i2)', 'invalid argument: argument has type int, expected complex type'],
  ['min(i2, f1)', 'invalid argument: mismatched types int (previous argument) and float64 (type of f1)'],
  ['min(sl)', 'invalid argument: sl (variable of type []int) cannot be ordered'],
  ['int(str1)', 'cannot convert str1 (variable of type string) to type int'],
  ['complex128(f1)', 'cannot convert f1 (variable of type float64) to type complex128'],
  ['string(f1)', 'cannot convert f1 (variable of type float64) to type string'],
  ['1.0 << i3', 'invalid operation: shifted operand 1.0 (type float64) must be integer'],
  ['len(arr1) + 0.5', '0.5 (untyped float constant) truncated to int'],
  ['uint8(255) + 1', 'uint8(255) + 1 (constant 256 of type uint8) overflows uint8'],
  ['-uint8(1)', '-uint8(1) (constant -1 of type uint8) overflows uint8'],
  ['uint8(1) << 8', 'uint8(1) << 8 (constant 256 of type uint8) overflows uint8'],
  ['int8(uint8(255))', 'constant 255 overflows int8'],
  ['i2 / int(0)', 'invalid operation: division by zero'],
  ['!len(arr1)', 'invalid operation: operator ! not defined on len(arr1) (constant 3 of type int)'],
  ['new(int)', 'would allocate memory in the program'],
  ['append(sl, 1)', 'may allocate memory in the program'],
];

let c: StartedClient | undefined;
after(() => c?.close());

test('Go operators, comparisons, builtins and conversions agree with the spec and with the program', async () => {
  const binary = buildFixture('exprtyping');
  // >> initialize, launch, setBreakpoints(stop here), configurationDone  << stopped(breakpoint)
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const { out, tid, frameId } = s;

  // Every row is evaluated; the failures are reported together.
  const wrong: string[] = [];
  for (const [expr, want, type] of VALUES) {
    // >> evaluate(repl)  << result and type
    try {
      const r = await dc.evaluateRequest({ expression: expr, frameId, context: 'repl' });
      if (r.body.result !== want) wrong.push(`${expr}: ${r.body.result}, want ${want}`);
      if (type ? r.body.type !== type : !/^untyped /.test(r.body.type ?? '')) wrong.push(`${expr}: type ${r.body.type}, want ${type || 'untyped'}`);
    } catch (e) {
      wrong.push(`${expr}: failed: ${(e as Error).message}`);
    }
  }
  for (const [expr, words] of ERRORS) {
    // >> evaluate(repl)  << success: false with Go's words
    try {
      const r = await dc.evaluateRequest({ expression: expr, frameId, context: 'repl' });
      wrong.push(`${expr}: answered ${r.body.result}, want an error`);
    } catch (e) {
      if (!(e as Error).message.includes(words)) wrong.push(`${expr}: ${JSON.stringify((e as Error).message)} lacks ${JSON.stringify(words)}`);
    }
  }
  assert.deepEqual(wrong, []);

  // The program computes every row itself; its answers must be the spec's (and so ours).
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  await exited;
  const printed = new Map(
    out
      .stdout()
      .split('\n')
      .filter((l) => l.includes('\t'))
      .map((l) => l.split('\t') as [string, string]),
  );
  for (const [expr, want] of VALUES) {
    const got = printed.get(expr);
    assert.ok(got !== undefined, `the program printed ${expr}`);
    assert.equal(got, want, `${expr}: the program computed ${got}`);
  }
  assert.equal(printed.size, VALUES.length, 'the program printed each row once');
});

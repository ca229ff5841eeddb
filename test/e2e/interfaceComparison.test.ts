/**
 * Comparisons of interface values over real DAP on testdata/ifacecmp: with a
 * non-interface value (allowed when its type implements the interface; equal
 * when the dynamic type is that type and the values are equal) and with
 * another interface (one must implement the other). The program prints each
 * comparison's result as Go computed it (ROW lines, before the stop); the
 * refusals are the Go compiler's own messages for those expressions (go
 * build, Go 1.26), with our fully qualified type names.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { StartedClient } from '../support/adapterClient.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'ifacecmp', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

test('interface comparisons give what the program computed, and the compiler refusals where a type does not implement', async () => {
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint), the ROW lines printed.
  const s = await stopAtLine(buildFixture('ifacecmp'), mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string) => (await dc.evaluateRequest({ expression, frameId: s.frameId, context: 'repl' })).body.result;

  const rows = [...s.out.stdout().matchAll(/^ROW (.*) = (.*)$/gm)].map((m) => [m[1]!, m[2]!] as const);
  assert.equal(rows.length, 16, s.out.stdout());
  // >> evaluate each ROW's expression; << the program's value.
  for (const [expr, want] of rows) assert.equal(await evaluate(expr), want, expr);

  // >> evaluate comparisons Go refuses; << the compiler's error.
  const refusals: [string, string][] = [
    ['e == n', 'invalid operation: e == n (mismatched types error and int)'],
    ['s == p', 'invalid operation: s == p (mismatched types fmt.Stringer and main.P)'],
    ['s == 1', 'invalid operation: s == 1 (mismatched types fmt.Stringer and untyped int)'],
    ['e == s', 'invalid operation: e == s (mismatched types error and fmt.Stringer)'],
    ['named == t', 'invalid operation: named == t (mismatched types main.Named and main.T)'],
    ['named == pp', 'invalid operation: named == pp (mismatched types main.Named and *main.P)'],
  ];
  for (const [expr, want] of refusals) {
    await assert.rejects(evaluate(expr), (e: Error) => {
      assert.equal(e.message.replace(/ at column \d+$/, ''), want, expr);
      return true;
    });
  }
});

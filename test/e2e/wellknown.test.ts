/**
 * Well-known types over real DAP on testdata/wellknown: time.Time as a time
 * in its location, time.Duration as Go prints it, named integers by their
 * constants. Every expected text is what the program printed itself
 * (fmt's %v, which calls Time.String and Duration.String) before the stop.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { buildFixture } from '../support/goBuild.js';
import { waitExit } from '../support/dap.js';
import { byName, children, launchTo, marks, oracleLines, scopeVars, type Stopped } from '../values/support.js';

let s: Stopped | undefined;
after(() => s?.c.close());

test('time.Time, time.Duration and named constants read as the program prints them', async () => {
  const binary = buildFixture('wellknown');
  const { source, line } = marks('wellknown');
  // >> launch, setBreakpoints(BP:main), configurationDone, << stopped(breakpoint) in main.show
  s = await launchTo(binary, source, [{ line: line.main! }]);
  const { dc, frameId, tid } = s;
  const locals = await scopeVars(dc, frameId);
  const evaluate = async (expression: string) => (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body;

  // >> variables(Locals), evaluate(name) for each
  const shown = new Map<string, { variable: string; evaluated: string }>();
  const names = [
    't0',
    'tUTC',
    'tFixed',
    'tZone',
    'tLocal',
    'tNow',
    'tFuture',
    'tSouth',
    'tSouthWinter',
    'd1',
    'd2',
    'd3',
    'd4',
    'd5',
    'dNeg',
    'c1',
    'c2',
    'c3',
    'f1',
    'f2',
    'f3',
    'f4',
  ];
  for (const n of names) shown.set(n, { variable: byName(locals, n).value, evaluated: (await evaluate(n)).result });

  // The raw fields of a time.Time are still there to expand.
  const fields = await children(dc, byName(locals, 'tUTC'));
  assert.deepEqual(
    fields.map((f) => f.name),
    ['wall', 'ext', 'loc'],
  );
  assert.equal(byName(locals, 'tUTC').type, 'time.Time');
  // Arithmetic on a Duration is still a Duration; on a Flags, still a Flags.
  assert.equal((await evaluate('d1 * 2')).result, '3s');
  assert.equal((await evaluate('f1 | f2')).result, 'bitZero|bitOne|bitFour (19)');

  // >> setBreakpoints([]), continue, << exited: compare with what the program printed.
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  const printed = oracleLines(s.out.stdout());
  const expected: Record<string, string> = {};
  for (const n of names) expected[n] = printed.get(n)!;
  // Named integers: the program prints the number (%d); the constants are the source's.
  Object.assign(expected, {
    c1: `ByteConst (${printed.get('c1')})`,
    c2: `SmallCode (${printed.get('c2')})`,
    c3: printed.get('c3'),
    f1: `bitZero|bitOne (${printed.get('f1')})`,
    f2: `bitFour (${printed.get('f2')})`,
    // 52 = bitTwo|bitFour|32, and no constant is 32: not a combination of constants.
    f3: printed.get('f3'),
    f4: printed.get('f4'),
  });
  for (const n of names) {
    assert.equal(shown.get(n)!.variable, expected[n], `${n} in the Variables view`);
    assert.equal(shown.get(n)!.evaluated, expected[n], `${n} evaluated`);
  }
  // The oracle itself, so that a broken print cannot make both sides empty.
  assert.equal(printed.get('tUTC'), '1977-05-25 18:00:00 +0000 UTC');
  assert.equal(printed.get('d2'), '2h0m0s');
});

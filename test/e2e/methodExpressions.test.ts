/**
 * Method expressions in calls over real DAP on testdata/fneval (built -N -l):
 * `T.M(v, args…)` and `(*T).M(p, args…)` call M with the first argument as
 * its receiver (Go's "Method expressions"); T.M of a pointer-receiver method
 * and a missing method are the compiler's errors. The values expected are
 * what fneval's methods compute on its variables (pt = {3, 4}, local = {1,
 * 2}, counter.n = 3, named.Label "outer"); one call writes (Add on
 * counter), and the program then prints the counter it added to.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { StartedClient } from '../support/adapterClient.js';
import { evaluateRefusal, waitExit } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'fneval', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');
const FIRST = '5 hello, x 2.5 1.5 6 gopher\n4 square my error 42 counter c=3 11 3 25 21.5°C\n9 5\n';

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

test('T.M(v, …) and (*T).M(p, …) call the method on their first argument; the compiler refusals otherwise', async () => {
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const s = await stopAtLine(buildFixture('fneval'), mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string, context = 'repl') => {
    const b = (await dc.evaluateRequest({ expression, frameId: s.frameId, context })).body;
    return `${b.result} : ${b.type}`;
  };
  const refused = (expression: string, context = 'repl') => evaluateRefusal(dc, s.frameId, expression, context);

  // >> evaluate(method expressions); << what the methods return.
  assert.equal(await evaluate('Point.Dist2(pt)'), '25 : int');
  assert.equal(await evaluate('main.Point.Dist2(local)'), '5 : int');
  assert.equal(await evaluate('(Point).Dist2(pt)'), '25 : int');
  // (*T).M of a value method: called on *p.
  assert.equal(await evaluate('(*Point).Dist2(&pt)'), '25 : int');
  assert.equal(await evaluate('(*Point).Scale(&pt, 2)'), 'main.Point {X: 6, Y: 8} : main.Point');
  assert.equal(await evaluate('Counter.Value(*pc)'), '3 : int');
  assert.equal(await evaluate('Named.Describe(named, 5)'), '"outer:5" : string');
  assert.equal(await evaluate('Temp.String(temp)'), '"21.5°C" : string');

  // Go's refusals.
  assert.equal(await refused('Point.Scale(pt, 2)'), 'invalid method expression Point.Scale (needs pointer receiver (*Point).Scale) at column 1');
  assert.equal(await refused('Point.Nope(pt)'), 'Point.Nope undefined (type main.Point has no method Nope) at column 1');
  assert.equal(await refused('Point.Dist2()'), 'not enough arguments in call to Point.Dist2\n\thave ()\n\twant (main.Point) at column 1');
  assert.equal(await refused('Point.Dist2(pt, 1)'), 'too many arguments in call to Point.Dist2\n\thave (main.Point, number)\n\twant (main.Point) at column 1');
  assert.match(await refused('Point.Dist2(1)'), /^cannot use 1 \(untyped int constant\) as main\.Point value in argument to Point\.Dist2/);
  assert.match(await refused('(*Point).Dist2(nil)'), /its receiver nil is a nil \*main\.Point/);
  assert.match(await refused('(*Point).Scale(&local, 2)'), /^cannot pass &local to \(\*Point\)\.Scale: it points into a goroutine's stack/);
  assert.match(await refused('Point.Dist2(pt)', 'hover'), /function calls are not allowed in this context/);
  // Not called: the func value Go makes (its name and signature, the receiver first; testdata/evalgaps holds them to
  // what a program prints); a missing method is Go's error.
  assert.equal(await evaluate('Point.Dist2'), 'main.Point.Dist2 : func(main.Point) int');
  assert.equal(await refused('Point.X'), 'Point.X undefined (type main.Point has no method X) at column 1');

  // >> evaluate (*Counter).Add(pc, 2): it writes counter.n; << 5, and the program's own counter is 5.
  assert.equal(await evaluate('(*Counter).Add(pc, 2)'), '5 : int');
  assert.equal(await evaluate('counter.n'), '5 : int');
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), `${FIRST}counter 5 base 10 32\nafter 5 10 1 4 1\n`);
});

/**
 * Go's special case `f(g())` over real DAP on testdata/fneval (built -N -l):
 * when g returns several values they are f's arguments, assigned in order,
 * counted and typed as the compiler does. The values expected are fneval's
 * functions on those arguments (divmod(7, 2) = 3, 1; add adds); the program
 * then goes on as without the calls.
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
const NORMAL = '5 hello, x 2.5 1.5 6 gopher\n4 square my error 42 counter c=3 11 3 25 21.5°C\n9 5\ncounter 3 base 10 32\nafter 3 10 1 4 1\n';

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

test("f(g()) passes g's results as f's arguments; counts and types as the compiler checks them", async () => {
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const s = await stopAtLine(buildFixture('fneval'), mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string) => (await dc.evaluateRequest({ expression, frameId: s.frameId, context: 'repl' })).body.result;
  const refused = (expression: string) => evaluateRefusal(dc, s.frameId, expression);

  // >> evaluate add(divmod(7, 2)); << 3 + 1
  assert.equal(await evaluate('add(divmod(7, 2))'), '4');
  // Nested: divmod(divmod(7, 2)) = divmod(3, 1) = 3, 0.
  assert.equal(await evaluate('add(divmod(divmod(7, 2)))'), '3');
  assert.equal(await evaluate('add(divmod(7, 2)) * 2'), '8');
  // The compiler's words where the results do not fit.
  assert.equal(await refused('half(divmod(7, 2))'), 'too many arguments in call to half\n\thave (int, int)\n\twant (float64) at column 1');
  assert.match(await refused('add(check(1))'), /^cannot use check\(1\) \(value of type error\) as int value in argument to add/);
  assert.match(await refused('add(1, divmod(7, 2))'), /^multiple-value divmod\(7, 2\) \(value of type \(int, int\)\) in single-value context/);

  // >> continue; << the program prints what it prints without the calls.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), NORMAL);
});

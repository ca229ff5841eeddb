/**
 * Package-level constants in expressions over real DAP on testdata/pkgconsts
 * (built -N -l): typed constants as values of their type, untyped integer
 * ones as untyped constants, `pkg.Name` of another package, a local that
 * shadows a constant (Go's scoping: the innermost declaration), constants as
 * call arguments and in a setVariable whose effect the program prints.
 * Expected values are the program's own (its source and what it prints).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { StartedClient } from '../support/adapterClient.js';
import { evaluateRefusal, waitExit } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'pkgconsts', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

test('package constants evaluate to their values and types; a local shadows one; they serve as call arguments', async () => {
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const s = await stopAtLine(buildFixture('pkgconsts'), mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const evaluate = async (expression: string, context = 'repl') => {
    const b = (await dc.evaluateRequest({ expression, frameId: s.frameId, context })).body;
    return `${b.result} : ${b.type}`;
  };
  const refused = (expression: string) => evaluateRefusal(dc, s.frameId, expression);

  // >> evaluate(typed constants); << values of their own type (a named integer shows its constant's name, as a variable does).
  assert.equal(await evaluate('Red'), 'Red (1) : main.Color');
  assert.equal(await evaluate('Blue'), 'Blue (3) : main.Color');
  assert.equal(await evaluate('Neg'), '-7 : int16');
  assert.equal(await evaluate('units.KiB'), 'KiB (1024) : example.com/testdata/pkgconsts/units.Size');
  // Untyped integer constants ('x' is a rune constant: Go writes it as the int 120).
  assert.equal(await evaluate('Answer'), '42 : untyped int');
  assert.equal(await evaluate('Letter'), '120 : untyped int');
  assert.equal(await evaluate('Big'), '4611686018427387904 : untyped int');
  assert.equal(await evaluate('units.Limit'), '1099511627776 : untyped int');
  // In a hover too (no call involved).
  assert.equal(await evaluate('Answer', 'hover'), '42 : untyped int');

  // Constant expressions: typed ones stay typed and overflow as Go's do; untyped ones are exact.
  assert.equal(await evaluate('Answer + 1'), '43 : untyped int');
  assert.equal(await evaluate('Answer + 1.5'), '43.5 : untyped float');
  assert.equal(await evaluate('Big * 4'), '18446744073709551616 : untyped int');
  assert.equal(await evaluate('Green + 1'), 'Blue (3) : main.Color');
  assert.equal(await evaluate('units.MiB / units.KiB'), 'KiB (1024) : example.com/testdata/pkgconsts/units.Size');
  assert.equal(await evaluate('Neg * 1000'), '-7000 : int16');
  assert.match(await refused('Neg * 10000'), /constant -70000 of type int16\) overflows int16/);
  assert.match(await refused('Red + 300'), /300 \(untyped int constant\) overflows main\.Color/);
  // Comparisons with variables and literals.
  assert.equal(await evaluate('c == Green'), 'true : untyped bool');
  assert.equal(await evaluate('c < Blue && Red == 1'), 'true : untyped bool');
  assert.equal(await evaluate('n * Answer'), '126 : int');
  assert.equal(await evaluate('uint8(Answer)'), '42 : uint8');

  // A local named like a constant hides it in its scope; the package's stays reachable by its qualified name.
  assert.equal(await evaluate('Shadowed'), '5 : int');
  assert.equal(await evaluate('main.Shadowed'), '100 : untyped int');

  // Constants Go writes no DWARF for (strings, floats, integers beyond int) are undefined, never a guess.
  assert.match(await refused('Greeting'), /undefined: Greeting/);
  assert.match(await refused('units.Ratio'), /undefined: units\.Ratio/);
  assert.match(await refused('Huge'), /undefined: Huge/);

  // >> evaluate(calls with constant arguments); << what the functions return.
  assert.equal(await evaluate('twice(Answer)'), '84 : int');
  assert.equal(await evaluate('show(Blue, units.MiB)'), '"3 1048576" : string');
  assert.equal(await evaluate('units.Scale(2, units.KiB)'), '2048 : int64');

  // >> completions(Ans), (units.), (Shad); << the constants, typed or untyped; a shadowed one only as the local.
  const complete = async (text: string) =>
    (await dc.completionsRequest({ text, column: text.length + 1, frameId: s.frameId })).body.targets.map((t) => `${t.label} ${t.type} ${t.detail}`);
  assert.ok((await complete('Ans')).includes('Answer value untyped int constant'));
  const members = await complete('units.');
  assert.ok(members.includes('KiB value example.com/testdata/pkgconsts/units.Size constant'), members.join('\n'));
  assert.ok(members.includes('Limit value untyped int constant'), members.join('\n'));
  assert.deepEqual(
    (await complete('Shad')).filter((t) => t.startsWith('Shadowed ')),
    ['Shadowed variable int'],
  );

  // >> setVariable c = Blue, n = Answer + 1; continue; << the program prints them (twice(n) on the stop line: 86).
  const sc = (await dc.scopesRequest({ frameId: s.frameId })).body.scopes.find((x) => x.name === 'Locals')!;
  await dc.setVariableRequest({ variablesReference: sc.variablesReference, name: 'c', value: 'Blue' });
  await dc.setVariableRequest({ variablesReference: sc.variablesReference, name: 'n', value: 'Answer + 1' });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), 'start 2 3 42 -7 120\nat 5 1024 86 3 1048576 2048\nend 3 43\n');
});

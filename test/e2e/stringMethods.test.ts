/**
 * The Variables view shows what a value's Error() or String() method returns,
 * as fmt's %v would print it (callStringMethods, on by default), on
 * testdata/stringmethods: value and pointer receivers by Go's method sets,
 * interfaces through their itabs, Error() before String(), nil values and
 * values fmt would not call a method on shown raw; a String() that never
 * returns is abandoned after 100 ms and the raw value shown. The program's
 * own output afterwards is what it prints without a debugger.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StartedClient } from '../support/adapterClient.js';
import { tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { stopAtLine } from '../support/stopAt.js';

const mainGo = join(testdataDir, 'stringmethods', 'main.go');
const lines = readFileSync(mainGo, 'utf8').split('\n');
const lineOf = (marker: string) => lines.findIndex((l) => l.includes(marker)) + 1;
// What the program prints, run without a debugger (go run): the same after the views' calls.
const SHOW = '21.5°C Ada (36) counter ||| code 7 <nil> as error -4.0°C true 2\n';

let c: StartedClient | undefined;
afterEach(async () => {
  await c?.close();
  c = undefined;
});

async function localsOf(s: { client: StartedClient; frameId: number }): Promise<Map<string, DebugProtocol.Variable>> {
  const { dc } = s.client;
  const scopes = (await dc.scopesRequest({ frameId: s.frameId })).body.scopes;
  const vars = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
  return new Map(vars.map((v) => [v.name, v]));
}

test('Variables view: Error() and String() texts by fmt rules; raw values where fmt would not call them; the program unchanged', async () => {
  const binary = buildFixture('stringmethods');
  // >> launch, setBreakpoints(stop here), configurationDone; << stopped in show
  const s = await stopAtLine(binary, mainGo, lineOf('// stop here'));
  c = s.client;
  // The first call of a session runs cold paths in the runtime and here (hundreds of ms on a loaded
  // machine): made first from the repl, whose limit is 5 s, so that the view's 100 ms measure warm calls.
  assert.equal((await s.client.dc.evaluateRequest({ expression: 'who.String()', frameId: s.frameId, context: 'repl' })).body.result, '"Ada (36)"');
  const v = await localsOf(s);
  const value = (name: string) => v.get(name)?.value;
  assert.equal(value('temp'), '"21.5°C"'); // value receiver on a named float64
  assert.equal(value('who'), '"Ada (36)"'); // value receiver on a struct
  assert.equal(value('pcnt'), '"counter |||"'); // pointer receiver, *Counter
  assert.equal(value('err'), '"code 7"'); // error interface → (*codeError).Error through the itab
  assert.equal(value('both'), '"as error"'); // Error() before String()
  assert.equal(value('str'), '"-4.0°C"'); // fmt.Stringer holding a Celsius
  // A Counter value: String has a pointer receiver, not in Counter's method set, so fmt prints the fields.
  assert.match(value('cnt')!, /^main\.Counter \{n: 2\}$/);
  assert.equal(value('none'), 'error nil'); // nil error
  assert.equal(value('nilp'), 'nil'); // nil *Counter
  // The raw value stays expandable: who's fields are its children.
  const kids = (await s.client.dc.variablesRequest({ variablesReference: v.get('who')!.variablesReference })).body.variables;
  assert.deepEqual(
    kids.map((k) => `${k.name}=${k.value}`),
    ['Name="Ada"', 'Age=36'],
  );
  // >> continue; << the program's own output, as without a debugger; exit 0.
  const exited = waitExit(s.client.dc);
  await s.client.dc.continueRequest({ threadId: s.tid });
  assert.equal(await exited, 0);
  assert.equal(s.out.stdout(), `${SHOW}done x\n`);
});

test('callStringMethods: false shows every value raw', async () => {
  const binary = buildFixture('stringmethods');
  const s = await stopAtLine(binary, mainGo, lineOf('// stop here'), { callStringMethods: false });
  c = s.client;
  const v = await localsOf(s);
  assert.equal(v.get('temp')?.value, '21.5');
  assert.match(v.get('who')!.value, /^main\.Person \{Name: "Ada", Age: 36\}$/);
  assert.match(v.get('err')!.value, /^error\(\*main\.codeError\) /);
});

test('a String() that does not return within 100 ms is abandoned: the raw value shows, the call finishes after the program resumes', async () => {
  const binary = buildFixture('stringmethods');
  // The program's argument makes it call wait(Stuck{…}, …), whose Stuck.String blocks forever.
  const s = await stopAtLine(binary, mainGo, lineOf('// stop in wait'), { args: ['stuck'] });
  c = s.client;
  const t0 = performance.now();
  const v = await localsOf(s);
  const ms = performance.now() - t0;
  assert.match(v.get('s')!.value, /^main\.Stuck \{ch: chan int/);
  // The thread's call is abandoned: the next value's String() is not tried on it, so it is raw too.
  assert.match(v.get('who')!.value, /^main\.Person \{Name: "Bob", Age: 41\}$/);
  assert.ok(ms < 5000, `the locals took ${ms} ms`);
  // >> continue; << the program goes on (the abandoned call stays blocked on its own goroutine) and finishes.
  const exited = waitExit(s.client.dc);
  const stopped = waitStopped(s.client.dc).then((e) => `stopped at ${tidOf(e)}`);
  await s.client.dc.continueRequest({ threadId: s.tid });
  const end = await Promise.race([exited, stopped]);
  assert.equal(end, 0);
  assert.match(s.out.stdout(), /waiting Bob \(41\)\ndone x\n$/);
});

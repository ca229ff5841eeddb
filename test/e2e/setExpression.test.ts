/**
 * setExpression to the letter over real DAP on testdata/setexpr (built
 * -N -l): assignments to addressable expressions with Go's assignability
 * rules, checked by what the program prints once resumed; what Go rejects is
 * refused with Go's reason, and what would need memory the program does not
 * have (a boxed value, an itab, a new map entry) is refused saying so. Every
 * refusal is success: false, and changes nothing the program prints.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { StartedClient } from '../support/adapterClient.js';
import { waitExit } from '../support/dap.js';
import { lineWith, stopAtLine } from '../support/stopAt.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const mainGo = join(testdataDir, 'setexpr', 'main.go');
const stopLine = lineWith(mainGo, '// stop here');

let c: StartedClient | undefined;
after(() => c?.close());

test('setExpression assigns what Go assigns, refuses what Go refuses, and the program sees it', async () => {
  const binary = buildFixture('setexpr');
  // >> initialize, launch, setBreakpoints(stop here), configurationDone; << stopped(breakpoint)
  const s = await stopAtLine(binary, mainGo, stopLine);
  c = s.client;
  const { dc } = c;
  const { out, tid, frameId } = s;
  const set = async (expression: string, value: string): Promise<DebugProtocol.SetExpressionResponse['body']> =>
    ((await dc.customRequest('setExpression', { expression, value, frameId })) as DebugProtocol.SetExpressionResponse).body;
  const refused = (expression: string, value: string, re: RegExp) =>
    assert.rejects(set(expression, value), (e: Error) => {
      assert.match(e.message, re, `${expression} = ${value}`);
      return true;
    });

  // >> setExpression on addressable expressions: an element's field behind a pointer, a whole struct, *p, a[i], nested fields.
  assert.equal((await set('o.Items[1].Qty', '7')).value, '7');
  const whole = await set('o.Items[0]', 'other');
  assert.match(whole.value, /ink/);
  assert.equal(whole.type, 'main.Line');
  assert.equal((await set('*p', '11')).value, '11');
  assert.equal((await set('a[i]', '30')).value, '30');
  assert.equal((await set('s.f.f.g', 'n')).value, '5');
  assert.equal((await set('o.Ship.Zip', 'zip')).value, '[2]int [8,9]');
  assert.match((await set('o.Owner', 'person')).value, /zed/);
  // A non-empty interface into an empty one: the dynamic type from its itab, the same data word.
  assert.match((await set('text', 'o.Err')).value, /failed/);
  // Untyped constants representable in the target's type, also a named one; floats from an integer constant.
  assert.equal((await set('q', '4')).value, '4');
  assert.equal((await set('f', '1')).value, '1');
  assert.equal((await set('c', '-2.5')).value, '-2.5');
  // A bidirectional channel into a receive-only one (assignable: identical element types, one unnamed).
  assert.match((await set('recvOnly', 'o.Done')).value, /^<-chan bool 0\/1$/);
  // nil into a map, a channel, a function, interfaces (empty and not); an interface from one of an identical type.
  assert.equal((await set('o.Tags', 'nil')).value, 'map[string]int nil');
  assert.equal((await set('o.Done', 'nil')).value, 'chan bool nil');
  assert.equal((await set('o.Hook', 'nil')).value, 'nil');
  assert.equal((await set('o.Err', 'nil')).value, 'error nil');
  assert.equal((await set('extra', 'nil')).value, '[]int len: 0, cap: 0, nil');
  assert.match((await set('anyv', 'text')).value, /failed/);
  // A pointer into an empty interface needs no box: its data word is the pointer.
  assert.match((await set('o.Note', 'person')).value, /zed/);
  // A map entry that exists.
  assert.equal((await set('m["a"]', '10')).value, '10');

  // >> what Go rejects: << success: false with Go's reason.
  await refused('n', 'q', /Cannot set n to q: cannot use q \(variable of type main\.Qty\) as int value/);
  await refused('q', 'n', /cannot use n \(variable of type int\) as main\.Qty value/);
  await refused('f', 'n', /cannot use n \(variable of type int\) as float64 value/);
  await refused('c', 'f', /cannot use f \(variable of type float64\) as main\.Celsius value/);
  await refused('n', '1.5', /cannot use 1\.5 \(untyped float constant\) as int value/);
  await refused('f32', '1e39', /as float32 value \(overflows\)/);
  await refused('o.Owner', 'o', /cannot use o \(variable of type \*main\.Order\) as \*main\.Person value/);
  await refused('a', 'zip', /cannot use zip \(variable of type \[2\]int\) as \[4\]int value/);
  await refused('o.Tags', '1', /cannot use 1 \(untyped int constant\) as map\[string\]int value/);
  await refused('n', 'nil', /cannot use nil/);
  // >> what Go allows but needs memory the program does not have: << refused, saying so.
  await refused('o.Note', 'n', /box.*the debugger does not allocate/);
  await refused('anyv', '5', /box.*the debugger does not allocate/);
  await refused('o.Err', 'person', /itab.*the debugger does not allocate/);
  await refused('m["zz"]', '1', /Cannot set m\["zz"\]: the map has no such key, and adding one would allocate in the program/);
  // A literal lives only in the debugger: a map literal, or a pointer to a struct literal, is never written into the program.
  await refused('m', 'map[string]int{"b": 2}', /made by the debugger \(a literal\) and lives only in the debugger/);
  await refused('o.Owner', '&main.Person{}', /made by the debugger \(a literal\) and lives only in the debugger/);
  // >> what is not a variable.
  await refused('n + 1', '2', /Cannot set n \+ 1: it is a computed value/);
  await refused('len(extra)', '2', /Cannot set len\(extra\)/);
  await refused('3', '2', /Cannot set 3: it is a constant/);

  // >> continue; << the program prints what it computed with.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  const lines = out.stdout().split('\n');
  const line = (prefix: string) => lines.find((l) => l.startsWith(prefix));
  assert.equal(line('items '), 'items ink/11 cup/7');
  assert.equal(line('p '), 'p 11');
  assert.equal(line('a '), 'a [1 2 30 4] i 2');
  assert.equal(line('s.f.f.g '), 's.f.f.g 5');
  assert.equal(line('zip '), 'zip [8 9] owner &{zed 40}');
  assert.equal(line('n '), 'n 5 q 4 c -2.5 f 1 f32 0.5');
  assert.equal(line('tags '), 'tags nil true len 0');
  assert.equal(line('note '), 'note &{zed 40} anyv failed err <nil>');
  assert.equal(line('m '), 'm map[a:10]');
  assert.equal(line('done '), 'done nil true hook nil true');
  assert.equal(line('extra '), 'extra nil true');
  assert.equal(line('recvOnly '), 'recvOnly set true');
  assert.equal(lines.at(-2), '&{zed 40} failed {ink 9 0.5}');
});

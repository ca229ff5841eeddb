/**
 * setVariable and setExpression over real DAP on testdata/setvars (built
 * -N -l): each value is set at a stop, the program resumes, and its own
 * output shows what it computed with. Covers every integer size (and
 * overflow), floats, bools, strings (existing bytes only), pointers, struct
 * fields, array/slice elements, map values, arguments still held in the
 * registers they arrived in, and the honest refusals (a statement that
 * already read the value, a stack slot the compiled code never reads).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const mainGo = join(testdataDir, 'setvars', 'main.go');
const source = readFileSync(mainGo, 'utf8').split('\n');
/** The 1-based line holding `marker`. */
const lineOf = (marker: string): number => source.findIndex((l) => l.includes(marker)) + 1;

let c: StartedClient | undefined;
after(() => c?.close());

async function frame0(dc: DebugClient, tid: number): Promise<{ frameId: number; locals: number; frames: DebugProtocol.StackFrame[] }> {
  const frames = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
  const scopes = (await dc.scopesRequest({ frameId: frames[0]!.id })).body.scopes;
  return { frameId: frames[0]!.id, locals: scopes.find((s) => s.name === 'Locals')!.variablesReference, frames };
}

async function child(dc: DebugClient, ref: number, name: string): Promise<DebugProtocol.Variable> {
  const vs = (await dc.variablesRequest({ variablesReference: ref })).body.variables;
  const v = vs.find((x) => x.name === name);
  assert.ok(v, `${name} among ${vs.map((x) => x.name).join(', ')}`);
  return v;
}

/** DebugClient has no setExpressionRequest: the request as any client sends it. */
async function setExpression(dc: DebugClient, args: DebugProtocol.SetExpressionArguments): Promise<DebugProtocol.SetExpressionResponse> {
  return (await dc.customRequest('setExpression', args)) as DebugProtocol.SetExpressionResponse;
}

/** A request that must fail: success false, with a message matching `re`. */
async function refused(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (e: Error) => {
    assert.match(e.message, re);
    return true;
  });
}

test('initialize advertises setVariable and setExpression (the tests below are why)', async () => {
  const c0 = await startAdapterClient();
  try {
    // >> initialize, << capabilities
    const caps = await c0.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.equal(caps.body?.supportsSetVariable, true);
    assert.equal(caps.body?.supportsSetExpression, true);
  } finally {
    c0.close();
  }
});

test('setVariable and setExpression take effect in the program, or fail saying why', async () => {
  const binary = buildFixture('setvars');
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  // >> initialize, launch, setBreakpoints(main stop, lineTotal, scaled, mixed, callee, addBefore), configurationDone
  // << stopped(breakpoint) at the main stop
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [
    {
      path: mainGo,
      lines: [
        lineOf('// main stop'),
        lineOf('// lineTotal first line'),
        lineOf('// scaled first line'),
        lineOf('// mixed first line'),
        lineOf('// callee line'),
        lineOf('// addBefore line'),
      ],
    },
  ]);
  const tid = tidOf(await stopped);
  let f = await frame0(dc, tid);

  // Integers of every size, signed and unsigned, through the children of k.
  const k = await child(dc, f.locals, 'k');
  const set = async (ref: number, name: string, value: string) => (await dc.setVariableRequest({ variablesReference: ref, name, value })).body;
  assert.equal((await set(k.variablesReference, 'I8', '-128')).value, '-128');
  assert.equal((await set(k.variablesReference, 'I16', '32767')).value, '32767');
  assert.equal((await set(k.variablesReference, 'I32', '-2147483648')).value, '-2147483648');
  assert.equal((await set(k.variablesReference, 'I64', '-9223372036854775808')).value, '-9223372036854775808');
  assert.equal((await set(k.variablesReference, 'U8', '255')).value, '255');
  assert.equal((await set(k.variablesReference, 'U16', '65535')).value, '65535');
  assert.equal((await set(k.variablesReference, 'U32', '4294967295')).value, '4294967295');
  assert.equal((await set(k.variablesReference, 'U64', '18446744073709551615')).value, '18446744073709551615');
  assert.equal((await set(k.variablesReference, 'F32', '0.25')).value, '0.25');
  assert.equal((await set(k.variablesReference, 'F64', '-3.5')).value, '-3.5');
  assert.equal((await set(k.variablesReference, 'B', 'false')).value, 'false');
  // Overflow and wrong types are refused, and change nothing.
  await refused(set(k.variablesReference, 'I8', '128'), /Cannot set I8 to 128: .*as int8 value \(overflows\)/);
  await refused(set(k.variablesReference, 'U16', '-1'), /Cannot set U16 to -1: .*as uint16 value \(overflows\)/);
  await refused(set(k.variablesReference, 'B', '1'), /Cannot set B/);

  // Strings: another variable's bytes, a literal the program contains, the empty string; new bytes are refused.
  assert.equal((await set(f.locals, 's', 'other')).value, '"other text"');
  await refused(set(f.locals, 'other', '"no such bytes in this program 0xC0FFEE"'), /Cannot set other.*Go strings are immutable.*does not allocate memory/);
  assert.equal((await set(f.locals, 'other', '"pen"')).value, '"pen"');

  // Array and slice elements, a map value, pointers (nil; another variable's address).
  const arr = await child(dc, f.locals, 'arr');
  assert.equal((await set(arr.variablesReference, '[1]', '-2')).value, '-2');
  const sl = await child(dc, f.locals, 'sl');
  assert.equal((await set(sl.variablesReference, '[2]', '33')).value, '33');
  assert.equal((await set(f.locals, 'p', 'nil')).value, 'nil');
  const np = await set(f.locals, 'np', '&a');
  // A pointer shows what it points at: a is 7.
  assert.equal(np.value, '*7');
  assert.ok((np.variablesReference ?? 0) > 0, 'a pointer answers a structured value');
  const m = await child(dc, f.locals, 'm');
  // A map with basic keys lists its entries by key.
  assert.equal((await child(dc, m.variablesReference, '["k"]')).value, '1');
  assert.equal((await set(m.variablesReference, '["k"]', '41')).value, '41');

  // setExpression on the same kinds of targets: a global string, a map entry, *p through a pointer.
  const se = await setExpression(dc, { expression: 'greeting', value: 's', frameId: f.frameId });
  assert.equal(se.body.value, '"other text"');
  assert.equal(se.body.type, 'string');
  assert.equal((await setExpression(dc, { expression: 'm["j"]', value: '2 * 21', frameId: f.frameId })).body.value, '42');
  assert.equal((await setExpression(dc, { expression: '*np', value: '77', frameId: f.frameId })).body.value, '77');
  // What Go does not assign (a slice to a map, a number to a struct), a constant, a computed value (test/e2e/setExpression.test.ts has the rest).
  await refused(set(f.locals, 'm', 'sl'), /Cannot set m to sl: cannot use sl \(variable of type \[\]int\) as map\[string\]int value/);
  await refused(set(f.locals, 'k', '1'), /Cannot set k to 1: cannot use 1 \(untyped int constant\) as main\.Kinds value/);
  await refused(setExpression(dc, { expression: '1 + 2', value: '4', frameId: f.frameId }), /Cannot set 1 \+ 2: it is a constant/);
  await refused(setExpression(dc, { expression: 'a + b', value: '4', frameId: f.frameId }), /Cannot set a \+ b: it is a computed value/);

  // >> continue; << stopped(breakpoint) at lineTotal's first line
  let next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  // it.Qty arrived in RCX and it.Price in X0; the prologue spilled both, DWARF names the slots, the line reads the registers.
  const it = await child(dc, f.locals, 'it');
  assert.equal((await set(it.variablesReference, 'Qty', '5')).value, '5');
  assert.equal((await setExpression(dc, { expression: 'it.Price', value: '2', frameId: f.frameId })).body.value, '2');
  assert.equal((await child(dc, (await child(dc, (await frame0(dc, tid)).locals, 'it')).variablesReference, 'Qty')).value, '5');
  // An instruction breakpoint at the multiply: float64(it.Qty) is already in X1, it.Price still only in X0 (and its slot).
  const lt = await dc.disassembleRequest({ memoryReference: f.frames[0]!.instructionPointerReference!, instructionCount: 8 });
  const mul = lt.body!.instructions.find((i) => i.instruction.startsWith('MULSD X1, X0'));
  assert.ok(mul, `the multiply among ${lt.body!.instructions.map((i) => i.instruction).join('; ')}`);
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: mul.address }] });
  // >> continue; << stopped(instruction breakpoint)
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  const it2 = await child(dc, f.locals, 'it');
  await refused(set(it2.variablesReference, 'Qty', '7'), /Cannot set Qty: the statement the program is stopped in has already read it into register X1/);
  assert.equal((await set(it2.variablesReference, 'Price', '3')).value, '3');
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });

  // >> continue; << stopped(breakpoint) at scaled's first line: n (RAX) is reloaded from its slot, f (X0) and s.ptr (RBX) are still live.
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  assert.equal((await set(f.locals, 'n', '21')).value, '21');
  assert.equal((await set(f.locals, 'f', '0.5')).value, '0.5');
  assert.equal((await set(f.locals, 's', '"start"')).value, '"start"');
  // An instruction breakpoint in the middle of the statement, where `n*2` is computed: n is already in RCX.
  const dis = await dc.disassembleRequest({ memoryReference: f.frames[0]!.instructionPointerReference!, instructionCount: 40 });
  const double = dis.body!.instructions.find((i) => i.instruction.startsWith('LEAQ 0(CX)(CX*1), AX'));
  assert.ok(double, `n*2 among ${dis.body!.instructions.map((i) => i.instruction).join('; ')}`);
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: double.address }] });
  // >> continue; << stopped(instruction breakpoint)
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  await refused(set(f.locals, 'n', '50'), /Cannot set n: the statement the program is stopped in has already read it into register RCX/);
  // f is loaded later in the statement: setting it still works.
  assert.equal((await set(f.locals, 'f', '0.75')).value, '0.75');
  await dc.customRequest('setInstructionBreakpoints', { breakpoints: [] });

  // >> continue; << stopped(breakpoint) at mixed's first line: b (RAX) and c (X0) are read from their registers, a from the stack.
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  assert.equal((await set(f.locals, 'b', '10')).value, '10');
  assert.equal((await set(f.locals, 'c', '7.5')).value, '7.5');
  assert.equal((await setExpression(dc, { expression: 'a[0]', value: '20', frameId: f.frameId })).body.value, '20');

  // >> continue; << stopped(breakpoint) in callee; caller's frame is frame 1.
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  const callerScopes = (await dc.scopesRequest({ frameId: f.frames[1]!.id })).body.scopes;
  const callerLocals = callerScopes.find((s) => s.name === 'Locals')!.variablesReference;
  // A caller's stack variable is memory the caller reloads after the call.
  assert.equal((await set(callerLocals, 'y', '100')).value, '100');
  assert.equal((await set(f.locals, 'x', '1000')).value, '1000');

  // >> continue; << stopped(breakpoint) at addBefore's line: `CALL main.callee` takes y straight from RAX, where it arrived.
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  assert.equal(f.frames[0]!.name, 'main.addBefore');
  assert.equal((await set(f.locals, 'y', '20')).value, '20');

  // >> setBreakpoints(folded line), continue; << stopped(breakpoint) in folded: label's slot is written once and never read.
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [{ line: lineOf('// folded line') }] });
  next = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await next;
  f = await frame0(dc, tid);
  assert.equal(f.frames[0]!.name, 'main.folded');
  const never =
    /^Cannot set label: the compiled code never reads it \(the compiler folded its value into its uses\); a new value would change nothing main\.folded computes$/;
  await refused(set(f.locals, 'label', '"pen"'), never);
  await refused(setExpression(dc, { expression: 'label', value: '"pen"', frameId: f.frameId }), never);
  // The refusals wrote nothing; count, read from its slot, is set.
  assert.equal((await child(dc, f.locals, 'label')).value, '"start"');
  assert.equal((await set(f.locals, 'count', '6')).value, '6');

  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  await until(() => /^folded /m.test(out.stdout()));
  const o = out.stdout();
  assert.match(o, /^before -128$/m);
  assert.match(o, /^kinds -128 32767 -2147483648 -9223372036854775808 255 65535 4294967295 18446744073709551615 0\.25 -3\.5 false$/m);
  assert.match(o, /^s="other text" other="pen" greeting="other text"$/m);
  assert.match(o, /^arr=\[1 -2 3\] sl=\[10 20 33\] m=41\/42$/m);
  assert.match(o, /^p=nil$/m);
  // np = &a, then *np = 77: a changed, b did not.
  assert.match(o, /^np -> 77 b 9$/m);
  // 5 × 3, not 2 × 1.25: the registers the code reads were written too (Qty at the line start, Price at the multiply; the refused 7 never arrived).
  assert.match(o, /^total 15\.00$/m);
  // n = 21 from the line start (the refused 50 never reached it), f = 0.75 set mid-statement.
  assert.match(o, /^scaled 42 1\.50 start$/m);
  // 10 + 20 + int(7.5)
  assert.match(o, /^mixed 37$/m);
  // callee returns 1000 + 1; caller adds its y, now 100.
  assert.match(o, /^caller 1101$/m);
  // callee(20) + 20: the call saw the new y in RAX, the addition reloaded it from its slot.
  assert.match(o, /^addBefore 41$/m);
  // The literal, as before the refused writes; the new count.
  assert.match(o, /^folded "start" 6$/m);
});

test('optimized build: an argument in a frame-0 register is set there; a caller frame argument spilled before the call is read and set in its slot', async () => {
  const binary = buildFixture('setvars', { flags: [] });
  const c2 = await startAdapterClient();
  try {
    const { dc } = c2;
    const out = collectOutput(dc);
    // >> launch, setBreakpoints(callee line), configurationDone; << stopped(breakpoint) in callee: `INCQ AX; RET`
    const stopped = waitStopped(dc);
    await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [lineOf('// callee line')] }]);
    const tid = tidOf(await stopped);
    const f = await frame0(dc, tid);
    // x's location is RAX: the write goes to the register.
    assert.equal((await child(dc, f.locals, 'x')).value, '10');
    assert.equal((await dc.setVariableRequest({ variablesReference: f.locals, name: 'x', value: '1000' })).body.value, '1000');
    // caller's y: DWARF says AX up to the call, but caller spilled it to its slot before the call
    // (MOVQ AX, 0x18(SP)) and reads it back from there after (the list's entry at the return
    // address): it is read and written there, and the caller adds what was written.
    const callerScopes = (await dc.scopesRequest({ frameId: f.frames[1]!.id })).body.scopes;
    const callerLocals = callerScopes.find((s) => s.name === 'Locals')!.variablesReference;
    assert.equal((await child(dc, callerLocals, 'y')).value, '10');
    assert.equal((await dc.setVariableRequest({ variablesReference: callerLocals, name: 'y', value: '5' })).body.value, '5');
    assert.equal((await setExpression(dc, { expression: 'y', value: '6', frameId: f.frames[1]!.id })).body.value, '6');
    // >> setBreakpoints([]), continue; << exited: callee returned 1000 + 1, caller added the y written (6).
    await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [] });
    const exited = waitExit(dc);
    await dc.continueRequest({ threadId: tid });
    assert.equal(await exited, 0);
    await until(() => /^caller /m.test(out.stdout()));
    assert.match(out.stdout(), /^caller 1007$/m);
  } finally {
    c2.close();
  }
});

/** Output events may trail the exited event: wait (bounded) for what the program printed last. */
async function until(ok: () => boolean, ms = 5000): Promise<void> {
  for (const end = Date.now() + ms; !ok() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 20));
}

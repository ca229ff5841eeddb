/**
 * Breakpoint conditions (Go expressions evaluated on the hit path), hit
 * conditions, logpoints and setVariable, end to end on testdata/valuesloop.
 */
import assert from 'node:assert/strict';
import { afterEach, before, describe, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { stepAndWait, tidOf, waitExit } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { byName, launchTo, marks, scopeVars, topFrame, type Stopped } from './support.js';

const { source, line } = marks('valuesloop');
let binary: string;

before(() => {
  binary = buildFixture('valuesloop');
});

async function evalTop(dc: DebugClient, tid: number, expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId: await topFrame(dc, tid), context: 'watch' })).body.result;
}

async function stoppedLine(dc: DebugClient, tid: number): Promise<number> {
  return (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!.line;
}

describe('conditional breakpoints', () => {
  let s: Stopped | undefined;
  afterEach(() => s?.c.close());

  test('a 10,000-iteration loop with a condition true only at the last iteration stops once, with the right value', async () => {
    // >> setBreakpoints [cond: `i == 9999`], configurationDone, << stopped (hit 10,000, the first that holds)
    s = await launchTo(binary, source, [{ line: line.cond!, condition: 'i == 9999' }]);
    assert.equal(await stoppedLine(s.dc, s.tid), line.cond);
    assert.equal(await evalTop(s.dc, s.tid, 'i'), '9999');
    // >> continue, << exited: no other stop
    const exited = waitExit(s.dc);
    await s.dc.continueRequest({ threadId: s.tid });
    assert.equal(await exited, 0);
    assert.match(s.out.stdout(), /^n=1 flag=false/m);
  });

  test('an integer local against a constant, either way round: stops where Go says it holds; an overflowing constant is the error Go gives', async () => {
    // >> setBreakpoints [cond: `9998 < i`, hitGe: `i >= 10000`], << stopped at cond with i = 9999 (its first hit that holds)
    s = await launchTo(binary, source, [
      { line: line.cond!, condition: '9998 < i' },
      { line: line.hitGe!, condition: 'i >= 10000' },
    ]);
    assert.equal(await stoppedLine(s.dc, s.tid), line.cond);
    assert.equal(await evalTop(s.dc, s.tid, 'i'), '9999');
    // >> continue, << stopped at hitGe with i = 10000 (the last iteration of its loop)
    const tid = tidOf(await stepAndWait(s.dc, 'continue', s.tid));
    assert.equal(await stoppedLine(s.dc, tid), line.hitGe);
    assert.equal(await evalTop(s.dc, tid, 'i'), '10000');
    s.c.close();
    // >> setBreakpoints [set: `small == 300`] (small is an int8), << stopped: the condition cannot be evaluated
    s = await launchTo(binary, source, [{ line: line.set!, condition: 'small == 300' }]);
    assert.equal(await stoppedLine(s.dc, s.tid), line.set);
    assert.match(s.out.console(), /condition "small == 300" failed: .*300.*overflows int8/);
    // >> continue, << exited: the program computed what it does without a debugger
    const exited = waitExit(s.dc);
    await s.dc.continueRequest({ threadId: s.tid });
    assert.equal(await exited, 0);
    assert.match(s.out.stdout(), /^n=1 flag=false/m);
  });

  test('hit conditions == 5, % 3 and >= 9998 count hits and stop in program order', async () => {
    // >> setBreakpoints [hitEq: `== 5`, hitMod: `% 3`, hitGe: `>= 9998`]
    s = await launchTo(binary, source, [
      { line: line.hitEq!, hitCondition: '== 5' },
      { line: line.hitMod!, hitCondition: '% 3' },
      { line: line.hitGe!, hitCondition: '>= 9998' },
    ]);
    const seen: [number, string][] = [];
    let tid = s.tid;
    for (let k = 0; k < 7; k++) {
      const l = await stoppedLine(s.dc, tid);
      seen.push([l, await evalTop(s.dc, tid, 'i')]);
      // >> continue, << stopped (or exited after the last)
      if (k < 6) tid = tidOf(await stepAndWait(s.dc, 'continue', tid));
    }
    assert.deepEqual(seen, [
      [line.hitMod, '3'],
      [line.hitEq, '5'],
      [line.hitMod, '6'],
      [line.hitMod, '9'],
      [line.hitGe, '9998'],
      [line.hitGe, '9999'],
      [line.hitGe, '10000'],
    ]);
    const exited = waitExit(s.dc);
    await s.dc.continueRequest({ threadId: tid });
    assert.equal(await exited, 0);
  });

  test('a logpoint prints interpolated lines without stopping; a condition that fails to evaluate stops and says why', async () => {
    // >> setBreakpoints [log: message with {expr}, {{ and }}; broken: condition `nosuch > 1`]
    s = await launchTo(binary, source, [
      { line: line.log!, logMessage: 'i={i} name={n} next={i + 1} {{literal}} len={len(names)}' },
      { line: line.broken!, condition: 'nosuch > 1' },
    ]);
    // << stopped at broken (the logpoint never stops)
    assert.equal(await stoppedLine(s.dc, s.tid), line.broken);
    const printed = s.out
      .console()
      .split('\n')
      .filter((l) => l.startsWith('i='));
    assert.deepEqual(printed, ['i=0 name="a" next=1 {literal} len=3', 'i=1 name="b" next=2 {literal} len=3', 'i=2 name="c" next=3 {literal} len=3']);
    assert.match(s.out.console(), /condition "nosuch > 1" failed: undefined: nosuch/);
  });
});

describe('setVariable', () => {
  let s: Stopped | undefined;
  afterEach(() => s?.c.close());

  test('ints, bools, floats, struct fields, slice elements and pointers; the program continues with the new values', async () => {
    s = await launchTo(binary, source, [{ line: line.set! }]);
    const { dc } = s;
    const scopes = (await dc.scopesRequest({ frameId: s.frameId })).body.scopes;
    const ref = scopes.find((x) => x.name === 'Locals')!.variablesReference;
    const set = async (variablesReference: number, name: string, value: string) =>
      (await dc.setVariableRequest({ variablesReference, name, value })).body.value;
    // >> setVariable on Locals entries
    assert.equal(await set(ref, 'n', '7'), '7');
    assert.equal(await set(ref, 'flag', 'true'), 'true');
    assert.equal(await set(ref, 'f', '2.25'), '2.25');
    assert.equal(await set(ref, 'ptr', 'nil'), 'nil');
    await assert.rejects(set(ref, 'small', '200'), /overflows/);
    // Go's assignability: n is an int, small an int8.
    await assert.rejects(set(ref, 'small', '-n'), /cannot use -n \(value of type int\) as int8 value/);
    assert.equal(await set(ref, 'small', '-7'), '-7');
    // >> variables(p), setVariable on a field; variables(xs), setVariable on an element
    const locals = await scopeVars(dc, s.frameId);
    assert.equal(await set(byName(locals, 'p').variablesReference, 'X', 'n + 3'), '10');
    assert.equal(await set(byName(locals, 'xs').variablesReference, '[1]', '20'), '20');
    await assert.rejects(set(ref, 'xs', 'n'), /cannot use n \(variable of type int\) as \[\]int value/);
    // The view shows the new values at once.
    const again = await scopeVars(dc, s.frameId);
    assert.equal(byName(again, 'p').value, 'main.Pt {X: 10, Y: 2}');
    assert.equal(byName(again, 'xs').value, '[]int len: 3, cap: 3, [1,20,3]');
    // >> continue, << exited; the program printed what we set
    const exited = waitExit(dc);
    await dc.continueRequest({ threadId: s.tid });
    await exited;
    assert.match(s.out.stdout(), /^n=7 flag=true f=2.25 p=\{X:10 Y:2\} xs=\[1 20 3\] ptrNil=true small=-7$/m);
  });
});

/**
 * Values a differential run against Delve (dlv dap 1.27.2, same stops) found
 * shown wrongly, over real DAP on testdata/parity; each expected text is what
 * the program printed about itself (name=value lines) before the stops.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { waitExit, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { byName, children, launchTo, marks, oracleLines, scopeVars, topFrame, type Stopped } from '../values/support.js';

let s: Stopped | undefined;
after(() => s?.c.close());

test('a range-over-func body, caller-frame arguments, a channel closed flag, a nil-data slice, reflect.Value and a generic function as the program sees them', async () => {
  const binary = buildFixture('parity');
  const { source, line } = marks('parity');
  const rangeSource = join(dirname(source), 'rangefunc.go');
  const rangeLine =
    readFileSync(rangeSource, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('// BP:rangebody')) + 1;
  // >> launch, setBreakpoints(rangefunc.go BP:rangebody), setBreakpoints(main.go BP:leaf, BP:generic, BP:main), configurationDone,
  // << stopped in the loop body main.rangeBody-range1 (first iteration)
  s = await launchTo(binary, rangeSource, [{ line: rangeLine }]);
  const { dc, tid } = s;
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [{ line: line.leaf! }, { line: line.generic! }, { line: line.main! }] });
  const body = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
  assert.equal(body.name, 'main.rangeBody-range1');
  const bodyLocals = await scopeVars(dc, body.id);
  await dc.setBreakpointsRequest({ source: { path: rangeSource }, breakpoints: [] });

  // >> continue, << stopped in main.leaf
  await continueTo(dc, tid, line.leaf!);

  // Frame 1 is main.middle(n, s): both arrived in registers and were spilled by the
  // prologue, while the location list names the register until the call returns.
  const frames = (await dc.stackTraceRequest({ threadId: tid, levels: 2 })).body.stackFrames;
  assert.equal(frames[1]!.name, 'main.middle');
  const callerArgs = await scopeVars(dc, frames[1]!.id);
  const n = byName(callerArgs, 'n').value;
  const str = byName(callerArgs, 's').value;

  // >> continue, << stopped in main.generic[int]: its locals, no compiler dictionary.
  const genericLocals = await scopeVars(dc, await continueTo(dc, tid, line.generic!));

  // >> continue, << stopped in main.main.
  const mainFrame = await continueTo(dc, tid, line.main!);
  const locals = await scopeVars(dc, mainFrame);
  const closedFlag = async (name: string) => byName(await children(dc, byName(locals, name)), 'closed').value;
  const openClosed = await closedFlag('open');
  const closedClosed = await closedFlag('closed');
  const closedLen = byName(await children(dc, byName(locals, 'closed')), 'len').value;
  const bad = byName(locals, 'bad');
  const good = byName(locals, 'good').value;
  const rv = byName(locals, 'rv').value;
  const rs = byName(locals, 'rs').value;
  const rz = byName(locals, 'rz').value;

  // >> setBreakpoints([]), continue, << exited: compare with what the program printed.
  await dc.setBreakpointsRequest({ source: { path: source }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  const printed = oracleLines(s.out.stdout());

  // The loop body shows the variables the source has in scope at its line: its own v, the
  // captured total and label, and after from the function the loop is in; not the compiler's ~p0 or #yield1.
  assert.deepEqual(bodyLocals.map((v) => `${v.name}=${v.value}`).sort(), [
    `after=${printed.get('rbAfter')}`,
    `label=${printed.get('rbLabel')}`,
    `total=${printed.get('rbTotal')}`,
    `v=${printed.get('rbV')}`,
  ]);
  // label and total are captured (the body's own, by reference); after is only in rangeBody's frame.
  assert.equal(byName(bodyLocals, 'label').evaluateName, 'label');
  assert.equal(byName(bodyLocals, 'after').evaluateName, undefined, 'after is not visible to expressions in the body');
  assert.equal(n, printed.get('n'), 'a caller frame argument spilled by the prologue');
  assert.equal(str, printed.get('s'));
  assert.deepEqual(
    genericLocals.map((v) => `${v.name}=${v.value}`),
    ['x=7', 'y=7'],
    'a generic function shows its own variables, not the compiler’s .dict',
  );
  assert.equal(openClosed, printed.get('openClosed'));
  assert.equal(closedClosed, printed.get('closedClosed'));
  assert.equal(closedLen, printed.get('closedLen'));
  // len(bad) is 3 and its data pointer nil: not a nil slice (bad == nil is false), and unreadable.
  assert.equal(printed.get('badLen'), '3');
  assert.equal(printed.get('badNil'), 'true');
  assert.doesNotMatch(bad.value, /, nil$/, 'a slice of length 3 is not shown as nil');
  assert.match(bad.value, /^\[\]int len: 3, cap: 3, <error: /);
  assert.equal(bad.variablesReference, 0, 'no elements to expand behind a nil data pointer');
  assert.equal(good, '[]int len: 3, cap: 3, [1,2,3]');
  assert.equal(printed.get('good'), '[1 2 3]');
  // fmt prints the value a reflect.Value holds and never its String() ("<int Value>").
  assert.equal(printed.get('rvString'), '<int Value>');
  assert.equal(printed.get('rv'), '42');
  assert.equal(rv, `reflect.Value(int) ${printed.get('rv')}`);
  assert.equal(rs, `reflect.Value(string) ${printed.get('rs')}`);
  assert.equal(printed.get('rz'), '<invalid reflect.Value>');
  assert.equal(rz, printed.get('rz'));
});

/** Continues and returns the top frame's id once the thread has stopped at `line`. */
async function continueTo(dc: Stopped['dc'], tid: number, line: number): Promise<number> {
  const stopped = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  await stopped;
  const f = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
  assert.equal(f.line, line);
  return topFrame(dc, tid);
}

/**
 * A step on one goroutine while another goroutine hits a breakpoint in another
 * function: the program stops there (reason breakpoint, on that goroutine) and the
 * step ends, as in Delve. (Other goroutines' hits in the function being stepped are
 * stepped over: goroutines.test.ts, "next stays on its goroutine".) Before, the
 * step went on and that breakpoint was never reported.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

const source = join(testdataDir, 'stepinterrupt', 'main.go');
const DOUBLE_LINE = 10;
const SEND_LINE = 20;

test('next on main while another goroutine hits a breakpoint in double: stopped there, the step over', async () => {
  const binary = buildFixture('stepinterrupt');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const first = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: source, lines: [SEND_LINE, DOUBLE_LINE] }]);
  const ev = await first;
  const mainId = tidOf(ev);
  assert.equal((await frames(dc, mainId, 1))[0]!.line, SEND_LINE);
  // The send wakes the other goroutine; main then sleeps twice 300 ms: within two nexts it runs double.
  let hit: DebugProtocol.StoppedEvent | undefined;
  const seen: string[] = [];
  for (let i = 0; i < 3 && !hit; i++) {
    const e = await stepAndWait(dc, 'next', mainId);
    const top = (await frames(dc, tidOf(e), 1))[0]!;
    seen.push(`${e.body.reason} ${tidOf(e)} ${top.name}:${top.line}`);
    if (e.body.reason === 'breakpoint') hit = e;
    else assert.equal(tidOf(e), mainId, seen.join(' | '));
  }
  assert.ok(hit, `no stop at double's breakpoint: ${seen.join(' | ')}`);
  const tid = tidOf(hit);
  assert.notEqual(tid, mainId, 'on the other goroutine');
  const top = (await frames(dc, tid, 1))[0]!;
  assert.deepEqual([top.name, top.line], ['main.double', DOUBLE_LINE]);
  assert.ok(hit.body.hitBreakpointIds?.length, JSON.stringify(hit.body));
  assert.match(out.console(), /hit a breakpoint: the step in progress on another goroutine ended there/);
  // The step is over: continue runs the program to its end, which prints what it prints without a debugger.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  assert.equal(out.stdout(), execFileSync(binary, { encoding: 'utf8' }));
});

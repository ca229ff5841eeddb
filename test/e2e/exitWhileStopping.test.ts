/**
 * A program that exits while the adapter stops every thread: the kernel gives the
 * leader thread's exit status only after the other threads' exits have been
 * collected, so waiting on the leader alone never ended. A fuzzer found it as a
 * `setDataBreakpoints` (which stops every thread to write the debug registers)
 * sent as the program went through `os.Exit`: the adapter stopped answering
 * anything, disconnect included.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { join } from 'node:path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { buildFixture, repoRoot } from '../support/goBuild.js';
import { RawDap } from './rawDap.js';
import { exited } from './service.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

const source = join(repoRoot, 'testdata', 'hello', 'main.go');
/** `os.Exit(3)`, main's last line. */
const EXIT_LINE = 31;
const BURST = 200;

test('the program exits while every thread is being stopped: each request answered, exited 3, terminated', async () => {
  const dap = new RawDap();
  cleanups.push(() => dap.kill());
  const ok = (r: DebugProtocol.Response) => assert.ok(r.success, `${r.command}: ${r.message}`);
  ok(await dap.request('initialize', { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }));
  ok(await dap.request('launch', { program: buildFixture('hello'), mode: 'exec' }, 60_000));
  ok(await dap.request('setBreakpoints', { source: { path: source }, breakpoints: [{ line: EXIT_LINE }] }));
  const stopped = dap.event<DebugProtocol.StoppedEvent>('stopped');
  ok(await dap.request('configurationDone'));
  const threadId = (await stopped).body.threadId!;
  const cont = dap.post('continue', { threadId });
  // While the program goes through exit_group, each of these stops every thread.
  const burst = Array.from({ length: BURST }, () => dap.post('setDataBreakpoints', { breakpoints: [] }));
  ok(await dap.responseTo(cont));
  for (const seq of burst) await dap.responseTo(seq, 30_000);
  assert.equal((await dap.take<DebugProtocol.ExitedEvent>('exited')).body.exitCode, 3);
  await dap.take('terminated');
  // Still answering after the program's end.
  const r = await dap.request('threads', undefined, 10_000);
  assert.equal(r.command, 'threads');
  ok(await dap.request('disconnect', {}, 10_000));
  await exited(dap.adapter);
});

/**
 * restart: the program is rebuilt from the edited source and run again with the
 * new arguments, in the same session, stopping again at the same breakpoint;
 * a failed build keeps the running program; exec mode relaunches the binary;
 * an attached process cannot be restarted. What the program prints is the
 * proof of which build and which arguments ran.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const LINE = 14; // fmt.Println("run", version, args)

const clients: StartedClient[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function client(): Promise<StartedClient> {
  const c = await startAdapterClient();
  clients.push(c);
  return c;
}

/** A copy of testdata/restart in a module of its own, so the test can edit it. */
function editableCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gda-restart-'));
  dirs.push(dir);
  cpSync(join(testdataDir, 'restart', 'main.go'), join(dir, 'main.go'));
  writeFileSync(join(dir, 'go.mod'), 'module example.com/restart\n\ngo 1.22\n');
  return dir;
}

function edit(dir: string, from: string, to: string): void {
  const f = join(dir, 'main.go');
  writeFileSync(f, readFileSync(f, 'utf8').replace(from, to));
}

async function evaluate(dc: StartedClient['dc'], frameId: number, expression: string): Promise<string> {
  return (await dc.evaluateRequest({ expression, frameId, context: 'watch' })).body.result;
}

async function topFrame(dc: StartedClient['dc'], ev: DebugProtocol.StoppedEvent): Promise<DebugProtocol.StackFrame> {
  return (await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 })).body.stackFrames[0]!;
}

test('restart rebuilds the edited program, runs it with the new arguments and stops at the same breakpoint', async () => {
  const dir = editableCopy();
  const src = join(dir, 'main.go');
  const { dc } = await client();
  const out = collectOutput(dc);
  const ended: string[] = [];
  dc.on('terminated', () => ended.push('terminated'));
  dc.on('exited', () => ended.push('exited'));
  const caps = (await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' })).body;
  assert.equal(caps?.supportsRestartRequest, true);

  const launchArgs = { mode: 'debug', program: dir, args: ['first'] };
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest(launchArgs as DebugProtocol.LaunchRequestArguments);
  await initialized;
  const set = await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [{ line: LINE }] });
  const bpId = set.body.breakpoints[0]!.id;
  assert.equal(set.body.breakpoints[0]!.verified, true);
  let stopped = waitStopped(dc, 120_000);
  await dc.configurationDoneRequest();
  let ev = await stopped;
  let frame = await topFrame(dc, ev);
  assert.equal(frame.line, LINE);
  assert.equal(await evaluate(dc, frame.id, 'args[0]'), '"first"');

  // Edit the source, restart with other arguments.
  edit(dir, 'const version = 1', 'const version = 2');
  stopped = waitStopped(dc, 120_000);
  const continued = dc.waitForEvent('continued', 120_000);
  await dc.customRequest('restart', { arguments: { ...launchArgs, args: ['second', 'run'] } });
  await continued;
  ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint');
  assert.deepEqual(ev.body.hitBreakpointIds, [bpId], 'the same breakpoint, with the id the client knows');
  frame = await topFrame(dc, ev);
  assert.equal(frame.line, LINE);
  assert.equal(await evaluate(dc, frame.id, 'len(args)'), '2');
  assert.match(out.console(), /Building[\s\S]*Building/, 'the rebuild is shown');
  assert.deepEqual(ended, [], 'the first run ended without exited or terminated events');

  const exit = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exit, 0);
  // The first run was ended at the breakpoint, before it printed: only the rebuilt one speaks.
  assert.equal(out.stdout(), 'run 2 [second run]\ndone\n');
});

test('a restart whose build fails says why and leaves the program as it was', async () => {
  const dir = editableCopy();
  const { dc } = await client();
  const out = collectOutput(dc);
  const stopped = waitStopped(dc, 120_000);
  await configure(dc, 'launch', { mode: 'debug', program: dir }, [{ path: join(dir, 'main.go'), lines: [LINE] }]);
  const ev = await stopped;

  edit(dir, 'const version = 1', 'const version = undefinedName');
  await assert.rejects(dc.customRequest('restart', {}), /undefined: undefinedName/);

  // Still stopped in the first run: its values read and it runs to its end.
  const frame = await topFrame(dc, ev);
  assert.equal(await evaluate(dc, frame.id, 'len(args)'), '0');
  const exit = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exit, 0);
  assert.equal(out.stdout(), 'run 1 []\ndone\n');
});

test('restart in exec mode runs the binary again; attach cannot restart', async () => {
  const binary = buildFixture('restart');
  const { dc } = await client();
  const out = collectOutput(dc);
  let stopped = waitStopped(dc, 60_000);
  await configure(dc, 'launch', { mode: 'exec', program: binary, args: ['x'] }, [{ path: join(testdataDir, 'restart', 'main.go'), lines: [LINE] }]);
  await stopped;
  stopped = waitStopped(dc, 60_000);
  await dc.customRequest('restart', {});
  const ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint');
  const exit = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exit, 0);
  assert.equal(out.stdout(), 'run 1 [x]\ndone\n');

  // Attached: not ours to start again.
  const ticker = spawn(buildFixture('ticker'), [], { stdio: 'ignore' });
  try {
    const c = await client();
    await configure(c.dc, 'attach', { processId: ticker.pid });
    await assert.rejects(c.dc.customRequest('restart', {}), /Cannot restart: .*attached process/);
    await c.dc.disconnectRequest({ terminateDebuggee: false });
    assert.equal(ticker.exitCode, null, 'the attached program still runs');
  } finally {
    ticker.kill('SIGKILL');
  }
});

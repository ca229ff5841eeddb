/**
 * The session's edges: build in debug and test modes, build errors, bad
 * arguments, non-Go binaries, faults, pause, a debuggee killed mid-session and
 * malformed DAP input. The adapter answers with a clear error and never dies.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { adapterMain, startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});
async function client(): Promise<StartedClient> {
  const c = await startAdapterClient();
  clients.push(c);
  return c;
}

test('mode debug builds the package with debug flags and stops at a breakpoint', async () => {
  const { dc } = await client();
  const src = join(testdataDir, 'steps', 'util.go');
  const out = collectOutput(dc);
  const stopped = waitStopped(dc, 120_000);
  await configure(dc, 'launch', { mode: 'debug', program: join(testdataDir, 'steps') }, [{ path: src, lines: [6] }]);
  const ev = await stopped;
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), ['main.twice util.go:6', 'main.main main.go:33']);
  assert.match(out.console(), /Building/);
});

test('a build error fails the launch with the compiler message', async () => {
  const { dc } = await client();
  await dc.initializeRequest();
  await assert.rejects(dc.launchRequest({ mode: 'debug', program: join(testdataDir, 'broken') } as never), /undefined: undefinedFunction/);
  // The adapter is still there.
  const t = await dc.threadsRequest();
  assert.ok(Array.isArray(t.body.threads));
});

test('wrong launch arguments and non-Go binaries get clear errors', async () => {
  const { dc } = await client();
  await dc.initializeRequest();
  await assert.rejects(dc.launchRequest({ mode: 'exec' } as never), /`program` is required/);
  await assert.rejects(dc.launchRequest({ mode: 'exec', program: '/no/such/file' } as never), /does not exist/);
  await assert.rejects(dc.launchRequest({ mode: 'exec', program: '/bin/true' } as never), /not a Go binary/);
  await assert.rejects(dc.launchRequest({ mode: 'warp', program: '/bin/true' } as never), /mode/);
});

test('a nil dereference in Go code stops as a panic at the faulting line; continuing lets Go die with exit code 2', async () => {
  const binary = buildFixture('crash');
  const { dc } = await client();
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary });
  const ev = await stopped;
  assert.equal(ev.body.reason, 'exception');
  assert.match(ev.body.text ?? '', /nil pointer dereference/);
  const st = await frames(dc, tidOf(ev));
  const i = st.findIndex((f) => f.name === 'main.read');
  assert.ok(i > 0, `main.read is on the stack: ${render(st).join(' < ')}`);
  assert.deepEqual(render(st.slice(i), 2), ['main.read main.go:15', 'main.main main.go:24']);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 2);
  assert.match(out.stderr(), /nil pointer dereference/);
  assert.equal(out.stdout(), 'before\n');
});

test('pause stops a running program; continue resumes it', async () => {
  const binary = buildFixture('ticker');
  const { dc } = await client();
  const out = collectOutput(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary });
  while (!out.stdout().includes('tick 3')) await new Promise((r) => setTimeout(r, 20));
  const stopped = waitStopped(dc);
  await dc.pauseRequest({ threadId: 0 });
  const ev = await stopped;
  assert.equal(ev.body.reason, 'pause');
  const st = await frames(dc, tidOf(ev));
  assert.ok(st.length > 0);
  const n = out.stdout().length;
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(out.stdout().length, n, 'nothing printed while paused');
  await dc.continueRequest({ threadId: tidOf(ev) });
  while (out.stdout().length === n) await new Promise((r) => setTimeout(r, 20));
});

test('the debuggee killed from outside mid-session ends the session cleanly', async () => {
  const binary = buildFixture('ticker');
  const { dc } = await client();
  const src = join(testdataDir, 'ticker', 'main.go');
  const proc = dc.waitForEvent('process');
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: src, lines: [13] }]);
  const pid = (await proc).body.systemProcessId as number;
  const ev = await stopped;
  await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [] });
  await dc.continueRequest({ threadId: tidOf(ev) });
  const exited = waitExit(dc);
  process.kill(pid, 'SIGKILL');
  assert.equal(await exited, 128 + 9);
  // Requests after the end get answers, not a dead adapter.
  const t = await dc.threadsRequest();
  assert.ok(Array.isArray(t.body.threads));
  await assert.rejects(dc.continueRequest({ threadId: 1 }), /not running/);
});

test('malformed DAP input does not kill the adapter', async () => {
  const proc = spawn(process.execPath, [adapterMain], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const send = (body: string) => proc.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  send('{ not json');
  send(JSON.stringify({ seq: 1, type: 'request', command: 'noSuchCommand' }));
  send(JSON.stringify({ seq: 2, type: 'request', command: 'launch', arguments: 'nope' }));
  send(JSON.stringify({ seq: 3, type: 'request', command: 'initialize', arguments: { adapterID: 'go-debug' } }));
  const deadline = Date.now() + 10_000;
  while (!/"request_seq":3/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.match(out, /"request_seq":3,"command":"initialize","success":true/);
  assert.match(out, /"request_seq":2,"command":"launch","success":false/);
  assert.equal(proc.exitCode, null, 'still running');
  proc.kill();
});

test('mode test builds the package tests and runs the test binary with args', async () => {
  const { dc } = await client();
  const out = collectOutput(dc);
  const src = join(testdataDir, 'gotest', 'calc_test.go');
  const stopped = waitStopped(dc, 120_000);
  await configure(dc, 'launch', { mode: 'test', program: join(testdataDir, 'gotest'), args: ['-test.run', 'TestAdd', '-test.v'] }, [{ path: src, lines: [6] }]);
  const ev = await stopped;
  assert.deepEqual(render(await frames(dc, tidOf(ev)), 1), ['example.com/testdata/gotest.TestAdd calc_test.go:6']);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /--- PASS: TestAdd/);
  assert.doesNotMatch(out.stdout(), /TestSub/);
});

/**
 * Every way a stdio session can end but SIGKILL leaves an attached program as
 * it was: its `.text` in memory equal to the file's (read through
 * /proc/PID/mem once the adapter is gone), every thread detached, and the
 * program running on (ticking, working, and running rare(), where a
 * breakpoint was). A launched program ends with the session.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { adapterMain, startAdapterServer } from '../support/adapterClient.js';
import { configure, waitStopped } from '../support/dap.js';
import { assertRunsOn, assertTextRestored, exited, RARE_LINE, serviceSource, startService, stdioClient, until, WORK_LINE, type Service } from './service.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0)) f();
});

type Ending = (dc: DebugClient, adapter: ChildProcess) => Promise<void> | void;

/**
 * Attaches to a fresh service with breakpoints in rare() and work(); with
 * `stopped`, waits for the stop in work() (a thread in the breakpoint), else
 * makes the work() breakpoint's condition false (hit ~1000 times a second,
 * never stopping). Then ends the session with `end` and checks the program.
 */
async function endAttached(end: Ending, opts: { stopped: boolean; fault?: 'exception' | 'rejection' }): Promise<void> {
  const s: Service = await startService();
  cleanups.push(() => s.kill());
  const { dc, adapter } = await stdioClient(opts.fault);
  cleanups.push(() => adapter.kill('SIGKILL'));
  const stopped = opts.stopped ? waitStopped(dc) : undefined;
  // >> initialize, attach, setBreakpoints(rare, work), configurationDone
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.attachRequest({ processId: s.pid } as never);
  await initialized;
  const bps = await dc.setBreakpointsRequest({
    source: { path: serviceSource },
    breakpoints: [{ line: RARE_LINE }, opts.stopped ? { line: WORK_LINE } : { line: WORK_LINE, condition: 'i < 0' }],
  });
  assert.deepEqual(
    bps.body.breakpoints.map((b) => b.verified),
    [true, true],
  );
  await dc.configurationDoneRequest();
  if (stopped) {
    // << stopped(breakpoint) in work()
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
  } else {
    // Running: the condition is evaluated on every call to work().
    const w = s.ticks().length;
    await until(() => s.ticks().length >= w + 3, 10_000, 'ticks with the conditional breakpoint');
  }
  await end(dc, adapter);
  await exited(adapter);
  assertTextRestored(s);
  await assertRunsOn(s);
}

const signal =
  (sig: NodeJS.Signals): Ending =>
  (_dc, adapter) =>
    void adapter.kill(sig);

test('disconnect (terminateDebuggee false) restores an attached program', () =>
  endAttached((dc) => dc.disconnectRequest({ terminateDebuggee: false }).then(() => undefined), { stopped: true }));

test('terminate restores an attached program and the session ends', () =>
  endAttached(
    async (dc) => {
      // >> terminate, << terminated; >> disconnect
      const terminated = dc.waitForEvent('terminated', 10_000);
      await dc.terminateRequest();
      await terminated;
      await dc.disconnectRequest({});
    },
    { stopped: true },
  ));

test('stdin closed while stopped at a breakpoint', () => endAttached((_dc, adapter) => void adapter.stdin!.end(), { stopped: true }));

test('stdin closed while running with a hot conditional breakpoint', () => endAttached((_dc, adapter) => void adapter.stdin!.end(), { stopped: false }));

for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  test(`${sig} to the adapter while stopped at a breakpoint`, () => endAttached(signal(sig), { stopped: true }));
}

test('SIGTERM to the adapter while running with a hot conditional breakpoint', () => endAttached(signal('SIGTERM'), { stopped: false }));

test('an uncaught exception in the adapter: terminated, the program let go', () =>
  endAttached(
    async (dc, adapter) => {
      const terminated = dc.waitForEvent('terminated', 10_000);
      adapter.kill('SIGUSR2');
      await terminated;
    },
    { stopped: true, fault: 'exception' },
  ));

test('an unhandled rejection in the adapter: terminated, the program let go', () =>
  endAttached(
    async (dc, adapter) => {
      const terminated = dc.waitForEvent('terminated', 10_000);
      adapter.kill('SIGUSR2');
      await terminated;
    },
    { stopped: false, fault: 'rejection' },
  ));

/** Attaches over TCP to a fresh service and waits for the stop in work(); `end` ends it, then the program is checked. */
async function endAttachedTcp(end: (socket: Socket, stopServer: () => Promise<void>) => Promise<void>): Promise<void> {
  const s = await startService();
  cleanups.push(() => s.kill());
  const server = await startAdapterServer();
  cleanups.push(() => void server.stop());
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
  cleanups.push(() => socket.destroy());
  const dc = new DebugClient(process.execPath, adapterMain, 'go-debug');
  (dc as unknown as { connect(r: NodeJS.ReadableStream, w: NodeJS.WritableStream): void }).connect(socket, socket);
  const stopped = waitStopped(dc);
  await configure(dc, 'attach', { processId: s.pid }, [{ path: serviceSource, lines: [RARE_LINE, WORK_LINE] }]);
  assert.equal((await stopped).body.reason, 'breakpoint');
  await end(socket, () => server.stop());
  // The server lets the program go as the connection or the process ends; give it that moment.
  await until(
    () => {
      try {
        assertTextRestored(s);
        return true;
      } catch {
        return false;
      }
    },
    5_000,
    'the code to be restored',
  );
  assertTextRestored(s);
  await assertRunsOn(s);
}

test('TCP: the connection dropped while stopped at a breakpoint', () => endAttachedTcp(async (socket) => void socket.destroy()));

test('TCP: SIGTERM to the server while a session is stopped at a breakpoint', () => endAttachedTcp((_socket, stopServer) => stopServer()));

test('a launched program ends when the stdio adapter does', async () => {
  const { dc, adapter } = await stdioClient();
  cleanups.push(() => adapter.kill('SIGKILL'));
  const processEvent = dc.waitForEvent('process', 60_000);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { program: serviceSource.replace(/main\.go$/, ''), mode: 'debug' }, [{ path: serviceSource, lines: [WORK_LINE] }]);
  const pid = (await processEvent).body.systemProcessId as number;
  assert.ok(pid > 0);
  await stopped;
  adapter.stdin!.end();
  await exited(adapter);
  await until(() => !isAlive(pid), 10_000, 'the launched program to end');
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

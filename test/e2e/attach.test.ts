/**
 * Attach to a running Go program, stop it at a breakpoint, detach: it keeps
 * running and printing, with every original code byte back (a stray int3
 * would kill it with SIGTRAP).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, frames, render, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

function ticksIn(text: string): number[] {
  return [...text.matchAll(/tick (\d+)/g)].map((m) => Number(m[1]));
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('attach, stop at a breakpoint, detach: the program keeps running', async () => {
  const binary = buildFixture('ticker');
  const proc = spawn(binary, [], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  proc.on('exit', (code, signal) => (exit = { code, signal }));
  try {
    await until(() => ticksIn(out).length >= 3, 10_000, 'the ticker to print');
    const c = await startAdapterClient();
    clients.push(c);
    const { dc } = c;
    const src = join(testdataDir, 'ticker', 'main.go');
    const stopped = waitStopped(dc);
    // Line 13: `count = n` in main.tick.
    await configure(dc, 'attach', { processId: proc.pid }, [{ path: src, lines: [13] }]);
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
    assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), ['main.tick main.go:13', 'main.main main.go:21']);
    const threads = await dc.threadsRequest();
    assert.ok(threads.body.threads.length >= 2, 'a Go program has several threads');
    // Stopped: no new ticks while we look.
    const before = ticksIn(out).length;
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(ticksIn(out).length <= before + 1);
    // Detach, leaving it running.
    await dc.disconnectRequest({ terminateDebuggee: false });
    const afterDetach = ticksIn(out).length;
    await until(() => ticksIn(out).length >= afterDetach + 10, 10_000, 'ticks after detach');
    assert.equal(exit, undefined, `the program died after detach: ${JSON.stringify(exit)}`);
    const ticks = ticksIn(out);
    assert.deepEqual(
      ticks,
      ticks.map((_, i) => i + 1),
      'ticks are consecutive: nothing skipped or repeated',
    );
  } finally {
    proc.kill('SIGKILL');
  }
});

test('attach to a process that does not exist fails with a clear error', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  await dc.initializeRequest();
  await assert.rejects(dc.attachRequest({ processId: 999_999_999 } as never), /999999999/);
});

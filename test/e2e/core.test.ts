/**
 * mode "core": a core file the kernel wrote for a Go program that crashed
 * (GOTRACEBACK=crash, core dumps allowed) and one gdb's gcore wrote for a
 * live program, opened with the binary: threads and goroutines, the crashed
 * goroutine's stack, its locals and globals, memory; and every request that
 * would run or change the program answers that a core cannot.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { frames, render, tidOf } from '../support/dap.js';
import { kernelCore, openCore } from '../support/coreFile.js';
import { buildFixture } from '../support/goBuild.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-core-'));
const clients: StartedClient[] = [];
after(async () => {
  for (const c of clients.splice(0)) await c.close();
  rmSync(dir, { recursive: true, force: true });
});

async function locals(dc: StartedClient['dc'], frameId: number): Promise<Record<string, string>> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const vars = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
  return Object.fromEntries(vars.map((v) => [v.name, v.value]));
}

test('a kernel core of a crashed program: the panicking goroutine, its frames, values and memory', async () => {
  const binary = buildFixture('corecrash');
  const core = kernelCore(binary, dir);
  const { dc, ev, out } = await openCore(binary, core, clients);
  assert.equal(ev.body.reason, 'exception');
  assert.match(out.console(), /Opened the core file .*core of .*: threads, stacks, variables and memory are as they were/);

  // The goroutines of the crash: main (panicking) and the waiting worker.
  const threads = (await dc.threadsRequest()).body.threads;
  assert.ok(threads.length >= 2, JSON.stringify(threads));
  const tid = tidOf(ev);
  const stack = render(await frames(dc, tid));
  const crashAt = stack.findIndex((f) => f.startsWith('main.crash main.go:29'));
  assert.ok(crashAt >= 0, `the panicking frame is in the stack:\n${stack.join('\n')}`);
  assert.deepEqual(stack.slice(crashAt, crashAt + 4), ['main.crash main.go:29', 'main.crash main.go:25', 'main.crash main.go:25', 'main.main main.go:46']);

  const st = (await dc.stackTraceRequest({ threadId: tid, levels: crashAt + 4 })).body.stackFrames;
  const crashLocals = await locals(dc, st[crashAt]!.id);
  assert.equal(crashLocals.depth, '0');
  assert.equal(crashLocals.m, 'map[string]int nil');
  const mainLocals = await locals(dc, st[crashAt + 3]!.id);
  assert.equal(mainLocals.ratio, '2.5');
  const name = await dc.evaluateRequest({ expression: 'o.Name', frameId: st[crashAt + 3]!.id, context: 'watch' });
  assert.equal(name.body.result, '"widget"');
  const items = await dc.evaluateRequest({ expression: 'o.Items[1]', frameId: st[crashAt + 3]!.id, context: 'watch' });
  assert.equal(items.body.result, '"b"');
  const tags = await dc.evaluateRequest({ expression: 'o.Tags["x"]', frameId: st[crashAt + 3]!.id, context: 'watch' });
  assert.equal(tags.body.result, '1');
  const counter = await dc.evaluateRequest({ expression: 'main.counter', frameId: st[crashAt]!.id, context: 'watch' });
  assert.equal(counter.body.result, '42');
  // A global string: its bytes are in the binary's read-only data, which the kernel leaves out of the core.
  const greeting = await dc.evaluateRequest({ expression: 'main.greeting', frameId: st[crashAt]!.id, context: 'watch' });
  assert.equal(greeting.body.result, '"hello from a global"');

  // The waiting worker goroutine, parked in a channel receive.
  let sawWorker = false;
  for (const t of threads) {
    const fs = render(await frames(dc, t.id));
    if (fs.some((f) => f.startsWith('main.worker main.go:35'))) sawWorker = true;
  }
  assert.ok(sawWorker, 'the worker goroutine is listed with its frame');

  // Memory: the code bytes at the crash frame come from the binary.
  const pc = st[crashAt]!.instructionPointerReference!;
  const mem = (await dc.send('readMemory', { memoryReference: pc, count: 16 })) as DebugProtocol.ReadMemoryResponse;
  assert.equal(Buffer.from(mem.body!.data!, 'base64').length, 16);

  // Nothing runs, nothing changes.
  for (const [command, args] of [
    ['continue', { threadId: tid }],
    ['next', { threadId: tid }],
    ['stepIn', { threadId: tid }],
    ['stepOut', { threadId: tid }],
  ] as const) {
    await assert.rejects(dc.send(command, args), /Not possible: this is a core file/, command);
  }
  const bp = await dc.setBreakpointsRequest({ source: { path: join(binary, '..', 'main.go') }, breakpoints: [{ line: 29 }] });
  assert.equal(bp.body.breakpoints[0]!.verified, false);
  assert.match(bp.body.breakpoints[0]!.message ?? '', /core file/);
  await assert.rejects(dc.send('restart', {}), /Cannot restart: this is a core file/);
  await assert.rejects(
    dc.send('setVariable', {
      variablesReference: (await dc.scopesRequest({ frameId: st[crashAt]!.id })).body.scopes[0]!.variablesReference,
      name: 'depth',
      value: '5',
    }),
    /core file/,
  );
  await dc.disconnectRequest({});
});

test('a gcore of a live program: its goroutines, the sleeping main, a global', { skip: gcoreMissing() }, async () => {
  const binary = buildFixture('ticker');
  const proc = spawn(binary, [], { stdio: ['ignore', 'pipe', 'ignore'] });
  try {
    let out = '';
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    while (!/tick 5\n/.test(out)) await new Promise((r) => setTimeout(r, 20));
    const prefix = join(dir, 'live');
    execFileSync('gcore', ['-o', prefix, String(proc.pid)], { stdio: 'ignore', timeout: 60_000 });
    proc.kill('SIGKILL');
    const core = `${prefix}.${proc.pid}`;
    const { dc, ev } = await openCore(binary, core, clients);
    assert.equal(ev.body.reason, 'pause', 'gcore stops the program with no signal of its own');
    const threads = (await dc.threadsRequest()).body.threads;
    let main: string[] | undefined;
    for (const t of threads) {
      const fs = render(await frames(dc, t.id));
      if (fs.some((f) => f.startsWith('main.main main.go:'))) main = fs;
    }
    assert.ok(main, 'the main goroutine is listed');
    assert.ok(
      main.some((f) => /^main\.main main\.go:(21|22)$/.test(f)),
      main.join('\n'),
    );
    const count = await dc.evaluateRequest({ expression: 'main.count', context: 'watch' });
    assert.ok(Number(count.body.result) >= 5, `count is ${count.body.result}`);
  } finally {
    proc.kill('SIGKILL');
  }
});

function gcoreMissing(): string | false {
  const r = spawnSync('sh', ['-c', 'command -v gcore'], { encoding: 'utf8' });
  return r.status === 0 ? false : 'gcore (gdb) is not installed';
}

test('a core that is not one is refused with the reason', async () => {
  const binary = buildFixture('corecrash');
  const c = await startAdapterClient();
  clients.push(c);
  await c.dc.initializeRequest();
  await assert.rejects(c.dc.launchRequest({ mode: 'core', program: binary, coreFilePath: binary } as never), /Could not open the core file .*not a core file/);
});

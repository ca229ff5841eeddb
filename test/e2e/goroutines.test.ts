/**
 * Goroutines as threads: the list, the names, parked stacks, goroutine-aware
 * `next` while other goroutines hit the same breakpoint, and 10,000 goroutines.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

const workersGo = join(testdataDir, 'workers', 'main.go');

async function startWorkers(extra: Record<string, unknown> = {}) {
  const binary = buildFixture('workers');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  // Line 19: `total += v` in main.worker, hit by all four workers.
  await configure(dc, 'launch', { mode: 'exec', program: binary, ...extra }, [{ path: workersGo, lines: [19] }]);
  const ev = await stopped;
  return { dc, ev, out };
}

test('threads are goroutines: workers and the parked main goroutine, with names and stacks', async () => {
  const { dc, ev } = await startWorkers();
  const stoppedId = tidOf(ev);
  const threads = (await dc.threadsRequest()).body.threads;
  const byName = (re: RegExp) => threads.filter((t) => re.test(t.name));
  // The goroutine that stopped is a worker, named after its user frame.
  const me = threads.find((t) => t.id === stoppedId);
  assert.ok(me, `stopped goroutine ${stoppedId} is listed`);
  assert.match(me.name, new RegExp(`^Goroutine ${stoppedId} main\\.worker`));
  // The main goroutine is named after main.main; once it waits in wg.Wait the reason says so
  // (the first worker can hit the breakpoint before main reaches Wait).
  const main = byName(/^Goroutine 1 main\.main( |$)/);
  assert.equal(main.length, 1, threads.map((t) => t.name).join('\n'));
  if (/\[/.test(main[0]!.name) && !/runnable/.test(main[0]!.name)) assert.match(main[0]!.name, /WaitGroup|semacquire/);
  const mainStack = await frames(dc, main[0]!.id);
  assert.ok(
    render(mainStack).some((s) => s.startsWith('main.main main.go:')),
    render(mainStack).join(' < '),
  );
  assert.equal(mainStack.at(-1)!.name, 'runtime.goexit');
  // All four workers are there (some may have finished, none can be missing before the first stop).
  assert.ok(byName(/main\.worker/).length >= 1);
  // A worker's stack from the one that stopped.
  assert.deepEqual(render(await frames(dc, stoppedId), 1), ['main.worker main.go:19']);
});

test('next stays on its goroutine while the others hit the same breakpoint', async () => {
  const { dc, ev, out } = await startWorkers();
  const g = tidOf(ev);
  let t = g;
  const lines: number[] = [];
  for (let i = 0; i < 6; i++) {
    const e = await stepAndWait(dc, 'next', t);
    assert.equal(e.body.reason, 'step', `step ${i} ended as a step, not on another goroutine's breakpoint`);
    t = tidOf(e);
    assert.equal(t, g, 'the same goroutine');
    lines.push((await frames(dc, t, 1))[0]!.line);
  }
  assert.deepEqual(lines, [20, 17, 18, 19, 20, 17]);
  // Clear the breakpoint, let it finish: the output is the same as without a debugger.
  await dc.setBreakpointsRequest({ source: { path: workersGo }, breakpoints: [] });
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: t });
  assert.equal(await exited, 0);
  assert.equal(out.stdout(), execFileSync(buildFixture('workers'), { encoding: 'utf8' }));
});

test('hideSystemGoroutines hides runtime goroutines', async () => {
  const all = await startWorkers();
  const n = (await all.dc.threadsRequest()).body.threads;
  const hidden = await startWorkers({ hideSystemGoroutines: true });
  const h = (await hidden.dc.threadsRequest()).body.threads;
  assert.ok(n.length > h.length, `${n.length} goroutines, ${h.length} after hiding the runtime's`);
  assert.ok(
    h.every((t) => /main\./.test(t.name)),
    h.map((t) => t.name).join('\n'),
  );
});

test('10,000 goroutines are all listed, each with a name', async () => {
  const binary = buildFixture('manyg');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const stopped = waitStopped(dc, 60_000);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: join(testdataDir, 'manyg', 'main.go'), lines: [15] }]);
  await stopped;
  const t0 = performance.now();
  const threads = (await dc.threadsRequest()).body.threads;
  const ms = performance.now() - t0;
  // Every one is named after main.park; nearly all are already parked on the channel
  // (the last few may be between wg.Done and <-ch when main stops).
  const park = threads.filter((t) => /^Goroutine \d+ main\.park( |$)/.test(t.name));
  assert.equal(park.length, 10_000);
  const parked = park.filter((t) => / \[chan receive\]$/.test(t.name));
  assert.ok(parked.length >= 9_900, `${parked.length} parked on the channel`);
  console.log(`# threads with 10,000 goroutines: ${ms.toFixed(0)} ms`);
  const st = await frames(dc, parked[5000]!.id);
  assert.deepEqual(
    st.filter((f) => !f.name.startsWith('runtime.')).map((f) => f.name),
    ['main.park', 'main.main.gowrap1'], // the compiler's wrapper for `go park(ch, &wg)`
  );
});

test('pprof labels appear in goroutine names', async () => {
  const binary = buildFixture('labels');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const stopped = waitStopped(dc);
  // Line 12: inside main.job, called under pprof.Do with labels job=<name>, team=core.
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: join(testdataDir, 'labels', 'main.go'), lines: [12] }]);
  const ev = await stopped;
  const me = (await dc.threadsRequest()).body.threads.find((t) => t.id === tidOf(ev));
  assert.match(me?.name ?? '', /^Goroutine \d+ main\.job .*\{job=(alpha|beta), team=core\}$/);
});

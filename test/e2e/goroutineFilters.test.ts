/**
 * goroutineFilters (Delve's syntax) shape the thread list: by user code,
 * labels, locations (substring or glob), running; `-wo` negates; the stopped
 * goroutine is always listed; a bad filter fails the launch with the reason.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

const src = join(testdataDir, 'gfilters', 'main.go');

/** The thread names at the breakpoint on line 32, with `goroutineFilters`; and the stopped thread's id. */
async function threadsWith(goroutineFilters: string | undefined): Promise<{ names: string[]; ids: number[]; stopped: number }> {
  const c = await startAdapterClient();
  clients.push(c);
  const stopped = waitStopped(c.dc);
  await configure(c.dc, 'launch', { mode: 'exec', program: buildFixture('gfilters'), goroutineFilters }, [{ path: src, lines: [32] }]);
  const ev = await stopped;
  const threads = (await c.dc.threadsRequest()).body.threads;
  return { names: threads.map((t) => t.name), ids: threads.map((t) => t.id), stopped: tidOf(ev) };
}

const count = (names: string[], re: RegExp) => names.filter((n) => re.test(n)).length;

test('goroutineFilters: user, labels, locations, running, negation; the stopped goroutine stays', async () => {
  const all = await threadsWith(undefined);
  assert.equal(count(all.names, /main\.worker/), 2);
  assert.equal(count(all.names, /main\.sleeper/), 1);
  assert.ok(all.names.length >= 5, 'runtime goroutines are listed without filters');

  const user = await threadsWith('-w user');
  assert.deepEqual(
    user.names.filter((n) => !/main\.(main|worker|sleeper)/.test(n)),
    [],
    'only goroutines started by user code',
  );
  assert.equal(user.names.length, 4);

  const alpha = await threadsWith('-w label job=alpha');
  assert.equal(alpha.names.length, 2, alpha.names.join('\n'));
  assert.equal(count(alpha.names, /\{job=alpha\}/), 1);
  assert.ok(alpha.ids.includes(alpha.stopped), 'the stopped goroutine is listed although it has no label');

  const noJob = await threadsWith('-w user -wo label job');
  assert.equal(count(noJob.names, /job=/), 0);
  assert.equal(count(noJob.names, /main\.sleeper/), 1);

  const sleeper = await threadsWith('-w userloc main.sleeper');
  assert.equal(sleeper.names.length, 2);
  assert.equal(count(sleeper.names, /main\.sleeper/), 1);

  const glob = await threadsWith('-w goloc *gfilters/main.go:30*');
  assert.equal(count(glob.names, /main\.sleeper/), 1, `started by the go statement on line 30: ${glob.names.join('\n')}`);
  assert.equal(count(glob.names, /main\.worker/), 0);

  const starts = await threadsWith('-w startloc main.worker');
  assert.equal(count(starts.names, /main\.sleeper/), 0);

  const running = await threadsWith('-w running');
  assert.ok(
    running.names.every((n) => /\(thread \d+\)/.test(n)),
    running.names.join('\n'),
  );
  assert.ok(running.ids.includes(running.stopped));
});

test('a goroutineFilters string that is not Delve syntax fails the launch with the reason', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  await c.dc.initializeRequest();
  await assert.rejects(
    c.dc.launchRequest({ mode: 'exec', program: buildFixture('gfilters'), goroutineFilters: '-w nonsense' } as never),
    /goroutineFilters`: unrecognized argument to -w: nonsense/,
  );
});

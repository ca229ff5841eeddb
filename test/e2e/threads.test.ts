/**
 * A multi-threaded program (4 goroutines busy on GOMAXPROCS=4) hits one
 * breakpoint 1,000 times: every hit is reported, the program's output is intact.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

let c: StartedClient | undefined;
after(() => c?.close());

test('1,000 hits of one breakpoint from 4 threads are all reported, none lost', async () => {
  const binary = buildFixture('threads');
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  const src = join(testdataDir, 'threads', 'main.go');
  // Line 15: `calls.Add(1)` in main.work, called 250 times by each of 4 workers.
  let stopped = waitStopped(dc);
  const [bps] = await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: src, lines: [15] }]);
  assert.equal(bps![0]!.verified, true);
  const threadsSeen = new Set<number>();
  let hits = 0;
  let exited: Promise<number> | undefined;
  for (;;) {
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
    hits++;
    threadsSeen.add(tidOf(ev));
    if (hits % 250 === 1) {
      // Now and then, look at the stack of the thread that hit.
      const f = await frames(dc, tidOf(ev), 2);
      assert.equal(f[0]!.name, 'main.work');
      assert.equal(f[0]!.line, 15);
      assert.equal(f[1]!.name, 'main.main.func1');
    }
    if (hits === 1000) {
      exited = waitExit(dc, 60_000);
      await dc.continueRequest({ threadId: tidOf(ev) });
      break;
    }
    stopped = waitStopped(dc);
    await dc.continueRequest({ threadId: tidOf(ev) });
  }
  assert.equal(await exited, 0);
  assert.equal(hits, 1000);
  assert.ok(threadsSeen.size >= 2, `hits came from ${threadsSeen.size} thread(s)`);
  // The same program run without a debugger prints exactly the same.
  assert.equal(out.stdout(), execFileSync(binary, { encoding: 'utf8' }));
  assert.match(out.stdout(), /calls 1000\n$/);
});

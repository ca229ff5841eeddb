/**
 * SIGKILL of a stdio adapter attached to a program: nothing runs in the
 * adapter, so what survives is what the guardian (src/engine/guardian.ts)
 * and the parking of SIGTRAP stops (src/engine/trapParking.ts) arranged
 * beforehand. Counts survivals over GDA_SIGKILL_TRIALS trials (default 3;
 * the README's numbers are from 20) in three states:
 *  - running, a breakpoint set in code that does not run (rare());
 *  - running, a breakpoint with a false condition hit ~1000 times a second;
 *  - stopped at a breakpoint.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { waitStopped } from '../support/dap.js';
import { assertRunsOn, assertTextRestored, exited, RARE_LINE, serviceSource, startService, stdioClient, until, WORK_LINE } from './service.js';

const TRIALS = Number(process.env.GDA_SIGKILL_TRIALS ?? 3);
const restoreMs: number[] = [];

type State = 'idle breakpoint' | 'hot conditional breakpoint' | 'stopped at a breakpoint';

/** One trial: true when the program survived with its code restored. */
async function trial(state: State): Promise<{ survived: boolean; why?: string }> {
  const s = await startService();
  const { dc, adapter } = await stdioClient();
  try {
    const stopped = state === 'stopped at a breakpoint' ? waitStopped(dc) : undefined;
    await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const initialized = dc.waitForEvent('initialized', 60_000);
    await dc.attachRequest({ processId: s.pid } as never);
    await initialized;
    const work = state === 'idle breakpoint' ? [] : [state === 'stopped at a breakpoint' ? { line: WORK_LINE } : { line: WORK_LINE, condition: 'i < 0' }];
    await dc.setBreakpointsRequest({ source: { path: serviceSource }, breakpoints: [{ line: RARE_LINE }, ...work] });
    await dc.configurationDoneRequest();
    if (stopped) {
      await stopped;
      // A stop someone looks at: older than the engine's 20 ms before it parks SIGTRAP stops.
      await new Promise((r) => setTimeout(r, 100));
    } else {
      const n = s.ticks().length;
      await until(() => s.ticks().length >= n + 3, 10_000, 'ticks');
    }
    adapter.kill('SIGKILL');
    await exited(adapter);
    // The guardian writes the bytes back once the adapter's pipe closes (a Node process
    // started at attach: on a loaded machine it may still be starting).
    const killed = Date.now();
    let restored = false;
    while (!restored && !s.exit() && Date.now() - killed < 5000) {
      try {
        assertTextRestored(s);
        restored = true;
      } catch {
        await new Promise((r) => setTimeout(r, 10));
      }
    }
    restoreMs.push(Date.now() - killed);
    if (s.exit()) return { survived: false, why: `died: ${JSON.stringify(s.exit())} ${s.out().slice(-200).replace(/\s+/g, ' ')}` };
    assertTextRestored(s);
    await assertRunsOn(s);
    return { survived: true };
  } catch (e) {
    return { survived: false, why: (e as Error).message.slice(0, 300) };
  } finally {
    adapter.kill('SIGKILL');
    s.kill();
  }
}

for (const state of ['idle breakpoint', 'hot conditional breakpoint', 'stopped at a breakpoint'] as State[]) {
  test(`SIGKILL of the adapter, ${state}: survivals over ${TRIALS} trials`, async () => {
    let survived = 0;
    const why: string[] = [];
    restoreMs.length = 0;
    for (let i = 0; i < TRIALS; i++) {
      const r = await trial(state);
      if (r.survived) survived++;
      else why.push(r.why ?? '');
    }
    console.log(
      `SIGKILL, ${state}: the program survived ${survived} of ${TRIALS} (code restored within ${Math.max(...restoreMs)} ms at most)${why.length ? `; failures: ${why.join(' | ')}` : ''}`,
    );
    // The hot case is a race the guardian narrows but cannot close (see guardian.ts): measured, not asserted.
    if (state !== 'hot conditional breakpoint') assert.equal(survived, TRIALS, why.join('\n'));
    else assert.ok(survived + why.length === TRIALS);
  });
}

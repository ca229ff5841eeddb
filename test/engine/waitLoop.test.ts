/**
 * The wait loop shares Node's event loop with everything else: while a
 * breakpoint that never stops is hit again and again, timers, requests and
 * output must still be served, and a pause must still stop the program.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Inferior } from '../../src/engine/inferior.js';
import { native } from '../../src/engine/libc.js';
import { SIG } from '../../src/process/signals.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import type { StopReason } from '../../src/process/process.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { lineWith } from '../support/stopAt.js';

/** testdata/benchloop built, and the line of its `marker`. */
function benchLoopAt(marker: string): { binary: string; source: string; line: number } {
  const source = join(testdataDir, 'benchloop', 'main.go');
  return { binary: buildFixture('benchloop'), source, line: lineWith(source, marker) };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('hits that do not stop leave the event loop running: timers fire, pause stops the program', async () => {
  const { binary, source, line } = benchLoopAt('BENCH:step');
  const symbols = Symbols.open(binary);
  const [site] = symbols.sitesForLine(source, line);
  assert.ok(site, `code at benchloop main.go:${line}`);
  const inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  try {
    const slot = symbols.scratchSlot();
    if (slot !== undefined) inf.setScratchSlot(slot);
    inf.insertBreakpoint(site.pc);
    // A breakpoint in a loop of 1,000,000 iterations whose hits never stop: a hit every
    // ~100 µs, for far longer than this test runs.
    let hits = 0;
    inf.trapFilter = () => {
      hits++;
      return 'continue';
    };
    inf.resume();
    // Timers fire while the program keeps hitting the breakpoint (each wait below is
    // a timer callback between hits; the loop outlasts the test by far)…
    const waitFor = async (cond: () => boolean) => {
      for (let n = 0; n < 1000 && !cond(); n++) await tick(10);
    };
    await waitFor(() => hits > 0);
    assert.ok(hits > 0, 'the loop hits the breakpoint');
    const h1 = hits;
    await waitFor(() => hits > h1 + 100);
    assert.ok(hits > h1 + 100, `still hitting between timers (${h1} → ${hits})`);
    assert.equal(inf.state, 'running');
    // …and pause is served and stops every thread.
    const stopped = new Promise<StopReason>((resolve) => inf.once('stopped', resolve));
    inf.pause();
    assert.equal((await stopped).kind, 'pause');
    assert.equal(inf.state, 'stopped');
    console.log(`# ${hits} hits served beside the timers`);
  } finally {
    await inf.kill();
  }
});

/** SA_NOCLDSTOP set on SIGCHLD now (glibc's struct sigaction: sa_flags at byte 136 of 152). */
function stopsHushed(): boolean {
  const act = Buffer.alloc(152);
  assert.equal(native.sigaction(SIG.SIGCHLD, null, act), 0);
  return (act.readInt32LE(136) & 1) !== 0;
}

test('a storm of hits that do not stop raises next to no SIGCHLD, and the handler is as it was after it', async () => {
  const { binary, source, line } = benchLoopAt('BENCH:cond');
  const symbols = Symbols.open(binary);
  const [site] = symbols.sitesForLine(source, line);
  assert.ok(site, `code at benchloop main.go:${line}`);
  const inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  let signals = 0;
  const count = () => signals++;
  process.on('SIGCHLD', count);
  try {
    const slot = symbols.scratchSlot();
    if (slot !== undefined) inf.setScratchSlot(slot);
    inf.insertBreakpoint(site.pc);
    // condLoop's 10,000 iterations: the last hit stops.
    let hits = 0;
    let hushedHits = 0;
    inf.trapFilter = () => {
      hits++;
      if (stopsHushed()) hushedHits++;
      return hits < 10_000 ? 'continue' : 'stop';
    };
    assert.equal(stopsHushed(), false, 'SIGCHLD as Node set it before the storm');
    const stopped = new Promise<StopReason>((resolve) => inf.once('stopped', resolve));
    inf.resume();
    assert.equal((await stopped).kind, 'breakpoint');
    await tick(20); // what libuv's signal pipe holds is delivered by now
    assert.equal(hits, 10_000);
    assert.equal(stopsHushed(), false, 'SIGCHLD as Node set it after the storm');
    // Each hit after the first comes while the loop spins (unless the machine preempts us for over a millisecond).
    assert.ok(hushedHits > hits / 2, `${hushedHits} of ${hits} hits decided with stops hushed`);
    assert.ok(signals < hits / 10, `${signals} SIGCHLD for ${hits} hits`);
    console.log(`# ${hits} hits, ${hushedHits} hushed, ${signals} SIGCHLD seen by the event loop`);
    // The program goes on and ends: its exit is still seen (exits always raise SIGCHLD).
    const exited = new Promise<unknown>((resolve) => inf.once('exited', resolve));
    inf.removeBreakpoint(site.pc);
    inf.resume();
    await exited;
  } finally {
    process.removeListener('SIGCHLD', count);
    await inf.kill();
  }
});

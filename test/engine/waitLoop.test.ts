/**
 * The wait loop shares Node's event loop with everything else: while a
 * breakpoint that never stops is hit again and again, timers, requests and
 * output must still be served, and a pause must still stop the program.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { Inferior } from '../../src/engine/inferior.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import type { StopReason } from '../../src/process/process.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('hits that do not stop leave the event loop running: timers fire, pause stops the program', async () => {
  const binary = buildFixture('benchloop');
  const source = join(testdataDir, 'benchloop', 'main.go');
  const line =
    readFileSync(source, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('BENCH:step')) + 1;
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

/**
 * emptyYoungGeneration (src/util/idleScavenge.ts) makes V8
 * scavenge its young generation when a quarter of it or more is in use, and
 * leaves it alone below that: observed through V8's own heap statistics and
 * its GC performance entries, in this process.
 */
import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { test } from 'node:test';
import { getHeapSpaceStatistics } from 'node:v8';
import { emptyYoungGeneration } from '../../../src/util/idleScavenge.js';

function youngInUse(): { used: number; size: number } {
  const s = getHeapSpaceStatistics().find((x) => x.space_name === 'new_space');
  assert.ok(s, 'V8 reports a new_space');
  return { used: s.space_used_size, size: s.space_used_size + s.space_available_size };
}

/** Live objects the test keeps, so that the young generation holds more than garbage. */
const kept: number[][] = [];

/** Allocates until at least `share` of the young generation is in use (after a scavenge V8 may run meanwhile). */
function fillTo(share: number): void {
  for (let i = 0; i < 100_000; i++) {
    const y = youngInUse();
    if (y.used >= y.size * share) return;
    kept.push(new Array(64).fill(i));
  }
  assert.fail(`the young generation never reached ${share} in use`);
}

/** The minor GCs V8 reports while `fn` runs. */
async function minorGcsDuring(fn: () => void): Promise<number> {
  const { constants } = await import('node:perf_hooks');
  let minors = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minors++;
  });
  obs.observe({ entryTypes: ['gc'] });
  fn();
  // GC entries are delivered asynchronously.
  await new Promise((r) => setTimeout(r, 20));
  obs.disconnect();
  return minors;
}

test('a young generation half in use is scavenged; what it held survives', async () => {
  kept.push(new Array(64).fill(7));
  fillTo(0.5);
  const before = youngInUse().used;
  let ran = false;
  const minors = await minorGcsDuring(() => {
    ran = emptyYoungGeneration();
  });
  assert.equal(ran, true);
  assert.ok(minors >= 1, `V8 reported ${minors} minor GCs`);
  assert.ok(youngInUse().used < before, `in use ${youngInUse().used} after, ${before} before`);
  // The live objects are intact.
  assert.deepEqual(kept[0], new Array(64).fill(7));
  kept.length = 0;
});

test('right after a scavenge, and below a quarter in use, nothing is done', async () => {
  fillTo(0.5);
  assert.equal(emptyYoungGeneration(), true);
  const y = youngInUse();
  if (y.used < y.size * 0.2) {
    const minors = await minorGcsDuring(() => assert.equal(emptyYoungGeneration(), false));
    assert.equal(minors, 0);
  } else {
    // What survived fills a quarter already: the next call waits for a quarter more (no scavenge again and again).
    assert.equal(emptyYoungGeneration(), false);
  }
  kept.length = 0;
});

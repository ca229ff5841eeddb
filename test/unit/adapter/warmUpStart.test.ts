/**
 * The warm-ups' schedule (src/adapter/warmUpStart.ts) on a program that only says whether it
 * runs and when it last reported a thread's stop: no step before it runs, none while it reports
 * stops (a new thread's, a hit's) less than 2 ms ago, one per turn of the loop once it is quiet.
 */
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { inIdleTime } from '../../../src/adapter/warmUpStart.js';

class FakeProgram extends EventEmitter {
  running = false;
  /** Stops reported and not yet collected: each look collects them first (collectStops). */
  pending = 0;
  collected = 0;
  collectStops(): void {
    if (this.pending === 0) return;
    this.pending = 0;
    this.collected++;
    this.last = performance.now();
  }
  /** While set, every look finds a stop reported just now (a burst of new threads). */
  reporting = false;
  last?: number;
  get lastEventAt(): number | undefined {
    return this.reporting ? performance.now() : this.last;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Steps given to `next`, each giving the next one; counts those run. */
function stepper(next: (step: () => void) => void): { ran: number[] } {
  const ran: number[] = [];
  const step = () => {
    ran.push(performance.now());
    next(step);
  };
  next(step);
  return { ran };
}

test('no step before the program runs, none while it reports stops, steps once it is quiet', async () => {
  const p = new FakeProgram();
  const s = stepper(inIdleTime(p));
  try {
    await sleep(20);
    assert.equal(s.ran.length, 0, 'not resumed yet');
    p.running = true;
    p.reporting = true;
    await sleep(30);
    assert.equal(s.ran.length, 0, 'a step ran while the program reported stops');
    p.reporting = false;
    p.last = performance.now();
    for (let i = 0; i < 500 && s.ran.length === 0; i++) await sleep(10);
    assert.ok(s.ran.length > 0, 'steps run once the program is quiet');
    assert.ok(s.ran[0]! - p.last >= 2, `the first step ${(s.ran[0]! - p.last).toFixed(2)} ms after the last stop`);
  } finally {
    // The first stop ends the warm-ups.
    p.running = false;
    p.emit('stopped');
  }
  const n = s.ran.length;
  await sleep(10);
  assert.equal(s.ran.length, n, 'no step after the stop');
});

test('a program that never reports a stop gets its steps as before', async () => {
  const p = new FakeProgram();
  p.running = true;
  const s = stepper(inIdleTime(p));
  try {
    // Idle time comes when the loaded machine gives it: waited for, up to 5 s.
    for (let i = 0; i < 500 && s.ran.length < 3; i++) await sleep(10);
    assert.ok(s.ran.length >= 3, `steps ran: ${s.ran.length}`);
  } finally {
    p.emit('exited');
  }
});

test('a stop reported before a look is collected first, and no step starts then', async () => {
  const p = new FakeProgram();
  p.running = true;
  p.pending = 1;
  const s = stepper(inIdleTime(p));
  try {
    for (let i = 0; i < 500 && s.ran.length === 0; i++) await sleep(10);
    assert.equal(p.collected, 1);
    assert.ok(s.ran.length > 0, 'steps once it is quiet');
    assert.ok(s.ran[0]! - p.last! >= 2, `the first step ${(s.ran[0]! - p.last!).toFixed(2)} ms after the collected stop`);
  } finally {
    p.emit('exited');
  }
});

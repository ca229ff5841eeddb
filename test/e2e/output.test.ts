/**
 * The program's output comes before the stop that follows it, over DAP on
 * testdata/printsteps: events are recorded in arrival order and each `next`
 * over a print must be preceded by exactly that print's output (the order is
 * asserted, never a delay); at the exit the last output precedes `exited`
 * and `terminated`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, before, test } from 'node:test';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, frames, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const dir = join(testdataDir, 'printsteps');
const mainGo = join(dir, 'main.go');
let binary: string;
let c: StartedClient | undefined;

function lineOf(marker: string): number {
  const i = readFileSync(mainGo, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(`PS:${marker}`));
  if (i < 0) throw new Error(`no PS:${marker} marker in ${mainGo}`);
  return i + 1;
}

before(() => {
  binary = buildFixture('printsteps');
});
afterEach(async () => {
  await c?.close();
  c = undefined;
});

/** One event as it arrived: the program's output (stdout, stderr) or a lifecycle event. */
type Logged = { kind: 'stdout' | 'stderr'; text: string } | { kind: 'stopped' | 'exited' | 'terminated' };

/** What each line from PS:start on writes, in order (from main.go). */
const WRITES: { stdout?: string; stderr?: string }[] = [
  {}, // total := 0
  { stdout: 'total 0\n' },
  {}, // total++
  { stdout: 'total 1\n' },
  { stderr: 'to stderr 1\n' },
  { stdout: 'no newline ' },
  {}, // total++
  { stdout: 'total 2\n' },
  { stderr: 'stderr without newline ' },
  { stdout: 'déjà vu ✓\n' },
  { stdout: 'raw write\n' },
  { stdout: 'total 20\n' },
  { stdout: 'last line\n' }, // PS:last
];

async function twelveNexts(busyCondition: boolean): Promise<void> {
  const start = lineOf('start');
  assert.equal(lineOf('last'), start + WRITES.length - 1);
  c = await startAdapterClient();
  const { dc } = c;
  const log: Logged[] = [];
  dc.on('output', (e: DebugProtocol.OutputEvent) => {
    const cat = e.body.category;
    if (cat === 'stdout' || cat === 'stderr') log.push({ kind: cat, text: e.body.output });
  });
  for (const kind of ['stopped', 'exited', 'terminated'] as const) dc.on(kind, () => log.push({ kind }));
  const first = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [start] }]);
  let ev = await first;
  // A breakpoint whose condition is never true, hit by the busy goroutine all the time:
  // the wait loop keeps polling for its next hit while main prints and stops.
  const bps = busyCondition ? [{ line: lineOf('busy'), condition: 'n < 0' }] : [];
  const set = await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: bps });
  assert.ok(set.body.breakpoints.every((b) => b.verified));
  assert.deepEqual(log, [{ kind: 'stopped' }], 'nothing printed before the first line');
  for (let k = 0; k < 12; k++) {
    log.length = 0;
    // >> next over line start+k, << output(s) of that line, then stopped(step)
    const stopped = waitStopped(dc);
    await dc.nextRequest({ threadId: tidOf(ev) });
    ev = await stopped;
    assert.equal(ev.body.reason, 'step');
    assert.equal((await frames(dc, tidOf(ev), 1))[0]!.line, start + k + 1);
    const w = WRITES[k]!;
    const expected: Logged[] = [];
    if (w.stdout) expected.push({ kind: 'stdout', text: w.stdout });
    if (w.stderr) expected.push({ kind: 'stderr', text: w.stderr });
    expected.push({ kind: 'stopped' });
    assert.deepEqual(joinText(log), expected, `next over line ${start + k}`);
  }
  // >> continue: "last line", then the exit (code 3)
  log.length = 0;
  const ended = Promise.all([dc.waitForEvent('exited'), dc.waitForEvent('terminated')]);
  await dc.continueRequest({ threadId: tidOf(ev) });
  const [exited] = await ended;
  assert.equal((exited as DebugProtocol.ExitedEvent).body.exitCode, 3);
  assert.deepEqual(joinText(log), [{ kind: 'stdout', text: 'last line\n' }, { kind: 'exited' }, { kind: 'terminated' }]);
}

test('twelve nexts over prints: each stop comes after the output of the line stepped over; the last output comes before the exit', () => twelveNexts(false));

test('the same while another goroutine hits a breakpoint whose condition is false, again and again', () => twelveNexts(true));

/** Adjacent output events of one stream joined (the pipe may deliver a write in pieces). */
function joinText(log: Logged[]): Logged[] {
  const out: Logged[] = [];
  for (const e of log) {
    const last = out[out.length - 1];
    if (last && 'text' in last && 'text' in e && last.kind === e.kind) out[out.length - 1] = { kind: e.kind, text: last.text + e.text };
    else out.push({ ...e });
  }
  return out;
}

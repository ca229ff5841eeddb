// Goroutines as threads, over the fake process: running ones found through
// allm, parked ones (no thread) listed with their stack read from g.sched, and
// the errors for what a parked goroutine cannot do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, UserError } from '../../../src/util/userErrors.js';
import { GoWorld, PC } from './goWorld.js';

function world() {
  const w = new GoWorld();
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain: [PC.goexit + 1, PC.runtimeMainRet, PC.mainRet, PC.factLine21] });
  const g2 = w.addGoroutine({ id: 2, tid: 102, chain: [PC.goexit + 1, PC.workerLine31] });
  // Parked in a channel receive: runtime.gopark called from worker line 32.
  const g3 = w.addGoroutine({ id: 3, chain: [PC.goexit + 1, PC.workerRet, PC.goparkLine], waitReason: 7 });
  w.addBareThread(103, PC.goparkLine);
  return { w, g1, g2, g3 };
}

const userError = (code: number, message: RegExp) => (e: unknown) => e instanceof UserError && e.code === code && message.test(e.message);

test('threads lists every goroutine, parked ones included, named after their topmost user frame', async () => {
  const { w } = world();
  const run = await w.program();
  assert.deepEqual(run.program.threads(), [
    { id: 1, name: 'Goroutine 1 main.fact (thread 101)' },
    { id: 2, name: 'Goroutine 2 main.worker (thread 102)' },
    { id: 3, name: 'Goroutine 3 main.worker [wait reason 7]' },
  ]);
  assert.deepEqual(run.program.osThreadIds(), [101, 102, 103]);
});

test("a parked goroutine's stack is read from g.sched", async () => {
  const { w, g3 } = world();
  const run = await w.program();
  const frames = run.program.stackTrace(3);
  assert.deepEqual(
    frames.map((f) => [f.funcName, f.line]),
    [
      ['runtime.gopark', 435],
      ['main.worker', 32],
      ['runtime.goexit', 1700],
    ],
  );
  assert.deepEqual(
    frames.map((f) => f.cfa),
    g3.frames.map((f) => f.cfa),
  );
  assert.equal(frames[0]!.sp, g3.frames[0]!.sp);
  assert.ok(frames[0]!.isRuntime && !frames[1]!.isRuntime);
});

test("a running goroutine's stack starts from its thread's registers", async () => {
  const { w, g1 } = world();
  const run = await w.program();
  const frames = run.program.stackTrace(1);
  assert.deepEqual(
    frames.map((f) => [f.funcName, f.line]),
    [
      ['main.fact', 21],
      ['main.main', 11],
      ['runtime.main', 283],
      ['runtime.goexit', 1700],
    ],
  );
  assert.deepEqual(
    frames.map((f) => f.cfa),
    g1.frames.map((f) => f.cfa),
  );
  assert.equal(run.program.threadOf(1), 101);
  assert.equal(run.program.registers(2).pc, PC.workerLine31);
});

test('asking a parked goroutine for its registers or an instruction step is a user error; so is an unknown id', async () => {
  const { w } = world();
  const run = await w.program();
  const p = run.program;
  assert.throws(() => p.registers(3), userError(ErrorCode.UnknownThread, /Goroutine 3 is not running on a thread/));
  assert.throws(() => p.threadOf(3), userError(ErrorCode.UnknownThread, /parked/));
  assert.throws(() => p.stepInstruction(3), userError(ErrorCode.UnknownThread, /parked/));
  assert.throws(() => p.registers(42), userError(ErrorCode.UnknownThread, /No thread or goroutine with id 42/));
  assert.throws(() => p.stackTrace(42), userError(ErrorCode.UnknownThread, /42/));
  assert.throws(() => p.next(42), userError(ErrorCode.UnknownThread, /42/));
  assert.equal(w.proc.resumes, 0, 'nothing ran');
});

test('next on a parked goroutine completes when it runs again, on whichever thread', async () => {
  const { w, g3 } = world();
  const worker = g3.frames[1]!;
  const line33 = PC.workerLine32 + 0x10;
  // Goroutine 1 passes a site of worker's too (another goroutine), then goroutine 3 runs on thread 103.
  w.proc.reach(101, line33, { rsp: w.spAt(worker.cfa, line33) }).reach(103, line33, { rsp: w.spAt(worker.cfa, line33), r14: g3.g });
  const run = await w.program();
  run.program.next(3);
  const stop = await run.stop();
  assert.deepEqual({ kind: stop.kind, threadId: stop.threadId }, { kind: 'step', threadId: 3 });
  assert.deepEqual(
    w.proc.traps.map((t) => [t.tid, t.decision]),
    [
      [101, 'continue'],
      [103, 'stop'],
    ],
  );
  assert.equal(run.program.threadOf(3), 103);
  assert.equal(w.proc.int3s.size, 0);
});

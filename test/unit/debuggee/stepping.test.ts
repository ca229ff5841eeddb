// next / stepOut / stepIn over the fake process: which temporary breakpoints a
// step places, which of their hits end it (goroutine and activation), and that
// none of them is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoWorld, MAIN_GO, PC } from './goWorld.js';

/** The main goroutine on thread 101: runtime.main → main.main → fact(3) → fact(2) at `top`. */
function recursion(top: number, depth = 2) {
  const w = new GoWorld();
  const chain = [PC.goexit + 1, PC.runtimeMainRet, PC.mainRet, ...Array(depth - 1).fill(PC.factRet), top];
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain });
  return { w, g1, r14: g1.g };
}

test('next over a recursive call: hits in the deeper activation (smaller CFA) are stepped over, the return at this activation ends the step', async () => {
  const { w, g1, r14 } = recursion(PC.factLine23);
  const fact2 = g1.frames[0]!; // stopped at line 23, about to call fact(1)
  const fact3 = g1.frames[1]!;
  const cfa1 = fact2.sp; // fact(1)'s CFA is fact(2)'s SP at the call
  w.proc
    .reach(101, PC.fact, { rsp: w.spAt(cfa1, PC.fact), r14 })
    .reach(101, PC.factLine21, { rsp: w.spAt(cfa1, PC.factLine21), r14 })
    .reach(101, PC.factLine22, { rsp: w.spAt(cfa1, PC.factLine22), r14 })
    .reach(101, PC.factRet, { rsp: cfa1, r14 }) // fact(1) returns into fact(2)
    .reach(101, PC.factRet, { rsp: fact2.cfa, r14 }); // fact(2) returns into fact(3)
  const run = await w.program();
  const program = run.program;
  program.next(1);
  const stop = await run.stop();
  assert.deepEqual({ kind: stop.kind, threadId: stop.threadId, breakpointIds: stop.breakpointIds }, { kind: 'step', threadId: 1, breakpointIds: [] });
  assert.deepEqual(
    w.proc.traps.map((t) => t.decision),
    ['continue', 'continue', 'continue', 'continue', 'stop'],
  );
  // Every other line start of fact, and the return address into fact(3); not line 23 itself.
  assert.deepEqual(new Set(w.proc.inserted), new Set([PC.fact, PC.factLine21, PC.factLine22, PC.factLine23 + 0x10, PC.factRet]));
  assert.equal(w.proc.int3s.size, 0, 'the step removed its breakpoints');
  const regs = program.registers(1);
  assert.equal(regs.pc, PC.factRet);
  assert.equal(regs.sp, fact2.cfa);
  assert.equal(program.stackTrace(1)[0]!.cfa, fact3.cfa, 'stopped in fact(3)');
  assert.equal(program.stackTrace(1)[0]!.line, 23);
});

test('next inside a recursion: the next line of this activation ends the step, the same line in a deeper one does not', async () => {
  const { w, g1, r14 } = recursion(PC.factLine23, 1); // fact(3) at line 23, about to call fact(2)
  const fact3 = g1.frames[0]!;
  const cfa2 = fact3.sp;
  const line24 = PC.factLine23 + 0x10;
  w.proc
    .reach(101, PC.factLine21, { rsp: w.spAt(cfa2, PC.factLine21), r14 }) // fact(2)
    .reach(101, line24, { rsp: w.spAt(cfa2, line24), r14 }) // fact(2) at line 24: deeper, ignored
    .reach(101, line24, { rsp: w.spAt(fact3.cfa, line24), r14 }); // fact(3) at line 24
  const run = await w.program();
  run.program.next(1);
  const stop = await run.stop();
  assert.equal(stop.kind, 'step');
  assert.equal(stop.threadId, 1);
  assert.deepEqual(
    w.proc.traps.map((t) => t.decision),
    ['continue', 'continue', 'stop'],
  );
  assert.equal(run.program.stackTrace(1)[0]!.line, 24);
  assert.equal(run.program.stackTrace(1)[0]!.cfa, fact3.cfa);
  assert.equal(w.proc.int3s.size, 0);
});

test("stepOut: the return address reached with SP ≠ the stepped frame's CFA is ignored; with SP == CFA the step completes", async () => {
  const { w, g1, r14 } = recursion(PC.factLine21);
  const fact2 = g1.frames[0]!;
  const cfa1 = fact2.sp;
  w.proc
    .reach(101, PC.factRet, { rsp: cfa1, r14 }) // a deeper fact(1) returning into fact(2)
    .reach(101, PC.factRet, { rsp: fact2.cfa, r14 }); // fact(2) returning into fact(3)
  const run = await w.program();
  run.program.stepOut(1);
  const stop = await run.stop();
  assert.equal(stop.kind, 'step');
  assert.equal(stop.threadId, 1);
  assert.deepEqual(w.proc.inserted, [PC.factRet], 'only the return address');
  assert.deepEqual(
    w.proc.traps.map((t) => t.decision),
    ['continue', 'stop'],
  );
  assert.equal(run.program.registers(1).sp, fact2.cfa);
  assert.equal(w.proc.int3s.size, 0);
  assert.deepEqual(w.proc.consumed, [101], 'the stepped thread steps off its own int3 first');
});

test('a breakpoint in the stepped function hit on another goroutine during a step is stepped over silently; the step completes on its own goroutine', async () => {
  const { w, g1, r14 } = recursion(PC.factLine21);
  const g2 = w.addGoroutine({ id: 2, tid: 102, chain: [PC.goexit + 1, PC.workerLine31] });
  const fact2 = g1.frames[0]!;
  const other = { rsp: g2.frames[0]!.sp, r14: g2.g };
  w.proc
    .reach(102, PC.factLine22, other) // the user breakpoint in fact, on goroutine 2 (also a step site)
    .reach(101, PC.factLine23, { rsp: w.spAt(fact2.cfa, PC.factLine23), r14 })
    .reach(102, PC.factLine22, other);
  const run = await w.program();
  const [bp] = run.program.breakpoints.setLineBreakpoints(MAIN_GO, [{ line: 22 }]);
  assert.ok(bp?.verified);
  run.program.next(1);
  const stop = await run.stop();
  assert.deepEqual({ kind: stop.kind, threadId: stop.threadId, breakpointIds: stop.breakpointIds }, { kind: 'step', threadId: 1, breakpointIds: [] });
  assert.deepEqual(
    w.proc.traps.map((t) => [t.tid, t.decision]),
    [
      [102, 'continue'],
      [101, 'stop'],
    ],
  );
  assert.equal(bp.hits, 1, 'the hit on goroutine 2 was counted');
  assert.deepEqual([...w.proc.int3s], [PC.factLine22], 'only the user breakpoint is left');
  assert.equal(run.program.stackTrace(1)[0]!.line, 23);
  // Without a step, the same breakpoint stops goroutine 2.
  run.program.continue();
  const again = await run.stop();
  assert.deepEqual(
    { kind: again.kind, threadId: again.threadId, breakpointIds: again.breakpointIds },
    { kind: 'breakpoint', threadId: 2, breakpointIds: [bp.id] },
  );
});

test('a breakpoint in another function hit on another goroutine during a step stops there; the step is over', async () => {
  const { w } = recursion(PC.factLine21);
  const g2 = w.addGoroutine({ id: 2, tid: 102, chain: [PC.goexit + 1, PC.workerLine31] });
  const other = { rsp: g2.frames[0]!.sp, r14: g2.g };
  w.proc.reach(102, PC.workerLine31, other); // the user breakpoint in worker, on goroutine 2
  const run = await w.program();
  const [bp] = run.program.breakpoints.setLineBreakpoints(MAIN_GO, [{ line: 31 }]);
  assert.ok(bp?.verified);
  run.program.next(1);
  const stop = await run.stop();
  assert.deepEqual(
    { kind: stop.kind, threadId: stop.threadId, breakpointIds: stop.breakpointIds },
    { kind: 'breakpoint', threadId: 2, breakpointIds: [bp.id] },
  );
  assert.deepEqual(
    w.proc.traps.map((t) => [t.tid, t.decision]),
    [[102, 'stop']],
  );
  assert.equal(bp.hits, 1);
  assert.deepEqual([...w.proc.int3s], [PC.workerLine31], 'the step sites are gone');
});

test('stepIn single-steps into a user function and stops after its prologue', async () => {
  const w = new GoWorld();
  // main.main at line 11, whose call of fact comes after one instruction.
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain: [PC.goexit + 1, PC.runtimeMainRet, PC.main + 0x20] });
  const main = g1.frames[0]!;
  const r14 = g1.g;
  const calleeCFA = main.sp;
  // The second instruction is the call: it pushes the return address.
  w.proc.writeWord(calleeCFA - 8, PC.mainRet);
  w.proc.singleSteps({ regs: { rip: PC.main + 0x23 } }, { regs: { rip: PC.fact, rsp: calleeCFA - 8 } });
  w.proc.reach(101, PC.factLine21, { rsp: w.spAt(calleeCFA, PC.factLine21), r14 });
  const run = await w.program();
  run.program.stepIn(1);
  const stop = await run.stop();
  assert.equal(stop.kind, 'step');
  assert.deepEqual(w.proc.inserted, [PC.factLine21], "the end of fact's prologue");
  assert.equal(run.program.stackTrace(1)[0]!.funcName, 'main.fact');
  assert.equal(run.program.stackTrace(1)[1]!.funcName, 'main.main');
  assert.equal(w.proc.int3s.size, 0);
});

test('stepInstruction moves one instruction on the thread and reports a step', async () => {
  const { w } = recursion(PC.factLine21);
  w.proc.singleSteps({ regs: { rip: PC.factLine21 + 4 } });
  const run = await w.program();
  run.program.stepInstruction(1);
  const stop = await run.stop();
  assert.deepEqual({ kind: stop.kind, threadId: stop.threadId }, { kind: 'step', threadId: 1 });
  assert.equal(run.program.registers(1).pc, PC.factLine21 + 4);
  assert.equal(w.proc.resumes, 0, 'no other thread ran');
});

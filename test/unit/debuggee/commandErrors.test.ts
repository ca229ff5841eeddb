// The contract of resume-type commands, over the fake process: what the user
// can get wrong is thrown at once (a UserError for the error response); a
// failure after the command was accepted ends in a `stopped` event that says
// what failed, plus a console line, and the program stays usable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCode, UserError } from '../../../src/util/userErrors.js';
import { GoWorld, PC } from './goWorld.js';

function world() {
  const w = new GoWorld();
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain: [PC.goexit + 1, PC.runtimeMainRet, PC.main + 0x20] });
  return { w, g1 };
}

const userError = (code: number) => (e: unknown) => e instanceof UserError && e.code === code;

test("a single step that fails in the middle of stepIn ends in a stop saying so, with the step's breakpoints gone", async () => {
  const { w } = world();
  w.proc.singleSteps({ regs: { rip: PC.main + 0x23 } }, { error: new Error('ptrace(PTRACE_SINGLESTEP): ESRCH') });
  w.proc.exit(0);
  const run = await w.program();
  run.program.stepIn(1);
  const stop = await run.stop();
  assert.deepEqual(
    { kind: stop.kind, threadId: stop.threadId, description: stop.description, text: stop.text },
    { kind: 'pause', threadId: 1, description: 'step in failed: ptrace(PTRACE_SINGLESTEP): ESRCH', text: 'step in failed: ptrace(PTRACE_SINGLESTEP): ESRCH' },
  );
  assert.equal(run.console.length, 1);
  assert.match(run.console[0]!, /^step in failed: Error: ptrace\(PTRACE_SINGLESTEP\): ESRCH\n {4}at /);
  assert.equal(w.proc.int3s.size, 0);
  // Not left busy: the next command runs.
  run.program.continue();
  assert.ok('exited' in (await run.next()));
});

test('a resume that fails while the program is stopped ends in a stop', async () => {
  const { w } = world();
  w.proc.failResume = { error: new Error('PTRACE_CONT: ESRCH'), state: 'stopped' };
  const run = await w.program();
  run.program.continue();
  const stop = await run.stop();
  assert.deepEqual(
    { kind: stop.kind, threadId: stop.threadId, description: stop.description },
    { kind: 'pause', threadId: 1, description: 'continue failed: PTRACE_CONT: ESRCH' },
  );
  assert.match(run.console.join(''), /continue failed: Error: PTRACE_CONT: ESRCH/);
});

test('a failure that leaves the program running pauses it, then reports the stop with the reason', async () => {
  const { w } = world();
  w.proc.failResume = { error: new Error('some threads could not be resumed'), state: 'running' };
  const run = await w.program();
  run.program.next(1);
  const stop = await run.stop();
  assert.deepEqual(
    { kind: stop.kind, threadId: stop.threadId, description: stop.description },
    { kind: 'pause', threadId: 1, description: 'step over failed: some threads could not be resumed' },
  );
  assert.equal(w.proc.state, 'stopped');
  assert.equal(w.proc.int3s.size, 0, "the step's breakpoints were removed");
  assert.equal(run.events.length, 1, 'exactly one stop');
});

test('an instruction step whose thread vanished (the process still there) ends in a stop, not silence', async () => {
  const { w } = world();
  w.proc.singleSteps({ result: 'exited' });
  const run = await w.program();
  run.program.stepInstruction(1);
  const stop = await run.stop();
  assert.equal(stop.kind, 'pause');
  assert.equal(stop.description, 'instruction step failed: thread 101 exited during the step');
});

test('a command while another is in flight is "busy"; while the program runs, "running"; after the exit, "exited"', async () => {
  const { w } = world();
  const run = await w.program();
  const p = run.program;
  p.continue(); // the program runs until paused: the script is empty
  assert.throws(() => p.next(1), userError(ErrorCode.Busy));
  assert.throws(() => p.continue(), userError(ErrorCode.Busy));
  assert.throws(() => p.stepInstruction(1), userError(ErrorCode.Busy));
  assert.throws(() => p.registers(1), userError(ErrorCode.ProgramRunning));
  assert.throws(() => p.threads(), userError(ErrorCode.ProgramRunning));
  p.pause();
  const stop = await run.stop();
  assert.deepEqual({ kind: stop.kind, threadId: stop.threadId, description: stop.description }, { kind: 'pause', threadId: 1, description: undefined });
  w.proc.exit(3);
  p.continue();
  assert.deepEqual(await run.next(), { exited: { code: 3 } });
  assert.throws(() => p.continue(), userError(ErrorCode.NoProgram));
  assert.throws(() => p.next(1), userError(ErrorCode.NoProgram));
  assert.throws(() => p.registers(1), userError(ErrorCode.NoProgram));
  assert.deepEqual(p.threads(), []);
});

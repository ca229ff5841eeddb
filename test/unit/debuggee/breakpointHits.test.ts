// What user breakpoints do on the hit path, over the fake process: hit
// conditions, conditions (true, false, broken) and logpoints, judged by the
// stops reported and the console lines printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLogMessage } from '../../../src/debuggee/breakpoints/conditions.js';
import type { Program, ProgramOptions } from '../../../src/debuggee/program.js';
import type { BreakpointSpec } from '../../../src/debuggee/breakpoints/userBreakpoints.js';
import { GoWorld, MAIN_GO, PC, type Running } from './goWorld.js';

/** Goroutine 1 on thread 101 reaches fact line 21 `n` times, with RAX = 1, 2, …, n; then the program exits. */
async function world(n: number, spec: Omit<BreakpointSpec, 'line'>, options: (p: () => Program) => ProgramOptions = () => ({})) {
  const w = new GoWorld();
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain: [PC.goexit + 1, PC.runtimeMainRet, PC.main + 0x10] });
  const sp = g1.frames[0]!.sp - 0x40;
  for (let i = 1; i <= n; i++) w.proc.reach(101, PC.factLine21, { rsp: sp, r14: g1.g, rax: i });
  w.proc.exit(0);
  let program: Program | undefined;
  const run = await w.program(options(() => program!));
  program = run.program;
  const [bp] = program.breakpoints.setLineBreakpoints(MAIN_GO, [{ line: 21, ...spec }]);
  assert.ok(bp?.verified, bp?.message);
  return { w, run, bp };
}

/** Starts the program and continues after every stop: the RAX value at each stop, until the exit. */
async function raxAtStops(run: Running): Promise<number[]> {
  const out: number[] = [];
  run.program.start(false);
  for (;;) {
    const e = await run.next();
    if ('exited' in e) return out;
    assert.equal(e.stopped.kind, 'breakpoint');
    assert.equal(e.stopped.threadId, 1);
    out.push(Number(run.program.registers(e.stopped.threadId).get('rax')));
    run.program.continue();
  }
}

test('hit condition ">= 3" stops from the third hit on', async () => {
  const { run, bp } = await world(5, { hitCondition: '>= 3' });
  assert.deepEqual(await raxAtStops(run), [3, 4, 5]);
  assert.equal(bp.hits, 5);
});

test('hit condition "% 2" stops at every second hit', async () => {
  const { run } = await world(5, { hitCondition: '% 2' });
  assert.deepEqual(await raxAtStops(run), [2, 4]);
});

test('hit condition "== 5" stops at the fifth hit only', async () => {
  const { run } = await world(7, { hitCondition: '== 5' });
  assert.deepEqual(await raxAtStops(run), [5]);
});

test('a bare number as hit condition means "== N", as in Delve', async () => {
  const { run } = await world(3, { hitCondition: '2' });
  assert.deepEqual(await raxAtStops(run), [2]);
});

/** Conditions "rax == N" read the hitting thread's registers (as the real evaluator does, on the hit path); "broken" fails. */
const evaluator = (program: () => Program): ProgramOptions => ({
  conditionEvaluator: (expr, id) => {
    const m = /^rax == (\d+)$/.exec(expr);
    if (!m) throw new Error(`undefined: ${expr}`);
    return program().registers(id).get('rax') === BigInt(m[1]!);
  },
});

test('a condition that holds stops; one that does not, does not (and the hit is not counted)', async () => {
  const holds = await world(3, { condition: 'rax == 2' }, evaluator);
  assert.deepEqual(await raxAtStops(holds.run), [2]);
  assert.equal(holds.bp.hits, 1);
  const never = await world(3, { condition: 'rax == 9' }, evaluator);
  assert.deepEqual(await raxAtStops(never.run), []);
  assert.equal(never.bp.hits, 0);
  assert.deepEqual(
    never.w.proc.traps.map((t) => t.decision),
    ['continue', 'continue', 'continue'],
  );
  assert.deepEqual(never.run.console, []);
});

test('a condition that cannot be evaluated stops once, naming the breakpoint, the condition and the error; later hits failing the same way go on', async () => {
  const { run, bp } = await world(3, { condition: 'broken' }, evaluator);
  const descriptions: (string | undefined)[] = [];
  run.program.start(false);
  for (;;) {
    const e = await run.next();
    if ('exited' in e) break;
    descriptions.push(e.stopped.description);
    run.program.continue();
  }
  const note = `Breakpoint ${bp.id}: condition "broken" failed: undefined: broken. Stopped once; later hits where it fails the same way will not stop.`;
  assert.deepEqual(descriptions, [note]);
  assert.deepEqual(run.console, [`${note}\n`]);
});

test('a condition failing with a different message stops again (once per kind of failure)', async () => {
  let calls = 0;
  const flaky = (): ProgramOptions => ({
    conditionEvaluator: () => {
      calls++;
      throw new Error(calls <= 2 ? 'undefined: x' : 'nil pointer dereference');
    },
  });
  const { run } = await world(4, { condition: 'x.y > 0' }, flaky);
  assert.deepEqual(await raxAtStops(run), [1, 3]);
});

test('condition and hit condition together: the count is of hits where the condition held', async () => {
  const { run } = await world(6, { condition: 'rax == 4', hitCondition: '1' }, evaluator);
  assert.deepEqual(await raxAtStops(run), [4]);
});

/** Interpolates `{reg}` with the register's value, through the real message parser. */
const registerLog = (program: () => Program): ProgramOptions => ({
  logFormatter: (message, id) =>
    parseLogMessage(message)
      .map((p) =>
        typeof p === 'string'
          ? p
          : String(
              program()
                .registers(id)
                .get(p.expr as 'rax'),
            ),
      )
      .join(''),
});

test('a logpoint prints its interpolated message at every hit and never stops', async () => {
  const { run, w } = await world(3, { logMessage: 'n = {rax} {{literal}}' }, registerLog);
  assert.deepEqual(await raxAtStops(run), []);
  assert.deepEqual(run.console, ['n = 1 {literal}\n', 'n = 2 {literal}\n', 'n = 3 {literal}\n']);
  assert.ok(w.proc.traps.every((t) => t.decision === 'continue'));
  assert.ok(run.events.every((e) => !('stopped' in e)));
});

test('a logpoint with a hit condition prints only at the hits it selects; without a formatter the message is printed as written', async () => {
  const every2 = await world(5, { logMessage: 'at {rax}', hitCondition: '% 2' }, registerLog);
  assert.deepEqual(await raxAtStops(every2.run), []);
  assert.deepEqual(every2.run.console, ['at 2\n', 'at 4\n']);
  const plain = await world(2, { logMessage: 'here {rax}' });
  assert.deepEqual(await raxAtStops(plain.run), []);
  assert.deepEqual(plain.run.console, ['here {rax}\n', 'here {rax}\n']);
});

test('a function breakpoint stops after the prologue and is reported as such', async () => {
  const w = new GoWorld();
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain: [PC.goexit + 1, PC.runtimeMainRet, PC.main + 0x10] });
  w.proc.reach(101, PC.factLine21, { rsp: g1.frames[0]!.sp - 0x40, r14: g1.g }).exit(0);
  const run = await w.program();
  const [bp] = run.program.breakpoints.setFunctionBreakpoints([{ name: 'fact' }]);
  assert.deepEqual([bp?.verified, bp?.funcName, bp?.line], [true, 'main.fact', 21]);
  run.program.start(false);
  const stop = await run.stop();
  assert.deepEqual(
    { kind: stop.kind, threadId: stop.threadId, breakpointIds: stop.breakpointIds },
    { kind: 'function breakpoint', threadId: 1, breakpointIds: [bp!.id] },
  );
});

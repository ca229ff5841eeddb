// The program's own int3 (runtime.Breakpoint) over the fake process: reported as
// a breakpoint that names it, the thread stepped out of runtime.breakpoint and
// runtime.Breakpoint to its caller; an int3 elsewhere stays where it trapped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Program, type StopInfo } from '../../../src/debuggee/program.js';
import type { ProcessStarter } from '../../../src/debuggee/processStarter.js';
import { FakeProcess, type SingleStep } from './fakeProcess.js';
import { FakeSymbols, GOROOT, type FakeFuncSpec } from './fakeSymbols.js';

const MAIN_GO = '/src/app/main.go';
const FUNCS: FakeFuncSpec[] = [
  {
    name: 'main.main',
    entry: 0x401000,
    end: 0x401100,
    file: MAIN_GO,
    lines: [
      [0x401000, 9],
      [0x401010, 10],
      [0x401020, 11],
      [0x401030, 12],
    ],
    frame: 0x20,
  },
  // With -N -l, runtime.Breakpoint is a function of its own that calls the assembly one.
  {
    name: 'runtime.Breakpoint',
    entry: 0x402000,
    end: 0x402020,
    file: `${GOROOT}/src/runtime/proc.go`,
    lines: [
      [0x402000, 5589],
      [0x40200a, 5590],
      [0x40201c, 5591],
    ],
    frame: 8,
  },
  {
    name: 'runtime.breakpoint.abi0',
    entry: 0x402100,
    end: 0x402102,
    file: `${GOROOT}/src/runtime/asm_amd64.s`,
    lines: [
      [0x402100, 411],
      [0x402101, 412],
    ],
    frame: 0,
  },
  {
    name: 'main.trap.abi0',
    entry: 0x403000,
    end: 0x403002,
    file: '/src/app/trap_amd64.s',
    lines: [
      [0x403000, 5],
      [0x403001, 6],
    ],
    frame: 0,
  },
];

/** A program over the fake process whose thread 101 does `script`; the single steps it will be given. */
async function start(script: (p: FakeProcess) => void, steps: SingleStep[]) {
  const proc = new FakeProcess(100);
  proc.addThread(101, { rip: 0x401010, rsp: 0x7000 });
  script(proc);
  proc.exit(0);
  proc.singleSteps(...steps);
  const starter: ProcessStarter = { launch: async () => proc, attach: () => proc, seize: async () => proc };
  const program = new Program(new FakeSymbols(FUNCS), { starter });
  const events: ({ stopped: StopInfo } | { exited: unknown })[] = [];
  let wake: (() => void) | undefined;
  program.on('stopped', (s) => {
    events.push({ stopped: s });
    wake?.();
  });
  program.on('exited', (x) => {
    events.push({ exited: x });
    wake?.();
  });
  await program.launch({ program: '/src/app/app', args: [], env: {} });
  const next = async () => {
    while (events.length === 0) await new Promise<void>((r) => (wake = r));
    return events.shift()!;
  };
  return { proc, program, next };
}

test('runtime.Breakpoint(): a breakpoint named so, the thread stepped out to the caller, the landing site consumed', async () => {
  // RET of runtime.breakpoint → back in runtime.Breakpoint, its epilogue → main.main after the call.
  const steps: SingleStep[] = [{ regs: { rip: 0x40200f, rsp: 0x6ff0 } }, { regs: { rip: 0x40201c } }, { regs: { rip: 0x401025, rsp: 0x7000 } }];
  const { proc, program, next } = await start((p) => p.programInt3(101, 0x402100), steps);
  program.start(false);
  const e = await next();
  assert.ok('stopped' in e, JSON.stringify(e));
  assert.deepEqual(e.stopped, { kind: 'breakpoint', threadId: 101, breakpointIds: [], description: 'runtime.Breakpoint', text: 'runtime.Breakpoint' });
  assert.equal(program.registers(101).pc, 0x401025, 'in main.main at the return address');
  assert.deepEqual(proc.consumed, [101]);
  // >> continue: the int3 is the program's, nothing to step over or remove; the program ends.
  program.continue();
  assert.ok('exited' in (await next()));
});

test('an int3 in hand-written assembly: the thread stays on the instruction after it', async () => {
  const { proc, program, next } = await start((p) => p.programInt3(101, 0x403000), [{ regs: { rip: 0xdead } }]);
  program.start(false);
  const e = await next();
  assert.ok('stopped' in e, JSON.stringify(e));
  assert.equal(e.stopped.kind, 'breakpoint');
  assert.equal(e.stopped.description, 'hard-coded breakpoint in main.trap.abi0');
  assert.equal(program.registers(101).pc, 0x403001, 'not stepped (a step would have gone to 0xdead)');
  assert.deepEqual(proc.consumed, [], 'nothing consumed');
});

test('a step out that fails part-way still reports the stop where the thread is', async () => {
  const { program, next } = await start((p) => p.programInt3(101, 0x402100), [{ regs: { rip: 0x40200f } }, { result: { signal: 11 } }]);
  program.start(false);
  const e = await next();
  assert.ok('stopped' in e, JSON.stringify(e));
  assert.equal(e.stopped.description, 'runtime.Breakpoint');
  assert.equal(program.registers(101).pc, 0x40200f);
});

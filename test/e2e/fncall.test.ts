/**
 * Function calls by the runtime's debugCallV2 protocol on testdata/fncall,
 * through the Program API (the test seam: CallRequests built here by hand,
 * by Go's register ABI, for functions found in the symbol table), on real
 * ptrace'd processes. Each test checks what the program prints afterwards:
 * its registers and state were put back (it goes on as if no call happened),
 * and what a call wrote (a global) is what it prints.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, before, test } from 'node:test';
import { Inspector } from '../../src/debuggee/inspect/inspector.js';
import { loadSymbols } from '../../src/debuggee/loadSymbols.js';
import { Program, type StopInfo } from '../../src/debuggee/program.js';
import type { CallOutcome, CallRequest } from '../../src/eval/callContract.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';
import { assertTextRestored } from './service.js';

const dir = join(testdataDir, 'fncall');
const mainGo = join(dir, 'main.go');
const NORMAL = 'x 1 calls 0\nx 3 calls 0\nx 6 calls 0\nadder 101 origin {1 2} keep 8\n';
let binary: string;
let running: Session | undefined;

function lineOf(marker: string): number {
  const i = readFileSync(mainGo, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(`FC:${marker}`));
  assert.ok(i >= 0, `FC:${marker}`);
  return i + 1;
}

interface Session {
  p: Program;
  out: () => string;
  stops: StopInfo[];
  nextStop: () => Promise<StopInfo>;
  exit: Promise<{ code?: number; signal?: number }>;
}

function watch(p: Program): Session {
  let out = '';
  const stops: StopInfo[] = [];
  const waiting: ((s: StopInfo) => void)[] = [];
  p.on('output', (stream, text) => {
    if (stream === 'stdout') out += text;
  });
  p.on('stopped', (s) => {
    stops.push(s);
    waiting.shift()?.(s);
  });
  const exit = new Promise<{ code?: number; signal?: number }>((resolve) => p.once('exited', resolve));
  const nextStop = () =>
    new Promise<StopInfo>((resolve, reject) => {
      waiting.push(resolve);
      void exit.then((e) => reject(new Error(`exited ${JSON.stringify(e)} instead of stopping; output:\n${out}`)));
    });
  return { p, out: () => out, stops, nextStop, exit };
}

/** Launches testdata/fncall with line breakpoints at `markers` and runs to the first stop. */
async function launchTo(markers: string[], args: string[] = []): Promise<Session & { first: StopInfo }> {
  const p = new Program(loadSymbols(binary));
  const s = watch(p);
  running = s;
  await p.launch({ program: binary, args, env: { PATH: process.env.PATH ?? '' } });
  setLines(p, markers);
  const first = s.nextStop();
  p.start(false);
  return { ...s, first: await first };
}

function setLines(p: Program, markers: string[]): void {
  const bps = p.breakpoints.setLineBreakpoints(
    mainGo,
    markers.map((m) => ({ line: lineOf(m) })),
  );
  for (const b of bps) assert.ok(b.verified, `breakpoint at ${b.line}`);
}

function entryOf(p: Program, name: string): number {
  const f = p.symbols.funcByName(name);
  assert.ok(f, name);
  return f.entry;
}

function req(p: Program, name: string, intArgs: bigint[], more: Partial<CallRequest> = {}): CallRequest {
  return { entry: entryOf(p, name), name, intArgs, floatArgs: [], stackArgs: new Uint8Array(0), frameSize: 0, timeoutMs: 5000, ...more };
}

function returned(o: CallOutcome): Extract<CallOutcome, { kind: 'returned' }> {
  assert.equal(
    o.kind,
    'returned',
    JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
  );
  return o as Extract<CallOutcome, { kind: 'returned' }>;
}

/** The line of frame 0 of thread id `id`. */
function lineAt(p: Program, id: number): number {
  return p.stackTrace(id)[0]!.line!;
}

function f64bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x, true);
  return dv.getBigUint64(0, true);
}
function f32bits(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, x, true);
  return BigInt(dv.getUint32(0, true));
}
function bitsF64(b: bigint): number {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, b, true);
  return dv.getFloat64(0, true);
}

/** A Go string header (ptr, len) read as text. */
function goString(p: Program, ptr: bigint, len: bigint): string {
  return new TextDecoder().decode(p.read(Number(ptr), Number(len)));
}

/** Address of global `main.<name>`, as the Variables view finds it. */
function globalAddr(p: Program, name: string): number {
  const v = new Inspector(p).global('main', name)?.value;
  assert.ok(v && v.addr !== undefined, `main.${name}`);
  return v.addr!;
}

before(() => {
  binary = buildFixture('fncall');
});
afterEach(async () => {
  await running?.p.terminate();
  running = undefined;
});

test('add(2, 3) = 5 on the stopped goroutine; its registers and frames are as before; a global written by a call is what the program prints', async () => {
  const s = await launchTo(['print', 'bump']);
  const { p, first } = s;
  const id = first.threadId;
  // << stopped(breakpoint) at FC:print, first round
  assert.equal(lineAt(p, id), lineOf('print'));
  const tid = p.threadOf(id);
  const before = p.registers(id).clone();
  const framesBefore = p.stackTrace(id).map((f) => `${f.funcName}:${f.line}`);
  const call = p.calls.caller(id);

  const r = returned(call(req(p, 'main.add', [2n, 3n])));
  assert.equal(r.intResults[0], 5n, 'RAX = 2 + 3');
  // Twenty more, each timed from the protocol's start to the thread put back (reported, not asserted).
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    assert.equal(returned(call(req(p, 'main.add', [BigInt(i), 1n]))).intResults[0], BigInt(i + 1));
    times.push(p.calls.lastCallMs!);
  }
  times.sort((a, b) => a - b);
  console.log(`# main.add call: min ${times[0]!.toFixed(2)} ms, median ${times[10]!.toFixed(2)} ms, max ${times[19]!.toFixed(2)} ms`);

  const after = p.registers(id);
  assert.equal(p.threadOf(id), tid, 'the same thread runs the goroutine');
  assert.deepEqual([...after.raw], [...before.raw], 'every general register as before');
  assert.deepEqual([...after.fp!], [...before.fp!], 'the FP state as before');
  assert.deepEqual(
    p.stackTrace(id).map((f) => `${f.funcName}:${f.line}`),
    framesBefore,
    'the same frames',
  );

  // A breakpoint inside the called function does not stop it (FC:bump is never reached by the program).
  assert.equal(returned(call(req(p, 'main.bump', [5n]))).intResults[0], 5n, 'calls += 5');
  // Methods: on a value receiver (its fields in RAX, RBX) and on a pointer receiver (&origin).
  assert.equal(returned(call(req(p, 'main.Point.Sum', [3n, 4n]))).intResults[0], 7n);
  const origin = globalAddr(p, 'origin');
  returned(call(req(p, 'main.(*Point).Scale', [BigInt(origin), 2n])));
  // Floats in X0, X1 (a float32 in the low 32 bits); the result in X0.
  const mixed = returned(call(req(p, 'main.mix', [], { floatArgs: [f64bits(1.5), f32bits(0.25)] })));
  assert.equal(bitsF64(mixed.floatResults[0]!), 3.25);
  // A string argument (ptr, len) and a string result.
  const label = new DataView(p.read(globalAddr(p, 'label'), 16).buffer);
  const g = returned(call(req(p, 'main.greet', [label.getBigUint64(0, true), label.getBigUint64(8, true)])));
  assert.equal(goString(p, g.intResults[0]!, g.intResults[1]!), 'hello fn');

  // >> continue without breakpoints: the program goes on as if nothing happened, but for what the calls wrote.
  p.breakpoints.setLineBreakpoints(mainGo, []);
  p.continue();
  const e = await s.exit;
  assert.deepEqual(e, { code: 0 });
  assert.equal(s.out(), 'x 1 calls 5\nx 3 calls 5\nx 6 calls 5\nadder 101 origin {2 4} keep 8\n');
  assert.equal(s.stops.length, 1, 'no stop but the first: the breakpoint in bump never stopped the call');
});

test('a panic in the call is its outcome (the panic value as an eface); the program goes on unharmed', async () => {
  const s = await launchTo(['print']);
  const { p, first } = s;
  const call = p.calls.caller(first.threadId);
  const o = call(req(p, 'main.boom', [1n]));
  assert.equal(o.kind, 'panicked');
  assert.ok(o.kind === 'panicked');
  assert.notEqual(o.typeWord, 0n, 'a type word');
  // The value is a string: the data word points to its header.
  const h = new DataView(p.read(Number(o.dataWord), 16).buffer);
  assert.equal(goString(p, h.getBigUint64(0, true), h.getBigUint64(8, true)), 'boom 1');
  // boom(0) returns normally, and calls go on working after a panic.
  assert.equal(returned(call(req(p, 'main.boom', [0n]))).intResults[0], 0n);
  assert.equal(returned(call(req(p, 'main.add', [40n, 2n]))).intResults[0], 42n);
  p.breakpoints.setLineBreakpoints(mainGo, []);
  p.continue();
  assert.deepEqual(await s.exit, { code: 0 });
  assert.equal(s.out(), NORMAL);
});

test('a closure call gets its context in RDX: adder(1) = 1 + base', async () => {
  const s = await launchTo(['print']);
  const { p, first } = s;
  const id = first.threadId;
  const adder = new Inspector(p).locals({ tid: id, index: 0 }).find((n) => n.name === 'adder');
  assert.ok(adder?.value.addr !== undefined, 'the local adder');
  const fv = new DataView(p.read(adder.value.addr, 8).buffer).getBigUint64(0, true);
  const code = new DataView(p.read(Number(fv), 8).buffer).getBigUint64(0, true);
  assert.equal(p.symbols.funcForPC(Number(code))?.name, 'main.main.func1');
  const r = returned(p.calls.caller(id)({ ...req(p, 'main.main.func1', [1n]), entry: Number(code), closure: fv }));
  assert.equal(r.intResults[0], 101n);
  p.breakpoints.setLineBreakpoints(mainGo, []);
  p.continue();
  assert.deepEqual(await s.exit, { code: 0 });
  assert.equal(s.out(), NORMAL);
});

test('a parked goroutine is refused with the reason', async () => {
  const s = await launchTo(['print']);
  const { p } = s;
  const parked = p.view.tableNow().list.find((g) => g.tid === undefined && g.statusName === 'waiting');
  assert.ok(parked, 'a parked goroutine (the sleeper, or one of the runtime)');
  assert.throws(() => p.calls.caller(parked.id)(req(p, 'main.add', [1n, 2n])), {
    message: new RegExp(`^function calls need a goroutine running on a thread: goroutine ${parked.id} is parked \\(waiting`),
  });
  p.breakpoints.setLineBreakpoints(mainGo, []);
  p.continue();
  assert.deepEqual(await s.exit, { code: 0 });
  assert.equal(s.out(), NORMAL);
});

test('a goroutine in a system call is refused', async () => {
  const s = await launchTo(['print']);
  const { p } = s;
  // The Nanosleep goroutine may not have entered its system call yet when main reaches FC:print.
  let inSyscall = p.view.tableNow().list.find((g) => g.statusName === 'syscall');
  for (let i = 0; !inSyscall && i < 20; i++) {
    p.breakpoints.setLineBreakpoints(mainGo, [{ line: lineOf('print') }]);
    const stop = s.nextStop();
    p.continue();
    await stop;
    inSyscall = p.view.tableNow().list.find((g) => g.statusName === 'syscall');
  }
  assert.ok(inSyscall, 'a goroutine in Nanosleep');
  assert.throws(() => p.calls.caller(inSyscall.id)(req(p, 'main.add', [1n, 2n])), {
    message: `cannot call main.add: goroutine ${inSyscall.id} is in a system call`,
  });
});

test('a call that does not return in time is abandoned; it finishes when the program resumes, its traps never stop, the program ends normally', async () => {
  const s = await launchTo(['print']);
  const { p, first } = s;
  const id = first.threadId;
  const call = p.calls.caller(id);
  // block() waits on a channel that the sleeper goroutine closes; the sleeper cannot run while only the call runs.
  assert.throws(() => call(req(p, 'main.block', [], { timeoutMs: 300 })), {
    message: /^the call of main\.block did not return within 300 ms and was abandoned: it will finish when the program resumes/,
  });
  // Meanwhile the stopped goroutine is parked by debugCallWrap: a second call is refused.
  assert.throws(() => call(req(p, 'main.add', [1n, 2n])), { message: /parked/ });
  assert.ok(
    p.threads().some((t) => t.id === id),
    'the goroutine is still listed',
  );
  p.breakpoints.setLineBreakpoints(mainGo, []);
  // >> continue: the sleeper closes the gate, block returns into the protocol, the goroutine goes on.
  p.continue();
  assert.deepEqual(await s.exit, { code: 0 });
  assert.equal(s.out(), NORMAL);
  assert.equal(s.stops.length, 1, 'no stop but the first');
});

test('a call on a thread sitting on a breakpoint: next then steps the right line, continue hits the next breakpoint, not the same one again', async () => {
  const s = await launchTo(['loop', 'print']);
  const { p, first } = s;
  const id = first.threadId;
  // << stopped at FC:loop, round 1, on the breakpoint's int3
  assert.equal(lineAt(p, id), lineOf('loop'));
  assert.equal(returned(p.calls.caller(id)(req(p, 'main.add', [2n, 3n]))).intResults[0], 5n);
  // >> next, << stopped(step) at FC:print: add(0, 1) ran once
  let stop = s.nextStop();
  p.next(id);
  let ev = await stop;
  assert.equal(ev.kind, 'step');
  assert.equal(lineAt(p, ev.threadId), lineOf('print'));
  assert.equal(s.out(), '');
  assert.equal(returned(p.calls.caller(ev.threadId)(req(p, 'main.add', [2n, 3n]))).intResults[0], 5n);
  // >> continue, << stopped(breakpoint) at FC:loop of round 2 (the print ran once)
  stop = s.nextStop();
  p.continue();
  ev = await stop;
  assert.equal(ev.kind, 'breakpoint');
  assert.equal(lineAt(p, ev.threadId), lineOf('loop'));
  assert.equal(s.out(), 'x 1 calls 0\n');
  // Once more, then on without breakpoints: the program's own result.
  assert.equal(returned(p.calls.caller(ev.threadId)(req(p, 'main.add', [2n, 3n]))).intResults[0], 5n);
  stop = s.nextStop();
  p.continue();
  ev = await stop;
  assert.equal(lineAt(p, ev.threadId), lineOf('print'));
  assert.equal(s.out(), 'x 1 calls 0\n');
  p.breakpoints.setLineBreakpoints(mainGo, []);
  p.continue();
  assert.deepEqual(await s.exit, { code: 0 });
  assert.equal(s.out(), NORMAL);
});

test('attached: detach after calls (one abandoned) leaves the code bytes as the file has them, and the program runs to its end', async () => {
  // Not our child: libuv would reap a child's ptrace stops (docs/ARCHITECTURE.md). A shell
  // started in the background runs it, writes its pid, its output and its exit code to files.
  const tmp = mkdtempSync(join(tmpdir(), 'fncall-'));
  const outFile = join(tmp, 'out');
  const pidFile = join(tmp, 'pid');
  spawnSync('/bin/sh', ['-c', '( "$0" slow > "$1" 2>&1 & echo $! > "$2"; wait $!; echo "exit $?" >> "$1" ) > /dev/null 2>&1 &', binary, outFile, pidFile]);
  const out = () => (existsSync(outFile) ? readFileSync(outFile, 'utf8') : '');
  const until = async (ok: () => boolean, what: string) => {
    for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.ok(ok(), what);
  };
  await until(() => out().includes('x 1 '), 'the program to print');
  const pid = Number(readFileSync(pidFile, 'utf8'));
  try {
    const p = new Program(loadSymbols(binary));
    const s = watch(p);
    p.attach(pid);
    setLines(p, ['print']);
    const stop = s.nextStop();
    p.start(false);
    const ev = await stop;
    assert.equal(returned(p.calls.caller(ev.threadId)(req(p, 'main.add', [2n, 3n]))).intResults[0], 5n);
    assert.equal(returned(p.calls.caller(ev.threadId)(req(p, 'main.bump', [1n]))).intResults[0], 1n);
    // block() waits for the sleeper (1.5 s after the start): abandoned. An untraced program would die of
    // its remaining traps, so the detach lets it run until the call is over.
    assert.throws(() => p.calls.caller(ev.threadId)(req(p, 'main.block', [], { timeoutMs: 200 })), { message: /abandoned/ });
    p.breakpoints.setLineBreakpoints(mainGo, []);
    p.detach();
    // The code in memory is the file's: no int3 of ours (nor of the call) left behind.
    assertTextRestored({ pid, binary });
    await until(() => out().includes('exit '), 'the program to end');
    const lines = out().trim().split('\n');
    assert.equal(lines.at(-1), 'exit 0');
    assert.equal(lines.length, 42);
    assert.match(lines.at(-3)!, /^x 820 calls 1$/);
  } finally {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* ended */
    }
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('at a stop inside the runtime the runtime refuses the call with its reason; the thread is put back', async () => {
  const p = new Program(loadSymbols(binary));
  const s = watch(p);
  running = s;
  await p.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  // fmt.Println(x, …) converts the int x with runtime.convT64.
  const [bp] = p.breakpoints.setFunctionBreakpoints([{ name: 'runtime.convT64' }]);
  assert.ok(bp?.verified, 'runtime.convT64');
  const stop = s.nextStop();
  p.start(false);
  const ev = await stop;
  assert.equal(p.stackTrace(ev.threadId)[0]!.funcName, 'runtime.convT64');
  const before = p.registers(ev.threadId).clone();
  assert.throws(() => p.calls.caller(ev.threadId)(req(p, 'main.add', [1n, 2n])), {
    message: 'cannot call main.add: call from within the Go runtime',
  });
  assert.deepEqual([...p.registers(ev.threadId).raw], [...before.raw], 'every register as before');
  p.breakpoints.setFunctionBreakpoints([]);
  p.continue();
  assert.deepEqual(await s.exit, { code: 0 });
  assert.equal(s.out(), NORMAL);
});

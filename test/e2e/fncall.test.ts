/**
 * Function calls by the runtime's debugCallV2 protocol on testdata/fncall,
 * through the Program API (the test seam: CallRequests built here by hand,
 * by Go's register ABI, for functions found in the symbol table), on real
 * ptrace'd processes. Each test checks what the program prints afterwards:
 * its registers and state were put back (it goes on as if no call happened),
 * and what a call wrote (a global) is what it prints.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
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
  const ms = p.calls.lastCallMs!;
  console.log(`# one call of main.add: ${ms.toFixed(3)} ms`);

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

/**
 * The repl's `dump <file>` over real DAP on testdata/coredump (built -N -l):
 * at a breakpoint it writes an ELF core of the live program that readelf
 * (binutils) accepts, whose code bytes are the binary's own (no int3 of ours
 * in it), and that mode "core" opens with the same goroutines, top frames and
 * values as the live session had at that stop; the program then runs on and
 * prints what it holds. Refusals (running, a core session, a path that cannot
 * be written or holds another file) answer success: false and lose nothing.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { openCore } from '../support/coreFile.js';
import { procMemory } from './service.js';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, DEBUG_GCFLAGS, testdataDir } from '../support/goBuild.js';

const mainGo = join(testdataDir, 'coredump', 'main.go');
const dumpLine =
  readFileSync(mainGo, 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('// dump here')) + 1;
const dir = mkdtempSync(join(tmpdir(), 'gda-coredump-'));
const clients: StartedClient[] = [];
after(async () => {
  for (const c of clients.splice(0)) await c.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Snapshot {
  threads: { id: number; name: string }[];
  stacks: Record<number, string[]>;
  locals: Record<string, string>;
  callerLocals: Record<string, string>;
  exprs: Record<string, string>;
}

const EXPRS = ['main.total', 'main.banner', 'words[1]', 'ages["bob"]', 'p.Label', 'p', 'len(words)'];

/** What the session shows at its stop: every goroutine's top frames, the locals of frames 0 and 1, some expressions. */
async function snapshot(dc: DebugClient, tid: number): Promise<Snapshot> {
  const threads = (await dc.threadsRequest()).body.threads.map((t) => ({ id: t.id, name: t.name }));
  const stacks: Record<number, string[]> = {};
  for (const t of threads) stacks[t.id] = render(await frames(dc, t.id, 4));
  const st = (await dc.stackTraceRequest({ threadId: tid, levels: 2 })).body.stackFrames;
  const exprs: Record<string, string> = {};
  for (const e of EXPRS) exprs[e] = (await dc.evaluateRequest({ expression: e, frameId: st[0]!.id, context: 'watch' })).body.result;
  return { threads, stacks, locals: await locals(dc, st[0]!.id), callerLocals: await locals(dc, st[1]!.id), exprs };
}

async function locals(dc: DebugClient, frameId: number): Promise<Record<string, string>> {
  const scopes = (await dc.scopesRequest({ frameId })).body.scopes;
  const vars = (await dc.variablesRequest({ variablesReference: scopes[0]!.variablesReference })).body.variables;
  return Object.fromEntries(vars.map((v) => [v.name, v.value]));
}

async function repl(dc: DebugClient, expression: string, frameId?: number): Promise<DebugProtocol.EvaluateResponse> {
  return dc.evaluateRequest({ expression, frameId, context: 'repl' });
}

/** A session of testdata/coredump (cwd `cwd`, program arguments `args`) stopped at "dump here". */
async function stopAtDump(cwd: string, args: string[] = [], progress = false, passed: number[] = []) {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const events: DebugProtocol.Event[] = [];
  for (const e of ['progressStart', 'progressUpdate', 'progressEnd']) dc.on(e, (ev: DebugProtocol.Event) => events.push(ev));
  const pid = dc.waitForEvent('process', 60_000).then((e) => (e as DebugProtocol.ProcessEvent).body.systemProcessId!);
  const stopped = waitStopped(dc, 60_000);
  await dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path', supportsProgressReporting: progress });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: buildFixture('coredump'), cwd, args } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  // Breakpoints whose condition is false are stepped over without a stop (the engine's displaced steps).
  const breakpoints = [{ line: dumpLine }, ...passed.map((line) => ({ line, condition: 'false' }))];
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints });
  await dc.configurationDoneRequest();
  const ev = await stopped;
  const tid = tidOf(ev);
  const frameId = (await dc.stackTraceRequest({ threadId: tid, levels: 1 })).body.stackFrames[0]!;
  return { dc, out, events, tid, frame: frameId, pid: await pid };
}

/** The bytes at `vaddr` in an ELF file, through its PT_LOAD program headers (undefined outside them or past p_filesz). */
function bytesAt(path: string, vaddr: number, len: number): Buffer | undefined {
  const f = readFileSync(path);
  const phoff = Number(f.readBigUInt64LE(32));
  for (let i = 0; i < f.readUInt16LE(56); i++) {
    const o = phoff + i * f.readUInt16LE(54);
    if (f.readUInt32LE(o) !== 1) continue;
    const off = Number(f.readBigUInt64LE(o + 8));
    const va = Number(f.readBigUInt64LE(o + 16));
    const filesz = Number(f.readBigUInt64LE(o + 32));
    if (vaddr >= va && vaddr + len <= va + filesz) return f.subarray(off + (vaddr - va), off + (vaddr - va) + len);
  }
  return undefined;
}

/** The file's executable PT_LOAD: its address and size (p_filesz). */
function codeSegment(path: string): { vaddr: number; size: number } {
  const f = readFileSync(path);
  const phoff = Number(f.readBigUInt64LE(32));
  for (let i = 0; i < f.readUInt16LE(56); i++) {
    const o = phoff + i * f.readUInt16LE(54);
    if (f.readUInt32LE(o) === 1 && (f.readUInt32LE(o + 4) & 1) !== 0)
      return { vaddr: Number(f.readBigUInt64LE(o + 16)), size: Number(f.readBigUInt64LE(o + 32)) };
  }
  throw new Error(`no code segment in ${path}`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readelf(flag: string, path: string): string {
  const r = spawnSync('readelf', ['-W', flag, path], { encoding: 'utf8' });
  assert.equal(r.status, 0, `readelf ${flag}: ${r.stderr}`);
  assert.equal(r.stderr, '', `readelf ${flag} has no complaint`);
  return r.stdout;
}

test('dump at a breakpoint: readelf accepts the core, mode "core" shows the same stop, the program runs on', async () => {
  const binary = buildFixture('coredump');
  const cwd = join(dir, 'run');
  mkdirSync(cwd);
  const source = readFileSync(mainGo, 'utf8').split('\n');
  const passed = ['p := Point', 'words := ', 'ages := ', 'count := ', 'name := '].map((m) => source.findIndex((l) => l.includes(m)) + 1);
  const { dc, out, events, tid, frame, pid } = await stopAtDump(cwd, [], true, passed);
  const live = await snapshot(dc, tid);
  assert.equal(live.locals.count, '5');
  assert.equal(live.locals.name, '"inner origin"');
  assert.equal(live.exprs['ages["bob"]'], '42');
  assert.ok(live.threads.length >= 2, 'main and the worker goroutine');

  // Our int3 is in the live program's memory at the breakpoint.
  const pc = Number(frame.instructionPointerReference);
  assert.equal(procMemory(pid, pc, 1)[0], 0xcc, 'the breakpoint is an int3 in memory');

  // >> evaluate(repl, "dump core.1"), << progressStart(cancellable) … progressEnd, a console line, the path as result
  events.length = 0; // the launch's own progress (loading the symbols) is over
  const r = await repl(dc, 'dump core.1', frame.id);
  const core = join(cwd, 'core.1');
  assert.equal(r.body.result, `${core} (${(statSync(core).size / (1024 * 1024)).toFixed(1)} MiB)`);
  assert.match(
    out.console(),
    new RegExp(`Wrote the core file ${core}: [\\d.]+ MiB \\([\\d.]+ (MiB|KiB) on disk\\), \\d+ threads, \\d+ memory segments, in \\d+ ms`),
  );
  const kinds = events.map((e) => e.event);
  assert.equal(kinds[0], 'progressStart');
  assert.equal(kinds[kinds.length - 1], 'progressEnd');
  assert.equal((events[0] as DebugProtocol.ProgressStartEvent).body.cancellable, true);
  assert.ok(!existsSync(`${core}.partial`), 'no partial file is left');
  assert.doesNotMatch(out.console(), /could not be read/, 'every readable mapping was read ([vvar] is not dumped, as by the kernel)');

  // readelf (binutils) reads the notes and the segments.
  const notes = readelf('-n', core);
  const threadsInCore = notes.match(/NT_PRSTATUS/g)?.length ?? 0;
  assert.ok(threadsInCore >= 2, notes);
  assert.equal(notes.match(/NT_FPREGSET/g)?.length, threadsInCore, 'an FPU note per thread');
  for (const n of ['NT_PRPSINFO', 'NT_AUXV', 'NT_FILE']) assert.match(notes, new RegExp(n), n);
  // This readelf does not decode NT_FILE ("Cannot decode 64-bit note in 32-bit build", for gcore's too): gdb does.
  const mappings = spawnSync('gdb', ['-nx', '-batch', '-ex', 'info proc mappings', binary, core], { encoding: 'utf8' }).stdout;
  assert.match(mappings, new RegExp(`0x[0-9a-f]+\\s+0x[0-9a-f]+\\s+0x[0-9a-f]+\\s+0x[0-9a-f]+\\s+(r-xp\\s+)?${escape(binary)}`), mappings);
  const segs = readelf('-l', core);
  assert.match(segs, /Elf file type is CORE/);
  assert.match(segs, /^\s+NOTE\s/m);
  assert.ok((segs.match(/^\s+LOAD\s/gm)?.length ?? 0) >= 5, segs);
  assert.match(segs, /^\s+LOAD\s.*R E\s+0x1000$/m, 'code is a readable, executable segment');
  assert.match(segs, /^\s+LOAD\s.*RW\s+0x1000$/m, 'data is a readable, writable segment');

  // The code in the core is the binary's (the breakpoint's byte too), not our int3.
  const fromCore = bytesAt(core, pc - 32, 64);
  assert.ok(fromCore, 'the core holds the code at the breakpoint');
  assert.deepEqual(fromCore, bytesAt(binary, pc - 32, 64));
  assert.notEqual(fromCore[32], 0xcc);
  // All of it: the binary's code segment is in the core as in the file, though six int3s are in memory and
  // five breakpoints were stepped over (out of line in the int3 padding, or emulated).
  const text = codeSegment(binary);
  const [inCore, inFile] = [bytesAt(core, text.vaddr, text.size)!, bytesAt(binary, text.vaddr, text.size)!];
  const differ = [...inFile.keys()].filter((i) => inCore[i] !== inFile[i]).map((i) => `0x${(text.vaddr + i).toString(16)}: ${inFile[i]} → ${inCore[i]}`);
  assert.deepEqual(differ, [], "the code segment is the file's");

  // >> continue: the program runs on from the stop and ends normally.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /inspecting inner origin 5\nafter dump 15 1249 core dump fixture 0\n/);
  assert.match(out.stdout(), /worker waits 15\n/);

  // The core, opened in mode "core": the same stop, goroutines, frames and values.
  const opened = await openCore(binary, core, clients);
  assert.equal(opened.ev.body.threadId, tid, 'stopped on the same goroutine');
  assert.equal(opened.ev.body.reason, 'pause');
  const fromCoreView = await snapshot(opened.dc, tidOf(opened.ev));
  assert.deepEqual(fromCoreView, live);

  // A core session cannot dump: it is a core already.
  await assert.rejects(repl(opened.dc, 'dump again'), /Cannot write the core file: this session is a core file already/);
  assert.ok(!existsSync(join(cwd, 'again')));
});

test('dump refuses what it cannot do and loses nothing; an existing core is replaced', async () => {
  const cwd = join(dir, 'refusals');
  mkdirSync(cwd);
  const { dc, out, tid, frame } = await stopAtDump(cwd);

  // >> dump (no file): its usage, as a result
  const usage = await repl(dc, 'dump', frame.id);
  assert.match(usage.body.result, /^dump <file>: writes a core file of the stopped program/);

  // Not a repl command outside the repl: a watch of `dump x` is a Go expression (and not a valid one).
  await assert.rejects(dc.evaluateRequest({ expression: 'dump x', frameId: frame.id, context: 'watch' }));
  assert.ok(!existsSync(join(cwd, 'x')));

  // A file that is not a core is left alone; a directory is no file; a directory that does not exist cannot be written.
  const precious = join(cwd, 'main.go');
  writeFileSync(precious, 'package main\n');
  await assert.rejects(repl(dc, 'dump main.go', frame.id), /exists and is not a core file: it is left as it is/);
  assert.equal(readFileSync(precious, 'utf8'), 'package main\n');
  await assert.rejects(repl(dc, `dump ${cwd}`, frame.id), /is a directory/);
  await assert.rejects(repl(dc, 'dump no/such/dir/core', frame.id), /Cannot write the core file: .*no such file or directory/);
  assert.ok(!existsSync(join(cwd, 'no')));

  // Two dumps to one name: the second replaces the first (as Delve's dump does).
  await repl(dc, 'dlv dump "c o r e"', frame.id);
  const first = statSync(join(cwd, 'c o r e'));
  await repl(dc, 'dump c o r e', frame.id);
  assert.match(out.console(), /Wrote the core file .*\/c o r e: /);
  assert.match(out.console(), /Replaced the core file .*\/c o r e: /);
  assert.ok(statSync(join(cwd, 'c o r e')).mtimeMs >= first.mtimeMs);

  // The program still stops where it was and runs on as if nothing happened.
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /after dump 15 1249 core dump fixture 0\n/);
});

test('dump while the program runs answers "pause it first"', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  await configure(dc, 'launch', { mode: 'exec', program: buildFixture('ticker'), cwd: dir });
  while (!/tick 3\n/.test(out.stdout())) await new Promise((r) => setTimeout(r, 20));
  await assert.rejects(repl(dc, 'dump running.core'), /The program is running: pause it first/);
  assert.ok(!existsSync(join(dir, 'running.core')));
  const before = out.stdout().length;
  while (out.stdout().length === before) await new Promise((r) => setTimeout(r, 20));
  await dc.disconnectRequest({ terminateDebuggee: true });
});

test('a dump is cancellable by its progress and by its request: nothing is left, the program runs on', async () => {
  const cwd = join(dir, 'cancel');
  mkdirSync(cwd);
  // 512 MiB of non-zero heap: long enough to cancel in the middle.
  const { dc, out, events, tid, frame } = await stopAtDump(cwd, ['512'], true);
  for (const by of ['progressId', 'requestId'] as const) {
    events.length = 0;
    const started = new Promise<string>((resolve) => dc.once('progressStart', (e: DebugProtocol.ProgressStartEvent) => resolve(e.body.progressId)));
    const seq = (dc as unknown as { sequence: number }).sequence;
    const dump = repl(dc, 'dump big.core', frame.id);
    // >> cancel(progressId or requestId) as soon as progressStart arrives, << the evaluate fails with "cancelled"
    const progressId = await started;
    // While the core is written the program stays stopped: >> continue, << busy
    if (by === 'progressId') await assert.rejects(dc.continueRequest({ threadId: tid }), /still carrying out the previous command/);
    await dc.customRequest('cancel', by === 'progressId' ? { progressId } : { requestId: seq });
    await assert.rejects(dump, (e: Error) => e.message === 'cancelled', by);
    assert.equal(events[events.length - 1]!.event, 'progressEnd');
    assert.ok(!existsSync(join(cwd, 'big.core')), 'no core');
    assert.ok(!existsSync(join(cwd, 'big.core.partial')), 'no partial file');
  }
  const exited = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /after dump 15 1249 core dump fixture 512\n/);
});

test('an attached PIE program: dump at a breakpoint next to its binary, detach, it ticks on; the core opens at that stop', async () => {
  const binary = buildFixture('pie', { flags: [DEBUG_GCFLAGS, '-buildmode=pie'] });
  const src = join(testdataDir, 'pie', 'main.go');
  const tickLine =
    readFileSync(src, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('counter = n')) + 1;
  const proc = spawn(binary, ['loop'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let printed = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (printed += d));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  proc.on('exit', (code, signal) => (exit = { code, signal }));
  const core = join(dirname(binary), 'attached.core');
  try {
    while (!/tick 3\n/.test(printed)) await new Promise((r) => setTimeout(r, 20));
    const c = await startAdapterClient();
    clients.push(c);
    const { dc } = c;
    const out = collectOutput(dc);
    const stopped = waitStopped(dc);
    // >> attach, setBreakpoints(counter = n), configurationDone, << stopped(breakpoint) in main.tick
    await configure(dc, 'attach', { processId: proc.pid }, [{ path: src, lines: [tickLine] }]);
    const tid = tidOf(await stopped);
    const st = (await dc.stackTraceRequest({ threadId: tid, levels: 2 })).body.stackFrames;
    const live = {
      stack: render(await frames(dc, tid, 3)),
      n: (await dc.evaluateRequest({ expression: 'n', frameId: st[0]!.id, context: 'watch' })).body.result,
      counter: (await dc.evaluateRequest({ expression: 'main.counter', frameId: st[0]!.id, context: 'watch' })).body.result,
    };
    assert.equal(live.stack[0], `main.tick main.go:${tickLine}`);
    // >> evaluate(repl, "dump attached.core"): attached, a relative name is next to the program
    await repl(dc, 'dump attached.core', st[0]!.id);
    assert.match(out.console(), new RegExp(`Wrote the core file ${escape(core)}: `));
    // >> disconnect (detach): the program goes on ticking, consecutively
    await dc.setBreakpointsRequest({ source: { path: src }, breakpoints: [] });
    await dc.disconnectRequest({ terminateDebuggee: false });
    const ticks = () => [...printed.matchAll(/tick (\d+)\n/g)].map((m) => Number(m[1]));
    const at = ticks().length;
    while (ticks().length < at + 5) await new Promise((r) => setTimeout(r, 20));
    assert.equal(exit, undefined, 'the attached program lives on');
    assert.deepEqual(
      ticks(),
      ticks().map((_, i) => i + 1),
    );

    // The core: the same stop, relocated by the auxv it holds.
    const opened = await openCore(binary, core, clients);
    assert.equal(opened.ev.body.threadId, tid);
    const ost = (await opened.dc.stackTraceRequest({ threadId: tid, levels: 2 })).body.stackFrames;
    assert.deepEqual(
      {
        stack: render(await frames(opened.dc, tid, 3)),
        n: (await opened.dc.evaluateRequest({ expression: 'n', frameId: ost[0]!.id, context: 'watch' })).body.result,
        counter: (await opened.dc.evaluateRequest({ expression: 'main.counter', frameId: ost[0]!.id, context: 'watch' })).body.result,
      },
      live,
    );
  } finally {
    proc.kill('SIGKILL');
    rmSync(core, { force: true });
  }
});

test('mode debug: the console says that the built binary, which mode "core" needs, goes with the session', async () => {
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc, 120_000);
  await configure(dc, 'launch', { mode: 'debug', program: join(testdataDir, 'coredump') }, [{ path: mainGo, lines: [dumpLine] }]);
  const tid = tidOf(await stopped);
  const core = join(dir, 'debug.core');
  await repl(dc, `dump ${core}`);
  assert.ok(existsSync(core));
  assert.match(out.console(), /Mode "core" needs the binary too: this session's .*__debug_bin is removed when the session ends \(set "output"/);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exited, 0);
});

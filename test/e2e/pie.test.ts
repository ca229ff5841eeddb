/**
 * A position-independent executable (`go build -buildmode=pie`): the kernel
 * loads it at an address of its choosing, so every pclntab and DWARF address
 * is off by the load bias. Launched and attached to, it must stop at line and
 * function breakpoints, show its stacks, values (a global, an interface, a
 * map: checked against what the program prints itself), step, list its
 * goroutines, disassemble at the PC (checked against `go tool objdump` at the
 * link address) and exit with its own code.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, frames, render, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, DEBUG_GCFLAGS, goBin, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

const mainGo = join(testdataDir, 'pie', 'main.go');
const buildPie = () => buildFixture('pie', { flags: [DEBUG_GCFLAGS, '-buildmode=pie'] });

/** The ELF file's e_type and the link address of its first PT_LOAD segment (read here, not by the adapter's decoders). */
function elfFacts(path: string): { type: number; firstLoad: number } {
  const b = readFileSync(path);
  const phoff = Number(b.readBigUInt64LE(0x20));
  const phentsize = b.readUInt16LE(0x36);
  const phnum = b.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (b.readUInt32LE(p) === 1) return { type: b.readUInt16LE(0x10), firstLoad: Number(b.readBigUInt64LE(p + 16)) };
  }
  throw new Error('no PT_LOAD');
}

/** The pid of the running process whose executable is `binary`. */
function pidOf(binary: string): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readlinkSync(`/proc/${d}/exe`) === binary) return Number(d);
    } catch {
      /* gone, or not ours */
    }
  }
  throw new Error(`no process runs ${binary}`);
}

/** Load bias from the kernel's map of the process: where offset 0 of the file went, minus its link address. */
function biasOf(pid: number, binary: string): number {
  for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
    const f = line.split(/\s+/);
    if (f[5] === binary && parseInt(f[2]!, 16) === 0) return parseInt(f[0]!.split('-')[0]!, 16) - elfFacts(binary).firstLoad;
  }
  throw new Error('the binary is not mapped');
}

/** address → instruction bytes and text for a function, as `go tool objdump` prints them (link addresses). */
function objdump(binary: string, fn: string): Map<number, { hex: string; text: string }> {
  const out = execFileSync(goBin(), ['tool', 'objdump', '-s', `^${fn.replace(/[.()*]/g, '\\$&')}$`, binary], { encoding: 'utf8' });
  const m = new Map<number, { hex: string; text: string }>();
  for (const line of out.split('\n')) {
    const r = /^\s+\S+\s+(0x[0-9a-f]+)\s+([0-9a-f]+)\s+(.*?)\s*$/.exec(line);
    if (r) m.set(parseInt(r[1]!, 16), { hex: r[2]!, text: r[3]!.replace(/\s+/g, ' ') });
  }
  return m;
}

async function variables(dc: DebugClient, ref: number): Promise<Map<string, { value: string; ref: number }>> {
  const vs = (await dc.variablesRequest({ variablesReference: ref })).body.variables;
  return new Map(vs.map((v) => [v.name, { value: v.value, ref: v.variablesReference }]));
}

test('a PIE binary: breakpoints, stacks, values, steps, goroutines, disassembly, exit code', async () => {
  const binary = buildPie();
  assert.equal(elfFacts(binary).type, 3, 'the fixture is ET_DYN');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  // >> setBreakpoints main.go:50 (`total := square(4)`), setFunctionBreakpoints main.square
  const [lineBps, fnBps] = await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [50] }], ['main.square']);
  assert.equal(lineBps![0]!.verified, true, JSON.stringify(lineBps));
  assert.equal(fnBps![0]!.verified, true, JSON.stringify(fnBps));

  // << stopped(function breakpoint) in the goroutine's main.square(3) (after its prologue, on the
  // `func` line as for a non-PIE build of the same source) or stopped(breakpoint) at line 50:
  // the goroutine may run first; continue until main.main's line 50.
  let ev = await stopped;
  const pid = pidOf(binary);
  const bias = biasOf(pid, binary);
  assert.notEqual(bias, 0, 'the kernel moved the image');
  while (render(await frames(dc, tidOf(ev)), 1)[0] !== 'main.main main.go:50') {
    assert.deepEqual(render(await frames(dc, tidOf(ev)), 2), ['main.square main.go:21', 'main.main.func1 main.go:42']);
    ev = await stepAndWait(dc, 'continue', tidOf(ev));
  }
  assert.equal(ev.body.reason, 'breakpoint');
  const tid = tidOf(ev);
  // What the program printed of its values before the stop.
  const printed = /s=\{(\d+) (\d+)\} m=map\[a:(\d+) b:(\d+)\] counter=(\d+)/.exec(out.stdout());
  assert.ok(printed, out.stdout());

  // >> scopes, variables: locals s (interface), m (map); the global counter
  const st = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
  const scopes = (await dc.scopesRequest({ frameId: st[0]!.id })).body.scopes;
  const locals = await variables(dc, scopes[0]!.variablesReference);
  const s = locals.get('s');
  assert.ok(s && s.ref > 0, `s: ${JSON.stringify(s)}`);
  assert.match(s.value, /main\.rect/, 'the interface names its dynamic type (a runtime type address)');
  const rect = await variables(dc, s.ref);
  const fields = rect.has('w') ? rect : await variables(dc, [...rect.values()][0]!.ref);
  assert.deepEqual([fields.get('w')?.value, fields.get('h')?.value], [printed[1], printed[2]]);
  const m = locals.get('m');
  assert.ok(m && m.ref > 0, `m: ${JSON.stringify(m)}`);
  assert.match(m.value, /len: 2/);
  const entries = [...(await variables(dc, m.ref)).entries()].map(([k, v]) => `${k}=${v.value}`);
  assert.deepEqual(entries.sort(), [`["a"]=${printed[3]}`, `["b"]=${printed[4]}`]);
  const counter = await dc.evaluateRequest({ expression: 'counter', frameId: st[0]!.id, context: 'watch' });
  assert.equal(counter.body.result, printed[5]);
  // >> setVariable label = "total": a string the binary holds in .rodata (at a relocated address)
  assert.equal(locals.get('label')?.value, '"start"');
  const set = await dc.setVariableRequest({ variablesReference: scopes[0]!.variablesReference, name: 'label', value: '"total"' });
  assert.equal(set.body.value, '"total"');

  // >> disassemble at the PC: the same instructions objdump shows at the link address
  const ip = st[0]!.instructionPointerReference!;
  const pc = parseInt(ip, 16);
  const d = await dc.customRequest('disassemble', { memoryReference: ip, instructionOffset: 0, instructionCount: 8 });
  const oracle = objdump(binary, 'main.main');
  const list = d.body.instructions as { address: string; instruction: string; instructionBytes: string }[];
  assert.equal(parseInt(list[0]!.address, 16), pc);
  for (const i of list) {
    const o = oracle.get(parseInt(i.address, 16) - bias);
    assert.ok(o, `objdump has an instruction at ${i.address} - bias`);
    assert.equal(i.instructionBytes.replace(/ /g, ''), o.hex, `bytes at ${i.address}`);
    const text = i.instruction.replace(/\s+/g, ' ');
    // Data symbols are not named by our disassembler (PIE or not): objdump's `sym(SB)` is our `off(IP)`.
    if (!(/\(SB\)/.test(o.text) && /\(IP\)/.test(text))) assert.equal(text, o.text, `text at ${i.address}`);
  }
  assert.ok(
    list.some((i) => i.instruction === 'CALL main.square(SB)'),
    'a call target is named from its runtime address',
  );

  // >> threads: the goroutines, main among them
  const threads = (await dc.threadsRequest()).body.threads;
  assert.ok(
    threads.some((t) => t.id === tid && /main\.main/.test(t.name)),
    JSON.stringify(threads),
  );

  // >> stepIn: into square(4), at its prologue end (where the function breakpoint is too)
  ev = await stepAndWait(dc, 'stepIn', tid);
  assert.deepEqual(render(await frames(dc, tid), 2), ['main.square main.go:21', 'main.main main.go:50']);
  // >> next, << stopped(step) at line 22; >> next, << stopped(step) at line 23
  ev = await stepAndWait(dc, 'next', tid);
  assert.equal(ev.body.reason, 'step');
  assert.deepEqual(render(await frames(dc, tid), 1), ['main.square main.go:22']);
  ev = await stepAndWait(dc, 'next', tid);
  assert.equal(ev.body.reason, 'step');
  assert.deepEqual(render(await frames(dc, tid), 1), ['main.square main.go:23']);
  const r = (
    await variables(
      dc,
      (
        await dc.scopesRequest({ frameId: (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0]!.id })
      ).body.scopes[0]!.variablesReference,
    )
  ).get('r');
  assert.equal(r?.value, '16');
  // >> stepOut, << stopped(step) back in main.main line 50
  ev = await stepAndWait(dc, 'stepOut', tid);
  assert.equal(ev.body.reason, 'step');
  assert.deepEqual(render(await frames(dc, tid), 1), ['main.main main.go:50']);

  // >> continue: the program prints (label as written) and exits with its own code
  await dc.setFunctionBreakpointsRequest({ breakpoints: [] });
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tid });
  assert.equal(await exit, 3);
  assert.match(out.stdout(), /total 16 10 9 total\n/);
});

test('a running PIE binary attached to: a breakpoint stops, values read, detach leaves it running', async () => {
  const binary = buildPie();
  const proc = spawn(binary, ['loop'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
  let exited: unknown;
  proc.on('exit', (code, signal) => (exited = { code, signal }));
  try {
    const ticks = () => [...text.matchAll(/tick (\d+)/g)].map((x) => Number(x[1]));
    for (const end = Date.now() + 10_000; ticks().length < 3; ) {
      if (Date.now() > end) throw new Error('no ticks');
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.notEqual(biasOf(proc.pid!, binary), 0, 'the kernel moved the image');
    const c = await startAdapterClient();
    clients.push(c);
    const { dc } = c;
    const stopped = waitStopped(dc);
    // >> attach, setBreakpoints main.go:28 (`fmt.Println("tick", n)`, after `counter = n`)
    const [bps] = await configure(dc, 'attach', { processId: proc.pid }, [{ path: mainGo, lines: [28] }]);
    assert.equal(bps![0]!.verified, true);
    const ev = await stopped;
    assert.equal(ev.body.reason, 'breakpoint');
    const tid = tidOf(ev);
    assert.deepEqual(render(await frames(dc, tid), 2), ['main.tick main.go:28', 'main.main main.go:34']);
    const st = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
    const n = await dc.evaluateRequest({ expression: 'n', frameId: st[0]!.id, context: 'watch' });
    const counter = await dc.evaluateRequest({ expression: 'counter', frameId: st[0]!.id, context: 'watch' });
    assert.equal(counter.body.result, n.body.result, 'counter = n has just run');
    const seen = ticks();
    // The tick about to be printed is n: the program's own output will say so.
    const expected = Number(n.body.result);
    assert.equal(expected, (seen.at(-1) ?? 0) + 1);
    // >> disconnect (detach), the program keeps running and prints tick n next
    await dc.disconnectRequest({ terminateDebuggee: false });
    for (const end = Date.now() + 10_000; ticks().length < seen.length + 5; ) {
      if (Date.now() > end) throw new Error('no ticks after detach');
      await new Promise((res) => setTimeout(res, 20));
    }
    assert.equal(ticks()[seen.length], expected);
    assert.equal(exited, undefined);
  } finally {
    proc.kill('SIGKILL');
  }
});

test('a PIE binary that panics stops at the panic as an exception, with its message', async () => {
  const binary = buildPie();
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary, args: ['panic'] });
  // << stopped(exception) at the runtime's panic site, found at the relocated address
  const ev = await stopped;
  assert.equal(ev.body.reason, 'exception');
  const info = await dc.exceptionInfoRequest({ threadId: tidOf(ev) });
  assert.match(info.body.description ?? '', /pie panic 25/);
  assert.ok(render(await frames(dc, tidOf(ev))).includes('main.main main.go:39'), 'main.main is on the panicking stack');
});

test('a PIE binary with DWARF 4 (GOEXPERIMENT=nodwarf5): a line breakpoint, locals, a global', async () => {
  const binary = buildFixture('pie', { flags: [DEBUG_GCFLAGS, '-buildmode=pie'], env: { GOEXPERIMENT: 'nodwarf5' } });
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const out = collectOutput(dc);
  const stopped = waitStopped(dc);
  // >> setBreakpoints main.go:50, << stopped(breakpoint) there
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: mainGo, lines: [50] }]);
  const ev = await stopped;
  const tid = tidOf(ev);
  assert.deepEqual(render(await frames(dc, tid), 1), ['main.main main.go:50']);
  const printed = /s=\{(\d+) (\d+)\} m=map\[a:(\d+) b:(\d+)\] counter=(\d+)/.exec(out.stdout());
  assert.ok(printed, out.stdout());
  const st = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames;
  const locals = await variables(dc, (await dc.scopesRequest({ frameId: st[0]!.id })).body.scopes[0]!.variablesReference);
  assert.equal(locals.get('s')?.value, `main.shape(main.rect) {w: ${printed[1]}, h: ${printed[2]}}`);
  assert.equal(locals.get('label')?.value, '"start"');
  const counter = await dc.evaluateRequest({ expression: 'counter', frameId: st[0]!.id, context: 'watch' });
  assert.equal(counter.body.result, printed[5]);
});

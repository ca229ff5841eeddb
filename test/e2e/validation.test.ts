/**
 * Inputs are checked before they are used, over real DAP: a `program` that is
 * a device, a FIFO, a huge or truncated file fails the launch at once with a
 * clear message while the adapter's memory stays small (its peak RSS is read
 * from /proc); breakpoint conditions and hit conditions that cannot be
 * understood are unverified with the parser's message; a condition that fails
 * at run time stops once and says why; and the launch attributes do what the
 * README says, judged by what the program prints about itself.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { ElfFile } from '../../src/binary/elf.js';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, configure, stepAndWait, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture } from '../support/goBuild.js';
import { marks } from '../values/support.js';

const clients: StartedClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'gda-validation-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function client(): Promise<StartedClient> {
  const c = await startAdapterClient();
  clients.push(c);
  await c.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  return c;
}

/** Sends a request and resolves with the response, failed or not. */
function raw(dc: DebugClient, command: string, args: object = {}): Promise<DebugProtocol.Response> {
  return new Promise((resolve) =>
    (dc as unknown as { doSend(c: string, a: object, cb: (r: DebugProtocol.Response) => void): void }).doSend(command, args, resolve),
  );
}

/** The adapter process's peak resident set (VmHWM), in MB; undefined over TCP (the server is shared). */
function adapterPeakMB(dc: DebugClient): number | undefined {
  const pid = (dc as unknown as { _adapterProcess?: { pid?: number } })._adapterProcess?.pid;
  if (!pid) return undefined;
  const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : undefined;
}

const PEAK_BOUND_MB = 150;

test('a program that is a device, FIFO, socket-like or huge, truncated or corrupt file: launch fails at once, memory stays bounded', async () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const sparse = join(dir, 'sparse-1g');
  writeFileSync(sparse, '');
  truncateSync(sparse, 1 << 30);
  // An ELF magic in front of 1 GB of zeros: it has no section headers.
  const elfSparse = join(dir, 'elf-sparse-1g');
  const fd = openSync(elfSparse, 'w');
  writeSync(fd, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]));
  closeSync(fd);
  truncateSync(elfSparse, 1 << 30);
  // An ELF64 header with 10 section headers at 0x1000 (all zeros) in front of 1 GB: no section is named.
  const elfNoNames = join(dir, 'elf-no-names-1g');
  const h = Buffer.alloc(64);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  h.writeBigUInt64LE(0x1000n, 0x28);
  h.writeUInt16LE(64, 0x3a);
  h.writeUInt16LE(10, 0x3c);
  writeFileSync(elfNoNames, h);
  truncateSync(elfNoNames, 1 << 30);
  // A real Go binary cut in half (its sections run past the end), and one cut to 1,000 bytes (its section headers are gone).
  const truncated = join(dir, 'truncated');
  copyFileSync(buildFixture('hello'), truncated);
  truncateSync(truncated, Math.floor(statSync(truncated).size / 2));
  const stub = join(dir, 'stub');
  copyFileSync(buildFixture('hello'), stub);
  truncateSync(stub, 1000);
  // A real Go binary whose .gopclntab header is overwritten.
  const corrupt = join(dir, 'corrupt');
  const bytes = readFileSync(buildFixture('hello'));
  const at = ElfFile.parse(bytes).sections.find((s) => s.name === '.gopclntab')?.offset ?? 0;
  assert.ok(at > 0, 'the binary has a .gopclntab');
  bytes.fill(0xee, at, at + 64);
  writeFileSync(corrupt, bytes, { mode: 0o755 });
  // A good binary without execute permission.
  const noexec = join(dir, 'noexec');
  copyFileSync(buildFixture('hello'), noexec);
  chmodSync(noexec, 0o644);
  const tiny = join(dir, 'tiny');
  writeFileSync(tiny, 'ab');
  const subdir = join(dir, 'pkgdir');
  mkdirSync(subdir);

  const cases: [Record<string, unknown>, RegExp][] = [
    [{ mode: 'exec', program: '/dev/zero' }, /"\/dev\/zero" is not a regular file or a directory/],
    [{ mode: 'debug', program: '/dev/zero' }, /"\/dev\/zero" is not a regular file or a directory/],
    [{ mode: 'exec', program: '/dev/urandom' }, /not a regular file or a directory/],
    [{ mode: 'exec', program: fifo }, /not a regular file or a directory/],
    [{ mode: 'exec', program: subdir }, /is a directory, but mode "exec" needs a built binary/],
    [{ mode: 'exec', program: sparse }, /not a Go binary: .*not an ELF file \(bad magic\)/],
    [{ mode: 'exec', program: elfSparse }, /not a Go binary: .*no section headers/],
    [{ mode: 'exec', program: elfNoNames }, /not a Go binary: .*no \.gopclntab section/],
    [
      { mode: 'exec', program: truncated },
      /cannot be debugged: section \d+ \[0x[0-9a-f]+, \+0x[0-9a-f]+\) extends past the end of the file \(\d+ bytes\): truncated\?/,
    ],
    [{ mode: 'exec', program: stub }, /cannot be debugged: its section headers end at byte \d+, past the end of the file \(1000 bytes\): truncated\?/],
    [{ mode: 'exec', program: corrupt }, /cannot be debugged: .*pclntab|not a Go binary: .*pclntab/],
    [{ mode: 'exec', program: noexec }, /is not executable: .*chmod \+x/],
    [{ mode: 'exec', program: tiny }, /not a Go binary: .*too short for an ELF header/],
    [{ mode: 'exec', program: buildFixture('hello'), envFile: '/dev/zero' }, /envFile "\/dev\/zero": it is not a regular file/],
  ];
  const c = await client();
  for (const [args, message] of cases) {
    const t0 = Date.now();
    // >> launch, << error response (no initialized event)
    const r = await raw(c.dc, 'launch', args);
    const ms = Date.now() - t0;
    assert.equal(r.success, false, `launch ${JSON.stringify(args)} should fail`);
    assert.match(r.message ?? '', message, `launch ${JSON.stringify(args)}`);
    assert.ok((r.body as { error?: DebugProtocol.Message }).error?.showUser, 'a failed launch is a notification');
    assert.ok(ms < 5000, `launch ${args.program} answered in ${ms} ms`);
  }
  const peak = adapterPeakMB(c.dc);
  if (peak !== undefined) {
    console.log(`adapter peak RSS after ${cases.length} bad launches: ${peak.toFixed(1)} MB`);
    assert.ok(peak < PEAK_BOUND_MB, `adapter peak RSS ${peak.toFixed(1)} MB stays under ${PEAK_BOUND_MB} MB`);
  }
  // The adapter still launches a good program afterwards.
  const exited = waitExit(c.dc);
  const initialized = c.dc.waitForEvent('initialized', 60_000);
  await c.dc.launchRequest({ mode: 'exec', program: buildFixture('hello') } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await c.dc.configurationDoneRequest();
  assert.equal(await exited, 3, 'hello exits with os.Exit(3)');
});

const loop = marks('valuesloop');

test('invalid hit conditions and conditions are unverified with the parser message; the program runs through them', async () => {
  const c = await client();
  const { dc } = c;
  const out = collectOutput(dc);
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: buildFixture('valuesloop') } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  // >> setBreakpoints with bad hit conditions and a condition that does not parse
  const r = await dc.setBreakpointsRequest({
    source: { path: loop.source },
    breakpoints: [
      { line: loop.line.cond!, hitCondition: '% 1000 == 0' },
      { line: loop.line.hitEq!, hitCondition: 'abc' },
      { line: loop.line.hitGe!, condition: 'i ==' },
      { line: loop.line.log!, condition: 'i == 1', hitCondition: '1' },
    ],
  });
  const [mod, abc, parse, good] = r.body.breakpoints;
  assert.deepEqual([mod!.verified, mod!.reason], [false, 'failed']);
  assert.match(mod!.message ?? '', /^Invalid hit condition "% 1000 == 0": use a number N, or one of/);
  assert.equal(abc!.verified, false);
  assert.match(abc!.message ?? '', /^Invalid hit condition "abc"/);
  assert.equal(parse!.verified, false);
  assert.match(parse!.message ?? '', /^Invalid condition "i ==": ./);
  assert.equal(good!.verified, true, good!.message);
  // >> configurationDone, << stopped only at the good breakpoint (i == 1), then exited
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  const ev = await stopped;
  assert.deepEqual(ev.body.hitBreakpointIds, [good!.id]);
  const exited = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /^sink \d+$/m);
});

test('a condition that fails at run time stops once, naming the breakpoint, the condition and the error', async () => {
  const c = await client();
  const { dc } = c;
  const out = collectOutput(dc);
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: buildFixture('valuesloop') } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  // `nosuch` is not in scope; `(*Pt)(nil).X` dereferences nil: both fail at every one of 10,000 hits.
  const r = await dc.setBreakpointsRequest({
    source: { path: loop.source },
    breakpoints: [
      { line: loop.line.cond!, condition: 'nosuch > 1' },
      { line: loop.line.hitGe!, condition: '(*Pt)(nil).X == 1' },
    ],
  });
  const [undef, nilDeref] = r.body.breakpoints;
  assert.ok(undef!.verified && nilDeref!.verified, 'both conditions parse');
  // >> configurationDone, << stopped at the first hit of `cond` with the reason
  const stopped = waitStopped(dc);
  await dc.configurationDoneRequest();
  let ev = await stopped;
  assert.equal(ev.body.reason, 'breakpoint');
  assert.deepEqual(ev.body.hitBreakpointIds, [undef!.id]);
  assert.equal(
    ev.body.description,
    `Breakpoint ${undef!.id}: condition "nosuch > 1" failed: undefined: nosuch at column 1. Stopped once; later hits where it fails the same way will not stop.`,
  );
  const i0 = await dc.evaluateRequest({
    expression: 'i',
    frameId: (await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 })).body.stackFrames[0]!.id,
    context: 'watch',
  });
  assert.equal(i0.body.result, '0', 'the first hit');
  // >> continue, << stopped once at hitGe (the nil dereference), not again at cond
  ev = await stepAndWait(dc, 'continue', tidOf(ev));
  assert.deepEqual(ev.body.hitBreakpointIds, [nilDeref!.id]);
  assert.match(ev.body.description ?? '', new RegExp(`^Breakpoint ${nilDeref!.id}: condition "\\(\\*Pt\\)\\(nil\\)\\.X == 1" failed: .*nil.*Stopped once`));
  // >> continue, << exited: 9,999 more failing hits of each go on
  const exited = waitExit(dc, 60_000);
  await dc.continueRequest({ threadId: tidOf(ev) });
  assert.equal(await exited, 0);
  assert.match(out.stdout(), /^sink \d+$/m);
  assert.equal(out.console().match(/condition "nosuch > 1" failed/g)?.length, 1, 'one console line for the failing condition');
});

test('args, env, envFile and cwd reach the program as the README says', async () => {
  const binary = buildFixture('launchattrs');
  const envFile = join(dir, 'vars.env');
  writeFileSync(envFile, '# comment\nGDA_FROM_FILE=from file\nGDA_BOTH=file\n');
  const c = await client();
  const out = collectOutput(c.dc);
  const exited = waitExit(c.dc);
  await configure(c.dc, 'launch', {
    mode: 'exec',
    program: binary,
    args: ['a b', 'c'],
    env: { GDA_FROM_ENV: 'from env', GDA_BOTH: 'env', HOME: null },
    envFile,
    cwd: dir,
  });
  assert.equal(await exited, 0);
  const lines = out.stdout().split('\n');
  assert.ok(lines.includes('args=a b|c'), out.stdout());
  assert.ok(lines.includes('GDA_FROM_ENV=from env set=true'));
  assert.ok(lines.includes('GDA_FROM_FILE=from file set=true'));
  assert.ok(lines.includes('GDA_BOTH=env set=true'), 'env wins over envFile');
  assert.ok(lines.includes('HOME= set=false'), 'null unsets a variable');
  assert.ok(lines.includes(`cwd=${dir}`));
});

test('stackTraceDepth is the number of frames a stackTrace without levels returns; totalFrames is the whole stack', async () => {
  const binary = buildFixture('steps');
  for (const [depth, expect] of [
    [undefined, 50],
    [7, 7],
  ] as const) {
    const c = await client();
    const stopped = waitStopped(c.dc);
    // leaf is called at the bottom of depth(1000): over 1,000 frames.
    await configure(c.dc, 'launch', { mode: 'exec', program: binary, ...(depth ? { stackTraceDepth: depth } : {}) }, [], ['leaf']);
    const tid = tidOf(await stopped);
    const all = await c.dc.stackTraceRequest({ threadId: tid, levels: 2000 });
    assert.ok(all.body.stackFrames.length > 1000, `${all.body.stackFrames.length} frames`);
    assert.equal(all.body.totalFrames, all.body.stackFrames.length);
    const dflt = await c.dc.stackTraceRequest({ threadId: tid });
    assert.equal(dflt.body.stackFrames.length, expect);
    assert.equal(dflt.body.totalFrames, all.body.stackFrames.length);
    assert.deepEqual(
      dflt.body.stackFrames.map((f) => f.name),
      all.body.stackFrames.slice(0, expect).map((f) => f.name),
    );
    const zero = await c.dc.stackTraceRequest({ threadId: tid, startFrame: 3, levels: 0 });
    assert.equal(zero.body.stackFrames[0]!.name, all.body.stackFrames[3]!.name);
    assert.equal(zero.body.stackFrames.length, expect);
    await c.close();
  }
});

test('trace sets how much of the log showLog shows: error (internal errors only) to verbose (every message)', async () => {
  const binary = buildFixture('hello');
  const seen: Record<string, string> = {};
  for (const trace of ['error', 'warn', 'info', 'trace', 'verbose']) {
    const c = await client();
    const out = collectOutput(c.dc);
    const exited = waitExit(c.dc);
    await configure(c.dc, 'launch', { mode: 'exec', program: binary, showLog: true, trace });
    await exited;
    // >> a request that fails (no program any more)
    await raw(c.dc, 'stackTrace', { threadId: 1 });
    seen[trace] = out.console();
    await c.close();
  }
  const log = (t: string) => seen[t]!.split('\n').filter((l) => l.startsWith('[go-debug-adapter]'));
  assert.deepEqual(log('error'), []);
  assert.deepEqual(log('warn'), ['[go-debug-adapter] ← stackTrace failed: The program is not running']);
  assert.ok(log('info').includes('[go-debug-adapter] ← configurationDone ok'));
  assert.ok(log('info').some((l) => l.startsWith('[go-debug-adapter] → setBreakpoints') || l.startsWith('[go-debug-adapter] → configurationDone')));
  assert.ok(!log('info').some((l) => l.includes('⇐')), 'info logs no events');
  assert.ok(log('trace').includes('[go-debug-adapter] ⇐ exited'));
  assert.ok(log('verbose').some((l) => /^\[go-debug-adapter\] ← \{.*"command":"configurationDone"/.test(l)));
  assert.ok(log('verbose').some((l) => /^\[go-debug-adapter\] ⇐ \{.*"event":"exited"/.test(l)));
});

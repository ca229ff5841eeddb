/**
 * writeMemory over real DAP on testdata/watch (built -N -l): bytes written
 * into a global are what the program prints after continue; `invalidated`
 * and `memory` events follow for clients that take them; a range that is not
 * all mapped is refused without allowPartial (nothing written) and written up
 * to the hole with it; code written under one of our int3 sites keeps the
 * site: reads show the new bytes, memory still holds the int3, the breakpoint
 * still stops, and the program runs the new instruction.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { procMemory } from './service.js';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { collectOutput, tidOf, waitExit, waitStopped } from '../support/dap.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

const mainGo = join(testdataDir, 'watch', 'main.go');
const source = readFileSync(mainGo, 'utf8').split('\n');
const lineOf = (marker: string): number => source.findIndex((l) => l.includes(marker)) + 1;

let c: StartedClient | undefined;
after(() => c?.close());

async function writeMemory(dc: DebugClient, args: DebugProtocol.WriteMemoryArguments): Promise<DebugProtocol.WriteMemoryResponse['body']> {
  return ((await dc.customRequest('writeMemory', args)) as DebugProtocol.WriteMemoryResponse).body;
}

async function readMemory(dc: DebugClient, memoryReference: string, count: number): Promise<Buffer> {
  const r = (await dc.customRequest('readMemory', { memoryReference, count })) as DebugProtocol.ReadMemoryResponse;
  return Buffer.from(r.body?.data ?? '', 'base64');
}

/** The end of section `name` in the ELF file (from its section headers, read here). */
function sectionEnd(binary: string, name: string): number {
  const f = readFileSync(binary);
  const shoff = Number(f.readBigUInt64LE(0x28));
  const size = f.readUInt16LE(0x3a);
  const strOff = Number(f.readBigUInt64LE(shoff + f.readUInt16LE(0x3e) * size + 0x18));
  for (let i = 0; i < f.readUInt16LE(0x3c); i++) {
    const sh = shoff + i * size;
    const n = strOff + f.readUInt32LE(sh);
    if (f.toString('latin1', n, f.indexOf(0, n)) === name) return Number(f.readBigUInt64LE(sh + 0x10) + f.readBigUInt64LE(sh + 0x20));
  }
  throw new Error(`no ${name} in ${binary}`);
}

/** The mapping (from /proc/PID/maps) that holds `addr`, and whether another one starts right at its end. */
function mappingOf(pid: number, addr: number): { start: number; end: number; followed: boolean } {
  const maps = readFileSync(`/proc/${pid}/maps`, 'utf8')
    .trim()
    .split('\n')
    .map(
      (l) =>
        l
          .split(' ')[0]!
          .split('-')
          .map((h) => parseInt(h, 16)) as [number, number],
    );
  const m = maps.find(([s, e]) => s <= addr && addr < e);
  assert.ok(m, `0x${addr.toString(16)} is mapped`);
  return { start: m[0], end: m[1], followed: maps.some(([s]) => s === m[1]) };
}

test('initialize advertises writeMemory (the test below is why)', async () => {
  const c0 = await startAdapterClient();
  try {
    const caps = await c0.dc.initializeRequest({ adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    assert.equal(caps.body?.supportsWriteMemoryRequest, true);
  } finally {
    c0.close();
  }
});

test('writeMemory: the program sees the bytes; partial ranges; code under an int3 site', async () => {
  const binary = buildFixture('watch');
  c = await startAdapterClient();
  const { dc } = c;
  const out = collectOutput(dc);
  const events: DebugProtocol.Event[] = [];
  dc.on('invalidated', (e: DebugProtocol.Event) => events.push(e));
  dc.on('memory', (e: DebugProtocol.Event) => events.push(e));
  // >> initialize (invalidated and memory events taken), launch, setBreakpoints(phase memory, answer line), configurationDone
  await dc.initializeRequest({
    adapterID: 'go-debug',
    linesStartAt1: true,
    columnsStartAt1: true,
    pathFormat: 'path',
    supportsInvalidatedEvent: true,
    supportsMemoryEvent: true,
  });
  const initialized = dc.waitForEvent('initialized', 60_000);
  await dc.launchRequest({ mode: 'exec', program: binary } as DebugProtocol.LaunchRequestArguments);
  await initialized;
  await dc.setBreakpointsRequest({ source: { path: mainGo }, breakpoints: [{ line: lineOf('// phase memory') }, { line: lineOf('// answer line') }] });
  let ev = waitStopped(dc);
  await dc.configurationDoneRequest();
  // << stopped(breakpoint) at "phase memory"
  let stop = await ev;
  let tid = tidOf(stop);
  const pid = Number(/pid (\d+)/.exec(out.stdout())![1]);
  const frameId = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0]!.id;
  const msg = (await dc.evaluateRequest({ expression: '&msg', frameId, context: 'repl' })).body.memoryReference;
  assert.ok(msg, '&msg has a memoryReference');

  // >> writeMemory("WORLD!!!" at &msg), << bytesWritten 8, then invalidated(variables) and memory events
  const w = await writeMemory(dc, { memoryReference: msg, data: Buffer.from('WORLD!!!').toString('base64') });
  assert.equal(w?.bytesWritten, 8);
  await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(
    events.map((e) => e.event),
    ['memory', 'invalidated'],
  );
  assert.deepEqual(events[1]!.body, { areas: ['variables'] });
  assert.deepEqual(events[0]!.body, { memoryReference: msg, offset: 0, count: 8 });
  assert.equal((await readMemory(dc, msg, 8)).toString(), 'WORLD!!!');

  // >> writeMemory at an unmapped address, << success false, nothing happened
  await assert.rejects(writeMemory(dc, { memoryReference: '0x10', data: Buffer.from('xx').toString('base64') }), /not mapped/);

  // >> writeMemory across the end of the data mapping: refused whole without allowPartial, written up to the hole with it
  const bssEnd = sectionEnd(binary, '.noptrbss');
  const m = mappingOf(pid, bssEnd - 1);
  assert.ok(!m.followed && m.end - bssEnd >= 16, `the mapping of .noptrbss ends in a hole past the section (${JSON.stringify(m)})`);
  const tail = `0x${(m.end - 8).toString(16)}`;
  const before = procMemory(pid, m.end - 8, 8);
  const sixteen = Buffer.alloc(16, 0x5a).toString('base64');
  await assert.rejects(writeMemory(dc, { memoryReference: tail, data: sixteen }), /only the first 8 bytes are mapped/);
  assert.deepEqual(procMemory(pid, m.end - 8, 8), before, 'nothing was written');
  const partial = await writeMemory(dc, { memoryReference: tail, data: sixteen, allowPartial: true });
  assert.deepEqual(partial, { bytesWritten: 8, offset: 0 });
  assert.deepEqual(procMemory(pid, m.end - 8, 8), Buffer.alloc(8, 0x5a));

  // >> continue, << stopped(breakpoint) in answer(); the program printed the written bytes
  ev = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  stop = await ev;
  tid = tidOf(stop);
  assert.match(out.stdout(), /msg WORLD!!!\n/);
  assert.equal(stop.body.reason, 'breakpoint');

  // ── code: the instruction of `v := int64(41)` under our int3, rewritten to store 42
  const top = (await dc.stackTraceRequest({ threadId: tid })).body.stackFrames[0]!;
  const pc = top.instructionPointerReference!;
  const dis = (await dc.disassembleRequest({ memoryReference: pc, instructionCount: 1 })).body!.instructions[0]!;
  const bytes = Buffer.from(dis.instructionBytes!.replace(/ /g, ''), 'hex');
  const imm = bytes.indexOf(41, 3);
  assert.ok(imm > 0 && bytes[0] !== 0xcc, `the instruction stores 41: ${dis.instruction} (${dis.instructionBytes})`);
  const patched = Buffer.from(bytes);
  patched[imm] = 42;
  const pcAddr = parseInt(pc, 16);
  assert.equal(procMemory(pid, pcAddr, 1)[0], 0xcc, 'our int3 is in memory while stopped');
  // >> writeMemory(the new instruction at the PC), << bytesWritten; reads show it, memory keeps the int3
  assert.equal((await writeMemory(dc, { memoryReference: pc, data: patched.toString('base64') }))?.bytesWritten, bytes.length);
  assert.deepEqual(await readMemory(dc, pc, bytes.length), patched);
  const raw = procMemory(pid, pcAddr, bytes.length);
  assert.equal(raw[0], 0xcc, 'the int3 stays');
  assert.deepEqual(raw.subarray(1), patched.subarray(1));
  // >> continue, << stopped(breakpoint) at the same line in the second call: the site is still armed
  ev = waitStopped(dc);
  await dc.continueRequest({ threadId: tid });
  stop = await ev;
  assert.equal(stop.body.reason, 'breakpoint');
  assert.equal((await dc.stackTraceRequest({ threadId: tidOf(stop) })).body.stackFrames[0]!.instructionPointerReference, pc);
  assert.match(out.stdout(), /answer 42\n/);
  // >> continue, << the program ends; both calls ran the new instruction
  const exit = waitExit(dc);
  await dc.continueRequest({ threadId: tidOf(stop) });
  assert.equal(await exit, 0);
  assert.match(out.stdout(), /answer 42\nanswer 42\nmsg WORLD!!!\n/);
});

/**
 * Beyond Delve's basics: the disassembly view (`disassemble` in Go assembler
 * syntax, checked against `go tool objdump`), `readMemory` (checked against
 * objdump's bytes) and breakpoints on single instructions.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startAdapterClient, type StartedClient } from '../support/adapterClient.js';
import { configure, frames, stepAndWait, tidOf, waitStopped } from '../support/dap.js';
import { buildFixture, goBin, testdataDir } from '../support/goBuild.js';

const clients: StartedClient[] = [];
after(async () => {
  for (const c of clients) await c.close();
});

/** address → { text, bytes } for a function, as `go tool objdump` prints it. */
function objdump(binary: string, fn: string): Map<number, { text: string; hex: string }> {
  const out = execFileSync(goBin(), ['tool', 'objdump', '-s', `^${fn.replace(/[.()*]/g, '\\$&')}$`, binary], { encoding: 'utf8' });
  const m = new Map<number, { text: string; hex: string }>();
  for (const line of out.split('\n')) {
    // "  util.go:5\t\t0x4bd6e0\t\t55\t\t\tPUSHQ BP\t"
    const r = /^\s+\S+\s+(0x[0-9a-f]+)\s+([0-9a-f]+)\s+(.*?)\s*$/.exec(line);
    if (r) m.set(parseInt(r[1]!, 16), { hex: r[2]!, text: r[3]!.replace(/\s+/g, ' ') });
  }
  return m;
}

test('disassemble around the stopped PC, readMemory, and an instruction breakpoint', async () => {
  const binary = buildFixture('steps');
  const c = await startAdapterClient();
  clients.push(c);
  const { dc } = c;
  const init = await dc.initializeRequest();
  assert.equal(init.body?.supportsDisassembleRequest, true);
  const stopped = waitStopped(dc);
  await configure(dc, 'launch', { mode: 'exec', program: binary }, [{ path: join(testdataDir, 'steps', 'util.go'), lines: [6] }]);
  const ev = await stopped;
  const st = await dc.stackTraceRequest({ threadId: tidOf(ev), levels: 1 });
  const ip = st.body.stackFrames[0]!.instructionPointerReference!;
  const pc = parseInt(ip, 16);
  const oracle = objdump(binary, 'main.twice');
  // >> disassemble 5 instructions before the PC and 10 from it
  const d = await dc.customRequest('disassemble', { memoryReference: ip, instructionOffset: -5, instructionCount: 15, resolveSymbols: true });
  const list = d.body.instructions as { address: string; instruction: string; instructionBytes: string; line?: number; symbol?: string }[];
  assert.equal(list.length, 15);
  assert.equal(parseInt(list[5]!.address, 16), pc, 'the PC is the 6th instruction');
  let checked = 0;
  for (const i of list) {
    const o = oracle.get(parseInt(i.address, 16));
    if (!o) continue;
    assert.equal(i.instruction.replace(/\s+/g, ' '), o.text, `text at ${i.address}`);
    assert.equal(i.instructionBytes.replace(/ /g, ''), o.hex, `bytes at ${i.address}`);
    checked++;
  }
  assert.ok(checked >= 10, `${checked} instructions compared with go tool objdump`);
  // >> readMemory at the PC: the program's code, not our int3
  const mem = await dc.customRequest('readMemory', { memoryReference: ip, count: 8 });
  const bytes = Buffer.from(mem.body.data as string, 'base64').toString('hex');
  assert.equal(bytes.slice(0, oracle.get(pc)!.hex.length), oracle.get(pc)!.hex);
  // >> setInstructionBreakpoints on the instruction after the PC, continue (next loop iteration reaches it)
  const target = parseInt(list[7]!.address, 16);
  const ib = await dc.customRequest('setInstructionBreakpoints', { breakpoints: [{ instructionReference: `0x${target.toString(16)}` }] });
  assert.equal(ib.body.breakpoints[0].verified, true);
  await dc.setBreakpointsRequest({ source: { path: join(testdataDir, 'steps', 'util.go') }, breakpoints: [] });
  const e2 = await stepAndWait(dc, 'continue', tidOf(ev));
  assert.equal(e2.body.reason, 'instruction breakpoint');
  const st2 = await dc.stackTraceRequest({ threadId: tidOf(e2), levels: 1 });
  assert.equal(parseInt(st2.body.stackFrames[0]!.instructionPointerReference!, 16), target);
  assert.equal((await frames(dc, tidOf(e2), 1))[0]!.name, 'main.twice');
});

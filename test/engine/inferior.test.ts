/**
 * The engine's DebuggeeProcess on a real process, through the seam's calls
 * only: an int3 hidden from reads, unreadable memory, a breakpoint hit, a single
 * step off it that leaves the int3 armed, a consumed hit stepped over by the
 * next resume, and the exit with the program's own output.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, readSync } from 'node:fs';
import { test } from 'node:test';
import { Inferior } from '../../src/engine/inferior.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import type { ExitInfo, StopReason } from '../../src/process/process.js';
import { buildFixture } from '../support/goBuild.js';

/** The byte really in the process's memory (int3s not hidden). */
function rawByte(pid: number, addr: number): number {
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    const b = Buffer.alloc(1);
    assert.equal(readSync(fd, b, 0, 1, addr), 1);
    return b[0]!;
  } finally {
    closeSync(fd);
  }
}

function nextStop(inf: Inferior): Promise<StopReason> {
  return new Promise((resolve, reject) => {
    inf.once('stopped', resolve);
    inf.once('exited', (e) => reject(new Error(`exited ${JSON.stringify(e)}`)));
  });
}

test('a breakpoint hit three times: stepped off, consumed, removed', async () => {
  const binary = buildFixture('hello');
  const add = Symbols.open(binary).funcByName('main.add');
  assert.ok(add, 'main.add');
  const inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  let out = '';
  inf.on('output', (stream, text) => {
    if (stream === 'stdout') out += text;
  });
  try {
    assert.equal(inf.state, 'stopped');
    assert.deepEqual(inf.threadIds(), [inf.pid], 'one thread at the first instruction');
    assert.equal(inf.readInto(8, new Uint8Array(16)), 0, 'nothing readable at page zero');

    const original = inf.read(add.entry, 1)[0]!;
    inf.insertBreakpoint(add.entry);
    assert.equal(rawByte(inf.pid, add.entry), 0xcc, 'the int3 is in memory');
    assert.equal(inf.read(add.entry, 1)[0], original, 'reads show the original byte');

    // First call: stop, then one instruction off the breakpoint; the int3 stays.
    let stop = nextStop(inf);
    inf.resume();
    const first = await stop;
    assert.equal(first.kind, 'breakpoint');
    assert.ok(first.kind === 'breakpoint' && first.addr === add.entry);
    const tid = first.tid;
    assert.equal(inf.getRegs(tid).pc, add.entry, 'RIP is back on the instruction');
    assert.equal(inf.stepInstruction(tid), 'ok');
    const pc = inf.getRegs(tid).pc;
    assert.ok(pc > add.entry && pc < add.end, `stepped to 0x${pc.toString(16)}`);
    assert.equal(rawByte(inf.pid, add.entry), 0xcc, 'the int3 is back after the step');

    // Second call: the hit is consumed, so the next resume steps over it first.
    stop = nextStop(inf);
    inf.resume();
    const second = await stop;
    assert.ok(second.kind === 'breakpoint' && second.addr === add.entry, JSON.stringify(second));
    inf.consumeHit(second.tid);

    // Third call: hit again; then the breakpoint goes and the program runs to its end.
    stop = nextStop(inf);
    inf.resume();
    const third = await stop;
    assert.ok(third.kind === 'breakpoint' && third.addr === add.entry, JSON.stringify(third));
    inf.removeBreakpoint(add.entry);
    assert.equal(rawByte(inf.pid, add.entry), original, 'the original byte is back');
    const exited = new Promise<ExitInfo>((resolve) => inf.once('exited', resolve));
    inf.resume();
    assert.deepEqual(await exited, { code: 3 }, 'main ends with os.Exit(3)');
    assert.equal(inf.state, 'exited');
    assert.match(out, /^total 3 \{1 2\}$/m);
  } finally {
    await inf.kill();
  }
});

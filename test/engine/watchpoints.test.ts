/**
 * The engine's hardware watchpoints on a real process (testdata/watch): set at
 * the exec stop, when the program has one thread, they are in the debug
 * registers of every thread the runtime creates later (read back with
 * PTRACE_PEEKUSER), a write to the watched word stops with the slot that
 * fired and RIP past the store, and an empty list takes them out of every
 * thread. Addresses come from `go tool nm`, not from our decoders.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { DebugRegisters, dr7For } from '../../src/engine/debugRegisters.js';
import { Inferior } from '../../src/engine/inferior.js';
import type { StopReason } from '../../src/process/process.js';
import { buildFixture, goBin } from '../support/goBuild.js';

function nmAddress(binary: string, symbol: string): number {
  const line = execFileSync(goBin(), ['tool', 'nm', binary], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.trim().endsWith(` ${symbol}`));
  assert.ok(line, symbol);
  return parseInt(line.trim().split(/\s+/)[0]!, 16);
}

test('DR7 encodes enable, access and length per slot', () => {
  // Slot 0: write, 8 bytes (RW 01, LEN 10); slot 2: read/write, 1 byte (RW 11, LEN 00); slot 3: write, 4 bytes (LEN 11).
  const v = dr7For([{ addr: 8, size: 8, access: 'write' }, undefined, { addr: 3, size: 1, access: 'readWrite' }, { addr: 4, size: 4, access: 'write' }]);
  assert.equal(v, (1 | (1 << 4) | (1 << 6) | (0b1001 << 16) | (0b0011 << 24) | (0b1101 << 28)) >>> 0);
});

test('watchpoints reach every thread, also those created later; a write stops past the store; clearing reaches every thread', async () => {
  const binary = buildFixture('watch');
  const addr = nmAddress(binary, 'main.threadWrites');
  const inf = await Inferior.launch({ program: binary, args: [], env: { PATH: process.env.PATH ?? '' } });
  try {
    assert.deepEqual(inf.threadIds(), [inf.pid], 'one thread at the exec stop');
    inf.setWatchpoints([{ addr, size: 8, access: 'write' }]);
    const want = dr7For([{ addr, size: 8, access: 'write' }]);
    const stop = new Promise<StopReason>((resolve) => inf.once('stopped', resolve));
    inf.resume();
    const s = await stop;
    assert.ok(s.kind === 'watchpoint', JSON.stringify(s));
    assert.deepEqual(s.slots, [0]);
    const tids = inf.threadIds();
    assert.ok(tids.length > 12, `the runtime created threads (${tids.length})`);
    let checked = 0;
    for (const tid of tids) {
      let dr: { addrs: number[]; dr7: number };
      try {
        dr = DebugRegisters.read(tid);
      } catch (e) {
        // A thread that is exiting (its exit status not collected yet) answers ESRCH.
        if ((e as { errno?: number }).errno === 3) continue;
        throw e;
      }
      assert.equal(dr.addrs[0], addr, `DR0 of thread ${tid}`);
      assert.equal(dr.dr7 & 0xffff00ff, want, `DR7 of thread ${tid}`);
      checked++;
    }
    assert.ok(checked > 12, `${checked} threads checked`);
    // RIP is past the store: the word holds the writer's thread id already.
    const written = Buffer.from(inf.read(addr, 8)).readBigInt64LE();
    assert.ok(tids.includes(Number(written)), `threadWrites = ${written}, the id of one of the program's threads`);

    inf.setWatchpoints([]);
    for (const tid of inf.threadIds()) {
      try {
        assert.equal(DebugRegisters.read(tid).dr7 & 0xff, 0, `DR7 of thread ${tid} is off`);
      } catch (e) {
        if ((e as { errno?: number }).errno !== 3) throw e;
      }
    }
  } finally {
    await inf.kill();
  }
});

/**
 * The user's data breakpoints (src/debuggee/breakpoints/dataBreakpoints.ts)
 * against a small fake process: which word of a value the hardware watches,
 * four slots and the reason a fifth is refused, what reaches setWatchpoints,
 * conditions (false: no stop; failing: one stop, then not for the same
 * failure) and hit conditions, the old and new value in the description, and
 * a watch that ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Dwarf } from '../../../src/dwarf/dwarf.js';
import type { GoType } from '../../../src/dwarf/goTypes.js';
import { DataBreakpoints, watchedWord, type DataHost } from '../../../src/debuggee/breakpoints/dataBreakpoints.js';
import type { DebuggeeProcess, WatchSpec } from '../../../src/process/process.js';
import { ValueReader } from '../../../src/values/valueReader.js';

const base = { offset: 0, goKind: 0, runtimeType: 0 };
const int64 = { ...base, kind: 'int', name: 'int64', size: 8, signed: true } as GoType;
const int32 = { ...base, kind: 'int', name: 'int32', size: 4, signed: true } as GoType;
const pair = { ...base, kind: 'struct', name: 'main.pair', size: 16, fields: [] } as unknown as GoType;

/** Memory as a map of 8-byte little-endian words, and the watchpoints last set. */
function world(conditions: Record<string, () => boolean> = {}) {
  const words = new Map<number, bigint>();
  const set: (readonly (WatchSpec | undefined)[])[] = [];
  const consoleLines: string[] = [];
  const proc = {
    state: 'stopped',
    watchSlots: 4,
    setWatchpoints: (s: readonly (WatchSpec | undefined)[]) => void set.push([...s]),
    readInto(addr: number, out: Uint8Array): number {
      for (let i = 0; i < out.length; i++) {
        const w = words.get((addr + i) & ~7) ?? 0n;
        out[i] = Number((w >> BigInt(8 * ((addr + i) & 7))) & 0xffn);
      }
      return out.length;
    },
  } as unknown as DebuggeeProcess;
  const host: DataHost = {
    process: () => proc,
    reader: () => new ValueReader({ mem: proc, dwarf: {} as Dwarf, funcName: () => undefined }),
    hooks: {
      console: (t) => void consoleLines.push(t),
      conditionEvaluator: (expr) => {
        const c = conditions[expr];
        if (!c) throw new Error(`undefined: ${expr}`);
        return c();
      },
    },
    idOfThread: (tid) => tid,
    examining: (_tid, fn) => fn(),
  };
  return { words, set, consoleLines, data: new DataBreakpoints(host) };
}

test('the watched word: the value itself up to 8 aligned bytes, else its first aligned word', () => {
  assert.equal(watchedWord(0x1000, 8), 8);
  assert.equal(watchedWord(0x1000, 16), 8);
  assert.equal(watchedWord(0x1004, 16), 4);
  assert.equal(watchedWord(0x1002, 4), 2);
  assert.equal(watchedWord(0x1001, 8), 1);
  assert.equal(watchedWord(0x1000, 3), 2);
  assert.equal(watchedWord(0x1000, 0), undefined);
});

test('targets: a value in memory, described; a register or computed value is refused', () => {
  const { data } = world();
  const t = data.target('big', { type: pair, addr: 0x2000 });
  assert.ok(!('error' in t));
  assert.equal(t.size, 8);
  assert.match(t.description, /the first 8 bytes of big \(main\.pair is 16 bytes/);
  const small = data.target('n', { type: int32, addr: 0x2010 });
  assert.ok(!('error' in small) && small.size === 4);
  assert.match((data.target('r', { type: int64, regs: { pieces: [], offset: 0, tid: 1 } }) as { error: string }).error, /not in memory/);
  assert.match((data.target('c', { type: int64, bytes: new Uint8Array(8), computed: true }) as { error: string }).error, /not in memory/);
});

test('four slots; the fifth is refused with the reason; the hardware gets exactly the armed ones', () => {
  const { data, set } = world();
  const ids = [0, 1, 2, 3, 4].map((k) => (data.target(`v${k}`, { type: int64, addr: 0x3000 + 8 * k }) as { dataId: string }).dataId);
  const bps = data.set(ids.map((dataId, k) => ({ dataId, accessType: k === 1 ? 'readWrite' : 'write' })));
  assert.deepEqual(
    bps.map((b) => b.verified),
    [true, true, true, true, false],
  );
  assert.match(bps[4]!.message!, /Only 4 data breakpoints can be active at once.*DR0–DR3/);
  assert.deepEqual(set.at(-1), [
    { addr: 0x3000, size: 8, access: 'write' },
    { addr: 0x3008, size: 8, access: 'readWrite' },
    { addr: 0x3010, size: 8, access: 'write' },
    { addr: 0x3018, size: 8, access: 'write' },
  ]);
  // Unknown ids and read-only access are refused, not silently armed.
  const odd = data.set([{ dataId: 'nope' }, { dataId: ids[0]!, accessType: 'read' }]);
  assert.deepEqual(
    odd.map((b) => b.verified),
    [false, false],
  );
  assert.match(odd[1]!.message!, /use "write" or "readWrite"/);
  assert.deepEqual(set.at(-1), []);
});

test('a hit: old and new value; hit conditions count; a false condition goes on; a failing one stops once', () => {
  let holds = false;
  const { data, words, consoleLines } = world({ 'n > 2': () => holds });
  words.set(0x4000, 1n);
  const id = (data.target('n', { type: int64, addr: 0x4000 }) as { dataId: string }).dataId;
  let [bp] = data.set([{ dataId: id }]);
  words.set(0x4000, 2n);
  assert.deepEqual(data.examine(7, [0]), { ids: [bp!.id], description: 'n changed from 1 to 2' });
  assert.equal(data.examine(7, [0])?.description, 'n written: 2 (unchanged)');
  assert.equal(data.examine(7, [1]), undefined, 'another slot fired: not this breakpoint');

  [bp] = data.set([{ dataId: id, hitCondition: '% 2' }]);
  // Same data, access and condition: the id and the hit count stay (as for line breakpoints).
  assert.equal(bp!.hits, 2);
  words.set(0x4000, 3n);
  assert.equal(data.examine(7, [0]), undefined, 'hit 3 of "% 2"');
  words.set(0x4000, 4n);
  assert.equal(data.examine(7, [0])?.description, 'n changed from 3 to 4', 'hit 4: the old value is the one seen at hit 3');

  [bp] = data.set([{ dataId: id, condition: 'n > 2' }]);
  assert.equal(data.examine(7, [0]), undefined, 'false: no stop');
  holds = true;
  assert.ok(data.examine(7, [0]));
  [bp] = data.set([{ dataId: id, condition: 'missing' }]);
  const first = data.examine(7, [0]);
  assert.match(first?.description ?? '', /condition "missing" failed: undefined: missing\. Stopped once/);
  assert.equal(consoleLines.length, 1);
  assert.equal(data.examine(7, [0]), undefined, 'the same failure again: no stop');
});

test('a watch that ends (its frame returned) leaves the hardware and says so', () => {
  const { data, set, consoleLines } = world();
  const id = (data.target('x', { type: int64, addr: 0x5000 }) as { dataId: string }).dataId;
  const [bp] = data.set([{ dataId: id }]);
  data.end(bp!);
  data.arm();
  assert.deepEqual(set.at(-1), []);
  assert.match(consoleLines[0]!, /Data breakpoint \d+ \(x\) ended/);
  assert.equal(data.examine(1, [0]), undefined);
  const again = data.set([{ dataId: id }]);
  assert.equal(again[0]!.verified, false, 'setting it again answers that it is gone');
});

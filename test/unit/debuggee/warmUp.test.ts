/**
 * The warm-up's synthetic values (src/debuggee/inspect/warmUp.ts) go through
 * the real value, format and expression paths without a program and without
 * DWARF (the reader's DWARF throws on any use, its memory has no byte), and
 * read as Go would print them: if a path stopped working on them, the warm-up
 * would silently warm nothing.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syntheticTypes } from '../../../src/debuggee/inspect/syntheticTypes.js';
import { warmEvaluate, warmReader, warmSamples, warmValues, WARM_EXPRESSIONS } from '../../../src/debuggee/inspect/warmUp.js';
import { childCounts, childrenOf } from '../../../src/values/children.js';
import { formatValue, hexAddr } from '../../../src/values/format.js';
import { scalarPage } from '../../../src/values/scalarPages.js';

test('the synthetic values format and expand as Go values', () => {
  const r = warmReader();
  const [w, s, n] = warmSamples(r);
  assert.ok(w && s && n);
  assert.equal(formatValue(r, n.value), '42');
  // The slice holds i*7 at index i; shown inline up to 64 elements.
  assert.match(formatValue(r, s.value), /^\[\]int len: 100, cap: 100, \[0,7,14,21,.*,441,\.\.\.\+36 more\]$/);
  const kids = childrenOf(r, w.value, 'w', {}, {});
  assert.deepEqual(
    kids.map((k) => k.name),
    ['Name', 'A', 'B', 'P', 'S'],
  );
  assert.equal(formatValue(r, kids[0]!.value), '"w"');
  // A pointer's target is one level down: its array field is two levels down, summarised.
  assert.equal(formatValue(r, kids[3]!.value), '*warmup.Leaf {Name: "w.P", N: 3, Ratio: 1.5, Tags: [2]string […], Ok: true}');
  warmValues(r, [w, s, n]);
});

test('every warm-up expression evaluates without DWARF', () => {
  const r = warmReader();
  const samples = warmSamples(r);
  const values = warmEvaluate(r, samples);
  // `n == 42` is an untyped boolean constant: every other expression yields a value.
  assert.equal(values.length, WARM_EXPRESSIONS.length - 1);
  assert.deepEqual(
    values.map((v) => formatValue(r, v)),
    [
      '0',
      '"w.B"',
      '1.5',
      'warmup.Leaf {Name: "w.P", N: 3, Ratio: 1.5, Tags: [2]string ["w.P/0","w.P \\"1\\"\\n"], Ok: true}',
      '"w.A \\"1\\"\\n"',
      '21',
      '693',
      '43',
      '83',
    ],
  );
});

test('the synthetic types come from the TypeLoader: fields and targets are its getters, sizes and offsets as Go lays them out', () => {
  const t = syntheticTypes();
  assert.equal(t.node.kind, 'struct');
  if (t.node.kind !== 'struct' || t.leafPtr.kind !== 'pointer' || t.ints.kind !== 'slice' || t.tags.kind !== 'array') return;
  assert.deepEqual(
    t.node.fields.map((f) => [f.name, f.offset, f.type.name]),
    [
      ['Name', 0, 'string'],
      ['A', 16, 'warmup.Leaf'],
      ['B', 88, 'warmup.Leaf'],
      ['P', 160, '*warmup.Leaf'],
      ['S', 168, '[]int'],
    ],
  );
  // As the decoder makes them for the program's types: accessors, not data properties.
  assert.equal(typeof Object.getOwnPropertyDescriptor(t.node.fields[1]!, 'type')?.get, 'function');
  assert.equal(typeof Object.getOwnPropertyDescriptor(t.leafPtr, 'elem')?.get, 'function');
  assert.equal(t.leafPtr.elem, t.leaf);
  assert.equal(t.ints.elem, t.int);
  assert.equal(t.tags.count, 2);
  assert.deepEqual([t.int.size, t.float64.kind, t.bool.kind, t.string.kind, t.leaf.size, t.node.size], [8, 'float', 'bool', 'string', 72, 192]);
  // Negative DIE offsets: never one of a program's.
  for (const x of Object.values(t)) assert.ok(x.offset < 0, x.name);
});

test('the synthetic map reads as a Go 1.24+ map[int]int: its entries from the Swiss-table iterator, paged as the Variables view pages them', () => {
  const r = warmReader();
  const m = warmSamples(r)[3];
  assert.ok(m);
  assert.equal(m.value.type.name, 'map[int]int');
  assert.equal(childCounts(r, m.value)?.indexed, 112);
  assert.match(formatValue(r, m.value), /^map\[int\]int len: 112, \[0: 0, 1: 2, 2: 4, .*, 63: 126, \.\.\.\+48 more\]$/);
  const page = scalarPage(r, m.value, 'm', 0, 100);
  assert.ok(page);
  assert.equal(page.type, 'int');
  assert.equal(page.elems.length, 100);
  // Seven entries per group, k → 2k, the eighth slot of each group empty.
  page.elems.forEach((e, i) => {
    assert.equal(e.name, `[${i}]`);
    assert.equal(e.value, String(2 * i));
    assert.equal(e.evaluateName, `m[${i}]`);
  });
  assert.deepEqual(
    scalarPage(r, m.value, 'm', 110, 10)?.elems.map((e) => e.name),
    ['[110]', '[111]'],
  );
});

test("a page of the synthetic map spelled from its slots is what the general path's children show", () => {
  const r = warmReader();
  const m = warmSamples(r)[3];
  assert.ok(m);
  for (const [start, count] of [
    [0, 100],
    [5, 9],
    [100, 50],
  ] as const) {
    const fast = scalarPage(r, m.value, 'm', start, count)?.elems.map((e) => [e.name, e.value, e.evaluateName, e.memoryReference]);
    const general = childrenOf(r, m.value, 'm', { start, count, filter: 'indexed' }, {}).map((c) => [
      c.name,
      formatValue(r, c.value),
      c.evalName,
      c.value.addr === undefined ? undefined : hexAddr(c.value.addr),
    ]);
    assert.deepEqual(fast, general, `[${start}, +${count})`);
  }
});

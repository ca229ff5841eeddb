/**
 * The selector chains Inspector.warmEvaluateAt evaluates in its rounds
 * (selectorChain): down a struct variable's struct fields, a leaf field last,
 * a new text each round while the type has new paths, nothing through a
 * pointer or for a variable that is not a struct. Over the warm-up's
 * synthetic values each chain reads the Go value at that path.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GoType, StructField } from '../../../src/dwarf/goTypes.js';
import { selectorChain } from '../../../src/debuggee/inspect/inspector.js';
import { syntheticTypes } from '../../../src/debuggee/inspect/syntheticTypes.js';
import { warmEvaluate, warmReader, warmSamples } from '../../../src/debuggee/inspect/warmUp.js';
import { formatValue } from '../../../src/values/format.js';

test('chains go down the struct fields to a field of each kind, a new text each round', () => {
  const t = syntheticTypes();
  const chains = Array.from({ length: 10 }, (_, round) => selectorChain('w', t.node, round));
  // warmup.Node's struct fields are A and B (P is a pointer, S a slice); warmup.Leaf has no struct field.
  assert.deepEqual(chains, ['w.A.Name', 'w.B.N', 'w.A.Ratio', 'w.B.Tags', 'w.A.Ok', 'w.B.Name', 'w.A.N', 'w.B.Ratio', 'w.A.Tags', 'w.B.Ok']);
  // A leaf struct: one of its fields; anything else (a pointer to a struct, an int): none.
  assert.equal(selectorChain('x', t.leaf, 1), 'x.N');
  assert.equal(selectorChain('p', t.leafPtr, 0), undefined);
  assert.equal(selectorChain('n', t.int, 0), undefined);
});

test('each chain reads the value at its path', () => {
  const r = warmReader();
  const samples = warmSamples(r);
  const t = syntheticTypes();
  const chains = Array.from({ length: 5 }, (_, round) => selectorChain('w', t.node, round)!);
  const values = warmEvaluate(r, samples, chains).map((v) => formatValue(r, v));
  // The sample tree (warmUp.ts): w.A is leaf 0, w.B leaf 1; a leaf's Ok is N's lowest bit.
  assert.deepEqual(values, ['"w.A"', '1', '0', '[2]string ["w.B/0","w.B \\"1\\"\\n"]', 'false']);
});

/** A struct type of `fields`, for shapes the synthetic types do not have. */
function struct(name: string, fields: [string, GoType][]): GoType {
  const fs: StructField[] = fields.map(([n, type], i) => ({ name: n, offset: i * 8, embedded: false, typeOffset: 0, type }));
  return { kind: 'struct', name, size: fields.length * 8, offset: 0, goKind: 25, runtimeType: 0, fields: fs };
}

test('a chain stops after five selectors, at a leaf field, however deep the type goes', () => {
  const { int } = syntheticTypes();
  let t: GoType = struct('main.L9', [['N', int]]);
  for (let level = 8; level >= 0; level--)
    t = struct(`main.L${level}`, [
      ['Name', int],
      ['Next', t],
    ]);
  // Four struct fields, then the fifth level's first field (round 0), or its second (round 1): Next, a struct, is not followed.
  assert.equal(selectorChain('t', t, 0), 't.Next.Next.Next.Next.Name');
  assert.equal(selectorChain('t', t, 1), 't.Next.Next.Next.Next.Next');
  // Past its deadline a chain goes no level deeper: from the start, there is none.
  assert.equal(selectorChain('t', t, 0, 0), undefined);
});

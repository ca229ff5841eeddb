/** The rule matching of the layers test, on imports made up for it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { forbiddenBy, layersAbove, layersDoc, ruleCovers, targetOf } from './rules.js';

const ruleFor = (from: string) => layersDoc.never.find((r) => r.from.includes(from))!;

test('a relative import names the layer it lands in; a bare one names its module', () => {
  assert.equal(targetOf('src/dwarf/info.ts', '../binary/reader.js'), 'binary');
  assert.equal(targetOf('src/debuggee/stack/stack.ts', '../../unwind/unwinder.js'), 'unwind');
  assert.equal(targetOf('extension/extension.ts', '../src/adapter/session.js'), 'adapter');
  assert.equal(targetOf('src/engine/libc.ts', 'koffi'), 'koffi');
});

test('@above is every layer higher than the importer, never its own rank or the bottom', () => {
  const above = layersAbove(layersDoc, 'dwarf');
  for (const l of ['adapter', 'debuggee', 'eval', 'values', 'unwind', 'engine', 'demo', 'extension']) assert.ok(above.includes(l), l);
  for (const l of ['dwarf', 'arch', 'binary', 'process', 'util']) assert.ok(!above.includes(l), l);
});

test('decoders may not import upwards, node:fs (in any spelling) or koffi', () => {
  const rule = ruleFor('dwarf');
  assert.ok(forbiddenBy(layersDoc, rule, 'dwarf', 'values'));
  assert.ok(forbiddenBy(layersDoc, rule, 'binary', 'fs'));
  assert.ok(forbiddenBy(layersDoc, rule, 'binary', 'node:fs/promises'));
  assert.ok(forbiddenBy(layersDoc, rule, 'unwind', 'engine'));
  assert.equal(forbiddenBy(layersDoc, rule, 'dwarf', 'binary'), undefined);
  assert.equal(forbiddenBy(layersDoc, rule, 'unwind', 'process'), undefined);
  assert.equal(forbiddenBy(layersDoc, rule, 'binary', 'node:path'), undefined);
});

test('an exception names a file or a layer that the rule then skips', () => {
  const debuggee = ruleFor('debuggee');
  assert.ok(ruleCovers(debuggee, 'src/debuggee/program.ts'));
  assert.ok(!ruleCovers(debuggee, 'src/debuggee/processStarter.ts'));
  const adapterOnlyFromTop = layersDoc.never.find((r) => r.import.includes('adapter') && r.from.includes('*'))!;
  assert.ok(ruleCovers(adapterOnlyFromTop, 'src/debuggee/program.ts'));
  assert.ok(!ruleCovers(adapterOnlyFromTop, 'extension/extension.ts'));
  assert.ok(!ruleCovers(adapterOnlyFromTop, 'src/demo/demo.ts'));
});

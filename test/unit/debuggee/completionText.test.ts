/**
 * What the text before a debug-console cursor asks to complete (pure text
 * analysis: src/debuggee/inspect/completionText.ts), and the names a function
 * table gives (programNames.ts), on names written the way Go's linker writes
 * them.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completionSite } from '../../../src/debuggee/inspect/completionText.js';
import { prepareProgramNames, programNames, splitPackage } from '../../../src/debuggee/inspect/programNames.js';

const at = (text: string, offset = text.length) => completionSite(text, offset);

describe('completionSite', () => {
  it('finds the word before the cursor, and the operand before a dot', () => {
    assert.deepEqual(at(''), { start: 0, prefix: '' });
    assert.deepEqual(at('ord'), { start: 0, prefix: 'ord' });
    assert.deepEqual(at('ord + disc'), { start: 6, prefix: 'disc' });
    assert.deepEqual(at('ord + disc', 3), { start: 0, prefix: 'ord' });
    assert.deepEqual(at('o.'), { start: 2, prefix: '', base: 'o' });
    assert.deepEqual(at('o.Items[i+1].Q'), { start: 13, prefix: 'Q', base: 'o.Items[i+1]' });
    assert.deepEqual(at('(*p).f'), { start: 5, prefix: 'f', base: '(*p)' });
    assert.deepEqual(at('len(o.It'), { start: 6, prefix: 'It', base: 'o' });
    assert.deepEqual(at('*p.x'), { start: 3, prefix: 'x', base: 'p' });
    assert.deepEqual(at('m["a"].V'), { start: 7, prefix: 'V', base: 'm["a"]' });
    assert.deepEqual(at('größe'), { start: 0, prefix: 'größe' });
    assert.deepEqual(at('a\nb.c'), { start: 4, prefix: 'c', base: 'b' });
  });

  it('completes nothing in literals, numbers and dots after nothing', () => {
    for (const t of ['"o.', '`raw o.', "'a", '1.', '1.5', 'x.5.', '.x', '(.', 'a[).']) assert.equal(at(t), undefined, t);
    // A closed string is not an open one.
    assert.deepEqual(at('"a" + o.'), { start: 8, prefix: '', base: 'o' });
    assert.deepEqual(at('"\\"" + o'), { start: 7, prefix: 'o' });
  });
});

describe('programNames', () => {
  const list = [
    'main.main',
    'main.process',
    'main.main.func1',
    'main.(*Order).AddItem',
    'main.Order.Total',
    'main.Order.Total.func2',
    'main.(*List[...]).Push',
    'main.init.0',
    'main.init',
    'example.com/m/inventory.NewItem',
    'example.com/m/inventory.Item.Describe',
    'example.com/m/other/inventory.Count',
    'main.(*Order).Total-fm',
    'type:.eq.main.Order',
    'go:buildid',
    'runtime.gopark',
  ];
  const source = () => ({ functionCount: () => list.length, functionName: (i: number) => list[i]! });
  const names = programNames(source());

  it('lists packages by path and by name', () => {
    assert.deepEqual([...names.byName.get('inventory')!.map((p) => p.path)].sort(), ['example.com/m/inventory', 'example.com/m/other/inventory']);
    assert.ok(names.byName.has('main') && names.byName.has('runtime'));
  });

  it('keeps functions and receiver types, not closures, wrappers or init', () => {
    assert.deepEqual([...names.packages.get('main')!.funcs].sort(), ['main', 'process']);
    assert.deepEqual([...names.packages.get('main')!.types].sort(), ['List', 'Order']);
    assert.deepEqual(names.methods.get('main.Order'), [
      { name: 'AddItem', pointer: true },
      { name: 'Total', pointer: false },
    ]);
    assert.deepEqual(names.methods.get('main.List[...]'), [{ name: 'Push', pointer: true }]);
    assert.deepEqual(names.methods.get('example.com/m/inventory.Item'), [{ name: 'Describe', pointer: false }]);
  });

  it('is the same index when built a slice per event-loop turn', async () => {
    const src = source();
    await prepareProgramNames(src);
    const sliced = programNames(src);
    assert.deepEqual([...sliced.packages.keys()].sort(), [...names.packages.keys()].sort());
    assert.deepEqual([...sliced.methods.entries()].sort(), [...names.methods.entries()].sort());
  });

  it('splits a name at its package', () => {
    assert.deepEqual(splitPackage('example.com/m/pkg.(*T).M'), ['example.com/m/pkg', '(*T).M']);
    assert.deepEqual(splitPackage('main.F[example.com/x.T].func1'), ['main', 'F[example.com/x.T].func1']);
    assert.equal(splitPackage('nodot'), undefined);
  });
});

/**
 * Maps in both runtime layouts: Swiss tables (Go 1.24+, the default here)
 * and classic buckets (a go1.22.12 build), including a classic map stopped
 * in the middle of an incremental growth, struct keys, and keys stored
 * indirectly (> 128 bytes). The program prints its own entries (the oracle).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildFixture } from '../support/goBuild.js';
import { allIndexed, byName, children, launchTo, marks, scopeVars, type Stopped, type Var } from './support.js';

const { source, line } = marks('valuesmaps');

for (const [label, env] of [
  ['Swiss tables, Go 1.26', {}],
  ['classic buckets, go1.22.12', { GOTOOLCHAIN: 'go1.22.12' }],
] as const) {
  describe(`maps (${label})`, () => {
    let s: Stopped;
    let locals: Var[];
    before(async () => {
      // >> setBreakpoints BP:main, configurationDone, << stopped; >> scopes, variables
      s = await launchTo(buildFixture('valuesmaps', { env }), source, [{ line: line.main! }]);
      locals = await scopeVars(s.dc, s.frameId);
    });
    after(() => s?.c.close());

    const oracle = (prefix: string) => [...s.out.stdout().matchAll(new RegExp(`^${prefix}\\[\\d+\\]=.*$`, 'gm'))].map((m) => m[0]).sort();

    test('every entry of a 53-entry map (mid-growth in the classic layout) and of a 3,000-entry map', async () => {
      if ('GOTOOLCHAIN' in env) assert.match(s.out.stdout(), /^growing=true B=4$/m, 'the oracle says the map is growing');
      const grow = byName(locals, 'grow');
      assert.equal(grow.indexedVariables, 53);
      const ours = (await allIndexed(s.dc, grow, 20)).map((e) => `grow${e.name}=${e.value}`).sort();
      assert.deepEqual(ours, oracle('grow'));
      const big = byName(locals, 'big');
      assert.equal(big.indexedVariables, 3000);
      const bigOurs = (await allIndexed(s.dc, big, 700)).map((e) => `big${e.name}=${e.value}`).sort();
      assert.deepEqual(bigOurs, oracle('big'));
    });

    test('small maps, struct keys as key/value pairs, indirect keys', async () => {
      assert.equal(
        byName(locals, 'small').value,
        `map[string]int len: 2, ${byName(locals, 'small').value.includes('"x": 1, "y": 2') ? '["x": 1, "y": 2]' : '["y": 2, "x": 1]'}`,
      );
      const sk = await children(s.dc, byName(locals, 'structKeys'));
      const pairs = await Promise.all(
        sk.map(async (p) => {
          assert.match(p.name, /^\[key \d\]$/);
          const [k, v] = await children(s.dc, p);
          assert.deepEqual([k!.name, v!.name], ['key', 'value']);
          return `${k!.value.replace(/^main\.K \{A: (\d+), B: "(\w)"\}$/, '{$1 $2}')}:${v!.value}`;
        }),
      );
      assert.equal(`map[${pairs.sort().join(' ')}]`, /structKeys=(.*)/.exec(s.out.stdout())![1]);
      const wide = await children(s.dc, byName(locals, 'wide'));
      assert.equal(wide.length, 1);
      assert.equal(wide[0]!.value.endsWith(': true'), true);
      const [k] = await children(s.dc, wide[0]!);
      assert.match(k!.value, /^\[20\]int64 \[9,0,0,/);
    });

    test('evaluate indexes maps by key', async () => {
      const ev = async (expression: string) => (await s.dc.evaluateRequest({ expression, frameId: s.frameId, context: 'watch' })).body.result;
      assert.equal(await ev('grow[52]'), '520');
      assert.equal(await ev('big[2999]'), '"v2999"');
      assert.equal(await ev('small["y"] + len(grow)'), '55');
    });
  });
}

// Breakpoints whose condition or hit condition cannot be understood are
// unverified with the parser's message and hold no int3: checked when they
// are set, over the fake process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GoWorld, MAIN_GO, PC } from './goWorld.js';

async function set(spec: { condition?: string; hitCondition?: string }) {
  const w = new GoWorld();
  const g1 = w.addGoroutine({ id: 1, tid: 101, chain: [PC.goexit + 1, PC.runtimeMainRet, PC.main + 0x10] });
  w.proc.reach(101, PC.factLine21, { rsp: g1.frames[0]!.sp - 0x40, r14: g1.g }).exit(0);
  const run = await w.program();
  const [bp] = run.program.breakpoints.setLineBreakpoints(MAIN_GO, [{ line: 21, ...spec }]);
  return { bp: bp!, w, run };
}

for (const hitCondition of ['% 1000 == 0', 'abc', '% 0', '>= -1']) {
  test(`hit condition ${JSON.stringify(hitCondition)} is rejected: unverified, with the reason`, async () => {
    const { bp, run } = await set({ hitCondition });
    assert.equal(bp.verified, false);
    assert.match(bp.message ?? '', new RegExp(`^Invalid hit condition "${hitCondition.replace(/[%.*+?^$()|[\]\\]/g, '\\$&')}"`));
    // The program runs to its end without stopping at the rejected breakpoint.
    run.program.start(false);
    const e = await run.next();
    assert.ok('exited' in e, 'the program should exit: an unverified breakpoint holds no int3');
  });
}

for (const [condition, why] of [
  ['i ==', /^Invalid condition "i ==": .+/],
  ['(x', /^Invalid condition "\(x": .+/],
  ['a b', /^Invalid condition "a b": .+/],
] as const) {
  test(`condition ${JSON.stringify(condition)} does not parse: unverified with the parser's message`, async () => {
    const { bp } = await set({ condition });
    assert.equal(bp.verified, false);
    assert.match(bp.message ?? '', why);
  });
}

test('a condition that parses and a well-formed hit condition give a verified breakpoint', async () => {
  const { bp } = await set({ condition: 'i == 3 && s.x != nil', hitCondition: '% 2' });
  assert.equal(bp.verified, true, bp.message);
  assert.equal(bp.message, undefined);
});

/**
 * The x86 decoder against real Go binaries: every instruction of every
 * function of a testdata program (debug and optimized builds) and of the
 * toolchain's `compile`. Lengths and RIP-relative targets must agree with
 * GNU objdump exactly; branch classification and targets with
 * `go tool objdump`; the Plan 9 text with `go tool objdump` above a floor
 * (the rest is listed by class: VEX/EVEX forms x86asm cannot decode,
 * deliberate differences, symbol ties).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildFixture, goToolBinary } from '../support/goBuild.js';
import { type Comparison, compareBinary } from './x86Compare.js';
import { haveBinutils } from './x86Oracles.js';

const skip = haveBinutils() ? false : 'GNU objdump (binutils) is not installed';

function report(t: { diagnostic(msg: string): void }, name: string, r: Comparison): void {
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, a + b)).toFixed(3)}%`;
  t.diagnostic(
    `${name}: ${r.functions} functions, ${r.instructions} instructions decoded in ${r.decodeMs.toFixed(0)} ms ` +
      `(${(((r.instructions / r.decodeMs) * 1000) / 1e6).toFixed(2)} M/s, with text and symbols)`,
  );
  t.diagnostic(
    `  lengths vs binutils: ${r.instructions - r.lengthMismatches}/${r.instructions}; RIP-relative targets: ${r.ripChecked - r.ripMismatches.length}/${r.ripChecked}`,
  );
  t.diagnostic(`  skipped data-bearing functions: ${r.dataFunctions.join(', ') || 'none'}`);
  t.diagnostic(
    `  text vs go tool objdump: ${r.textSame} same, ${r.textDiff} differ (${pct(r.textSame, r.textDiff)}); ` +
      `user code ${r.userSame}/${r.userSame + r.userDiff} (${pct(r.userSame, r.userDiff)}); objdump cannot decode ${r.oracleUndecodable}`,
  );
  t.diagnostic(
    `  branches checked: ${r.flowChecked}, mismatches ${r.flowMismatches.length}; VEX/EVEX vs binutils: ${r.vectorChecked}, mismatches ${r.vectorMismatches.length}`,
  );
  for (const c of r.classes.slice(0, 12)) t.diagnostic(`    ${c.count} × ${c.key}  e.g. ${c.example}`);
  for (const d of r.userDiffs.slice(0, 5)) t.diagnostic(`  user: ${d}`);
}

function check(r: Comparison, floors: { text: number; user: number }): void {
  assert.equal(r.lengthMismatches, 0, `lengths differ from binutils:\n${r.lengthExamples.join('\n')}`);
  assert.deepEqual(r.ripMismatches.slice(0, 20), [], 'RIP-relative targets differ from binutils');
  assert.ok(r.ripChecked > 1000, `only ${r.ripChecked} RIP-relative operands`);
  assert.deepEqual(r.flowMismatches.slice(0, 20), [], 'branch classification differs from go tool objdump');
  assert.ok(r.flowChecked > 10000, `only ${r.flowChecked} branches checked`);
  assert.deepEqual(r.vectorMismatches.slice(0, 20), [], 'VEX/EVEX operands differ from binutils');
  assert.ok(r.vectorChecked > 500, `only ${r.vectorChecked} VEX/EVEX instructions`);
  const text = r.textSame / (r.textSame + r.textDiff);
  assert.ok(text >= floors.text, `text agreement ${text} below ${floors.text}`);
  if (floors.user > 0) {
    assert.ok(r.userSame > 1000, `only ${r.userSame} user instructions`);
    const user = r.userSame / (r.userSame + r.userDiff);
    assert.ok(user >= floors.user, `user-code text agreement ${user} below ${floors.user}:\n${r.userDiffs.slice(0, 20).join('\n')}`);
  }
}

test('testdata program built with -N -l: every instruction', { skip }, async (t) => {
  const r = await compareBinary(buildFixture('oracle'));
  report(t, 'oracle (-N -l)', r);
  check(r, { text: 0.995, user: 0.995 });
});

test('testdata program, optimized: every instruction', { skip }, async (t) => {
  const r = await compareBinary(buildFixture('oracle', { flags: [] }));
  report(t, 'oracle (optimized)', r);
  check(r, { text: 0.995, user: 0.99 });
});

test("the toolchain's compile binary: every instruction", { skip, timeout: 180_000 }, async (t) => {
  const r = await compareBinary(goToolBinary('compile'));
  report(t, 'compile', r);
  check(r, { text: 0.995, user: 0 });
});

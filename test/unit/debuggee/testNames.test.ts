/** `$test` in conditions and logpoints: replaced outside literals only, by a Go string literal. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withTestName } from '../../../src/debuggee/testNames.js';

test('$test becomes the quoted test name, outside string, rune and raw literals', () => {
  assert.equal(withTestName('$test == "TestTable/case_2"', 'TestTable/case_2'), '"TestTable/case_2" == "TestTable/case_2"');
  assert.equal(withTestName('x > 1', 'T'), 'x > 1');
  assert.equal(withTestName('"$test" + `$test` + $test', 'T'), '"$test" + `$test` + "T"');
  assert.equal(withTestName(`s == "a\\"$test" && $test != ""`, 'T'), `s == "a\\"$test" && "T" != ""`);
  assert.equal(withTestName('$tests + $test', 'T'), '$tests + "T"', 'only the whole word');
  assert.equal(withTestName('$test', 'Test/with "quotes"\\'), '"Test/with \\"quotes\\"\\\\"');
  assert.equal(withTestName('$test', ''), '""');
});

/** The "debug test" lenses' test cases: tests, literal subtests (nested), and their -test.run patterns. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testCases } from '../../../extension/testCases.js';

const file = `package calc

import "testing"

// TestNotReally(t *testing.T) in a comment is no test.
func TestTable(t *testing.T) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {}) // not a literal: no lens
	}
	t.Run("case 2", func(t *testing.T) {
		t.Run("deep.er", func(u *testing.T) {
			u.Run("x", func(t *testing.T) {})
		})
	})
	s := "t.Run(\\"fake\\", nil)"
	_ = s
}

func helper(t *testing.T) {}

func Test(t *testing.T) {
	t.Run("a+b", func(t *testing.T) {})
}

func Testlower(t *testing.T) {}

func TestÜber(tt *testing.T) {
	tt.Run("weird\\tname", func(t *testing.T) {})
}
`;

test('tests and literal subtests with their patterns', () => {
  assert.deepEqual(testCases(file), [
    { name: 'TestTable', line: 5, pattern: '^TestTable$' },
    { name: 'TestTable/case_2', line: 9, pattern: '^TestTable$/^case_2$' },
    { name: 'TestTable/case_2/deep.er', line: 10, pattern: '^TestTable$/^case_2$/^deep\\.er$' },
    { name: 'TestTable/case_2/deep.er/x', line: 11, pattern: '^TestTable$/^case_2$/^deep\\.er$/^x$' },
    { name: 'Test', line: 20, pattern: '^Test$' },
    { name: 'Test/a+b', line: 21, pattern: '^Test$/^a\\+b$' },
    { name: 'TestÜber', line: 26, pattern: '^TestÜber$' },
    { name: 'TestÜber/weird_name', line: 27, pattern: '^TestÜber$/^weird_name$' },
  ]);
});

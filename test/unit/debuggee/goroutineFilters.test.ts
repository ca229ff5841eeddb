/** Delve's goroutine filter syntax: parsing, its errors, and matching against a goroutine's facts. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GoroutineFacts, locationMatches, parseGoroutineFilters, passes } from '../../../src/debuggee/goroutines/filters.js';

const g = (over: Partial<GoroutineFacts> = {}): GoroutineFacts => ({
  running: false,
  user: () => true,
  labels: () => [['job', 'alpha']],
  location: () => ({ file: '/src/app/main.go', line: 12, fn: 'main.worker' }),
  ...over,
});

test('parse: -w/-with, -wo/-without, arguments, -group ignored', () => {
  assert.deepEqual(parseGoroutineFilters('-w user -wo label job=x -with curloc main.go -group user'), [
    { kind: 'user', negated: false },
    { kind: 'label', arg: 'job=x', negated: true },
    { kind: 'curloc', arg: 'main.go', negated: false },
  ]);
  assert.deepEqual(parseGoroutineFilters('  '), []);
  assert.throws(() => parseGoroutineFilters('-x user'), /unknown goroutine filter "-x"/);
  assert.throws(() => parseGoroutineFilters('-w'), /-w must be followed by/);
  assert.throws(() => parseGoroutineFilters('-w label'), /-w label needs to be followed by key or key=value/);
  assert.throws(() => parseGoroutineFilters('-wo startloc'), /needs to be followed by a location pattern/);
});

test('match: every filter must hold; -wo negates', () => {
  assert.equal(passes(parseGoroutineFilters('-w user -w label job'), g()), true);
  assert.equal(passes(parseGoroutineFilters('-w label job=beta'), g()), false);
  assert.equal(passes(parseGoroutineFilters('-wo label job=beta'), g()), true);
  assert.equal(passes(parseGoroutineFilters('-w running'), g()), false);
  assert.equal(passes(parseGoroutineFilters('-wo user'), g({ user: () => false })), true);
  assert.equal(passes(parseGoroutineFilters('-w userloc main.go:12'), g()), true);
  assert.equal(passes(parseGoroutineFilters('-w userloc main.go:13'), g()), false);
  assert.equal(passes(parseGoroutineFilters('-w goloc main'), g({ location: () => undefined })), false);
});

test('locations: a substring, or a glob over "file:line in function"', () => {
  const text = '/src/app/main.go:12 in main.worker';
  assert.ok(locationMatches(text, 'in main.work'));
  assert.ok(locationMatches(text, '*main.worker'));
  assert.ok(!locationMatches(text, 'main.go:1?'), 'a glob must match the whole text');
  assert.ok(locationMatches(text, '*main.go:1? in *'));
  assert.ok(locationMatches(text, '*:[0-9][0-9] in main.*'));
  assert.ok(!locationMatches(text, '*:[!1]2 in *'));
  assert.ok(locationMatches('/a+b/(x).go:1 in f', '/a+b/(x).go:*'), 'regular-expression characters are literal');
});

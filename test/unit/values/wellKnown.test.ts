/**
 * The texts of well-known Go types without a process: Duration.String(),
 * Time.String() of given instants and zones, and POSIX TZ rules. Expected
 * values were printed by Go 1.26 (time.Duration.String, and
 * time.LoadLocationFromTZData on a TZif file holding only the rule, then
 * t.In(loc).Zone()).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { zoneByRule } from '../../../src/values/tzRule.js';
import { formatDuration, formatTime } from '../../../src/values/wellKnown.js';

const DURATIONS: [bigint, string][] = [
  [0n, '0s'],
  [1n, '1ns'],
  [999n, '999ns'],
  [1000n, '1µs'],
  [1001n, '1.001µs'],
  [1500n, '1.5µs'],
  [999999n, '999.999µs'],
  [1000000n, '1ms'],
  [1234567n, '1.234567ms'],
  [999999999n, '999.999999ms'],
  [1000000000n, '1s'],
  [1000000001n, '1.000000001s'],
  [61000000000n, '1m1s'],
  [3600000000000n, '1h0m0s'],
  [3661500000000n, '1h1m1.5s'],
  [-1n, '-1ns'],
  [-1500n, '-1.5µs'],
  [9223372036854775807n, '2562047h47m16.854775807s'],
  [-9223372036854775808n, '-2562047h47m16.854775808s'],
  [360000000000000n, '100h0m0s'],
];

test('Duration.String()', () => {
  for (const [ns, text] of DURATIONS) assert.equal(formatDuration(ns), text, `${ns}ns`);
});

/** [rule, Unix second, zone name, offset east of UTC] */
const RULES: [string, number, string, number][] = [
  ['CET-1CEST,M3.5.0,M10.5.0/3', 2224756800, 'CEST', 7200],
  ['CET-1CEST,M3.5.0,M10.5.0/3', 2209032000, 'CET', 3600],
  ['CET-1CEST,M3.5.0,M10.5.0/3', 2216246400, 'CET', 3600],
  ['CET-1CEST,M3.5.0,M10.5.0/3', 2216250000, 'CEST', 7200],
  ['CET-1CEST,M3.5.0,M10.5.0/3', 2234995200, 'CEST', 7200],
  ['CET-1CEST,M3.5.0,M10.5.0/3', 2234998800, 'CET', 3600],
  ['AEST-10AEDT,M10.1.0,M4.1.0/3', 2210198400, 'AEDT', 39600],
  ['AEST-10AEDT,M10.1.0,M4.1.0/3', 2225923200, 'AEST', 36000],
  ['EST5EDT', 2224713600, 'EDT', -14400],
  ['EST5EDT', 2237932800, 'EST', -18000],
  ['<+0330>-3:30', 2224713600, '+0330', 12600],
  ['XXX3YYY,J60/1,300', 2214183600, 'XXX', -10800],
  ['XXX3YYY,J60/1,300', 2214010800, 'XXX', -10800],
  ['XXX3YYY,59,300', 2214097200, 'XXX', -10800],
  ['MST7', 2224713600, 'MST', -25200],
  ['XXX3YYY,J60/1,300', 2214194400, 'YYY', -7200],
  ['XXX3YYY,59,300', 2214108000, 'YYY', -7200],
  ['XXX3YYY,59,300', 2234930400, 'XXX', -10800],
  ['XXX3YYY,59,300', 2235016800, 'XXX', -10800],
  ['EST5EDT,M3.2.0/-1,M11.1.0/25', 2215054800, 'EDT', -14400],
  ['EST5EDT,M3.2.0/-1,M11.1.0/25', 2215047600, 'EST', -18000],
  ['EST5EDT4,M3.5.6,M10.5.6', 2216808000, 'EDT', -14400],
];

test('POSIX TZ rules as Go evaluates them (time.Location.extend)', () => {
  for (const [tz, sec, name, offset] of RULES) assert.deepEqual(zoneByRule(tz, sec), { name, offset }, `${tz} at ${sec}`);
  // Not rules Go accepts: Go then keeps the zone of the last transition.
  for (const bad of ['', 'C', 'CET', 'CET-1CEST,M3.5.0', 'CET-1CEST,M13.5.0,M10.5.0', 'CET-1CEST,M3.5.0,M10.5.0/3x'])
    assert.equal(zoneByRule(bad, 0), undefined, bad);
});

test('Time.String() without the monotonic reading', () => {
  // time.Time{}; time.Date(1977, 5, 25, 18, 0, 0, 0, UTC); 2009-11-10 23:00:00.123456789 in FixedZone("XST", -7h30m); FixedZone("", 3600).
  assert.equal(formatTime(-62135596800n, 0, { name: 'UTC', offset: 0 }), '0001-01-01 00:00:00 +0000 UTC');
  assert.equal(formatTime(233431200n, 0, { name: 'UTC', offset: 0 }), '1977-05-25 18:00:00 +0000 UTC');
  assert.equal(formatTime(1257921000n, 123456789, { name: 'XST', offset: -27000 }), '2009-11-10 23:00:00.123456789 -0730 XST');
  assert.equal(formatTime(1257894000n, 5000, { name: '', offset: 3600 }), '2009-11-11 00:00:00.000005 +0100 +0100');
  // time.Date(-1, 12, 31, 23, 59, 59, 0, UTC) and time.Date(12000, 1, 1, 0, 0, 0, 0, UTC).
  assert.equal(formatTime(-62167219201n, 0, { name: 'UTC', offset: 0 }), '-0001-12-31 23:59:59 +0000 UTC');
  assert.equal(formatTime(316516204800n, 0, { name: 'UTC', offset: 0 }), '12000-01-01 00:00:00 +0000 UTC');
});

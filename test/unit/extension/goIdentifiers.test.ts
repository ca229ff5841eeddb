// The inline values' identifier scan: which names of Go source VS Code is asked
// to look up while stopped (extension/goIdentifiers.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enclosingFuncStart, importedPackageNames, variableIdentifiers } from '../../../extension/goIdentifiers.js';

const names = (src: string, from = 0, to = 1e9) => variableIdentifiers(src.split('\n'), from, to).map((i) => `${i.line + 1}:${i.start}:${i.name}`);

test('locals declared and used; keywords, predeclared names and package names left out', () => {
  const src = [
    'package main',
    '',
    'import "fmt"',
    '',
    'func main() {',
    '\ttotal := 0',
    '\tfor i := 0; i < 3; i++ {',
    '\t\ttotal = add(total, i)',
    '\t}',
    '\tfmt.Println(len(s), total, nil, true)',
    '}',
  ].join('\n');
  assert.deepEqual(names(src), ['6:1:total', '7:5:i', '7:13:i', '7:20:i', '8:2:total', '8:10:add', '8:14:total', '8:21:i', '10:17:s', '10:21:total']);
});

test('field and method names after a dot, composite-literal keys and labels are not variables', () => {
  const src = ['func f() {', '\tp := point{X: 1, Y: q}', '\tp.X = r.Y', '\tv := t.m().n', 'outer:', '\tfor {', '\t\tbreak outer', '\t}', '\t_ = v', '}'].join(
    '\n',
  );
  assert.deepEqual(names(src), ['2:1:p', '2:6:point', '2:21:q', '3:1:p', '3:7:r', '4:1:v', '4:6:t', '9:5:v']);
});

test('slice bounds and case expressions keep their names; a multi-line literal key does not', () => {
  const src = ['func f() {', '\tx := s[lo:hi]', '\tswitch y {', '\tcase z:', '\t}', '\tq := T{', '\t\tKey: val,', '\t}', '}'].join('\n');
  assert.deepEqual(names(src), ['2:1:x', '2:6:s', '2:8:lo', '2:11:hi', '3:8:y', '4:6:z', '6:1:q', '6:6:T', '7:7:val']);
});

test('names inside comments, strings, runes and raw strings (even spanning lines) are skipped', () => {
  const src = ['func f() {', '\ta := "b c \\" d" // e f', "\tg := 'h'", '\t/* i', '\t   j */ k := `l', 'm` + n', '}'].join('\n');
  assert.deepEqual(names(src), ['2:1:a', '3:1:g', '5:9:k', '6:5:n']);
});

test('numbers with letters (hex, exponents, imaginary) are not identifiers', () => {
  assert.deepEqual(names('x := 0x1F + 1e9 + 2.5i + 0b101 + 1_000 + y'), ['1:0:x', '1:41:y']);
});

test('func and method names in their declarations are not variables; parameters are', () => {
  const src = ['func (r *recv) method(a int) int {', '\treturn a + r.n', '}', 'func plain(b string) {}'].join('\n');
  assert.deepEqual(names(src), ['1:6:r', '1:9:recv', '1:22:a', '2:8:a', '2:12:r', '4:11:b']);
});

test('only the lines asked for (0-based, inclusive) are reported, with a comment opened above them known', () => {
  const src = ['/* a', 'b */ c := 1', 'd := c'].join('\n');
  assert.deepEqual(names(src, 1, 1), ['2:5:c']);
  assert.deepEqual(names(src, 2, 2), ['3:0:d', '3:5:c']);
});

test('imported package names: last path element, explicit names, major-version suffixes; blank and dot imports none', () => {
  const lines = [
    'import (',
    '\t"fmt"',
    '\tstr "strings"',
    '\t"example.com/mod/v2"',
    '\t_ "embed"',
    '\t. "math"',
    '\t"github.com/x/go-yaml"',
    ')',
    'import "os"',
  ];
  assert.deepEqual([...importedPackageNames(lines)].sort(), ['fmt', 'mod', 'os', 'str', 'yaml']);
  // A local that shares a package's name is still shown when it is not followed by a dot.
  assert.deepEqual(names(['import "os"', 'func f(os int) { _ = os.X; _ = os }'].join('\n')), ['2:7:os', '2:31:os']);
});

test('a non-ASCII identifier is one name, columns in UTF-16 units', () => {
  assert.deepEqual(names('größe := 1; z := größe'), ['1:0:größe', '1:12:z', '1:17:größe']);
});

test('the enclosing function starts at the nearest top-level func line', () => {
  const lines = ['package main', 'func a() {', '\tx := 1', '}', 'func b() {', '\ty := 2', '}'];
  assert.equal(enclosingFuncStart(lines, 5), 4);
  assert.equal(enclosingFuncStart(lines, 2), 1);
  assert.equal(enclosingFuncStart(lines, 0), 0);
});

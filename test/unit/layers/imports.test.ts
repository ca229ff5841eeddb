/** The import scan that the layers test relies on, on sources written for it. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blankComments, importsOf } from './imports.js';

test('finds static, type-only, export-from, side-effect and dynamic imports with their lines', () => {
  const src = [
    "import assert from 'node:assert/strict';",
    'import {',
    '  a,',
    '  type B,',
    "} from '../dwarf/dwarf.js';",
    "import type { C } from './c.js';",
    'export { d } from "../engine/d.js";',
    "export * from './all.js';",
    "import './sideEffect.js';",
    "const m = await import('koffi');",
  ].join('\n');
  assert.deepEqual(importsOf(src), [
    { specifier: 'node:assert/strict', line: 1 },
    { specifier: '../dwarf/dwarf.js', line: 5 },
    { specifier: './c.js', line: 6 },
    { specifier: '../engine/d.js', line: 7 },
    { specifier: './all.js', line: 8 },
    { specifier: './sideEffect.js', line: 9 },
    { specifier: 'koffi', line: 10 },
  ]);
});

test('ignores imports in comments, strings and regexes, and keeps line numbers', () => {
  const src = [
    '/**',
    " * import { x } from '../engine/inferior.js';",
    ' */',
    "// import koffi from 'koffi';",
    'const s = "import y from \'../adapter/session.js\'";',
    "const re = /import z from '..\\/engine'/;",
    "const url = 'http://example.invalid/'; // import w from 'koffi'",
    "export const v = 1; import { u } from './u.js';",
    "import { t } from './t.js';",
  ].join('\n');
  assert.deepEqual(importsOf(src), [{ specifier: './t.js', line: 9 }]);
  assert.equal(blankComments(src).split('\n').length, 9);
});

test('a division is not a regex', () => {
  const src = ["const half = a / 2; const q = b / c; // import x from 'koffi'", "import { y } from './y.js';"].join('\n');
  assert.deepEqual(importsOf(src), [{ specifier: './y.js', line: 2 }]);
});

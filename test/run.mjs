// Runs the compiled *.test.js files under out/test with Node's built-in runner.
// Usage: node test/run.mjs [--suite unit|e2e|oracle] [substring filter...]
//
// Every test file belongs to exactly one suite, chosen by its first folder under test/:
//   unit    test/unit/**: no Go build, no testdata binary, no debuggee (seconds)
//   e2e     real processes: the adapter over DAP on ptrace'd programs, the engine, the packaged extension
//   oracle  the decoders, unwinder, values and evaluator checked against Go's tools and binutils
// Without --suite every suite runs; a file in a folder no suite names is an error.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

const SUITES = {
  unit: ['unit'],
  e2e: ['e2e', 'engine', 'extension'],
  oracle: ['arch', 'binary', 'dwarf', 'unwind', 'values', 'eval', 'grammar'],
};

const sources = import.meta.dirname;
const root = resolve(sources, '..', 'out', 'test');
const args = process.argv.slice(2);
let suite;
const filters = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--suite') suite = args[++i];
  else if (a.startsWith('--suite=')) suite = a.slice('--suite='.length);
  else filters.push(a);
}
if (suite !== undefined && !(suite in SUITES)) {
  console.error(`unknown suite ${JSON.stringify(suite)}: one of ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}

const suiteOf = (folder) => Object.keys(SUITES).find((s) => SUITES[s].includes(folder));
const files = [];
const orphans = [];
(function walk(dir) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith('.test.js')) {
      const rel = relative(root, p);
      // A compiled file whose source was moved or deleted is left over from an older build.
      if (!existsSync(join(sources, rel.replace(/\.js$/, '.ts')))) continue;
      const folder = rel.split(sep)[0];
      const s = suiteOf(folder);
      if (s === undefined) orphans.push(p);
      else if ((suite === undefined || s === suite) && (filters.length === 0 || filters.some((f) => p.includes(f)))) files.push(p);
    }
  }
})(root);
if (orphans.length > 0) {
  console.error(`test files in no suite (add their folder to SUITES in test/run.mjs):\n  ${orphans.join('\n  ')}`);
  process.exit(1);
}
if (files.length === 0) {
  console.error('no test files found under', root, suite ? `in suite ${suite}` : '', filters.join(' '));
  process.exit(1);
}
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);

/**
 * testdata/jmcmod is a module of its own (its vendor directory needs its own
 * go.mod, so the testdata module's build cannot hold it): built in place with
 * the debug flags, once per test process.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBUG_GCFLAGS, goBin, testdataDir } from './goBuild.js';

export const jmcModuleDir = join(testdataDir, 'jmcmod');
let built: string | undefined;

export function buildJmcModule(): string {
  if (built) return built;
  const out = join(mkdtempSync(join(tmpdir(), 'gda-jmc-')), 'jmcmod');
  execFileSync(goBin(), ['build', DEBUG_GCFLAGS, '-o', out, '.'], { cwd: jmcModuleDir, stdio: ['ignore', 'pipe', 'pipe'] });
  built = out;
  return out;
}

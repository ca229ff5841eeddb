/**
 * The debug session's name: a configuration with one of our generic names
 * ("Launch package", the dynamic entries, the snippets' names) is named after
 * what it debugs once its paths are absolute — the package clause and the
 * import path (go.mod's module path and the directory below it, or the
 * directory relative to the workspace without a go.mod):
 * "main (example.com/hello)", "tests of calc (example.com/calc)",
 * "server (binary bin/server)", "attach to 4242". A name the user chose stays.
 * No `vscode` import here, so it is unit-tested under node.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import type { Config } from './resolveConfig.js';

/** Names our provider and snippets give; only these are replaced. */
export const GENERIC_NAMES: ReadonlySet<string> = new Set(['Launch package', 'Launch test', 'Launch file', 'Launch binary', 'Attach to process', 'Attach']);

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The package clause of a Go source file (comments before it skipped), or undefined. */
export function packageClause(source: string): string | undefined {
  const text = source.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, '');
  return /^\s*package\s+([\p{L}_][\p{L}\p{Nd}_]*)/u.exec(text)?.[1];
}

/** The package name of a directory: the clause of its first non-test .go file (any .go file for tests). */
function packageOfDir(dir: string, tests: boolean): string | undefined {
  let files: string[];
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.go'))
      .sort();
  } catch {
    return undefined;
  }
  const ordered = [...files.filter((f) => !f.endsWith('_test.go')), ...(tests ? files.filter((f) => f.endsWith('_test.go')) : [])];
  for (const f of ordered) {
    try {
      const name = packageClause(readFileSync(join(dir, f), 'utf8').slice(0, 64 * 1024));
      if (name) return name.replace(/_test$/, '');
    } catch {}
  }
  return undefined;
}

/** The import path of `dir`: go.mod's module plus the path below it, else `dir` relative to the workspace (or its base name). */
export function importPathOf(dir: string, workspaceFolder?: string): string {
  for (let d = dir; ; d = dirname(d)) {
    try {
      const mod = /^\s*module\s+"?([^\s"]+)"?/m.exec(readFileSync(join(d, 'go.mod'), 'utf8'))?.[1];
      if (mod) {
        const rest = relative(d, dir).split(sep).join('/');
        return rest ? `${mod}/${rest}` : mod;
      }
    } catch {}
    if (dirname(d) === d) break;
  }
  if (workspaceFolder) {
    const rel = relative(workspaceFolder, dir).split(sep).join('/');
    if (rel && !rel.startsWith('..')) return rel;
  }
  return basename(dir);
}

/** The name for a resolved configuration (absolute paths), or undefined to keep its own. */
export function sessionName(config: Config, workspaceFolder?: string): string | undefined {
  if (typeof config.name === 'string' && config.name !== '' && !GENERIC_NAMES.has(config.name)) return undefined;
  if (config.request === 'attach') return config.processId !== undefined ? `attach to ${config.processId}` : undefined;
  const program = config.program;
  if (config.request !== 'launch' || typeof program !== 'string' || program.includes('${')) return undefined;
  if (config.mode === 'exec') {
    const rel = workspaceFolder ? relative(workspaceFolder, program) : '';
    return `${basename(program)} (binary ${rel && !rel.startsWith('..') ? rel.split(sep).join('/') : program})`;
  }
  const tests = config.mode === 'test';
  const file = program.endsWith('.go') && !isDir(program) ? program : undefined;
  const dir = file ? dirname(file) : program;
  let pkg: string | undefined;
  if (file) {
    try {
      pkg = packageClause(readFileSync(file, 'utf8').slice(0, 64 * 1024));
    } catch {}
  } else pkg = packageOfDir(dir, tests);
  if (!pkg) return undefined;
  const path = importPathOf(dir, workspaceFolder) + (file ? `/${basename(file)}` : '');
  return tests ? `tests of ${pkg} (${path})` : `${pkg} (${path})`;
}

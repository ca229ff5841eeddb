/**
 * Why a line breakpoint is unverified, and what to do about it. The binary
 * is asked (its files, its lines, its functions, its Go version) and the
 * source file is read where the editor has it (its `//go:build` line, its
 * name, the function around the line, its modification time):
 *
 * - the file is not in the program: excluded by a build constraint (its
 *   `//go:build` line or a `_GOOS`/`_GOARCH`/`_test` file name, against
 *   linux/amd64 and the binary's Go version), newer than the binary (added
 *   after the build), or not part of the built package at all; with
 *   `-trimpath` the binary records import paths, which substitutePath maps;
 * - the line has no code: inside a function the linker dropped (nothing
 *   calls it), or between the lines that have code, which the message names;
 * - a source file newer than the binary: a one-time warning that the binary
 *   is stale (lines may have moved), for the editor's console.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { SymbolTable } from '../symbolTable.js';

const GOOS = [
  'aix',
  'android',
  'darwin',
  'dragonfly',
  'freebsd',
  'hurd',
  'illumos',
  'ios',
  'js',
  'linux',
  'nacl',
  'netbsd',
  'openbsd',
  'plan9',
  'solaris',
  'wasip1',
  'windows',
  'zos',
];
const GOARCH = ['386', 'amd64', 'arm', 'arm64', 'loong64', 'mips', 'mipsle', 'mips64', 'mips64le', 'ppc64', 'ppc64le', 'riscv64', 's390x', 'sparc64', 'wasm'];
const UNIX = new Set(['aix', 'android', 'darwin', 'dragonfly', 'freebsd', 'hurd', 'illumos', 'ios', 'linux', 'netbsd', 'openbsd', 'solaris']);
/** How far from the line the nearest code is looked for. */
const SEARCH_LINES = 400;

export class BreakpointDiagnostics {
  private staleWarned = false;
  private readonly warnings: string[] = [];
  private binaryTime?: number | null;

  constructor(
    private readonly symbols: SymbolTable,
    /** The binary's path (for its modification time), when known. */
    private readonly binaryPath?: string,
  ) {}

  /** Warnings not yet shown (the stale-binary one), emptied by the call. */
  takeWarnings(): string[] {
    return this.warnings.splice(0);
  }

  /** Notes a stale binary once per session when `clientPath` was modified after the binary was built. */
  checkStale(clientPath: string): void {
    if (this.staleWarned) return;
    const src = mtime(clientPath);
    const bin = this.binaryMtime();
    if (src === undefined || bin === undefined || src <= bin) return;
    this.staleWarned = true;
    this.warnings.push(
      `Warning: ${basename(clientPath)} was modified after the program was built (${iso(src)}, the binary ${iso(bin)}): ` +
        'the program may not run the code you see, and breakpoints may bind to other lines. Rebuild the program.\n',
    );
  }

  /** Why `clientPath` has no file in the binary, and what to do. */
  fileNotInBinary(clientPath: string, mappedTo?: string): string {
    const name = basename(clientPath);
    const excluded = this.buildExclusion(clientPath);
    if (excluded) return `${name} is not in the program: ${excluded}`;
    const src = mtime(clientPath);
    const bin = this.binaryMtime();
    if (src !== undefined && bin !== undefined && src > bin) {
      return `${name} is not in the program, which was built before the file was last changed (${iso(bin)}): rebuild the program`;
    }
    const mapped = mappedTo && mappedTo !== clientPath ? ` (substitutePath maps it to ${mappedTo}, which the program does not have either)` : '';
    if (this.trimpath()) {
      return (
        `No code for ${name} in the program${mapped}: it was built with -trimpath, so it records import paths ` +
        `(such as ${this.mainFile()}) instead of directories; map your folder to the import path with substitutePath ` +
        '({"from": "<your module folder>", "to": "<module path>"}), or build without -trimpath'
      );
    }
    return `No code for ${name} in the program being debugged${mapped}: the program has no file of that name (is it part of the built package?)`;
  }

  /** Why line `line` of `file` (the binary's path; `clientPath` the editor's) has no code, and where code is. */
  noCodeAtLine(clientPath: string, file: string, line: number): string {
    const name = basename(clientPath);
    const fn = enclosingFunction(clientPath, line);
    // A function whose lines from its `func` line down have code is in the program, inlined when it has no symbol.
    if (fn && !this.hasFunction(fn) && !this.anyCode(file, fn.line, line)) {
      return `No code at line ${line} of ${name}: ${fn.display} is not in the program (the linker leaves out functions that nothing calls)`;
    }
    let before: number | undefined;
    let after: number | undefined;
    for (let d = 1; d <= SEARCH_LINES && (before === undefined || after === undefined); d++) {
      if (before === undefined && line - d >= 1 && this.symbols.sitesForLine(file, line - d).length) before = line - d;
      if (after === undefined && this.symbols.sitesForLine(file, line + d).length) after = line + d;
    }
    if (before === undefined && after === undefined) return `No code at line ${line} of ${name}, nor within ${SEARCH_LINES} lines of it`;
    if (after === undefined) return `No code at line ${line} of ${name}: it is past the last line with code (line ${before})`;
    if (before === undefined) return `No code at line ${line} of ${name}: the first line with code is line ${after}`;
    return `No code at line ${line} of ${name}: the nearest lines with code are ${before} and ${after}`;
  }

  private binaryMtime(): number | undefined {
    if (this.binaryTime === undefined) this.binaryTime = (this.binaryPath && mtime(this.binaryPath)) || null;
    return this.binaryTime ?? undefined;
  }

  /** The file of main.main as the binary records it. */
  private mainFile(): string | undefined {
    const main = this.symbols.funcByName('main.main');
    return main ? this.symbols.lineForPC(main.entry)?.file : undefined;
  }

  private trimpath(): boolean {
    const f = this.mainFile();
    return !!f && !f.startsWith('/');
  }

  private anyCode(file: string, from: number, to: number): boolean {
    for (let l = from; l < to; l++) if (this.symbols.sitesForLine(file, l).length) return true;
    return false;
  }

  private hasFunction(fn: { name: string; receiver?: string }): boolean {
    const s = this.symbols;
    const names = fn.receiver ? [`(*${fn.receiver}).${fn.name}`, `${fn.receiver}.${fn.name}`] : [fn.name];
    return names.some((n) => s.funcByName(`main.${n}`) || s.findFunctionBySuffix(n));
  }

  /** Why the build leaves the file out, or undefined when it does not (or it cannot be read). */
  private buildExclusion(path: string): string | undefined {
    const name = basename(path);
    if (name.endsWith('_test.go')) return 'test files are only in a test binary (debug it with mode "test")';
    const parts = name.slice(0, -3).split('_');
    const last = parts[parts.length - 1];
    const prev = parts[parts.length - 2];
    if (parts.length > 1 && GOARCH.includes(last!) && last !== 'amd64')
      return `its name ends in _${last}, so it is built only for GOARCH=${last} (this program is linux/amd64)`;
    const os = parts.length > 1 && GOOS.includes(last!) ? last : parts.length > 2 && GOARCH.includes(last!) && GOOS.includes(prev!) ? prev : undefined;
    if (os && os !== 'linux') return `its name ends in _${os}, so it is built only for GOOS=${os} (this program is linux/amd64)`;
    const constraint = buildLine(path);
    if (!constraint) return undefined;
    const goMinor = /^go1\.(\d+)/.exec(this.symbols.goVersion ?? '')?.[1];
    const tags = (tag: string) => {
      if (tag === 'linux' || tag === 'amd64' || tag === 'unix' || tag === 'gc') return true;
      const v = /^go1\.(\d+)$/.exec(tag);
      if (v && goMinor !== undefined) return Number(v[1]) <= Number(goMinor);
      return false;
    };
    let holds: boolean;
    try {
      holds = evalConstraint(constraint, tags);
    } catch {
      return undefined;
    }
    if (holds) return undefined;
    const custom = [...constraint.matchAll(/[\w.]+/g)]
      .map((m) => m[0])
      .filter(
        (t) => !GOOS.includes(t) && !GOARCH.includes(t) && !UNIX.has(t) && !/^go1\.\d+$/.test(t) && t !== 'unix' && t !== 'gc' && t !== 'gccgo' && t !== 'cgo',
      );
    const hint = custom.length ? ` (if it needs the tag ${custom.map((t) => `"${t}"`).join(' or ')}, add -tags=${custom[0]} to buildFlags and rebuild)` : '';
    return `its build constraint \`//go:build ${constraint}\` excludes it from this build (linux/amd64, ${this.symbols.goVersion ?? 'Go'})${hint}`;
  }
}

function mtime(path: string): number | undefined {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');
}

/** The expression of the file's `//go:build` line (before the package clause), if any. */
function buildLine(path: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  for (const raw of text.split('\n')) {
    const l = raw.trim();
    if (l.startsWith('//go:build ')) return l.slice('//go:build '.length).trim();
    if (l.startsWith('package ')) return undefined;
  }
  return undefined;
}

/** Evaluates a build constraint expression (`!`, `&&`, `||`, parentheses, tags); throws on bad syntax. */
export function evalConstraint(expr: string, tag: (t: string) => boolean): boolean {
  const toks = expr.match(/&&|\|\||!|\(|\)|[\w.]+/g) ?? [];
  let i = 0;
  const or = (): boolean => {
    let v = and();
    while (toks[i] === '||') {
      i++;
      const r = and();
      v = v || r;
    }
    return v;
  };
  const and = (): boolean => {
    let v = not();
    while (toks[i] === '&&') {
      i++;
      const r = not();
      v = v && r;
    }
    return v;
  };
  const not = (): boolean => {
    const t = toks[i++];
    if (t === '!') return !not();
    if (t === '(') {
      const v = or();
      if (toks[i++] !== ')') throw new Error('missing )');
      return v;
    }
    if (!t || !/^[\w.]+$/.test(t)) throw new Error(`unexpected ${t ?? 'end'}`);
    return tag(t);
  };
  const v = or();
  if (i !== toks.length) throw new Error('trailing tokens');
  return v;
}

/** The function declaration a line of a Go source file is in (the last `func` line at or above it, read from the file). */
function enclosingFunction(path: string, line: number): { name: string; receiver?: string; display: string; line: number } | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  for (let k = Math.min(line, lines.length) - 1; k >= 0; k--) {
    const l = lines[k]!;
    if (k < line - 1 && /^}/.test(l)) return undefined; // the line is after the end of the previous function
    const m = /^func\s+(?:\(\s*\w*\s*\*?\s*(\w+)(?:\[[^\]]*\])?\s*\)\s*)?(\w+)/.exec(l);
    if (m) {
      const receiver = m[1];
      const name = m[2]!;
      return { name, receiver, display: receiver ? `method ${receiver}.${name}` : `function ${name}`, line: k + 1 };
    }
  }
  return undefined;
}

/**
 * The programs the workloads debug: small testdata/bench* programs (built once
 * with the debug gcflags by buildFixture) whose interesting lines are marked
 * `// BENCH:<name>`, and the large one: the Go compiler, cmd/compile, built from
 * the toolchain's own sources with `-gcflags=all=-N -l`, cached per Go version.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, readSync, closeSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { buildFixture, DEBUG_GCFLAGS, goBin, goRoot, testdataDir } from '../support/goBuild.js';

export interface Program {
  /** Absolute path of the debug binary. */
  binary: string;
  /** Absolute path of the source file holding the marks. */
  source: string;
  /** Line numbers (1-based) of the marks, by name. */
  lines: Record<string, number>;
}

/** Line numbers of `// BENCH:<name>` comments in `file`. */
export function markedLines(file: string): Record<string, number> {
  const lines: Record<string, number> = {};
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      const m = /\/\/ BENCH:(\w+)/.exec(text);
      if (m) lines[m[1]!] = i + 1;
    });
  return lines;
}

/** Builds testdata/<name> (cached) and returns it with the marks of its main.go. */
export function benchProgram(name: string): Program {
  const source = join(testdataDir, name, 'main.go');
  return { binary: buildFixture(name), source, lines: markedLines(source) };
}

function goVersion(): string {
  return execFileSync(goBin(), ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
}

/**
 * cmd/compile built with the debug gcflags into `<cacheRoot>/compile-debug-<goversion>`
 * (built once), with a breakpoint line on `func main()` in its main.go.
 */
export function compilerProgram(cacheRoot: string, log: (m: string) => void): Program {
  const source = join(goRoot(), 'src', 'cmd', 'compile', 'main.go');
  const funcMain = readFileSync(source, 'utf8')
    .split('\n')
    .findIndex((l) => l.startsWith('func main()'));
  if (funcMain < 0) throw new Error(`no "func main()" in ${source}`);
  const binary = join(cacheRoot, `compile-debug-${goVersion()}`);
  if (!existsSync(binary)) {
    mkdirSync(cacheRoot, { recursive: true });
    log(`building ${binary} (go build ${DEBUG_GCFLAGS} cmd/compile, once)…`);
    const tmp = `${binary}.tmp${process.pid}`;
    execFileSync(goBin(), ['build', DEBUG_GCFLAGS, '-o', tmp, 'cmd/compile'], {
      cwd: cacheRoot,
      env: { ...process.env, PATH: `${dirname(goBin())}:${process.env.PATH ?? ''}` },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    renameSync(tmp, binary);
  }
  return { binary, source, lines: { main: funcMain + 1 } };
}

/** Reads a file once so neither adapter pays the first disk read of it. */
export function warmPageCache(file: string): void {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(1 << 20);
  try {
    while (readSync(fd, buf, 0, buf.length, null) > 0) {
      /* discard */
    }
  } finally {
    closeSync(fd);
  }
}

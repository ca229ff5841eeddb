/**
 * Building the program to debug: `go build` (mode debug) or `go test -c`
 * (mode test) with optimisations and inlining off, into a temporary file.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { findGo } from '../util/goTool.js';

export const DEBUG_GCFLAGS = '-gcflags=all=-N -l';

export interface BuildRequest {
  mode: 'debug' | 'test';
  /** Package directory or .go file (absolute). */
  program: string;
  programIsDirectory: boolean;
  buildFlags: string[];
  /** Where to write the binary; a temporary file when absent. */
  output?: string;
  env: NodeJS.ProcessEnv;
  /** Streams the tool's output as it comes. */
  onOutput?: (text: string) => void;
  /** Aborting it ends the build (the go command and the compilers it started): BuildCancelled. */
  signal?: AbortSignal;
}

export interface BuildResult {
  binary: string;
  /** Removes the binary if we chose its place. */
  cleanup(): void;
  command: string;
}

/** The build was ended on request (DAP cancel) before it finished. */
export class BuildCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'BuildCancelled';
  }
}

export class BuildError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'BuildError';
  }
}

export function goCommand(env: NodeJS.ProcessEnv): string {
  const go = findGo(env);
  if (!go) throw new BuildError('Go was not found: install Go (1.22 or newer) and put `go` on PATH, or use "mode": "exec" with a built binary', '');
  return go;
}

export async function buildProgram(req: BuildRequest): Promise<BuildResult> {
  const go = goCommand(req.env);
  let tmp: string | undefined;
  let binary = req.output;
  if (!binary) {
    // mkdtemp(3) creates the directory with mode 0700: no other user can read the binary or
    // replace it before it runs; the chmod states that here instead of relying on the C library.
    tmp = mkdtempSync(join(tmpdir(), 'go-debug-adapter-'));
    chmodSync(tmp, 0o700);
    binary = join(tmp, '__debug_bin');
  }
  const cwd = req.programIsDirectory ? req.program : dirname(req.program);
  const target = req.programIsDirectory ? '.' : basename(req.program);
  const userGcflags = req.buildFlags.some((f) => f.startsWith('-gcflags'));
  const flags = [...(userGcflags ? [] : [DEBUG_GCFLAGS]), ...req.buildFlags];
  const args = req.mode === 'test' ? ['test', '-c', ...flags, '-o', binary, target] : ['build', ...flags, '-o', binary, target];
  const command = `${go} ${args.map((a) => (/\s/.test(a) ? `'${a}'` : a)).join(' ')}`;
  const cleanup = () => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  };
  const goDir = dirname(go);
  const env = { ...req.env, PATH: req.env.PATH ? `${req.env.PATH}:${goDir}` : goDir };
  const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
    // A process group of its own, so that a cancel ends the compilers go started as well.
    const p = spawn(go, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const stop = () => {
      try {
        if (p.pid) process.kill(-p.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    };
    req.signal?.addEventListener('abort', stop, { once: true });
    p.on('close', () => req.signal?.removeEventListener('abort', stop));
    let text = '';
    const onData = (d: Buffer) => {
      const s = d.toString('utf8');
      text += s;
      req.onOutput?.(s);
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    p.on('error', reject);
    p.on('close', (code) => resolve({ code, text }));
  });
  if (req.signal?.aborted) {
    cleanup();
    throw new BuildCancelled();
  }
  if (output.code !== 0) {
    cleanup();
    const msg = output.text.trim() || `exit code ${output.code}`;
    throw new BuildError(`Build failed (${command}):\n${msg}`, output.text);
  }
  return { binary, cleanup, command };
}

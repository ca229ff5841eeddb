/**
 * A core file of the stopped program (the repl's `dump`, as Delve's terminal
 * command of that name): every OS thread with its registers, FXSAVE area and
 * pending signal — the thread of the current stop first, so the core opens
 * stopped on the same goroutine — and all of memory, written by
 * src/core/coreWriter.ts while the program is held stopped. Mode "core" opens
 * the result.
 *
 * What a path may be: a new file, or an existing ELF core (replaced, as Delve
 * does). Any other existing file is refused, so a slip of the keyboard
 * (`dump main.go`) destroys nothing.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { userErrors } from '../util/userErrors.js';
import type { Program } from './program.js';
import { CoreWriteCancelled, type CoreWriteResult, writeCoreFile } from './processStarter.js';

export interface CoreDumpOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface CoreDumpResult extends CoreWriteResult {
  /** An older core at the path was replaced. */
  replaced: boolean;
}

/** Writes a core of `program` (stopped) to the absolute `path`. Throws a UserError when it cannot. */
export async function dumpCore(program: Program, path: string, opts: CoreDumpOptions = {}): Promise<CoreDumpResult> {
  if (program.exited) throw userErrors.programExited();
  if (program.cannotRun) throw userErrors.cannotDump('this session is a core file already; its file is the core');
  if (program.running) throw userErrors.programRunning();
  const replaced = checkTarget(path);
  const stopped = program.currentThread;
  return program.holdStopped(async (inf) => {
    const image = inf.image?.();
    if (!image) throw userErrors.cannotDump('the process has no memory map to read (/proc/PID/maps)');
    let first: number | undefined;
    try {
      first = program.threadOf(stopped);
    } catch {
      first = undefined; // the stop's goroutine is parked: the core starts with the first thread
    }
    const tids = inf.threadIds();
    const ordered = first !== undefined && tids.includes(first) ? [first, ...tids.filter((t) => t !== first)] : tids;
    const threads = ordered.map((tid) => {
      const regs = inf.getRegs(tid);
      return { tid, regs: regs.raw, fp: regs.fp, signal: image.pendingSignals.get(tid) ?? 0 };
    });
    const check = () => {
      if (inf.state !== 'stopped') throw userErrors.cannotDump(`the program ${inf.state === 'exited' ? 'ended' : 'resumed'} while its core was written`);
    };
    try {
      return { ...(await writeCoreFile(path, { threads, image, mem: inf, check }, opts)), replaced };
    } catch (e) {
      if (e instanceof CoreWriteCancelled) throw userErrors.cancelled();
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw userErrors.cannotDump(`${path}: ${(e as Error).message.replace(/^\w+: /, '')}`);
      throw e;
    }
  });
}

/** Whether `path` holds a core that the dump replaces; throws when it holds anything else. */
function checkTarget(path: string): boolean {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch {
    return false; // a new file (a parent that does not exist fails at the write, with its reason)
  }
  if (st.isDirectory()) throw userErrors.cannotDump(`${path} is a directory: name a file`);
  if (!st.isFile() || !isCoreFile(path))
    throw userErrors.cannotDump(`${path} exists and is not a core file: it is left as it is; choose another name or remove it`);
  return true;
}

/** An ELF file whose e_type is ET_CORE. */
function isCoreFile(path: string): boolean {
  const head = new Uint8Array(18);
  let n = 0;
  try {
    const fd = openSync(path, 'r');
    try {
      n = readSync(fd, head, 0, 18, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
  return n === 18 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46 && head[16] === 4 && head[17] === 0;
}

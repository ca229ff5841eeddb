/**
 * A core file as a DebuggeeProcess that is stopped for good: the threads and
 * their registers come from the core's notes, memory from its PT_LOAD
 * segments, and what the core left out (a program's code and read-only data,
 * which the kernel does not dump) from the files NT_FILE names — the
 * program's own binary is read from the path the user gave, wherever the
 * core was made. Nothing runs and nothing is written: those calls throw a
 * user error that says so.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { type CoreFileMapping, type CoreNotes, type CoreSegment, coreHeaderSize, parseCoreHeaders, parseCoreNotes } from '../binary/elfCore.js';
import type { DebuggeeProcess, ProcessEvents, StepResult, StopReason } from '../process/process.js';
import { Registers } from '../process/registers.js';
import { userErrors } from '../util/userErrors.js';

/** Why a core cannot do what a live process does (also DebuggeeProcess.cannotRun). */
export const CORE_CANNOT_RUN = 'this is a core file: a snapshot of a program that no longer runs';

export class CoreProcess implements DebuggeeProcess {
  readonly launched = false;
  readonly state = 'stopped' as const;
  readonly cannotRun = CORE_CANNOT_RUN;
  readonly pid: number;
  private readonly fds = new Map<string, number | undefined>();
  private closed = false;

  private constructor(
    private readonly coreFd: number,
    private readonly segments: CoreSegment[],
    private readonly notes: CoreNotes,
    private readonly binaryPath: string,
  ) {
    this.pid = notes.threads[0]?.tid ?? 0;
  }

  /** Opens `corePath`, a core of `binaryPath`. Throws a DecodeError when it is not a usable core. */
  static open(corePath: string, binaryPath: string): CoreProcess {
    const fd = openSync(corePath, 'r');
    try {
      const size = fstatSync(fd).size;
      const first = readAt(fd, 0, 64);
      const head = readAt(fd, 0, Math.min(size, coreHeaderSize(first)));
      const { segments, notes } = parseCoreHeaders(head);
      const parsed: CoreNotes = { threads: [], files: [] };
      for (const n of notes) parseCoreNotes(readAt(fd, n.offset, n.size), parsed);
      if (parsed.threads.length === 0) throw userErrors.invalidArguments(`${corePath} has no threads (no NT_PRSTATUS note)`);
      return new CoreProcess(fd, segments, parsed, binaryPath);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** The thread that made the core, and why it stopped. */
  stopReason(): StopReason {
    const t = this.notes.threads[0]!;
    return t.signal > 0 ? { kind: 'exception', tid: t.tid, signal: t.signal } : { kind: 'pause', tid: t.tid };
  }

  on<K extends keyof ProcessEvents>(_event: K, _listener: (...args: ProcessEvents[K]) => void): this {
    return this; // a core never changes
  }

  threadIds(): number[] {
    return this.notes.threads.map((t) => t.tid);
  }
  hasThread(tid: number): boolean {
    return this.notes.threads.some((t) => t.tid === tid);
  }
  getRegs(tid: number): Registers {
    const t = this.notes.threads.find((x) => x.tid === tid);
    if (!t) throw userErrors.noThread(tid);
    return new Registers(t.regs.slice(), t.fp?.slice());
  }
  setRegs(): void {
    throw readOnly();
  }

  entryAddress(): number | undefined {
    return this.notes.entry;
  }

  read(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    if (this.readInto(addr, out) !== len) throw new Error(`cannot read ${len} bytes at 0x${addr.toString(16)} in the core`);
    return out;
  }

  /** Reads as much of [addr, addr+len) as the core (or the files it maps) holds, in order. */
  readInto(addr: number, out: Uint8Array): number {
    let done = 0;
    while (done < out.length) {
      const n = this.readPiece(addr + done, out.subarray(done));
      if (n <= 0) break;
      done += n;
    }
    return done;
  }

  private readPiece(addr: number, out: Uint8Array): number {
    const seg = findIn(
      this.segments,
      addr,
      (s) => s.vaddr,
      (s) => s.vaddr + s.memsz,
    );
    if (seg && addr < seg.vaddr + seg.filesz) {
      const n = Math.min(out.length, seg.vaddr + seg.filesz - addr);
      return readSync(this.coreFd, out, 0, n, seg.offset + (addr - seg.vaddr));
    }
    const map = this.notes.files.find((m) => addr >= m.start && addr < m.end);
    if (!map) return 0;
    const fd = this.fileFd(map);
    if (fd === undefined) return 0;
    const limit = Math.min(out.length, map.end - addr, seg ? seg.vaddr + seg.memsz - addr : Number.POSITIVE_INFINITY);
    return readSync(fd, out, 0, limit, map.fileOffset + (addr - map.start));
  }

  /** The file a mapping came from: the program's binary by the user's path, other files where the core says they were. */
  private fileFd(map: CoreFileMapping): number | undefined {
    const path = basename(map.path) === basename(this.binaryPath) ? this.binaryPath : map.path;
    if (!this.fds.has(path)) {
      let fd: number | undefined;
      try {
        fd = openSync(path, 'r');
      } catch {
        fd = undefined;
      }
      this.fds.set(path, fd);
    }
    return this.fds.get(path);
  }

  write(): void {
    throw readOnly();
  }
  insertBreakpoint(): void {
    throw userErrors.cannotRun(CORE_CANNOT_RUN);
  }
  removeBreakpoint(): void {}
  setScratchSlot(): void {}
  resume(): void {
    throw userErrors.cannotRun(CORE_CANNOT_RUN);
  }
  pause(): void {}
  stepInstruction(): StepResult {
    throw userErrors.cannotRun(CORE_CANNOT_RUN);
  }
  consumeHit(): void {}

  async kill(): Promise<void> {
    this.close();
  }
  detach(): void {
    this.close();
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const fd of [this.coreFd, ...this.fds.values()]) {
      if (fd === undefined) continue;
      try {
        closeSync(fd);
      } catch {
        /* closed already */
      }
    }
    this.fds.clear();
  }
}

function readOnly(): Error {
  return userErrors.cannotRun(`${CORE_CANNOT_RUN}; its memory and registers cannot be changed`);
}

function readAt(fd: number, offset: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  const n = readSync(fd, b, 0, len, offset);
  return n === len ? b : b.subarray(0, n);
}

/** The item of a list sorted by start whose [start, end) holds `addr`. */
function findIn<T>(list: T[], addr: number, start: (t: T) => number, end: (t: T) => number): T | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = list[mid]!;
    if (addr < start(t)) hi = mid - 1;
    else if (addr >= end(t)) lo = mid + 1;
    else return t;
  }
  return undefined;
}

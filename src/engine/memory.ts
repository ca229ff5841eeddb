/**
 * Bulk access to a traced process's memory: process_vm_readv for reads,
 * /proc/PID/mem for writes (it can write into read-only code pages, which
 * process_vm_writev cannot).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { asNumber, errno, native, PtraceError } from './libc.js';

export class MemoryError extends Error {
  constructor(
    readonly addr: number,
    readonly len: number,
    detail: string,
  ) {
    super(`cannot access memory at 0x${addr.toString(16)} (${len} bytes): ${detail}`);
    this.name = 'MemoryError';
  }
}

const MAX_READ = 256 * 1024 * 1024;

export class ProcessMemory {
  private fd: number | undefined;

  constructor(readonly pid: number) {}

  private memFd(): number {
    this.fd ??= openSync(`/proc/${this.pid}/mem`, 'r+');
    return this.fd;
  }

  /** Reads exactly `len` bytes or throws MemoryError. */
  read(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    const n = this.readInto(addr, out);
    if (n !== len) throw new MemoryError(addr, len, n < 0 ? `errno ${-n}` : `only ${n} bytes readable`);
    return out;
  }

  /** Reads up to out.length bytes; returns the count read (stops at the first unmapped page) or -errno. */
  readInto(addr: number, out: Uint8Array): number {
    if (out.length === 0) return 0;
    if (addr <= 0 || out.length > MAX_READ || !Number.isSafeInteger(addr)) return -14;
    const r = asNumber(
      native.processVmReadv(this.pid, [{ base: out, len: out.length }], 1, [{ base: addr, len: out.length }], 1, 0),
    );
    if (r >= 0) return r;
    const e = errno();
    // Fall back to /proc/PID/mem (e.g. kernels where process_vm_readv is restricted).
    try {
      return readSync(this.memFd(), out, 0, out.length, addr);
    } catch {
      return -e;
    }
  }

  /** Writes `data` at `addr` (works on read-only text pages). */
  write(addr: number, data: Uint8Array): void {
    let n: number;
    try {
      n = writeSync(this.memFd(), data, 0, data.length, addr);
    } catch (e) {
      throw new MemoryError(addr, data.length, (e as Error).message);
    }
    if (n !== data.length) throw new MemoryError(addr, data.length, `wrote ${n} bytes`);
  }

  close(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        /* already gone */
      }
      this.fd = undefined;
    }
  }
}

export { PtraceError };

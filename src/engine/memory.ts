/**
 * Bulk access to a traced process's memory: process_vm_readv for reads,
 * /proc/PID/mem for writes (it can write into read-only code pages, which
 * process_vm_writev cannot).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { asNumber, errno, native } from './libc.js';

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
    const r = asNumber(native.processVmReadv(this.pid, [{ base: out, len: out.length }], 1, [{ base: addr, len: out.length }], 1, 0));
    if (r >= 0) return r;
    const e = errno();
    // Fall back to /proc/PID/mem (e.g. kernels where process_vm_readv is restricted).
    try {
      return readSync(this.memFd(), out, 0, out.length, addr);
    } catch {
      return -e;
    }
  }

  /**
   * Reads `len` bytes at each address into one buffer (block i at i·len) with as
   * few system calls as possible (process_vm_readv takes up to 1024 remote
   * ranges at once). An unreadable block is left zero.
   */
  readMany(addrs: readonly number[], len: number, out: Uint8Array): void {
    const BATCH = 1024;
    let done = 0;
    while (done < addrs.length) {
      const n = Math.min(BATCH, addrs.length - done);
      const remote = new Array(n);
      for (let i = 0; i < n; i++) remote[i] = { base: addrs[done + i]!, len };
      const local = out.subarray(done * len, (done + n) * len);
      const r = asNumber(native.processVmReadv(this.pid, [{ base: local, len: local.length }], 1, remote, n, 0));
      const whole = r < 0 ? 0 : Math.floor(r / len);
      done += whole;
      if (whole < n) {
        // This range failed (or was partly readable): read it alone, zero what is not there.
        const block = out.subarray(done * len, (done + 1) * len);
        const got = this.readInto(addrs[done]!, block);
        block.fill(0, Math.max(0, got));
        done++;
      }
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

/**
 * Bulk access to a traced process's memory: process_vm_readv for reads,
 * /proc/PID/mem for writes (it can write into read-only code pages, which
 * process_vm_writev cannot).
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { addressOf, asNumber, errno, native } from './libc.js';

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

/**
 * Reads up to this size go through one buffer of ours whose iovecs are built once:
 * koffi marshalling two iovec objects cost ≈ 5 µs of a ≈ 8.5 µs read of 16 bytes
 * (the system call itself ≈ 3.5 µs on a loaded 2-core machine), and the hit path
 * of a breakpoint condition reads a few words.
 */
const SMALL_READ = 4096;

export class ProcessMemory {
  private fd: number | undefined;
  /** Writes so far: what was read before a write may be stale. */
  writes = 0;
  private readonly small = new Uint8Array(SMALL_READ);
  /** struct iovec { base, len } as 32-bit halves: ours (fixed base) and the remote one (written per read). */
  private readonly localIov = new Uint32Array(4);
  private readonly remoteIov = new Uint32Array(16);

  constructor(readonly pid: number) {
    const base = addressOf(this.small);
    this.localIov[0] = Number(base & 0xffffffffn);
    this.localIov[1] = Number(base >> 32n);
  }

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
    if (out.length <= SMALL_READ) {
      const r = this.readSmall(addr, out.length);
      if (r >= 0) {
        if (r <= 16) for (let i = 0; i < r; i++) out[i] = this.small[i]!;
        else out.set(this.small.subarray(0, r));
        return r;
      }
    } else {
      const r = asNumber(native.processVmReadv(this.pid, [{ base: out, len: out.length }], 1, [{ base: addr, len: out.length }], 1, 0));
      if (r >= 0) return r;
    }
    const e = errno();
    // Fall back to /proc/PID/mem (e.g. kernels where process_vm_readv is restricted).
    try {
      return readSync(this.memFd(), out, 0, out.length, addr);
    } catch {
      return -e;
    }
  }

  /** process_vm_readv of `len` (≤ SMALL_READ) bytes at addr into this.small: the count read, or -1. */
  private readSmall(addr: number, len: number): number {
    const l = this.localIov;
    const r = this.remoteIov;
    l[2] = len;
    r[0] = addr >>> 0;
    r[1] = Math.floor(addr / 0x100000000);
    r[2] = len;
    return asNumber(native.processVmReadvRaw(this.pid, l, 1, r, 1, 0));
  }

  /**
   * Up to four ranges in one system call, into out[0…) one after the other (at
   * most SMALL_READ bytes in all): `ranges` holds (address, length) pairs. Returns
   * how many bytes were read in that order, up to the first unreadable one, or -1.
   */
  readRanges(ranges: readonly number[], out: Uint8Array): number {
    const r = this.remoteIov;
    let total = 0;
    const count = ranges.length >> 1;
    if (count > 4) return -1;
    for (let i = 0; i < count; i++) {
      const a = ranges[2 * i]!;
      const len = ranges[2 * i + 1]!;
      if (!(a > 0 && Number.isSafeInteger(a))) return -1;
      r[4 * i] = a >>> 0;
      r[4 * i + 1] = Math.floor(a / 0x100000000);
      r[4 * i + 2] = len;
      total += len;
    }
    if (total > SMALL_READ || out.length < total) return -1;
    this.localIov[2] = total;
    const n = asNumber(native.processVmReadvRaw(this.pid, this.localIov, 1, r, count, 0));
    if (n > 0) out.set(this.small.subarray(0, n));
    return n;
  }

  /**
   * Reads `len` bytes at each address into one buffer (block i at i·len) with as
   * few system calls as possible (process_vm_readv takes up to 1024 remote
   * ranges at once). An unreadable block is left zero.
   */
  readMany(addrs: readonly number[], len: number, out: Uint8Array): void {
    const BATCH = 1024;
    // struct iovec[] as 32-bit halves: 100,000 ranges as objects cost ≈ 70 ms of marshalling, as one typed array none.
    const remote = new Uint32Array(4 * Math.min(BATCH, addrs.length));
    let done = 0;
    while (done < addrs.length) {
      const n = Math.min(BATCH, addrs.length - done);
      for (let i = 0; i < n; i++) {
        // An impossible address reads as 0: that range fails and its block is left zero.
        const a = addrs[done + i]! > 0 && Number.isSafeInteger(addrs[done + i]) ? addrs[done + i]! : 0;
        remote[4 * i] = a >>> 0;
        remote[4 * i + 1] = Math.floor(a / 0x100000000);
        remote[4 * i + 2] = len;
        remote[4 * i + 3] = 0;
      }
      const local = out.subarray(done * len, (done + n) * len);
      const r = asNumber(native.processVmReadvRanges(this.pid, [{ base: local, len: local.length }], 1, remote, n, 0));
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
    this.writes++;
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

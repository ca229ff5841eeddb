/**
 * The attach target of the endings, fuzz and storm tests (testdata/service):
 * start it, watch its output, and compare its code in memory with its file.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { adapterMain } from '../support/adapterClient.js';
import { buildFixture, testdataDir } from '../support/goBuild.js';

export const serviceSource = join(testdataDir, 'service', 'main.go');
/** `v := i * 2` in work(), run about every millisecond by the worker goroutine. */
export const WORK_LINE = 18;
/** `fmt.Println("rare")` in rare(), run only on SIGUSR1. */
export const RARE_LINE = 24;

export interface Service {
  proc: ChildProcess;
  pid: number;
  binary: string;
  out: () => string;
  /** Exit code and signal once it ended. */
  exit: () => { code: number | null; signal: NodeJS.Signals | null } | undefined;
  ticks: () => number[];
  kill(): void;
}

export async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts testdata/service and waits for its first ticks. */
export async function startService(): Promise<Service> {
  const binary = buildFixture('service');
  const proc = spawn(binary, [], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
  let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  proc.on('exit', (code, signal) => (exit = { code, signal }));
  const ticks = () => [...out.matchAll(/tick (\d+) work/g)].map((m) => Number(m[1]));
  await until(() => ticks().length >= 2, 15_000, 'the service to print');
  return { proc, pid: proc.pid!, binary, out: () => out, exit: () => exit, ticks, kill: () => proc.kill('SIGKILL') };
}

/** Address, file offset and size of `.text`, from the ELF section headers (read here, not by our decoders). */
export function elfText(binary: string): { addr: number; offset: number; size: number } {
  const f = readFileSync(binary);
  const shoff = Number(f.readBigUInt64LE(0x28));
  const shentsize = f.readUInt16LE(0x3a);
  const shnum = f.readUInt16LE(0x3c);
  const shstrndx = f.readUInt16LE(0x3e);
  const sh = (i: number) => shoff + i * shentsize;
  const strOff = Number(f.readBigUInt64LE(sh(shstrndx) + 0x18));
  for (let i = 0; i < shnum; i++) {
    const nameOff = f.readUInt32LE(sh(i));
    const end = f.indexOf(0, strOff + nameOff);
    if (f.toString('latin1', strOff + nameOff, end) !== '.text') continue;
    return { addr: Number(f.readBigUInt64LE(sh(i) + 0x10)), offset: Number(f.readBigUInt64LE(sh(i) + 0x18)), size: Number(f.readBigUInt64LE(sh(i) + 0x20)) };
  }
  throw new Error(`${binary} has no .text`);
}

/** `len` bytes really in the process's memory at `addr` (through /proc/PID/mem: our int3s not hidden). */
export function procMemory(pid: number, addr: number, len: number): Buffer {
  const fd = openSync(`/proc/${pid}/mem`, 'r');
  try {
    const b = Buffer.alloc(len);
    assert.equal(readSync(fd, b, 0, len, addr), len);
    return b;
  } finally {
    closeSync(fd);
  }
}

/**
 * Asserts that the running process's `.text` (read through /proc/PID/mem) is
 * byte for byte the file's: no int3 of ours left behind.
 */
export function assertTextRestored(s: { pid: number; binary: string }): void {
  const t = elfText(s.binary);
  const file = readFileSync(s.binary).subarray(t.offset, t.offset + t.size);
  const mem = procMemory(s.pid, t.addr, t.size);
  const diff: string[] = [];
  for (let i = 0; i < t.size && diff.length < 5; i++)
    if (mem[i] !== file[i]) diff.push(`0x${(t.addr + i).toString(16)}: 0x${mem[i]!.toString(16)} != 0x${file[i]!.toString(16)}`);
  assert.deepEqual(diff, [], 'the code in memory differs from the file');
}

/**
 * Asserts the service lives on on its own: more ticks, the worker goroutine
 * still working, and rare() (a breakpoint was there) runs on SIGUSR1.
 */
export async function assertRunsOn(s: Service): Promise<void> {
  const ticks = s.ticks().length;
  const work = () => Number([...s.out().matchAll(/work (\d+)/g)].at(-1)?.[1] ?? 0);
  const w0 = work();
  await until(() => s.ticks().length >= ticks + 10 || s.exit() !== undefined, 10_000, 'ticks after the adapter ended');
  assert.equal(s.exit(), undefined, `the program died: ${JSON.stringify(s.exit())}\n${s.out().slice(-500)}`);
  assert.ok(work() > w0, 'the worker goroutine goes on');
  const rares = (s.out().match(/^rare$/gm) ?? []).length;
  s.proc.kill('SIGUSR1');
  await until(() => (s.out().match(/^rare$/gm) ?? []).length > rares || s.exit() !== undefined, 10_000, 'rare() after SIGUSR1');
  assert.equal(s.exit(), undefined, `the program died in rare(): ${JSON.stringify(s.exit())}\n${s.out().slice(-500)}`);
  const all = s.ticks();
  assert.deepEqual(
    all,
    all.map((_, i) => i + 1),
    'ticks are consecutive',
  );
}

/** A DebugClient over a new stdio adapter process; `fault` preloads adapterFaults.js (SIGUSR2 throws). */
export async function stdioClient(fault?: 'exception' | 'rejection'): Promise<{ dc: DebugClient; adapter: ChildProcess }> {
  const env = { ...process.env };
  if (fault) {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import ${join(import.meta.dirname, 'adapterFaults.js')}`;
    env.GDA_TEST_FAULT = fault;
  }
  const dc = new DebugClient(process.execPath, adapterMain, 'go-debug', { env }, true);
  await dc.start();
  const adapter = (dc as unknown as { _adapterProcess: ChildProcess })._adapterProcess;
  return { dc, adapter };
}

/** Resolves when the process has exited (at once if it has). */
export function exited(p: ChildProcess, ms = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve({ code: p.exitCode, signal: p.signalCode });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`process ${p.pid} did not exit in ${ms} ms`)), ms);
    p.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/**
 * The floor: what the kernel costs, seen from Node through our own engine
 * (src/engine), on a traced busy loop. No DAP, no adapter: the lower bound any
 * workload could reach.
 *
 *   floor.step           PTRACE_SINGLESTEP + waitpid: one stop→resume round trip, unpinned (as the adapters run)
 *   floor.step.sameCpu   the same with Node's main thread and the tracee pinned to one CPU
 *   floor.step.otherCpu  … pinned to two different CPUs (a cross-CPU wake-up each way)
 *   floor.readv4k        one process_vm_readv of 4 KiB (ProcessMemory.readInto)
 *   floor.procmem4k      one pread of 4 KiB from /proc/PID/mem
 *
 * The unpinned round trip is bimodal on a 2-core VM (≈18 µs when the scheduler keeps both
 * on one CPU, ≈70–90 µs across CPUs), hence the pinned variants (through `taskset`, skipped
 * when it is missing or there is one CPU).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { cpus } from 'node:os';
import { procState } from '../../src/engine/procfs.js';
import { __WALL, PTRACE_EVENT_EXEC, PTRACE_EVENT_STOP, PTRACE_O_EXITKILL, PTRACE_O_TRACEEXEC } from '../../src/engine/libc.js';
import { ProcessMemory } from '../../src/engine/memory.js';
import { cont, interrupt, kill, seize, singleStep, waitpid } from '../../src/engine/ptrace.js';
import { spawnStopped } from '../../src/engine/spawn.js';
import { decodeWaitStatus } from '../../src/engine/waitStatus.js';
import type { FloorResult } from './report.js';

const SIGKILL = 9;
const SIGTRAP = 5;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function medianUs(ns: bigint[]): number {
  const s = ns.map((x) => Number(x) / 1000).sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

/** Waits (blocking) for the next stop of `pid`; returns its signal and ptrace event. */
function nextStop(pid: number): { signal: number; event: number } {
  const [, status] = waitpid(pid, __WALL);
  const ev = decodeWaitStatus(status);
  if (ev.kind !== 'stopped') throw new Error(`floor tracee ended: ${JSON.stringify(ev)}`);
  return ev;
}

/** Stops the running tracee and waits until that stop (not some other) has arrived. */
function stopRunning(pid: number): void {
  interrupt(pid);
  for (;;) {
    const ev = nextStop(pid);
    if (ev.event === PTRACE_EVENT_STOP) return;
    cont(pid, ev.signal === SIGTRAP ? 0 : ev.signal);
  }
}

/** Median µs of `iterations` single-step round trips of the stopped tracee `pid`. */
function stepUs(pid: number, iterations: number): number {
  const step: bigint[] = [];
  for (let i = 0; i < iterations; i++) {
    const t0 = process.hrtime.bigint();
    singleStep(pid);
    const ev = nextStop(pid);
    step.push(process.hrtime.bigint() - t0);
    if (ev.signal !== SIGTRAP) throw new Error(`unexpected signal ${ev.signal} while stepping`);
  }
  return medianUs(step);
}

/** CPU list a thread may run on (e.g. "0-1"), from /proc. */
function affinityOf(tid: number): string | undefined {
  try {
    return /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/${process.pid}/task/${tid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** Sets one thread's CPU affinity with taskset; false when that is not possible. */
function pin(tid: number, cpuList: string): boolean {
  try {
    execFileSync('taskset', ['-pc', cpuList, String(tid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** First readable mapping of `pid` with at least 4 KiB. */
function readableAddress(pid: number): number {
  for (const line of readFileSync(`/proc/${pid}/maps`, 'utf8').split('\n')) {
    const m = /^([0-9a-f]+)-([0-9a-f]+) r/.exec(line);
    if (m && parseInt(m[2]!, 16) - parseInt(m[1]!, 16) >= 4096) return parseInt(m[1]!, 16);
  }
  throw new Error('no readable mapping in the floor tracee');
}

/** Measures the floor; `iterations` per probe (median reported). */
export function measureFloor(iterations = 2000): FloorResult[] {
  const sp = spawnStopped({ program: '/bin/sh', args: ['-c', 'while :; do :; done'], env: { PATH: '/usr/bin:/bin' } });
  const pid = sp.pid;
  try {
    for (let i = 0; procState(pid) !== 'T'; i++) {
      if (i > 5000) throw new Error('floor tracee never stopped');
      sleepSync(1);
    }
    seize(pid, PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL);
    if (nextStop(pid).event !== PTRACE_EVENT_STOP) throw new Error('expected the seize stop');
    cont(pid);
    if (nextStop(pid).event !== PTRACE_EVENT_EXEC) throw new Error('expected the exec stop');
    cont(pid);
    sleepSync(30); // into the loop
    stopRunning(pid);

    const results: FloorResult[] = [
      { name: 'floor.step', unit: 'us', value: stepUs(pid, iterations), what: 'PTRACE_SINGLESTEP + waitpid (one stop→resume round trip), unpinned' },
    ];
    const ownAffinity = affinityOf(process.pid);
    if (ownAffinity && cpus().length >= 2) {
      try {
        if (pin(process.pid, '0') && pin(pid, '0')) {
          results.push({ name: 'floor.step.sameCpu', unit: 'us', value: stepUs(pid, iterations), what: '… tracer and tracee pinned to one CPU' });
        }
        if (pin(pid, '1')) {
          results.push({ name: 'floor.step.otherCpu', unit: 'us', value: stepUs(pid, iterations), what: '… pinned to two CPUs' });
        }
      } finally {
        pin(process.pid, ownAffinity);
      }
    }

    const addr = readableAddress(pid);
    const mem = new ProcessMemory(pid);
    const buf = new Uint8Array(4096);
    const readv: bigint[] = [];
    for (let i = 0; i < iterations; i++) {
      const t0 = process.hrtime.bigint();
      const n = mem.readInto(addr, buf);
      readv.push(process.hrtime.bigint() - t0);
      if (n !== 4096) throw new Error(`process_vm_readv read ${n} bytes`);
    }
    mem.close();

    const fd = openSync(`/proc/${pid}/mem`, 'r');
    const pread: bigint[] = [];
    try {
      for (let i = 0; i < iterations; i++) {
        const t0 = process.hrtime.bigint();
        readSync(fd, buf, 0, 4096, addr);
        pread.push(process.hrtime.bigint() - t0);
      }
    } finally {
      closeSync(fd);
    }

    results.push(
      { name: 'floor.readv4k', unit: 'us', value: medianUs(readv), what: 'process_vm_readv of 4 KiB' },
      { name: 'floor.procmem4k', unit: 'us', value: medianUs(pread), what: 'pread of 4 KiB from /proc/PID/mem' },
    );
    return results;
  } finally {
    try {
      kill(pid, SIGKILL);
      for (;;) {
        const [, status] = waitpid(pid, __WALL);
        if (decodeWaitStatus(status).kind !== 'stopped') break;
      }
    } catch {
      /* already reaped */
    }
    closeSync(sp.stdoutFd);
    closeSync(sp.stderrFd);
  }
}

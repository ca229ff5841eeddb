/** What /proc says about a process: its threads and its scheduler state. */
import { readdirSync, readFileSync } from 'node:fs';

export function listThreads(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`)
      .map(Number)
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

/** Process state letter from /proc/PID/stat ('R', 'S', 'T', 't', 'Z', …). */
export function procState(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2, s.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** Waits (polling) until the process has stopped itself (state T), as our start wrapper does. */
export async function waitForStopState(pid: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    const st = procState(pid);
    if (st === 'T') return;
    if (st === undefined || st === 'Z') throw new Error('the program exited before it could be traced');
    await new Promise((r) => setTimeout(r, i < 50 ? 0 : 2));
  }
  throw new Error('timed out waiting for the program to start');
}

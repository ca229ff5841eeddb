/**
 * The process tree of an adapter, read from /proc: its descendants, which of them
 * is the debuggee, and the peak resident memory (VmHWM) of the adapter's own
 * processes with the debuggee (and anything it started) left out.
 */
import { readdirSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';

/** Parent pid of `pid` from /proc/PID/stat, or undefined when it is gone. */
function parentOf(pid: number): number | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

/** All live descendants of `root` (children first, then theirs), not `root` itself. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    const ppid = parentOf(pid);
    if (ppid === undefined) continue;
    const list = children.get(ppid);
    if (list) list.push(pid);
    else children.set(ppid, [pid]);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const c of children.get(queue.shift()!) ?? []) {
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

function exeOf(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/exe`);
  } catch {
    return undefined;
  }
}

/**
 * CPU time (user + system, all threads) a process has used, in ms (10 ms steps), or
 * undefined: on a loaded machine the time a request costs, where wall time is mostly waiting.
 */
export function cpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name: utime and stime are fields 14 and 15.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

/** VmHWM of one process in KiB (0 when unreadable). */
export function vmHwmKiB(pid: number): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface TreeMemory {
  /** Sum of VmHWM over the adapter's processes, in KiB. */
  kib: number;
  /** The processes counted. */
  counted: number[];
  /** Their command lines (NULs as spaces, executable shortened to its base name). */
  names: string[];
  /** The debuggee processes (and their descendants) left out. */
  excluded: number[];
}

/**
 * Peak RSS of the adapter process `root` and its descendants, excluding every
 * process whose executable is `debuggee` and everything below it. (Threads share
 * their process's VmHWM, so the debuggee's threads are excluded with it.)
 */
export function adapterPeakRss(root: number, debuggee: string): TreeMemory {
  let target = debuggee;
  try {
    target = realpathSync(debuggee);
  } catch {
    /* compare as given */
  }
  const desc = descendants(root);
  const excluded = new Set<number>();
  for (const pid of desc) {
    const exe = exeOf(pid);
    if (exe === target || exe === debuggee) {
      excluded.add(pid);
      for (const d of descendants(pid)) excluded.add(d);
    }
  }
  const counted = [root, ...desc.filter((p) => !excluded.has(p))];
  return { kib: counted.reduce((sum, p) => sum + vmHwmKiB(p), 0), counted, names: counted.map(commandOf), excluded: [...excluded] };
}

function commandOf(pid: number): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    return argv.map((a) => (a.startsWith('/') ? a.split('/').pop()! : a)).join(' ') || '?';
  } catch {
    return '?';
  }
}

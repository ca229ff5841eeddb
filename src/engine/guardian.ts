/**
 * The guardian of an attached program: a small Node process, started at
 * attach, that holds the original bytes under every int3 we write (sent over
 * its stdin as breakpoints change) and writes them back through
 * /proc/PID/mem the moment that pipe closes without a `release` first — that
 * is, when the adapter died without detaching (SIGKILL, the OOM killer).
 *
 * What the kernel does that this relies on (Linux 6.x, measured):
 *  - a process may write another's /proc/PID/mem when it may ptrace it
 *    (PTRACE_MODE_ATTACH: same uid and Yama ptrace_scope ≤ 1 for a
 *    descendant…, or root); it need not be the tracer, and the target being
 *    traced by someone else does not stop the write;
 *  - when the tracer dies its tracees are detached by the kernel; a thread
 *    in an event stop (PTRACE_EVENT_STOP) resumes with no signal, but a thread
 *    in a SIGTRAP signal-delivery stop gets that SIGTRAP delivered, and Go
 *    dies of it ("SIGTRAP: trace trap") — see trapParking.ts;
 *  - the dying adapter's pipe closes (exit_files) at about the time its
 *    tracees are detached (exit_notify): a thread that runs into an int3 in
 *    between gets SIGTRAP too. The guardian narrows that window, it cannot close it.
 *
 * The guardian runs detached (own session: a terminal's SIGINT/SIGHUP does
 * not reach it) and checks the process's start time before writing, so a
 * recycled PID is never written.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The guardian's program, run with `node -e` (so it works from the esbuild bundle too). */
const GUARDIAN_SOURCE = String.raw`
const fs = require('fs');
const pid = Number(process.argv[1]);
const started = process.argv[2];
const saved = new Map();
let released = false;
let rest = '';
function startTime() {
  try {
    const s = fs.readFileSync('/proc/' + pid + '/stat', 'latin1');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19];
  } catch (e) { return undefined; }
}
// Opened now, so the restore is only writes (and bound to this process, whatever its PID becomes).
let fd;
try { fd = fs.openSync('/proc/' + pid + '/mem', 'r+'); } catch (e) {}
function restore() {
  if (released || saved.size === 0 || startTime() !== started) process.exit(0);
  if (fd === undefined) {
    try { fd = fs.openSync('/proc/' + pid + '/mem', 'r+'); } catch (e) { process.exit(3); }
  }
  for (const [addr, hex] of saved) {
    const b = Buffer.from(hex, 'hex');
    try { fs.writeSync(fd, b, 0, b.length, addr); } catch (e) {}
  }
  process.exit(0);
}
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.stdin.setEncoding('latin1');
process.stdin.on('data', (d) => {
  rest += d;
  for (let i; (i = rest.indexOf('\n')) >= 0; ) {
    const [op, a, hex] = rest.slice(0, i).split(' ');
    rest = rest.slice(i + 1);
    if (op === 's') saved.set(Number(a), hex);
    else if (op === 'f') saved.delete(Number(a));
    else if (op === 'r') released = true;
  }
});
process.stdin.on('end', restore);
process.stdin.on('close', restore);
`;

/** Field 22 of /proc/PID/stat: the start time, in clock ticks after boot. */
export function processStartTime(pid: number): string | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return s.slice(s.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

export class Guardian {
  private constructor(private readonly child: ChildProcess) {}

  /** Starts a guardian for `pid`; undefined when it cannot be started (the session goes on without one). */
  static start(pid: number): Guardian | undefined {
    const started = processStartTime(pid);
    if (started === undefined) return undefined;
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, ['-e', GUARDIAN_SOURCE, String(pid), started], {
        stdio: ['pipe', 'ignore', 'ignore'],
        detached: true,
        // Inside VS Code's extension host process.execPath is Electron: run it as Node.
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
    } catch {
      return undefined;
    }
    child.on('error', () => {});
    child.stdin?.on('error', () => {});
    child.unref();
    (child.stdin as unknown as { unref?: () => void })?.unref?.();
    return new Guardian(child);
  }

  /** Bytes to write back at `addr` should the adapter die attached. */
  save(addr: number, original: Uint8Array): void {
    this.send(`s ${addr} ${Buffer.from(original).toString('hex')}\n`);
  }

  /** `addr` holds its original bytes again. */
  forget(addr: number): void {
    this.send(`f ${addr}\n`);
  }

  /** The program was let go cleanly: the guardian ends without writing. */
  release(): void {
    this.send('r\n');
    this.child.stdin?.end();
  }

  private send(line: string): void {
    const s = this.child.stdin;
    if (s && !s.destroyed && s.writable) s.write(line);
  }
}

/**
 * Starting a debuggee without libuv knowing it (libuv's SIGCHLD reaping would steal
 * ptrace stops): posix_spawn of `/bin/sh -c 'kill -STOP $$; exec "$0" "$@"' program args…`
 * in its own process group, default signal dispositions, empty mask, stdio on pipes.
 */
import { closeSync, openSync } from 'node:fs';
import * as C from './libc.js';
import { errno, errnoName, native } from './libc.js';

export interface SpawnOptions {
  program: string;
  args: string[];
  /** Full environment of the new process. */
  env: Record<string, string>;
  cwd?: string;
  /** 'pipe': stdout/stderr on pipes returned to the caller; stdin from /dev/null unless stdinFd is given. */
  stdinFd?: number;
}

export interface Spawned {
  pid: number;
  /** Read ends of the stdout / stderr pipes (owned by the caller). */
  stdoutFd: number;
  stderrFd: number;
}

/** Prefix that makes the shell stop itself, so we can attach before the program's first instruction. */
export const STOP_BEFORE_EXEC = 'kill -STOP $$; exec "$0" "$@"';

function must(op: string, r: number): void {
  // posix_spawn* functions return an error number; others return -1 and set errno.
  if (r === -1) throw new Error(`${op} failed: ${errnoName(errno())}`);
  if (r !== 0) throw new Error(`${op} failed: ${errnoName(r)}`);
}

function makePipe(): [number, number] {
  const fds = new Int32Array(2);
  must('pipe2', native.pipe2(fds, C.O_CLOEXEC) as number);
  return [fds[0]!, fds[1]!];
}

export function spawnStopped(opts: SpawnOptions): Spawned {
  const [outR, outW] = makePipe();
  const [errR, errW] = makePipe();
  const devNull = opts.stdinFd === undefined ? openSync('/dev/null', 'r') : undefined;
  const stdin = opts.stdinFd ?? devNull!;
  const fa = Buffer.alloc(256);
  const attr = Buffer.alloc(1024);
  const sigs = Buffer.alloc(128);
  try {
    must('posix_spawn_file_actions_init', native.fileActionsInit(fa) as number);
    must('posix_spawnattr_init', native.spawnattrInit(attr) as number);
    must('adddup2', native.fileActionsAdddup2(fa, stdin, 0) as number);
    must('adddup2', native.fileActionsAdddup2(fa, outW, 1) as number);
    must('adddup2', native.fileActionsAdddup2(fa, errW, 2) as number);
    if (opts.cwd) must('addchdir', native.fileActionsAddchdir(fa, opts.cwd) as number);
    must('setflags', native.spawnattrSetflags(attr, C.POSIX_SPAWN_SETPGROUP | C.POSIX_SPAWN_SETSIGDEF | C.POSIX_SPAWN_SETSIGMASK) as number);
    must('setpgroup', native.spawnattrSetpgroup(attr, 0) as number);
    native.sigfillset(sigs);
    must('setsigdefault', native.spawnattrSetsigdefault(attr, sigs) as number);
    native.sigemptyset(sigs);
    must('setsigmask', native.spawnattrSetsigmask(attr, sigs) as number);
    const argv = ['/bin/sh', '-c', STOP_BEFORE_EXEC, opts.program, ...opts.args, null];
    const envp = [...Object.entries(opts.env).map(([k, v]) => `${k}=${v}`), null];
    const pidOut = new Int32Array(1);
    must('posix_spawn', native.posixSpawn(pidOut, '/bin/sh', fa, attr, argv, envp) as number);
    return { pid: pidOut[0]!, stdoutFd: outR, stderrFd: errR };
  } catch (e) {
    native.close(outR);
    native.close(errR);
    throw e;
  } finally {
    native.fileActionsDestroy(fa);
    native.spawnattrDestroy(attr);
    native.close(outW);
    native.close(errW);
    if (devNull !== undefined) closeSync(devNull);
  }
}

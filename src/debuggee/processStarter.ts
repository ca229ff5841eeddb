/**
 * How the debuggee gets a process: the one place above the engine that names
 * the ptrace implementation (and the core-file one). Everything else in src/debuggee sees only the
 * DebuggeeProcess seam (src/process/process.ts), so tests can start a fake.
 */
import { CoreProcess } from '../core/coreProcess.js';
import { Inferior } from '../engine/inferior.js';
import type { DebuggeeProcess, StopReason } from '../process/process.js';

/**
 * SO_PEERCRED for the adapter's Unix-socket server (src/adapter/peerCredentials.ts):
 * libc is bound only in the engine, and this file is the one door to it from above.
 */
export { type SocketPeer, socketPeerCredentials } from '../engine/socketCredentials.js';
/** Writing a core file of a stopped process (the repl's `dump`): the core-file side of this door. */
export { CoreWriteCancelled, type CoreWriteResult, writeCoreFile } from '../core/coreWriter.js';
/** Loads the native module the engine traces through (koffi), ahead of the first launch or attach. */
export { loadNative as preloadTracing } from '../engine/libc.js';
/** The shell script that stops a program before its exec, for a client that starts it (runInTerminal): we seize it then. */
export { STOP_BEFORE_EXEC } from '../engine/spawn.js';

export interface LaunchSpec {
  program: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  stdinFd?: number;
}

export interface ProcessStarter {
  /** Starts `spec.program` stopped at its first instruction, traced. */
  launch(spec: LaunchSpec): Promise<DebuggeeProcess>;
  /** Attaches to a running process (every thread stopped on return). */
  attach(pid: number): DebuggeeProcess;
  /** Takes over a process that another program started stopped (runInTerminal). */
  seize(pid: number): Promise<DebuggeeProcess>;
  /** A core file of `binary`, as a process stopped for good; with why it stopped. */
  openCore?(core: string, binary: string): { process: DebuggeeProcess; stop: StopReason };
}

export const ptraceStarter: ProcessStarter = {
  launch: (spec) => Inferior.launch(spec),
  attach: (pid) => Inferior.attach(pid),
  seize: (pid) => Inferior.seizeStopped(pid),
  openCore: (core, binary) => {
    const process = CoreProcess.open(core, binary);
    return { process, stop: process.stopReason() };
  },
};

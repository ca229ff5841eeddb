/**
 * Starting the two adapters under test, one fresh process per run:
 *
 *   dlv:  `dlv dap --listen=127.0.0.1:0`, DAP over TCP ("DAP server listening at: HOST:PORT")
 *   ours: `node dist/adapter.cjs --listen 127.0.0.1:0` over TCP ("listening at: HOST:PORT"):
 *         the executable users run (package.json `bin`: the bundle with its code cache,
 *         `npm run bundle`), when it knows --listen, else `node dist/adapter.cjs` over stdio.
 *
 * Stopping sends `disconnect` (terminateDebuggee), then makes sure the adapter and
 * every process it started are gone, killing leftovers by pid.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot } from '../support/goBuild.js';
import { DapClient } from './dapClient.js';
import { descendants } from './procTree.js';

export type AdapterName = 'ours' | 'dlv';
export type Transport = 'tcp' | 'stdio';

/** GDA_BENCH_OURS_MAIN: another entry (e.g. out/src/adapter/main.js, unbundled, for readable profiles). */
export const oursMain = process.env.GDA_BENCH_OURS_MAIN ?? join(repoRoot, 'dist', 'adapter.cjs');

export interface RunningAdapter {
  name: AdapterName;
  transport: Transport;
  client: DapClient;
  /** Pid of the adapter process. */
  pid: number;
  /** performance.now() just before the adapter process was spawned. */
  spawnedAt: number;
  /** The last few KB the adapter wrote to stderr (and stdout, for TCP). */
  log(): string;
  /** Disconnects, then kills whatever is left of the adapter's process tree. */
  stop(): Promise<void>;
}

export interface StartOptions {
  trace?: (line: string) => void;
  timeoutMs?: number;
}

/** Keeps the tail of a stream's text. */
function tailCollector(limit = 8192): { add(s: string): void; text(): string } {
  let text = '';
  return {
    add(s: string) {
      text += s;
      if (text.length > limit * 2) text = text.slice(-limit);
    },
    text: () => text.slice(-limit),
  };
}

/**
 * How our adapter can be driven: 'tcp' when its --help mentions --listen, 'stdio' when
 * it does not, or a reason it cannot run at all.
 */
export function oursTransport(): Transport | { unavailable: string } {
  if (!existsSync(oursMain)) return { unavailable: `${oursMain} is missing (bundle first: npm run bundle)` };
  try {
    const help = execFileSync(process.execPath, [oursMain, '--help'], { encoding: 'utf8', timeout: 15_000, stdio: ['ignore', 'pipe', 'pipe'] });
    return help.includes('--listen') ? 'tcp' : 'stdio';
  } catch {
    // A main.js without --help support still speaks stdio.
    return 'stdio';
  }
}

function waitForListening(proc: ChildProcess, pattern: RegExp, log: { add(s: string): void; text(): string }, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => done(new Error(`no listening line within ${timeoutMs} ms; output: ${log.text()}`)), timeoutMs);
    const onExit = (code: number | null, sig: string | null) => done(new Error(`exited (code ${code}, signal ${sig}) before listening; output: ${log.text()}`));
    const onData = (d: string) => {
      out += d;
      const m = pattern.exec(out);
      if (m) done(undefined, Number(m[1]));
    };
    function done(err?: Error, port?: number) {
      clearTimeout(timer);
      proc.off('exit', onExit);
      proc.stdout!.off('data', onData);
      if (err) reject(err);
      else resolve(port!);
    }
    proc.once('exit', onExit);
    proc.stdout!.on('data', onData);
  });
}

function connectTcp(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port });
    sock.setNoDelay(true);
    sock.once('connect', () => {
      sock.off('error', reject);
      resolve(sock);
    });
    sock.once('error', reject);
  });
}

function exited(proc: ChildProcess): boolean {
  return proc.exitCode !== null || proc.signalCode !== null;
}

function waitExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (exited(proc)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    proc.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function makeStop(proc: ChildProcess, client: DapClient, close: () => void): () => Promise<void> {
  return async () => {
    const pid = proc.pid!;
    // Remember who the adapter started, to clean up by pid if it leaves them behind.
    const tree = exited(proc) ? [] : descendants(pid);
    if (!client.closed) {
      try {
        await client.request('disconnect', { terminateDebuggee: true }, 5000);
      } catch {
        /* the adapter may hang up first, or not know disconnect */
      }
    }
    close();
    if (!(await waitExit(proc, 3000))) proc.kill('SIGKILL');
    await waitExit(proc, 3000);
    for (const p of [...tree, ...descendants(pid)]) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
}

/** Starts `dlv dap` and connects to it over TCP. */
export async function startDelve(dlv: string, opts: StartOptions = {}): Promise<RunningAdapter> {
  const spawnedAt = performance.now();
  const proc = spawn(dlv, ['dap', '--listen=127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const log = tailCollector();
  proc.stdout!.setEncoding('utf8').on('data', (d: string) => log.add(d));
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => log.add(d));
  try {
    const port = await waitForListening(proc, /DAP server listening at: [^\s]*:(\d+)/, log, opts.timeoutMs ?? 30_000);
    const sock = await connectTcp(port);
    const client = new DapClient(sock, sock, () => `dlv: ${log.text().slice(-1000)}`, opts.trace);
    return { name: 'dlv', transport: 'tcp', client, pid: proc.pid!, spawnedAt, log: log.text, stop: makeStop(proc, client, () => sock.destroy()) };
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
}

/** Starts our adapter over `transport`. */
export async function startOurs(transport: Transport, opts: StartOptions = {}): Promise<RunningAdapter> {
  const spawnedAt = performance.now();
  // GDA_BENCH_NODE_FLAGS: extra node flags for our adapter, e.g. "--cpu-prof --cpu-prof-dir=DIR" to profile a workload.
  const flags = (process.env.GDA_BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const args = [...flags, oursMain, ...(transport === 'tcp' ? ['--listen', '127.0.0.1:0'] : [])];
  const proc = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const log = tailCollector();
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => log.add(d));
  const describe = () => {
    const code = exited(proc) ? ` (adapter exited: code ${proc.exitCode}, signal ${proc.signalCode})` : '';
    return `ours${code}: ${log.text().slice(-1000)}`;
  };
  try {
    if (transport === 'stdio') {
      const client = new DapClient(proc.stdout!, proc.stdin!, describe, opts.trace);
      return {
        name: 'ours',
        transport,
        client,
        pid: proc.pid!,
        spawnedAt,
        log: log.text,
        stop: makeStop(proc, client, () => proc.stdin!.end()),
      };
    }
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => log.add(d));
    const port = await waitForListening(proc, /listening at: [^\s]*:(\d+)/, log, opts.timeoutMs ?? 30_000);
    const sock = await connectTcp(port);
    const client = new DapClient(sock, sock, describe, opts.trace);
    // The server outlives a session: stopping kills it once the session is over.
    const stop = makeStop(proc, client, () => {
      sock.destroy();
      proc.kill('SIGTERM');
    });
    return { name: 'ours', transport, client, pid: proc.pid!, spawnedAt, log: log.text, stop };
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
}

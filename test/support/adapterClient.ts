/**
 * Starts the real adapter (out/src/adapter/main.js) for end-to-end tests, over
 * stdio or over TCP (`--listen 127.0.0.1:0`), and returns a connected DebugClient.
 *
 *   const { dc, close } = await startAdapterClient();            // stdio, or $GDA_DAP_TRANSPORT
 *   const { dc, close } = await startAdapterClient({ transport: 'tcp' });
 *
 * Setting GDA_DAP_TRANSPORT=tcp reruns a DAP suite that uses this helper over
 * TCP: one server per test process, one connection per client.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { repoRoot } from './goBuild.js';

/** GDA_ADAPTER_MAIN reruns the suites on another build of the adapter, e.g. dist/adapter.cjs (the bundle). */
export const adapterMain = process.env.GDA_ADAPTER_MAIN ?? join(repoRoot, 'out', 'src', 'adapter', 'main.js');

export type Transport = 'stdio' | 'tcp';

export interface AdapterServer {
  proc: ChildProcess;
  host: string;
  port: number;
  /** The socket's path when listening on unix:PATH. */
  path?: string;
  /** Everything the server wrote to stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `node main.js --listen <listen>` and resolves once it prints
 * `listening at: HOST:PORT`. Rejects with the server's stderr if it exits or
 * stays silent for `timeoutMs`.
 *
 * The server runs under a small shell that kills it when our stdin pipe to it
 * closes: on stop(), and also when this test process dies without cleaning up
 * (killed by a timeout), so no server outlives its tests. The shell waits for
 * the server, so `proc` exits exactly when the server does.
 */
export function startAdapterServer(listen = '127.0.0.1:0', timeoutMs = 10_000, extraArgs: string[] = [], command: string[] = []): Promise<AdapterServer> {
  // (An asynchronous list's stdin is /dev/null in sh: hand the pipe over as fd 3.)
  // `command` runs the adapter under another program that execs it (e.g. setpriv, as another user).
  const script = 'exec 3<&0 </dev/null; "$@" 3<&- & pid=$!; (read _ <&3; kill $pid 2>/dev/null) & exec 3<&-; wait $pid';
  const argv = [...command, process.execPath, adapterMain, '--listen', listen, ...extraArgs];
  const proc = spawn('/bin/sh', ['-c', script, 'sh', ...argv], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      proc.stdin!.end();
      reject(new Error(`adapter server ${why}; stdout: ${JSON.stringify(out)}; stderr: ${JSON.stringify(err)}`));
    };
    const timer = setTimeout(() => fail(`printed no "listening at:" line within ${timeoutMs} ms`), timeoutMs);
    proc.once('exit', (code, sig) => fail(`exited (code ${code}, signal ${sig})`));
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const m = /^listening at: (?:unix:(\S+)|(\[[^\]]+\]|[^\s:]+):(\d+))$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      resolve({
        proc,
        host: m[1] ?? m[2].replace(/^\[|\]$/g, ''),
        port: m[1] ? 0 : Number(m[3]),
        path: m[1],
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return done();
            proc.once('exit', () => done());
            proc.stdin!.end(); // the watchdog kills the server, the shell then exits
          }),
      });
    });
  });
}

let sharedServer: Promise<AdapterServer> | undefined;

export interface StartedClient {
  dc: DebugClient;
  transport: Transport;
  /** Ends the client (disconnect if still connected) and, in stdio mode, the adapter process. */
  close(): Promise<void>;
}

/** A started DebugClient for the real adapter. In TCP mode all clients of a process share one server. */
export async function startAdapterClient(opts: { transport?: Transport } = {}): Promise<StartedClient> {
  const transport: Transport = opts.transport ?? (process.env.GDA_DAP_TRANSPORT === 'tcp' ? 'tcp' : 'stdio');
  const dc = new DebugClient(process.execPath, adapterMain, 'go-debug', undefined, true);
  if (transport === 'tcp') {
    if (!sharedServer) {
      sharedServer = startAdapterServer();
      const s = await sharedServer;
      // Don't let the shared server keep the test process alive.
      s.proc.unref();
      for (const pipe of [s.proc.stdin, s.proc.stdout, s.proc.stderr]) (pipe as unknown as Socket).unref();
    }
    // Our own socket, not dc.start(port): DebugClient turns off every waitForEvent
    // timeout when it owns a socket ("debugging the tests"), so a missing event would hang.
    const socket = connect((await sharedServer).port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => socket.once('connect', () => resolve()).once('error', reject));
    (dc as unknown as ClientInternals).connect(socket, socket);
    sockets.set(dc, socket);
  } else {
    await dc.start();
    // The adapter may exit as soon as it has answered disconnect (or on a fault a test provokes):
    // a late write to its stdin then fails with EPIPE, which is no test failure.
    (dc as unknown as ClientInternals)._adapterProcess?.stdin?.on('error', () => undefined);
  }
  return { dc, transport, close: () => closeClient(dc) };
}

/** DebugClient's private parts that close() needs. */
interface ClientInternals {
  _adapterProcess?: ChildProcess | null;
  stopAdapter(): void;
  connect(readable: NodeJS.ReadableStream, writable: NodeJS.WritableStream): void;
}

/** TCP connections of clients started by startAdapterClient. */
const sockets = new WeakMap<DebugClient, Socket>();

/**
 * Sends `disconnect` unless the adapter is already gone (DebugClient.stop()
 * would wait forever for the response of a dead stdio adapter), then closes
 * the connection or kills the adapter process.
 */
async function closeClient(dc: DebugClient): Promise<void> {
  const inner = dc as unknown as ClientInternals;
  const proc = inner._adapterProcess;
  const dead = proc != null && (proc.exitCode !== null || proc.signalCode !== null);
  if (!dead) {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([dc.disconnectRequest({}).catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
  }
  inner.stopAdapter();
  const socket = sockets.get(dc);
  if (socket) {
    sockets.delete(dc);
    if (!socket.destroyed) {
      // The server closes its side when we close ours; don't wait on a wedged one.
      const timer = setTimeout(() => socket.destroy(), 3000);
      await new Promise<void>((resolve) => socket.once('close', () => resolve()).end());
      clearTimeout(timer);
    }
  }
}

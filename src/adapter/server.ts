/**
 * The TCP mode of the adapter (`go-debug-adapter --listen HOST:PORT`): one new
 * debug session per connection, the server lives on between sessions
 * (nvim-dap's `server` adapter type, VS Code's DebugAdapterServer).
 */
import { createServer, isIPv6, type Server, type Socket } from 'node:net';

/** What a connection needs from a session (GoDebugSession satisfies it). */
export interface ServedSession {
  setRunAsServer(enable: boolean): void;
  start(inStream: NodeJS.ReadableStream, outStream: NodeJS.WritableStream): void;
  dispose(): void;
}

export interface ListenAddress {
  host: string;
  port: number;
  /** True when the user wrote a host (then a non-loopback host is their explicit choice). */
  explicitHost: boolean;
}

export const DEFAULT_HOST = '127.0.0.1';

/**
 * Parses the value of --listen: `HOST:PORT`, `:PORT`, `PORT`, `[IPv6]:PORT`.
 * Throws a user-facing message on anything else.
 */
export function parseListenAddress(value: string): ListenAddress {
  const bad = () => new Error(`--listen expects HOST:PORT, :PORT or PORT (e.g. 127.0.0.1:4711), got "${value}"`);
  let host = '';
  let portText: string;
  const v = value.trim();
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(v);
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if (/^\d+$/.test(v)) {
    portText = v;
  } else {
    const colon = v.lastIndexOf(':');
    if (colon < 0) throw bad();
    host = v.slice(0, colon);
    portText = v.slice(colon + 1);
    if (host.includes(':')) throw bad(); // a bare IPv6 address needs brackets
  }
  if (!/^\d+$/.test(portText)) throw bad();
  const port = Number(portText);
  if (port > 65535) throw new Error(`--listen: port ${port} is out of range (0-65535; 0 picks a free port)`);
  return { host: host === '' ? DEFAULT_HOST : host, port, explicitHost: host !== '' };
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::ffff:127.0.0.1';
}

/** `HOST:PORT`, with brackets around an IPv6 host. */
export function formatAddress(host: string, port: number): string {
  return `${isIPv6(host) ? `[${host}]` : host}:${port}`;
}

export const NON_LOOPBACK_WARNING = (addr: string) =>
  `warning: go-debug-adapter is listening on ${addr}, which is not a loopback address: ` +
  'anyone who can reach this port can run programs and read files as this user. ' +
  'Bind 127.0.0.1 unless the network is trusted.';

export interface RunningServer {
  server: Server;
  /** The bound host and the real port (when 0 was asked for). */
  host: string;
  port: number;
  /** Sessions currently connected. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Listens on `addr` and runs `newSession()` for each connection, speaking DAP
 * over the socket. When the connection closes, the session is disposed (the
 * session ends its debuggee there if the client never sent `disconnect`).
 */
export function startServer(addr: ListenAddress, newSession: () => ServedSession, log: (msg: string) => void = () => {}): Promise<RunningServer> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    log(`connection from ${peer}`);
    socket.setNoDelay(true);
    let session: ServedSession;
    try {
      session = newSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
    } catch (e) {
      log(`cannot start a session for ${peer}: ${(e as Error).stack ?? e}`);
      socket.destroy();
      return;
    }
    socket.on('error', (e) => log(`connection ${peer}: ${e.message}`));
    socket.on('close', () => {
      sockets.delete(socket);
      log(`connection from ${peer} closed`);
      try {
        session.dispose();
      } catch (e) {
        log(`disposing the session of ${peer}: ${(e as Error).stack ?? e}`);
      }
    });
  });
  return new Promise((resolveStart, rejectStart) => {
    server.once('error', rejectStart);
    server.listen(addr.port, addr.host, () => {
      server.off('error', rejectStart);
      server.on('error', (e) => log(`server: ${e.message}`));
      const a = server.address();
      const port = typeof a === 'object' && a ? a.port : addr.port;
      resolveStart({
        server,
        host: addr.host,
        port,
        get connections() {
          return sockets.size;
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

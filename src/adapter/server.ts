/**
 * The server modes of the adapter: `go-debug-adapter --listen HOST:PORT` (TCP)
 * or `--listen unix:PATH` (a private Unix socket). One new debug session per
 * connection, the server lives on between sessions (nvim-dap's `server` and
 * `pipe` adapter types, VS Code's DebugAdapterServer and
 * DebugAdapterNamedPipeServer). Every connection is served only when its peer
 * is this adapter's own user (peerCredentials.ts); a refused one is closed
 * with nothing sent and a line in the log.
 */
import { createServer, isIP, isIPv4, isIPv6, type Server, type Socket } from 'node:net';
import { resolve } from 'node:path';
import { admitPeer, type PeerPolicy, tcpPeerUidAsync, unixPeer } from './peerCredentials.js';
import { listenOnPrivateSocket, type PrivateSocket } from './unixSocket.js';

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

/** `--listen unix:PATH` (or a PATH ending in .sock): an absolute path. */
export interface UnixAddress {
  path: string;
}

export type ListenTarget = ListenAddress | UnixAddress;

export function isUnixAddress(t: ListenTarget): t is UnixAddress {
  return 'path' in t;
}

export const DEFAULT_HOST = '127.0.0.1';

/** Parses --listen: `unix:PATH`, a PATH ending in `.sock`, or a TCP address (parseListenAddress). */
export function parseListenTarget(value: string): ListenTarget {
  const v = value.trim();
  let path: string | undefined;
  if (v.startsWith('unix:')) path = v.slice('unix:'.length);
  else if (v.endsWith('.sock')) path = v;
  if (path === undefined) return parseListenAddress(v);
  if (path === '') throw new Error('--listen unix: needs a path, e.g. unix:$XDG_RUNTIME_DIR/go-debug-adapter/dap.sock');
  return { path: resolve(path) };
}

/**
 * Parses the value of --listen: `HOST:PORT`, `:PORT`, `PORT`, `[IPv6]:PORT`.
 * Throws a user-facing message on anything else.
 */
export function parseListenAddress(value: string): ListenAddress {
  const bad = () => new Error(`--listen expects HOST:PORT, :PORT, PORT or unix:PATH (e.g. 127.0.0.1:4711), got "${value}"`);
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
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(h);
}

/**
 * `HOST:PORT`, with brackets around an IPv6 host: the one kind of host with a colon
 * in it. (Not net.isIPv6: its first call compiles a large regular expression,
 * about 10 ms of the server's start-up.)
 */
export function formatAddress(host: string, port: number): string {
  return `${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** 4 or 6 for an IP address as written, 0 for a host name (net.isIP, without compiling its IPv6 expression for an IPv4 address). */
function ipFamily(host: string): 0 | 4 | 6 {
  if (isIPv4(host)) return 4;
  return host.includes(':') && isIPv6(host) ? 6 : 0;
}

/**
 * server.listen(port, host), without what that costs a process which is no cluster
 * worker: Node's listen looks the host up with dns.lookup (loading `dns`, which sets
 * up c-ares) even when it is an IP address, and then loads `cluster` (with
 * child_process and dgram) to learn that this process is no worker, about 5 ms of
 * the server's start together. For an IP address, Server#_listen2, which both
 * paths end in (Node keeps the name for code that wraps it), binds and listens
 * directly, with the same errors and the same 'listening' event; a host name goes
 * through listen.
 */
function listenTcp(server: Server, port: number, host: string): void {
  const family = ipFamily(host);
  const direct = (server as unknown as { _listen2?: (address: string, port: number, addressType: number, backlog?: number) => void })._listen2;
  if (family === 0 || typeof direct !== 'function') server.listen(port, host);
  else direct.call(server, host, port, family);
}

/** What --allow-remote means, printed when the server listens on a non-loopback address. */
export const NON_LOOPBACK_WARNING = (addr: string, uid: number) =>
  `warning: go-debug-adapter is listening on ${addr}, which is not a loopback address (--allow-remote): ` +
  `anyone who can reach this port from another machine can run programs and read and write files as uid ${uid}, ` +
  'and the adapter cannot tell who they are. Connections from this machine are still checked. ' +
  'Use it only on a trusted network; prefer a Unix socket or 127.0.0.1 through an SSH tunnel.';

export const REMOTE_REFUSED = (addr: string) =>
  `--listen ${addr} is not a loopback address: whoever can reach it from another machine could run programs as this user, ` +
  'and the adapter cannot check who they are. Bind 127.0.0.1 or a Unix socket, or add --allow-remote to listen there anyway';

export interface ServerOptions {
  /** Lines for the adapter's log (stderr). */
  log?: (msg: string) => void;
  /** Log every admitted connection and its end, not only refused ones. */
  verbose?: boolean;
  /** Admit uid 0 as well as the adapter's own uid (--allow-root-peer). */
  allowRootPeer?: boolean;
  /** Listen on a non-loopback address; peers not on this machine are admitted unchecked (--allow-remote). */
  allowRemote?: boolean;
  /** Called while a TCP connection's peer is being checked (the check waits on the kernel, in the thread pool). */
  whileChecking?: () => void;
  /** Called once the first chunk a connection sent has been handed to its session. */
  afterFirstChunk?: () => void;
}

export interface RunningServer {
  server: Server;
  /** The bound host and the real port (when 0 was asked for); for a Unix socket, its path and port 0. */
  host: string;
  port: number;
  /** The Unix socket's path, for --listen unix:PATH. */
  path?: string;
  /** `HOST:PORT` or `unix:PATH`, as printed after "listening at:". */
  shown: string;
  /** Sessions currently connected. */
  readonly connections: number;
  close(): Promise<void>;
}

/**
 * Listens on `target` and runs `newSession()` for each admitted connection,
 * speaking DAP over the socket. When the connection closes, the session is
 * disposed (the session ends its debuggee there if the client never sent
 * `disconnect`). Rejects on a non-loopback TCP address without allowRemote.
 */
export async function startServer(target: ListenTarget, newSession: () => ServedSession, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const policy: PeerPolicy = { ownUid: process.getuid?.() ?? -1, allowRootPeer: options.allowRootPeer === true };
  const unix = isUnixAddress(target);
  const sockets = new Set<Socket>();
  /** Serves the connection if its peer, of `uid`, is admitted (`remote`: on another machine, unchecked). */
  const serve = (socket: Socket, peer: string, uid: number | undefined, remote: boolean) => {
    // Gone while its peer was being checked (closed by the client, or by close()).
    if (socket.destroyed) {
      sockets.delete(socket);
      return;
    }
    const verdict = remote ? ({ admitted: true } as const) : admitPeer(uid, policy);
    if (!verdict.admitted) {
      log(`refused a connection from ${peer}: ${verdict.why}`);
      sockets.delete(socket);
      socket.destroy();
      return;
    }
    if (options.verbose) log(`connection from ${peer}${remote ? ' (another machine: not checked)' : ` (uid ${uid})`}`);
    // Requests and responses alternate: a response waits for no acknowledgement of the last one (no Nagle).
    socket.setNoDelay?.(true);
    let session: ServedSession;
    try {
      session = newSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
      // After the session's own listener: its first chunk is answered by then.
      const after = options.afterFirstChunk;
      if (after) socket.once('data', () => after());
      socket.resume();
    } catch (e) {
      log(`cannot start a session for ${peer}: ${(e as Error).stack ?? e}`);
      sockets.delete(socket);
      socket.destroy();
      return;
    }
    socket.on('error', (e) => log(`connection ${peer}: ${e.message}`));
    socket.on('close', () => {
      sockets.delete(socket);
      if (options.verbose) log(`connection from ${peer} closed`);
      try {
        session.dispose();
      } catch (e) {
        log(`disposing the session of ${peer}: ${(e as Error).stack ?? e}`);
      }
    });
  };
  // Paused: not a byte of a connection is read before its peer is admitted.
  const server = createServer({ pauseOnConnect: true }, (socket) => {
    // Counted from the start: close() ends a connection still being checked too.
    sockets.add(socket);
    if (unix) {
      let peer = 'the Unix socket';
      let uid: number | undefined;
      try {
        const cred = unixPeer(socket);
        uid = cred?.uid;
        if (cred) peer = `pid ${cred.pid} on the Unix socket`;
      } catch (e) {
        log(`cannot find who connected from ${peer}: ${(e as Error).message}`);
      }
      serve(socket, peer, uid, false);
      return;
    }
    const peer = formatAddress(socket.remoteAddress ?? '?', socket.remotePort ?? 0);
    // The kernel's tables are read in the thread pool, while this thread does what it can meanwhile.
    const lookup = tcpPeerUidAsync(
      { address: socket.remoteAddress ?? '', port: socket.remotePort ?? 0 },
      { address: socket.localAddress ?? '', port: socket.localPort ?? 0 },
    );
    try {
      options.whileChecking?.();
    } catch (e) {
      log(`while checking ${peer}: ${(e as Error).stack ?? e}`);
    }
    lookup.then(
      // With --allow-remote, a peer that is not on this machine cannot be checked.
      (uid) => serve(socket, peer, uid, uid === undefined && options.allowRemote === true && !isLoopback(socket.localAddress ?? '')),
      (e: Error) => {
        log(`cannot find who connected from ${peer}: ${e.message}`);
        serve(socket, peer, undefined, false);
      },
    );
  });
  let privateSocket: PrivateSocket | undefined;
  let host: string;
  let port: number;
  if (unix) {
    privateSocket = await listenOnPrivateSocket(server, target.path);
    host = target.path;
    port = 0;
  } else {
    if (!isLoopback(target.host) && !options.allowRemote && isIP(target.host) !== 0) throw new Error(REMOTE_REFUSED(formatAddress(target.host, target.port)));
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.once('listening', () => {
        server.off('error', rejectListen);
        resolveListen();
      });
      listenTcp(server, target.port, target.host);
    });
    const a = server.address();
    const bound = typeof a === 'object' && a ? a : undefined;
    port = bound?.port ?? target.port;
    host = target.host;
    if (!isLoopback(bound?.address ?? target.host) && !options.allowRemote) {
      await new Promise<void>((done) => server.close(() => done()));
      throw new Error(REMOTE_REFUSED(formatAddress(target.host, port)));
    }
  }
  server.on('error', (e) => log(`server: ${e.message}`));
  return {
    server,
    host,
    port,
    path: unix ? target.path : undefined,
    shown: unix ? `unix:${target.path}` : formatAddress(host, port),
    get connections() {
      return sockets.size;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const s of sockets) s.destroy();
        server.close(() => {
          privateSocket?.remove();
          done();
        });
      }),
  };
}

/**
 * Who is on the other end of a connection to the server, and whether the
 * server admits them. Loopback is not a boundary between the users of one
 * machine: whoever may launch or attach through this adapter runs code as its
 * user, so only that user (and root when asked for) is served.
 *
 * TCP: Linux lists every socket of the network namespace in /proc/net/tcp and
 * /proc/net/tcp6 with the uid that created it. The peer's socket is the entry
 * whose local address is the connection's remote end and whose remote address
 * is our end. Unix sockets: SO_PEERCRED, through the engine's libc bindings.
 */
import { close, closeSync, openSync, read, readSync } from 'node:fs';
import { isIPv4, isIPv6, type Socket } from 'node:net';
import { socketPeerCredentials } from '../debuggee/processStarter.js';

export interface Endpoint {
  address: string;
  port: number;
}

/** A socket of /proc/net/tcp{,6}: its two ends (as address keys), state, owner and inode. */
export interface TcpTableEntry {
  local: string;
  remote: string;
  state: number;
  uid: number;
  inode: number;
}

/** An address as 32 hex digits of its 16 IPv6 bytes; IPv4 as ::ffff:a.b.c.d, so both tables compare alike. */
export function addressKey(address: string): string | undefined {
  if (isIPv4(address)) return `00000000000000000000ffff${hexOfV4(address)}`;
  if (!isIPv6(address)) return undefined;
  let text = address.toLowerCase();
  const zone = text.indexOf('%');
  if (zone >= 0) text = text.slice(0, zone);
  let tail = '';
  const lastColon = text.lastIndexOf(':');
  if (isIPv4(text.slice(lastColon + 1))) {
    tail = hexOfV4(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon)}:0:0`;
  }
  const [head, rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const left = head === '' ? [] : head.split(':');
  const right = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - left.length - right.length;
  const groups = rest === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  if (groups.length !== 8) return undefined;
  const hex = groups.map((g) => g.padStart(4, '0')).join('');
  return tail === '' ? hex : hex.slice(0, 24) + tail;
}

function hexOfV4(address: string): string {
  return address
    .split('.')
    .map((b) => Number(b).toString(16).padStart(2, '0'))
    .join('');
}

/**
 * `ADDR:PORT` as /proc/net/tcp writes it: the address as 32-bit words in host
 * byte order (little-endian here), the port in hex. Returns `key:port`.
 */
function procEndpoint(text: string): string | undefined {
  const [addr, port] = text.split(':');
  if (port === undefined || !/^[0-9A-Fa-f]+$/.test(addr) || (addr.length !== 8 && addr.length !== 32)) return undefined;
  let hex = '';
  for (let i = 0; i < addr.length; i += 8) {
    const word = addr.slice(i, i + 8);
    hex += word.slice(6, 8) + word.slice(4, 6) + word.slice(2, 4) + word.slice(0, 2);
  }
  const key = addr.length === 8 ? `00000000000000000000ffff${hex}` : hex;
  return `${key.toLowerCase()}:${Number.parseInt(port, 16)}`;
}

/** One line of /proc/net/tcp{,6}: `sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode …`. */
function parseTcpLine(line: string): TcpTableEntry | undefined {
  const f = line.trim().split(/\s+/);
  if (f.length < 10) return undefined;
  const local = procEndpoint(f[1]);
  const remote = procEndpoint(f[2]);
  if (local === undefined || remote === undefined) return undefined;
  return { local, remote, state: Number.parseInt(f[3], 16), uid: Number(f[7]), inode: Number(f[9]) };
}

/** The entries of the text of /proc/net/tcp or /proc/net/tcp6 (the header line skipped). */
export function parseTcpTable(text: string): TcpTableEntry[] {
  const entries: TcpTableEntry[] = [];
  for (const line of text.split('\n').slice(1)) {
    const e = parseTcpLine(line);
    if (e !== undefined) entries.push(e);
  }
  return entries;
}

/**
 * The lines of a table as its reads come in, one `push` per read (0 bytes: the end):
 * the first entry `wanted` accepts, undefined at the end without one, or 'more'.
 */
class TableScan {
  private partial = '';
  private header = true;
  constructor(private readonly wanted: (e: TcpTableEntry) => boolean) {}

  push(buf: Buffer, n: number): TcpTableEntry | undefined | 'more' {
    const lines = (this.partial + buf.toString('latin1', 0, n)).split('\n');
    // The last piece is a line still being read (or, at the end, what follows the last newline).
    this.partial = n === 0 ? '' : (lines.pop() ?? '');
    for (const line of lines) {
      if (this.header) this.header = false;
      else {
        const e = parseTcpLine(line);
        if (e !== undefined && this.wanted(e)) return e;
      }
    }
    return n === 0 ? undefined : 'more';
  }
}

/**
 * The first entry of /proc/net/tcp or /proc/net/tcp6 that `wanted` accepts, read
 * only as far as its line: every read makes the kernel walk its connection hash
 * (about 2.5 ms here), and reading to the end takes one read more than finding it.
 * Undefined when there is none, or no such table (no IPv6).
 */
function findInTcpTable(file: string, wanted: (e: TcpTableEntry) => boolean): TcpTableEntry | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.allocUnsafe(1 << 16);
    const scan = new TableScan(wanted);
    for (;;) {
      const found = scan.push(buf, readSync(fd, buf, 0, buf.length, null));
      if (found !== 'more') return found;
    }
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * findInTcpTable, with the reads done in libuv's thread pool: the kernel's walk of its
 * connection hash (milliseconds) runs beside whatever this thread does meanwhile. The
 * first read is under way when this returns (the file is opened here, at once).
 */
function findInTcpTableAsync(file: string, wanted: (e: TcpTableEntry) => boolean): Promise<TcpTableEntry | undefined> {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolveFind) => {
    const buf = Buffer.allocUnsafe(1 << 16);
    const scan = new TableScan(wanted);
    const next = () =>
      read(fd, buf, 0, buf.length, null, (readError, n) => {
        const found = readError ? undefined : scan.push(buf, n);
        if (found === 'more') next();
        else {
          // Answered at once: the close is one more trip through the thread pool, which the answer does not wait for.
          resolveFind(found);
          close(fd, () => {});
        }
      });
    next();
  });
}

/**
 * What identifies the peer's socket in the tables, and the tables to read, in order:
 * reading a table costs milliseconds whatever its length (the kernel walks its whole
 * connection hash). An IPv4 peer's socket is usually AF_INET, listed in /proc/net/tcp;
 * an AF_INET6 socket, whatever address it uses, is in /proc/net/tcp6.
 * A socket in TIME_WAIT, or orphaned by its process, is listed with uid 0 and
 * inode 0: it proves nothing about who connected, so it does not count.
 */
function peerSearch(peer: Endpoint, ours: Endpoint): { wanted: (e: TcpTableEntry) => boolean; tables: string[] } | undefined {
  const peerKey = addressKey(peer.address);
  const ourKey = addressKey(ours.address);
  if (peerKey === undefined || ourKey === undefined) return undefined;
  const local = `${peerKey}:${peer.port}`;
  const remote = `${ourKey}:${ours.port}`;
  const wanted = (e: TcpTableEntry) => e.local === local && e.remote === remote && e.inode !== 0;
  return { wanted, tables: peerKey.startsWith('00000000000000000000ffff') ? ['/proc/net/tcp', '/proc/net/tcp6'] : ['/proc/net/tcp6'] };
}

/**
 * The uid that owns the socket at the other end of a TCP connection whose two
 * ends are `peer` and `ours`, or undefined when that socket is not on this
 * machine (in this network namespace) or no longer belongs to a process
 * (peerSearch). `table`: the entries to search instead of the kernel's.
 */
export function tcpPeerUid(peer: Endpoint, ours: Endpoint, table?: TcpTableEntry[]): number | undefined {
  const search = peerSearch(peer, ours);
  if (search === undefined) return undefined;
  if (table) return table.find(search.wanted)?.uid;
  for (const file of search.tables) {
    const uid = findInTcpTable(file, search.wanted)?.uid;
    if (uid !== undefined) return uid;
  }
  return undefined;
}

/** tcpPeerUid, reading the kernel's tables in the thread pool (findInTcpTableAsync). */
export async function tcpPeerUidAsync(peer: Endpoint, ours: Endpoint): Promise<number | undefined> {
  const search = peerSearch(peer, ours);
  if (search === undefined) return undefined;
  for (const file of search.tables) {
    const uid = (await findInTcpTableAsync(file, search.wanted))?.uid;
    if (uid !== undefined) return uid;
  }
  return undefined;
}

/** The process that connected to our Unix socket and its uid (SO_PEERCRED), or undefined when unknown. */
export function unixPeer(socket: Socket): { pid: number; uid: number } | undefined {
  // An accepted Pipe handle carries its file descriptor (not a public API; present on Unix).
  const fd = (socket as unknown as { _handle?: { fd?: number } })._handle?.fd;
  if (typeof fd !== 'number' || fd < 0) return undefined;
  return socketPeerCredentials(fd);
}

export interface PeerPolicy {
  /** The adapter's own uid: always admitted. */
  ownUid: number;
  /** Admit uid 0 as well (--allow-root-peer). Root can ptrace anything anyway; off unless asked. */
  allowRootPeer: boolean;
}

export type Admission = { admitted: true } | { admitted: false; why: string };

/** Whether a peer of `uid` (undefined: its owner could not be found) may use the adapter. */
export function admitPeer(uid: number | undefined, policy: PeerPolicy): Admission {
  if (uid === undefined) return { admitted: false, why: 'the uid of its socket could not be found' };
  if (uid === policy.ownUid) return { admitted: true };
  if (uid === 0 && policy.allowRootPeer) return { admitted: true };
  const hint = uid === 0 ? ' (--allow-root-peer admits root)' : '';
  return { admitted: false, why: `its socket belongs to uid ${uid}, not to this adapter's uid ${policy.ownUid}${hint}` };
}

/**
 * No one else in: the server serves only connections made by its own user.
 * A second local user, created here (the tests run as root; in CI this must
 * run, elsewhere it is skipped with a message when users cannot be made),
 * connects over TCP and over the Unix socket and gets nothing but a closed
 * connection, while the adapter's own user is answered. Also: the socket's
 * and its directory's modes, paths the adapter refuses, and the mode and
 * removal of the temporary directory of a built binary, as the program sees it.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lchownSync, lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { adapterMain, type AdapterServer, startAdapterClient, startAdapterServer } from '../support/adapterClient.js';
import { collectOutput, configure, waitExit } from '../support/dap.js';
import { testdataDir } from '../support/goBuild.js';

const initArgs = { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' } as const;

interface OtherUser {
  name: string;
  uid: number;
  gid: number;
}

let other: OtherUser | undefined;
let noUserWhy = '';

/** Runs a user-database command, again while another process holds the lock of /etc/passwd. */
function userdb(cmd: string, args: string[]) {
  let r = spawnSync(cmd, args, { encoding: 'utf8' });
  for (let i = 0; i < 20 && r.status !== 0 && /lock/i.test(r.stderr); i++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    r = spawnSync(cmd, args, { encoding: 'utf8' });
  }
  return r;
}

before(() => {
  if (process.getuid?.() !== 0) {
    noUserWhy = 'not running as root: cannot create a second user';
  } else if (spawnSync('setpriv', ['--version']).status !== 0) {
    noUserWhy = 'setpriv (util-linux) is not installed: cannot run a program as the second user';
  } else {
    const name = `gdasec${process.pid % 100000}`;
    const made = userdb('useradd', ['--system', '--no-create-home', '--user-group', '--shell', '/usr/sbin/nologin', name]);
    if (made.status !== 0) noUserWhy = `useradd failed: ${made.stderr || made.error?.message}`;
    else {
      const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
      other = { name, uid: id('-u'), gid: id('-g') };
    }
  }
  if (!other && process.env.CI) throw new Error(`the security tests must run in CI: ${noUserWhy}`);
});

after(() => {
  if (other) userdb('userdel', [other.name]);
});

/** The second user, or skips the test with the reason. */
function otherUser(t: { skip(msg: string): void }): OtherUser | undefined {
  if (!other) t.skip(`no second user: ${noUserWhy}`);
  return other;
}

/** A command prefix that runs a program as `u` (no supplementary groups). */
const asUser = (u: OtherUser) => ['setpriv', `--reuid=${u.uid}`, `--regid=${u.gid}`, '--clear-groups'];

interface Probe {
  /** connect() succeeded. */
  connected: boolean;
  /** The error code of connect or of the connection, if any. */
  error?: string;
  /** Everything received after sending an initialize request. */
  received: string;
  /** The connection was closed by the other end within the wait. */
  closed: boolean;
}

// Connects, sends a DAP initialize request, and reports what came back within 3 s.
const PROBE = `
const net = require('node:net');
const [target] = process.argv.slice(1);
const m = /^(.*):(\\d+)$/.exec(target);
const s = m ? net.connect(Number(m[2]), m[1].replace(/^\\[|\\]$/g, '')) : net.connect(target);
const r = { connected: false, received: '', closed: false };
const done = () => { process.stdout.write(JSON.stringify(r)); process.exit(0); };
s.on('connect', () => {
  r.connected = true;
  const body = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'go-debug' } });
  s.write('Content-Length: ' + Buffer.byteLength(body) + '\\r\\n\\r\\n' + body);
});
s.on('data', (d) => { r.received += d; if (r.received.includes('"command":"initialize"')) done(); });
s.on('error', (e) => { r.error = e.code; });
s.on('close', () => { r.closed = true; done(); });
setTimeout(done, 3000);
`;

/** Runs PROBE against `target` (HOST:PORT or a socket path), as `u` or as ourselves. */
function probe(target: string, u?: OtherUser): Promise<Probe> {
  const argv = [...(u ? asUser(u) : []), process.execPath, '-e', PROBE, target];
  return new Promise((resolve, reject) => {
    const p = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`probe exited ${code}: ${err}`));
      else resolve(JSON.parse(out) as Probe);
    });
  });
}

/** A refused connection: connected (or not even that), nothing received, closed by the adapter. */
function assertRefused(p: Probe, what: string): void {
  assert.equal(p.received, '', `${what}: nothing received`);
  assert.equal(p.closed || p.error !== undefined, true, `${what}: the connection is closed (${JSON.stringify(p)})`);
}

/** An answered connection: the initialize response came back. */
function assertServed(p: Probe, what: string): void {
  assert.match(p.received, /"command":"initialize"/, `${what}: initialize answered (${JSON.stringify(p)})`);
  assert.match(p.received, /"success":true/, `${what}: initialize succeeded`);
}

class SocketClient extends DebugClient {
  attach(socket: Socket): void {
    this.connect(socket, socket);
  }
}

/** initialize + disconnect through a real DebugClient over a connection to `target`. */
async function dapRoundTrip(target: { port: number; host?: string } | { path: string }): Promise<void> {
  const socket = 'path' in target ? connect(target.path) : connect(target.port, target.host ?? '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const dc = new SocketClient(process.execPath, '', 'go-debug');
  dc.attach(socket);
  // >> initialize  << initialize response
  const init = await dc.initializeRequest(initArgs);
  assert.equal(init.success, true);
  assert.equal(init.body?.supportsConfigurationDoneRequest, true);
  // >> disconnect  << disconnect response
  await dc.disconnectRequest({});
  await new Promise<void>((resolve) => socket.once('close', () => resolve()).end());
}

/** Waits until the server's stderr matches (it logs after closing the connection). */
async function stderrMatches(server: AdapterServer, re: RegExp): Promise<void> {
  for (let i = 0; i < 100 && !re.test(server.stderr()); i++) await new Promise((r) => setTimeout(r, 20));
  assert.match(server.stderr(), re);
}

test('TCP: another user is refused (nothing sent, connection closed, a line on stderr); our own user is served, silently', async (t) => {
  const u = otherUser(t);
  if (!u) return;
  const server = await startAdapterServer('127.0.0.1:0');
  try {
    const target = `127.0.0.1:${server.port}`;
    assertRefused(await probe(target, u), 'the other user');
    await stderrMatches(server, new RegExp(`refused a connection from 127\\.0\\.0\\.1:\\d+: its socket belongs to uid ${u.uid}, not to this adapter's uid 0`));
    assertServed(await probe(target), 'our own user (probe)');
    await dapRoundTrip({ port: server.port });
    assert.doesNotMatch(server.stderr(), /^go-debug-adapter: connection from/m, 'an admitted connection is not logged without --verbose');
    assert.equal(server.proc.exitCode, null, 'the server lives on');
  } finally {
    await server.stop();
  }
});

test('TCP over IPv6 loopback: another user is refused, our own user is served', async (t) => {
  const u = otherUser(t);
  if (!u) return;
  let server: AdapterServer;
  try {
    server = await startAdapterServer('[::1]:0');
  } catch (e) {
    t.skip(`no IPv6 loopback here: ${(e as Error).message.slice(0, 200)}`);
    return;
  }
  try {
    const target = `[::1]:${server.port}`;
    assertRefused(await probe(target, u), 'the other user over ::1');
    assertServed(await probe(target), 'our own user over ::1');
    await stderrMatches(server, new RegExp(`refused a connection from \\[::1\\]:\\d+: its socket belongs to uid ${u.uid}`));
  } finally {
    await server.stop();
  }
});

test('--verbose logs admitted connections', async () => {
  const server = await startAdapterServer('127.0.0.1:0', undefined, ['--verbose']);
  try {
    await dapRoundTrip({ port: server.port });
    await stderrMatches(server, /connection from 127\.0\.0\.1:\d+ \(uid 0\)/);
  } finally {
    await server.stop();
  }
});

test('an adapter of another user refuses root unless --allow-root-peer, and serves that user', async (t) => {
  const u = otherUser(t);
  if (!u) return;
  const theirs = await startAdapterServer('127.0.0.1:0', undefined, [], asUser(u));
  try {
    const target = `127.0.0.1:${theirs.port}`;
    assertRefused(await probe(target), 'root at an adapter of another user');
    await stderrMatches(theirs, new RegExp(`its socket belongs to uid 0, not to this adapter's uid ${u.uid} \\(--allow-root-peer admits root\\)`));
    assertServed(await probe(target, u), "the adapter's own user");
  } finally {
    await theirs.stop();
  }
  const rootAllowed = await startAdapterServer('127.0.0.1:0', undefined, ['--allow-root-peer'], asUser(u));
  try {
    await dapRoundTrip({ port: rootAllowed.port });
  } finally {
    await rootAllowed.stop();
  }
});

test('Unix socket: mode 0600 in a directory created 0700; another user cannot connect, nor pass SO_PEERCRED when the modes are opened; removed on exit', async (t) => {
  const u = otherUser(t);
  if (!u) return;
  const base = mkdtempSync(join(tmpdir(), 'gda-sec-'));
  const dir = join(base, 'run');
  const path = join(dir, 'dap.sock');
  const server = await startAdapterServer(`unix:${path}`);
  try {
    assert.equal(server.path, path, 'listening at: unix:PATH');
    const sock = lstatSync(path);
    assert.ok(sock.isSocket(), 'a socket');
    assert.equal(sock.mode & 0o7777, 0o600, 'socket mode 0600');
    assert.equal(lstatSync(dir).mode & 0o7777, 0o700, 'the directory it created: mode 0700');
    // As created: the other user cannot even reach the socket.
    const blocked = await probe(path, u);
    assert.equal(blocked.connected, false);
    assert.equal(blocked.error, 'EACCES');
    // Our own user is served.
    assertServed(await probe(path), 'our own user');
    await dapRoundTrip({ path });
    // Opened by hand (a mistake): the peer check still refuses the other user.
    chmodSync(base, 0o755);
    chmodSync(dir, 0o755);
    chmodSync(path, 0o666);
    const past = await probe(path, u);
    assert.equal(past.connected, true, 'the other user reaches the socket once the modes allow it');
    assertRefused(past, 'the other user, past the file modes');
    await stderrMatches(server, new RegExp(`refused a connection from pid \\d+ on the Unix socket: its socket belongs to uid ${u.uid}`));
  } finally {
    await server.stop();
  }
  assert.equal(existsSync(path), false, 'the socket is removed when the adapter exits');
  rmSync(base, { recursive: true, force: true });
});

/** Runs the adapter with `args` and returns its exit status and stderr (for refusals at start-up). */
function runAdapter(...args: string[]) {
  return spawnSync(process.execPath, [adapterMain, ...args], { encoding: 'utf8', timeout: 10_000 });
}

test('refused at start-up: a socket directory others can enter, a path that exists, a non-loopback host without --allow-remote', async (t) => {
  // A directory like /tmp: everyone may enter and create files (sticky bit).
  const sharedDir = mkdtempSync(join(tmpdir(), 'gda-sec-shared-'));
  try {
    chmodSync(sharedDir, 0o1777);
    const shared = runAdapter('--listen', `unix:${join(sharedDir, 'dap.sock')}`);
    assert.equal(shared.status, 2);
    assert.match(shared.stderr, /is not a private directory \(owner uid \d+, mode 01777\)/);
    assert.equal(existsSync(join(sharedDir, 'dap.sock')), false, 'nothing was created there');
  } finally {
    rmSync(sharedDir, { recursive: true, force: true });
  }

  const remote = runAdapter('--listen', '0.0.0.0:0');
  assert.equal(remote.status, 2);
  assert.match(remote.stderr, /0\.0\.0\.0:0 is not a loopback address: .* add --allow-remote/);

  const u = otherUser(t);
  if (!u) return;
  // A stale socket another user left in our directory: neither removed nor reused.
  const dir = mkdtempSync(join(tmpdir(), 'gda-sec-'));
  const path = join(dir, 'dap.sock');
  try {
    const left = spawnSync(process.execPath, [
      '-e',
      `require('node:net').createServer().listen(${JSON.stringify(path)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    assert.equal(left.signal, 'SIGKILL');
    lchownSync(path, u.uid, u.gid);
    const before = lstatSync(path);
    const stale = runAdapter('--listen', `unix:${path}`);
    assert.equal(stale.status, 2);
    assert.match(stale.stderr, new RegExp(`already exists \\(a socket owned by uid ${u.uid}\\): the adapter listens only on a socket it creates itself`));
    const now = lstatSync(path);
    assert.equal(now.ino, before.ino, 'the same file is still there');
    assert.equal(now.uid, u.uid);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a binary built for a session lives in a directory of mode 0700, removed at the end (as the program sees it)', async () => {
  const { dc, close } = await startAdapterClient();
  const out = collectOutput(dc);
  try {
    // >> launch mode debug (go build into a temporary directory)  << exited, terminated
    const exited = waitExit(dc, 120_000);
    await configure(dc, 'launch', { mode: 'debug', program: join(testdataDir, 'selfdir') });
    assert.equal(await exited, 0);
  } finally {
    await close();
  }
  const m = /dir=(\S+) mode=(\S+)/.exec(out.stdout());
  assert.ok(m, `the program printed its directory: ${JSON.stringify(out.stdout())}`);
  assert.equal(m[2], 'drwx------', 'only the user can enter the directory of the binary');
  for (let i = 0; i < 100 && existsSync(m[1]); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(existsSync(m[1]), false, `${m[1]} is removed when the session ends`);
});

// The adapter executable: --listen (TCP server, one session per connection,
// the server lives on), stdio mode, --help/--version, address parsing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { formatAddress, isLoopback, parseListenAddress } from '../../src/adapter/server.js';
import { adapterMain, startAdapterClient, startAdapterServer } from '../support/adapterClient.js';

class SocketClient extends DebugClient {
  attach(socket: Socket): void {
    this.connect(socket, socket);
  }
}

/** A DebugClient on a TCP connection we own (so the test can close it). */
async function tcpClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const dc = new SocketClient(process.execPath, '', 'go-debug');
  dc.attach(socket);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return {
    dc,
    end: () => {
      socket.end();
      return closed;
    },
  };
}

const initArgs = { adapterID: 'go-debug', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' } as const;

test('--listen 127.0.0.1:0 serves sessions one after the other, and lives on', async () => {
  const server = await startAdapterServer('127.0.0.1:0');
  try {
    assert.equal(server.host, '127.0.0.1');
    assert.ok(server.port > 0, `real port printed, got ${server.port}`);
    // Sessions 1 and 3 end with disconnect; session 2's client just drops the connection.
    for (let i = 1; i <= 3; i++) {
      const { dc, end } = await tcpClient(server.port);
      // >> initialize  << initialize response
      const init = await dc.initializeRequest(initArgs);
      assert.equal(init.success, true, `session ${i}: initialize succeeded`);
      if (i !== 2) {
        // >> disconnect  << disconnect response
        const disc = await dc.disconnectRequest({});
        assert.equal(disc.success, true, `session ${i}: disconnect succeeded`);
      }
      await end();
      assert.equal(server.proc.exitCode, null, `server still running after session ${i}`);
    }
    assert.doesNotMatch(server.stderr(), /warning|uncaught|unhandled/, 'no warning on a loopback address, no crash');
  } finally {
    await server.stop();
  }
});

test('a non-loopback host with --allow-remote prints a warning; --listen=:PORT binds loopback', async () => {
  const open = await startAdapterServer('0.0.0.0:0', undefined, ['--allow-remote']);
  try {
    // The warning is written before the "listening at" line; wait for it to arrive.
    const { dc, end } = await tcpClient(open.port);
    await dc.initializeRequest(initArgs);
    await dc.disconnectRequest({});
    await end();
    assert.match(
      open.stderr(),
      /warning: .*0\.0\.0\.0:\d+.*not a loopback address \(--allow-remote\): anyone who can reach this port from another machine can run programs/,
    );
  } finally {
    await open.stop();
  }
  const local = await startAdapterServer(':0');
  try {
    assert.equal(local.host, '127.0.0.1');
  } finally {
    await local.stop();
  }
});

test('stdio mode: initialize and disconnect, then the adapter exits', async () => {
  const { dc, close } = await startAdapterClient({ transport: 'stdio' });
  const init = await dc.initializeRequest(initArgs);
  assert.equal(init.success, true);
  const exited = new Promise<number | null>((resolve) => {
    const proc = (dc as unknown as { _adapterProcess: import('node:child_process').ChildProcess })._adapterProcess;
    proc.once('exit', (code) => resolve(code));
  });
  await dc.disconnectRequest({});
  assert.equal(await exited, 0);
  await close();
});

test('--help, --version and bad arguments', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, [adapterMain, ...args], { encoding: 'utf8', timeout: 10_000 });
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /^Usage: go-debug-adapter \[--listen HOST:PORT \| --listen unix:PATH\]/);
  const version = run('--version');
  assert.equal(version.status, 0);
  assert.match(version.stdout, /^go-debug-adapter \d+\.\d+\.\d+\nGo binaries: linux\/amd64, built by Go 1\.18 or later\ntested with: .*\n$/);
  const bad = run('--frobnicate');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /unknown argument "--frobnicate"/);
  const badAddr = run('--listen', 'nowhere');
  assert.equal(badAddr.status, 2);
  assert.match(badAddr.stderr, /--listen expects HOST:PORT, :PORT, PORT or unix:PATH/);
});

test('parseListenAddress / isLoopback / formatAddress', () => {
  assert.deepEqual(parseListenAddress('127.0.0.1:4711'), { host: '127.0.0.1', port: 4711, explicitHost: true });
  assert.deepEqual(parseListenAddress(':4711'), { host: '127.0.0.1', port: 4711, explicitHost: false });
  assert.deepEqual(parseListenAddress('4711'), { host: '127.0.0.1', port: 4711, explicitHost: false });
  assert.deepEqual(parseListenAddress('localhost:0'), { host: 'localhost', port: 0, explicitHost: true });
  assert.deepEqual(parseListenAddress('[::1]:9'), { host: '::1', port: 9, explicitHost: true });
  assert.throws(() => parseListenAddress('::1:9'), /--listen expects/);
  assert.throws(() => parseListenAddress('host:'), /--listen expects/);
  assert.throws(() => parseListenAddress('host:port'), /--listen expects/);
  assert.throws(() => parseListenAddress('70000'), /out of range/);
  for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1']) assert.ok(isLoopback(h), h);
  for (const h of ['0.0.0.0', '192.168.1.2', '::', 'example.com']) assert.ok(!isLoopback(h), h);
  assert.equal(formatAddress('::1', 5), '[::1]:5');
  assert.equal(formatAddress('10.0.0.1', 5), '10.0.0.1:5');
});

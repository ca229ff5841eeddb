// --listen's forms, and the checks of a Unix socket's path before anything is bound.
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { isLoopback, parseListenTarget } from '../../../src/adapter/server.js';
import { preparePrivateSocketPath } from '../../../src/adapter/unixSocket.js';

test('parseListenTarget: unix:PATH and *.sock are Unix sockets (made absolute), the rest TCP', () => {
  assert.deepEqual(parseListenTarget('unix:/run/user/1000/gda/dap.sock'), { path: '/run/user/1000/gda/dap.sock' });
  assert.deepEqual(parseListenTarget('unix:rel/dap'), { path: resolve('rel/dap') });
  assert.deepEqual(parseListenTarget('/tmp/x/dap.sock'), { path: '/tmp/x/dap.sock' });
  assert.deepEqual(parseListenTarget('127.0.0.1:4711'), { host: '127.0.0.1', port: 4711, explicitHost: true });
  assert.throws(() => parseListenTarget('unix:'), /needs a path/);
  for (const h of ['::ffff:127.0.0.1', '::ffff:127.0.1.1']) assert.ok(isLoopback(h), h);
  assert.ok(!isLoopback('::ffff:10.0.0.1'));
});

test('preparePrivateSocketPath: creates a missing directory 0700; refuses an existing path, a shared directory, an unsafe ancestor', () => {
  const base = mkdtempSync(join(tmpdir(), 'gda-sock-'));
  try {
    const made = join(base, 'a', 'b');
    assert.equal(preparePrivateSocketPath(join(made, 'dap.sock')), join(made, 'dap.sock'));
    assert.equal(lstatSync(made).mode & 0o7777, 0o700);
    assert.equal(lstatSync(join(base, 'a')).mode & 0o7777, 0o700);

    writeFileSync(join(made, 'taken.sock'), '');
    assert.throws(() => preparePrivateSocketPath(join(made, 'taken.sock')), /already exists \(a file owned by uid \d+\)/);

    const open = join(base, 'open');
    mkdirSync(open, { mode: 0o700 });
    chmodSync(open, 0o750);
    assert.throws(() => preparePrivateSocketPath(join(open, 'dap.sock')), /is not a private directory \(owner uid \d+, mode 0750\)/);

    const loose = join(base, 'loose');
    mkdirSync(join(loose, 'inner'), { recursive: true, mode: 0o700 });
    chmodSync(loose, 0o777); // writable by all, no sticky bit: the inner directory could be renamed away
    assert.throws(() => preparePrivateSocketPath(join(loose, 'inner', 'dap.sock')), /loose, above the socket's directory, belongs to uid \d+ with mode 0777/);

    assert.throws(() => preparePrivateSocketPath(join(made, `${'x'.repeat(120)}.sock`)), /longer than 107 bytes/);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
});

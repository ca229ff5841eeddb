// The bundled executable in its parts (scripts/splitBundle.mjs): `initialize` is answered by
// the first two parts alone, over stdio and over --listen, and the rest is loaded for the
// first request that needs it. Run on copies of dist/ with parts left out.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../support/goBuild.js';

const dist = join(repoRoot, 'dist');

/** A directory with dist's loader and the named parts, and nothing else (no code cache). */
function partialDist(parts: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'gda-parts-'));
  for (const f of ['adapter.cjs', ...parts.map((p) => `${p}.cjs`)]) copyFileSync(join(dist, f), join(dir, f));
  return dir;
}

function frame(seq: number, command: string, args: object): string {
  const body = JSON.stringify({ seq, type: 'request', command, arguments: args });
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

/** The DAP messages read from `stream` until `until` accepts one of them. */
function readUntil(stream: NodeJS.ReadableStream, until: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const got: Record<string, unknown>[] = [];
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error(`no answer in time; got ${JSON.stringify(got)}`)), 20_000);
    stream.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        const head = /Content-Length: (\d+)\r\n\r\n/.exec(buf.toString('latin1'));
        if (!head) return;
        const start = head.index + head[0].length;
        const end = start + Number(head[1]);
        if (buf.length < end) return;
        const m = JSON.parse(buf.subarray(start, end).toString()) as Record<string, unknown>;
        buf = buf.subarray(end);
        got.push(m);
        if (until(m)) {
          clearTimeout(timer);
          resolve(got);
          return;
        }
      }
    });
  });
}

const INIT = { adapterID: 'go', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' };
const responseTo = (command: string) => (m: Record<string, unknown>) => m.type === 'response' && m.command === command;

function stop(p: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve();
    p.once('exit', () => resolve());
    p.kill('SIGKILL');
  });
}

test('without the rest of the bundle, initialize is answered over stdio', async () => {
  const dir = partialDist(['adapterMain', 'adapterSession']);
  // >> initialize  << initialize response (success, our capabilities)
  const p = spawn(process.execPath, [join(dir, 'adapter.cjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const answered = readUntil(p.stdout!, responseTo('initialize'));
    p.stdin!.write(frame(1, 'initialize', INIT));
    const init = (await answered).find(responseTo('initialize'))!;
    assert.equal(init.success, true);
    assert.equal((init.body as { supportsConfigurationDoneRequest?: boolean }).supportsConfigurationDoneRequest, true);
  } finally {
    await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without the rest of the bundle, a --listen server answers initialize', async () => {
  const dir = partialDist(['adapterMain', 'adapterSession']);
  const p = spawn(process.execPath, [join(dir, 'adapter.cjs'), '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let sock: Socket | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      p.stdout!.on('data', (d) => {
        out += d;
        const m = /listening at: 127\.0\.0\.1:(\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      p.once('exit', (code) => reject(new Error(`exited ${code} before listening`)));
    });
    // >> initialize (over TCP)  << initialize response
    const s = connect(port, '127.0.0.1');
    sock = s;
    const answered = readUntil(s, responseTo('initialize'));
    s.write(frame(1, 'initialize', INIT));
    const init = (await answered).find(responseTo('initialize'))!;
    assert.equal(init.success, true);
  } finally {
    sock?.destroy();
    await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
});

test('with every part, the first request that needs the rest loads it: threads lists the main thread before a launch', async () => {
  const dir = partialDist(['adapterMain', 'adapterSession', 'adapterRest']);
  const p = spawn(process.execPath, [join(dir, 'adapter.cjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    // >> initialize, threads (in one write: the rest is loaded for threads)  << both responses
    const answered = readUntil(p.stdout!, responseTo('threads'));
    p.stdin!.write(frame(1, 'initialize', INIT) + frame(2, 'threads', {}));
    const got = await answered;
    assert.equal(got.find(responseTo('initialize'))?.success, true);
    const threads = got.find(responseTo('threads'))!;
    assert.equal(threads.success, true);
    assert.deepEqual((threads.body as { threads: unknown[] }).threads, [{ id: 1, name: 'main' }]);
  } finally {
    await stop(p);
    rmSync(dir, { recursive: true, force: true });
  }
});

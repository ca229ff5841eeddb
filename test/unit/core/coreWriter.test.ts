// writeCoreFile against a memory of mapped regions with holes: read back by
// the ELF core decoder and CoreProcess, every readable byte is where it was,
// pages that could not be read are unreadable in the core (never zeros), a
// non-readable mapping and the kernel's pages have p_filesz 0, zero pages
// cost no disk, the threads keep their order, registers and signals; a
// cancelled dump leaves nothing and keeps an older file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseCoreHeaders } from '../../../src/binary/elfCore.js';
import { CoreProcess } from '../../../src/core/coreProcess.js';
import { CoreWriteCancelled, writeCoreFile, type CoreSource } from '../../../src/core/coreWriter.js';
import type { MemoryMapping, ProcessImage } from '../../../src/process/process.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-corewriter-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const PAGE = 4096;
const byte = (a: number) => ((a * 7) ^ (a >> 12)) & 0xff || 1;

function mapping(start: number, pages: number, perms: string, path = ''): MemoryMapping {
  return {
    start,
    end: start + pages * PAGE,
    read: perms[0] === 'r',
    write: perms[1] === 'w',
    exec: perms[2] === 'x',
    shared: false,
    offset: 0,
    inode: path.startsWith('/') ? 1 : 0,
    path,
  };
}

const CODE = 0x400000;
const DATA = 0x500000;
const GUARD = 0x600000;
const ZERO = 0x700000;
const VVAR = 0x7ff000000000;
/** Pages 3 and 4 of DATA cannot be read. */
const HOLE = [DATA + 3 * PAGE, DATA + 5 * PAGE] as const;

const mappings = [
  mapping(CODE, 4, 'r-x', '/bin/prog'),
  mapping(DATA, 8, 'rw-'),
  mapping(GUARD, 16, '---'),
  mapping(ZERO, 256, 'rw-'),
  mapping(VVAR, 4, 'r--', '[vvar]'),
];

function source(): CoreSource {
  const readable = (a: number) =>
    (a >= CODE && a < CODE + 4 * PAGE) || (a >= DATA && a < DATA + 8 * PAGE && !(a >= HOLE[0] && a < HOLE[1])) || (a >= ZERO && a < ZERO + 256 * PAGE);
  const image: ProcessImage = {
    mappings,
    auxv: new Uint8Array(new BigUint64Array([9n, BigInt(CODE + 0x40), 0n, 0n]).buffer),
    pendingSignals: new Map(),
    info: { pid: 100, ppid: 1, pgrp: 100, sid: 100, uid: 1000, gid: 1000, state: 't', nice: 0, flags: 0, name: 'prog', args: 'prog -x' },
  };
  const regs = (tid: number) => {
    const r = new BigUint64Array(27);
    r[16] = BigInt(CODE + tid); // rip
    r[19] = BigInt(DATA + 0x100); // rsp
    return r;
  };
  return {
    threads: [
      { tid: 102, regs: regs(102), fp: new Uint8Array(512).fill(7), signal: 11 },
      { tid: 100, regs: regs(100), signal: 0 },
    ],
    image,
    mem: {
      readInto(addr, out) {
        let n = 0;
        while (n < out.length && readable(addr + n)) {
          out[n] = addr + n >= ZERO ? 0 : byte(addr + n);
          n++;
        }
        return n;
      },
    },
  };
}

test('the core holds what was readable, says what was not, and keeps the threads', async () => {
  const path = join(dir, 'core');
  const r = await writeCoreFile(path, source());
  assert.equal(r.size, statSync(path).size);
  assert.deepEqual(r.unreadable, [{ start: HOLE[0], end: HOLE[1] }]);
  // code, data before the hole, the hole, data after it, the guard, the zero mapping, vvar
  assert.equal(r.segments, 7);
  assert.equal(r.dumped, 4 * PAGE + 6 * PAGE + 256 * PAGE);
  assert.ok(r.diskBytes < 64 * PAGE, `the zero mapping is a hole on disk (${r.diskBytes} bytes used)`);

  const head = readFileSync(path);
  const { segments } = parseCoreHeaders(new Uint8Array(head.buffer, head.byteOffset, head.byteLength));
  const at = (vaddr: number) => segments.find((s) => s.vaddr === vaddr)!;
  assert.equal(at(GUARD).filesz, 0);
  assert.equal(at(GUARD).memsz, 16 * PAGE);
  assert.equal(at(VVAR).filesz, 0);
  assert.equal(at(HOLE[0]).filesz, 0);
  assert.equal(at(HOLE[0]).memsz, 2 * PAGE);
  for (const s of segments) assert.equal(s.offset % PAGE, s.vaddr % PAGE, 'p_offset ≡ p_vaddr modulo the page size');

  const core = CoreProcess.open(path, '/bin/prog');
  try {
    assert.deepEqual(core.threadIds(), [102, 100]);
    assert.deepEqual(core.stopReason(), { kind: 'exception', tid: 102, signal: 11 });
    assert.equal(core.getRegs(102).pc, CODE + 102);
    assert.equal(core.getRegs(102).fp?.[100], 7);
    assert.equal(core.getRegs(100).fp, undefined);
    assert.equal(core.entryAddress(), CODE + 0x40);
    const expect = (a: number, len: number) => Uint8Array.from({ length: len }, (_, k) => byte(a + k));
    assert.deepEqual(core.read(CODE + 10, 100), expect(CODE + 10, 100));
    assert.deepEqual(core.read(DATA, 3 * PAGE), expect(DATA, 3 * PAGE));
    assert.deepEqual(core.read(HOLE[1], 3 * PAGE), expect(HOLE[1], 3 * PAGE));
    // Up to the hole and no further: not zeros.
    const out = new Uint8Array(2 * PAGE);
    assert.equal(core.readInto(HOLE[0] - PAGE, out), PAGE);
    assert.equal(core.readInto(HOLE[0], out), 0);
    assert.deepEqual(core.read(ZERO + 100 * PAGE, PAGE), new Uint8Array(PAGE));
  } finally {
    core.detach();
  }
});

test('a cancelled dump leaves no file and keeps the one that was there', async () => {
  const path = join(dir, 'kept');
  writeFileSync(path, 'an older core');
  const abort = new AbortController();
  abort.abort();
  await assert.rejects(writeCoreFile(path, source(), { signal: abort.signal }), CoreWriteCancelled);
  assert.equal(readFileSync(path, 'utf8'), 'an older core');
  assert.ok(!existsSync(`${path}.partial`));
  // A check that fails (the process resumed) ends the dump the same way.
  const src = source();
  src.check = () => {
    throw new Error('resumed');
  };
  await assert.rejects(writeCoreFile(join(dir, 'never'), src), /resumed/);
  assert.ok(!existsSync(join(dir, 'never')) && !existsSync(join(dir, 'never.partial')));
});

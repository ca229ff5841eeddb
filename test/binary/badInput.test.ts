/**
 * Files we cannot debug must fail with a BinaryError (a DecodeError) that
 * says why: not ELF, wrong class/machine, a C program, truncated, stripped of
 * the Go tables, too old a Go. Stripped symbols alone are fine.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BinaryError } from '../../src/binary/binaryError.js';
import { ElfFile } from '../../src/binary/elf.js';
import { GoBinary } from '../../src/binary/goBinary.js';
import { DecodeError } from '../../src/binary/reader.js';
import { buildFixture, cacheDir, testdataDir } from '../support/goBuild.js';
import { markLine, readBytes } from './oracle.js';

/** A minimal ELF header: 64 bytes for ELF64, 52 for ELF32, no sections. */
function elfHeader(opts: { cls?: number; data?: number; machine?: number; length?: number } = {}): Uint8Array {
  const cls = opts.cls ?? 2;
  const b = new Uint8Array(opts.length ?? (cls === 1 ? 52 : 64));
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, cls, opts.data ?? 1, 1], 0);
  if (b.length >= 24) {
    v.setUint16(16, 2, true); // ET_EXEC
    v.setUint16(18, opts.machine ?? 62, true);
    v.setUint32(20, 1, true);
  }
  if (cls === 2 && b.length >= 64) v.setUint16(52, 64, true);
  return b;
}

function expectError(fn: () => unknown, kind: string | undefined, message: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof DecodeError, `a DecodeError, got ${String(e)}`);
    if (kind) {
      assert.ok(e instanceof BinaryError, `a BinaryError, got ${String(e)}`);
      assert.equal(e.kind, kind);
    }
    assert.match(e.message, message);
    return true;
  });
}

test('not an ELF file', () => {
  expectError(() => GoBinary.open(new TextEncoder().encode('#!/bin/sh\necho hello\n')), 'notElf', /not an ELF file/);
  expectError(() => GoBinary.open(new Uint8Array(0)), 'notElf', /not an ELF file/);
  expectError(() => ElfFile.parse(new Uint8Array([0x7f, 0x45])), 'notElf', /not an ELF file/);
});

test('ELF we do not support: 32-bit, big-endian, other machines, short header', () => {
  const ok = ElfFile.parse(elfHeader());
  assert.equal(ok.sections.length, 0);
  expectError(() => GoBinary.open(elfHeader({ cls: 1 })), 'unsupportedElf', /32-bit ELF is not supported/);
  expectError(() => GoBinary.open(elfHeader({ data: 2 })), 'unsupportedElf', /big-endian/);
  expectError(() => GoBinary.open(elfHeader({ machine: 183 })), 'unsupportedElf', /ELF for machine 183 is not x86-64/);
  expectError(() => GoBinary.open(elfHeader({ machine: 3 })), 'unsupportedElf', /machine 3 is not x86-64/);
  expectError(() => GoBinary.open(elfHeader({ length: 40 })), 'truncated', /ELF header truncated/);
  // A valid ELF64 x86-64 header with no sections at all: not Go.
  expectError(() => GoBinary.open(elfHeader()), 'notGo', /not a Go binary \(no \.gopclntab section\)/);
});

test('a C program is not a Go binary', (t) => {
  let gcc = '';
  try {
    gcc = execFileSync('sh', ['-c', 'command -v gcc || command -v cc'], { encoding: 'utf8' }).trim();
  } catch {
    // handled below
  }
  if (!gcc) {
    t.skip('no C compiler (gcc/cc) installed');
    return;
  }
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, 'hello-c');
  if (!existsSync(out)) {
    execFileSync(gcc, ['-x', 'c', '-', '-o', out], { input: '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' });
  }
  const bytes = readBytes(out);
  const elf = ElfFile.parse(bytes);
  assert.ok(elf.section('.text'));
  assert.ok(elf.symbols().some((s) => s.name === 'main'));
  expectError(() => GoBinary.open(bytes), 'notGo', /not a Go binary \(no \.gopclntab section\)/);
});

test('a truncated Go binary', () => {
  const bytes = readBytes(buildFixture('binmulti'));
  for (const len of [100, 4096, bytes.length >> 1, bytes.length - 1]) {
    expectError(() => GoBinary.open(bytes.subarray(0, len)), 'truncated', /truncated/);
  }
});

test('pclntab of Go 1.17 or older is refused clearly', () => {
  const bytes = readBytes(buildFixture('binmulti')).slice();
  const sec = ElfFile.parse(bytes).section('.gopclntab')!;
  new DataView(bytes.buffer).setUint32(sec.offset, 0xfffffffa, true); // the Go 1.16–1.17 magic
  expectError(() => GoBinary.open(bytes), 'goTooOld', /Go 1\.17 or older is not supported/);
  new DataView(bytes.buffer).setUint32(sec.offset, 0x12345678, true);
  expectError(() => GoBinary.open(bytes), undefined, /unknown pclntab magic/);
});

test('a binary built with -ldflags=-s -w (no symbols, no DWARF) still works, inline trees included', () => {
  const path = buildFixture('bininline', { flags: ['-ldflags=-s -w'] });
  const bin = GoBinary.open(readBytes(path));
  assert.equal(bin.hasDwarf, false);
  assert.equal(bin.elf.symbols().length, 0);
  const p = bin.pclntab;
  assert.ok(p.funcByName('main.compute'));
  const frames = readFileSync(join(testdataDir, 'bininline/frames.go'), 'utf8');
  const sites = p.pcsForLine(join(testdataDir, 'bininline/frames.go'), markLine(frames, 'leafCall'));
  assert.ok(sites.length >= 1);
  // gofunc comes from moduledata (.go.module) when there is no go:func.* symbol.
  const inTop = sites.find((s) => s.func.name === 'main.top');
  assert.ok(inTop, 'leaf is inlined into top');
  assert.deepEqual(
    p.inlinedFramesAt(inTop.pc).map((f) => f.funcName),
    ['main.leaf', 'main.mid', 'main.top'],
  );
});

test('a Go binary without its .gopclntab is refused', (t) => {
  let objcopy = '';
  try {
    objcopy = execFileSync('sh', ['-c', 'command -v objcopy'], { encoding: 'utf8' }).trim();
  } catch {
    // handled below
  }
  if (!objcopy) {
    t.skip('objcopy (binutils) is not installed');
    return;
  }
  const src = buildFixture('binmulti');
  // Named after the (content- and path-hashed) source binary, so a changed source rebuilds it.
  const out = `${src}-nopclntab`;
  if (!existsSync(out)) execFileSync(objcopy, ['--remove-section=.gopclntab', '--strip-all', src, out]);
  expectError(() => GoBinary.open(readBytes(out)), 'notGo', /not a Go binary/);
});

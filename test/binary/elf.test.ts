/**
 * ELF and build info vs Go's debug/elf and debug/buildinfo (through the
 * oracle), including zlib-compressed sections (SHF_COMPRESSED from the Go
 * linker, legacy .zdebug_* from objcopy).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type GoModule, parseModInfo, readBuildInfo } from '../../src/binary/buildinfo.js';
import { ElfFile, SHF_COMPRESSED } from '../../src/binary/elf.js';
import type { FileBytes } from '../../src/binary/fileBytes.js';
import { GoBinary } from '../../src/binary/goBinary.js';
import { DecodeError } from '../../src/binary/reader.js';
import { Symbols } from '../../src/debuggee/symbols.js';
import { buildFixture, cacheDir, goBin, goToolBinary } from '../support/goBuild.js';
import { type OracleModule, openBinary, oracleBinary, oracleBuildInfo, readBytes, runOracle } from './oracle.js';

interface OracleElf {
  entry: number;
  type: number;
  progs: number[][];
  sections: { name: string; fields: number[]; hash: string }[];
  symbols: { name: string; value: number; size: number; type: number; bind: number; section: number }[];
}

function oracleElf(path: string): OracleElf {
  const out: OracleElf = { entry: 0, type: 0, progs: [], sections: [], symbols: [] };
  for (const line of runOracle(['elf', path]).split('\n')) {
    const f = line.split(' ');
    if (f[0] === 'E') {
      out.entry = parseInt(f[1]!, 16);
      out.type = Number(f[2]);
    } else if (f[0] === 'H') out.progs.push([Number(f[1]), Number(f[2]), ...f.slice(3, 7).map((x) => parseInt(x, 16))]);
    else if (f[0] === 'S') {
      // S name type flags addr offset filesize link info entsize hash
      const [, name, type, flags, addr, off, size, link, info, entsize, hash] = f;
      out.sections.push({
        name: name!,
        fields: [Number(type), Number(flags), parseInt(addr!, 16), parseInt(off!, 16), parseInt(size!, 16), Number(link), Number(info), Number(entsize)],
        hash: hash!,
      });
    } else if (f[0] === 'Y') {
      out.symbols.push({
        value: parseInt(f[1]!, 16),
        size: parseInt(f[2]!, 16),
        type: Number(f[3]),
        bind: Number(f[4]),
        section: Number(f[5]),
        name: f.slice(6).join(' '),
      });
    }
  }
  return out;
}

function sha(data: Uint8Array): string {
  return `${createHash('sha256').update(data).digest('hex')}:${data.length}`;
}

/** The file read on demand with pread, as the debugger opens programs; `bytesRead` counts what was read. */
function fileOnDemand(path: string): FileBytes & { bytesRead: number; close(): void } {
  const fd = openSync(path, 'r');
  const f = {
    length: statSync(path).size,
    bytesRead: 0,
    read(off: number, len: number): Uint8Array {
      const out = new Uint8Array(len);
      assert.equal(readSync(fd, out, 0, len, off), len, `read of ${len} bytes at ${off}`);
      f.bytesRead += len;
      return out;
    },
    close: () => closeSync(fd),
  };
  return f;
}

function checkAgainstDebugElf(path: string, onDemand = false): { sections: number; symbols: number; compressed: number } {
  const file = onDemand ? fileOnDemand(path) : undefined;
  const elf = ElfFile.parse(file ?? readBytes(path));
  const want = oracleElf(path);
  assert.equal(elf.entry, want.entry);
  assert.equal(elf.type, want.type);
  assert.deepEqual(
    elf.programHeaders.map((p) => [p.type, p.flags, p.offset, p.vaddr, p.filesz, p.memsz]),
    want.progs,
  );
  assert.equal(elf.sections.length, want.sections.length);
  let compressed = 0;
  want.sections.forEach((w, i) => {
    const s = elf.sections[i]!;
    assert.equal(s.name, w.name);
    assert.deepEqual([s.type, s.flags, s.addr, s.offset, s.size, s.link, s.info, s.entsize], w.fields, s.name);
    if (w.hash !== '-') {
      // debug/elf inflates SHF_COMPRESSED and .zdebug_* sections; so must we.
      const name = s.name.startsWith('.zdebug_') ? `.debug_${s.name.slice('.zdebug_'.length)}` : s.name;
      const data = elf.sectionData(name);
      assert.ok(data, `data of ${name}`);
      assert.equal(sha(data), w.hash, `contents of ${s.name}`);
      if (s.flags & SHF_COMPRESSED || s.name.startsWith('.zdebug_')) compressed++;
    }
  });
  const syms = elf.symbols();
  assert.equal(syms.length, want.symbols.length);
  want.symbols.forEach((w, i) => assert.deepEqual({ ...syms[i]! }, w));
  file?.close();
  return { sections: elf.sections.length, symbols: syms.length, compressed };
}

test('ELF headers, sections, inflated data and symbols match debug/elf', (t) => {
  for (const [name, flags] of [
    ['binmulti', undefined],
    ['binclosure', []],
  ] as const) {
    const path = buildFixture(name, flags ? { flags: [...flags] } : {});
    const n = checkAgainstDebugElf(path);
    if (!flags) assert.ok(n.compressed >= 3, 'the Go linker compresses .debug_* sections');
    t.diagnostic(`${name}: ${n.sections} sections (${n.compressed} compressed), ${n.symbols} symbols agree`);
    // The same answers when the file is read in ranges on demand instead of whole.
    assert.deepEqual(checkAgainstDebugElf(path, true), n);
  }
});

test('sections inflated on the thread pool (prefetch) match debug/elf and are not read or inflated again', async (t) => {
  const path = buildFixture('binmulti');
  const want = new Map(oracleElf(path).sections.map((w) => [w.name, w.hash]));
  const file = fileOnDemand(path);
  const elf = ElfFile.parse(file);
  const names = elf.sections.filter((s) => s.flags & SHF_COMPRESSED).map((s) => s.name);
  // Nothing is under way yet: settled at once.
  await elf.prefetched(names);
  elf.prefetch(names);
  await elf.prefetched(names);
  let pooled = 0;
  for (const name of names) {
    const before = file.bytesRead;
    const data = elf.sectionData(name);
    assert.ok(data, name);
    assert.equal(sha(data), want.get(name), `contents of ${name}`);
    // A section prefetched is answered from memory; a small one (under 64 KiB in the file) is inflated when read.
    const small = elf.section(name)!.size < 64 << 10;
    assert.equal(file.bytesRead === before, !small, `${name}: read again ${!small ? '(prefetched)' : '(small)'}`);
    if (!small) pooled++;
  }
  assert.ok(pooled >= 2, 'binmulti has compressed sections of 64 KiB and more');
  t.diagnostic(`${names.length} compressed sections, ${pooled} inflated on the thread pool`);
  file.close();
});

test('legacy .zdebug_* sections (objcopy --compress-debug-sections=zlib-gnu)', (t) => {
  let objcopy = '';
  try {
    objcopy = execFileSync('sh', ['-c', 'command -v objcopy'], { encoding: 'utf8' }).trim();
  } catch {
    // handled below
  }
  if (!objcopy) {
    t.skip('objcopy (binutils) is not installed: cannot make a .zdebug_* binary');
    return;
  }
  const src = buildFixture('binmulti');
  mkdirSync(cacheDir, { recursive: true });
  const out = `${src}-zdebug`; // named after the hashed source binary
  if (!existsSync(out)) execFileSync(objcopy, ['--compress-debug-sections=zlib-gnu', src, out]);
  const elf = ElfFile.parse(readBytes(out));
  assert.ok(elf.section('.zdebug_info'), 'objcopy wrote .zdebug_info');
  const n = checkAgainstDebugElf(out);
  // Same contents as the linker's SHF_COMPRESSED sections.
  const orig = ElfFile.parse(readBytes(src));
  for (const name of ['.debug_info', '.debug_line', '.debug_abbrev']) {
    assert.deepEqual(elf.sectionData(name), orig.sectionData(name), name);
  }
  t.diagnostic(`.zdebug binary: ${n.compressed} legacy compressed sections inflated`);
});

test('readAt reads the image by virtual address', () => {
  const path = buildFixture('binmulti');
  const elf = ElfFile.parse(readBytes(path));
  const text = elf.section('.text')!;
  const bytes = elf.readAt(text.addr + 16, 32)!;
  assert.deepEqual(bytes, elf.sectionData('.text')!.subarray(16, 48));
  assert.equal(elf.readAt(text.addr + text.size - 4, 8 + 0x10000000), undefined);
  assert.equal(elf.readAt(0x10, 4), undefined);
  const bss = elf.section('.bss')!;
  assert.equal(elf.readAt(bss.addr + 8, 8), undefined, 'NOBITS has no file bytes');
  const sym = elf.symbol('runtime.text')!;
  assert.equal(sym.value, text.addr);
});

function fromOracle(m: OracleModule | undefined): GoModule | undefined {
  if (!m?.Path) return undefined;
  const out: GoModule = { path: m.Path, version: m.Version };
  if (m.Sum) out.sum = m.Sum;
  if (m.Replace) out.replace = fromOracle(m.Replace);
  return out;
}

test('build info matches debug/buildinfo and go env GOVERSION', (t) => {
  const goVersion = execFileSync(goBin(), ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
  const subjects: [string, string][] = [
    ...['binmulti', 'binclosure', 'bininline', 'oracle'].map((n): [string, string] => [n, buildFixture(n, n === 'oracle' ? { flags: [] } : {})]),
    ['compile', goToolBinary('compile')],
  ];
  for (const [name, path] of subjects) {
    const bin = openBinary(path);
    const bi = bin.buildInfo;
    assert.ok(bi);
    assert.equal(bi.goVersion, goVersion);
    assert.equal(bin.goVersion, goVersion);
    if (name !== 'compile') {
      assert.equal(bi.path, `example.com/testdata/${name}`);
      assert.equal(bi.mainModule?.path, 'example.com/testdata');
    }
    const want = oracleBuildInfo(path);
    assert.equal(bi.goVersion, want.GoVersion);
    assert.equal(bi.path, want.Path);
    assert.deepEqual(bi.mainModule, fromOracle(want.Main));
    assert.deepEqual(bi.deps, (want.Deps ?? []).map(fromOracle));
    assert.deepEqual(
      [...bi.settings],
      want.Settings.map((s) => [s.Key, s.Value ?? '']),
    );
    // Flags with spaces are Go-quoted in the blob.
    if (!['oracle', 'compile'].includes(name)) assert.equal(bi.settings.get('-gcflags'), 'all=-N -l');
    t.diagnostic(`${name}: ${bi.goVersion}, ${bi.path}, ${bi.settings.size} settings`);
  }
  assert.equal(readBuildInfo(ElfFile.parse(readBytes(buildFixture('binmulti'))))?.goVersion, goVersion);
});

test('module text parses like runtime/debug.ParseBuildInfo', () => {
  const text = [
    'path\texample.com/app/cmd/x',
    'mod\texample.com/app\tv1.2.3\th1:main=',
    'dep\tgolang.org/x/text\tv0.3.0\th1:abc=',
    '=>\t../text\t(devel)\t',
    'dep\tgithub.com/a/b\tv0.0.0-2020\t',
    '=>\tgithub.com/c/d\tv1.0.0\th1:cd=',
    'build\t-ldflags="-X main.v=1 -s"',
    'build\t"key with space"=plain',
    'build\tvcs.time=2024-01-01T00:00:00Z',
    'build\tCGO_CFLAGS=',
    'build\tq="tab\\there \\"quoted\\" \\u00e9"',
    '',
  ].join('\n');
  const want = JSON.parse(execFileSync(oracleBinary(), ['modinfo'], { input: text, encoding: 'utf8' }));
  const got = parseModInfo(text);
  assert.equal(got.path, want.Path);
  assert.deepEqual(got.mainModule, fromOracle(want.Main));
  assert.deepEqual(got.deps, want.Deps.map(fromOracle));
  assert.deepEqual(
    [...got.settings],
    want.Settings.map((s: { Key: string; Value?: string }) => [s.Key, s.Value ?? '']),
  );
  assert.equal(got.settings.get('q'), 'tab\there "quoted" \u00e9');
});

test('build info in the pre-1.18 pointer format (synthesized) matches debug/buildinfo', () => {
  const bytes = readBytes(buildFixture('binmulti')).slice();
  const sec = ElfFile.parse(bytes).section('.go.buildinfo')!;
  const v = new DataView(bytes.buffer, bytes.byteOffset + sec.offset, sec.size);
  const hex = (h: string): number[] => h.match(/../g)!.map((x) => parseInt(x, 16));
  const mod = [
    ...hex('3077af0c9274080241e1c107e6d618e6'),
    ...new TextEncoder().encode('path\texample.com/old\nmod\texample.com/old\t(devel)\t\nbuild\tGOOS=linux\n'),
    ...hex('f932433186182072008242104116d8f2'),
  ];
  const version = new TextEncoder().encode('go1.17.9');
  new Uint8Array(bytes.buffer, bytes.byteOffset + sec.offset + 16, sec.size - 16).fill(0);
  v.setUint8(14, 8); // pointer size
  v.setUint8(15, 0); // flags: pointer format, little-endian
  const at = (off: number): bigint => BigInt(sec.addr + off);
  v.setBigUint64(16, at(32), true); // -> version string header
  v.setBigUint64(24, at(48), true); // -> modinfo string header
  v.setBigUint64(32, at(64), true);
  v.setBigUint64(40, BigInt(version.length), true);
  v.setBigUint64(48, at(80), true);
  v.setBigUint64(56, BigInt(mod.length), true);
  bytes.set(version, sec.offset + 64);
  bytes.set(mod, sec.offset + 80);
  mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, 'binmulti-oldbuildinfo');
  writeFileSync(out, bytes);
  const got = readBuildInfo(ElfFile.parse(bytes))!;
  const want = oracleBuildInfo(out);
  assert.equal(got.goVersion, 'go1.17.9');
  assert.equal(got.goVersion, want.GoVersion);
  assert.equal(got.path, want.Path);
  assert.deepEqual(got.mainModule, fromOracle(want.Main));
  assert.deepEqual(
    [...got.settings],
    want.Settings.map((s) => [s.Key, s.Value ?? '']),
  );
});

test('a corrupt zlib stream is a DecodeError', () => {
  const bytes = readBytes(buildFixture('binmulti')).slice();
  const sec = ElfFile.parse(bytes).section('.debug_info')!;
  assert.ok(sec.flags & SHF_COMPRESSED);
  bytes.fill(0x55, sec.offset + 24 + 100, sec.offset + 24 + 140); // inside the deflate stream, after Elf64_Chdr
  const elf = ElfFile.parse(bytes);
  assert.throws(
    () => elf.sectionData('.debug_info'),
    (e) => e instanceof DecodeError && /\.debug_info: (corrupt zlib stream|inflated to)/.test(e.message),
  );
  const bad = readBytes(buildFixture('binmulti')).slice();
  new DataView(bad.buffer, bad.byteOffset).setUint32(sec.offset, 2, true); // ELFCOMPRESS_ZSTD
  assert.throws(() => ElfFile.parse(bad).sectionData('.debug_info'), /zstd-compressed sections are not supported/);
});

test('the toolchain binaries open: no DWARF, build info, text start', () => {
  for (const tool of ['compile', 'link']) {
    const bin = openBinary(join(execFileSync(goBin(), ['env', 'GOTOOLDIR'], { encoding: 'utf8' }).trim(), tool));
    assert.equal(bin.hasDwarf, false, `${tool} is built without DWARF`);
    assert.equal(bin.buildInfo?.path, `cmd/${tool}`);
    assert.equal(bin.textStart, bin.elf.section('.text')!.addr);
  }
  assert.equal(openBinary(buildFixture('binmulti')).hasDwarf, true);
});

test('a file read on demand: the same bytes by address as the file in memory, and only what is asked for', () => {
  const path = buildFixture('binmulti');
  const whole = ElfFile.parse(readBytes(path));
  const file = fileOnDemand(path);
  try {
    const bin = GoBinary.open(file);
    // Opening reads the headers, the pclntab and the build info: not the code nor the DWARF.
    const pcln = whole.section('.gopclntab')!.size;
    assert.ok(file.bytesRead < pcln + (1 << 18), `opening read ${file.bytesRead} bytes of ${file.length} (pclntab ${pcln})`);
    const elf = bin.elf;
    // Small reads go through 64 KiB blocks: ranges inside one, across two, at a section's ends.
    for (const name of ['.text', '.rodata', '.noptrdata', '.data']) {
      const s = whole.section(name)!;
      for (const off of [0, 1, 100, 0xfff8, 0xfffc, 0x10000, 0x1fff0, s.size - 40, s.size - 8]) {
        for (const len of [1, 8, 24, 40]) {
          if (off < 0 || off + len > s.size) continue;
          assert.deepEqual(elf.readAt(s.addr + off, len), whole.readAt(s.addr + off, len), `${name}+0x${off.toString(16)} (${len} bytes)`);
        }
      }
      assert.equal(elf.readAt(s.addr + s.size - 4, 8 + 0x10000000), undefined, `${name}: a range past the image`);
    }
    // A large read is the same as well.
    const text = whole.section('.text')!;
    assert.deepEqual(elf.readAt(text.addr + 3, 300_000), whole.readAt(text.addr + 3, 300_000));
    assert.deepEqual(elf.sectionData('.debug_line'), whole.sectionData('.debug_line'));
  } finally {
    file.close();
  }
});

test('the scratch slot for out-of-line steps: 16 bytes of int3 padding, found reading .text a block at a time', () => {
  for (const name of ['binmulti', 'binclosure']) {
    const path = buildFixture(name);
    const bytes = readBytes(path);
    const whole = ElfFile.parse(bytes);
    const text = whole.section('.text')!;
    const symbols = Symbols.open(path);
    const slot = symbols.scratchSlot();
    assert.ok(slot !== undefined, `${name}: a slot`);
    assert.equal(slot % 16, 0, `${name}: 16-byte aligned`);
    const code = whole.sectionData('.text')!;
    const at = slot - text.addr;
    assert.deepEqual([...code.subarray(at, at + 16)], new Array(16).fill(0xcc), `${name}: int3 padding in the file`);
    assert.equal(symbols.funcForPC(slot), symbols.funcForPC(slot + 15), `${name}: within one function's padding`);
    // The first such gap past the first 4 KiB of .text, as a scan of the whole section finds it.
    let first: number | undefined;
    for (let a = text.addr + 4096 + ((16 - ((text.addr + 4096) % 16)) % 16); a + 16 <= text.addr + text.size; a += 16) {
      const o = a - text.addr;
      if (code.subarray(o, o + 16).every((b) => b === 0xcc) && symbols.funcForPC(a) === symbols.funcForPC(a + 15)) {
        first = a;
        break;
      }
    }
    assert.equal(slot, first, `${name}: the first aligned gap`);
  }
});

/**
 * The ELF core decoder against binutils: the PT_LOAD segments of a kernel
 * core match `readelf -lW`, and there is one thread per NT_PRSTATUS note that
 * `readelf -n` lists, the first being the one that got the signal.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { coreHeaderSize, parseCoreHeaders, parseCoreNotes } from '../../src/binary/elfCore.js';
import { kernelCore } from '../support/coreFile.js';
import { buildFixture } from '../support/goBuild.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-elfcore-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a kernel core: segments as readelf shows them, one thread per NT_PRSTATUS', () => {
  const binary = buildFixture('corecrash');
  const core = kernelCore(binary, dir);
  const bytes = new Uint8Array(readFileSync(core));
  const { segments, notes } = parseCoreHeaders(bytes.subarray(0, coreHeaderSize(bytes)));
  const loads = execFileSync('readelf', ['-lW', core], { encoding: 'utf8' })
    .split('\n')
    .filter((l) => /^\s+LOAD\s/.test(l))
    .map((l) => l.trim().split(/\s+/))
    .map((w) => ({ offset: Number(w[1]), vaddr: Number(w[2]), filesz: Number(w[4]), memsz: Number(w[5]) }))
    .sort((a, b) => a.vaddr - b.vaddr);
  assert.ok(loads.length > 5, 'readelf lists the segments');
  assert.deepEqual(
    segments.map((s) => ({ offset: s.offset, vaddr: s.vaddr, filesz: s.filesz, memsz: s.memsz })),
    loads,
  );
  const parsed = { threads: [], files: [] } as ReturnType<typeof parseCoreNotes>;
  for (const n of notes) parseCoreNotes(bytes.subarray(n.offset, n.offset + n.size), parsed);
  const prstatus = (execFileSync('readelf', ['-n', core], { encoding: 'utf8', maxBuffer: 64 << 20 }).match(/NT_PRSTATUS/g) ?? []).length;
  assert.ok(prstatus >= 2, 'a Go program has several threads');
  assert.equal(parsed.threads.length, prstatus);
  assert.equal(parsed.threads[0]!.signal, 6, 'the first thread got SIGABRT');
  assert.ok(
    parsed.threads.every((t) => t.fp?.length === 512),
    'every thread has its FXSAVE area',
  );
  assert.ok(parsed.entry !== undefined && parsed.entry > 0x400000, 'AT_ENTRY from NT_AUXV');
  assert.ok(
    parsed.files.some((f) => f.path === binary && f.fileOffset === 0),
    'NT_FILE maps the binary from its start',
  );
});

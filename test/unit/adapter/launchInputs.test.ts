// What a launch configuration and a program file may be, checked before
// anything is read: devices, FIFOs and oversized env files are refused with the
// reason; a program file must be a regular file that begins with an ELF
// header whose section headers lie inside the file. No Go build, no process.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateLaunchArguments } from '../../../src/adapter/launchConfig.js';
import { loadEnvFile } from '../../../src/adapter/launchInputs.js';
import { checkProgramFile } from '../../../src/debuggee/loadSymbols.js';
import { UserError } from '../../../src/util/userErrors.js';

const dir = mkdtempSync(join(tmpdir(), 'gda-inputs-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

function launchError(raw: Record<string, unknown>): string {
  const r = validateLaunchArguments(raw);
  assert.ok(!r.ok, `expected an error for ${JSON.stringify(raw)}`);
  return r.error;
}

test('program: a character device or a FIFO is refused in every mode', () => {
  const fifo = join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  for (const mode of ['exec', 'debug', 'test']) {
    for (const program of ['/dev/zero', '/dev/null', fifo]) {
      assert.equal(
        launchError({ mode, program }),
        `\`program\` "${program}" is not a regular file or a directory (a device, FIFO or socket): give a package directory, a .go file or a built binary`,
      );
    }
  }
});

test('envFile: a device, a directory or a file over 1 MiB is refused with the reason', () => {
  assert.throws(() => loadEnvFile('/dev/zero'), /^Error: cannot read envFile "\/dev\/zero": it is not a regular file$/);
  assert.throws(() => loadEnvFile(dir), /it is not a regular file/);
  const big = join(dir, 'big.env');
  writeFileSync(big, '');
  truncateSync(big, (1 << 20) + 1);
  assert.throws(() => loadEnvFile(big), new RegExp(`it is ${(1 << 20) + 1} bytes, more than ${1 << 20}`));
  assert.throws(() => loadEnvFile(join(dir, 'missing.env')), /no such file/);
});

function programError(path: string): string {
  try {
    checkProgramFile(path);
  } catch (e) {
    assert.ok(e instanceof UserError, String(e));
    return e.message;
  }
  return assert.fail(`${path} passed`);
}

test('a program file: regular, not empty, ELF magic first, section headers inside the file', () => {
  assert.match(programError('/dev/zero'), /cannot be debugged: it is a character device, not a program file$/);
  assert.match(programError(dir), /it is a directory/);
  const tiny = join(dir, 'tiny');
  writeFileSync(tiny, 'ab');
  assert.match(programError(tiny), /it is 2 bytes long, too short for an ELF header/);
  const sparse = join(dir, 'sparse');
  writeFileSync(sparse, '');
  truncateSync(sparse, 3 * 2 ** 30);
  assert.match(programError(sparse), /it is 3221225472 bytes, more than the 2147483647 bytes \(2 GiB\)/);
  truncateSync(sparse, 1 << 30);
  assert.match(programError(sparse), /not an ELF file \(bad magic\)/);
  // An ELF64 header whose section header table (at 0x1000, 10 entries of 64 bytes) lies past the end of a 2 KiB file.
  const cut = join(dir, 'cut');
  const h = Buffer.alloc(2048);
  h.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  h.writeBigUInt64LE(0x1000n, 0x28);
  h.writeUInt16LE(64, 0x3a);
  h.writeUInt16LE(10, 0x3c);
  writeFileSync(cut, h);
  assert.match(programError(cut), /its section headers end at byte 4736, past the end of the file \(2048 bytes\): truncated\?/);
  // The same header in a 1 GiB file: the headers fit, but no section is named .gopclntab or .symtab.
  const fd = openSync(cut, 'r+');
  writeSync(fd, Buffer.alloc(1), 0, 1, 2 ** 30 - 1);
  closeSync(fd);
  assert.match(programError(cut), /not a Go binary: .*no \.gopclntab section/);
  // Section headers at 0x40: [null, .shstrtab, .gopclntab], names at 0x100: the check passes (the decoder reads the rest).
  const named = join(dir, 'named');
  const b = Buffer.alloc(0x200);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1]);
  b.writeBigUInt64LE(0x40n, 0x28);
  b.writeUInt16LE(64, 0x3a);
  b.writeUInt16LE(3, 0x3c);
  b.writeUInt16LE(1, 0x3e);
  const names = '\0.shstrtab\0.gopclntab\0';
  b.write(names, 0x100, 'latin1');
  b.writeUInt32LE(1, 0x40 + 64); // .shstrtab: name, offset, size
  b.writeBigUInt64LE(0x100n, 0x40 + 64 + 0x18);
  b.writeBigUInt64LE(BigInt(names.length), 0x40 + 64 + 0x20);
  b.writeUInt32LE(11, 0x40 + 128); // .gopclntab
  writeFileSync(named, b);
  checkProgramFile(named);
});

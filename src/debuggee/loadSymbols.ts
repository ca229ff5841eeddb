/**
 * Opens a program's symbols for debugging, turning the ways that can fail for
 * a reason the user controls (no such file, not a regular file, too large, not
 * a Go binary, tables we cannot decode) into user errors. Anything else is
 * left to propagate as it is.
 *
 * The file is read in the ranges the decoders ask for (binary/fileBytes.ts),
 * but what it is and how large it is are checked first: a device such as
 * /dev/zero never ends, and a FIFO blocks the adapter. Its first bytes must be an ELF header before the
 * rest is read, so a large file that is not a program costs a few bytes.
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { BinaryError } from '../binary/binaryError.js';
import { DecodeError } from '../binary/reader.js';
import { UserError, userErrors } from '../util/userErrors.js';
import { Symbols } from './symbols.js';

/**
 * The largest program we read: one section (the pclntab, an inflated DWARF
 * section) is held in one buffer, and Node's buffers end below 2 GiB. Go
 * binaries with full DWARF are rarely above a few hundred MB.
 */
export const MAX_PROGRAM_BYTES = 2 ** 31 - 1;

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function loadSymbols(path: string): Symbols {
  checkProgramFile(path);
  try {
    return Symbols.open(path);
  } catch (e) {
    if (e instanceof BinaryError) {
      if (e.kind === 'notGo') throw userErrors.notGoBinary(path, `${e.detail} (or stripped with -ldflags=-s)`);
      throw userErrors.cannotDebug(path, e.detail);
    }
    if (e instanceof DecodeError) throw userErrors.cannotDebug(path, e.message);
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw userErrors.noSuchProgram(path);
    throw e;
  }
}

/** Throws a user error unless `path` is a regular file of a sane size that begins with an ELF header. */
export function checkProgramFile(path: string): void {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw userErrors.noSuchProgram(path);
    throw userErrors.cannotDebug(path, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  if (!st.isFile()) throw userErrors.cannotDebug(path, `it is ${fileKind(st)}, not a program file`);
  if (st.size > MAX_PROGRAM_BYTES) {
    throw userErrors.cannotDebug(path, `it is ${st.size} bytes, more than the ${MAX_PROGRAM_BYTES} bytes (2 GiB) a program may have`);
  }
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    checkElfHeaders(path, fd, st.size);
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw userErrors.cannotDebug(path, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The ELF header, the section header table and the section names, read alone
 * (a few KiB): a file whose headers lie past its end is truncated, and one
 * with neither a .gopclntab section nor a .symtab (where the decoder would
 * look for runtime.pclntab) is no Go binary, so neither is read whole.
 */
function checkElfHeaders(path: string, fd: number, size: number): void {
  const head = new Uint8Array(EHDR_SIZE);
  const got = readSync(fd, head, 0, EHDR_SIZE, 0);
  if (got < 4 || ELF_MAGIC.some((b, i) => head[i] !== b)) {
    throw userErrors.notGoBinary(path, size < 4 ? `it is ${size} bytes long, too short for an ELF header` : 'not an ELF file (bad magic)');
  }
  if (got < EHDR_SIZE) throw userErrors.cannotDebug(path, `its ELF header is truncated (${got} of ${EHDR_SIZE} bytes)`);
  // Go's linker writes the section header table near the start (offset 400 in Go 1.26 binaries):
  // a file cut shorter loses it; one cut later is caught by the decoder (a section past the end).
  const dv = new DataView(head.buffer);
  if (head[4] !== 2 || head[5] !== 1) return; // not ELF64 little-endian: the decoder says which
  const shoff = Number(dv.getBigUint64(0x28, true));
  const shentsize = dv.getUint16(0x3a, true);
  const shnum = dv.getUint16(0x3c, true);
  if (shoff === 0) throw userErrors.notGoBinary(path, 'it has no section headers');
  const end = shoff + Math.max(1, shnum) * shentsize;
  if (end > size) {
    throw userErrors.cannotDebug(path, `its section headers end at byte ${end}, past the end of the file (${size} bytes): truncated?`);
  }
  const shstrndx = dv.getUint16(0x3e, true);
  // Extended numbering (counts in section 0) and odd entry sizes are left to the decoder.
  if (shnum === 0 || shentsize < 64 || shstrndx >= shnum) return;
  const table = new Uint8Array(shnum * shentsize);
  readSync(fd, table, 0, table.length, shoff);
  const sh = new DataView(table.buffer);
  const strOff = Number(sh.getBigUint64(shstrndx * shentsize + 0x18, true));
  const strSize = Number(sh.getBigUint64(shstrndx * shentsize + 0x20, true));
  if (strSize > MAX_SECTION_NAMES || strOff + strSize > size) return;
  const names = new Uint8Array(strSize);
  readSync(fd, names, 0, strSize, strOff);
  const has = (name: string): boolean => {
    for (let i = 0; i < shnum; i++) {
      const at = sh.getUint32(i * shentsize, true);
      const n = Buffer.from(names.buffer, names.byteOffset + at, Math.max(0, Math.min(name.length + 1, strSize - at)));
      if (n.toString('latin1') === `${name}\0`) return true;
    }
    return false;
  };
  if (!has('.gopclntab') && !has('.symtab')) throw userErrors.notGoBinary(path, 'not a Go binary (no .gopclntab section)');
}

/** Section names of a Go binary take a few hundred bytes; a larger table is left to the decoder. */
const MAX_SECTION_NAMES = 1 << 20;

/** An ELF64 file header. */
const EHDR_SIZE = 64;

function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

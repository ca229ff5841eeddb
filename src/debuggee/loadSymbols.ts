/**
 * Opens a program's symbols for debugging, turning the ways that can fail for
 * a reason the user controls (no such file, not a regular file, too large, not
 * a Go binary, tables we cannot decode) into user errors. Anything else is
 * left to propagate as it is.
 *
 * The file is read whole (the decoders work on bytes), so what it is and how
 * large it is are checked first: a device such as /dev/zero never ends, and a
 * FIFO blocks the adapter. Its first bytes must be an ELF header before the
 * rest is read, so a large file that is not a program costs a few bytes.
 */
import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { BinaryError } from '../binary/binaryError.js';
import { DecodeError } from '../binary/reader.js';
import { userErrors } from '../util/userErrors.js';
import { Symbols } from './symbols.js';

/**
 * The largest program we read: Node reads at most 2 GiB - 1 into one buffer
 * (larger files fail with ERR_FS_FILE_TOO_LARGE). Go binaries with full DWARF
 * are rarely above a few hundred MB.
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
  const head = new Uint8Array(EHDR_SIZE);
  let got = 0;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    got = readSync(fd, head, 0, EHDR_SIZE, 0);
  } catch (e) {
    throw userErrors.cannotDebug(path, `it cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (got < 4 || ELF_MAGIC.some((b, i) => head[i] !== b)) {
    throw userErrors.notGoBinary(path, st.size < 4 ? `it is ${st.size} bytes long, too short for an ELF header` : 'not an ELF file (bad magic)');
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
  if (end > st.size) {
    throw userErrors.cannotDebug(path, `its section headers end at byte ${end}, past the end of the file (${st.size} bytes): truncated?`);
  }
}

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

/**
 * Where a binary's bytes come from: the whole file in memory, or ranges of a
 * file read when they are first needed. A debug build of the Go compiler is
 * 31.5 MB, of which a debugging session needs the pclntab (6.4 MB), the
 * compressed DWARF sections it inflates (3.7 MB, dropped once inflated) and a
 * few blocks of read-only data: reading the file whole kept ~25 MB more in
 * the adapter's memory for nothing.
 *
 * The decoders never open files: the debuggee hands them a `FileBytes` whose
 * `read` preads from a descriptor it keeps open (see debuggee/symbols.ts).
 */

export interface FileBytes {
  /** The file's size in bytes. */
  readonly length: number;
  /**
   * `len` bytes at file offset `off` (a range within `length`); the caller
   * may keep them but never writes them. Throws when they cannot be read.
   */
  read(off: number, len: number): Uint8Array;
  /** True when every range is a view of bytes already in memory (no copy, no system call). */
  readonly inMemory?: boolean;
}

/** A file held whole in memory: every read is a view of it. */
export function bytesInMemory(bytes: Uint8Array): FileBytes {
  return { length: bytes.length, read: (off, len) => bytes.subarray(off, off + len), inMemory: true };
}

/** Bytes read at a time for small reads (funcdata, strings, headers in the read-only data). */
const BLOCK = 1 << 16;
/** Blocks kept (4 MB): small reads touch a few dozen; past this the cache starts over. */
const MAX_BLOCKS = 64;

/**
 * Small reads of a file through a cache of aligned blocks: the inline trees and
 * strings the symbol tables read at link addresses lie in a few blocks of
 * .rodata, read once each. Large reads go to the file as they are.
 */
export class BlockCache {
  private readonly blocks = new Map<number, Uint8Array>();

  constructor(private readonly file: FileBytes) {}

  /** `len` bytes at `off` (within the file). */
  read(off: number, len: number): Uint8Array {
    if (this.file.inMemory) return this.file.read(off, len);
    const base = off - (off % BLOCK);
    if (off + len > base + BLOCK) return this.file.read(off, len);
    let b = this.blocks.get(base);
    if (!b) {
      if (this.blocks.size >= MAX_BLOCKS) this.blocks.clear();
      b = this.file.read(base, Math.min(BLOCK, this.file.length - base));
      this.blocks.set(base, b);
    }
    return b.subarray(off - base, off - base + len);
  }
}

/**
 * Inline trees: FUNCDATA_InlTree of a function points (as an offset from
 * moduledata.gofunc) to an array of inlinedCall records; PCDATA_InlTreeIndex
 * gives, at each PC, the index of the innermost inlined call the PC belongs
 * to (-1: the function's own code). Each record names the inlined function
 * and gives parentPc, an offset from the entry of an instruction whose
 * position is the call site, so walking parentPc yields the logical call chain.
 *
 * inlinedCall, Go 1.20+ (16 bytes): funcID u8, pad [3], nameOff i32, parentPc i32, startLine i32.
 * Go 1.18–1.19 (20 bytes): parent i16, funcID u8, pad u8, file i32, line i32, nameOff i32, parentPc i32.
 */
import { DecodeError, Reader } from './reader.js';

export const PCDATA_INL_TREE_INDEX = 2;
export const FUNCDATA_INL_TREE = 3;

export interface InlinedCall {
  /** Offset of the callee's name in funcnametab. */
  readonly nameOff: number;
  readonly funcID: number;
  /** Offset from the host function's entry of an instruction at the call site. */
  readonly parentPc: number;
  /** Line of the callee's `func` keyword (Go 1.20+), 0 when unknown. */
  readonly startLine: number;
}

/** Reads bytes of the binary image at a virtual address (undefined when unmapped). */
export type ReadImage = (addr: number, len: number) => Uint8Array | undefined;

export function inlinedCallSize(version: 118 | 120): number {
  return version >= 120 ? 16 : 20;
}

/** Decodes record `index` of the inline tree at `treeAddr`. */
export function readInlinedCall(read: ReadImage, treeAddr: number, index: number, version: 118 | 120): InlinedCall {
  const size = inlinedCallSize(version);
  const addr = treeAddr + index * size;
  const bytes = read(addr, size);
  if (!bytes || bytes.length < size) {
    throw new DecodeError('inline tree', addr, `record ${index} at 0x${addr.toString(16)} is not in the binary`);
  }
  const r = new Reader(bytes, 'inline tree', 0, addr);
  if (version >= 120) {
    const funcID = r.u8();
    r.skip(3);
    const nameOff = r.i32();
    const parentPc = r.i32();
    const startLine = r.i32();
    return { nameOff, funcID, parentPc, startLine };
  }
  r.skip(2); // parent
  const funcID = r.u8();
  r.skip(1);
  r.skip(8); // file, line of the call site: parentPc gives the same
  const nameOff = r.i32();
  const parentPc = r.i32();
  return { nameOff, funcID, parentPc, startLine: 0 };
}

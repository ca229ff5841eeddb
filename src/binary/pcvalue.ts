/**
 * pc-value tables: the run-length encoding Go uses for pc → file, line,
 * SP delta and PCDATA values.
 *
 * A table is a sequence of (value delta, pc delta) pairs of unsigned varints;
 * the value delta is zig-zag encoded, the pc delta is scaled by the quantum.
 * The value starts at -1 and the pc at the function entry; each pair ends a
 * run [previous pc, new pc) holding the new value. A zero value delta after
 * the first pair ends the table. Decoding matches debug/gosym and the runtime
 * exactly, including 32-bit wraparound of the value.
 */
import { DecodeError } from './reader.js';

/**
 * A decoded table as pairs [end0, value0, end1, value1, ...]: run i covers
 * [end(i-1) (or 0), end(i)) relative to the function entry and holds value(i).
 * One typed array per table keeps thousands of cached tables cheap.
 */
export type PcTable = Int32Array;

export const EMPTY_TABLE: PcTable = new Int32Array(0);

/** Number of runs in a table. */
export function runCount(t: PcTable): number {
  return t.length >>> 1;
}
export function runEnd(t: PcTable, i: number): number {
  return t[2 * i]!;
}
export function runValue(t: PcTable, i: number): number {
  return t[2 * i + 1]!;
}

/**
 * Walks the table at `off` within `pctab`, calling `sink(index, end, value)`
 * for each run (when given); returns the number of runs. `sectionBase` is
 * pctab's offset within .gopclntab, for error messages.
 */
export function walkPcTable(
  pctab: Uint8Array,
  off: number,
  quantum: number,
  sectionBase: number,
  sink?: (i: number, end: number, value: number) => void,
): number {
  let p = off;
  let pc = 0;
  let val = -1;
  let count = 0;
  const n = pctab.length;
  const fail = (detail: string): never => {
    throw new DecodeError('.gopclntab', sectionBase + p, `pc table at 0x${(sectionBase + off).toString(16)}: ${detail}`);
  };
  if (off < 0 || off >= n) fail('offset out of range');
  for (;;) {
    // Value delta (uvarint, 32-bit as in Go).
    let uv = 0;
    for (let shift = 0; ; shift += 7) {
      if (p >= n) fail('runs past the end of pctab');
      if (shift > 28) fail('varint too long');
      const b = pctab[p++]!;
      uv |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    uv >>>= 0;
    if (uv === 0 && pc !== 0) break;
    const vdelta = uv & 1 ? ~(uv >>> 1) : uv >>> 1;
    let pd = 0;
    for (let shift = 0; ; shift += 7) {
      if (p >= n) fail('runs past the end of pctab');
      if (shift > 28) fail('varint too long');
      const b = pctab[p++]!;
      pd |= (b & 0x7f) << shift;
      if (!(b & 0x80)) break;
    }
    pc += (pd >>> 0) * quantum;
    if (pc > 0x7fffffff) fail('pc offset beyond 2 GiB');
    val = (val + vdelta) | 0;
    if (sink) sink(count, pc, val);
    count++;
  }
  return count;
}

/** Decodes the table at `off` (two passes: count, then fill one typed array). */
export function decodePcTable(pctab: Uint8Array, off: number, quantum: number, sectionBase: number): PcTable {
  const n = walkPcTable(pctab, off, quantum, sectionBase);
  const t = new Int32Array(2 * n);
  walkPcTable(pctab, off, quantum, sectionBase, (i, end, value) => {
    t[2 * i] = end;
    t[2 * i + 1] = value;
  });
  return t;
}

/** Index of the run holding entry-relative offset `off`, or -1 past the table's end. */
export function runIndex(t: PcTable, off: number): number {
  let lo = 0;
  let hi = t.length >>> 1;
  const n = hi;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[2 * mid]! > off) hi = mid;
    else lo = mid + 1;
  }
  return lo < n ? lo : -1;
}

/** The value at entry-relative offset `off`, or -1 past the table's end (gosym's pcvalue). */
export function pcValue(t: PcTable, off: number): number {
  const i = runIndex(t, off);
  return i < 0 ? -1 : t[2 * i + 1]!;
}

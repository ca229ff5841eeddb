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

/** A decoded table: run i covers [ends[i-1] (or 0), ends[i]) relative to the entry, holding values[i]. */
export interface PcTable {
  readonly ends: Uint32Array;
  readonly values: Int32Array;
}

export const EMPTY_TABLE: PcTable = { ends: new Uint32Array(0), values: new Int32Array(0) };

/**
 * Decodes the table at `off` within `pctab`. `sectionBase` is pctab's offset
 * within .gopclntab (for error messages).
 */
export function decodePcTable(pctab: Uint8Array, off: number, quantum: number, sectionBase: number): PcTable {
  const ends: number[] = [];
  const values: number[] = [];
  let p = off;
  let pc = 0;
  let val = -1;
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
    if (pc > 0xffffffff) fail('pc offset beyond 4 GiB');
    val = (val + vdelta) | 0;
    ends.push(pc);
    values.push(val);
  }
  return { ends: Uint32Array.from(ends), values: Int32Array.from(values) };
}

/** Index of the run holding entry-relative offset `off`, or -1 past the table's end. */
export function runIndex(t: PcTable, off: number): number {
  const ends = t.ends;
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ends[mid]! > off) hi = mid;
    else lo = mid + 1;
  }
  return lo < ends.length ? lo : -1;
}

/** The value at entry-relative offset `off`, or -1 past the table's end (gosym's pcvalue). */
export function pcValue(t: PcTable, off: number): number {
  const i = runIndex(t, off);
  return i < 0 ? -1 : t.values[i]!;
}

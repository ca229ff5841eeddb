/**
 * The value model: a Go value is a type plus where its bytes are. Values are
 * lazy handles: nothing is read from the program until a reader asks, and a
 * composite's parts are derived from the whole (address + offset, or a slice
 * of already-loaded bytes), so reading a struct once serves all its fields.
 */
import type { GoType } from '../dwarf/goTypes.js';

/** A register-located piece of a value (frame 0 only), kept so that setVariable can write it back. */
export interface RegisterPiece {
  /** DWARF register number. */
  reg: number;
  /** Byte offset of the piece inside the whole value. */
  offset: number;
  size: number;
}

export interface Value {
  type: GoType;
  /** Address in the program's memory, when the value lives there. */
  addr?: number;
  /** The value's bytes, when known (loaded from memory, assembled from registers, or computed). */
  bytes?: Uint8Array;
  /** Where the bytes came from when they are (partly) in registers: whole-value pieces and this value's offset in it. */
  regs?: { pieces: RegisterPiece[]; offset: number; tid: number };
  /** Why the value cannot be read (optimized out, register unavailable in an outer frame, bad memory). */
  error?: string;
  /** Computed by an expression: not an lvalue. */
  computed?: boolean;
  /** A map the debugger made (a map literal): its entries, read instead of a runtime hash table. */
  mapEntries?: { key: Value; value: Value }[];
}

/** An error a reader raises for a value it cannot produce; shown as `<error: …>` in the view. */
export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

export function errorValue(type: GoType, message: string): Value {
  return { type, error: message };
}

/** A part of `v` at byte `offset` with type `t`. */
export function partOf(v: Value, t: GoType, offset: number): Value {
  if (v.error !== undefined) return { type: t, error: v.error };
  const out: Value = { type: t };
  if (v.addr !== undefined) out.addr = v.addr + offset;
  if (v.bytes && offset + t.size <= v.bytes.length) out.bytes = v.bytes.subarray(offset, offset + t.size);
  if (v.regs) out.regs = { ...v.regs, offset: v.regs.offset + offset };
  if (v.computed) out.computed = true;
  return out;
}

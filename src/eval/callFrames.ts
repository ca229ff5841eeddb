/**
 * A call's arguments as registers and frame bytes, and its results back as
 * values, by the layout of callAbi.ts: each register piece is the value's
 * bytes [offset, offset+size) zero-extended into a 64-bit register (a
 * float32 in the low 32 bits of its X register); a stack argument is copied
 * into the frame at its offset, the rest of the frame (stack results, spill
 * area) left zero.
 */
import type { GoType } from '../dwarf/goTypes.js';
import type { Value } from '../values/value.js';
import type { AbiLayout, AbiPlace } from './callAbi.js';

/** What goes into the registers and the frame for arguments of these bytes (one array per argument, the receiver first). */
export function packArguments(layout: AbiLayout, args: readonly Uint8Array[]): { intArgs: bigint[]; floatArgs: bigint[]; stackArgs: Uint8Array } {
  const intArgs: bigint[] = new Array(layout.intArgs).fill(0n);
  const floatArgs: bigint[] = new Array(layout.floatArgs).fill(0n);
  const stackArgs = new Uint8Array(layout.frameSize);
  layout.args.forEach((place, i) => {
    const b = args[i]!;
    if (place.kind === 'stack') {
      stackArgs.set(b, place.offset);
      return;
    }
    for (const p of place.pieces) (p.cls === 'int' ? intArgs : floatArgs)[p.reg] = wordOf(b, p.offset, p.size);
  });
  return { intArgs, floatArgs, stackArgs };
}

/** A result of type t from the registers after the return, or from the frame. */
export function resultValue(t: GoType, place: AbiPlace, intResults: readonly bigint[], floatResults: readonly bigint[], frame: Uint8Array): Value {
  const bytes = new Uint8Array(t.size);
  if (place.kind === 'stack') {
    if (place.offset + t.size > frame.length) throw new RangeError(`the call's frame has ${frame.length} bytes, its result needs ${place.offset + t.size}`);
    bytes.set(frame.subarray(place.offset, place.offset + t.size));
  } else {
    for (const p of place.pieces) {
      const reg = (p.cls === 'int' ? intResults : floatResults)[p.reg];
      if (reg === undefined) throw new RangeError(`the call answered no ${p.cls === 'int' ? 'integer' : 'float'} result register ${p.reg}`);
      let w = BigInt.asUintN(64, reg);
      for (let i = 0; i < p.size; i++, w >>= 8n) bytes[p.offset + i] = Number(w & 0xffn);
    }
  }
  return { type: t, bytes, computed: true };
}

/** Little-endian bytes [off, off+size) of b as an unsigned register value. */
function wordOf(b: Uint8Array, off: number, size: number): bigint {
  let w = 0n;
  for (let i = size - 1; i >= 0; i--) w = (w << 8n) | BigInt(b[off + i] ?? 0);
  return w;
}

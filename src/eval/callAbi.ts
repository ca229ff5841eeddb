/**
 * Go's internal register ABI on amd64 (cmd/compile/abi-internal.md): where
 * each argument and result of a call goes. Each value is broken down
 * recursively into base values assigned, in order, to the integer registers
 * RAX RBX RCX RDI RSI R8 R9 R10 R11 and the float registers X0–X14; a value
 * that does not fit in the registers left, holds an array of more than one
 * element, or has size zero goes wholly to the stack, and the register
 * counters go back to where they were before it. The stack frame is: stack
 * arguments, pointer alignment, stack results, pointer alignment, one spill
 * slot per register argument (the callee may store its register arguments
 * there), pointer alignment. Offsets are from the callee's SP+8 at entry (the
 * CFA). Pure: types in, a layout out.
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { FLOAT_ABI_REGISTERS, INT_ABI_REGISTERS } from './callContract.js';

const PTR = 8;

/** One base value of an argument or result in one register: bytes [offset, offset+size) of the value's memory form. */
export interface AbiPiece {
  cls: 'int' | 'float';
  /** Index in INT_ABI_REGISTERS, or N for XN. */
  reg: number;
  offset: number;
  size: number;
}

export type AbiPlace = { kind: 'regs'; pieces: AbiPiece[] /** Where the callee may spill it. */; spill: number } | { kind: 'stack'; offset: number };

export interface AbiLayout {
  args: AbiPlace[];
  results: AbiPlace[];
  /** How many integer and float registers the arguments use. */
  intArgs: number;
  floatArgs: number;
  /** Where the spill area begins (after the stack arguments and results). */
  spillOffset: number;
  /** The whole frame: stack arguments, stack results, spill area, each pointer aligned. */
  frameSize: number;
}

/** Thrown for a type the ABI cannot place (a type DWARF does not describe). */
export class AbiError extends Error {}

/** Go's alignment of a type on amd64 (unsafe.Alignof). */
export function alignOf(t: GoType, depth = 0): number {
  if (depth > 32) throw new AbiError(`type ${t.name} nests too deeply`);
  const u = underlying(t);
  switch (u.kind) {
    case 'bool':
    case 'int':
    case 'uint':
    case 'uintptr':
    case 'float':
      return Math.max(1, Math.min(u.size, PTR));
    case 'complex':
      return u.size / 2;
    case 'array':
      return alignOf(u.elem, depth + 1);
    case 'struct':
      return u.fields.reduce((a, f) => Math.max(a, alignOf(f.type, depth + 1)), 1);
    case 'string':
    case 'slice':
    case 'interface':
    case 'pointer':
    case 'unsafePointer':
    case 'map':
    case 'chan':
    case 'func':
      return PTR;
    default:
      throw new AbiError(`cannot pass a value of type ${t.name || u.name}: its representation is unknown`);
  }
}

const align = (n: number, a: number): number => Math.ceil(n / a) * a;

class Assigner {
  i = 0;
  fp = 0;
  stack = 0;

  /** Assigns one value: its registers, or a stack slot. */
  assign(t: GoType): AbiPlace {
    const [i, fp] = [this.i, this.fp];
    if (t.size > 0) {
      const pieces: AbiPiece[] = [];
      if (this.regs(t, 0, pieces, 0)) return { kind: 'regs', pieces, spill: -1 };
    }
    this.i = i;
    this.fp = fp;
    this.stack = align(this.stack, alignOf(t));
    const place: AbiPlace = { kind: 'stack', offset: this.stack };
    this.stack += t.size;
    return place;
  }

  private int(offset: number, size: number, out: AbiPiece[]): boolean {
    if (this.i >= INT_ABI_REGISTERS.length) return false;
    out.push({ cls: 'int', reg: this.i++, offset, size });
    return true;
  }

  private float(offset: number, size: number, out: AbiPiece[]): boolean {
    if (this.fp >= FLOAT_ABI_REGISTERS) return false;
    out.push({ cls: 'float', reg: this.fp++, offset, size });
    return true;
  }

  /** Register-assignment of a value of type t at `offset` in the outermost value; false when it fails. */
  private regs(t: GoType, offset: number, out: AbiPiece[], depth: number): boolean {
    if (depth > 32) throw new AbiError(`type ${t.name} nests too deeply`);
    const u = underlying(t);
    switch (u.kind) {
      case 'bool':
      case 'int':
      case 'uint':
      case 'uintptr':
        return this.int(offset, u.size, out);
      case 'pointer':
      case 'unsafePointer':
      case 'map':
      case 'chan':
      case 'func':
        return this.int(offset, PTR, out);
      case 'float':
        return this.float(offset, u.size, out);
      case 'complex':
        return this.float(offset, u.size / 2, out) && this.float(offset + u.size / 2, u.size / 2, out);
      case 'string':
      case 'interface':
        return this.int(offset, PTR, out) && this.int(offset + PTR, PTR, out);
      case 'slice':
        return this.int(offset, PTR, out) && this.int(offset + PTR, PTR, out) && this.int(offset + 2 * PTR, PTR, out);
      case 'struct':
        return u.fields.every((f) => this.regs(f.type, offset + f.offset, out, depth + 1));
      case 'array':
        if (u.count === 0) return true;
        if (u.count === 1) return this.regs(u.elem, offset, out, depth + 1);
        return false;
      default:
        throw new AbiError(`cannot pass a value of type ${t.name || u.name}: its representation is unknown`);
    }
  }
}

/** The places of a call's arguments (the receiver first, for a method) and results, and its frame. */
export function abiLayout(args: readonly GoType[], results: readonly GoType[]): AbiLayout {
  const a = new Assigner();
  const argPlaces = args.map((t) => a.assign(t));
  const [intArgs, floatArgs] = [a.i, a.fp];
  a.stack = align(a.stack, PTR);
  a.i = 0;
  a.fp = 0;
  const resultPlaces = results.map((t) => a.assign(t));
  let off = align(a.stack, PTR);
  const spillOffset = off;
  argPlaces.forEach((p, n) => {
    if (p.kind !== 'regs') return;
    off = align(off, alignOf(args[n]!));
    p.spill = off;
    off += args[n]!.size;
  });
  return { args: argPlaces, results: resultPlaces, intArgs, floatArgs, spillOffset, frameSize: align(off, PTR) };
}

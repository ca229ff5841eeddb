/**
 * setVariable and setExpression below the adapter: which values can be set,
 * and writing an evaluated right-hand side into a value's memory or
 * registers, together with the registers of frame 0 that still hold an
 * argument whose stack slot is written (argRegisters.ts). A write the
 * program would never see is refused: a statement that already read the
 * bytes (statementCopies.ts), a stack slot the code never reads
 * (unreadSlots.ts).
 */
import { underlying } from '../../dwarf/goTypes.js';
import { assignmentBytes } from '../../eval/assign.js';
import type { Expr } from '../../eval/ast.js';
import { parseExpression } from '../../eval/parser.js';
import { EvalError } from '../../eval/errors.js';
import type { Result } from '../../eval/results.js';
import { userErrors } from '../../util/userErrors.js';
import { typeName } from '../../values/format.js';
import { patchRegister, writeValue } from '../../values/setValue.js';
import { ValueError, type Value } from '../../values/value.js';
import type { ValueReader } from '../../values/valueReader.js';
import type { Registers } from '../../process/registers.js';
import type { Program } from '../program.js';
import { argumentMirrors, registerTitle } from './argRegisters.js';
import { statementCopies } from './statementCopies.js';
import { stackSlotUse } from './unreadSlots.js';

/** Throws evalFailed when `v` (named `name`, seen in logical frame `frameIndex`) cannot be set. */
export function checkSettable(v: Value, name: string, frameIndex: number): void {
  const k = underlying(v.type).kind;
  if (k === 'unspecified' || v.type.size <= 0)
    throw userErrors.cannotSet(name, `values of type ${typeName(v.type)} cannot be set (the debugger does not know its layout)`);
  if (frameIndex > 0 && v.regs) throw userErrors.cannotSet(name, 'it is in a register of a caller frame');
  if (v.computed && !v.regs) throw userErrors.cannotSet(name, 'it is a computed value, not a variable');
  if (v.error !== undefined) throw userErrors.cannotSet(name, v.error);
}

/**
 * setExpression's left-hand side as Go sees it, evaluated by `evalIn` in the
 * frame: a value of the program. A map index whose key is absent would be a
 * new entry, which the debugger cannot add (the map would grow into memory
 * the program has not allocated); a constant or a computed value is not
 * addressable; nor is a byte of a string (strings are immutable).
 */
export function targetOf(lhs: string, evalIn: (expr: string) => Result): Value {
  let ast: Expr | undefined;
  try {
    ast = parseExpression(lhs);
    while (ast.k === 'paren') ast = ast.x;
  } catch {
    /* the evaluation below reports the syntax error */
  }
  const container = ast?.k === 'index' ? () => evalIn(lhs.slice(ast.x.pos, ast.x.end)) : undefined;
  let target: Result;
  try {
    target = evalIn(lhs);
  } catch (e) {
    const x = container && tryEval(container);
    if (x?.k === 'val' && underlying(x.v.type).kind === 'map') {
      throw userErrors.cannotSet(
        lhs,
        'the map has no such key, and adding one would allocate in the program, which the debugger does not do; set an existing key',
      );
    }
    throw e;
  }
  if (target.k === 'const') throw userErrors.cannotSet(lhs, 'it is a constant, not a variable');
  const v = target.v;
  if (container && v.computed && !v.regs) {
    const x = tryEval(container);
    if (x && (x.k === 'const' || underlying(x.v.type).kind === 'string'))
      throw userErrors.cannotSet(lhs, 'the bytes of a Go string cannot be assigned (strings are immutable)');
  }
  return v;
}

function tryEval(f: () => Result): Result | undefined {
  try {
    return f();
  } catch {
    return undefined;
  }
}

/**
 * Writes `res` into `target`, a value seen in frame `frameIndex` of thread
 * id `tid`; returns the target as a value to read again (its old bytes
 * dropped).
 */
export function writeAssignment(p: Program, r: ValueReader, res: Result, target: Value, name: string, expr: string, tid: number, frameIndex = 0): Value {
  let bytes: Uint8Array;
  try {
    bytes = assignmentBytes(r, r.dwarf, res, target.type, (b) => findConstantBytes(p, b), expr);
  } catch (e) {
    if (e instanceof EvalError || e instanceof ValueError) throw userErrors.evalFailed(`Cannot set ${name} to ${expr}: ${e.message}`);
    throw e;
  }
  const inMemory = target.addr !== undefined && !target.regs && !target.computed;
  const mirrors = inMemory ? argumentMirrors(p, r, tid).filter((m) => m.addr < target.addr! + bytes.length && target.addr! < m.addr + m.size) : [];
  const unsure = mirrors.find((m) => !m.sure);
  if (unsure) {
    throw userErrors.cannotSet(
      name,
      `the code at this point may still read ${unsure.arg} from register ${registerTitle(unsure.reg)}, and the debugger cannot tell whether that register holds it; ` +
        'step to the next line and set it there',
    );
  }
  if (inMemory) {
    const lo = target.addr!;
    const inFlight =
      statementCopies(
        p,
        tid,
        0,
        lo,
        lo + bytes.length,
        mirrors.map((m) => m.reg),
      ) ?? (frameIndex > 0 ? statementCopies(p, tid, frameIndex, lo, lo + bytes.length) : undefined);
    if (inFlight) {
      const where = inFlight.register ? `into register ${registerTitle(inFlight.register)}` : 'and copied it';
      throw userErrors.cannotSet(
        name,
        `the statement the program is stopped in has already read it ${where}, so the new value would not be used; step to the next line and set it there`,
      );
    }
    // Where no register mirrors the bytes, the program can only see the new value through its stack slot.
    const slot = mirrors.length ? undefined : stackSlotUse(p, r, tid, frameIndex, lo, lo + bytes.length);
    if (slot?.kind === 'unread') {
      const why = slot.param ? 'the function works with the register it arrived in, or does not use it' : 'the compiler folded its value into its uses';
      throw userErrors.cannotSet(name, `the compiled code never reads it (${why}); a new value would change nothing ${slot.func} computes`);
    }
  }
  try {
    // The registers are patched before anything is written: a register we cannot patch fails the whole write.
    let regs: Registers | undefined;
    if (mirrors.length) {
      regs = p.registers(tid).clone();
      const base = target.addr!;
      for (const m of mirrors) {
        const a = Math.max(base, m.addr);
        const b = Math.min(base + bytes.length, m.addr + m.size);
        patchRegister(regs, m.dwarfReg, a - m.addr, bytes.subarray(a - base, b - base));
      }
    }
    writeValue({ write: (a, b) => p.write(a, b), registers: (t) => p.registers(t), setRegisters: (t, r) => p.setRegisters(t, r) }, target, bytes);
    if (regs) p.setRegisters(tid, regs);
  } catch (e) {
    if (e instanceof ValueError) throw userErrors.evalFailed(`Cannot set ${name} to ${expr}: ${e.message}`);
    throw e;
  }
  return target.regs ? target : { type: target.type, addr: target.addr };
}

/** Where the program's read-only data holds `b` (string literals live there), or undefined. */
export function findConstantBytes(p: Program, b: Uint8Array): number | undefined {
  const ro = p.symbols.readOnlyData?.();
  if (!ro) return undefined;
  const i = Buffer.from(ro.bytes.buffer, ro.bytes.byteOffset, ro.bytes.byteLength).indexOf(b);
  return i < 0 ? undefined : ro.addr + i;
}

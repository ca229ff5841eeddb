/**
 * setVariable below the adapter: which values can be set, and writing an
 * evaluated right-hand side into a variable's memory or registers.
 */
import { assignmentBytes } from '../../eval/assign.js';
import { EvalError } from '../../eval/errors.js';
import type { Result } from '../../eval/results.js';
import { userErrors } from '../../util/userErrors.js';
import { typeName } from '../../values/format.js';
import { isSettable, writeValue } from '../../values/setValue.js';
import { ValueError, type Value } from '../../values/value.js';
import type { ValueReader } from '../../values/valueReader.js';
import type { Program } from '../program.js';

/** Throws evalFailed when `v` (named `name`, seen in logical frame `frameIndex`) cannot be set. */
export function checkSettable(v: Value, name: string, frameIndex: number): void {
  if (!isSettable(v.type)) {
    throw userErrors.cannotSet(name, `values of type ${typeName(v.type)} cannot be set (bools, numbers and pointers can)`);
  }
  if (frameIndex > 0 && v.regs) throw userErrors.cannotSet(name, 'it is in a register of a caller frame');
}

/** Writes `res` into `target`; returns the target as a value to read again (its old bytes dropped). */
export function writeAssignment(p: Program, r: ValueReader, res: Result, target: Value, name: string, expr: string): Value {
  try {
    const bytes = assignmentBytes(r, r.dwarf, res, target.type);
    writeValue({ write: (a, b) => p.write(a, b), registers: (tid) => p.registers(tid), setRegisters: (tid, regs) => p.setRegisters(tid, regs) }, target, bytes);
  } catch (e) {
    if (e instanceof EvalError || e instanceof ValueError) throw userErrors.evalFailed(`Cannot set ${name} to ${expr}: ${e.message}`);
    throw e;
  }
  return target.regs ? target : { type: target.type, addr: target.addr };
}

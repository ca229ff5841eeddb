/**
 * Package-level constants as operands. Go writes each integer constant of a
 * package (exported or not, used or not) as a DW_TAG_constant of its unit;
 * string, float, complex and boolean constants, and integers that overflow
 * int, have none, so they stay undefined here. An untyped integer constant
 * is written with type int, as `const X int = 1` is: both are read as
 * untyped integers (the spec's default type of one is int), which is right
 * for the first and, for the second, accepts operands Go would refuse
 * (`X + 0.5`), never a wrong value. Any other type is the constant's own.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { intValue, konst, typedConst, type Result } from './results.js';

/** The constant named `fullName` ("pkg/path.Name") as a Result, if the program has it. */
export function packageConst(dw: Dwarf, fullName: string): Result | undefined {
  const c = dw.constantNamed(fullName);
  if (!c) return undefined;
  const t = dw.type(c.typeOffset);
  if (t.name === 'int') return konst({ kind: 'int', v: c.value });
  return typedConst(intValue(t, c.value));
}

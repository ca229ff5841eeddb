/**
 * The Go ABIInternal register assignment of arguments (abiAssign), checked
 * against the rules and examples of the Go source's
 * src/cmd/compile/abi-internal.md: integers in RAX, RBX, RCX, RDI, RSI,
 * R8–R11, floats in X0–X14, strings/interfaces/slices by their words,
 * structs by field, arrays of length > 1 and whatever no longer fits on the
 * stack (the registers an argument took back for the next one).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { GoType } from '../../../src/dwarf/goTypes.js';
import { abiAssign } from '../../../src/debuggee/inspect/argRegisters.js';

const base = { offset: 0, goKind: 0, runtimeType: 0 };
const int = { ...base, kind: 'int', name: 'int', size: 8, signed: true } as GoType;
const int16 = { ...base, kind: 'int', name: 'int16', size: 2, signed: true } as GoType;
const f64 = { ...base, kind: 'float', name: 'float64', size: 8 } as GoType;
const c128 = { ...base, kind: 'complex', name: 'complex128', size: 16 } as GoType;
const str = { ...base, kind: 'string', name: 'string', size: 16, fields: [] } as unknown as GoType;
const field = (name: string, offset: number, type: GoType) => ({ name, offset, embedded: false, typeOffset: 0, type });
const struct = (name: string, size: number, ...fields: ReturnType<typeof field>[]) => ({ ...base, kind: 'struct', name, size, fields }) as unknown as GoType;
const array = (count: number, elem: GoType) =>
  ({ ...base, kind: 'array', name: `[${count}]${elem.name}`, size: count * elem.size, count, elemOffset: 0, elem }) as unknown as GoType;
const regs = (a: ReturnType<typeof abiAssign>[number]) => a?.map((p) => `${p.reg}@${p.offset}:${p.size}`);

test('integers and floats take registers in order, independently', () => {
  const a = abiAssign([int, f64, int16, f64]);
  assert.deepEqual(a.map(regs), [['AX@0:8'], ['X0@0:8'], ['BX@0:2'], ['X1@0:8']]);
  assert.deepEqual(
    a[2]!.map((p) => p.dwarfReg),
    [3],
  );
});

test('lineTotal(it Item): Item{Name string; Qty int; Price float64} by field', () => {
  const item = struct('main.Item', 32, field('Name', 0, str), field('Qty', 16, int), field('Price', 24, f64));
  assert.deepEqual(abiAssign([item]).map(regs), [['AX@0:8', 'BX@8:8', 'CX@16:8', 'X0@24:8']]);
});

test('complex numbers take two float registers; arrays of one element are their element; longer arrays go to the stack', () => {
  assert.deepEqual(abiAssign([c128, array(1, int), array(2, int), int]).map(regs), [['X0@0:8', 'X1@8:8'], ['AX@0:8'], undefined, ['BX@0:8']]);
  assert.deepEqual(abiAssign([array(0, int), int]).map(regs), [[], ['AX@0:8']]);
});

test('an argument that does not fit goes to the stack whole and gives its registers back', () => {
  // Eight ints take RAX..R10; a string needs two registers, only R11 is left: on the stack; the int after it takes R11.
  const eight = Array.from({ length: 8 }, () => int);
  const a = abiAssign([...eight, str, int]);
  assert.deepEqual(
    a[7]!.map((p) => p.reg),
    ['R10'],
  );
  assert.equal(a[8], undefined);
  assert.deepEqual(regs(a[9]), ['R11@0:8']);
  // Fifteen float registers, then the stack.
  const floats = abiAssign(Array.from({ length: 16 }, () => f64));
  assert.deepEqual(regs(floats[14]), ['X14@0:8']);
  assert.equal(floats[15], undefined);
});

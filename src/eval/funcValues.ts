/**
 * Function values (`main.afunc`, `strings.ToUpper`) and method values
 * (`as2.Error`, `err.Error`): a func value whose funcval (synthesized memory)
 * holds the function's entry, so it shows as the function's name, as Go's
 * runtime.FuncForPC names it (`main.(*astruct).Error` for a method of a
 * pointer receiver, `main.named.Hello` for a value receiver). Its type is
 * the function's signature from DWARF, without the receiver for a method.
 * Calling them is not supported: only their identity is read.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import type { Value } from '../values/value.js';
import { encodeInt, type ValueReader } from '../values/valueReader.js';

const functionIndexes = new WeakMap<Dwarf, Map<string, { lowPC: number; offset: number }>>();

function functionIndex(dw: Dwarf): Map<string, { lowPC: number; offset: number }> {
  let idx = functionIndexes.get(dw);
  if (!idx) {
    idx = new Map();
    for (const f of dw.functions()) if (f.lowPC && !idx.has(f.name)) idx.set(f.name, { lowPC: f.lowPC, offset: f.offset });
    functionIndexes.set(dw, idx);
  }
  return idx;
}

/**
 * The entry PC and DWARF subprogram offset of the function of that full name,
 * if the program has code for it: through the pclntab's names when the
 * reader's host has them (one compile unit decoded), else by an index of every
 * DWARF subprogram (built once).
 */
export function functionEntry(r: ValueReader, name: string): { lowPC: number; offset: number } | undefined {
  const byName = r.host.funcEntry;
  if (!byName) return functionIndex(r.dwarf).get(name);
  const pc = byName(name);
  if (pc === undefined) return undefined;
  const fn = r.dwarf.functionAt(pc);
  return fn && fn.lowPC === pc ? { lowPC: pc, offset: fn.offset } : undefined;
}

/** Whether the program has code for a function of that full name ("main.afunc", "main.(*T).M"). */
export function hasFunction(r: ValueReader, name: string): boolean {
  return functionEntry(r, name) !== undefined;
}

/** Go's spelling of a signature: `func()`, `func(int) string`, `func() (int, error)`. */
function signature(dw: Dwarf, offset: number, dropReceiver: boolean): string {
  const fn = dw.functionByOffset(offset);
  const params: string[] = [];
  const results: string[] = [];
  for (const v of fn.variables) {
    if (v.kind !== 'param') continue;
    const name = safeTypeName(dw, v.typeOffset);
    (v.isReturn ? results : params).push(name);
  }
  if (dropReceiver) params.shift();
  const res = results.length === 0 ? '' : results.length === 1 ? ` ${results[0]}` : ` (${results.join(', ')})`;
  return `func(${params.join(', ')})${res}`;
}

function safeTypeName(dw: Dwarf, off: number): string {
  try {
    return dw.type(off).name;
  } catch {
    return '?';
  }
}

/** A func value for the function named `name` (its full name), or undefined when the program has no code for it. */
export function funcValue(r: ValueReader, name: string, isMethod = false): Value | undefined {
  const dw = r.dwarf;
  const f = functionEntry(r, name);
  if (!f) return undefined;
  const sig = signature(dw, f.offset, isMethod);
  const type: GoType = dw.typeByName(sig) ?? {
    kind: 'func',
    name: sig,
    size: 8,
    offset: -1,
    goKind: 19,
    runtimeType: 0,
    params: [],
    results: [],
    variadic: false,
  };
  const funcval = r.synthesize(encodeInt(BigInt(f.lowPC), 8));
  return { type, bytes: encodeInt(BigInt(funcval), 8), computed: true };
}

/** Package path and type name of a named type ("example.com/m/p.T" → ["example.com/m/p", "T"]). */
function splitTypeName(name: string): [string, string] | undefined {
  const br = name.indexOf('[');
  const head = br < 0 ? name : name.slice(0, br);
  const dot = head.lastIndexOf('.');
  return dot < 0 ? undefined : [name.slice(0, dot), name.slice(dot + 1)];
}

/**
 * The function names of method `method` of the named type `typeName`, as the
 * pclntab and DWARF spell them: the value receiver's (`pkg.T.M`, in the method
 * sets of T and *T) and the pointer receiver's (`pkg.(*T).M`, of *T only).
 */
export function methodFunctionNames(typeName: string, method: string): { byValue: string; byPointer: string } | undefined {
  const parts = splitTypeName(typeName);
  if (!parts) return undefined;
  const [pkg, base] = parts;
  return { byValue: `${pkg}.${base}.${method}`, byPointer: `${pkg}.(*${base}).${method}` };
}

/**
 * `x.M` where M is a method of x's type (through one pointer, or of an
 * interface's dynamic type), or promoted from an embedded field (the
 * shallowest, as Go selects; Go binds the method value to the embedded
 * field's method, so it is named for that one): the method value, or
 * undefined when x's type has no method of that name in the program.
 */
export function methodValue(r: ValueReader, x: Value, method: string): Value | undefined {
  let t = x.type;
  if (underlying(t).kind === 'interface') {
    const d = dynamicOf(r, x);
    if (d.nil || !d.type) return undefined;
    t = d.type;
  }
  let level = [t];
  for (let depth = 0; depth < 8 && level.length; depth++) {
    const found = level.map((lt) => ownMethod(r, lt, method)).filter((v): v is Value => !!v);
    if (found.length) return found[0];
    level = level.flatMap((lt) => embeddedTypes(lt));
  }
  return undefined;
}

/** A method declared on `t`'s named type (or on the type `t` points to). */
function ownMethod(r: ValueReader, t: GoType, method: string): Value | undefined {
  const u = underlying(t);
  const named = u.kind === 'pointer' ? u.elem : t;
  const names = methodFunctionNames(named.name, method);
  if (!names) return undefined;
  // A value receiver's method is in the method set of T and *T; a pointer receiver's only of *T, but Go
  // takes &x for an addressable x, and the debugger names the method either way.
  return funcValue(r, names.byValue, true) ?? funcValue(r, names.byPointer, true);
}

/** The types of a struct's embedded fields (through a pointer to the struct). */
function embeddedTypes(t: GoType): GoType[] {
  let u = underlying(t);
  if (u.kind === 'pointer') u = underlying(u.elem);
  return u.kind === 'struct' ? u.fields.filter((f) => f.embedded).map((f) => f.type) : [];
}

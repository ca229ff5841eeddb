/**
 * What a call expression calls: a package function (`f`, `pkg.F`), a method
 * (`v.M`, `p.M`, promoted through embedded fields, with Go's automatic `&v`
 * and `*p` for the receiver), an interface method (`err.Error`: the code the
 * runtime's itab holds for the dynamic type, at the method's index in the
 * interface's sorted method list, the receiver being the data word), or a
 * func value (a closure: RDX holds the funcval, whose first word is the code).
 * The signature comes from the subprogram's DWARF (formal parameters; results
 * carry DW_AT_variable_parameter), or from a func value's type.
 */
import type { DwarfFunction } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import { partOf, type Value } from '../values/value.js';
import { encodeInt, fieldNamed, SYNTHETIC_BASE, u64, type ValueReader } from '../values/valueReader.js';
import type { Expr, TypeExpr } from './ast.js';
import { EvalError } from './errors.js';
import { functionEntry, methodFunctionNames } from './funcValues.js';
import { typeNameOf } from './operators.js';
import type { Result } from './results.js';
import { interfaceMethods } from './methodSets.js';
import { isPackage, packagePaths } from './typeLookup.js';

export interface CallTarget {
  /** The function's name as the runtime names it, for messages and the request. */
  name: string;
  entry: number;
  /** RDX: the funcval of a closure. */
  closure?: bigint;
  /** The receiver's type and bytes (a method), passed before the arguments. */
  receiver?: { type: GoType; bytes: Uint8Array };
  params: GoType[];
  results: GoType[];
  /** The results' names (`~r0`, or the declared ones). */
  resultNames: string[];
  variadic: boolean;
  /** The subprogram, when the target is a function the DWARF describes. */
  fn?: DwarfFunction;
}

export interface TargetHost {
  r: ValueReader;
  pkg?: string;
  eval(e: Expr): Result;
  text(e: Expr | TypeExpr): string;
  isVariable(name: string): boolean;
}

/** The target of `fn(…)`; throws EvalError with Go's reason when fn is not callable. */
export function callTarget(h: TargetHost, fn: Expr): CallTarget {
  if (fn.k === 'ident' && !h.isVariable(fn.name)) {
    const t = namedFunction(h.r, `${h.pkg ?? 'main'}.${fn.name}`);
    if (t) return t;
  }
  if (fn.k === 'selector') {
    if (fn.x.k === 'ident' && !h.isVariable(fn.x.name) && isPackage(h.r.dwarf, fn.x.name)) {
      for (const path of packagePaths(h.r.dwarf, fn.x.name)) {
        const t = namedFunction(h.r, `${path}.${fn.name}`);
        if (t) return t;
      }
    } else {
      const x = h.eval(fn.x);
      if (x.k === 'val') {
        const m = methodCallTarget(h.r, x.v, fn.name, h.text(fn.x));
        if (m) return m;
      }
    }
  }
  const v = h.eval(fn);
  if (v.k !== 'val' || underlying(v.v.type).kind !== 'func') {
    const what = v.k === 'val' ? `variable of type ${typeNameOf(v)}` : `${typeNameOf(v)} constant`;
    throw new EvalError(`invalid operation: cannot call non-function ${h.text(fn)} (${what})`);
  }
  return funcValueTarget(h.r, v.v, h.text(fn));
}

/** A function of that full name, by its DWARF subprogram. */
export function namedFunction(r: ValueReader, name: string): CallTarget | undefined {
  const f = functionEntry(r, name);
  return f ? fromSubprogram(r, r.dwarf.functionByOffset(f.offset), false) : undefined;
}

/** The method function of that full name (`pkg.T.M`, `pkg.(*T).M`): its receiver's type, no receiver bytes yet. */
export function methodTarget(r: ValueReader, name: string): CallTarget & { receiver: NonNullable<CallTarget['receiver']> } {
  const f = functionEntry(r, name);
  if (!f) throw new EvalError(`undefined: ${name}`);
  return methodOfSubprogram(r, r.dwarf.functionByOffset(f.offset));
}

/** A method's target from its subprogram, the receiver's type from its first parameter (the bytes are the caller's to give). */
function methodOfSubprogram(r: ValueReader, fn: DwarfFunction): CallTarget & { receiver: NonNullable<CallTarget['receiver']> } {
  const recvVar = fn.variables.find((x) => x.kind === 'param' && !x.isReturn && x.depth === 0);
  if (!recvVar) throw new EvalError(`cannot call ${fn.name}: its DWARF lists no receiver`);
  return { ...fromSubprogram(r, fn, true), receiver: { type: r.dwarf.type(recvVar.typeOffset), bytes: new Uint8Array(0) } };
}

function fromSubprogram(r: ValueReader, fn: DwarfFunction, method: boolean): CallTarget {
  const formals = fn.variables.filter((v) => v.kind === 'param' && v.depth === 0);
  const params = formals.filter((v) => !v.isReturn).map((v) => r.dwarf.type(v.typeOffset));
  const results = formals.filter((v) => v.isReturn);
  if (method) params.shift();
  return {
    name: fn.name,
    entry: fn.lowPC,
    params,
    results: results.map((v) => r.dwarf.type(v.typeOffset)),
    resultNames: results.map((v) => v.name),
    variadic: isVariadic(
      r,
      params,
      results.map((v) => r.dwarf.type(v.typeOffset)),
    ),
    fn,
  };
}

/**
 * Whether a function's last parameter is `...T`: a subprogram's DWARF does
 * not say, but the func type `func(…, ...T) R` is in the binary when the
 * program uses one of that signature (not always: then it reads as []T).
 */
function isVariadic(r: ValueReader, params: GoType[], results: GoType[]): boolean {
  const last = params[params.length - 1];
  if (!last || underlying(last).kind !== 'slice' || !last.name.startsWith('[]')) return false;
  const names = params.map((p, i) => (i === params.length - 1 ? `...${p.name.slice(2)}` : p.name));
  const res = results.length === 0 ? '' : results.length === 1 ? ` ${results[0]!.name}` : ` (${results.map((t) => t.name).join(', ')})`;
  return r.dwarf.typeByName(`func(${names.join(', ')})${res}`) !== undefined;
}

/**
 * A call of a func value: its code is the funcval's first word; a closure's
 * funcval goes in RDX. The signature is the one of the subprogram at that
 * code (a closure's captured variables are not among its parameters): a func
 * type's DWARF cannot be trusted for it, since Go 1.22's linker wrote a func
 * type's results as `*T` parameters. The two must agree, read either way.
 */
function funcValueTarget(r: ValueReader, v: Value, what: string): CallTarget {
  const ft = underlying(v.type);
  if (ft.kind !== 'func') throw new EvalError(`invalid operation: cannot call non-function ${what}`);
  const target = r.funcTarget(v);
  if (!target) throw new EvalError(`cannot call ${what}: it is nil (the call would panic with a nil pointer dereference)`);
  const fn = r.dwarf.functionAt(target.pc);
  if (!fn || fn.lowPC !== target.pc) throw new EvalError(`cannot call ${what}: no DWARF describes its code at 0x${target.pc.toString(16)}`);
  const t = fromSubprogram(r, fn, false);
  const [np, nr] = [t.params.length, t.results.length];
  const agrees = ft.offset < 0 || (np === ft.params.length && nr === ft.results.length) || (ft.results.length === 0 && np + nr === ft.params.length);
  if (!agrees) {
    throw new EvalError(
      `cannot call ${what}: the DWARF of ${fn.name} lists ${np} parameters and ${nr} results, its type ${ft.name} ${ft.params.length} and ${ft.results.length}`,
    );
  }
  // A func value the debugger made (a package function named in the expression) is no closure.
  const synthesized = target.closure >= SYNTHETIC_BASE;
  return { ...t, ...(synthesized ? {} : { closure: BigInt(target.closure) }), variadic: t.variadic || (ft.offset >= 0 && ft.variadic) };
}

/** `x.M(…)` when M is a method of x's type, of an embedded field's (the shallowest), or of an interface's dynamic type. */
export function methodCallTarget(r: ValueReader, x: Value, method: string, what: string): CallTarget | undefined {
  const u = underlying(x.type);
  if (u.kind === 'interface') return interfaceTarget(r, x, method, what);
  let level: { v: Value; path: string }[] = [{ v: x, path: what }];
  for (let depth = 0; depth < 8 && level.length; depth++) {
    // An embedded interface promotes its methods: called through its itab.
    const found = level
      .map((l) => (depth > 0 && underlying(l.v.type).kind === 'interface' ? interfaceTarget(r, l.v, method, l.path) : ownMethod(r, l.v, method, l.path)))
      .filter((t): t is CallTarget => !!t);
    if (found.length > 1) throw new EvalError(`ambiguous selector ${what}.${method}`);
    if (found.length === 1) return found[0];
    level = level.flatMap((l) => embedded(r, l.v, l.path));
  }
  return undefined;
}

/** The embedded fields of a struct value (through a pointer), as values. */
function embedded(r: ValueReader, v: Value, path: string): { v: Value; path: string }[] {
  let s = v;
  const u = underlying(v.type);
  if (u.kind === 'pointer') {
    const t = r.deref(v, u.elem);
    if (!t) return [];
    s = t;
  }
  const su = underlying(s.type);
  if (su.kind !== 'struct') return [];
  return su.fields.filter((f) => f.embedded).map((f) => ({ v: partOf(s, f.type, f.offset), path: `${path}.${f.name}` }));
}

/** A method declared on v's type (or the type v points to), with the receiver Go passes: v, *v, or &v. */
function ownMethod(r: ValueReader, v: Value, method: string, what: string): CallTarget | undefined {
  const u = underlying(v.type);
  const ptr = u.kind === 'pointer';
  const named = ptr ? u.elem : v.type;
  const names = methodFunctionNames(named.name, method);
  if (!names) return undefined;
  const byValue = functionEntry(r, names.byValue);
  const byPointer = byValue ? undefined : functionEntry(r, names.byPointer);
  const f = byValue ?? byPointer;
  if (!f) return undefined;
  const t = methodOfSubprogram(r, r.dwarf.functionByOffset(f.offset));
  const recvType = t.receiver.type;
  if (byValue) {
    let recv = v;
    if (ptr) {
      const target = r.deref(v, u.elem);
      if (!target) throw new EvalError(`cannot call ${what}.${method}: ${what} is nil (the call would panic with a nil pointer dereference)`);
      recv = target;
    }
    return { ...t, receiver: { type: recvType, bytes: r.load(recv).slice(0, recvType.size) } };
  }
  if (ptr) return { ...t, receiver: { type: recvType, bytes: r.load(v).slice(0, 8) } };
  if (v.addr === undefined || v.computed || v.regs) {
    throw new EvalError(`cannot call pointer method ${method} on ${named.name}${v.regs ? ` (${what} is in a register, it has no address)` : ''}`);
  }
  return { ...t, receiver: { type: recvType, bytes: encodeInt(BigInt(v.addr), 8) } };
}

/** `i.M(…)` on a non-empty interface: the itab's code for M, the data word as the receiver. */
function interfaceTarget(r: ValueReader, x: Value, method: string, what: string): CallTarget | undefined {
  const it = underlying(x.type);
  if (it.kind !== 'interface' || it.empty) return undefined;
  const names = interfaceMethods(r, x.type);
  const index = names.indexOf(method);
  if (index < 0) return undefined;
  const d = dynamicOf(r, x);
  if (d.nil) throw new EvalError(`cannot call ${what}.${method}: ${what} is nil (the call would panic with a nil pointer dereference)`);
  const words = r.bytesAt(x, 0, 16);
  const itab = Number(u64(words, 0));
  const itabType = fieldNamed(it.layout, 'tab')?.type;
  const itabStruct = itabType?.kind === 'pointer' ? itabType.elem : undefined;
  const funOffset = (itabStruct && (fieldNamed(itabStruct, 'Fun') ?? fieldNamed(itabStruct, 'fun'))?.offset) ?? 24;
  const entry = Number(u64(r.read(itab + funOffset + index * 8, 8), 0));
  const fn = r.dwarf.functionAt(entry);
  if (!fn || fn.lowPC !== entry) throw new EvalError(`cannot call ${what}.${method}: no DWARF describes its code at 0x${entry.toString(16)}`);
  if (fn.name === 'runtime.unreachableMethod') {
    // The linker keeps a method in an itab only when the program calls it through an interface;
    // running runtime.unreachableMethod would end the program with a fatal error. The dynamic
    // type's own method, when the binary has its code (called directly somewhere), is the same call.
    const own = d.value && ownMethod(r, d.value, method, what);
    if (own) return own;
    throw new EvalError(
      `cannot call ${what}.${method}: the program never calls ${d.type?.name ?? 'its dynamic type'}'s ${method}, so the linker left its code out (of the method table, and of the binary)`,
    );
  }
  const t = fromSubprogram(r, fn, true);
  const recvVar = fn.variables.find((v) => v.kind === 'param' && !v.isReturn && v.depth === 0);
  const recvType = recvVar ? r.dwarf.type(recvVar.typeOffset) : undefined;
  if (recvType?.size !== 8) throw new EvalError(`cannot call ${fn.name}: its receiver is not the interface's data word`);
  return { ...t, receiver: { type: recvType, bytes: words.slice(8, 16) } };
}

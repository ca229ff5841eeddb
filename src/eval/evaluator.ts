/**
 * Evaluates Go expressions against a stopped frame: identifiers (locals,
 * arguments, package globals, `pkg.Var`), selectors with automatic
 * dereference and embedded-field promotion, index (arrays, slices, strings,
 * maps with basic keys), slices, `*p`, `&x`, len/cap, conversions between
 * basic types, pointer conversions `(*T)(addr)`, and type assertions.
 */
import type { Dwarf, DwarfGlobal } from '../dwarf/dwarf.js';
import { underlying, type GoType, type StructField } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import { mapIterator } from '../values/maps.js';
import { partOf, type Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import { isTypeExpr, typeString, type Expr, type TypeExpr } from './ast.js';
import { EvalError } from './errors.js';
import { asBool, binary, constToType, operand, typeNameOf, unary } from './operators.js';
import { builtinOf, callBuiltin, type BuiltinHost } from './builtins.js';
import { convert } from './conversions.js';
import { parseExpression } from './parser.js';
import { ratFromLiteral } from './rationals.js';
import { basicType, intValue, isBasicName, konst, pointerTo, val, type Result } from './results.js';

/** What an expression can see. */
export interface EvalScope {
  reader: ValueReader;
  dwarf: Dwarf;
  /** The visible local variable or argument of that name. */
  local(name: string): Value | undefined;
  /** Package path of the frame's function ("main", "example.com/m/pkg"). */
  pkg?: string;
}

/** Package path of a Go function name: "example.com/m/pkg.(*T).M" → "example.com/m/pkg". */
export function packageOf(funcName: string): string {
  const br = funcName.indexOf('[');
  const head = br >= 0 ? funcName.slice(0, br) : funcName;
  const slash = head.lastIndexOf('/');
  const dot = head.indexOf('.', slash + 1);
  return dot < 0 ? head : head.slice(0, dot);
}

interface GlobalIndex {
  byName: Map<string, DwarfGlobal>;
  /** "pkg.Var" (last path element) → globals. */
  byShort: Map<string, DwarfGlobal[]>;
}
const globalIndexes = new WeakMap<Dwarf, GlobalIndex>();

function globalIndex(dw: Dwarf): GlobalIndex {
  let idx = globalIndexes.get(dw);
  if (!idx) {
    idx = { byName: new Map(), byShort: new Map() };
    for (const g of dw.globals()) {
      idx.byName.set(g.name, g);
      const short = g.name.slice(g.name.lastIndexOf('/', g.name.lastIndexOf('.')) + 1);
      if (short !== g.name) {
        const l = idx.byShort.get(short) ?? [];
        l.push(g);
        idx.byShort.set(short, l);
      }
    }
    globalIndexes.set(dw, idx);
  }
  return idx;
}

/** Parses (cached by the caller) and evaluates `src`. */
export function evaluate(scope: EvalScope, src: string, ast: Expr = parseExpression(src)): Result {
  return new Evaluator(scope, src).eval(ast);
}

export class Evaluator {
  constructor(
    private readonly s: EvalScope,
    private readonly src: string,
  ) {}

  private get r(): ValueReader {
    return this.s.reader;
  }
  private get dw(): Dwarf {
    return this.s.dwarf;
  }
  private text(e: Expr | TypeExpr): string {
    return this.src.slice(e.pos, e.end);
  }

  eval(e: Expr): Result {
    switch (e.k) {
      case 'ident':
        return this.ident(e.name);
      case 'int':
        return konst({ kind: 'int', v: e.value });
      case 'rune':
        return konst({ kind: 'rune', v: e.value });
      case 'float':
        return konst({ kind: 'float', v: e.value, exact: ratFromLiteral(this.text(e)) });
      case 'imag':
        return konst({ kind: 'complex', re: 0, im: e.value });
      case 'string':
        return konst({ kind: 'string', v: e.value });
      case 'paren':
        return this.eval(e.x);
      case 'selector':
        return this.selector(e);
      case 'index':
        return this.index(e.x, e.index);
      case 'slice':
        return this.slice(e);
      case 'assert':
        return this.assert(e.x, e.type);
      case 'call':
        return this.call(e);
      case 'unary': {
        if (e.op === '*') return this.deref(e.x);
        if (e.op === '&') return this.addressOf(e.x);
        return unary(this.r, e.op, this.eval(e.x), { text: this.text(e.x), pos: e.x.pos });
      }
      case 'binary': {
        if (e.op === '&&' || e.op === '||') {
          const x = asBool(this.eval(e.x), this.r);
          if (e.op === '&&' ? !x : x) return konst({ kind: 'bool', v: x });
          return konst({ kind: 'bool', v: asBool(this.eval(e.y), this.r) });
        }
        return binary(this.r, this.dw, e.op, this.eval(e.x), this.eval(e.y), {
          x: { text: this.text(e.x), pos: e.x.pos },
          y: { text: this.text(e.y), pos: e.y.pos },
        });
      }
    }
  }

  // ───────────── names ─────────────

  private global(name: string): Value | undefined {
    const g = globalIndex(this.dw).byName.get(name);
    return g ? { type: this.dw.type(g.typeOffset), addr: g.address } : undefined;
  }

  private ident(name: string): Result {
    const v = this.s.local(name);
    if (v) return val(v);
    if (name === 'true' || name === 'false') return konst({ kind: 'bool', v: name === 'true' });
    if (name === 'nil') return konst({ kind: 'nil' });
    const g = this.global(`${this.s.pkg ?? 'main'}.${name}`);
    if (g) return val(g);
    throw new EvalError(`undefined: ${name}`);
  }

  /** `pkg.Var` where pkg is a package name (last path element) or a full path: the global, if any. */
  private packageGlobal(pkg: string, name: string): Value | undefined {
    const exact = this.global(`${pkg}.${name}`);
    if (exact) return exact;
    const l = globalIndex(this.dw).byShort.get(`${pkg}.${name}`);
    if (!l?.length) return undefined;
    if (l.length > 1) throw new EvalError(`${pkg}.${name} is ambiguous: ${l.map((g) => g.name).join(', ')}`);
    return { type: this.dw.type(l[0]!.typeOffset), addr: l[0]!.address };
  }

  private isVariable(name: string): boolean {
    return !!this.s.local(name) || !!this.global(`${this.s.pkg ?? 'main'}.${name}`);
  }

  // ───────────── selectors ─────────────

  private selector(e: Extract<Expr, { k: 'selector' }>): Result {
    if (e.x.k === 'ident' && !this.isVariable(e.x.name)) {
      const g = this.packageGlobal(e.x.name, e.name);
      if (g) return val(g);
      throw new EvalError(`undefined: ${e.x.name}.${e.name}`);
    }
    const x = this.eval(e.x);
    return val(this.field(x, e.name, this.text(e.x)));
  }

  private field(x: Result, name: string, what: string): Value {
    if (x.k !== 'val') throw new EvalError(`${what} (${typeNameOf(x)}) has no field ${name}`);
    let v = x.v;
    for (let hop = 0; hop < 3; hop++) {
      const u = underlying(v.type);
      if (u.kind === 'pointer') {
        const target = this.r.deref(v, u.elem);
        if (!target) throw new EvalError(`cannot read ${what}.${name}: ${what} is nil`);
        v = target;
        continue;
      }
      if (u.kind === 'interface') {
        const d = dynamicOf(this.r, v);
        if (d.nil) throw new EvalError(`cannot read ${what}.${name}: ${what} is nil`);
        if (!d.value) throw new EvalError(`${what} holds a value of a type unknown to DWARF`);
        v = d.value;
        continue;
      }
      break;
    }
    const u = underlying(v.type);
    if (u.kind !== 'struct') throw new EvalError(`${what} (${typeNameOf(x)}) has no field ${name}`);
    const path = fieldPath(u.fields, name);
    if (!path) throw new EvalError(`${what} has no field ${name}`);
    for (const f of path) {
      const cu = underlying(v.type);
      if (cu.kind === 'pointer') {
        const t = this.r.deref(v, cu.elem);
        if (!t) throw new EvalError(`cannot read ${what}.${name}: embedded pointer is nil`);
        v = t;
      }
      v = partOf(v, f.type, f.offset);
    }
    return v;
  }

  // ───────────── index and slice ─────────────

  private intIndex(e: Expr, what: string): number {
    const r = this.eval(e);
    const o = operand(this.r, r);
    if (o.cls === 'int') return Number(o.v);
    if (o.cls === 'float' && !o.t && Number.isInteger(o.v)) return o.v;
    throw new EvalError(`invalid argument: ${what} ${this.text(e)} (${typeNameOf(r)}) must be integer`);
  }

  /** Follows a pointer to an array (Go indexes and slices those directly). */
  private arrayThroughPointer(v: Value): Value {
    const u = underlying(v.type);
    if (u.kind === 'pointer' && underlying(u.elem).kind === 'array') {
      const t = this.r.deref(v, u.elem);
      if (!t) throw new EvalError('nil pointer dereference');
      return t;
    }
    return v;
  }

  private index(xe: Expr, ie: Expr): Result {
    const x = this.eval(xe);
    const what = this.text(xe);
    if (x.k === 'const') {
      if (x.c.kind !== 'string') throw new EvalError(`invalid operation: cannot index ${what} (${typeNameOf(x)})`);
      const i = this.intIndex(ie, 'index');
      if (i < 0 || i >= x.c.v.length) throw new EvalError(`index ${i} out of range [0:${x.c.v.length}]`);
      return konst({ kind: 'int', v: BigInt(x.c.v[i]!) });
    }
    const v = this.arrayThroughPointer(x.v);
    const u = underlying(v.type);
    switch (u.kind) {
      case 'array': {
        const i = this.intIndex(ie, 'index');
        if (i < 0 || i >= u.count) throw new EvalError(`index ${i} out of range [0:${u.count}]`);
        return val(this.r.arrayElem(v, u.elem, i));
      }
      case 'slice': {
        const i = this.intIndex(ie, 'index');
        const h = this.r.sliceHeader(v);
        if (i < 0 || i >= h.len) throw new EvalError(`index ${i} out of range [0:${h.len}]`);
        return val({ type: u.elem, addr: h.data + i * u.elem.size });
      }
      case 'string': {
        const i = this.intIndex(ie, 'index');
        const h = this.r.stringHeader(v);
        if (i < 0 || i >= h.len) throw new EvalError(`index ${i} out of range [0:${h.len}]`);
        const byte = basicType(this.dw, 'uint8')!;
        return val({ type: byte, addr: h.data + i, computed: true });
      }
      case 'map':
        return val(this.mapIndex(v, u.key, ie, what));
      default:
        throw new EvalError(`invalid operation: cannot index ${what} (variable of type ${typeNameOf(x)})`);
    }
  }

  private mapIndex(m: Value, keyType: GoType, ie: Expr, what: string): Value {
    const key = this.eval(ie);
    const ku = underlying(keyType);
    const basic = ['bool', 'int', 'uint', 'uintptr', 'float', 'string', 'pointer', 'unsafePointer', 'chan'];
    if (!basic.includes(ku.kind)) throw new EvalError(`indexing maps with ${keyType.name} keys is not supported (basic key types only)`);
    // Type-check the key once (constants must fit the key type).
    const wanted = key.k === 'const' && ku.kind !== 'string' ? val(constToType(this.dw, key.c, keyType)) : key;
    if (key.k === 'const' && ku.kind === 'string' && key.c.kind !== 'string')
      throw new EvalError(`cannot use ${this.text(ie)} (${typeNameOf(key)} constant) as ${keyType.name} value in map index`);
    const it = mapIterator(this.r, m);
    const e = it.find((k) => asBool(binary(this.r, this.dw, '==', val(k), wanted), this.r));
    if (!e) throw new EvalError(`key ${this.text(ie)} not found in ${what}`);
    return e.value;
  }

  private slice(e: Extract<Expr, { k: 'slice' }>): Result {
    const x = this.eval(e.x);
    const what = this.text(e.x);
    const lo = e.lo ? this.intIndex(e.lo, 'slice index') : 0;
    if (x.k === 'const') {
      if (x.c.kind !== 'string') throw new EvalError(`cannot slice ${what} (${typeNameOf(x)})`);
      const hi = e.hi ? this.intIndex(e.hi, 'slice index') : x.c.v.length;
      if (e.max) throw new EvalError('3-index slice of string');
      if (lo < 0 || hi < lo || hi > x.c.v.length) throw new EvalError(`slice bounds out of range [${lo}:${hi}] with length ${x.c.v.length}`);
      return konst({ kind: 'string', v: x.c.v.subarray(lo, hi) });
    }
    const v = this.arrayThroughPointer(x.v);
    const u = underlying(v.type);
    let data: number;
    let len: number;
    let cap: number;
    let elem: GoType;
    if (u.kind === 'string') {
      if (e.max) throw new EvalError('3-index slice of string');
      const h = this.r.stringHeader(v);
      const hi = e.hi ? this.intIndex(e.hi, 'slice index') : h.len;
      if (lo < 0 || hi < lo || hi > h.len) throw new EvalError(`slice bounds out of range [${lo}:${hi}] with length ${h.len}`);
      const b = new Uint8Array(16);
      const dv = new DataView(b.buffer);
      dv.setBigUint64(0, BigInt(h.data + lo), true);
      dv.setBigUint64(8, BigInt(hi - lo), true);
      return val({ type: v.type, bytes: b, computed: true });
    }
    if (u.kind === 'array') {
      if (v.addr === undefined) throw new EvalError(`cannot slice ${what} (value not addressable)`);
      data = v.addr;
      len = cap = u.count;
      elem = u.elem;
    } else if (u.kind === 'slice') {
      const h = this.r.sliceHeader(v);
      data = h.data;
      len = h.len;
      cap = h.cap;
      elem = u.elem;
    } else throw new EvalError(`cannot slice ${what} (variable of type ${typeNameOf(x)})`);
    const hi = e.hi ? this.intIndex(e.hi, 'slice index') : len;
    const max = e.max ? this.intIndex(e.max, 'slice index') : cap;
    if (lo < 0 || hi < lo || max < hi || max > cap)
      throw new EvalError(`slice bounds out of range [${lo}:${hi}${e.max ? `:${max}` : ''}] with capacity ${cap}`);
    const st = u.kind === 'slice' ? v.type : sliceOf(this.dw, elem);
    const b = new Uint8Array(24);
    const dv = new DataView(b.buffer);
    dv.setBigUint64(0, BigInt(data + lo * elem.size), true);
    dv.setBigUint64(8, BigInt(hi - lo), true);
    dv.setBigUint64(16, BigInt(max - lo), true);
    return val({ type: st, bytes: b, computed: true });
  }

  // ───────────── pointers ─────────────

  private deref(xe: Expr): Result {
    const x = this.eval(xe);
    if (x.k !== 'val') throw new EvalError(`invalid operation: cannot indirect ${this.text(xe)} (${typeNameOf(x)})`);
    const u = underlying(x.v.type);
    if (u.kind === 'unsafePointer') throw new EvalError(`cannot dereference ${this.text(xe)} (unsafe.Pointer): convert it first, e.g. (*T)(p)`);
    if (u.kind !== 'pointer') throw new EvalError(`invalid operation: cannot indirect ${this.text(xe)} (variable of type ${typeNameOf(x)})`);
    const t = this.r.deref(x.v, u.elem);
    if (!t) throw new EvalError(`nil pointer dereference: ${this.text(xe)} is nil`);
    return val(t);
  }

  private addressOf(xe: Expr): Result {
    const x = this.eval(xe);
    if (x.k !== 'val' || x.v.addr === undefined || x.v.computed || x.v.regs) {
      throw new EvalError(`invalid operation: cannot take address of ${this.text(xe)}${x.k === 'val' && x.v.regs ? ' (it is in a register)' : ''}`);
    }
    return val(intValue(pointerTo(this.dw, x.v.type), BigInt(x.v.addr)));
  }

  // ───────────── types: assertions, conversions ─────────────

  private typeByName(name: string): GoType | undefined {
    if (name === 'error') return this.dw.typeByName('error');
    if (isBasicName(name)) return basicType(this.dw, name) ?? this.dw.typeByName(name === 'any' ? 'interface {}' : name);
    return this.dw.typeByName(name) ?? (this.s.pkg && !name.includes('.') ? this.dw.typeByName(`${this.s.pkg}.${name}`) : undefined);
  }

  /** Qualifies unqualified named types with the frame's package ("T" → "main.T"). */
  private qualified(t: TypeExpr): string {
    switch (t.k) {
      case 'typeName':
        return isBasicName(t.name) || t.name.includes('.')
          ? t.name === 'any'
            ? 'interface {}'
            : t.name === 'byte'
              ? 'uint8'
              : t.name === 'rune'
                ? 'int32'
                : t.name
          : `${this.s.pkg ?? 'main'}.${t.name}`;
      case 'pointerType':
        return `*${this.qualified(t.elem)}`;
      case 'sliceType':
        return `[]${this.qualified(t.elem)}`;
      case 'arrayType':
        return `[${t.len}]${this.qualified(t.elem)}`;
      case 'mapType':
        return `map[${this.qualified(t.key)}]${this.qualified(t.elem)}`;
      case 'chanType':
        return `${t.dir === 'recv' ? '<-chan' : t.dir === 'send' ? 'chan<-' : 'chan'} ${this.qualified(t.elem)}`;
      default:
        return typeString(t);
    }
  }

  resolveType(t: TypeExpr): GoType {
    if (t.k === 'typeName') {
      const found = this.typeByName(t.name);
      if (found) return found;
    } else {
      const found = this.dw.typeByName(this.qualified(t)) ?? this.dw.typeByName(typeString(t));
      if (found) return found;
      if (t.k === 'pointerType') return pointerTo(this.dw, this.resolveType(t.elem));
      if (t.k === 'sliceType') return sliceOf(this.dw, this.resolveType(t.elem));
    }
    throw new EvalError(`no type ${this.text(t)} in the program (the linker keeps only the types it uses)`);
  }

  /** An expression that names a type (`T`, `pkg.T`, `*T`, `(*T)`), if it is one. */
  private exprAsType(e: Expr | TypeExpr): GoType | undefined {
    if (isTypeExpr(e)) return this.resolveType(e);
    switch (e.k) {
      case 'ident':
        if (this.isVariable(e.name)) return undefined;
        return this.typeByName(e.name);
      case 'selector':
        if (e.x.k !== 'ident' || this.isVariable(e.x.name)) return undefined;
        return this.dw.typeByName(`${e.x.name}.${e.name}`);
      case 'paren':
        return this.exprAsType(e.x);
      case 'unary': {
        if (e.op !== '*') return undefined;
        const elem = this.exprAsType(e.x);
        return elem && pointerTo(this.dw, elem);
      }
      default:
        return undefined;
    }
  }

  private assert(xe: Expr, te: TypeExpr): Result {
    const x = this.eval(xe);
    const what = this.text(xe);
    if (x.k !== 'val' || underlying(x.v.type).kind !== 'interface') {
      throw new EvalError(`invalid operation: ${what} (${typeNameOf(x)}) is not an interface`);
    }
    const target = this.resolveType(te);
    const iname = typeNameOf(x);
    const d = dynamicOf(this.r, x.v);
    if (underlying(target).kind === 'interface') {
      if (target.name === 'interface {}' && !d.nil) return d.value ? val(d.value) : x;
      throw new EvalError(`type assertions to interface types (${target.name}) are not supported`);
    }
    if (d.nil) throw new EvalError(`interface conversion: ${iname} is nil, not ${target.name}`);
    const dyn = d.type?.name ?? `<type at 0x${d.typeAddr.toString(16)}>`;
    if (dyn !== target.name || !d.value) throw new EvalError(`interface conversion: ${iname} is ${dyn}, not ${target.name}`);
    return val(d.value);
  }

  private call(e: Extract<Expr, { k: 'call' }>): Result {
    const fn = e.fn;
    const builtin = isTypeExpr(fn) ? undefined : builtinOf(fn, (n) => this.isVariable(n));
    if (builtin) return callBuiltin(this.builtinHost(), builtin, e);
    const t = this.exprAsType(fn);
    if (!t) {
      if (!isTypeExpr(fn) && fn.k === 'ident' && !this.isVariable(fn.name) && !this.dw.typeByName(fn.name)) {
        throw new EvalError(`undefined: ${fn.name}`);
      }
      throw new EvalError(`function calls are not supported (${this.text(fn)})`);
    }
    if (e.args.length !== 1) throw new EvalError(`conversion to ${t.name} takes exactly one argument`);
    const arg = e.args[0]!;
    return convert(this.r, this.dw, t, this.eval(arg), this.text(arg), arg.pos);
  }

  private builtinHost(): BuiltinHost {
    return { reader: this.r, dwarf: this.dw, eval: (x) => this.eval(x), text: (x) => this.text(x), fieldPath };
  }
}

/** Go's field selection: the shallowest field of that name, through embedded structs (and pointers to them). */
export function fieldPath(fields: StructField[], name: string): StructField[] | undefined {
  let level: { fields: StructField[]; path: StructField[] }[] = [{ fields, path: [] }];
  for (let depth = 0; depth < 8 && level.length; depth++) {
    const hits = [];
    const next: typeof level = [];
    for (const l of level) {
      for (const f of l.fields) {
        if (f.name === name) hits.push([...l.path, f]);
        if (f.embedded) {
          let t = underlying(f.type);
          if (t.kind === 'pointer') t = underlying(t.elem);
          if (t.kind === 'struct') next.push({ fields: t.fields, path: [...l.path, f] });
        }
      }
    }
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) throw new EvalError(`ambiguous selector ${name}`);
    level = next;
  }
  return undefined;
}

function sliceOf(dw: Dwarf, elem: GoType): GoType {
  return (
    dw.typeByName(`[]${elem.name}`) ?? {
      kind: 'slice',
      name: `[]${elem.name}`,
      size: 24,
      offset: -1,
      goKind: 23,
      runtimeType: 0,
      fields: [],
      elemOffset: elem.offset,
      elem,
    }
  );
}

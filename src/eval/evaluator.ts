/**
 * Evaluates Go expressions against a stopped frame: identifiers (locals,
 * arguments, package globals, `pkg.Var`, functions), selectors with automatic
 * dereference and embedded-field promotion, method values, index (arrays,
 * slices, strings, maps with any comparable key), slices, composite
 * literals, `*p`, `&x`, len/cap, conversions, and type assertions.
 */
import type { FindConstantBytes } from './assign.js';
import type { FunctionCaller } from './callContract.js';
import { CallPanic, callFunction, withoutCallPrefix, type CallHost } from './calls.js';
import type { Dwarf, DwarfGlobal } from '../dwarf/dwarf.js';
import { underlying, type GoType, type StructField } from '../dwarf/goTypes.js';
import { dynamicOf } from '../values/interfaces.js';
import { partOf, type Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';
import { SYNTHETIC_BASE } from '../values/valueReader.js';
import { isTypeExpr, type Expr, type TypeExpr } from './ast.js';
import { chanField } from './chanFields.js';
import { compositeLiteral, type LiteralHost } from './compositeLiterals.js';
import { errorAt, EvalError } from './errors.js';
import { builtinOf, callBuiltin, type BuiltinHost } from './builtins.js';
import { convert } from './conversions.js';
import { funcValue, methodValue } from './funcValues.js';
import { mapIndex } from './mapIndex.js';
import { methodExpressionCall, methodExpressionValue, noFieldOrMethod } from './methodExpressions.js';
import { asBool, binary, operand, typeNameOf, unary } from './operators.js';
import { packageConst } from './packageConsts.js';
import { parseExpression } from './parser.js';
import { ratFromLiteral } from './rationals.js';
import { basicType, intValue, konst, pointerTo, stringValue, val, type Result } from './results.js';
import { typeAssert } from './typeAssert.js';
import { instanceType, isPackage, namedType, packagePaths, resolveType, sliceOf } from './typeLookup.js';

/** What an expression can see. */
export interface EvalScope {
  reader: ValueReader;
  dwarf: Dwarf;
  /** The visible local variable or argument of that name. */
  local(name: string): Value | undefined;
  /** Package path of the frame's function ("main", "example.com/m/pkg"). */
  pkg?: string;
  /** Runs a function call on the stopped goroutine; absent where calls are not allowed (conditions, hover). */
  call?: FunctionCaller;
  /** Where the program's read-only data holds these bytes (a string constant passed to a call points there). */
  findBytes?: FindConstantBytes;
  /** Whether an address is inside some goroutine's stack: a call's arguments must not point there. */
  onStack?: (addr: number) => boolean;
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

/** Parses (cached by the caller) and evaluates `src`; an error names the column it is about. */
export function evaluate(scope: EvalScope, src: string, ast?: Expr): Result {
  // Delve's `call f(2)` is `f(2)`; the prefix is blanked so that columns stay those of the text.
  const text = ast ? src : withoutCallPrefix(src);
  const tree = ast ?? parsedTree(text);
  try {
    return new Evaluator(scope, text, tree).eval(tree);
  } catch (err) {
    if (err instanceof EvalError && err.pos !== undefined && !/\bcolumn \d+/.test(err.message)) {
      throw errorAt(err.pos, err.message);
    }
    throw err;
  }
}

/** Trees parsed, by text: a watch is evaluated again at every stop, a hover each time the pointer rests. No evaluation changes a tree. */
const parsed = new Map<string, Expr>();
const MAX_PARSED = 256;
/** Longer texts (a pasted literal) are parsed each time rather than kept. */
const MAX_PARSED_TEXT = 4096;

function parsedTree(text: string): Expr {
  let tree = parsed.get(text);
  if (!tree) {
    tree = parseExpression(text);
    if (text.length > MAX_PARSED_TEXT) return tree;
    if (parsed.size >= MAX_PARSED) parsed.clear();
    parsed.set(text, tree);
  }
  return tree;
}

/** Go's runtime check of an index (its panic text). */
function checkIndex(i: number, len: number): void {
  if (i < 0 || i >= len) throw new EvalError(i < 0 ? `index out of range [${i}]` : `index out of range [${i}] with length ${len}`);
}

/** Go's runtime checks of `[lo:hi]` and `[lo:hi:max]` (its panic texts, outermost bound first). */
function checkSliceBounds(lo: number, hi: number, max: number | undefined, limit: number, what: 'length' | 'capacity'): void {
  if (max !== undefined) {
    if (max < 0 || max > limit) throw new EvalError(`slice bounds out of range [::${max}] with ${what} ${limit}`);
    if (hi < 0 || hi > max) throw new EvalError(`slice bounds out of range [:${hi}:${max}]`);
    if (lo < 0 || lo > hi) throw new EvalError(`slice bounds out of range [${lo}:${hi}:]`);
    return;
  }
  if (hi < 0 || hi > limit) throw new EvalError(`slice bounds out of range [:${hi}] with ${what} ${limit}`);
  if (lo < 0 || lo > hi) throw new EvalError(`slice bounds out of range [${lo}:${hi}]`);
}

export class Evaluator {
  constructor(
    private readonly s: EvalScope,
    private readonly src: string,
    /** The whole expression: a call there may answer no value or several. */
    private readonly top?: Expr,
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

  /** The value of `e`; an error without a place gets e's (the innermost expression that failed). */
  eval(e: Expr): Result {
    try {
      return this.evalNode(e);
    } catch (err) {
      if (err instanceof EvalError && err.pos === undefined && !(err instanceof CallPanic)) throw new EvalError(err.message, e.pos);
      throw err;
    }
  }

  private evalNode(e: Expr): Result {
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
      case 'composite':
        return val(compositeLiteral(this.literalHost(), e));
      case 'type':
        throw new EvalError(`${this.text(e)} (type) is not an expression`);
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
    const k = packageConst(this.dw, `${this.s.pkg ?? 'main'}.${name}`);
    if (k) return k;
    const f = funcValue(this.r, `${this.s.pkg ?? 'main'}.${name}`);
    if (f) return val(f);
    if (namedType(this.dw, this.s.pkg, name)) throw new EvalError(`${name} (type) is not an expression`);
    throw new EvalError(`undefined: ${name}`);
  }

  private literalHost(): LiteralHost {
    return {
      r: this.r,
      dw: this.dw,
      eval: (x) => this.eval(x),
      text: (x) => this.text(x),
      type: (t, n) => resolveType(this.dw, this.s.pkg, t, (x) => this.text(x), n),
    };
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
    const full = `${this.s.pkg ?? 'main'}.${name}`;
    return !!this.s.local(name) || !!this.global(full) || !!packageConst(this.dw, full);
  }

  // ───────────── selectors ─────────────

  private selector(e: Extract<Expr, { k: 'selector' }>): Result {
    // `v.f` with v a local: the local located once, for the test and the operand (an ident evaluates to the same).
    const local = e.x.k === 'ident' ? this.s.local(e.x.name) : undefined;
    if (e.x.k === 'ident' && !local && !this.global(`${this.s.pkg ?? 'main'}.${e.x.name}`)) {
      const g = this.packageGlobal(e.x.name, e.name);
      if (g) return val(g);
      for (const path of packagePaths(this.dw, e.x.name)) {
        const f = funcValue(this.r, `${path}.${e.name}`);
        if (f) return val(f);
        const k = packageConst(this.dw, `${path}.${e.name}`);
        if (k) return k;
      }
      const mt = isPackage(this.dw, e.x.name) ? undefined : namedType(this.dw, this.s.pkg, e.x.name);
      if (mt) return val(methodExpressionValue(this.r, mt, e.name, this.text(e), e.pos));
      if (!isPackage(this.dw, e.x.name)) throw new EvalError(`undefined: ${e.x.name}`, e.x.pos);
      if (namedType(this.dw, this.s.pkg, `${e.x.name}.${e.name}`)) throw new EvalError(`${this.text(e)} (type) is not an expression`, e.pos);
      throw new EvalError(`undefined: ${e.x.name}.${e.name}`, e.pos);
    }
    let x: Result;
    try {
      x = local ? val(local) : this.eval(e.x);
    } catch (err) {
      // `(*T).M`, `pkg.T.M`: method expressions (tried when e.x is no value).
      const t = e.x.k === 'selector' || e.x.k === 'paren' ? this.exprAsType(e.x) : undefined;
      if (t) return val(methodExpressionValue(this.r, t, e.name, this.text(e), e.pos));
      throw err;
    }
    try {
      return val(this.field(x, e.name, this.text(e.x)));
    } catch (err) {
      const m = err instanceof EvalError && x.k === 'val' ? methodValue(this.r, x.v, e.name) : undefined;
      if (m) return val(m);
      if (err instanceof EvalError && / has no field /.test(err.message)) throw noFieldOrMethod(this.r, x, e.name, this.text(e), e.pos);
      throw err;
    }
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
    if (u.kind === 'chan') {
      const c = chanField(this.r, v, name, what);
      if (c) return c;
    }
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
      checkIndex(i, x.c.v.length);
      // The spec: indexing a constant string gives a non-constant byte.
      return val(intValue(basicType(this.dw, 'uint8')!, BigInt(x.c.v[i]!)));
    }
    const v = this.arrayThroughPointer(x.v);
    const u = underlying(v.type);
    switch (u.kind) {
      case 'array': {
        const i = this.intIndex(ie, 'index');
        checkIndex(i, u.count);
        return val(this.r.arrayElem(v, u.elem, i));
      }
      case 'slice': {
        const i = this.intIndex(ie, 'index');
        const h = this.r.sliceHeader(v);
        checkIndex(i, h.len);
        const addr = h.data + i * u.elem.size;
        return val(addr >= SYNTHETIC_BASE ? { type: u.elem, addr, computed: true } : { type: u.elem, addr });
      }
      case 'string': {
        const i = this.intIndex(ie, 'index');
        const h = this.r.stringHeader(v);
        checkIndex(i, h.len);
        const byte = basicType(this.dw, 'uint8')!;
        return val({ type: byte, addr: h.data + i, computed: true });
      }
      case 'map':
        return val(mapIndex(this.literalHost(), v, u.key, ie, what));
      default:
        throw new EvalError(`invalid operation: cannot index ${what} (variable of type ${typeNameOf(x)})`);
    }
  }

  private slice(e: Extract<Expr, { k: 'slice' }>): Result {
    const x = this.eval(e.x);
    const what = this.text(e.x);
    const lo = e.lo ? this.intIndex(e.lo, 'slice index') : 0;
    if (x.k === 'const') {
      if (x.c.kind !== 'string') throw new EvalError(`cannot slice ${what} (${typeNameOf(x)})`);
      const hi = e.hi ? this.intIndex(e.hi, 'slice index') : x.c.v.length;
      if (e.max) throw new EvalError('invalid operation: 3-index slice of string', e.max.pos);
      checkSliceBounds(lo, hi, undefined, x.c.v.length, 'length');
      // The spec: slicing an untyped string gives a non-constant string.
      return val(stringValue(this.r, basicType(this.dw, 'string')!, x.c.v.subarray(lo, hi)));
    }
    const v = this.arrayThroughPointer(x.v);
    const u = underlying(v.type);
    let data: number;
    let len: number;
    let cap: number;
    let elem: GoType;
    if (u.kind === 'string') {
      if (e.max) throw new EvalError('invalid operation: 3-index slice of string', e.max.pos);
      const h = this.r.stringHeader(v);
      const hi = e.hi ? this.intIndex(e.hi, 'slice index') : h.len;
      checkSliceBounds(lo, hi, undefined, h.len, 'length');
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
    checkSliceBounds(lo, hi, e.max ? max : undefined, cap, u.kind === 'array' ? 'length' : 'capacity');
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
    return val(t.addr !== undefined && t.addr >= SYNTHETIC_BASE ? { ...t, computed: true } : t);
  }

  private addressOf(xe: Expr): Result {
    if (xe.k === 'composite' || (xe.k === 'paren' && xe.x.k === 'composite')) {
      // `&T{…}`: the literal gets an address (in the stop's synthesized memory, not the program's).
      const lit = this.eval(xe);
      if (lit.k !== 'val') throw new EvalError(`invalid operation: cannot take address of ${this.text(xe)}`);
      const addr = this.r.synthesize(this.r.load(lit.v));
      return val({ ...intValue(pointerTo(this.dw, lit.v.type), BigInt(addr)) });
    }
    const x = this.eval(xe);
    if (x.k !== 'val' || x.v.addr === undefined || x.v.computed || x.v.regs) {
      throw new EvalError(`invalid operation: cannot take address of ${this.text(xe)}${x.k === 'val' && x.v.regs ? ' (it is in a register)' : ''}`);
    }
    return val(intValue(pointerTo(this.dw, x.v.type), BigInt(x.v.addr)));
  }

  // ───────────── types: assertions, conversions ─────────────

  resolveType(t: TypeExpr): GoType {
    return resolveType(this.dw, this.s.pkg, t, (x) => this.text(x));
  }

  /** An expression that names a type (`T`, `pkg.T`, `*T`, `(*T)`), if it is one. */
  private exprAsType(e: Expr | TypeExpr): GoType | undefined {
    if (isTypeExpr(e)) return this.resolveType(e);
    switch (e.k) {
      case 'type':
        return this.resolveType(e.type);
      case 'ident':
        if (this.isVariable(e.name)) return undefined;
        return namedType(this.dw, this.s.pkg, e.name);
      case 'selector':
        if (e.x.k !== 'ident' || this.isVariable(e.x.name)) return undefined;
        return namedType(this.dw, this.s.pkg, `${e.x.name}.${e.name}`);
      case 'paren':
        return this.exprAsType(e.x);
      case 'index':
        return instanceType(this.dw, this.s.pkg, e.x, this.text(e.index), (n) => this.isVariable(n));
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
      throw new EvalError(
        `invalid operation: ${what} (${x.k === 'const' ? `${typeNameOf(x)} constant` : `variable of type ${typeNameOf(x)}`}) is not an interface`,
        xe.pos,
      );
    }
    const target = te.k === 'typeName' && te.name === 'type' ? undefined : this.resolveType(te);
    return typeAssert(this.r, x.v, typeNameOf(x), target);
  }

  private call(e: Extract<Expr, { k: 'call' }>): Result {
    const fn = e.fn;
    const builtin = isTypeExpr(fn) ? undefined : builtinOf(fn, (n) => this.isVariable(n));
    if (builtin && e.dots) throw new EvalError(`invalid operation: invalid use of ... with built-in ${builtin}`);
    if (builtin) return callBuiltin(this.builtinHost(), builtin, e);
    const mx = isTypeExpr(fn) ? undefined : methodExpressionCall({ ...this.callHost(e), asType: (x) => this.exprAsType(x) }, e);
    if (mx) return mx;
    const t = this.exprAsType(fn);
    if (!t) {
      if (!isTypeExpr(fn) && fn.k === 'ident' && !this.isVariable(fn.name) && !funcValue(this.r, `${this.s.pkg ?? 'main'}.${fn.name}`)) {
        throw new EvalError(`undefined: ${fn.name}`, fn.pos);
      }
      const named = namedPart(fn);
      if (named?.k === 'selector' && named.x.k === 'ident' && !this.isVariable(named.x.name) && !this.packageGlobal(named.x.name, named.name)) {
        if (!isPackage(this.dw, named.x.name)) throw new EvalError(`undefined: ${named.x.name}`, named.x.pos);
        const fv = packagePaths(this.dw, named.x.name).some((p) => funcValue(this.r, `${p}.${named.name}`));
        if (!fv) throw new EvalError(`undefined: ${this.text(named)} (no such type in the program; the linker keeps only the types it uses)`, named.pos);
      }
      return callFunction(this.callHost(e), e);
    }
    if (e.dots) throw new EvalError(`invalid use of ... in conversion to ${t.name}`);
    if (e.args.length !== 1) throw new EvalError(`conversion to ${t.name} takes exactly one argument`);
    const arg = e.args[0]!;
    return convert(this.r, this.dw, t, this.eval(arg), this.text(arg), arg.pos);
  }

  private callHost(e: Expr): CallHost {
    const s = this.s;
    return {
      r: this.r,
      pkg: s.pkg,
      eval: (x) => this.eval(x),
      text: (x) => this.text(x),
      isVariable: (n) => this.isVariable(n),
      ...(s.call ? { caller: s.call } : {}),
      ...(s.findBytes ? { findBytes: s.findBytes } : {}),
      ...(s.onStack ? { onStack: s.onStack } : {}),
      top: e === this.top,
    };
  }

  private builtinHost(): BuiltinHost {
    return { reader: this.r, dwarf: this.dw, eval: (x) => this.eval(x), text: (x) => this.text(x), fieldPath };
  }
}

/** The name inside `(**pkg.T)`: what a conversion's parenthesised pointer type names. */
function namedPart(e: Expr | TypeExpr): Expr | undefined {
  if (isTypeExpr(e)) return undefined;
  if (e.k === 'paren') return namedPart(e.x);
  if (e.k === 'unary' && e.op === '*') return namedPart(e.x);
  return e.k === 'selector' || e.k === 'ident' ? e : undefined;
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

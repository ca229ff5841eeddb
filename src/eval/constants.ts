/**
 * Untyped constants (the spec's "Constants" and "Constant expressions"):
 * folding two untyped operands (integers exactly, as bigints; the result
 * takes the later of int, rune, float, complex), the default type an untyped
 * constant takes where no type is given, and representability: whether a
 * constant converts to a typed operand's type, with the compiler's errors
 * ("300 (untyped int constant) overflows uint8", "1.5 (untyped float
 * constant) truncated to int"). Untyped floats are exact rationals
 * (rationals.ts); untyped complex constants are pairs of float64s.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying, type GoType } from '../dwarf/goTypes.js';
import type { Value } from '../values/value.js';
import type { BinaryOp } from './ast.js';
import { errorAt, EvalError } from './errors.js';
import { rat, ratCompare, ratFromNumber, ratOp, ratToNumber, type Rat } from './rationals.js';
import { basicType, boolConst, complexValue, constTypeName, fitsInt, floatValue, formatConst, intValue, konst, type Const, type Result } from './results.js';

/** An operand as written: its source text and 0-based position (for messages). */
export interface Spot {
  text: string;
  pos?: number;
}

const RANK = { int: 0, rune: 1, float: 2, complex: 3 } as const;
type NumKind = keyof typeof RANK;
const MAX_FLOAT32 = 3.4028234663852886e38;
/** Shift counts above this are refused for constants (the compiler caps untyped integers at 512 bits). */
const MAX_CONST_SHIFT = 10_000n;

export function isNumeric(c: Const): c is Extract<Const, { kind: NumKind }> {
  return c.kind === 'int' || c.kind === 'rune' || c.kind === 'float' || c.kind === 'complex';
}

/** "300 (untyped int constant)", "1e300 (untyped float constant 1e+300)": Go's description of a constant operand. */
export function describeConst(s: Spot, c: Const): string {
  if (c.kind === 'nil') return s.text;
  const shown = formatConst(c).replace(/ '.*'$/, '');
  return `${s.text} (${constTypeName(c)} constant${shown === s.text || c.kind === 'string' || c.kind === 'bool' ? '' : ` ${shown}`})`;
}

/** The exact rational of an integer or float constant. */
export function exactOf(c: Extract<Const, { kind: 'int' | 'rune' | 'float' }>): Rat {
  if (c.kind !== 'float') return rat(c.v);
  return c.exact ?? ratFromNumber(c.v);
}

function asComplex(c: Extract<Const, { kind: NumKind }>): [number, number] {
  if (c.kind === 'complex') return [c.re, c.im];
  return [Number(c.v), 0];
}

/** `x op y` on two untyped constants (not shifts). */
export function foldConst(op: BinaryOp, x: Const, y: Const, sx: Spot, sy: Spot): Result {
  const mismatch = () => errorAt(sx.pos, `invalid operation: ${sx.text} ${op} ${sy.text} (mismatched types ${constTypeName(x)} and ${constTypeName(y)})`);
  const notDefined = (c: Const, s: Spot) => errorAt(s.pos, `invalid operation: operator ${op} not defined on ${describeConst(s, c)}`);
  const isCmp = op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=';
  if (x.kind === 'nil' || y.kind === 'nil') {
    if (x.kind === 'nil' && y.kind === 'nil')
      throw errorAt(sx.pos, `invalid operation: ${sx.text} ${op} ${sy.text} (operator ${op} not defined on untyped nil)`);
    throw mismatch();
  }
  if (x.kind === 'bool' || y.kind === 'bool') {
    if (x.kind !== 'bool' || y.kind !== 'bool') throw mismatch();
    if (op === '==') return boolConst(x.v === y.v);
    if (op === '!=') return boolConst(x.v !== y.v);
    throw notDefined(x, sx);
  }
  if (x.kind === 'string' || y.kind === 'string') {
    if (x.kind !== 'string' || y.kind !== 'string') throw mismatch();
    if (op === '+') {
      const out = new Uint8Array(x.v.length + y.v.length);
      out.set(x.v);
      out.set(y.v, x.v.length);
      return konst({ kind: 'string', v: out });
    }
    if (isCmp) return boolConst(compareNumbers(op, compareBytes(x.v, y.v), 0));
    throw notDefined(x, sx);
  }
  if (!isNumeric(x) || !isNumeric(y)) throw mismatch();
  const kind: NumKind = RANK[x.kind] >= RANK[y.kind] ? x.kind : y.kind;
  if (kind === 'int' || kind === 'rune') {
    const a = (x as { v: bigint }).v;
    const b = (y as { v: bigint }).v;
    if (isCmp) return boolConst(compareNumbers(op, a, b));
    return konst({ kind, v: intOp(op, a, b, sy, () => notDefined(x, sx)) });
  }
  if (kind === 'float') {
    const a = exactOf(x as Extract<Const, { kind: 'int' | 'rune' | 'float' }>);
    const b = exactOf(y as Extract<Const, { kind: 'int' | 'rune' | 'float' }>);
    if (isCmp) return boolConst(compareNumbers(op, ratCompare(a, b), 0));
    if (op === '/' && b.n === 0n) throw errorAt(sy.pos, 'invalid operation: division by zero');
    const r = ratOp(op, a, b);
    if (!r) throw notDefined(x.kind === 'float' ? x : y, x.kind === 'float' ? sx : sy);
    // Exact whatever its size, as Go's constants are (a float64 of it may read ±Inf; its use overflows then).
    return konst({ kind: 'float', v: ratToNumber(r), exact: r });
  }
  const [ar, ai] = asComplex(x);
  const [br, bi] = asComplex(y);
  if (op === '==' || op === '!=') return boolConst((ar === br && ai === bi) === (op === '=='));
  if (op === '/' && br === 0 && bi === 0) throw errorAt(sy.pos, 'invalid operation: division by zero');
  const r = complexOp(op, ar, ai, br, bi);
  if (!r) throw notDefined(x.kind === 'complex' ? x : y, x.kind === 'complex' ? sx : sy);
  return konst({ kind: 'complex', re: r[0], im: r[1] });
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function compareNumbers<T extends number | bigint>(op: BinaryOp, a: T, b: T): boolean {
  switch (op) {
    case '==':
      return a === b;
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      throw new EvalError(`operator ${op} is not a comparison`);
  }
}

/** Integer arithmetic (exact; the caller wraps typed results). `divisor` names the right operand for division by zero. */
export function intOp(op: BinaryOp, a: bigint, b: bigint, divisor: Spot, notDefined: () => EvalError): bigint {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
    case '%':
      if (b === 0n) throw errorAt(divisor.pos, 'invalid operation: division by zero');
      return op === '/' ? a / b : a % b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '&^':
      return a & ~b;
    default:
      throw notDefined();
  }
}

export function floatOp(op: BinaryOp, a: number, b: number): number | undefined {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    default:
      return undefined;
  }
}

export function complexOp(op: BinaryOp, ar: number, ai: number, br: number, bi: number): [number, number] | undefined {
  switch (op) {
    case '+':
      return [ar + br, ai + bi];
    case '-':
      return [ar - br, ai - bi];
    case '*':
      return [ar * br - ai * bi, ar * bi + ai * br];
    case '/':
      return complexDiv(ar, ai, br, bi);
    default:
      return undefined;
  }
}

/**
 * (a+bi)/(c+di) as Go's runtime divides complex128 (complex64 too, widened):
 * Smith's algorithm (scaling by the larger part of the divisor), then, when
 * both parts came out NaN, C99 Annex G's recovery of infinities and zeros
 * (a zero divisor gives ±Inf parts; an infinite dividend over a finite divisor
 * is infinite; a finite one over an infinite divisor is zero).
 */
function complexDiv(a: number, b: number, c: number, d: number): [number, number] {
  let e: number;
  let f: number;
  if (Math.abs(c) >= Math.abs(d)) {
    const ratio = d / c;
    const denom = c + ratio * d;
    e = (a + b * ratio) / denom;
    f = (b - a * ratio) / denom;
  } else {
    const ratio = c / d;
    const denom = d + ratio * c;
    e = (a * ratio + b) / denom;
    f = (b * ratio - a) / denom;
  }
  if (!Number.isNaN(e) || !Number.isNaN(f)) return [e, f];
  const finite = Number.isFinite;
  const isInf = (x: number) => x === Infinity || x === -Infinity;
  // ±1 for an infinity, ±0 otherwise, keeping the sign.
  const unit = (x: number) => (isInf(x) ? Math.sign(x) : Object.is(x, -0) || x < 0 ? -0 : 0);
  if (c === 0 && d === 0 && (!Number.isNaN(a) || !Number.isNaN(b))) {
    const inf = Object.is(c, -0) ? -Infinity : Infinity;
    return [inf * a, inf * b];
  }
  if ((isInf(a) || isInf(b)) && finite(c) && finite(d)) {
    const [ua, ub] = [unit(a), unit(b)];
    return [Infinity * (ua * c + ub * d), Infinity * (ub * c - ua * d)];
  }
  if ((isInf(c) || isInf(d)) && finite(a) && finite(b)) {
    const [uc, ud] = [unit(c), unit(d)];
    return [0 * (a * uc + b * ud), 0 * (b * uc - a * ud)];
  }
  return [e, f];
}

/** `x << s` / `x >> s` with an untyped constant x and a constant count (already checked non-negative). */
export function shiftConst(op: '<<' | '>>', x: bigint, s: bigint, at: Spot): bigint {
  if (s > MAX_CONST_SHIFT) throw errorAt(at.pos, `invalid shift count ${at.text}`);
  return op === '<<' ? x << s : x >> s;
}

/** The type an untyped constant takes where none is given: bool, int, rune (int32), float64, complex128, string. */
export function defaultType(dw: Dwarf, c: Const): GoType | undefined {
  const name = { bool: 'bool', int: 'int', rune: 'int32', float: 'float64', complex: 'complex128', string: 'string', nil: undefined }[c.kind];
  return name ? basicType(dw, name) : undefined;
}

/** Where a constant meets a type: an operand of a binary expression, an explicit conversion T(c), an assignment. */
export type ConstUse = 'operand' | 'conversion' | 'assignment';

/**
 * The constant as a value of type t (t not an interface), or the compiler's
 * error: `mismatch` for a constant of the wrong kind, overflow and truncation
 * in Go's words for the use.
 */
export function representAs(c: Const, t: GoType, s: Spot, mismatch: () => EvalError, use: ConstUse = 'operand'): Value {
  const u = underlying(t);
  const conversion = use === 'conversion';
  const fails = (why: 'overflows' | 'truncated') =>
    errorAt(
      s.pos,
      use === 'conversion'
        ? `cannot convert ${describeConst(s, c)} to type ${t.name}`
        : use === 'assignment'
          ? `cannot use ${describeConst(s, c)} as ${t.name} value (${why})`
          : `${describeConst(s, c)} ${why === 'overflows' ? 'overflows' : 'truncated to'} ${t.name}`,
    );
  const overflows = () => fails('overflows');
  const truncated = () => fails('truncated');
  switch (u.kind) {
    case 'int':
    case 'uint':
    case 'uintptr': {
      let v: bigint;
      if (c.kind === 'int' || c.kind === 'rune') v = c.v;
      else if (c.kind === 'float') {
        const r = exactOf(c);
        if (r.d !== 1n) throw truncated();
        v = r.n;
      } else if (c.kind === 'complex' && c.im === 0) {
        const f = c.re;
        if (!Number.isInteger(f)) throw truncated();
        v = BigInt(f);
      } else if (c.kind === 'complex') throw truncated();
      else throw mismatch();
      if (!fitsInt(t, v)) throw conversion ? errorAt(s.pos, `constant ${v} overflows ${t.name}`) : overflows();
      return intValue(t, v);
    }
    case 'float': {
      let f: number;
      if (c.kind === 'int' || c.kind === 'rune') f = Number(c.v);
      else if (c.kind === 'float') f = c.v;
      else if (c.kind === 'complex' && c.im === 0) f = c.re;
      else if (c.kind === 'complex') throw truncated();
      else throw mismatch();
      if (!Number.isFinite(f) || (u.size === 4 && Math.abs(f) > MAX_FLOAT32)) throw overflows();
      return floatValue(t, u.size === 4 ? Math.fround(f) : f);
    }
    case 'complex': {
      if (!isNumeric(c)) throw mismatch();
      const [re, im] = asComplex(c);
      return complexValue(t, re, im);
    }
    case 'bool':
      if (c.kind !== 'bool') throw mismatch();
      return { type: t, bytes: new Uint8Array([c.v ? 1 : 0]), computed: true };
    case 'pointer':
    case 'unsafePointer':
    case 'map':
    case 'chan':
    case 'func':
      if (c.kind !== 'nil') throw mismatch();
      return intValue(t, 0n);
    case 'slice':
    case 'interface':
      if (c.kind !== 'nil') throw mismatch();
      return { type: t, bytes: new Uint8Array(t.size), computed: true };
    default:
      throw mismatch();
  }
}

/** Whether an untyped constant has kind k's family (for messages that say "untyped int" vs "untyped float"). */
export function constKindOf(r: Result): Const['kind'] | undefined {
  return r.k === 'const' ? r.c.kind : undefined;
}

/**
 * Breakpoint conditions and logpoint messages, evaluated synchronously on the
 * breakpoint-hit path (Program calls these from its trap filter). Everything
 * that does not depend on memory is done once: a condition is parsed once per
 * text, a log message split once, and the variables a PC can see are resolved
 * once per PC (ScopeCache). A hit then costs: the registers (already read by
 * the hit path), a few small memory reads, and the arithmetic.
 *
 * `$test` in a condition or message is the full name of the test the hit
 * goroutine runs (a string; "" outside tests), so a condition can pick one
 * case of a table-driven test: `$test == "TestTable/case_2"`.
 */
import type { Program } from '../program.js';
import { formatValue } from '../../values/format.js';
import { topFrameInfo } from '../stack/frames.js';
import { ValueReader } from '../../values/valueReader.js';
import type { Expr } from '../../eval/ast.js';
import { compareNumbers } from '../../eval/constants.js';
import { EvalError } from '../../eval/errors.js';
import { evaluate } from '../../eval/evaluator.js';
import { asBool } from '../../eval/operators.js';
import { parseExpression } from '../../eval/parser.js';
import { formatConst } from '../../eval/results.js';
import { frameEvalScope, ScopeCache } from '../../eval/scope.js';
import { stackSlotAt } from '../../values/locations.js';
import { decodeInt, SYNTHETIC_BASE } from '../../values/valueReader.js';
import type { EvalScope } from '../../eval/evaluator.js';
import { TestNames, withTestName } from '../testNames.js';
import { type GoType, underlying } from '../../dwarf/goTypes.js';
import type { Dwarf } from '../../dwarf/dwarf.js';
import type { FrameInfo } from '../../values/locations.js';

type LogPart = string | { expr: string; ast: Expr | EvalError };

/** Splits a logpoint message: `{expr}` is interpolated, `{{` and `}}` are literal braces. */
export function parseLogMessage(message: string): LogPart[] {
  const parts: LogPart[] = [];
  let text = '';
  for (let i = 0; i < message.length; i++) {
    const c = message[i]!;
    if (c === '{' && message[i + 1] === '{') {
      text += '{';
      i++;
    } else if (c === '}' && message[i + 1] === '}') {
      text += '}';
      i++;
    } else if (c === '{') {
      const close = message.indexOf('}', i + 1);
      if (close < 0) {
        text += message.slice(i);
        break;
      }
      if (text) parts.push(text);
      text = '';
      const expr = message.slice(i + 1, close);
      let ast: Expr | EvalError;
      try {
        ast = parseExpression(expr);
      } catch (e) {
        ast = e instanceof EvalError ? e : new EvalError(String(e));
      }
      parts.push({ expr, ast });
      i = close;
    } else text += c;
  }
  if (text) parts.push(text);
  return parts;
}

const COMPARISONS = new Set(['==', '!=', '<', '<=', '>', '>=']);
/** Size in bytes (negative: signed) → the values of the integer type. */
const INT_RANGES = new Map<number, [bigint, bigint]>(
  [1, 2, 4, 8].flatMap((size) => {
    const bits = BigInt(size * 8);
    return [
      [size, [0n, (1n << bits) - 1n]],
      [-size, [-(1n << (bits - 1n)), (1n << (bits - 1n)) - 1n]],
    ] as [number, [bigint, bigint]][];
  }),
);

/** `name op 123` or `123 op name`: a comparison of a name with an integer literal. */
interface IntLiteralComparison {
  name: string;
  op: Extract<Expr, { k: 'binary' }>['op'];
  lit: bigint;
  /** The literal is on the left. */
  flipped: boolean;
}

function intLiteralComparison(ast: Expr): IntLiteralComparison | undefined {
  if (ast.k !== 'binary' || !COMPARISONS.has(ast.op)) return undefined;
  const flipped = ast.x.k === 'int';
  const id = flipped ? ast.y : ast.x;
  const lit = flipped ? ast.x : ast.y;
  if (id.k !== 'ident' || lit.k !== 'int') return undefined;
  return { name: id.name, op: ast.op, lit: lit.value, flipped };
}

/** Whether `t` is an integer type that can hold the literal `lit`. */
function holdsInt(t: GoType, lit: bigint): boolean {
  const u = underlying(t);
  if (u.kind !== 'int' && u.kind !== 'uint' && u.kind !== 'uintptr') return false;
  const range = INT_RANGES.get(u.signed ? -u.size : u.size);
  return range !== undefined && lit >= range[0] && lit <= range[1];
}

/** The comparison's answer for the name's value `n`. */
function compareLiteral(c: IntLiteralComparison, n: bigint): boolean {
  return c.flipped ? compareNumbers(c.op, c.lit, n) : compareNumbers(c.op, n, c.lit);
}

/**
 * `name op 123` or `123 op name` on a local of an integer type, with the constant
 * representable in that type: the comparison of two integers, answered from the
 * local's bytes without the evaluator (≈ a tenth of a hit's cost: `i == 9999` in
 * a loop). Undefined for anything else, and whenever something fails: the
 * evaluator then gives the answer, and every error, as before.
 */
function intComparison(ast: Expr, scope: EvalScope): boolean | undefined {
  const c = intLiteralComparison(ast);
  if (!c) return undefined;
  try {
    const v = scope.local(c.name);
    if (!v || !holdsInt(v.type, c.lit)) return undefined;
    return compareLiteral(c, scope.reader.int(v));
  } catch {
    return undefined;
  }
}

/**
 * intComparison on a local that is a plain stack slot at a PC: where it is
 * (CFA + k) and how to read it, found once per condition and PC. A hit then
 * reads the local's bytes and compares, with no scope or reader made for it
 * (≈ a fifth of a hit's JavaScript on `i == 9999`).
 */
interface SlotComparison extends IntLiteralComparison {
  k: number;
  size: number;
  signed: boolean;
}

/** The SlotComparison of `ast` at `pc`, from the scope of the first hit there; null when it has none. */
function slotComparison(ast: Expr, scopes: ScopeCache, dw: Dwarf, f: FrameInfo): SlotComparison | null {
  const c = intLiteralComparison(ast);
  if (!c) return null;
  const s = scopes.at(f);
  const fv = s?.visible.get(c.name);
  if (!s || !fv) return null;
  const k = stackSlotAt(dw, s.fn, fv, f.pc);
  if (k === undefined) return null;
  let t: GoType;
  try {
    t = dw.type(fv.dwarf.typeOffset);
  } catch {
    return null;
  }
  if (!holdsInt(t, c.lit)) return null;
  const u = underlying(t);
  return { ...c, k, size: u.size, signed: u.kind === 'int' && u.signed };
}

/** Scratch buffers for a slot's bytes, by size (1, 2, 4, 8). */
const slotBytes = [1, 2, 4, 8].map((n) => new Uint8Array(n));

export class BreakpointExpressions {
  private readonly conditions = new Map<string, Expr | EvalError>();
  /** Per condition and PC (see SlotComparison). */
  private readonly slots = new Map<Expr, Map<number, SlotComparison | null>>();
  private readonly messages = new Map<string, LogPart[]>();
  private scopes?: ScopeCache;
  private readonly pcs = new Map<number, { funcName: string; frameSize: number }>();
  private tests?: { program: Program; names: TestNames };

  constructor(private readonly program: () => Program | undefined) {}

  private scope(tid: number): EvalScope {
    const p = this.program();
    if (!p) throw new EvalError('no program');
    const dw = p.symbols.dwarf;
    if (!dw) throw new EvalError('the program has no DWARF debug information (build it without -ldflags=-w)');
    this.scopes ??= new ScopeCache(dw);
    // Frame 0 without unwinding; the function and frame size per PC are looked up once.
    const regs = p.registers(tid);
    let at = this.pcs.get(regs.pc);
    if (!at) {
      const top = topFrameInfo(p, tid);
      if (!top) throw new EvalError('the thread is not in Go code');
      at = { funcName: top.funcName, frameSize: top.cfa - regs.sp };
      this.pcs.set(regs.pc, at);
    }
    const f = { tid, pc: regs.pc, cfa: regs.sp + at.frameSize, regs, inlineIndex: 0, funcName: at.funcName };
    const reader = new ValueReader({
      mem: p,
      dwarf: dw,
      funcName: (pc) => p.symbols.funcForPC(pc)?.name,
      funcEntry: (name) => p.symbols.funcByName(name)?.entry,
    });
    return frameEvalScope(reader, this.scopes, f, f.funcName);
  }

  /**
   * intComparison's answer from the local's stack slot, once the first hit at
   * this PC found the slot; undefined (the full path answers) otherwise and
   * whenever the bytes cannot be read.
   */
  private slotCondition(ast: Expr, tid: number): boolean | undefined {
    const p = this.program();
    const dw = p?.symbols.dwarf;
    if (!p || !dw || !this.scopes) return undefined;
    const regs = p.registers(tid);
    const at = this.pcs.get(regs.pc);
    if (!at) return undefined;
    let byPc = this.slots.get(ast);
    if (!byPc) this.slots.set(ast, (byPc = new Map()));
    let c = byPc.get(regs.pc);
    if (c === undefined) {
      const f = { tid, pc: regs.pc, cfa: regs.sp + at.frameSize, regs, inlineIndex: 0 };
      c = slotComparison(ast, this.scopes, dw, f);
      byPc.set(regs.pc, c);
    }
    if (!c) return undefined;
    const addr = regs.sp + at.frameSize + c.k;
    const b = slotBytes[Math.log2(c.size)];
    if (!b || b.length !== c.size || addr < 0x1000 || addr >= SYNTHETIC_BASE || p.readInto(addr, b) !== c.size) return undefined;
    return compareLiteral(c, decodeInt(b, c.signed));
  }

  /** `text` with `$test` replaced by the name of the test goroutine `id` (a DAP thread id) runs ("" outside tests). */
  private withTest(text: string, id: number): string {
    if (!text.includes('$test')) return text;
    const p = this.program();
    if (!p) return withTestName(text, '');
    if (this.tests?.program !== p) this.tests = { program: p, names: new TestNames(p) };
    return withTestName(text, this.tests.names.of(id) ?? '');
  }

  /** True when the condition holds for thread `tid`; throws (with the reason) when it cannot be evaluated. */
  condition(text: string, tid: number): boolean {
    const expr = this.withTest(text, tid);
    let ast = this.conditions.get(expr);
    if (ast === undefined) {
      try {
        ast = parseExpression(expr);
      } catch (e) {
        ast = e instanceof EvalError ? e : new EvalError(String(e));
      }
      this.conditions.set(expr, ast);
    }
    if (ast instanceof EvalError) throw ast;
    const slot = this.slotCondition(ast, tid);
    if (slot !== undefined) return slot;
    const scope = this.scope(tid);
    const quick = intComparison(ast, scope);
    if (quick !== undefined) return quick;
    const r = evaluate(scope, expr, ast);
    try {
      return asBool(r, scope.reader);
    } catch {
      throw new EvalError(`the condition is not a boolean expression`);
    }
  }

  /** The logpoint message with each `{expr}` replaced by its value (or `<error: …>`). */
  log(text: string, tid: number): string {
    const message = this.withTest(text, tid);
    let parts = this.messages.get(message);
    if (!parts) {
      parts = parseLogMessage(message);
      this.messages.set(message, parts);
    }
    let scope: EvalScope | undefined;
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      try {
        if (p.ast instanceof EvalError) throw p.ast;
        scope ??= this.scope(tid);
        const r = evaluate(scope, p.expr, p.ast);
        out += r.k === 'const' ? formatConst(r.c) : formatValue(scope.reader, r.v);
      } catch (e) {
        out += `<error: ${(e as Error).message}>`;
      }
    }
    return out;
  }
}

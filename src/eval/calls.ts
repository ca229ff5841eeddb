/**
 * Function calls in expressions, written as plain Go: `f(1, "x")`,
 * `pkg.F(x)`, `v.M()`, `err.Error()`, a closure `fn(2)`, `f(xs...)`. The
 * arguments are checked by Go's assignability (untyped constants converted
 * to the parameter's type, the count checked in the compiler's words), laid
 * out by the register ABI (callAbi.ts) and run by the scope's FunctionCaller
 * on the stopped goroutine; results come back as values. A call with no
 * result answers an empty `(no value)` at the top of an expression; several
 * results answer one value of the tuple type `(int, error)` whose fields are
 * the results by name, shown as the values comma-separated (values/format.ts),
 * at the top only: as an operand both are Go's errors.
 * What needs memory the program does not have (variadic arguments not given
 * as a slice, a string no one holds) is refused: the debugger does not
 * allocate in the program; so is an argument that points into a goroutine's
 * stack (callEscapes.ts). A panic is the error `panic: …`, in the words the
 * runtime would print (the value's Error() or String(), one more call).
 */
import { underlying, type GoType } from '../dwarf/goTypes.js';
import type { Value } from '../values/value.js';
import { exprAt } from '../values/locations.js';
import type { ValueReader } from '../values/valueReader.js';
import { AbiError, abiLayout, alignOf, type AbiLayout } from './callAbi.js';
import type { CallOutcome, FunctionCaller } from './callContract.js';
import { stackPointerIn } from './callEscapes.js';
import { packArguments, resultValue } from './callFrames.js';
import { panicText, panicValue } from './callPanic.js';
import { callTarget, methodCallTarget, type CallTarget, type TargetHost } from './callTargets.js';
import type { Expr, TypeExpr } from './ast.js';
import { assignmentBytes, type FindConstantBytes } from './assign.js';
import { assignable } from './assignability.js';
import { EvalError } from './errors.js';
import { typeNameOf } from './operators.js';
import { val, type Result } from './results.js';

/** How long an evaluate's call may run before it is abandoned. */
export const CALL_TIMEOUT_MS = 5000;

export interface CallHost extends TargetHost {
  /** Absent where calls are not allowed (breakpoint conditions, hover). */
  caller?: FunctionCaller;
  /** Where the program's read-only data holds bytes (a string constant argument points there). */
  findBytes?: FindConstantBytes;
  /** Whether an address is inside some goroutine's stack (callEscapes.ts); absent: not checked. */
  onStack?: (addr: number) => boolean;
  /** Whether this call is the whole expression (then no result, or several, may be answered). */
  top: boolean;
}

/** Delve's `call f(2)`: the text with `call` blanked (so columns stay), or the text itself. */
export function withoutCallPrefix(src: string): string {
  // Without the word no prefix: the Unicode class below is compiled at its first test (0.25 ms).
  if (!src.includes('call')) return src;
  // `call + 1` (a variable named call) is left alone: the prefix is followed by a name or a parenthesis.
  const m = /^(\s*)call(\s+)(?=[\p{L}_(])/u.exec(src);
  return m ? `${m[1]}    ${m[2]}${src.slice(m[0].length)}` : src;
}

/** A call that panicked: the panic value's text, about no column of the expression. */
export class CallPanic extends EvalError {}

/** Results of calls: their pointers point into the program, so they may be passed to another call. */
const callResults = new WeakSet<Value>();

type CallExpr = Extract<Expr, { k: 'call' }>;

/** Evaluates the call `e` (not a builtin, not a conversion). */
export function callFunction(h: CallHost, e: CallExpr): Result {
  const fnText = h.text(e.fn);
  // A type in the function's place was a conversion, handled before.
  return callWithTarget(h, e, callTarget(h, e.fn as Expr), fnText);
}

/** Calls `target` with e's arguments (a method expression's receiver already taken out of them). */
export function callWithTarget(h: CallHost, e: CallExpr, target: CallTarget, fnText: string): Result {
  const caller = h.caller;
  if (!caller) throw new EvalError(`cannot call ${fnText}: function calls are not allowed in this context (breakpoint conditions, logpoints, hover)`);
  const args = argumentBytes(h, e, target, fnText);
  return answer(h, e, target, runCall(h.r, caller, target, args, fnText));
}

/** Runs `target` with these argument bytes (the receiver's are the target's); its results, or CallPanic. */
function runCall(r: ValueReader, caller: FunctionCaller, target: CallTarget, args: Uint8Array[], fnText: string): Value[] {
  if (target.name.includes('[go.shape.'))
    throw new EvalError(`cannot call ${target.name}: calling generic functions is not supported (they take a dictionary the debugger does not find)`);
  const types = target.receiver ? [target.receiver.type, ...target.params] : target.params;
  let layout: AbiLayout;
  try {
    layout = abiLayout(types, target.results);
  } catch (err) {
    if (err instanceof AbiError) throw new EvalError(`cannot call ${target.name}: ${err.message}`);
    throw err;
  }
  checkRegisterAbi(target, layout);
  const packed = packArguments(layout, target.receiver ? [target.receiver.bytes, ...args] : args);
  let outcome: CallOutcome;
  try {
    outcome = caller({
      entry: target.entry,
      name: target.name,
      ...(target.closure !== undefined ? { closure: target.closure } : {}),
      ...packed,
      frameSize: layout.frameSize,
      timeoutMs: CALL_TIMEOUT_MS,
    });
  } catch (err) {
    if (err instanceof EvalError) throw err;
    throw new EvalError(`cannot call ${fnText}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (outcome.kind === 'panicked') throw new CallPanic(panicMessage(r, caller, outcome.typeWord, outcome.dataWord));
  const out = outcome;
  return target.results.map((t, i) => {
    let v: Value;
    try {
      v = resultValue(t, layout.results[i]!, out.intResults, out.floatResults, out.frame);
    } catch (err) {
      if (err instanceof RangeError) throw new EvalError(`the call of ${target.name} returned, but ${err.message}`);
      throw err;
    }
    callResults.add(v);
    return v;
  });
}

/**
 * What Go's runtime prints for a panic (preprintpanics): an error's Error(),
 * else a Stringer's String() — each one more call — else the value itself.
 * If that call cannot be made or panics too, the value itself.
 */
function panicMessage(r: ValueReader, caller: FunctionCaller, typeWord: bigint, dataWord: bigint): string {
  const v = panicValue(r, typeWord, dataWord);
  for (const m of v ? ['Error', 'String'] : []) {
    try {
      const t = methodCallTarget(r, v!, m, 'the panic value');
      if (!t || t.params.length || t.results.length !== 1 || underlying(t.results[0]!).kind !== 'string') continue;
      const [s] = runCall(r, caller, t, [], m);
      const { bytes, len } = r.stringBytes(s!, 4096);
      return `panic: ${new TextDecoder().decode(bytes)}${len > bytes.length ? '…' : ''}`;
    } catch {
      break;
    }
  }
  return panicText(r, typeWord, dataWord);
}

/** The value of a call with these results, by Go's rules for where a call may stand. */
function answer(h: CallHost, e: CallExpr, target: CallTarget, results: Value[]): Result {
  const text = h.text(e);
  if (results.length === 1) return val(results[0]!);
  if (!h.top) {
    if (!results.length) throw new EvalError(`${text} (no value) used as value`);
    throw new EvalError(`multiple-value ${text} (value of type ${tupleName(target.results)}) in single-value context`);
  }
  return val(tuple(h.r, target, results));
}

/** `(int, error)`: how Go spells a result list. */
function tupleName(results: readonly GoType[]): string {
  return `(${results.map((t) => t.name).join(', ')})`;
}

/** The results as one value of a struct type named by the result list, fields by result name; no result is `(no value)`. */
function tuple(r: ValueReader, target: CallTarget, results: Value[]): Value {
  let size = 0;
  const fields = results.map((v, i) => {
    const align = alignOf(v.type);
    size = Math.ceil(size / align) * align;
    const f = { name: target.resultNames[i] ?? `~r${i}`, offset: size, embedded: false, typeOffset: v.type.offset, type: v.type };
    size += v.type.size;
    return f;
  });
  const bytes = new Uint8Array(size);
  results.forEach((v, i) => bytes.set(r.load(v).subarray(0, v.type.size), fields[i]!.offset));
  const type: GoType = {
    kind: 'struct',
    name: results.length ? tupleName(target.results) : '(no value)',
    size,
    offset: -1,
    goKind: 25,
    runtimeType: 0,
    fields,
  };
  return { type, bytes, computed: true };
}

/** Go's spelling of argument types in a count error: an untyped numeric constant is `number`. */
export function haveName(res: Result): string {
  if (res.k === 'val') return typeNameOf(res);
  if (res.c.kind === 'int' || res.c.kind === 'rune' || res.c.kind === 'float' || res.c.kind === 'complex') return 'number';
  return res.c.kind;
}

/** Each argument's bytes, of its parameter's type; the count and types checked as the compiler checks them. */
function argumentBytes(h: CallHost, e: CallExpr, target: CallTarget, fnText: string): Uint8Array[] {
  const params = target.params;
  const n = e.args.length;
  if (e.dots && !target.variadic) {
    // The DWARF of a function cannot always tell `...T` from []T: a slice parameter takes the spread slice.
    const last = params[params.length - 1];
    if (!last || underlying(last).kind !== 'slice') throw new EvalError(`cannot use ... in call to non-variadic ${fnText}`);
  }
  // No variadic argument: Go passes a nil slice, which needs no memory.
  const noneVariadic = target.variadic && !e.dots && n === params.length - 1;
  if (target.variadic && !e.dots && n >= params.length) {
    const elem = params[params.length - 1]!.name.slice(2);
    throw new EvalError(
      `calling ${fnText} with ${n - params.length + 1} variadic argument${n - params.length + 1 === 1 ? '' : 's'} would allocate a []${elem} in the program; the debugger does not allocate in the program (pass an existing slice: ${fnText}(xs...))`,
    );
  }
  const spread = n === 1 && !e.dots && !noneVariadic ? spreadResults(h, e.args[0]!) : undefined;
  const spreadNone = !!spread && target.variadic && spread.length === params.length - 1;
  if (spread && target.variadic && !spreadNone)
    throw new EvalError(`cannot pass the results of ${h.text(e.args[0]!)} to the variadic ${fnText}: the debugger does not allocate in the program`);
  const evaluated = spread ?? e.args.map((a) => h.eval(a));
  const given = noneVariadic || spreadNone ? params.length - 1 : params.length;
  if (evaluated.length !== given) {
    const want = paramNames(target);
    throw new EvalError(
      `${evaluated.length < given ? 'not enough' : 'too many'} arguments in call to ${fnText}\n\thave (${evaluated.map(haveName).join(', ')})\n\twant (${want.join(', ')})${variadicUnknown(target, fnText)}`,
    );
  }
  const argExpr = (i: number) => e.args[spread ? 0 : i]!;
  const bytes = evaluated.map((res, i) => {
    const t = params[i]!;
    const argText = h.text(argExpr(i));
    if (res.k === 'val' && callResults.has(res.v) && assignable(res.v.type, t)) return h.r.load(res.v).slice(0, t.size);
    try {
      return assignmentBytes(h.r, h.r.dwarf, res, t, h.findBytes, argText);
    } catch (err) {
      if (err instanceof EvalError) throw new EvalError(inArgument(err.message, fnText), argExpr(i).pos);
      throw err;
    }
  });
  // The variadic parameter's nil slice (after the checks below, which it passes).
  const withNil = given < params.length ? [...bytes, new Uint8Array(params[params.length - 1]!.size)] : bytes;
  if (h.onStack) {
    bytes.forEach((b, i) => {
      const at = stackPointerIn(params[i]!, b, h.onStack!);
      if (at !== undefined) throw stackRefusal(h.text(argExpr(i)), at, fnText, argExpr(i).pos);
    });
    const recv = target.receiver;
    const at = recv && stackPointerIn(recv.type, recv.bytes, h.onStack);
    if (at !== undefined) throw stackRefusal(e.fn.k === 'selector' ? `the receiver ${h.text(e.fn.x)}` : 'the receiver', at, fnText);
  }
  return withNil;
}

/**
 * For a count error: when the last parameter is a slice and the binary has no
 * func type `func(…, ...T)` of this signature, whether it is `...T` cannot be
 * told (the subprogram's DWARF does not say), which is said.
 */
function variadicUnknown(target: CallTarget, fnText: string): string {
  const last = target.params[target.params.length - 1];
  if (target.variadic || !last || underlying(last).kind !== 'slice' || !last.name.startsWith('[]')) return '';
  return `\n\t(if ${fnText}'s last parameter is ...${last.name.slice(2)}, the program's DWARF does not say so, and the debugger reads it as ${last.name})`;
}

/**
 * Go's special case `f(g())`: when g returns several values, they are f's
 * arguments. Only for a g named without calls (`g`, `pkg.G`, `v.M`, `v.f.M`),
 * so that finding out what it returns runs nothing twice; undefined when
 * g() is an ordinary single argument.
 */
function spreadResults(h: CallHost, arg: Expr): Result[] | undefined {
  if (arg.k !== 'call' || arg.dots || !callFree(arg.fn)) return undefined;
  let inner: CallTarget;
  try {
    inner = callTarget(h, arg.fn as Expr);
  } catch {
    return undefined;
  }
  if (inner.results.length < 2 || !h.caller) return undefined;
  const innerText = h.text(arg.fn);
  return runCall(h.r, h.caller, inner, argumentBytes(h, arg, inner, innerText), innerText).map(val);
}

/** Whether a callee expression is names and selectors only (evaluating it calls nothing). */
function callFree(e: Expr | TypeExpr): boolean {
  if (e.k === 'ident') return true;
  if (e.k === 'selector') return callFree(e.x);
  return false;
}

export function stackRefusal(what: string, path: string, fnText: string, pos?: number): EvalError {
  return new EvalError(
    `cannot pass ${what} to ${fnText}: ${path ? `its ${path.replace(/^\./, '')}` : 'it'} points into a goroutine's stack, and the called function might keep the pointer past the stack's life (Go allows that only where the compiler proved it safe); pass a value, or a pointer to memory outside the stack`,
    pos,
  );
}

/** The parameter types as Go's count error spells them (`want (int, ...string)`). */
export function paramNames(target: CallTarget): string[] {
  const last = target.params.length - 1;
  return target.params.map((t, i) => (target.variadic && i === last ? `...${t.name.slice(2)}` : t.name));
}

/** An assignment's refusal said of an argument: `cannot use x (…) as T value in argument to f`. */
export function inArgument(msg: string, fnText: string): string {
  const m = /^(cannot use .*? as .*? value)((?: \(.*\))?)$/s.exec(msg);
  return m ? `${m[1]} in argument to ${fnText}${m[2]}` : msg;
}

/**
 * The compiler's DWARF of the callee says where each parameter is at entry:
 * a Go function the runtime calls from assembly is compiled to Go's stack
 * ABI (ABI0), every argument on the stack; a call by the register ABI would
 * hand it garbage, so it is refused.
 */
function checkRegisterAbi(target: CallTarget, layout: AbiLayout): void {
  const fn = target.fn;
  if (!fn) return;
  const formals = fn.variables.filter((v) => v.kind === 'param' && !v.isReturn && v.depth === 0);
  formals.forEach((v, i) => {
    const place = layout.args[i];
    const loc = exprAt(v, fn.lowPC);
    if (!place || !loc || place.kind !== 'regs') return;
    const onStack = (loc.length === 1 && loc[0] === 0x9c) || loc[0] === 0x91;
    if (onStack) throw new EvalError(`cannot call ${fn.name}: it takes its arguments by Go's stack ABI (ABI0), which calls from the debugger do not use`);
  });
}

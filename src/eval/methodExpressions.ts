/**
 * Method expressions in calls (the spec's "Method expressions"): `T.M(v,
 * args…)` calls T's method M with v as its receiver, `(*T).M(p, args…)` the
 * method of *T with p. The method set decides: T.M needs M declared with a
 * value receiver ("invalid method expression T.M (needs pointer receiver
 * (*T).M)" otherwise); (*T).M takes either kind, a value receiver being
 * called on *p, as Go's generated wrapper does (a nil p is Go's panic).
 * `I.M(x, args…)` of an interface I converts x to I and calls x.M(args…)
 * through the itab. Not called, `T.M`, `(*T).M` and `I.M` are func values
 * (methodExpressionValue).
 */
import type { GoType } from '../dwarf/goTypes.js';
import { underlying } from '../dwarf/goTypes.js';
import { assignmentBytes } from './assign.js';
import type { Expr } from './ast.js';
import { stackPointerIn } from './callEscapes.js';
import { type CallHost, callWithTarget, haveName, inArgument, paramNames, stackRefusal } from './calls.js';
import { methodCallTarget, methodTarget } from './callTargets.js';
import { EvalError } from './errors.js';
import { funcValue, functionEntry, methodFunctionNames } from './funcValues.js';
import { interfaceMethods, methodSetNames, missingMethod } from './methodSets.js';
import type { Result } from './results.js';
import { typeNameOf } from './operators.js';
import type { Value } from '../values/value.js';
import type { ValueReader } from '../values/valueReader.js';

export interface MethodExpressionHost extends CallHost {
  /** The type an expression denotes (`T`, `pkg.T`, `(*T)`), or undefined when it is a value. */
  asType(e: Expr): GoType | undefined;
}

type CallExpr = Extract<Expr, { k: 'call' }>;

/** The call `e` when its function is a method expression, else undefined (an ordinary call). */
export function methodExpressionCall(h: MethodExpressionHost, e: CallExpr): Result | undefined {
  const fn = e.fn;
  if (fn.k !== 'selector') return undefined;
  const t = h.asType(fn.x);
  if (!t) return undefined;
  const ptr = underlying(t).kind === 'pointer' && t.name.startsWith('*');
  const base = ptr ? (underlying(t) as Extract<GoType, { kind: 'pointer' }>).elem : t;
  const fnText = h.text(fn);
  if (!ptr && underlying(t).kind === 'interface') return interfaceMethodCall(h, e, t, fn.name, fnText);
  const names = methodFunctionNames(base.name, fn.name);
  const byValue = names && functionEntry(h.r, names.byValue) ? names.byValue : undefined;
  const byPointer = names && functionEntry(h.r, names.byPointer) ? names.byPointer : undefined;
  if (!ptr && !byValue && byPointer) throw new EvalError(`invalid method expression ${fnText} (needs pointer receiver (*${h.text(fn.x)}).${fn.name})`, fn.pos);
  const name = ptr ? (byPointer ?? byValue) : byValue;
  if (!name) throw new EvalError(`${fnText} undefined (type ${t.name} has no method ${fn.name})`, fn.pos);
  const target = methodTarget(h.r, name);
  // Go's count check, the receiver being the first parameter (a variadic tail is checked with the call).
  const want = [t.name, ...paramNames(target)];
  const first = e.args[0];
  if (!first || (!target.variadic && e.args.length !== want.length)) {
    const have = e.args.map((a) => haveName(h.eval(a)));
    throw new EvalError(
      `${e.args.length < want.length ? 'not enough' : 'too many'} arguments in call to ${fnText}\n\thave (${have.join(', ')})\n\twant (${want.join(', ')})`,
    );
  }
  // The receiver: the first argument, assignable to T or *T.
  const recvText = h.text(first);
  let bytes: Uint8Array;
  try {
    bytes = assignmentBytes(h.r, h.r.dwarf, h.eval(first), t, h.findBytes, recvText);
  } catch (err) {
    if (err instanceof EvalError) throw new EvalError(inArgument(err.message, fnText), first.pos);
    throw err;
  }
  if (ptr && name === byValue) {
    const v = h.r.deref({ type: t, bytes, computed: true }, base);
    if (!v)
      throw new EvalError(
        `cannot call ${fnText}: its receiver ${recvText} is a nil ${t.name} (the call would panic: invalid memory address or nil pointer dereference)`,
        first.pos,
      );
    bytes = h.r.load(v).slice(0, base.size);
  }
  const recvType = target.receiver.type;
  const onStack = h.onStack ? stackPointerIn(recvType, bytes, h.onStack) : undefined;
  if (onStack !== undefined) throw stackRefusal(recvText, onStack, fnText, first.pos);
  return callWithTarget(h, { ...e, args: e.args.slice(1) }, { ...target, receiver: { type: recvType, bytes } }, fnText);
}

/** `I.M(x, args…)`: x converted to the interface I, then called as x.M(args…) is, through its itab. */
function interfaceMethodCall(h: MethodExpressionHost, e: CallExpr, t: GoType, method: string, fnText: string): Result {
  const methods = interfaceMethods(h.r, t);
  if (!methods.includes(method)) throw new EvalError(`${fnText} undefined (type ${t.name} has no method ${method})`, e.fn.pos);
  const first = e.args[0];
  if (!first) throw new EvalError(`not enough arguments in call to ${fnText}\n\thave ()\n\twant (${t.name}, …)`);
  const recvText = h.text(first);
  const arg = h.eval(first);
  const at = arg.k === 'val' ? arg.v.type : undefined;
  const missing = at && underlying(at).kind !== 'interface' ? missingMethod(h.r, at, methods) : undefined;
  if (missing) {
    const why = `${at!.name} does not implement ${t.name} (missing method ${missing})`;
    throw new EvalError(`cannot use ${recvText} (variable of type ${at!.name}) as ${t.name} value in argument to ${fnText}: ${why}`, first.pos);
  }
  let bytes: Uint8Array;
  try {
    bytes = assignmentBytes(h.r, h.r.dwarf, arg, t, h.findBytes, recvText);
  } catch (err) {
    if (err instanceof EvalError) throw new EvalError(inArgument(err.message, fnText), first.pos);
    throw err;
  }
  const target = methodCallTarget(h.r, { type: t, bytes, computed: true }, method, recvText);
  if (!target) throw new EvalError(`${fnText} undefined (type ${t.name} has no method ${method})`, e.fn.pos);
  const onStack = h.onStack && target.receiver ? stackPointerIn(target.receiver.type, target.receiver.bytes, h.onStack) : undefined;
  if (onStack !== undefined) throw stackRefusal(recvText, onStack, fnText, first.pos);
  return callWithTarget(h, { ...e, args: e.args.slice(1) }, target, fnText);
}

/**
 * `T.M`, `(*T).M` or `I.M` not called (`what` is its text): the func value Go
 * makes, typed by the method's signature with the receiver as the first
 * parameter. T.M is the method itself; (*T).M of a value method, and I.M, are
 * wrappers the compiler generates only where the program uses them: without
 * their code there is no value to show, which is said.
 */
export function methodExpressionValue(r: ValueReader, t: GoType, method: string, what: string, pos?: number): Value {
  const ptr = underlying(t).kind === 'pointer' && t.name.startsWith('*');
  const base = ptr ? (underlying(t) as Extract<GoType, { kind: 'pointer' }>).elem : t;
  // The linker drops the code of methods the program never uses; the type's descriptor, when the
  // program has one, still names them all.
  const noMethod = () => {
    const set = methodSetNames(r, t);
    if (set && !set.has(method)) return new EvalError(`${what} undefined (type ${t.name} has no method ${method})`, pos);
    const why = set ? 'the linker left its code out: the program never uses it' : 'or the linker left its code out';
    return new EvalError(`${what} undefined (type ${t.name} has no method ${method} in the program, ${why})`, pos);
  };
  const noWrapper = (name: string) =>
    new EvalError(`${what}: the program has no code for ${name}, the wrapper Go generates for this method expression only where the program uses it`, pos);
  if (!ptr && underlying(t).kind === 'interface') {
    if (!interfaceMethods(r, t).includes(method)) throw new EvalError(`${what} undefined (type ${t.name} has no method ${method})`, pos);
    const name = `${t.name}.${method}`;
    const f = funcValue(r, name);
    if (!f) throw noWrapper(name);
    return f;
  }
  const names = methodFunctionNames(base.name, method);
  const byValue = names && functionEntry(r, names.byValue) ? names.byValue : undefined;
  const byPointer = names && functionEntry(r, names.byPointer) ? names.byPointer : undefined;
  if (ptr) {
    // A value method's (*T).M wrapper has the pointer method's name (pkg.(*T).M).
    if (byPointer) return funcValue(r, byPointer)!;
    if (byValue) throw noWrapper(names!.byPointer);
    throw noMethod();
  }
  if (byValue) return funcValue(r, byValue)!;
  if (byPointer) throw new EvalError(`invalid method expression ${what} (needs pointer receiver (*${what.slice(0, -method.length - 1)}).${method})`, pos);
  throw noMethod();
}

/**
 * For "x.M undefined" on a value of an instantiated generic type: Go compiles
 * its methods once per shape (`pkg.(*T[go.shape.int]).M`), taking a dictionary
 * the debugger does not find, so a method of one is neither named nor called.
 */
export function genericMethodNote(x: Result): string {
  if (x.k !== 'val') return '';
  const u = underlying(x.v.type);
  const named = u.kind === 'pointer' && x.v.type.name.startsWith('*') ? u.elem : x.v.type;
  return named.name.includes('[') ? ', or it is a method of the generic type, which the debugger does not name or call' : '';
}

/**
 * The refusal of `x.name` when x has neither a field nor a method function of
 * that name. A method the program never uses has no code (the linker left it
 * out) but is still named in the type's descriptor (methodSetNames), an
 * interface's in its own (interfaceMethods): then Go would accept the
 * selector, and the answer says why the debugger cannot. A generic type's
 * methods are compiled per shape (genericMethodNote says so).
 */
export function noFieldOrMethod(r: ValueReader, x: Result, name: string, what: string, pos?: number): EvalError {
  if (x.k === 'val' && !genericMethodNote(x)) {
    const t = x.v.type;
    const u = underlying(t);
    const named = u.kind === 'pointer' && t.name.startsWith('*') ? u.elem : t;
    let has = false;
    try {
      has = u.kind === 'interface' ? interfaceMethods(r, t).includes(name) : [named, t].some((mt) => methodSetNames(r, mt)?.has(name));
    } catch {
      // An unreadable descriptor: the plain refusal.
    }
    if (has)
      return new EvalError(
        `${what}: the program has no code for method ${name} of ${named.name} (the linker leaves out the methods a program never uses)`,
        pos,
      );
  }
  return new EvalError(`${what} undefined (type ${typeNameOf(x)} has no field or method ${name}${genericMethodNote(x)})`, pos);
}

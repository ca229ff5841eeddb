/**
 * Method expressions in calls (the spec's "Method expressions"): `T.M(v,
 * args…)` calls T's method M with v as its receiver, `(*T).M(p, args…)` the
 * method of *T with p. The method set decides: T.M needs M declared with a
 * value receiver ("invalid method expression T.M (needs pointer receiver
 * (*T).M)" otherwise); (*T).M takes either kind, a value receiver being
 * called on *p, as Go's generated wrapper does (a nil p is Go's panic).
 */
import type { GoType } from '../dwarf/goTypes.js';
import { underlying } from '../dwarf/goTypes.js';
import { assignmentBytes } from './assign.js';
import type { Expr } from './ast.js';
import { stackPointerIn } from './callEscapes.js';
import { type CallHost, callWithTarget, haveName, inArgument, paramNames, stackRefusal } from './calls.js';
import { methodTarget } from './callTargets.js';
import { EvalError } from './errors.js';
import { functionEntry, methodFunctionNames } from './funcValues.js';
import type { Result } from './results.js';
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

/** The error for `T.M` not called (`what` is its text): Go's "no method" when T has none of that name. */
export function methodExpressionValue(r: ValueReader, t: GoType, method: string, what: string): EvalError {
  const names = methodFunctionNames(t.name, method);
  const has = !!names && (!!functionEntry(r, names.byValue) || !!functionEntry(r, names.byPointer));
  return new EvalError(
    has ? `${what}: a method expression is supported only when called (${what}(v, …))` : `${what} undefined (type ${t.name} has no method ${method})`,
  );
}

/**
 * What the Variables view, hovers and the REPL ask of a stopped program, in
 * terms of Go values: the frames of a thread, the scopes of a frame, its locals
 * and its package's globals, the children of a value, an expression evaluated
 * in a frame, a variable set, the register list. The adapter maps the answers
 * to DAP objects; nothing here knows about DAP.
 *
 * Caches live for one stop: call reset() whenever the program resumes or stops.
 */
import type { Dwarf } from '../../dwarf/dwarf.js';
import { underlying, type GoType, type StructField } from '../../dwarf/goTypes.js';
import type { FunctionCaller } from '../../eval/callContract.js';
import { EvalError } from '../../eval/errors.js';
import { evaluate, packageOf } from '../../eval/evaluator.js';
import type { MemoryReader } from '../../process/memory.js';
import type { Expr } from '../../eval/ast.js';
import { parseExpression } from '../../eval/parser.js';
import { constTypeName, formatConst, type Result } from '../../eval/results.js';
import { frameEvalScope, ScopeCache } from '../../eval/scope.js';
import { userErrors } from '../../util/userErrors.js';
import { childCounts, childrenOf, type Child } from '../../values/children.js';
import { formatValue, hexAddr, type FormatOptions } from '../../values/format.js';
import { scalarPage, type ScalarPage } from '../../values/scalarPages.js';
import { ValueError, type Value } from '../../values/value.js';
import { ValueReader } from '../../values/valueReader.js';
import type { Program } from '../program.js';
import type { SourceFrame } from '../stack/stack.js';
import { frameInfo, type NamedFrameInfo } from '../stack/frames.js';
import { checkSettable, findConstantBytes, targetOf, writeAssignment } from './assign.js';
import { frameLocals, packageGlobal, packageGlobals, rangeBodyOf, withRangeParents, type NamedValue } from './namedValues.js';
import { frameRegisters, type RegisterEntry } from './registers.js';
import { returnedValues } from './returnValues.js';
import { STRING_CALL_MS, StringMethods, type TextMethod } from './stringMethods.js';
import { onThread, requireThread } from './threads.js';

export type { Child } from '../../values/children.js';
export type { ScalarPage } from '../../values/scalarPages.js';
export type { NamedValue } from './namedValues.js';
export type { RegisterEntry } from './registers.js';
export type { SourceFrame } from '../stack/stack.js';

/** A frame of a stopped program: thread id and logical frame index (0 = innermost). */
export interface FrameRef {
  tid: number;
  index: number;
}

/** How a value shows in a tree: where it points or lives, and whether (and how many) children it has. */
export interface ValueShape {
  memoryReference?: string;
  hasChildren: boolean;
  indexed?: number;
  named?: number;
}

/** An evaluated expression: an untyped constant (already text) or a value. */
export type Evaluated = { k: 'const'; text: string; type: string } | { k: 'val'; value: Value };

/** Which scopes a frame has besides its registers. */
export interface FrameScopes {
  locals: boolean;
  /** The package whose globals may be shown (the frame's function's package). */
  globalsPackage?: string;
  /** The function the last step returned from into this frame: its results are a scope of their own. */
  returnedFrom?: string;
}

/** Bytes of zeros on each side of warmEvaluateAt's CFA: Go's locals below it, arguments and results above. */
const WARM_FRAME_HALF = 32 * 1024;
/** Where warmEvaluateAt's frame of zeros lies, in WARM_FRAME (nothing is read from the program there or anywhere). */
const WARM_FRAME_BASE = 0x100000000;
/**
 * warmEvaluateAt's memory: zeros over its frame, nothing elsewhere. Its
 * addresses are not synthetic ones, so reads take the page cache's path as a
 * stop's do (ValueReader.fromPages), from this memory and not the program's.
 */
const WARM_FRAME: MemoryReader = {
  readInto(addr, out) {
    if (addr < WARM_FRAME_BASE || addr + out.length > WARM_FRAME_BASE + 2 * WARM_FRAME_HALF) return 0;
    out.fill(0);
    return out.length;
  },
};
/** warmEvaluateAt evaluates at most this many of the scope's variables: enough to compile the path, few enough for a function with hundreds. */
const WARM_VARIABLES = 8;
/** Rounds of warmEvaluateAt at a breakpoint's PC: V8 keeps a function's operand shapes once it has run about eight times. */
const WARM_ROUNDS = 12;
/** How deep warmEvaluateAt's selector chains go (`t.B.A.B.A.N` is five), and how many of a struct's fields they choose from. */
const CHAIN_DEPTH = 5;
const CHAIN_FIELDS = 16;
/**
 * The time a round's chains may take to find (their fields' types decoded on
 * the way): in a frame of the Go compiler, warmTypes measured 400 types in
 * 214 ms. A chain cut short is evaluated as far as it goes.
 */
const CHAINS_MS = 1;

/** The name a value is bound to when its String() or Error() is called (it hides a local of that name, if a program has one). */
const RECEIVER = '__gda_value__';

/**
 * `name.F.G…` down the fields of a struct variable (through no pointer), a
 * struct field at each level while there is one, up to CHAIN_DEPTH
 * selectors, the last one any field: round r takes, at level d, the field of
 * index r >> d (modulo their number), and last the field of index r, so
 * that the rounds' texts differ (each is parsed anew) and end at fields of
 * every kind. Empty for a variable that is not a struct. Past `until`
 * (performance.now()), it goes no level deeper.
 */
export function selectorChain(name: string, t: GoType, round: number, until = Number.POSITIVE_INFINITY): string | undefined {
  let text = name;
  let u = underlying(t);
  for (let depth = 0; depth < CHAIN_DEPTH && u.kind === 'struct' && u.fields.length > 0; depth++) {
    // Each level decodes its fields' types (once: DWARF types are kept); past `until`, the chain ends where it is.
    if (performance.now() > until) break;
    const fields = u.fields.slice(0, CHAIN_FIELDS);
    const structs: StructField[] = [];
    for (const x of depth < CHAIN_DEPTH - 1 ? fields : []) {
      if (performance.now() > until) break;
      if (underlying(x.type).kind === 'struct') structs.push(x);
    }
    if (structs.length === 0) {
      text += `.${fields[round % fields.length]!.name}`;
      break;
    }
    const pick = structs[(round >> depth) % structs.length]!;
    text += `.${pick.name}`;
    u = underlying(pick.type);
  }
  return text === name ? undefined : text;
}

export class Inspector {
  private readerCache?: ValueReader;
  private scopeCache?: ScopeCache;
  private stringMethods?: StringMethods;

  constructor(private readonly program: Program) {}

  /** Forget values read at this stop. */
  reset(): void {
    this.readerCache = undefined;
  }

  private get dwarf(): Dwarf | undefined {
    return this.program.symbols.dwarf;
  }

  /** Runs `fn` with `reader` as the reader of this stop (the warm-up's synthetic values, warmUp.ts), then the stop's own again. */
  withReader<T>(reader: ValueReader, fn: () => T): T {
    const own = this.readerCache;
    this.readerCache = reader;
    try {
      return fn();
    } finally {
      this.readerCache = own;
    }
  }

  /** The value reader of this stop; throws noDebugInfo without DWARF. */
  reader(): ValueReader {
    const dw = this.dwarf;
    if (!dw) throw userErrors.noDebugInfo();
    const p = this.program;
    this.readerCache ??= new ValueReader({
      mem: p,
      dwarf: dw,
      funcName: (pc) => p.symbols.funcForPC(pc)?.name,
      funcEntry: (name) => p.symbols.funcByName(name)?.entry,
      pages: true,
    });
    return this.readerCache;
  }

  // ───────────── frames ─────────────

  /** The frames of thread id `id`; throws noThread for an id this stop does not have. */
  stack(id: number): SourceFrame[] {
    requireThread(this.program, id);
    return this.program.stackTrace(id);
  }

  frame(ref: FrameRef): NamedFrameInfo {
    requireThread(this.program, ref.tid);
    const f = frameInfo(this.program, ref.tid, ref.index);
    if (!f) throw userErrors.noFrame(ref.index, ref.tid);
    return f;
  }

  scopes(ref: FrameRef): FrameScopes {
    const f = this.frame(ref);
    if (!this.dwarf) return { locals: false };
    const out: FrameScopes = { locals: true, globalsPackage: packageOf(f.funcName) };
    const ret = this.program.returned;
    if (ret && ret.id === ref.tid && ref.index === 0) out.returnedFrom = ret.funcName;
    return out;
  }

  /** What the function the last step left returned (the Return values scope of the frame it returned to). */
  returnValues(): NamedValue[] {
    const ret = this.program.returned;
    return ret && this.dwarf ? returnedValues(this.reader(), ret) : [];
  }

  // ───────────── named values ─────────────

  /** The frame's arguments, return values and locals (shadowed ones marked). */
  locals(ref: FrameRef): NamedValue[] {
    if (!this.dwarf) return [];
    const f = this.frame(ref);
    const own = frameLocals(this.reader(), f);
    const fn = rangeBodyOf(f.funcName);
    if (fn === undefined) return own;
    // A range-over-func body runs inside its iterator, called from the loop's function (or an enclosing body): frames below.
    const parents: NamedFrameInfo[] = [];
    for (let k = ref.index + 1; ; k++) {
      const pf = frameInfo(this.program, ref.tid, k);
      if (!pf) break;
      if (pf.funcName === fn || rangeBodyOf(pf.funcName) === fn) parents.push(pf);
      if (pf.funcName === fn) break;
    }
    return withRangeParents(this.reader(), own, parents);
  }

  globals(pkg: string): NamedValue[] {
    return packageGlobals(this.reader(), pkg);
  }

  global(pkg: string, name: string): NamedValue | undefined {
    return packageGlobal(this.reader(), pkg, name);
  }

  // ───────────── values ─────────────

  children(v: Value, evalName: string | undefined, range: { start?: number; count?: number; filter?: 'indexed' | 'named' }, fmt: FormatOptions): Child[] {
    return childrenOf(this.reader(), v, evalName, range, fmt);
  }

  /** Children [start, start+count) of an array or slice of builtin numbers or booleans, without a Value each (values/scalarPages.ts); undefined for any other value. */
  scalarPage(v: Value, evalName: string | undefined, start: number, count: number): ScalarPage | undefined {
    return scalarPage(this.reader(), v, evalName, start, count);
  }

  /** How many indexed and named children `v` has (undefined for a value without any, or one that cannot be read). */
  childCounts(v: Value): { indexed?: number; named?: number } | undefined {
    try {
      return childCounts(this.reader(), v);
    } catch {
      return undefined;
    }
  }

  format(v: Value, fmt: FormatOptions = {}): string {
    return formatValue(this.reader(), v, fmt);
  }

  shape(v: Value): ValueShape {
    const r = this.reader();
    const out: ValueShape = { hasChildren: false };
    try {
      const k = underlying(v.type).kind;
      if (v.error === undefined && (k === 'pointer' || k === 'unsafePointer')) {
        const p = r.pointer(v);
        if (p) out.memoryReference = hexAddr(p);
      } else if (v.addr !== undefined && !v.computed && !v.regs) out.memoryReference = hexAddr(v.addr);
      const c = childCounts(r, v);
      if (!c) return out;
      out.hasChildren = true;
      if (c.indexed) out.indexed = c.indexed;
      if (c.named && c.indexed) out.named = c.named;
    } catch {
      /* the value's text already shows the error */
    }
    return out;
  }

  // ───────────── expressions ─────────────

  /**
   * Evaluates a Go expression in a frame; a bad expression or unreadable value
   * is evalFailed. With `calls`, function calls in it run on the frame's
   * goroutine (calls/functionCalls.ts): never for a hover.
   */
  evaluate(expr: string, ref: FrameRef, opts: { calls?: boolean } = {}): Evaluated {
    // A call is written with `(`: an expression without one gets no caller (nor a call's checks, evalIn).
    const res = this.evalResult(expr, ref, opts.calls && expr.includes('(') ? this.caller(ref) : undefined);
    return res.k === 'const' ? { k: 'const', text: formatConst(res.c), type: constTypeName(res.c) } : { k: 'val', value: res.v };
  }

  /**
   * The text of `v`'s Error() or String() method, quoted, as fmt's %v would
   * pick it (stringMethods.ts), run on `ref`'s goroutine within
   * STRING_CALL_MS; undefined when it has none or the call fails or is
   * abandoned (the raw value is shown then).
   */
  methodText(v: Value, ref: FrameRef, fmt: FormatOptions, methods: readonly TextMethod[]): string | undefined {
    const sm = this.textMethodTable();
    for (const m of methods) {
      let res: Result;
      try {
        res = this.evalResult(`${RECEIVER}.${m}()`, ref, this.caller(ref, STRING_CALL_MS), { name: RECEIVER, value: v });
      } catch (e) {
        // An interface without this method: try the next one; any other failure shows the raw value.
        if (!/has no field or method|undefined \(type/.test((e as Error).message)) return undefined;
        sm.noMethod(v.type, m);
        continue;
      }
      if (res.k === 'val' && underlying(res.v.type).kind === 'string') return this.format(res.v, fmt);
      sm.noMethod(v.type, m);
    }
    return undefined;
  }

  /** The methods methodText would try for `v`, in fmt's order (stringMethods.ts): none for most values, found without running anything. */
  textMethods(v: Value): TextMethod[] {
    try {
      return this.textMethodTable().candidates(this.reader(), v);
    } catch {
      return [];
    }
  }

  /** While the program runs: the names of its Error and String functions read ahead (StringMethods.prime; the binary only). */
  warmTextMethods(): void {
    this.textMethodTable().prime();
  }

  private textMethodTable(): StringMethods {
    this.stringMethods ??= new StringMethods(this.program.symbols);
    return this.stringMethods;
  }

  /** A FunctionCaller on `ref`'s goroutine; what this stop read before a call is dropped after it. */
  private caller(ref: FrameRef, timeoutMs?: number): FunctionCaller {
    const call = this.program.calls.caller(ref.tid, timeoutMs === undefined ? {} : { timeoutMs });
    return (req) => {
      try {
        return call(req);
      } finally {
        this.readerCache?.caches.clear();
        this.readerCache = undefined;
      }
    };
  }

  private evalResult(expr: string, ref: FrameRef, call?: FunctionCaller, bound?: { name: string; value: Value }): Result {
    return this.evalIn(this.reader(), this.frame(ref), expr, call, bound);
  }

  /** `expr` evaluated in frame `f` over reader `r`: evalResult's work once the frame is known (`ast`: expr already parsed, then not kept by the evaluator). */
  private evalIn(r: ValueReader, f: NamedFrameInfo, expr: string, call?: FunctionCaller, bound?: { name: string; value: Value }, ast?: Expr): Result {
    this.scopeCache ??= new ScopeCache(r.dwarf);
    const scope = frameEvalScope(r, this.scopeCache, f, f.funcName, call);
    if (bound) {
      const local = scope.local;
      scope.local = (name) => (name === bound.name ? bound.value : local(name));
    }
    // A string constant passed to a call points at the program's own read-only bytes.
    if (call) {
      scope.findBytes = (b) => findConstantBytes(this.program, b);
      // A call's arguments must not point into a goroutine's stack (eval/callEscapes.ts).
      // The table is read when a call's argument is first checked: an expression without one never needs it.
      let stacks: readonly (readonly [number, number])[] | undefined;
      scope.onStack = (a) => {
        stacks ??= this.program.view.stackRanges();
        return stacks.some(([lo, hi]) => a >= lo && a < hi);
      };
    }
    try {
      return evaluate(scope, expr, ast);
    } catch (e) {
      if (e instanceof EvalError || e instanceof ValueError) throw userErrors.evalFailed(e.message);
      throw e;
    } finally {
      // A function call runs the program, which may change any page read before: read them again.
      if (expr.includes('(')) r.forgetPages();
    }
  }

  /**
   * While the program runs to a breakpoint at `pc` (breakpointScopes.ts): the
   * evaluate path (evalIn, the frame's scope, each visible variable located,
   * selectors down a struct's fields, the result shaped and, unless it is a
   * struct or an array, formatted) as frame 0 of a stop there would take it,
   * over the program's DWARF and a reader that reads nothing from the
   * program: the frame's CFA is in the middle of WARM_FRAME's zeros, so a
   * stack slot reads as its type's zero value (nil pointers, empty strings:
   * nothing is followed). The first evaluate at that
   * stop then runs code V8 has compiled, whichever session wrote the code
   * cache; the scope (DWARF only, per PC) is kept for it. What fails (a
   * variable that only the stop's registers or memory can locate) is left for
   * the stop.
   *
   * Round 0 evaluates each visible variable and its first field; every round
   * (0 to WARM_ROUNDS - 1) a selector chain down each struct variable, of new
   * text each round (`t.A.B.A.N`, parsed anew; selectorChain), so that each
   * function of the path has run often enough for V8 to keep what it learnt
   * of its operands' shapes: run once or twice, a function still starts
   * without that at the stop. Returns whether a later round has more to do.
   */
  warmEvaluateAt(pc: number, round = 0): boolean {
    const dw = this.dwarf;
    const w = this.warmFrame(pc);
    if (!dw || !w) return false;
    const { reader: r, frame: f } = w;
    this.scopeCache ??= new ScopeCache(dw);
    const visible = [...(this.scopeCache.at(f)?.visible ?? [])].slice(0, WARM_VARIABLES);
    const exprs: string[] = [];
    let chains = 0;
    const until = performance.now() + CHAINS_MS;
    for (const [name, fv] of visible) {
      try {
        const t = dw.type(fv.dwarf.typeOffset);
        const u = underlying(t);
        if (round === 0) {
          exprs.push(name);
          if (u.kind === 'struct' && u.fields[0]) exprs.push(`${name}.${u.fields[0].name}`);
        }
        const chain = selectorChain(name, t, round, until);
        if (chain) chains = exprs.push(chain);
      } catch {
        /* reported when the variable is shown */
      }
    }
    this.withReader(r, () => {
      for (const e of exprs) {
        try {
          // Parsed here: the evaluator keeps the trees it parses, and a user's expression should be parsed at its request, as any other.
          const res = this.evalIn(r, f, e, undefined, undefined, parseExpression(e));
          if (res.k !== 'val') continue;
          // A struct or array is not formatted: its text (every level, in zeros) would cost more than the paths it compiles.
          const k = underlying(res.v.type).kind;
          if (k !== 'struct' && k !== 'array') this.format(res.v);
          this.shape(res.v);
        } catch {
          /* left for the stop */
        }
      }
    });
    return round + 1 < WARM_ROUNDS && chains > 0;
  }

  /**
   * While the program runs to a breakpoint at `pc` (breakpointScopes.ts): the
   * locals a stop there shows first, as frameLocals reads them, over a reader
   * that reads nothing from the program (warmEvaluateAt's: the frame's CFA in
   * the middle of zeros, so each variable reads as its type's zero value),
   * with that reader; for the Variables view to show and expand them
   * (VariablesView.warmAt) on the program's own types. Undefined without
   * DWARF or a function at `pc`.
   */
  warmLocalsAt(pc: number): { reader: ValueReader; locals: NamedValue[] } | undefined {
    const w = this.warmFrame(pc);
    return w && { reader: w.reader, locals: frameLocals(w.reader, w.frame) };
  }

  /** The warm-ups' frame 0 at `pc`: its CFA in the middle of WARM_FRAME's zeros, read through the page cache's path. */
  private warmFrame(pc: number): { reader: ValueReader; frame: NamedFrameInfo } | undefined {
    const dw = this.dwarf;
    const funcName = this.program.symbols.funcForPC(pc)?.name;
    if (!dw || !funcName) return undefined;
    const reader = new ValueReader({ mem: WARM_FRAME, dwarf: dw, funcName: () => undefined, pages: true });
    return { reader, frame: { tid: 0, pc, cfa: WARM_FRAME_BASE + WARM_FRAME_HALF, inlineIndex: 0, funcName } };
  }

  /**
   * Sets `target` (named `name`, seen in frame `ref`) to the value of `expr`
   * and returns it, to be read again. Values read before may hold old bytes:
   * pass them to forgetReads.
   */
  assign(target: Value, name: string, expr: string, ref: FrameRef): Value {
    checkSettable(target, name, ref.index);
    const res = this.evalResult(expr, ref);
    return writeAssignment(this.program, this.reader(), res, target, name, expr, ref.tid, ref.index);
  }

  /**
   * setExpression: `lhs = rhs` in frame `ref`, where lhs must name a value in
   * the program (a variable, field, element, `*p`, a map entry's slot).
   */
  assignExpression(lhs: string, rhs: string, ref: FrameRef): Value {
    return this.assign(
      targetOf(lhs, (e) => this.evalResult(e, ref)),
      lhs,
      rhs,
      ref,
    );
  }

  /** After a write: drop the bytes of `values` read from memory, and the reader's caches. */
  forgetReads(values: Iterable<Value>): void {
    this.readerCache = undefined;
    for (const v of values) if (v.addr !== undefined && !v.regs && !v.computed) delete v.bytes;
  }

  // ───────────── registers ─────────────

  registers(ref: FrameRef): RegisterEntry[] {
    requireThread(this.program, ref.tid);
    const f = this.program.stackTrace(ref.tid)[ref.index];
    if (!f) throw userErrors.noFrame(ref.index, ref.tid);
    return frameRegisters(this.program, ref.tid, f, onThread(this.program, ref.tid));
  }
}

/**
 * The Variables view, hovers, the REPL and setVariable on the DAP side:
 * variablesReference handles, paging, and DAP Variable/Scope objects for the
 * values src/debuggee/inspect reads.
 *
 * Handles live until the program resumes (reset) and are never reused, so a
 * stale one is reported as unknown. Each handle remembers the value (with
 * whatever bytes were already read) and the frame it came from, so expanding a
 * child reads only that child, and setVariable can evaluate its right-hand
 * side in the right frame.
 */
import { Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Inspector, type FrameRef, type NamedValue } from '../debuggee/inspect/inspector.js';
import { emptyYoungGeneration } from '../util/idleScavenge.js';
import type { Program } from '../debuggee/program.js';
import { WARM_EXPRESSIONS, warmEvaluate, warmReader, warmSamples, warmValues } from '../debuggee/inspect/warmUp.js';
import { userErrors } from '../util/userErrors.js';
import { typeName, type FormatOptions } from '../values/format.js';
import { UNAVAILABLE_IN_CALLER } from '../values/locations.js';
import type { Value } from '../values/value.js';
import type { NormalizedDisplayOptions } from './launchConfig.js';

type VarRef =
  | { kind: 'registers'; frame: FrameRef }
  | { kind: 'locals'; frame: FrameRef }
  /** What the function the last step left returned. */
  | { kind: 'returned'; frame: FrameRef }
  /** A binary without DWARF: the Locals scope holds one line that says why it is empty. */
  | { kind: 'noDebugInfo' }
  | { kind: 'globals'; pkg: string; frame: FrameRef }
  | { kind: 'value'; value: Value; evalName?: string; frame: FrameRef }
  | { kind: 'pair'; key: Value; value: Value; frame: FrameRef };

/** Children returned for one request when the client does not page. */
const MAX_UNPAGED = 10_000;
/** Strings in repl / clipboard results: whole, up to this many bytes. */
const FULL_STRING = 16 << 20;

interface Named extends NamedValue {
  pair?: { key: Value; value: Value };
}

/** How long one variables request (or slice of one) may spend in String()/Error() calls; the values after that show their fields. */
const TEXT_BUDGET_MS = 300;

/** Set once a warm-up has run to its end in this process (the code it compiles stays compiled). */
let warmed = false;
/**
 * After its first pass, the warm-up expands the sample struct and pages the
 * sample slice (100 ints) in every other one of WARM_REPEATS steps and
 * pages the sample map (100 of its entries) in the others, taking turns
 * with the caller's own warm-up steps: V8 compiles a function once it has
 * run enough bytecode, and a single pass leaves most of the path
 * interpreted. One page per step: a stop that comes meanwhile waits for
 * the step under way, about a millisecond when cold on a loaded machine.
 */
const WARM_REPEATS = 48;
/** VariablesView.warmAt: locals shown, levels expanded below them, ms per level, and elements of an array or slice expanded. */
const WARM_AT_LOCALS = 8;
const WARM_AT_LEVELS = 5;
const WARM_AT_MS = 1.5;
const WARM_AT_PAGE = 100;
/** How long after the last variables or evaluate request at a stop the young generation is emptied: a stop's requests come within a few tens of ms, a user's next expand seconds later. */
const IDLE_SCAVENGE_MS = 100;

export class VariablesView {
  private refs = new Map<number, VarRef>();
  private nextRef = 1;
  /** Milliseconds the variables request being answered has spent in String()/Error() methods (at most TEXT_BUDGET_MS). */
  private textsMs = Number.POSITIVE_INFINITY;
  /** Set while warmAt shows values of zeros: no String() or Error() is called then. */
  private warming = false;
  readonly inspector: Inspector;

  /**
   * @param warmMore a warm-up step of the caller's (the session's request path), run after the
   *   view's own first pass, taking turns with its repeats, one per turn of the event loop until
   *   the first stop; false when it has nothing left to run.
   * @param warmNext when the warm-up's next step runs: it is given the step (setImmediate without it).
   */
  constructor(
    private readonly program: Program,
    private readonly display: NormalizedDisplayOptions,
    warmMore?: () => boolean,
    private readonly warmNext: (step: () => void) => void = setImmediate,
  ) {
    this.inspector = new Inspector(program);
    this.warmUp(warmMore);
  }

  // ───────────── warm-up ─────────────

  /**
   * Runs the view's own paths (DAP variables, handles, pages, children,
   * expression results) on synthetic values (../debuggee/inspect/warmUp.ts),
   * one step per turn of the event loop, while the program is being started
   * and runs to its first stop; the first stop ends it. Every step takes a
   * few ms when cold; the requests at the first stop then run code V8 has
   * already compiled. The handles it makes are gone when it ends. Then, as
   * long as the program has not stopped, the struct's expansion and the
   * slice's page again (WARM_REPEATS), taking turns with `more` (until it
   * returns false).
   */
  private warmUp(more?: () => boolean): void {
    // The program's own Error/String method names (the binary's, per program): read once, first.
    const textMethods = (): boolean => {
      this.inspector.warmTextMethods();
      return false;
    };
    if (warmed) {
      this.warmUntilStop(more === undefined ? [textMethods] : [textMethods, more]);
      return;
    }
    let stopped = false;
    this.program.once?.('stopped', () => {
      stopped = true;
    });
    const r = warmReader();
    let samples: NamedValue[] = [];
    const steps: (() => void)[] = [
      textMethods,
      () => {
        samples = warmSamples(r);
      },
      () => warmValues(r, samples),
      () => this.warmShow(samples, 0),
      () => this.warmShow(samples, 1),
      () => this.warmShow(samples, 2),
      // The expressions a few at a time: the first ones compile the lexer, parser and evaluator.
      ...[0, 1, 2].map((part) => () => {
        const exprs = WARM_EXPRESSIONS.filter((_, i) => i % 3 === part);
        const results = warmEvaluate(r, samples, exprs).map((value, i) => ({ name: `${i}`, value }));
        this.warmShow(results, 0);
      }),
      // The map last: the struct, slice and expressions are what a stop asks for first.
      () => this.warmShow(samples, 3),
      () => {
        warmed = true;
      },
    ];
    let repeats = WARM_REPEATS;
    const again = (): boolean =>
      this.inspector.withReader(r, () => {
        const frame: FrameRef = { tid: 0, index: 0 };
        // The map's page in a step of its own, every other step: a step stays about one page long.
        if (repeats % 2 === 1) {
          const map = samples[3] ? this.toDap(samples[3], frame, {}).variablesReference : 0;
          // Its entries read again each time (the iterator is cached per reader), as a stop's first page reads them.
          r.caches.clear();
          if (map) this.variables({ variablesReference: map, filter: 'indexed', start: 0, count: 100 });
          return --repeats > 0;
        }
        const [struct, slice] = [samples[0], samples[1]].map((n) => (n ? this.toDap(n, frame, {}).variablesReference : 0));
        if (slice) this.variables({ variablesReference: slice, filter: 'indexed', start: 0, count: 100 });
        if (struct) this.variables({ variablesReference: struct });
        return --repeats > 0;
      });
    const run = (): void => {
      if (stopped || this.program.exited) return;
      const step = steps.shift();
      if (!step) {
        this.warmUntilStop(more === undefined ? [again] : [again, more], () => stopped);
        return;
      }
      const first = this.nextRef;
      try {
        this.inspector.withReader(r, step);
      } catch {
        /* a path the synthetic values cannot take: not warmed */
      } finally {
        for (let id = first; id < this.nextRef; id++) this.refs.delete(id);
      }
      this.warmNext(run);
    };
    this.warmNext(run);
  }

  /**
   * Runs the steppers in turn, one call per turn of the event loop, each
   * until it returns false, while the program has neither stopped nor
   * exited. The handles a step makes are forgotten after it.
   */
  private warmUntilStop(steppers: (() => boolean)[], stopped?: () => boolean): void {
    let hasStopped = false;
    if (!stopped) this.program.once?.('stopped', () => void (hasStopped = true));
    const isStopped = stopped ?? (() => hasStopped);
    const live = [...steppers];
    let next = 0;
    const run = (): void => {
      if (isStopped() || this.program.exited || live.length === 0) return;
      const i = next % live.length;
      const first = this.nextRef;
      let more = false;
      try {
        more = live[i]!();
      } catch {
        /* a path the synthetic values cannot take: not warmed */
      } finally {
        for (let id = first; id < this.nextRef; id++) this.refs.delete(id);
      }
      if (more) next = i + 1;
      else live.splice(i, 1);
      this.warmNext(run);
    };
    this.warmNext(run);
  }

  /**
   * While the program runs to a breakpoint at `pc`: the Variables view of a
   * stop there, on the program's own types (its DWARF structs, fields,
   * arrays, method lookups) and over zeros (Inspector.warmLocalsAt: nothing
   * of the program is read, no String() is called): the frame's first
   * WARM_AT_LOCALS locals shown, then expanded breadth first as a user
   * expands a tree, one level per call of the stepper returned, for at most
   * WARM_AT_LEVELS levels and WARM_AT_MS each (an array or a slice: its
   * first WARM_AT_PAGE elements). The synthetic warm-up
   * (warmUp) rarely runs before a stop that comes a few ms after the
   * program starts (the launch's own work fills that time); this runs in the
   * breakpoint scopes' turns (breakpointScopes.ts). Undefined when there is
   * nothing to show.
   */
  warmAt(pc: number): (() => boolean) | undefined {
    let w: ReturnType<Inspector['warmLocalsAt']>;
    try {
      w = this.inspector.warmLocalsAt(pc);
    } catch {
      return undefined;
    }
    if (!w || w.locals.length === 0) return undefined;
    const { reader, locals } = w;
    const frame: FrameRef = { tid: 0, index: 0 };
    let level: Named[] | undefined;
    let depth = 0;
    return () => {
      const first = this.nextRef;
      this.warming = true;
      try {
        return this.inspector.withReader(reader, () => {
          const until = performance.now() + WARM_AT_MS;
          if (!level) {
            level = locals.slice(0, WARM_AT_LOCALS);
            for (const n of level) this.toDap(n, frame, {});
            return true;
          }
          const next: Named[] = [];
          for (const n of level) {
            if (performance.now() > until) break;
            const v = this.toDap(n, frame, {});
            if (!v.variablesReference) continue;
            const ref = this.ref(v.variablesReference);
            if (ref.kind !== 'value') continue;
            // An array's or a slice's first page only, as a client pages a long one.
            const page = v.indexedVariables ? { start: 0, count: WARM_AT_PAGE } : {};
            next.push(...this.inspector.children(ref.value, ref.evalName, page, {}));
            this.variables({ variablesReference: v.variablesReference, ...(v.indexedVariables ? { filter: 'indexed' as const, ...page } : {}) });
          }
          level = next;
          return ++depth < WARM_AT_LEVELS && next.length > 0;
        });
      } catch {
        return false;
      } finally {
        this.warming = false;
        for (let id = first; id < this.nextRef; id++) this.refs.delete(id);
      }
    };
  }

  /** Shows `list[i]` as the Variables view does: its variable, then its children unpaged and a page of them. */
  private warmShow(list: NamedValue[], i: number): void {
    const frame: FrameRef = { tid: 0, index: 0 };
    const n = list[i];
    if (!n) return;
    const v = this.toDap(n, frame, {});
    for (const c of list) this.toDap(c, frame, { hex: true });
    if (!v.variablesReference) return;
    const ref = v.variablesReference;
    for (const kid of this.variables({ variablesReference: ref })) {
      if (kid.variablesReference) this.variables({ variablesReference: kid.variablesReference });
    }
    const page = { variablesReference: ref, filter: 'indexed' as const, start: 1, count: 50 };
    this.pageSize(page);
    this.variables(page);
  }

  /** Forget every handle: called whenever the program resumes or stops. */
  reset(): void {
    this.refs.clear();
    this.inspector.reset();
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  /**
   * A variables or evaluate request at a stop (called as it is answered): once none has come for IDLE_SCAVENGE_MS
   * and the program has neither resumed nor stopped again (reset), the young generation is emptied
   * (idleScavenge.ts), so that the next expand does not pay for the scavenge its garbage would bring.
   */
  noteRequest(): void {
    if (this.idleTimer) {
      this.idleTimer.refresh();
      return;
    }
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.program.running && !this.program.exited) emptyYoungGeneration();
    }, IDLE_SCAVENGE_MS);
    this.idleTimer.unref();
  }
  private idleTimer: NodeJS.Timeout | undefined;

  private handle(r: VarRef): number {
    const id = this.nextRef++;
    this.refs.set(id, r);
    return id;
  }

  private ref(id: number): VarRef {
    const r = this.refs.get(id);
    if (!r) throw userErrors.unknownVariablesReference(id);
    return r;
  }

  // ───────────── scopes ─────────────

  scopes(frame: FrameRef): DebugProtocol.Scope[] {
    const out: DebugProtocol.Scope[] = [];
    const s = this.inspector.scopes(frame);
    if (s.returnedFrom !== undefined) out.push(new Scope(`Return values (${s.returnedFrom})`, this.handle({ kind: 'returned', frame }), false));
    if (s.locals) {
      const locals = new Scope('Locals', this.handle({ kind: 'locals', frame }), false) as DebugProtocol.Scope;
      locals.presentationHint = 'locals';
      out.push(locals);
      if (this.display.showGlobalVariables && s.globalsPackage !== undefined) {
        const pkg = s.globalsPackage;
        out.push(new Scope(`Globals (package ${pkg})`, this.handle({ kind: 'globals', pkg, frame }), false));
      }
    }
    if (!s.locals) {
      const locals = new Scope('Locals', this.handle({ kind: 'noDebugInfo' }), false) as DebugProtocol.Scope;
      locals.presentationHint = 'locals';
      out.push(locals);
    }
    const regs = new Scope('Registers', this.handle({ kind: 'registers', frame }), true) as DebugProtocol.Scope;
    regs.presentationHint = 'registers';
    out.push(regs);
    return out;
  }

  // ───────────── variables ─────────────

  /** How many variables the page `args` asks for will hold at most (children of a value: its counts, capped by `count`). */
  pageSize(args: DebugProtocol.VariablesArguments): number {
    const ref = this.refs.get(args.variablesReference);
    if (ref?.kind !== 'value') return 0;
    const c = this.inspector.childCounts(ref.value);
    if (!c) return 0;
    const total = args.filter === 'indexed' ? (c.indexed ?? 0) : args.filter === 'named' ? (c.named ?? 0) : (c.indexed ?? 0) + (c.named ?? 0);
    const left = Math.max(0, total - (args.start ?? 0));
    return Math.min(left, args.count && args.count > 0 ? args.count : MAX_UNPAGED);
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const ref = this.ref(args.variablesReference);
    this.textsMs = 0;
    const fmt: FormatOptions = { hex: args.format?.hex === true };
    switch (ref.kind) {
      case 'registers':
        return this.page(this.inspector.registers(ref.frame), args).map((r) => ({ name: r.name, value: r.value, type: r.type, variablesReference: 0 }));
      case 'noDebugInfo':
        return [
          {
            name: '(no variables)',
            value: userErrors.noDebugInfo().message,
            variablesReference: 0,
            presentationHint: { kind: 'virtual', attributes: ['readOnly'] },
          },
        ];
      case 'locals':
        return this.page(this.inspector.locals(ref.frame), args).map((n) => this.toDap(n, ref.frame, fmt));
      case 'returned':
        return this.page(this.inspector.returnValues(), args).map((n) => this.toDap(n, ref.frame, fmt));
      case 'globals':
        return this.page(this.inspector.globals(ref.pkg), args).map((n) => this.toDap(n, ref.frame, fmt));
      case 'pair':
        return [this.toDap({ name: 'key', value: ref.key }, ref.frame, fmt), this.toDap({ name: 'value', value: ref.value }, ref.frame, fmt)];
      case 'value': {
        const count = args.count && args.count > 0 ? args.count : MAX_UNPAGED;
        const scalars = args.filter === 'named' || fmt.hex ? undefined : this.scalars(ref.value, ref.evalName, args.start ?? 0, count);
        if (scalars) return scalars;
        let kids: Named[];
        try {
          kids = this.inspector.children(ref.value, ref.evalName, { start: args.start, count, filter: args.filter }, fmt);
        } catch (e) {
          return [{ name: '<error>', value: `<error: ${(e as Error).message}>`, variablesReference: 0 }];
        }
        return kids.map((c) => this.toDap(c, ref.frame, fmt));
      }
    }
  }

  /** A page of builtin numbers or booleans as DAP variables, the same as toDap makes them (its elements are made under DAP's names); undefined for other values. */
  private scalars(v: Value, evalName: string | undefined, start: number, count: number): DebugProtocol.Variable[] | undefined {
    return this.inspector.scalarPage(v, evalName, start, count)?.elems;
  }

  private page<T>(items: T[], args: DebugProtocol.VariablesArguments): T[] {
    const start = args.start ?? 0;
    const count = args.count && args.count > 0 ? args.count : items.length;
    return items.slice(start, start + count);
  }

  private toDap(n: Named, frame: FrameRef, fmt: FormatOptions): DebugProtocol.Variable {
    const v = n.value;
    const out: DebugProtocol.Variable = { name: n.name, value: '', type: typeName(v.type), variablesReference: 0 };
    if (n.pair) {
      const key = this.inspector.format(n.pair.key, { ...fmt, depth: 1, maxLength: 200 });
      out.value = `${key}: ${this.inspector.format(n.pair.value, { ...fmt, depth: 1, maxLength: 400 })}`;
      out.type = '';
      out.variablesReference = this.handle({ kind: 'pair', key: n.pair.key, value: n.pair.value, frame });
      out.namedVariables = 2;
      return out;
    }
    out.value = this.inspector.format(v, fmt);
    // fmt's %v text of a value with an Error() or String() method, run in the program (callStringMethods).
    // The clock is read only around a call: most values have no such method.
    if (this.display.callStringMethods && this.textsMs < TEXT_BUDGET_MS) {
      const methods = this.inspector.textMethods(v);
      if (methods.length && !this.warming) {
        const t0 = performance.now();
        out.value = this.inspector.methodText(v, frame, fmt, methods) ?? out.value;
        this.textsMs += performance.now() - t0;
      }
    }
    // A variable DWARF does not locate at this PC (optimised code), or one held in a caller's register: unavailable, not an error.
    if (v.error === 'optimized out' || v.error === UNAVAILABLE_IN_CALLER) out.value = `<${v.error}>`;
    if (n.evalName) out.evaluateName = n.evalName;
    if (n.readOnly) out.presentationHint = { kind: 'property', attributes: ['readOnly'] };
    this.addChildren(out, v, n.evalName, frame);
    return out;
  }

  private addChildren(
    out: { variablesReference: number; indexedVariables?: number; namedVariables?: number; memoryReference?: string },
    v: Value,
    evalName: string | undefined,
    frame: FrameRef,
  ): void {
    const s = this.inspector.shape(v);
    if (s.memoryReference) out.memoryReference = s.memoryReference;
    if (!s.hasChildren) return;
    out.variablesReference = this.handle({ kind: 'value', value: v, evalName, frame });
    if (s.indexed) out.indexedVariables = s.indexed;
    if (s.named) out.namedVariables = s.named;
  }

  // ───────────── evaluate ─────────────

  evaluate(args: DebugProtocol.EvaluateArguments, frame: FrameRef | undefined): DebugProtocol.EvaluateResponse['body'] {
    const fr = frame ?? { tid: this.program.currentThread, index: 0 };
    const full = args.context === 'repl' || args.context === 'clipboard' || args.context === 'variables';
    const fmt: FormatOptions = { hex: args.format?.hex === true };
    if (full) Object.assign(fmt, { maxString: FULL_STRING, maxLength: FULL_STRING + 4096 });
    // Function calls run code: for what the user asked to evaluate, never for a hover.
    const calls = args.context === 'repl' || args.context === 'watch' || args.context === 'clipboard' || args.context === 'variables';
    const res = this.inspector.evaluate(args.expression, fr, { calls });
    if (res.k === 'const') return { result: res.text, type: res.type, variablesReference: 0 };
    const v = res.value;
    const body: DebugProtocol.EvaluateResponse['body'] = { result: this.inspector.format(v, fmt), type: typeName(v.type), variablesReference: 0 };
    this.addChildren(body, v, v.computed ? undefined : args.expression, fr);
    return body;
  }

  // ───────────── setVariable ─────────────

  setVariable(args: DebugProtocol.SetVariableArguments): DebugProtocol.SetVariableResponse['body'] {
    const ref = this.ref(args.variablesReference);
    if (ref.kind === 'registers') throw userErrors.cannotSetHere(args.name);
    if (ref.kind === 'noDebugInfo') throw userErrors.noDebugInfo();
    if (ref.kind === 'returned') throw userErrors.cannotSet(args.name, 'it is a value the function returned; the program holds it no more');
    let target: NamedValue | undefined;
    if (ref.kind === 'locals') target = this.inspector.locals(ref.frame).find((n) => n.name === args.name);
    else if (ref.kind === 'globals') target = this.inspector.global(ref.pkg, args.name);
    else if (ref.kind === 'pair') target = args.name === 'value' ? { name: 'value', value: ref.value } : undefined;
    else target = this.inspector.children(ref.value, ref.evalName, {}, {}).find((c) => c.name === args.name);
    if (!target) throw userErrors.noVariable(args.name);
    const fresh = this.inspector.assign(target.value, args.name, args.value, ref.frame);
    return this.written(fresh, target.evalName, ref.frame, args.format?.hex === true);
  }

  // ───────────── dataBreakpointInfo ─────────────

  /** The value shown as `name` under handle `variablesReference`, and the frame it was read in. */
  lookup(variablesReference: number, name: string): { value: Value; frame: FrameRef; evalName?: string } {
    const ref = this.ref(variablesReference);
    if (ref.kind === 'registers' || ref.kind === 'noDebugInfo' || ref.kind === 'returned') throw userErrors.noSuchVariable(name);
    let found: NamedValue | undefined;
    if (ref.kind === 'locals') found = this.inspector.locals(ref.frame).find((n) => n.name === name);
    else if (ref.kind === 'globals') found = this.inspector.global(ref.pkg, name);
    else if (ref.kind === 'pair') found = name === 'value' ? { name, value: ref.value } : name === 'key' ? { name, value: ref.key } : undefined;
    else found = this.inspector.children(ref.value, ref.evalName, {}, {}).find((c) => c.name === name);
    if (!found) throw userErrors.noSuchVariable(name);
    return { value: found.value, frame: ref.frame, evalName: found.evalName };
  }

  // ───────────── setExpression ─────────────

  setExpression(args: DebugProtocol.SetExpressionArguments, frame: FrameRef | undefined): DebugProtocol.SetExpressionResponse['body'] {
    const fr = frame ?? { tid: this.program.currentThread, index: 0 };
    const fresh = this.inspector.assignExpression(args.expression, args.value, fr);
    return this.written(fresh, args.expression, fr, args.format?.hex === true);
  }

  /** The answer to a write: the value read again (held values forgotten first), its type and children. */
  private written(fresh: Value, evalName: string | undefined, frame: FrameRef, hex: boolean): DebugProtocol.SetVariableResponse['body'] {
    this.inspector.forgetReads(this.heldValues());
    const body: DebugProtocol.SetVariableResponse['body'] & { variablesReference: number } = {
      value: this.inspector.format(fresh, { hex }),
      type: typeName(fresh.type),
      variablesReference: 0,
    };
    this.addChildren(body, fresh, evalName, frame);
    return body;
  }

  /** After a raw memory write (writeMemory): every value a handle holds is read again when next shown. */
  forgetReads(): void {
    this.inspector.forgetReads(this.heldValues());
  }

  /** Every value a handle holds (their bytes go stale after a write). */
  private *heldValues(): Iterable<Value> {
    for (const r of this.refs.values()) {
      if (r.kind === 'value') yield r.value;
      else if (r.kind === 'pair') {
        yield r.key;
        yield r.value;
      }
    }
  }
}

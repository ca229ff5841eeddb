/**
 * The Variables view, hovers, the REPL and setVariable: DAP-side handles,
 * paging and conversions for values read by src/values and
 * expressions evaluated by src/eval.
 *
 * Handles live until the program resumes (reset). Each handle remembers the
 * value (with whatever bytes were already read) and the frame it came from,
 * so expanding a child reads only that child, and setVariable can evaluate
 * its right-hand side in the right frame.
 */
import { Scope } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Dwarf } from '../dwarf/dwarf.js';
import { underlying } from '../dwarf/goTypes.js';
import { DISPLAY_ORDER } from '../process/registers.js';
import { assignmentBytes } from '../eval/assign.js';
import { EvalError } from '../eval/errors.js';
import { evaluate, packageOf } from '../eval/evaluator.js';
import { constTypeName, formatConst, type Result } from '../eval/results.js';
import { frameEvalScope, ScopeCache } from '../eval/scope.js';
import type { Program } from '../debuggee/program.js';
import { childCounts, childrenOf, type Child } from '../values/children.js';
import { formatValue, hexAddr, typeName, type FormatOptions } from '../values/format.js';
import { frameInfo, type NamedFrameInfo } from '../debuggee/stack/frames.js';
import { frameScope, variableValue } from '../values/locations.js';
import { isSettable, writeValue } from '../values/setValue.js';
import { ValueError, type Value } from '../values/value.js';
import { ValueReader } from '../values/valueReader.js';
import type { NormalizedDisplayOptions } from './launchConfig.js';
import { ErrorCode, UserError } from './errors.js';

/** Error code of a failed evaluate/setVariable (an expression or value problem the user can fix). */
export const EVAL_FAILED = 2010;

type FrameRef = { tid: number; index: number };

type VarRef =
  | { kind: 'registers'; tid: number; frame: number }
  | { kind: 'locals'; tid: number; frame: number }
  | { kind: 'globals'; pkg: string; frame: FrameRef }
  | { kind: 'value'; value: Value; evalName?: string; frame: FrameRef }
  | { kind: 'pair'; key: Value; value: Value; frame: FrameRef };

/** Children returned for one request when the client does not page. */
const MAX_UNPAGED = 10_000;
/** Strings in repl / clipboard results: whole, up to this many bytes. */
const FULL_STRING = 16 << 20;

interface Named {
  name: string;
  value: Value;
  evalName?: string;
  pair?: { key: Value; value: Value };
  hint?: DebugProtocol.VariablePresentationHint;
}

export class VariablesView {
  private refs = new Map<number, VarRef>();
  private nextRef = 1;
  private readerCache?: ValueReader;
  private scopeCache?: ScopeCache;

  constructor(
    private readonly program: Program,
    private readonly display: NormalizedDisplayOptions,
  ) {}

  /** Forget every handle: called whenever the program resumes or stops. */
  reset(): void {
    this.refs.clear();
    this.readerCache = undefined;
  }

  private handle(r: VarRef): number {
    const id = this.nextRef++;
    this.refs.set(id, r);
    return id;
  }

  private get dwarf(): Dwarf | undefined {
    return this.program.symbols.dwarf;
  }

  private reader(): ValueReader {
    const dw = this.dwarf;
    if (!dw) throw new UserError(EVAL_FAILED, 'The program has no DWARF debug information: build it with `go build -gcflags=all=-N -l` and without -ldflags=-w');
    const p = this.program;
    this.readerCache ??= new ValueReader({ mem: p, dwarf: dw, funcName: (pc) => p.symbols.funcForPC(pc)?.name });
    return this.readerCache;
  }

  private scopes_(): ScopeCache {
    this.scopeCache ??= new ScopeCache(this.dwarf!);
    return this.scopeCache;
  }

  private frame(tid: number, index: number): NamedFrameInfo {
    const f = frameInfo(this.program, tid, index);
    if (!f) throw new UserError(ErrorCode.UnknownFrame, `No frame ${index} on thread ${tid}`);
    return f;
  }

  // ───────────── scopes ─────────────

  scopes(tid: number, frame: number): DebugProtocol.Scope[] {
    const out: DebugProtocol.Scope[] = [];
    const f = frameInfo(this.program, tid, frame);
    if (this.dwarf && f) {
      const locals = new Scope('Locals', this.handle({ kind: 'locals', tid, frame }), false) as DebugProtocol.Scope;
      locals.presentationHint = 'locals';
      out.push(locals);
      if (this.display.showGlobalVariables) {
        const pkg = packageOf(f.funcName);
        out.push(new Scope(`Globals (package ${pkg})`, this.handle({ kind: 'globals', pkg, frame: { tid, index: frame } }), false));
      }
    }
    const regs = new Scope('Registers', this.handle({ kind: 'registers', tid, frame }), true) as DebugProtocol.Scope;
    regs.presentationHint = 'registers';
    out.push(regs);
    return out;
  }

  // ───────────── variables ─────────────

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const ref = this.refs.get(args.variablesReference);
    if (!ref) return [];
    const fmt: FormatOptions = { hex: args.format?.hex === true };
    switch (ref.kind) {
      case 'registers':
        return this.registerVariables(ref.tid, ref.frame);
      case 'locals': {
        const fr = { tid: ref.tid, index: ref.frame };
        return this.page(this.localValues(ref.tid, ref.frame), args).map((n) => this.toDap(n, fr, fmt));
      }
      case 'globals': {
        const r = this.reader();
        const named: Named[] = r.dwarf.globals(ref.pkg).map((g) => {
          let value: Value;
          try {
            value = { type: r.dwarf.type(g.typeOffset), addr: g.address };
          } catch (e) {
            value = { type: r.dwarf.typeByName('int')!, error: (e as Error).message };
          }
          return { name: g.name.slice(ref.pkg.length + 1), value, evalName: g.name };
        });
        return this.page(named, args).map((n) => this.toDap(n, ref.frame, fmt));
      }
      case 'pair':
        return [
          this.toDap({ name: 'key', value: ref.key }, ref.frame, fmt),
          this.toDap({ name: 'value', value: ref.value }, ref.frame, fmt),
        ];
      case 'value': {
        const r = this.reader();
        const count = args.count && args.count > 0 ? args.count : MAX_UNPAGED;
        let kids: Child[];
        try {
          kids = childrenOf(r, ref.value, ref.evalName, { start: args.start, count, filter: args.filter }, fmt);
        } catch (e) {
          return [{ name: '<error>', value: `<error: ${(e as Error).message}>`, variablesReference: 0 }];
        }
        return kids.map((c) => this.toDap(c, ref.frame, fmt));
      }
    }
  }

  private page<T>(items: T[], args: DebugProtocol.VariablesArguments): T[] {
    const start = args.start ?? 0;
    const count = args.count && args.count > 0 ? args.count : items.length;
    return items.slice(start, start + count);
  }

  /** The frame's arguments, return values and locals (shadowed ones marked). */
  private localValues(tid: number, index: number): Named[] {
    const dw = this.dwarf;
    if (!dw) return [];
    const f = this.frame(tid, index);
    const s = frameScope(dw, f);
    if (!s) return [];
    const r = this.reader();
    return s.vars.map((v) => {
      const value = variableValue(r, dw, s.fn, s.vars, v, f);
      const n: Named = { name: v.dwarf.shadowed ? `${v.name} (shadowed)` : v.name, value };
      if (!v.dwarf.shadowed) n.evalName = v.name;
      if (v.kind === 'return') n.hint = { kind: 'property', attributes: ['readOnly'] };
      return n;
    });
  }

  private toDap(n: Named, frame: FrameRef, fmt: FormatOptions): DebugProtocol.Variable {
    const r = this.reader();
    const v = n.value;
    const out: DebugProtocol.Variable = { name: n.name, value: '', type: typeName(v.type), variablesReference: 0 };
    if (n.pair) {
      out.value = `${formatValue(r, n.pair.key, { ...fmt, depth: 1, maxLength: 200 })}: ${formatValue(r, n.pair.value, { ...fmt, depth: 1, maxLength: 400 })}`;
      out.type = '';
      out.variablesReference = this.handle({ kind: 'pair', key: n.pair.key, value: n.pair.value, frame });
      out.namedVariables = 2;
      return out;
    }
    out.value = formatValue(r, v, fmt);
    if (n.evalName) out.evaluateName = n.evalName;
    if (n.hint) out.presentationHint = n.hint;
    this.addChildren(out, v, n.evalName, frame);
    return out;
  }

  private addChildren(out: { variablesReference: number; indexedVariables?: number; namedVariables?: number; memoryReference?: string }, v: Value, evalName: string | undefined, frame: FrameRef): void {
    const r = this.reader();
    try {
      const k = underlying(v.type).kind;
      if (v.error === undefined && (k === 'pointer' || k === 'unsafePointer')) {
        const p = r.pointer(v);
        if (p) out.memoryReference = hexAddr(p);
      } else if (v.addr !== undefined && !v.computed && !v.regs) out.memoryReference = hexAddr(v.addr);
      const c = childCounts(r, v);
      if (!c) return;
      out.variablesReference = this.handle({ kind: 'value', value: v, evalName, frame });
      if (c.indexed) out.indexedVariables = c.indexed;
      if (c.named && c.indexed) out.namedVariables = c.named;
    } catch {
      /* the value line already shows the error */
    }
  }

  // ───────────── evaluate ─────────────

  evaluate(args: DebugProtocol.EvaluateArguments, frame: FrameRef | undefined): DebugProtocol.EvaluateResponse['body'] {
    const fr = frame ?? { tid: this.program.currentThread, index: 0 };
    const full = args.context === 'repl' || args.context === 'clipboard' || args.context === 'variables';
    const fmt: FormatOptions = { hex: args.format?.hex === true };
    if (full) Object.assign(fmt, { maxString: FULL_STRING, maxLength: FULL_STRING + 4096 });
    const res = this.evalIn(args.expression, fr);
    if (res.k === 'const') return { result: formatConst(res.c), type: constTypeName(res.c), variablesReference: 0 };
    const v = res.v;
    const body: DebugProtocol.EvaluateResponse['body'] = { result: formatValue(this.reader(), v, fmt), type: typeName(v.type), variablesReference: 0 };
    this.addChildren(body, v, res.v.computed ? undefined : args.expression, fr);
    return body;
  }

  private evalIn(expr: string, fr: FrameRef): Result {
    const r = this.reader();
    const f = this.frame(fr.tid, fr.index);
    const scope = frameEvalScope(r, this.scopes_(), f, f.funcName);
    try {
      return evaluate(scope, expr);
    } catch (e) {
      if (e instanceof EvalError || e instanceof ValueError) throw new UserError(EVAL_FAILED, e.message);
      throw e;
    }
  }

  // ───────────── setVariable ─────────────

  setVariable(args: DebugProtocol.SetVariableArguments): DebugProtocol.SetVariableResponse['body'] {
    const ref = this.refs.get(args.variablesReference);
    if (!ref || ref.kind === 'registers') throw new UserError(EVAL_FAILED, `Cannot set ${args.name} here`);
    let target: Named | undefined;
    let frame: FrameRef;
    if (ref.kind === 'locals') {
      frame = { tid: ref.tid, index: ref.frame };
      target = this.localValues(ref.tid, ref.frame).find((n) => n.name === args.name);
    } else if (ref.kind === 'globals') {
      frame = ref.frame;
      const g = this.reader().dwarf.global(`${ref.pkg}.${args.name}`);
      if (g) target = { name: args.name, value: { type: this.reader().dwarf.type(g.typeOffset), addr: g.address } };
    } else if (ref.kind === 'pair') {
      frame = ref.frame;
      if (args.name === 'value') target = { name: 'value', value: ref.value };
    } else {
      frame = ref.frame;
      target = childrenOf(this.reader(), ref.value, ref.evalName, {}, {}).find((c) => c.name === args.name);
    }
    if (!target) throw new UserError(EVAL_FAILED, `No variable ${args.name} to set`);
    const tv = target.value;
    if (!isSettable(tv.type)) {
      throw new UserError(EVAL_FAILED, `Cannot set ${args.name}: values of type ${typeName(tv.type)} cannot be set (bools, numbers and pointers can)`);
    }
    if (frame.index > 0 && tv.regs) throw new UserError(EVAL_FAILED, `Cannot set ${args.name}: it is in a register of a caller frame`);
    const res = this.evalIn(args.value, frame);
    const p = this.program;
    try {
      const bytes = assignmentBytes(this.reader(), this.reader().dwarf, res, tv.type);
      writeValue({ write: (a, b) => p.write(a, b), registers: (tid) => p.registers(tid), setRegisters: (tid, regs) => p.setRegisters(tid, regs) }, tv, bytes);
    } catch (e) {
      if (e instanceof EvalError || e instanceof ValueError) {
        throw new UserError(EVAL_FAILED, `Cannot set ${args.name} to ${args.value}: ${e.message}`);
      }
      throw e;
    }
    this.forgetReads();
    const fresh: Value = tv.regs ? tv : { type: tv.type, addr: tv.addr };
    const out: DebugProtocol.SetVariableResponse['body'] = { value: formatValue(this.reader(), fresh), type: typeName(tv.type) };
    return out;
  }

  /** After a write: drop bytes read from memory, so every value is read again. */
  private forgetReads(): void {
    this.readerCache = undefined;
    const clear = (v: Value) => {
      if (v.addr !== undefined && !v.regs && !v.computed) delete v.bytes;
    };
    for (const r of this.refs.values()) {
      if (r.kind === 'value') clear(r.value);
      else if (r.kind === 'pair') {
        clear(r.key);
        clear(r.value);
      }
    }
  }

  // ───────────── registers ─────────────

  private registerVariables(tid: number, frameIndex: number): DebugProtocol.Variable[] {
    const p = this.program;
    const hex = (v: bigint | number) => `0x${v.toString(16)}`;
    const f = p.stackTrace(tid)[frameIndex];
    if (!f) return [];
    if (f.physical > 0) {
      return [
        { name: 'rip', value: hex(f.pc), type: 'uint64', variablesReference: 0 },
        { name: 'rsp', value: hex(f.sp), type: 'uint64', variablesReference: 0 },
        { name: 'cfa', value: hex(f.cfa), type: 'uint64', variablesReference: 0 },
      ];
    }
    const regs = p.registers(tid);
    const out: DebugProtocol.Variable[] = DISPLAY_ORDER.map((name) => ({ name, value: hex(regs.get(name)), type: 'uint64', variablesReference: 0 }));
    for (let i = 0; i < 16; i++) {
      const x = regs.xmm(i);
      if (!x) break;
      out.push({ name: `xmm${i}`, value: `0x${x.hi.toString(16).padStart(16, '0')}${x.lo.toString(16).padStart(16, '0')}`, type: 'uint128', variablesReference: 0 });
    }
    return out;
  }
}

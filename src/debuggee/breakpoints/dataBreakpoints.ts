/**
 * The user's data breakpoints: a Go value (a variable from the Variables view,
 * or an expression's lvalue) watched by a hardware watchpoint on its first
 * aligned word, for writes or for any access. A hit is decided synchronously
 * on the accessing thread while the others run: the condition, the hit count
 * and hit condition, then the stop says what was accessed with the old and the
 * new value. Without a stop the thread simply goes on (the hardware trap comes
 * after the access: nothing to step over).
 *
 * Lifetimes: a global or a heap object is watched until the user removes the
 * breakpoint (the garbage collector never moves Go heap objects). A variable in
 * a goroutine's stack moves when the runtime copies the stack, and dies when
 * its frame returns: stackWatches.ts follows the one and ends the watch at the
 * other.
 */
import { underlying, type GoType } from '../../dwarf/goTypes.js';
import type { DebuggeeProcess, WatchSpec } from '../../process/process.js';
import { formatValue } from '../../values/format.js';
import type { Value } from '../../values/value.js';
import type { ValueReader } from '../../values/valueReader.js';
import { checkCondition } from './conditionCheck.js';
import type { HitHooks } from './hitEvaluation.js';
import { hitConditionHolds, parseHitCondition, type HitCondition } from './hitCondition.js';

export type DataAccess = 'write' | 'readWrite';

/** Where a watched stack variable lives, relative to its goroutine's stack (which may move). */
export interface StackHome {
  /** The goroutine (its g). */
  g: number;
  /** g.stack.hi minus the value's address: kept when the runtime copies the stack. */
  offset: number;
  /** g.stack.hi minus the CFA of the frame that owns the variable. */
  cfaOffset: number;
  /** Where that frame returns to. */
  returnAddr: number;
  funcName: string;
}

/** A value that can be watched, as dataBreakpointInfo found it. */
export interface WatchTarget {
  dataId: string;
  /** The expression or variable name the user knows it by. */
  expr: string;
  /** The value's address and type. */
  addr: number;
  type: GoType;
  /** The word the hardware watches: the value itself, or its first aligned word. */
  size: 1 | 2 | 4 | 8;
  /** What dataBreakpointInfo says about it. */
  description: string;
  stack?: StackHome;
}

export interface DataBreakpointSpec {
  dataId: string;
  accessType?: string;
  condition?: string;
  hitCondition?: string;
}

export interface DataBreakpoint {
  id: number;
  verified: boolean;
  message?: string;
  target?: WatchTarget;
  access: DataAccess;
  condition?: string;
  hitCondition?: HitCondition;
  hits: number;
  /** The hardware slot it holds while armed. */
  slot?: number;
  /** The value's bytes as last seen (at the set, then at each hit). */
  old?: Uint8Array;
  /** The first run-time failure of its condition (stopped once; the same failure again goes on). */
  conditionFailure?: string;
  /** Set by the hit that stops: what the stop says about this breakpoint. */
  stopNote?: string;
  /** The watched frame has returned: the watch is over. */
  ended?: boolean;
  /** Out of the hardware for a moment: its stack is being copied (stackWatches.ts). */
  suspended?: boolean;
}

/** What a data-breakpoint stop reports. */
export interface DataHit {
  ids: number[];
  description: string;
}

/** What the data breakpoints need of the program. */
export interface DataHost {
  process(): DebuggeeProcess | undefined;
  /** A value reader over the program's memory now (throws without DWARF). */
  reader(): ValueReader;
  hooks: HitHooks;
  /** The id the user sees for an OS thread. */
  idOfThread(tid: number): number;
  /** Runs `fn` with thread `tid` open to inspection while the others run. */
  examining<T>(tid: number, fn: () => T): T;
}

/** Ids of data breakpoints start here, apart from the other breakpoints' (which count from 1). */
export const DATA_BREAKPOINT_ID_BASE = 1 << 20;
/** Bytes of a watched value kept to show its old value (the watched word is always among them). */
const MAX_KEPT = 4096;

/** The word the hardware can watch for `size` bytes at `addr`: the largest aligned 8, 4, 2 or 1 bytes at its start. */
export function watchedWord(addr: number, size: number): 1 | 2 | 4 | 8 | undefined {
  for (const n of [8, 4, 2, 1] as const) if (n <= size && addr % n === 0) return n;
  return undefined;
}

export class DataBreakpoints {
  private readonly targets = new Map<string, WatchTarget>();
  private list: DataBreakpoint[] = [];
  private nextId = DATA_BREAKPOINT_ID_BASE;
  /** Called after the armed set changed (stackWatches.ts places its sites from it). */
  onArmed?: (armed: readonly DataBreakpoint[]) => void;

  constructor(private readonly host: DataHost) {}

  /** How many hardware watchpoints there are (0 when the process has none). */
  get capacity(): number {
    const p = this.host.process();
    return p?.setWatchpoints ? (p.watchSlots ?? 4) : 0;
  }

  /**
   * A value found by dataBreakpointInfo: the target, or why it cannot be
   * watched. `stack` when the value lives in a goroutine's stack frame.
   */
  target(expr: string, v: Value, stack?: StackHome): WatchTarget | { error: string } {
    if (this.capacity === 0) return { error: 'this process has no hardware watchpoints' };
    if (v.addr === undefined || v.computed || v.regs) return { error: `${expr} is not in memory (a register or a computed value): it cannot be watched` };
    if (v.type.size <= 0) return { error: `${expr} has no bytes to watch (its type's size is 0)` };
    const size = watchedWord(v.addr, v.type.size);
    if (!size) return { error: `${expr} cannot be watched` };
    const tname = v.type.name || underlying(v.type).name || 'value';
    const where = stack ? ` in the frame of ${stack.funcName} (until it returns)` : '';
    const description =
      size === v.type.size
        ? `${expr} (${tname}, ${size} bytes at 0x${v.addr.toString(16)})${where}`
        : `the first ${size} bytes of ${expr} (${tname} is ${v.type.size} bytes; the hardware watches at most 8 aligned bytes) at 0x${v.addr.toString(16)}${where}`;
    const dataId = `${expr}@0x${v.addr.toString(16)}/${size}${stack ? `/g0x${stack.g.toString(16)}` : ''}`;
    const t: WatchTarget = { dataId, expr, addr: v.addr, type: v.type, size, description, stack };
    this.targets.set(dataId, t);
    return t;
  }

  /** Every data breakpoint, in the order of the last setDataBreakpoints. */
  all(): readonly DataBreakpoint[] {
    return this.list;
  }

  /**
   * Replaces the data breakpoints. The first `capacity` valid ones get a
   * hardware slot; the rest answer unverified with the reason. A breakpoint
   * whose dataId, access and condition are unchanged keeps its id and hit count.
   */
  set(specs: readonly DataBreakpointSpec[]): DataBreakpoint[] {
    const old = this.list;
    const out: DataBreakpoint[] = [];
    let used = 0;
    const cap = this.capacity;
    for (const spec of specs) {
      const access: DataAccess = spec.accessType === 'readWrite' ? 'readWrite' : 'write';
      const bp: DataBreakpoint = { id: 0, verified: false, access, hits: 0, condition: spec.condition || undefined };
      const prev = old.find((o) => o.target?.dataId === spec.dataId && o.access === access && !out.includes(o));
      bp.id = prev?.id ?? this.nextId++;
      out.push(bp);
      // A breakpoint already set keeps its target: a stack variable may have moved since dataBreakpointInfo.
      const target = old.find((o) => o.target?.dataId === spec.dataId)?.target ?? this.targets.get(spec.dataId);
      if (!target) {
        bp.message = `Unknown data breakpoint "${spec.dataId}": ask dataBreakpointInfo for it at a stop of this session`;
        continue;
      }
      bp.target = target;
      if (spec.accessType === 'read') {
        bp.message = 'x86-64 debug registers watch writes, or reads and writes together: use "write" or "readWrite"';
        continue;
      }
      if (prev?.ended) {
        bp.ended = true;
        bp.message = `${target.expr} is gone: the frame of ${target.stack?.funcName} has returned`;
        continue;
      }
      const why = bp.condition ? checkCondition(bp.condition) : undefined;
      if (why) {
        bp.message = why;
        continue;
      }
      if (spec.hitCondition) {
        const hc = parseHitCondition(spec.hitCondition);
        if ('error' in hc) {
          bp.message = hc.error;
          continue;
        }
        bp.hitCondition = hc;
      }
      if (used >= cap) {
        bp.message = cap
          ? `Only ${cap} data breakpoints can be active at once (x86-64 has ${cap} debug address registers, DR0–DR${cap - 1}): remove one to set this one`
          : 'This process has no hardware watchpoints';
        continue;
      }
      bp.slot = used++;
      bp.verified = true;
      if (prev && prev.condition === bp.condition) bp.hits = prev.hits;
      bp.old = this.readBytes(target);
    }
    this.list = out;
    this.arm();
    return out;
  }

  /** Writes the armed watchpoints into the process (every thread). */
  arm(): void {
    const p = this.host.process();
    if (!p?.setWatchpoints || p.state === 'exited') return;
    const slots: (WatchSpec | undefined)[] = [];
    const armed = this.armed();
    for (const bp of armed) if (!bp.suspended) slots[bp.slot!] = { addr: bp.target!.addr, size: bp.target!.size, access: bp.access };
    p.setWatchpoints(slots);
    this.onArmed?.(armed);
  }

  /** The breakpoints that hold a hardware slot now. */
  armed(): DataBreakpoint[] {
    return this.list.filter((b) => b.verified && b.slot !== undefined && !b.ended);
  }

  /**
   * Hardware slots `slots` fired on `tid` (the program runs): the breakpoints
   * that want the stop, with what it says, or undefined to go on.
   */
  examine(tid: number, slots: readonly number[]): DataHit | undefined {
    const bps = this.armed().filter((b) => !b.suspended && slots.includes(b.slot!));
    if (!bps.length) return undefined;
    return this.host.examining(tid, () => this.decide(bps, tid));
  }

  private decide(bps: DataBreakpoint[], tid: number): DataHit | undefined {
    let id: number | undefined;
    const idOf = () => (id ??= this.host.idOfThread(tid));
    const stopping: DataBreakpoint[] = [];
    const notes: string[] = [];
    for (const bp of bps) {
      const now = this.readBytes(bp.target!);
      const before = bp.old;
      bp.old = now;
      bp.stopNote = undefined;
      if (bp.condition) {
        const c = this.conditionHolds(bp, idOf);
        if (c === false) continue;
        if (c === 'broken') {
          stopping.push(bp);
          notes.push(bp.stopNote!);
          continue;
        }
      }
      bp.hits++;
      if (bp.hitCondition && !hitConditionHolds(bp.hitCondition, bp.hits)) continue;
      stopping.push(bp);
      notes.push(this.change(bp.target!, bp.access, before, now));
    }
    if (!stopping.length) return undefined;
    return { ids: stopping.map((b) => b.id), description: notes.join('\n') };
  }

  private conditionHolds(bp: DataBreakpoint, idOf: () => number): boolean | 'broken' {
    const ev = this.host.hooks.conditionEvaluator;
    if (!ev) return true;
    try {
      return ev(bp.condition!, idOf());
    } catch (e) {
      const why = (e as Error).message;
      if (bp.conditionFailure === why) return false;
      bp.conditionFailure = why;
      bp.stopNote = `Data breakpoint ${bp.id}: condition "${bp.condition}" failed: ${why}. Stopped once; later hits where it fails the same way will not stop.`;
      this.host.hooks.console(`${bp.stopNote}\n`);
      return 'broken';
    }
  }

  /** "x changed from 1 to 2", or what an access that changed nothing left. */
  private change(t: WatchTarget, access: DataAccess, before: Uint8Array | undefined, now: Uint8Array | undefined): string {
    const fmt = (b: Uint8Array | undefined) => (b ? this.format(t.type, b) : '<unreadable>');
    if (before && now && !sameBytes(before, now)) return `${t.expr} changed from ${fmt(before)} to ${fmt(now)}`;
    const what = access === 'write' ? 'written' : 'read or written';
    return `${t.expr} ${what}: ${fmt(now)} (unchanged)`;
  }

  private format(type: GoType, bytes: Uint8Array): string {
    try {
      const v: Value = bytes.length >= type.size ? { type, bytes } : { type, error: 'too large to keep' };
      return formatValue(this.host.reader(), v, { depth: 1, maxLength: 200, maxString: 64 });
    } catch (e) {
      return `<${(e as Error).message}>`;
    }
  }

  /** The value's bytes now (at most MAX_KEPT of them), undefined when unreadable. */
  private readBytes(t: WatchTarget): Uint8Array | undefined {
    const p = this.host.process();
    if (!p) return undefined;
    const out = new Uint8Array(Math.min(t.type.size, MAX_KEPT));
    return p.readInto(t.addr, out) === out.length ? out : undefined;
  }

  /** A watched stack variable moved with its stack (runtime.copystack): its slot now watches `addr`. */
  moved(bp: DataBreakpoint, addr: number): void {
    const t = bp.target!;
    bp.target = { ...t, addr };
    this.targets.set(t.dataId, bp.target);
  }

  /** The program's memory was written by us (setVariable, writeMemory): the next hit's old value is what is there now. */
  refresh(): void {
    for (const bp of this.armed()) bp.old = this.readBytes(bp.target!);
  }

  /** The frame of a watched stack variable returned: the watch ends, and the console says so. */
  end(bp: DataBreakpoint): void {
    bp.ended = true;
    bp.slot = undefined;
    const t = bp.target!;
    this.host.hooks.console(
      `Data breakpoint ${bp.id} (${t.expr}) ended: the frame of ${t.stack?.funcName ?? 'its function'} returned, so the variable no longer exists.\n`,
    );
  }

  /** The program is gone: nothing is armed any more. */
  reset(): void {
    this.targets.clear();
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Synthetic Go values for warming the value, format and expression paths
 * while the program runs to its first stop. V8 compiles a function on its
 * first call and runs it in the interpreter until it has been called often:
 * measured on testdata/benchstruct (Go 1.26, bundled adapter, 2 loaded
 * cores), the first `evaluate` of `t.B.A.B.A.N` spent 4–6 ms in the handler
 * and the second 0.4–1.4 ms; the first page of 100 ints 4 ms, the next ones
 * under 1 ms. Running the same code on values made here moves that cost to
 * a moment the user does not wait on.
 *
 * Nothing here reads the program or its DWARF: the types are decoded from
 * DIEs made here (syntheticTypes.ts), every byte lives in the reader's synthetic memory (ValueReader.synthesize),
 * the reader's memory answers nothing and its DWARF throws on any use.
 */
import type { Dwarf } from '../../dwarf/dwarf.js';
import { underlying, type GoType } from '../../dwarf/goTypes.js';
import { evaluate, type EvalScope } from '../../eval/evaluator.js';
import type { MemoryReader } from '../../process/memory.js';
import { childCounts, childrenOf } from '../../values/children.js';
import { formatValue } from '../../values/format.js';
import { frameScope, type FrameVariable } from '../../values/locations.js';
import type { Value } from '../../values/value.js';
import { ValueReader } from '../../values/valueReader.js';
import type { Program } from '../program.js';
import { frameInfo } from '../stack/frames.js';
import type { FrameRef } from './inspector.js';
import type { NamedValue } from './namedValues.js';
import { syntheticTypes } from './syntheticTypes.js';

/** Memory that has no byte: a synthetic value never reaches the program. */
const NO_MEMORY: MemoryReader = { readInto: () => 0 };

/** A Dwarf that throws on any use: a warm-up path that would decode the program's DWARF fails instead. */
const NO_DWARF = new Proxy(
  {},
  {
    get(_t, key) {
      throw new Error(`warm-up reached the program's DWARF (${String(key)})`);
    },
  },
) as Dwarf;

/** A reader of synthetic values only. */
export function warmReader(): ValueReader {
  return new ValueReader({ mem: NO_MEMORY, dwarf: NO_DWARF, funcName: () => undefined });
}

/** Elements of the synthetic slice: one page of the Variables view. */
const SLICE_LEN = 100;

class Bytes {
  readonly b: Uint8Array;
  private readonly dv: DataView;
  constructor(size: number) {
    this.b = new Uint8Array(size);
    this.dv = new DataView(this.b.buffer);
  }
  word(off: number, n: number): void {
    this.dv.setBigUint64(off, BigInt(n), true);
  }
  float(off: number, x: number): void {
    this.dv.setFloat64(off, x, true);
  }
}

function putString(r: ValueReader, out: Bytes, off: number, text: string): void {
  const bytes = new TextEncoder().encode(text);
  out.word(off, r.synthesize(bytes));
  out.word(off + 8, bytes.length);
}

function leafBytes(r: ValueReader, out: Bytes, off: number, name: string, n: number): void {
  putString(r, out, off, name);
  out.word(off + 16, n);
  out.float(off + 24, n / 2);
  putString(r, out, off + 32, `${name}/0`);
  putString(r, out, off + 48, `${name} "1"\n`);
  out.b[off + 64] = n & 1;
}

/** The values the warm-up shows: a struct tree with strings, floats, an array, a pointer and a slice; the slice alone; an int. */
export function warmSamples(r: ValueReader): NamedValue[] {
  const ints = new Bytes(SLICE_LEN * 8);
  for (let i = 0; i < SLICE_LEN; i++) ints.word(i * 8, i * 7);
  const data = r.synthesize(ints.b);
  const t = syntheticTypes();
  const leaf = new Bytes(t.leaf.size);
  leafBytes(r, leaf, 0, 'w.P', 3);
  const node = new Bytes(t.node.size);
  putString(r, node, 0, 'w');
  leafBytes(r, node, 16, 'w.A', 0);
  leafBytes(r, node, 88, 'w.B', 1);
  node.word(160, r.synthesize(leaf.b));
  node.word(168, data);
  node.word(176, SLICE_LEN);
  node.word(184, SLICE_LEN);
  const header = new Bytes(24);
  header.word(0, data);
  header.word(8, SLICE_LEN);
  header.word(16, SLICE_LEN);
  const n = new Bytes(8);
  n.word(0, 42);
  const named = (name: string, type: GoType, bytes: Uint8Array): NamedValue => ({ name, evalName: name, value: { type, addr: r.synthesize(bytes) } });
  return [named('w', t.node, node.b), named('s', t.ints, header.b), named('n', t.int, n.b)];
}

/** Expressions of the kinds a watch or a hover asks first: selectors, indexes, dereferences, arithmetic. */
export const WARM_EXPRESSIONS = ['w.A.N', 'w.B.Name', 'w.P.Ratio', '*w.P', 'w.A.Tags[1]', 's[3]', 'w.S[99]', 'n + 1', 'n * 2 - w.B.N', 'n == 42'];

/** The values of `exprs` over `samples` (an expression that fails is left out). */
export function warmEvaluate(r: ValueReader, samples: NamedValue[], exprs: readonly string[] = WARM_EXPRESSIONS): Value[] {
  const byName = new Map(samples.map((s) => [s.name, s.value]));
  const scope: EvalScope = { reader: r, dwarf: r.dwarf, pkg: 'warmup', local: (name) => byName.get(name) };
  const out: Value[] = [];
  for (const e of exprs) {
    try {
      const res = evaluate(scope, e);
      if (res.k === 'val') out.push(res.v);
    } catch {
      /* a path that needs the program: not warmed */
    }
  }
  return out;
}

/** The value layer alone: formats, counts and pages of children, as the Variables view asks for them. */
export function warmValues(r: ValueReader, samples: NamedValue[]): void {
  for (const s of samples) {
    formatValue(r, s.value);
    formatValue(r, s.value, { hex: true });
    childCounts(r, s.value);
    for (const c of childrenOf(r, s.value, s.evalName, {}, {})) {
      formatValue(r, c.value);
      childCounts(r, c.value);
    }
    childrenOf(r, s.value, s.evalName, { start: 10, count: 20, filter: 'indexed' }, {});
  }
}

/** Levels of parts decoded below a variable's type: a watch like `t.B.A.B.A.N` selects five deep. */
const TYPE_DEPTH = 6;
/** At most this many types decoded per warm-up. */
const MAX_TYPES = 400;
/**
 * And for at most this long: in a frame of the Go compiler
 * (ssagen.buildssa, four variables) the walk without it decoded 400 types
 * in 214 ms, far more than showing the locals reads.
 */
const BUDGET_MS = 2;
const warmedScopes = new WeakSet<readonly FrameVariable[]>();

/**
 * Decodes the types of `vars` and of their parts (fields, elements, targets)
 * breadth first, a few levels down and for about 2 ms, as showing or
 * selecting into them will: measured on testdata/benchstruct, the first
 * `evaluate` of `t.B.A.B.A.N` spent 2 of its 3 ms decoding the type DIEs of
 * t. A type that fails to decode is left for the request to report.
 */
export function warmTypes(dw: Dwarf, vars: readonly FrameVariable[]): void {
  // frameScope keeps one list per PC: a PC stopped at again has its types decoded already.
  if (warmedScopes.has(vars)) return;
  warmedScopes.add(vars);
  const until = performance.now() + BUDGET_MS;
  const seen = new Set<GoType>();
  // Each part's type is decoded when its turn comes (a field's type is decoded on first use), so the clock is read between any two.
  let level: (() => GoType)[] = vars.map((v) => () => dw.type(v.dwarf.typeOffset));
  for (let depth = 0; depth < TYPE_DEPTH && level.length; depth++) {
    const next: (() => GoType)[] = [];
    for (const part of level) {
      if (seen.size >= MAX_TYPES || performance.now() > until) return;
      try {
        const t = part();
        if (seen.has(t)) continue;
        seen.add(t);
        const u = underlying(t);
        if (u.kind === 'struct') for (const f of u.fields) next.push(() => f.type);
        else if (u.kind === 'pointer' || u.kind === 'slice' || u.kind === 'array') next.push(() => u.elem);
        else if (u.kind === 'map')
          next.push(
            () => u.key,
            () => u.elem,
          );
      } catch {
        /* reported when the variable or part is shown */
      }
    }
    level = next;
  }
}

/** Variables of the stopped frame read at a stop (the first one always, the others within STOP_BUDGET_MS), fields selected at most this deep below each. */
const STOP_VARS = 3;
const STOP_DEPTH = 6;
const STOP_BUDGET_MS = 1;

const SELECTABLE: ReadonlySet<string> = new Set(['int', 'uint', 'float', 'bool', 'struct']);

/** A Go identifier's first character (what the lexer takes as one); compiler-made names (`~r0`, `.dict`) are not. */
function startsIdentifier(name: string): boolean {
  const c = name.charCodeAt(0);
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

/**
 * The expression a watch of `name` (of type `t`) would most likely ask first:
 * selectors down struct fields to a number or a boolean, which reads nothing
 * but the variable's own bytes. Undefined when there is none.
 */
export function scalarPath(name: string, t: GoType): string | undefined {
  if (!startsIdentifier(name)) return undefined;
  let path = name;
  let cur = t;
  for (let depth = 0; depth <= STOP_DEPTH; depth++) {
    const u = underlying(cur);
    if (u.kind === 'int' || u.kind === 'uint' || u.kind === 'float' || u.kind === 'bool') return path;
    if (u.kind !== 'struct' || depth === STOP_DEPTH) return undefined;
    const next = u.fields.find((f) => !f.embedded && startsIdentifier(f.name) && f.name !== '_' && SELECTABLE.has(underlying(f.type).kind));
    if (!next) return undefined;
    path = `${path}.${next.name}`;
    cur = next.type;
  }
  return undefined;
}

/**
 * At a stop, before the client's first request about it: evaluates in frame
 * 0 of thread id `id` a field path of its first few variables (scalarPath)
 * with `evaluate`, the request's own (as a hover: no function is called, and
 * a number or boolean has no children to make a handle for). That reads the
 * frame's stack page into this stop's reader, resolves the frame's scope and
 * runs the location, selector and format code on the program's own types:
 * measured on testdata/benchstruct's tree stopped in a loop (Go 1.26, 2 cores
 * under a load of 6 to 17), the first watch of `t.B.A.B.A.N` then took
 * 0.31–0.59 ms from its arrival to its answer, 0.85–1.2 ms without.
 */
export function warmStop(program: Program, evaluate: (expr: string, ref: FrameRef) => void, id: number): void {
  try {
    const dw = program.symbols.dwarf;
    if (!dw || program.running || program.exited) return;
    const f = frameInfo(program, id, 0);
    const s = f && frameScope(dw, f);
    if (!s) return;
    const ref = { tid: id, index: 0 };
    // The frame and its scope are what the first request needs anyway: the clock starts after them.
    const until = performance.now() + STOP_BUDGET_MS;
    let n = 0;
    for (const v of s.vars) {
      if (n >= STOP_VARS || (n > 0 && performance.now() > until)) return;
      if (v.dwarf.shadowed) continue;
      let expr: string | undefined;
      try {
        expr = scalarPath(v.name, dw.type(v.dwarf.typeOffset));
      } catch {
        continue;
      }
      if (!expr) continue;
      n++;
      try {
        evaluate(expr, ref);
      } catch {
        /* reported when asked */
      }
    }
  } catch {
    /* nothing to warm: no frame, no Go code there, or the program moved on */
  }
}

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
import type { FrameVariable } from '../../values/locations.js';
import type { Value } from '../../values/value.js';
import { ValueReader } from '../../values/valueReader.js';
import type { NamedValue } from './namedValues.js';
import { MAP_LAYOUT, syntheticTypes } from './syntheticTypes.js';

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

/** The values the warm-up shows: a struct tree with strings, floats, an array, a pointer and a slice; the slice alone; an int; a map[int]int. */
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
  const m = new Bytes(8);
  m.word(0, intMapHeader(r));
  const named = (name: string, type: GoType, bytes: Uint8Array): NamedValue => ({ name, evalName: name, value: { type, addr: r.synthesize(bytes) } });
  return [named('w', t.node, node.b), named('s', t.ints, header.b), named('n', t.int, n.b), named('m', t.intMap, m.b)];
}

/** Groups of the synthetic map's one table: 7 entries each (k → 2k), the eighth slot empty. */
const MAP_GROUPS = 16;

/** A map[int]int of 112 entries in one Swiss table, as Go 1.24+ lays it out: the address of its header. */
function intMapHeader(r: ValueReader): number {
  const lay = MAP_LAYOUT;
  const groups = new Bytes(MAP_GROUPS * lay.group);
  let used = 0;
  for (let g = 0; g < MAP_GROUPS; g++) {
    const at = g * lay.group;
    for (let i = 0; i < lay.slots; i++) {
      // A used slot's control byte holds 7 bits of its hash; 0x80 marks an empty one.
      groups.b[at + i] = i < lay.slots - 1 ? (g * 13 + i) & 0x7f : 0x80;
      if (i === lay.slots - 1) continue;
      const k = g * (lay.slots - 1) + i;
      groups.word(at + 8 + i * lay.slot, k);
      groups.word(at + 8 + i * lay.slot + 8, 2 * k);
      used++;
    }
  }
  const table = new Bytes(lay.table);
  table.word(16, r.synthesize(groups.b));
  table.word(24, MAP_GROUPS - 1);
  const dir = new Bytes(8);
  dir.word(0, r.synthesize(table.b));
  const header = new Bytes(lay.header);
  header.word(0, used);
  header.word(16, r.synthesize(dir.b));
  header.word(24, 1);
  return r.synthesize(header.b);
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

/**
 * Goroutines, read from the runtime's own tables of a stopped program:
 * `runtime.allgs` (every g), `runtime.allm` (every M with the OS thread id in
 * m.procid and the goroutine it runs in m.curg), g.sched for parked ones.
 */
import type { RuntimeLayout } from '../runtimeLayout.js';
import type { MemoryReader } from '../../process/memory.js';
import { visitBlocks } from '../stack/blockReads.js';

export const G_STATUS = {
  idle: 0,
  runnable: 1,
  running: 2,
  syscall: 3,
  waiting: 4,
  dead: 6,
  copystack: 8,
  preempted: 9,
} as const;
const SCAN_BIT = 0x1000;

const STATUS_NAMES: Record<number, string> = {
  0: 'idle',
  1: 'runnable',
  2: 'running',
  3: 'syscall',
  4: 'waiting',
  6: 'dead',
  8: 'copystack',
  9: 'preempted',
};

export interface Goroutine {
  id: number;
  /** Address of the runtime.g. */
  g: number;
  status: number;
  statusName: string;
  waitReason?: string;
  /** Saved context (g.sched): where a parked goroutine resumes. */
  pc: number;
  sp: number;
  bp: number;
  syscallSP?: number;
  syscallPC?: number;
  /** The M running it (0 when parked). */
  m: number;
  /** OS thread running it, when it is on one. */
  tid?: number;
  startPC: number;
  goPC: number;
  stackLo: number;
  stackHi: number;
  /** Address of the pprof label set, 0 when none. */
  labels: number;
}

class Bytes {
  readonly dv: DataView;
  constructor(readonly b: Uint8Array) {
    this.dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  }
  u64(off: number): number {
    const hi = this.dv.getUint32(off + 4, true);
    return hi >= 0x200000 ? 0 : hi * 0x100000000 + this.dv.getUint32(off, true);
  }
  u32(off: number): number {
    return this.dv.getUint32(off, true);
  }
  u8(off: number): number {
    return this.dv.getUint8(off);
  }
}

function read(mem: MemoryReader, addr: number, len: number): Bytes | undefined {
  const out = new Uint8Array(len);
  return mem.readInto(addr, out) === len ? new Bytes(out) : undefined;
}

/**
 * The runtime's wait-reason strings (static data), each read when a goroutine
 * first shows it: the whole table is one read per string (50 in Go 1.26), 0.4–1 ms
 * of the first thread list of a program, which shows a handful of them.
 */
export class WaitReasons {
  /** Each string's pointer and length (null: the table is unreadable). */
  private header?: Bytes | null;
  private readonly texts: (string | undefined)[] = [];
  private readonly decoder = new TextDecoder();

  constructor(private readonly layout: RuntimeLayout) {}

  /** The text of wait reason `i`, '' when the program has none or it cannot be read. */
  at(mem: MemoryReader, i: number): string {
    let s = this.texts[i];
    if (s === undefined) {
      s = this.read(mem, i);
      if (i >= 0 && i < 256) this.texts[i] = s;
    }
    return s;
  }

  private read(mem: MemoryReader, i: number): string {
    const w = this.layout.waitReasonStrings;
    if (!w || w.count <= 0 || w.count > 256 || i < 0 || i >= w.count) return '';
    if (this.header === undefined) this.header = read(mem, w.addr, w.count * 16) ?? null;
    if (!this.header) return '';
    const p = this.header.u64(i * 16);
    const n = this.header.u64(i * 16 + 8);
    const b = p && n > 0 && n < 256 ? read(mem, p, n) : undefined;
    return b ? this.decoder.decode(b.b) : '';
  }
}

/** thread id → the goroutine (g address) that thread is running, from runtime.allm. */
export function threadGoroutines(mem: MemoryReader, layout: RuntimeLayout): Map<number, number> {
  const out = new Map<number, number>();
  if (layout.allm === undefined) return out;
  const head = read(mem, layout.allm, 8);
  let m = head ? head.u64(0) : 0;
  for (let guard = 0; m && guard < 100_000; guard++) {
    const mb = read(mem, m, layout.m.size);
    if (!mb) break;
    const procid = mb.u64(layout.m.procid);
    const curg = mb.u64(layout.m.curg);
    if (procid) out.set(procid, curg);
    m = mb.u64(layout.m.alllink);
  }
  return out;
}

/** Every goroutine that is not dead, in allgs order. */
export function readGoroutines(mem: MemoryReader, layout: RuntimeLayout, waitReasons: (i: number) => string, threads: Map<number, number>): Goroutine[] {
  const hdr = read(mem, layout.allgs, 16);
  if (!hdr) return [];
  const ptr = hdr.u64(0);
  const len = hdr.u64(8);
  if (!ptr || len <= 0 || len > 50_000_000) return [];
  const ptrs = read(mem, ptr, len * 8);
  if (!ptrs) return [];
  const byG = new Map<number, number>();
  for (const [tid, g] of threads) if (g) byG.set(g, tid);
  const L = layout.g;
  const out: Goroutine[] = [];
  const gs: number[] = [];
  for (let i = 0; i < len; i++) {
    const g = ptrs.u64(i * 8);
    if (g) gs.push(g);
  }
  // Every g in a few ranges when the reader can batch reads, one read each otherwise;
  // fields are read in place (no copy or view per g: there can be millions).
  const parsed: (Goroutine | undefined)[] = new Array(gs.length);
  const cols = new Float64Array(gs.length * COLUMNS);
  let view: Bytes | undefined;
  const parse = (i: number, bytes: Uint8Array, at: number) => {
    if (view?.b !== bytes) view = new Bytes(bytes);
    parsed[i] = parseG(view, at, gs[i]!, L, waitReasons, byG, cols, i);
  };
  if (mem.readMany) {
    visitBlocks(mem, gs, L.size, parse);
  } else {
    const single = new Uint8Array(L.size);
    gs.forEach((g, i) => {
      if (mem.readInto(g, single) === L.size) parse(i, single, 0);
    });
  }
  for (const g of parsed) if (g) out.push(g);
  return out;
}

/** The g at bytes[at…] as goroutine `k` of `cols`, unless unreadable (zeroed), never started, dead or idle. */
function parseG(
  gb: Bytes,
  at: number,
  g: number,
  L: RuntimeLayout['g'],
  waitReasons: (i: number) => string,
  byG: Map<number, number>,
  cols: Float64Array,
  k: number,
): Goroutine | undefined {
  if (gb.u64(at + L.stackHi) === 0) return undefined;
  const raw = gb.u32(at + L.atomicstatus);
  const status = raw & ~SCAN_BIT;
  if (status === G_STATUS.dead || status === G_STATUS.idle) return undefined;
  const wr = gb.u8(at + L.waitreason);
  const c = k * COLUMNS;
  cols[c + COL.g] = g;
  cols[c + COL.pc] = gb.u64(at + L.schedPC);
  cols[c + COL.sp] = gb.u64(at + L.schedSP);
  cols[c + COL.bp] = gb.u64(at + L.schedBP);
  cols[c + COL.syscallSP] = L.syscallSP !== undefined ? gb.u64(at + L.syscallSP) : Number.NaN;
  cols[c + COL.syscallPC] = L.syscallPC !== undefined ? gb.u64(at + L.syscallPC) : Number.NaN;
  cols[c + COL.m] = gb.u64(at + L.m);
  cols[c + COL.startPC] = gb.u64(at + L.startpc);
  cols[c + COL.goPC] = gb.u64(at + L.gopc);
  cols[c + COL.stackLo] = gb.u64(at + L.stackLo);
  cols[c + COL.stackHi] = gb.u64(at + L.stackHi);
  cols[c + COL.labels] = L.labels !== undefined ? gb.u64(at + L.labels) : 0;
  return new TableGoroutine(
    cols,
    c,
    gb.u64(at + L.goid),
    status,
    STATUS_NAMES[status] ?? `status ${status}`,
    status === G_STATUS.waiting && wr > 0 ? waitReasons(wr) || `wait reason ${wr}` : undefined,
    byG.get(g),
  );
}

/** Where each address field of a goroutine sits in its row of the table's columns. */
const COL = { g: 0, pc: 1, sp: 2, bp: 3, syscallSP: 4, syscallPC: 5, m: 6, startPC: 7, goPC: 8, stackLo: 9, stackHi: 10, labels: 11 } as const;
const COLUMNS = 12;

/**
 * A goroutine of a table read from allgs: its addresses in the table's columns
 * (a Float64Array, 12 numbers a goroutine). As fields of an object each address
 * above 2^31 was a boxed number of its own: the parsed table of 100,000 goroutines
 * held 38 MB (≈ 380 bytes each) for the young generation to copy, now ≈ 10 MB.
 */
class TableGoroutine implements Goroutine {
  constructor(
    private readonly cols: Float64Array,
    private readonly row: number,
    readonly id: number,
    readonly status: number,
    readonly statusName: string,
    readonly waitReason: string | undefined,
    readonly tid: number | undefined,
  ) {}
  get g(): number {
    return this.cols[this.row + COL.g]!;
  }
  get pc(): number {
    return this.cols[this.row + COL.pc]!;
  }
  get sp(): number {
    return this.cols[this.row + COL.sp]!;
  }
  get bp(): number {
    return this.cols[this.row + COL.bp]!;
  }
  get syscallSP(): number | undefined {
    const v = this.cols[this.row + COL.syscallSP]!;
    return Number.isNaN(v) ? undefined : v;
  }
  get syscallPC(): number | undefined {
    const v = this.cols[this.row + COL.syscallPC]!;
    return Number.isNaN(v) ? undefined : v;
  }
  get m(): number {
    return this.cols[this.row + COL.m]!;
  }
  get startPC(): number {
    return this.cols[this.row + COL.startPC]!;
  }
  get goPC(): number {
    return this.cols[this.row + COL.goPC]!;
  }
  get stackLo(): number {
    return this.cols[this.row + COL.stackLo]!;
  }
  get stackHi(): number {
    return this.cols[this.row + COL.stackHi]!;
  }
  get labels(): number {
    return this.cols[this.row + COL.labels]!;
  }
}

/** The pprof labels of a goroutine (key → value), empty when none or unreadable. */
export function readLabels(mem: MemoryReader, layout: RuntimeLayout, labelsPtr: number): [string, string][] {
  const L = layout.labels;
  if (!L || !labelsPtr) return [];
  const hdr = read(mem, labelsPtr + L.listOffset, 16);
  if (!hdr) return [];
  const ptr = hdr.u64(0);
  const len = hdr.u64(8);
  if (!ptr || len <= 0 || len > 64) return [];
  const items = read(mem, ptr, len * L.elemSize);
  if (!items) return [];
  const dec = new TextDecoder();
  const str = (off: number): string | undefined => {
    const p = items.u64(off);
    const n = items.u64(off + 8);
    if (n === 0) return '';
    const b = p && n < 4096 ? read(mem, p, n) : undefined;
    return b && dec.decode(b.b);
  };
  const out: [string, string][] = [];
  for (let i = 0; i < len; i++) {
    const k = str(i * L.elemSize + L.keyOffset);
    const v = str(i * L.elemSize + L.valueOffset);
    if (k !== undefined && v !== undefined) out.push([k, v]);
  }
  return out;
}

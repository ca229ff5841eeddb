/**
 * Data breakpoints on variables in a goroutine's stack. Two things happen to
 * such a variable that never happen to a global or a heap object:
 *
 *  - the runtime moves it: when a goroutine's stack grows or shrinks,
 *    runtime.copystack(gp, newsize) copies every frame to a new stack and
 *    sets gp.stack; each frame keeps its distance from gp.stack.hi. So a watch
 *    remembers that distance; an int3 at copystack's entry (gp in RAX, the
 *    register ABI) takes the watch out of the hardware while the old stack is
 *    copied and freed, and one at the return address copystack was called
 *    with (hit with the SP just above it) puts it back at gp.stack.hi minus
 *    the distance;
 *  - its frame returns: an int3 at the frame's return address, hit by the same
 *    goroutine (R14) with the SP at the frame's CFA, ends the watch with a
 *    console note (a deeper activation of the same function returns there with
 *    a smaller CFA, and does not count). A frame left by a panic never
 *    returns there: its watch stays until the user removes it.
 *
 * Every int3 here belongs to the owner 'watch' of the SiteTable; each hit is
 * decided on the hit path and never stops the program by itself.
 */
import { readWord } from '../../process/memory.js';
import type { Registers } from '../../process/registers.js';
import type { StackHi } from '../stepping/stepTarget.js';
import type { SymbolTable } from '../symbolTable.js';
import type { DataBreakpoint, DataBreakpoints, StackHome } from './dataBreakpoints.js';
import type { SiteTable } from './siteTable.js';
import type { DebuggeeProcess } from '../../process/process.js';
import type { Value } from '../../values/value.js';
import type { Program } from '../program.js';
import { frameInfo } from '../stack/frames.js';
import type { MemoryReader } from '../../process/memory.js';

export interface StackWatchHost {
  sites: SiteTable;
  symbols: SymbolTable;
  stackHi: StackHi;
  mem(): MemoryReader | undefined;
}

/** A copystack call in flight for a watched goroutine: where it returns, with which SP. */
interface Copy {
  g: number;
  sp: number;
}

export class StackWatches {
  /** copystack calls in flight, by the return address they were called with. */
  private readonly copies = new Map<number, Copy[]>();
  private watched: DataBreakpoint[] = [];

  constructor(
    private readonly data: DataBreakpoints,
    private readonly host: StackWatchHost,
  ) {
    data.onArmed = (armed) => this.update(armed);
  }

  /** Places the int3s the armed stack watches need, and removes those no longer needed. */
  private update(armed: readonly DataBreakpoint[]): void {
    this.watched = armed.filter((b) => b.target?.stack);
    const want = new Set<number>();
    for (const bp of this.watched) want.add(bp.target!.stack!.returnAddr);
    const copy = this.copystackEntry();
    if (this.watched.length && copy !== undefined) want.add(copy);
    for (const addr of this.copies.keys()) want.add(addr);
    const sites = this.host.sites;
    for (const addr of this.placed) if (!want.has(addr)) sites.delete(addr, 'watch');
    for (const addr of want) if (!this.placed.has(addr)) sites.add(addr, 'watch');
    this.placed = want;
  }
  private placed = new Set<number>();

  private copystackEntry(): number | undefined {
    return this.host.symbols.funcByName('runtime.copystack')?.entry;
  }

  /** A 'watch' int3 at `addr` was hit by `tid` (registers `regs`) while the program runs. */
  onSite(addr: number, regs: Registers): void {
    let changed = false;
    if (addr === this.copystackEntry()) changed = this.copyStarts(regs) || changed;
    const copies = this.copies.get(addr);
    if (copies) changed = this.copyEnds(addr, copies, regs) || changed;
    for (const bp of this.watched) {
      const home = bp.target!.stack!;
      if (home.returnAddr !== addr || regs.r14 !== home.g || bp.suspended) continue;
      const hi = this.host.stackHi(home.g);
      if (hi === undefined || regs.sp !== hi - home.cfaOffset) continue;
      this.data.end(bp);
      changed = true;
    }
    if (changed) this.data.arm();
  }

  /** copystack(gp, …) begins for a watched goroutine: out of the hardware until it returns. */
  private copyStarts(regs: Registers): boolean {
    const g = Number(regs.get('rax'));
    const bps = this.watched.filter((b) => b.target!.stack!.g === g);
    const mem = this.host.mem();
    if (!bps.length || !mem) return false;
    const ret = readWord(mem, regs.sp);
    if (ret === undefined) return false;
    const list = this.copies.get(ret) ?? [];
    list.push({ g, sp: regs.sp + 8 });
    this.copies.set(ret, list);
    for (const bp of bps) bp.suspended = true;
    return true;
  }

  /** copystack returned (SP back above its return address): the watches of its goroutine move to the new stack. */
  private copyEnds(addr: number, copies: Copy[], regs: Registers): boolean {
    const k = copies.findIndex((c) => c.sp === regs.sp);
    if (k < 0) return false;
    const { g } = copies[k]!;
    copies.splice(k, 1);
    if (!copies.length) this.copies.delete(addr);
    const hi = this.host.stackHi(g);
    for (const bp of this.watched) {
      const home = bp.target!.stack!;
      if (home.g !== g) continue;
      bp.suspended = false;
      if (hi !== undefined) this.data.moved(bp, hi - home.offset);
    }
    return true;
  }
}

/**
 * Where `addr` lives if it is in goroutine `g`'s stack: the innermost frame
 * whose CFA is above it owns it (a register argument's spill slot is in its
 * caller's frame, so it is watched until the caller returns). `frames(i)` is
 * the goroutine's logical frame i; inlined frames share their function's CFA,
 * and the one that returns is the outermost of them. Undefined off the stack.
 */
export function stackHomeOf(
  addr: number,
  g: number,
  stack: { lo: number; hi: number },
  mem: MemoryReader,
  frames: (i: number) => { cfa: number; funcName: string } | undefined,
): StackHome | undefined {
  const lo = readWord(mem, g + stack.lo);
  const hi = readWord(mem, g + stack.hi);
  if (lo === undefined || hi === undefined || addr < lo || addr >= hi) return undefined;
  for (let i = 0; i < 100_000; i++) {
    const f = frames(i);
    if (!f) return undefined;
    if (f.cfa <= addr) continue;
    let name = f.funcName;
    for (let k = i + 1; ; k++) {
      const outer = frames(k);
      if (!outer || outer.cfa !== f.cfa) break;
      name = outer.funcName;
    }
    const returnAddr = readWord(mem, f.cfa - 8);
    if (returnAddr === undefined) return undefined;
    return { g, offset: hi - addr, cfaOffset: hi - f.cfa, returnAddr, funcName: name };
  }
  return undefined;
}

/** Where a data breakpoint on `v` (found in goroutine `id`) lives when it is in that goroutine's stack. */
export function watchHome(p: Program, inf: DebuggeeProcess, v: Value, id: number): StackHome | undefined {
  const L = p.view.layout();
  if (v.addr === undefined || !L) return undefined;
  const { tid, g } = p.view.resolve(id);
  const gp = g?.g ?? (tid !== undefined ? inf.getRegs(tid).r14 : undefined);
  return gp ? stackHomeOf(v.addr, gp, { lo: L.g.stackLo, hi: L.g.stackHi }, inf, (i) => frameInfo(p, id, i)) : undefined;
}

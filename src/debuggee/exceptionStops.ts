/**
 * Which exception stops are wanted ("Unrecovered panics", "Fatal errors") and
 * what the hit path does at the runtime's panic and fatal-error sites: it
 * notes the value given to panic() by goroutine (reported if the panic is not
 * recovered) and says when a hit is an exception stop. See exceptions.ts for
 * the sites and for reading the value or message. The panic filter may have a
 * condition on the panic value (panicCondition.ts): an unrecovered panic for
 * which it does not hold goes on to end the program, unstopped.
 */
import type { MemoryReader } from '../process/memory.js';
import type { Registers } from '../process/registers.js';
import type { SiteOwner, SiteTable } from './breakpoints/siteTable.js';
import {
  describeException,
  exceptionSites,
  raisedValue,
  type DescribeContext,
  type ExceptionDetails,
  type ExceptionKind,
  type ExceptionSite,
  type RaisedValue,
} from './exceptions.js';
import type { PanicCondition } from './panicCondition.js';
import type { SymbolTable } from './symbolTable.js';

export class ExceptionStops {
  private sites: ExceptionSite[];
  private kinds = new Set<ExceptionKind>(['panic', 'fatal']);
  /** Panic values as raised, by goroutine (g pointer). */
  private readonly raised = new Map<number, RaisedValue>();

  private panicCondition?: PanicCondition;

  constructor(
    private symbols: SymbolTable,
    private readonly table: SiteTable,
    /** The program's memory, for the panic filter's condition. */
    private readonly mem?: () => MemoryReader | undefined,
  ) {
    this.sites = exceptionSites(symbols);
    this.apply();
  }

  /** Finds the sites again after the symbols moved to a process's addresses (SymbolTable.relocate). */
  relocate(symbols: SymbolTable): void {
    for (const s of this.sites) this.table.delete(s.addr, s.kind);
    this.symbols = symbols;
    this.sites = exceptionSites(symbols);
    this.apply();
  }

  /** Sets the wanted kinds (and the panic filter's condition, already parsed); the int3s of the others are removed. */
  setFilters(kinds: ExceptionKind[], panicCondition?: PanicCondition): void {
    this.kinds = new Set(kinds);
    this.panicCondition = panicCondition;
    this.apply();
  }

  wants(kind: ExceptionKind): boolean {
    return this.kinds.has(kind);
  }

  private apply(): void {
    for (const s of this.sites) {
      if (this.kinds.has(s.kind)) this.table.add(s.addr, s.kind);
      else this.table.delete(s.addr, s.kind);
    }
  }

  /** On the hit path at `addr` (with these owners): the exception stop it is, if any; a raised panic value is noted on the way. */
  atHit(addr: number, owners: ReadonlySet<SiteOwner>, regs: Registers): ExceptionSite | undefined {
    if (!owners.has('panic') && !owners.has('fatal')) return undefined;
    const site = this.sites.find((s) => s.addr === addr && owners.has(s.kind));
    if (!site) return undefined;
    if (site.record) {
      this.raised.set(regs.r14, raisedValue(regs));
      return undefined;
    }
    if (site.kind === 'panic' && this.panicCondition) {
      const raised = this.raised.get(regs.r14);
      const mem = this.mem?.();
      if (!raised || !mem || !this.panicCondition.holds(raised, this.symbols, mem)) return undefined;
    }
    return site;
  }

  /** What the stop at `site` of the thread with `regs` shows; a value that cannot be read says why. */
  describe(site: ExceptionSite, regs: () => Registers, ctx: DescribeContext): ExceptionDetails {
    try {
      const r = regs();
      return describeException(site, r, ctx, this.raised.get(r.r14));
    } catch (e) {
      return { id: site.kind === 'panic' ? 'panic' : 'fatal error', description: `(could not read the value: ${(e as Error).message})` };
    }
  }
}

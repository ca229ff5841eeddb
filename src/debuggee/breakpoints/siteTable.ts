/**
 * Reference-counted breakpoint sites: user breakpoints and temporary (step)
 * breakpoints can share an address; the int3 stays while anyone needs it.
 */
import type { DebuggeeProcess } from '../../process/process.js';

/** 'watch': the int3s that follow a watched stack variable (stackWatches.ts). */
export type SiteOwner = number | 'step' | 'panic' | 'fatal' | 'watch';

export class SiteTable {
  private readonly owners = new Map<number, Set<SiteOwner>>();
  private inf?: DebuggeeProcess;

  /** Binds to a live process, inserting every site already requested. */
  bind(inf: DebuggeeProcess | undefined): void {
    this.inf = inf;
    if (!inf) return;
    for (const addr of this.owners.keys()) this.tryInsert(addr);
  }

  add(addr: number, owner: SiteOwner): boolean {
    let set = this.owners.get(addr);
    if (!set) {
      set = new Set();
      this.owners.set(addr, set);
    }
    set.add(owner);
    return set.size === 1 ? this.tryInsert(addr) : true;
  }

  delete(addr: number, owner: SiteOwner): void {
    const set = this.owners.get(addr);
    if (!set?.delete(owner)) return;
    if (set.size === 0) {
      this.owners.delete(addr);
      if (this.inf && this.inf.state !== 'exited') {
        try {
          this.inf.removeBreakpoint(addr);
        } catch {
          /* process gone */
        }
      }
    }
  }

  /** Removes every site held by `owner`. */
  deleteOwner(owner: SiteOwner): void {
    for (const [addr, set] of [...this.owners]) if (set.has(owner)) this.delete(addr, owner);
  }

  ownersAt(addr: number): ReadonlySet<SiteOwner> | undefined {
    return this.owners.get(addr);
  }

  private tryInsert(addr: number): boolean {
    if (!this.inf || this.inf.state === 'exited') return true;
    try {
      this.inf.insertBreakpoint(addr);
      return true;
    } catch {
      return false;
    }
  }
}

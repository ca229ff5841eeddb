/**
 * User breakpoints: source lines and functions resolved to code addresses
 * through the line table, with condition, hit condition and log message.
 */
import type { GoFunc, SymbolTable } from '../symbolTable.js';
import type { PathMapper } from '../pathMap.js';
import type { SiteTable } from './siteTable.js';
import { parseHitCondition, type HitCondition } from './hitCondition.js';
import { checkCondition } from './conditionCheck.js';
import { BreakpointDiagnostics } from './diagnostics.js';

export interface BreakpointSpec {
  line: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface FunctionBreakpointSpec {
  name: string;
  condition?: string;
  hitCondition?: string;
}

export interface InstructionBreakpointSpec {
  address: number;
  condition?: string;
  hitCondition?: string;
}

export interface UserBreakpoint {
  id: number;
  kind: 'line' | 'function' | 'instruction';
  verified: boolean;
  /** Actual line (after moving to the next line with code). */
  line?: number;
  /** Path as the client gave it (line breakpoints). */
  clientPath?: string;
  /** Path as the binary records it. */
  file?: string;
  funcName?: string;
  message?: string;
  addrs: number[];
  condition?: string;
  hitCondition?: HitCondition;
  logMessage?: string;
  /** Hits whose condition held. */
  hits: number;
  /** Why the condition or hit condition is rejected (the breakpoint is then unverified and never installed). */
  invalid?: string;
  /** The first run-time failure of the condition (it stopped once; hits failing with the same message go on). */
  conditionFailure?: string;
  /** What the stop at the current hit should say about this breakpoint (set by the hit that stops). */
  stopNote?: string;
}

export class BreakpointManager {
  private nextId = 1;
  private readonly byClientFile = new Map<string, UserBreakpoint[]>();
  private functionBps: UserBreakpoint[] = [];
  private instructionBps: UserBreakpoint[] = [];
  private readonly byId = new Map<number, UserBreakpoint>();
  /** Why a line breakpoint does not bind, and the stale-binary warning (diagnostics.ts). */
  readonly diagnostics: BreakpointDiagnostics;

  constructor(
    private readonly symbols: SymbolTable,
    private readonly paths: PathMapper,
    private readonly sites: SiteTable,
  ) {
    this.diagnostics = new BreakpointDiagnostics(symbols, symbols.path);
  }

  /** Replaces the breakpoints of one client file. */
  setLineBreakpoints(clientPath: string, specs: BreakpointSpec[]): UserBreakpoint[] {
    const old = this.byClientFile.get(clientPath) ?? [];
    const file = this.paths.toBinary(clientPath);
    if (specs.length) this.diagnostics.checkStale(clientPath);
    const result: UserBreakpoint[] = [];
    for (const spec of specs) {
      const bp = this.makeLine(clientPath, file, spec);
      // Keep a breakpoint's id (and hit count) when the same line is set again.
      const prev = old.find((o) => o.line === bp.line && o.verified === bp.verified && !result.includes(o));
      if (prev) {
        bp.id = prev.id;
        bp.hits = prev.condition === bp.condition ? prev.hits : 0;
      } else bp.id = this.nextId++;
      result.push(bp);
    }
    for (const o of old) this.drop(o);
    for (const bp of result) this.install(bp);
    this.byClientFile.set(clientPath, result);
    return result;
  }

  setFunctionBreakpoints(specs: FunctionBreakpointSpec[]): UserBreakpoint[] {
    for (const o of this.functionBps) this.drop(o);
    this.functionBps = specs.map((spec) => {
      const bp = this.makeFunction(spec);
      this.install(bp);
      return bp;
    });
    return this.functionBps;
  }

  /** Breakpoints on machine instructions (the disassembly view). */
  setInstructionBreakpoints(specs: InstructionBreakpointSpec[]): UserBreakpoint[] {
    for (const o of this.instructionBps) this.drop(o);
    this.instructionBps = specs.map((spec) => {
      const bp = this.base('instruction', spec);
      bp.id = this.nextId++;
      const fn = this.symbols.funcForPC(spec.address);
      if (!fn) bp.message = `0x${spec.address.toString(16)} is not in the program's code`;
      else {
        const loc = this.symbols.lineForPC(spec.address);
        bp.addrs = [spec.address];
        bp.funcName = fn.name;
        bp.file = loc?.file;
        bp.line = loc?.line;
        bp.clientPath = loc ? this.paths.toClient(loc.file) : undefined;
        bp.verified = true;
      }
      this.install(bp);
      return bp;
    });
    return this.instructionBps;
  }

  get(id: number): UserBreakpoint | undefined {
    return this.byId.get(id);
  }

  /** User breakpoints whose code address is `addr`. */
  at(addr: number): UserBreakpoint[] {
    const owners = this.sites.ownersAt(addr);
    if (!owners) return [];
    const out: UserBreakpoint[] = [];
    for (const o of owners)
      if (typeof o === 'number') {
        const bp = this.byId.get(o);
        if (bp) out.push(bp);
      }
    return out;
  }

  all(): UserBreakpoint[] {
    return [...this.byId.values()];
  }

  private makeLine(clientPath: string, file: string | undefined, spec: BreakpointSpec): UserBreakpoint {
    const bp = this.base('line', spec);
    bp.clientPath = clientPath;
    bp.line = spec.line;
    if (!file) {
      bp.message = this.diagnostics.fileNotInBinary(clientPath, this.paths.mapped(clientPath));
      return bp;
    }
    bp.file = file;
    let line = spec.line;
    let sites = this.symbols.sitesForLine(file, line);
    if (sites.length === 0) {
      const next = this.symbols.nearestLineWithCode(file, line);
      if (next !== undefined) {
        line = next;
        sites = this.symbols.sitesForLine(file, line);
      }
    }
    if (sites.length === 0) {
      bp.message = this.diagnostics.noCodeAtLine(clientPath, file, spec.line);
      return bp;
    }
    bp.line = line;
    bp.addrs = [...new Set(sites.map((s) => s.pc))];
    bp.verified = true;
    return bp;
  }

  private makeFunction(spec: FunctionBreakpointSpec): UserBreakpoint {
    const bp = this.base('function', spec);
    bp.id = this.nextId++;
    bp.funcName = spec.name;
    const fn = findFunction(this.symbols, spec.name.trim());
    if (!fn) {
      bp.message = `No function named ${spec.name} in the program`;
      return bp;
    }
    bp.funcName = fn.name;
    const pc = this.symbols.prologueEnd(fn);
    const loc = this.symbols.lineForPC(pc);
    bp.addrs = [pc];
    bp.file = loc?.file;
    bp.line = loc?.line;
    bp.clientPath = loc ? this.paths.toClient(loc.file) : undefined;
    bp.verified = true;
    return bp;
  }

  private base(kind: UserBreakpoint['kind'], spec: { condition?: string; hitCondition?: string; logMessage?: string }): UserBreakpoint {
    const bp: UserBreakpoint = { id: 0, kind, verified: false, addrs: [], hits: 0 };
    if (spec.condition?.trim()) {
      bp.condition = spec.condition.trim();
      bp.invalid = checkCondition(bp.condition);
    }
    if (spec.logMessage) bp.logMessage = spec.logMessage;
    if (spec.hitCondition?.trim()) {
      const hc = parseHitCondition(spec.hitCondition);
      if ('error' in hc) bp.invalid ??= hc.error;
      else bp.hitCondition = hc;
    }
    return bp;
  }

  private install(bp: UserBreakpoint): void {
    this.byId.set(bp.id, bp);
    // A condition or hit condition that cannot be understood is not a breakpoint that works: unverified, with the reason.
    if (bp.invalid) {
      bp.verified = false;
      bp.message = bp.invalid;
    }
    if (!bp.verified) return;
    for (const a of bp.addrs) {
      if (!this.sites.add(a, bp.id)) {
        bp.verified = false;
        bp.message = `Could not write a breakpoint at 0x${a.toString(16)}`;
      }
    }
  }

  private drop(bp: UserBreakpoint): void {
    this.byId.delete(bp.id);
    for (const a of bp.addrs) this.sites.delete(a, bp.id);
  }
}

/**
 * Finds a function by the names users type: the full symbol (`main.main`,
 * `example.com/m/pkg.(*T).Method`), a package-qualified one (`pkg.Func`), or a
 * bare name in package main (`fact`).
 */
export function findFunction(symbols: SymbolTable, name: string): GoFunc | undefined {
  const exact = symbols.funcByName(name);
  if (exact) return exact;
  const candidates = [`main.${name}`];
  for (const c of candidates) {
    const f = symbols.funcByName(c);
    if (f) return f;
  }
  return symbols.findFunctionBySuffix(name);
}

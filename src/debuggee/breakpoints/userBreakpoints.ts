/**
 * User breakpoints: source lines and functions resolved to code addresses
 * through the line table, with condition, hit condition and log message.
 */
import { elideTypeArgs } from '../../binary/funcTable.js';
import type { GoFunc, LinePC, SymbolTable } from '../symbolTable.js';
import type { PathMapper } from '../pathMap.js';
import type { SiteTable } from './siteTable.js';
import { parseHitCondition, type HitCondition } from './hitCondition.js';
import { checkCondition } from './conditionCheck.js';
import { lineLocations, locationAtColumn } from './locations.js';
import { sourceLine } from '../sourceColumns.js';
import { BreakpointDiagnostics } from './diagnostics.js';
import { entryStop } from '../stepping/stepTarget.js';

/**
 * One address per body holding the line: a function's own code, and each
 * inlined copy of a call (told apart by its chain of call sites). A line with
 * several statement starts in one body (a `for` header's init, condition and
 * post statement; a statement spread over lines whose code comes back to its
 * first line) stops once per execution of the line, at the lowest of them, as
 * Delve binds it: the first is_stmt address of the line in each body.
 */
export function firstSitePerBody(symbols: SymbolTable, sites: readonly LinePC[]): number[] {
  const first = new Map<string, number>();
  for (const s of sites) {
    const calls = s.inlined
      ? symbols
          .inlinedFramesAt(s.pc)
          .slice(1)
          .map((f) => `${f.funcName}:${f.file}:${f.line}`)
      : [];
    const key = `${s.fn.entry}|${calls.join('|')}`;
    const have = first.get(key);
    if (have === undefined || s.pc < have) first.set(key, s.pc);
  }
  return [...new Set(first.values())].sort((a, b) => a - b);
}

export interface BreakpointSpec {
  line: number;
  /** 1-based column: the breakpoint binds at the statement there (see locations.ts). */
  column?: number;
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
  /** Column of the statement a column breakpoint bound to. */
  column?: number;
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
  /** The request it was made from (a restart makes it again from this, in the new program). */
  spec?: BreakpointSpec | FunctionBreakpointSpec | InstructionBreakpointSpec;
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
    /**
     * Where the instruction holding an address starts (the Program reads the
     * code): an instruction breakpoint is only set at a start, since an int3
     * written inside an instruction changes what the program runs.
     */
    private readonly instructionStart?: (addr: number) => number | undefined,
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
      const bp = this.makeInstruction(spec);
      this.install(bp);
      return bp;
    });
    return this.instructionBps;
  }

  /**
   * A restart: the breakpoints of `old` (the previous program's manager) made
   * again from their requests in this program, with the same ids, so the
   * client's breakpoints stay the ones it knows. Returns them all.
   */
  restoreFrom(old: BreakpointManager): UserBreakpoint[] {
    this.nextId = old.nextId;
    const again = (prev: UserBreakpoint, made: UserBreakpoint): UserBreakpoint => {
      made.id = prev.id;
      this.install(made);
      return made;
    };
    for (const [clientPath, list] of old.byClientFile) {
      const file = this.paths.toBinary(clientPath);
      this.byClientFile.set(
        clientPath,
        list.map((o) => again(o, this.makeLine(clientPath, file, o.spec as BreakpointSpec))),
      );
    }
    this.functionBps = old.functionBps.map((o) => again(o, this.makeFunction(o.spec as FunctionBreakpointSpec)));
    this.instructionBps = old.instructionBps.map((o) => again(o, this.makeInstruction(o.spec as InstructionBreakpointSpec)));
    return this.all();
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
    bp.addrs = firstSitePerBody(this.symbols, sites);
    bp.verified = true;
    if (spec.column !== undefined && line === spec.line) {
      const at = locationAtColumn(lineLocations(this.symbols, file, line, sourceLine(clientPath, line)), spec.column);
      if (at) {
        bp.addrs = at.pcs;
        bp.column = at.column;
      }
    }
    return bp;
  }

  private makeFunction(spec: FunctionBreakpointSpec): UserBreakpoint {
    const bp = this.base('function', spec);
    bp.id = this.nextId++;
    bp.funcName = spec.name;
    const fns = findFunctions(this.symbols, spec.name.trim());
    if (fns.length === 0) {
      // Type arguments as written in the source (`sumOf[int]`) name no symbol: the binary has one body per shape.
      const generic = spec.name.includes('[') ? findFunctions(this.symbols, elideTypeArgs(spec.name.trim())) : [];
      bp.message = generic.length
        ? `No function named ${spec.name} in the program: Go compiles one body per shape, ${generic.map((f) => f.name).join(', ')}; ${elideTypeArgs(spec.name.trim())} stops in all of them`
        : `No function named ${spec.name} in the program`;
      return bp;
    }
    // A generic function is one body per shape: the breakpoint holds every instantiation's entry.
    bp.funcName = fns.length === 1 ? fns[0]!.name : elideTypeArgs(fns[0]!.name);
    bp.addrs = [...new Set(fns.map((fn) => entryStop(this.symbols, fn)))];
    const loc = this.symbols.lineForPC(bp.addrs[0]!);
    bp.file = loc?.file;
    bp.line = loc?.line;
    bp.clientPath = loc ? this.paths.toClient(loc.file) : undefined;
    bp.verified = true;
    return bp;
  }

  private makeInstruction(spec: InstructionBreakpointSpec): UserBreakpoint {
    const bp = this.base('instruction', spec);
    bp.id = this.nextId++;
    const fn = this.symbols.funcForPC(spec.address);
    const start = fn && this.instructionStart?.(spec.address);
    if (!fn) bp.message = `0x${spec.address.toString(16)} is not in the program's code`;
    else if (start !== undefined && start !== spec.address)
      bp.message = `0x${spec.address.toString(16)} is inside the instruction at 0x${start.toString(16)} (${fn.name}+${start - fn.entry}): a breakpoint goes at the start of an instruction`;
    else {
      const loc = this.symbols.lineForPC(spec.address);
      bp.addrs = [spec.address];
      bp.funcName = fn.name;
      bp.file = loc?.file;
      bp.line = loc?.line;
      bp.clientPath = loc ? this.paths.toClient(loc.file) : undefined;
      bp.verified = true;
    }
    return bp;
  }

  private base(kind: UserBreakpoint['kind'], spec: BreakpointSpec | FunctionBreakpointSpec | InstructionBreakpointSpec): UserBreakpoint {
    const bp: UserBreakpoint = { id: 0, kind, verified: false, addrs: [], hits: 0, spec };
    if (spec.condition?.trim()) {
      bp.condition = spec.condition.trim();
      bp.invalid = checkCondition(bp.condition);
    }
    if ('logMessage' in spec && spec.logMessage) bp.logMessage = spec.logMessage;
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
  return findFunctions(symbols, name)[0];
}

/**
 * Every function a typed name means, by the same rules as findFunction; a
 * generic function's name (`sumOf`, `main.sumOf`, `main.sumOf[...]`) means
 * all its instantiations.
 */
export function findFunctions(symbols: SymbolTable, name: string): GoFunc[] {
  for (const candidate of [name, `main.${name}`]) {
    const named = symbols.functionsNamed?.(candidate);
    if (named?.length) return named;
    const f = symbols.funcByName(candidate);
    if (f) return [f];
  }
  const bySuffix = symbols.findFunctionsBySuffix?.(name);
  if (bySuffix) return bySuffix;
  const f = symbols.findFunctionBySuffix(name);
  return f ? [f] : [];
}

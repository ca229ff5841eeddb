/**
 * `Dwarf`: the debugger's view of a Go binary's DWARF. Construction reads unit
 * headers only; everything else is decoded on first use and cached:
 *  - the PC → compile unit index (root DIEs' ranges only);
 *  - per unit, its top-level subprograms with their PC ranges;
 *  - per function, its variables, lexical blocks and inlined calls;
 *  - the name / runtime-type-address indexes of types and the global variables
 *    (one pass over the units' top-level children, subtrees skipped unread);
 *  - per unit, its line table.
 */
import { DecodeError } from '../binary/reader.js';
import { AT, TAG } from './constants.js';
import { FrameTable, type UnwindRules } from './frame.js';
import { ConstantIndex, packageOfType, type DwarfConstant, type NamedConstant } from './goConstants.js';
import { FunctionBuilder, rangesContain, type DwarfCompileUnit, type DwarfFunction, type DwarfInlinedCall, type DwarfVariable } from './functions.js';
import { TYPE_TAGS, TypeLoader, isTypeTag, type GoType } from './goTypes.js';
import { InfoReader, type Die, type Unit } from './info.js';
import { LineTable, parseLineTable, type LineRow } from './line.js';
import { dieRanges, rangeBounds } from './lists.js';
import type { DwarfSections } from './sections.js';

export type { DwarfCompileUnit, DwarfFunction, DwarfInlinedCall, DwarfVariable } from './functions.js';
export type { DwarfConstant } from './goConstants.js';
export type { GoType } from './goTypes.js';
export { LineTable, type LineRow } from './line.js';
export type { LocationList, PcRange } from './lists.js';
export { locationAt } from './lists.js';
export type { DwarfSections } from './sections.js';

/** Go runtime type aliases (Go 1.21+) → the name the linker gives their DIE. */
const TYPE_ALIASES: Record<string, string> = {
  'runtime._type': 'internal/abi.Type',
  'runtime.itab': 'internal/abi.ITab',
  '*runtime._type': '*internal/abi.Type',
  '*runtime.itab': '*internal/abi.ITab',
};

const SUBPROGRAM_FILTER = { tags: new Set<number>([TAG.subprogram]), attrs: new Set<number>([AT.low_pc, AT.high_pc, AT.ranges]) };
const TOP_LEVEL_FILTER = {
  tags: new Set<number>([...TYPE_TAGS, TAG.variable]),
  attrs: new Set<number>([AT.name, AT.go_runtime_type, AT.location, AT.type]),
};

export interface DwarfGlobal {
  name: string;
  /** Address of the variable (from its DW_OP_addr location). */
  address: number;
  typeOffset: number;
  cu: DwarfCompileUnit;
  offset: number;
}

export interface ScopedVariable extends DwarfVariable {
  /** An inner variable of the same name is in scope at this PC. */
  shadowed: boolean;
}

interface FuncEntry {
  lo: number;
  hi: number;
  offset: number;
  unit: Unit;
}

interface CuInfo {
  cu: DwarfCompileUnit;
  unit: Unit;
  funcs?: FuncEntry[];
  lines?: LineTable;
  files?: string[];
}

export class Dwarf {
  readonly info: InfoReader;
  private readonly types: TypeLoader;
  private readonly builder: FunctionBuilder;
  private readonly cus = new Map<number, CuInfo>();
  private pcIndex: { lo: number; hi: number; cu: CuInfo }[] | undefined;
  private readonly fnCache = new Map<number, DwarfFunction>();
  private nameIndex: Map<string, number> | undefined;
  private rtIndex: Map<number, number> | undefined;
  private globalList: DwarfGlobal[] | undefined;
  private frameTable: FrameTable | undefined;

  /**
   * @param runtimeTypesBase moduledata.types: the address of the `runtime.types`
   *   symbol (or the running process's moduledata.types for a relocated PIE).
   *   Needed by `typeByRuntimeAddr`; settable later.
   */
  constructor(
    readonly sections: DwarfSections,
    public runtimeTypesBase?: number,
    /** The load bias of a relocated position-independent image: every address answered is a runtime one. */
    readonly addressBias = 0,
  ) {
    this.info = new InfoReader(sections, addressBias);
    this.types = new TypeLoader(this.info);
    this.builder = new FunctionBuilder(this.info, sections, (cu, i) => this.fileNames(cu)[i]);
  }

  // ---- compile units ------------------------------------------------------

  private cuInfo(u: Unit): CuInfo {
    let c = this.cus.get(u.offset);
    if (c) return c;
    const root = this.info.root(u);
    const stmt = root.get(AT.stmt_list);
    const cu: DwarfCompileUnit = {
      offset: u.offset,
      name: root.name ?? '',
      compDir: root.str(AT.comp_dir) ?? '',
      producer: root.str(AT.producer) ?? '',
      language: root.num(AT.language) ?? 0,
      version: u.version,
      ranges: root.tag === TAG.compile_unit || root.tag === TAG.partial_unit ? dieRanges(this.sections, root) : [],
      stmtList: typeof stmt === 'number' ? stmt : undefined,
    };
    c = { cu, unit: u };
    this.cus.set(u.offset, c);
    return c;
  }

  /** All compile units (decodes each root DIE). */
  compileUnits(): DwarfCompileUnit[] {
    return this.info.units.map((u) => this.cuInfo(u).cu);
  }

  private ensurePcIndex(): { lo: number; hi: number; cu: CuInfo }[] {
    if (this.pcIndex) return this.pcIndex;
    const idx: { lo: number; hi: number; cu: CuInfo }[] = [];
    for (const u of this.info.units) {
      const c = this.cuInfo(u);
      for (const [lo, hi] of c.cu.ranges) idx.push({ lo, hi, cu: c });
    }
    idx.sort((a, b) => a.lo - b.lo);
    this.pcIndex = idx;
    return idx;
  }

  /** The compile unit whose ranges contain `pc`. */
  cuForPC(pc: number): DwarfCompileUnit | undefined {
    return this.cuInfoForPC(pc)?.cu;
  }

  private cuInfoForPC(pc: number): CuInfo | undefined {
    const idx = this.ensurePcIndex();
    let lo = 0;
    let hi = idx.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = idx[mid]!;
      if (pc < e.lo) hi = mid - 1;
      else if (pc >= e.hi) lo = mid + 1;
      else return e.cu;
    }
    return undefined;
  }

  private cuByOffset(offset: number): CuInfo {
    const u = this.info.unitAt(offset);
    if (!u) throw new DecodeError('.debug_info', offset, 'no unit at offset');
    return this.cuInfo(u);
  }

  // ---- functions ----------------------------------------------------------

  private funcsOf(c: CuInfo): FuncEntry[] {
    if (c.funcs) return c.funcs;
    const out: FuncEntry[] = [];
    const root = this.info.root(c.unit);
    this.info.forEachChild(
      root,
      (d) => {
        for (const [lo, hi] of dieRanges(this.sections, d)) out.push({ lo, hi, offset: d.offset, unit: c.unit });
      },
      SUBPROGRAM_FILTER,
    );
    out.sort((a, b) => a.lo - b.lo);
    c.funcs = out;
    return out;
  }

  /** The function whose code contains `pc`, with its variables and inlined calls. */
  functionAt(pc: number): DwarfFunction | undefined {
    const c = this.cuInfoForPC(pc);
    if (!c) return undefined;
    const fs = this.funcsOf(c);
    let lo = 0;
    let hi = fs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = fs[mid]!;
      if (pc < e.lo) hi = mid - 1;
      else if (pc >= e.hi) lo = mid + 1;
      else return this.functionByOffset(e.offset);
    }
    return undefined;
  }

  /** The function described by the subprogram DIE at `offset`. */
  functionByOffset(offset: number): DwarfFunction {
    let fn = this.fnCache.get(offset);
    if (fn) return fn;
    const c = this.cuByOffset(offset);
    const die = this.info.tree(offset, c.unit);
    if (die.tag !== TAG.subprogram) throw new DecodeError('.debug_info', offset, 'not a subprogram');
    fn = this.builder.build(die, c.cu);
    if (fn.declFile === undefined && fn.lowPC) fn.declFile = this.rowAt(c, fn.lowPC)?.file;
    this.fnCache.set(offset, fn);
    return fn;
  }

  /** Every function with code (name and ranges only; variables are decoded by `functionByOffset`). */
  functions(): { name: string; lowPC: number; highPC: number; offset: number }[] {
    const out: { name: string; lowPC: number; highPC: number; offset: number }[] = [];
    for (const u of this.info.units) {
      const c = this.cuInfo(u);
      const seen = new Set<number>();
      for (const f of this.funcsOf(c)) {
        if (seen.has(f.offset)) continue;
        seen.add(f.offset);
        const d = this.info.die(f.offset, u)!;
        const [lowPC, highPC] = rangeBounds(dieRanges(this.sections, d));
        out.push({
          name: this.builder.origin(d).name,
          lowPC,
          highPC,
          offset: f.offset,
        });
      }
    }
    return out;
  }

  /**
   * The function's own variables in scope at `pc` (lexical block ranges contain
   * pc). A variable hidden by an inner one of the same name is kept and marked
   * `shadowed`. Variables of inlined calls are on `inlinedAt(pc)`.
   */
  variablesAt(pc: number): ScopedVariable[] {
    const fn = this.functionAt(pc);
    if (!fn) return [];
    return scopeVariables(fn.variables, pc);
  }

  /** The chain of inlined calls containing `pc`, outermost first. */
  inlinedAt(pc: number): DwarfInlinedCall[] {
    const fn = this.functionAt(pc);
    const chain: DwarfInlinedCall[] = [];
    let list = fn?.inlined ?? [];
    for (;;) {
      const next = list.find((c) => rangesContain(c.ranges, pc));
      if (!next) return chain;
      chain.push(next);
      list = next.inlined;
    }
  }

  // ---- globals and types --------------------------------------------------

  /**
   * Type and global indexes, built per unit on demand. Go's linker puts every
   * type DIE in the "runtime" unit, so type lookups scan that unit first and
   * every unit only when a name is not found there; globals live in their
   * package's unit, so `global("pkg.V")` scans the units named "pkg".
   */
  private scanned = new Set<number>();

  private scanUnit(u: Unit): void {
    if (this.scanned.has(u.offset)) return;
    this.scanned.add(u.offset);
    const names = (this.nameIndex ??= new Map());
    const rt = (this.rtIndex ??= new Map());
    const c = this.cuInfo(u);
    const globals: DwarfGlobal[] = [];
    const root = this.info.root(u);
    this.info.forEachChild(
      root,
      (d) => {
        if (d.tag !== TAG.variable) {
          const n = d.name;
          if (n !== undefined && !names.has(n)) names.set(n, d.offset);
          // An offset from moduledata.types, in an address form: never relocated.
          const v = d.get(AT.go_runtime_type);
          const a = typeof v === 'number' ? v - u.bias : 0;
          if (a !== 0 && !rt.has(a)) rt.set(a, d.offset);
        } else {
          const g = this.globalFrom(d, c.cu);
          if (g) globals.push(g);
        }
      },
      TOP_LEVEL_FILTER,
    );
    this.unitGlobals.set(u.offset, globals);
  }

  private readonly unitGlobals = new Map<number, DwarfGlobal[]>();

  /**
   * Finds a named type without indexing: Go writes DW_AT_name as an inline
   * string right after a DIE's abbreviation code, so a byte search for the name
   * gives candidate DIE offsets, each checked by decoding it. A few ms instead
   * of scanning the whole runtime unit (every type of the program lives there).
   */
  private findNamedTypeQuick(name: string): GoType | undefined {
    // Go names every typedef with its package ("main.Celsius"); a dotless one is a misread.
    const dotless = !name.includes('.');
    const d = this.findNamedDieQuick(name, (x) => isTypeTag(x.tag) && !(dotless && x.tag === TAG.typedef) && this.decodesAsType(x.offset));
    return d && this.type(d.offset);
  }

  /**
   * Whether the DIE at `offset` decodes as a type whose size and referenced type
   * can be read: the byte search also matches a name's tail inside a longer
   * string ("func(unsafe.Pointer, unsafe.Pointer) bool" holds "bool" after a
   * space, which is a valid abbreviation code of a typedef), and such a DIE's
   * type reference may point into nothing.
   */
  private decodesAsType(offset: number): boolean {
    try {
      const t = this.type(offset);
      void t.size;
      if (t.kind === 'typedef') void t.target.kind;
      if (t.kind === 'pointer') void t.elem.kind;
      return true;
    } catch {
      return false;
    }
  }

  private findNamedDieQuick(name: string, accept: (d: Die) => boolean): Die | undefined {
    const info = this.sections.info;
    const needle = new TextEncoder().encode(`${name}\0`);
    const buf = Buffer.from(info.buffer, info.byteOffset, info.byteLength);
    for (let i = buf.indexOf(needle), n = 0; i >= 0 && n < 64; i = buf.indexOf(needle, i + 1), n++) {
      for (let k = 1; k <= 3; k++) {
        try {
          const d = this.info.die(i - k);
          if (d && d.name === name && accept(d)) return d;
        } catch {
          /* not a DIE start */
        }
      }
    }
    return undefined;
  }

  /**
   * A type by name, looked up only with the quick search: for types that may
   * legitimately be absent (a negative answer then costs no index scan).
   */
  optionalTypeByName(name: string): GoType | undefined {
    if (this.nameIndex && this.scanned.size > 0) return this.typeByName(name);
    return this.findNamedTypeQuick(name);
  }

  private unitsNamed(name: string): Unit[] {
    return this.info.units.filter((u) => this.cuInfo(u).cu.name === name);
  }

  /** Scans the type-holding unit(s) first; `all` scans every unit. */
  private ensureTypeIndex(all: boolean): void {
    if (all) {
      for (const u of this.info.units) this.scanUnit(u);
      return;
    }
    const rt = this.unitsNamed('runtime');
    for (const u of rt.length ? rt : this.info.units) this.scanUnit(u);
  }

  private buildTopLevelIndex(): void {
    for (const u of this.info.units) this.scanUnit(u);
    this.globalList = this.info.units.flatMap((u) => this.unitGlobals.get(u.offset) ?? []);
  }

  private globalFrom(d: Die, cu: DwarfCompileUnit): DwarfGlobal | undefined {
    const loc = d.bytes(AT.location);
    const name = d.name;
    // DW_OP_addr <8-byte address>
    if (!loc || name === undefined || loc.length !== 1 + d.unit.addrSize || loc[0] !== 0x03) return undefined;
    let address = 0;
    for (let i = d.unit.addrSize; i >= 1; i--) address = address * 256 + loc[i]!;
    address += d.unit.bias;
    const t = d.get(AT.type);
    return { name, address, typeOffset: typeof t === 'number' ? t : 0, cu, offset: d.offset };
  }

  /** Package-level variables (all, or those of package `pkg`, e.g. "main"). */
  globals(pkg?: string): DwarfGlobal[] {
    if (pkg !== undefined) {
      const units = this.unitsNamed(pkg);
      if (units.length) {
        for (const u of units) this.scanUnit(u);
        const prefix = `${pkg}.`;
        return units
          .flatMap((u) => this.unitGlobals.get(u.offset) ?? [])
          .filter((g) => g.name.startsWith(prefix) && !g.name.slice(prefix.length).includes('/'));
      }
    }
    if (!this.globalList) this.buildTopLevelIndex();
    const all = this.globalList!;
    if (pkg === undefined) return all;
    const prefix = `${pkg}.`;
    return all.filter((g) => g.name.startsWith(prefix) && !g.name.slice(prefix.length).includes('/'));
  }

  global(name: string): DwarfGlobal | undefined {
    if (!this.globalList) {
      // A candidate of the byte search must also decode as a variable with an address and a type that
      // decodes: the search can match a name's tail inside a longer string (see decodesAsType).
      const quick = this.findNamedDieQuick(name, (d) => d.tag === TAG.variable);
      const g = quick && this.globalFrom(quick, this.cuInfo(quick.unit).cu);
      if (g && g.typeOffset !== 0 && this.decodesAsType(g.typeOffset)) return g;
    }
    const slash = name.lastIndexOf('/');
    const dot = name.indexOf('.', slash + 1);
    if (dot > 0) {
      const found = this.globals(name.slice(0, dot)).find((g) => g.name === name);
      if (found) return found;
    }
    return this.globals().find((g) => g.name === name);
  }

  private constIndex: ConstantIndex | undefined;

  /** The index of package-level constants, made on first use. */
  private constants(): ConstantIndex {
    this.constIndex ??= new ConstantIndex(this.info, (ref) => this.type(ref).offset);
    return this.constIndex;
  }
  private readonly constsByType = new Map<number, DwarfConstant[]>();

  /** The package-level constants of named type `t`, from its package's unit(s) (cached per type). */
  constantsOf(t: GoType): DwarfConstant[] {
    let list = this.constsByType.get(t.offset);
    if (list) return list;
    const pkg = packageOfType(t.name);
    list = pkg ? this.constants().of(t.offset, this.unitsNamed(pkg)) : [];
    this.constsByType.set(t.offset, list);
    return list;
  }

  /** The package-level constant named `name` ("pkg/path.Name"), from its package's unit(s). */
  constantNamed(name: string): NamedConstant | undefined {
    const pkg = packageOfType(name);
    if (!pkg) return undefined;
    return this.constants().named(name, this.unitsNamed(pkg));
  }

  /** The package-level constants of package path `pkg`, by full name. */
  constantsIn(pkg: string): [string, NamedConstant][] {
    return this.constants().all(this.unitsNamed(pkg));
  }

  /** The Go type whose DIE is at `offset` (cached). */
  type(offset: number): GoType {
    return this.types.type(offset);
  }

  /**
   * A type by its Go name: 'runtime.g', '*main.Order', '[]int', 'map[string]int'.
   * Runtime aliases of internal/abi types ('runtime._type', 'runtime.itab'),
   * which DWARF only knows by their abi names, are accepted too.
   */
  /** Every type name of the binary (every unit indexed first). */
  typeNames(): IterableIterator<string> {
    this.ensureTypeIndex(true);
    return (this.nameIndex ?? new Map<string, number>()).keys();
  }

  typeByName(name: string): GoType | undefined {
    const find = () => this.nameIndex?.get(name) ?? this.nameIndex?.get(TYPE_ALIASES[name] ?? '');
    if (this.scanned.size === 0) {
      const quick = this.findNamedTypeQuick(name) ?? (TYPE_ALIASES[name] ? this.findNamedTypeQuick(TYPE_ALIASES[name]!) : undefined);
      if (quick) return quick;
    }
    this.ensureTypeIndex(false);
    let off = find();
    if (off === undefined && this.scanned.size < this.info.units.length) {
      this.ensureTypeIndex(true);
      off = find();
    }
    return off === undefined ? undefined : this.type(off);
  }

  /**
   * The type whose runtime descriptor (`*abi.Type`) is at `addr`: an interface's
   * dynamic type. DWARF stores descriptor offsets from moduledata.types, so this
   * needs `runtimeTypesBase` (undefined result without it).
   */
  typeByRuntimeAddr(addr: number): GoType | undefined {
    if (this.runtimeTypesBase === undefined) return undefined;
    return this.typeByRuntimeOffset(addr - this.runtimeTypesBase);
  }

  /** The type whose DW_AT_go_runtime_type is `offset` (from moduledata.types). */
  typeByRuntimeOffset(offset: number): GoType | undefined {
    this.ensureTypeIndex(false);
    let off = this.rtIndex?.get(offset);
    if (off === undefined && this.scanned.size < this.info.units.length) {
      this.ensureTypeIndex(true);
      off = this.rtIndex?.get(offset);
    }
    return off === undefined ? undefined : this.type(off);
  }

  /** Address of a type's runtime descriptor, when it has one and the types base is known. */
  runtimeTypeAddr(t: GoType): number | undefined {
    return t.runtimeType && this.runtimeTypesBase !== undefined ? this.runtimeTypesBase + t.runtimeType : undefined;
  }

  // ---- lines --------------------------------------------------------------

  private fileNames(cu: DwarfCompileUnit): string[] {
    const c = this.cuByOffset(cu.offset);
    if (c.files) return c.files;
    if (cu.stmtList === undefined || !this.sections.line) return (c.files = []);
    c.files = c.lines?.files ?? parseLineTable(this.sections, cu.stmtList, cu.compDir, c.unit.addrSize, true).files;
    return c.files;
  }

  /** The unit's line table (cached). */
  lineTable(cu: DwarfCompileUnit): LineTable {
    const c = this.cuByOffset(cu.offset);
    if (c.lines) return c.lines;
    if (cu.stmtList === undefined || !this.sections.line) {
      c.lines = LineTable.empty();
    } else {
      c.lines = parseLineTable(this.sections, cu.stmtList, cu.compDir, c.unit.addrSize, false, c.unit.bias);
    }
    c.files = c.lines.files;
    return c.lines;
  }

  private rowAt(c: CuInfo, pc: number): LineRow | undefined {
    return this.lineTable(c.cu).rowAt(pc);
  }

  /** Line rows whose address is inside the function's ranges (table order within each range). */
  lineRowsForFunction(fn: DwarfFunction): LineRow[] {
    const lt = this.lineTable(fn.cu);
    const ranges = [...fn.ranges].sort((a, b) => a[0] - b[0]);
    return ranges.flatMap(([lo, hi]) => lt.rowsIn(lo, hi));
  }

  /** The first PC marked prologue_end in the function starting at `lowPC`, if any. */
  prologueEndPC(lowPC: number): number | undefined {
    const fn = this.functionAt(lowPC);
    if (!fn) return undefined;
    for (const r of this.lineRowsForFunction(fn)) if (r.prologueEnd) return r.address;
    return undefined;
  }

  // ---- call frame information ---------------------------------------------

  /** The .debug_frame table (undefined when the section is absent). */
  frame(): FrameTable | undefined {
    if (!this.sections.frame) return undefined;
    this.frameTable ??= new FrameTable(this.sections.frame, this.info.units[0]?.addrSize ?? 8);
    return this.frameTable;
  }

  unwindRulesAt(pc: number): UnwindRules | undefined {
    return this.frame()?.unwindRulesAt(pc - this.addressBias);
  }
}

/**
 * Variables whose scope contains `pc`, outer ones of the same name marked
 * shadowed. With `line` (the line being executed in the function that owns
 * `vars`), a local is kept only once declared: its DW_AT_decl_line is before
 * `line`. On its own line a local is not assigned yet (`x := f()` stopped
 * before the call, `if v, ok := m[k]` before the lookup), so its slot holds
 * whatever the stack held: Delve draws the same line. Always kept: parameters
 * and results, locals without a decl_line, and a closure's captured
 * variables. Go 1.23+ marks those with DW_AT_go_closure_offset; Go 1.22 does
 * not, and gives a by-reference capture (`&x`) the closure's own line, a
 * by-value one its declaration line in the enclosing function.
 */
export function scopeVariables(vars: readonly DwarfVariable[], pc: number, line?: number, fnDeclLine?: number): ScopedVariable[] {
  const live = vars.filter((v) => (!v.scope || rangesContain(v.scope.ranges, pc)) && (line === undefined || isDeclared(v, line, fnDeclLine)));
  // A heap-moved variable is named `&x`: it hides, and is hidden by, an `x`.
  const key = (v: DwarfVariable) => (v.name.startsWith('&') ? v.name.slice(1) : v.name);
  const deepest = new Map<string, number>();
  for (const v of live) deepest.set(key(v), Math.max(deepest.get(key(v)) ?? -1, v.depth));
  return live.map((v) => ({ ...v, shadowed: v.depth < deepest.get(key(v))! }));
}

/** Is `v` declared when line `line` of its function runs? (see scopeVariables) */
export function isDeclared(v: DwarfVariable, line: number, fnDeclLine?: number): boolean {
  if (v.kind === 'param' || v.declLine === undefined || v.closureOffset !== undefined) return true;
  if (v.declLine < line) return true;
  return fnDeclLine !== undefined && (v.declLine < fnDeclLine || (v.declLine === fnDeclLine && v.name.startsWith('&')));
}

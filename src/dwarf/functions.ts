/**
 * Functions, their variables, lexical blocks and inlined calls, built from a
 * DW_TAG_subprogram subtree. Go writes three shapes of subprogram:
 *  - a plain function (name, low/high pc, frame_base, decl_file/line) with
 *    formal_parameter / variable children and nested lexical_block children;
 *  - an abstract function (DW_AT_inline, no PCs) for functions that were inlined;
 *  - a concrete out-of-line copy of it (DW_AT_abstract_origin + PCs) whose
 *    variables also point at the abstract ones through DW_AT_abstract_origin.
 * Inlined bodies are DW_TAG_inlined_subroutine children (abstract_origin,
 * call_file/call_line, low/high pc or ranges), themselves holding variables.
 */
import { AT, FORM, TAG } from './constants.js';
import type { Die, InfoReader } from './info.js';
import { dieRanges, rangeBounds, readLocationList, type LocationList, type PcRange } from './lists.js';
import type { DwarfSections } from './sections.js';

export interface DwarfVariable {
  name: string;
  kind: 'param' | 'local';
  /** DW_AT_variable_parameter: a named or unnamed (`~r0`) result. */
  isReturn?: boolean;
  /** DIE offset of the variable's type (use `Dwarf.type()`). */
  typeOffset: number;
  /** An expression valid in the whole scope, a location list, or undefined (optimized out). */
  location: Uint8Array | LocationList | undefined;
  declLine?: number;
  /** Lexical block ranges (innermost block); undefined = the whole function (or inlined call). */
  scope: { ranges: PcRange[] } | undefined;
  /** Lexical block nesting depth (0 = function level). */
  depth: number;
  /** DW_AT_go_closure_offset: offset of a captured variable inside the closure struct. */
  closureOffset?: number;
  /** DIE offset of the variable. */
  offset: number;
}

export interface DwarfInlinedCall {
  name: string;
  /** DIE offset of the abstract subprogram. */
  abstractOrigin: number;
  callFile?: string;
  callLine?: number;
  /** The inlined function's own declaration line (its abstract origin's DW_AT_decl_line). */
  declLine?: number;
  ranges: PcRange[];
  variables: DwarfVariable[];
  /** Calls inlined into this inlined body. */
  inlined: DwarfInlinedCall[];
  depth: number;
}

export interface DwarfCompileUnit {
  offset: number;
  name: string;
  compDir: string;
  producer: string;
  language: number;
  version: number;
  ranges: PcRange[];
  /** DW_AT_stmt_list offset in .debug_line, if any. */
  stmtList: number | undefined;
}

export interface DwarfFunction {
  name: string;
  lowPC: number;
  highPC: number;
  ranges: PcRange[];
  frameBase: Uint8Array;
  declFile?: string;
  declLine?: number;
  cu: DwarfCompileUnit;
  variables: DwarfVariable[];
  inlined: DwarfInlinedCall[];
  /** DIE offset of the subprogram. */
  offset: number;
  /** DW_AT_trampoline: a compiler-generated wrapper. */
  isWrapper: boolean;
}

/** Name/declaration data of a subprogram or its abstract origin. */
interface Origin {
  name: string;
  declFile?: number;
  declLine?: number;
}

export class FunctionBuilder {
  constructor(
    private readonly info: InfoReader,
    private readonly s: DwarfSections,
    /** File names by index for a unit (from its line table header). */
    private readonly fileName: (cu: DwarfCompileUnit, index: number) => string | undefined,
  ) {}

  /** Reads name and decl data, following DW_AT_abstract_origin / DW_AT_specification. */
  origin(die: Die): Origin {
    let d: Die | undefined = die;
    for (let i = 0; d && i < 8; i++) {
      if (d.name !== undefined) {
        return { name: d.name, declFile: d.num(AT.decl_file), declLine: d.num(AT.decl_line) ?? die.num(AT.decl_line) };
      }
      const o: unknown = d.get(AT.abstract_origin) ?? d.get(AT.specification);
      d = typeof o === 'number' ? this.info.die(o) : undefined;
    }
    return { name: '' };
  }

  build(die: Die, cu: DwarfCompileUnit): DwarfFunction {
    const tree = die.children.length > 0 || !die.hasChildren ? die : this.info.tree(die.offset, die.unit);
    const o = this.origin(tree);
    const ranges = dieRanges(this.s, tree);
    const [lowPC, highPC] = rangeBounds(ranges);
    const fn: DwarfFunction = {
      name: o.name,
      lowPC,
      highPC,
      ranges,
      frameBase: tree.bytes(AT.frame_base) ?? new Uint8Array(0),
      declLine: o.declLine,
      cu,
      variables: [],
      inlined: [],
      offset: tree.offset,
      isWrapper: tree.flag(AT.trampoline),
    };
    if (o.declFile !== undefined) fn.declFile = this.fileName(cu, o.declFile);
    this.walk(tree, cu, fn.variables, fn.inlined, undefined, 0, 0);
    return fn;
  }

  private walk(
    parent: Die,
    cu: DwarfCompileUnit,
    vars: DwarfVariable[],
    inlined: DwarfInlinedCall[],
    scope: { ranges: PcRange[] } | undefined,
    depth: number,
    inlineDepth: number,
  ): void {
    for (const c of parent.children) {
      switch (c.tag) {
        case TAG.formal_parameter:
        case TAG.variable:
          vars.push(this.variable(c, scope, depth));
          break;
        case TAG.lexical_block:
          this.walk(c, cu, vars, inlined, { ranges: dieRanges(this.s, c) }, depth + 1, inlineDepth);
          break;
        case TAG.inlined_subroutine: {
          const origin = c.get(AT.abstract_origin);
          const o = this.origin(c);
          const call: DwarfInlinedCall = {
            name: o.name,
            abstractOrigin: typeof origin === 'number' ? origin : 0,
            ranges: dieRanges(this.s, c),
            variables: [],
            inlined: [],
            depth: inlineDepth + 1,
          };
          const cf = c.num(AT.call_file);
          if (cf !== undefined) call.callFile = this.fileName(cu, cf);
          call.callLine = c.num(AT.call_line);
          if (o.declLine !== undefined) call.declLine = o.declLine;
          this.walk(c, cu, call.variables, call.inlined, undefined, 0, inlineDepth + 1);
          inlined.push(call);
          break;
        }
      }
    }
  }

  private variable(d: Die, scope: { ranges: PcRange[] } | undefined, depth: number): DwarfVariable {
    // Concrete variables carry only the location; the rest is on the abstract origin.
    let src = d;
    const ao = d.get(AT.abstract_origin);
    if (typeof ao === 'number') src = this.info.die(ao) ?? d;
    const typeOffset = d.get(AT.type) ?? src.get(AT.type);
    const v: DwarfVariable = {
      name: d.name ?? src.name ?? '',
      kind: d.tag === TAG.formal_parameter ? 'param' : 'local',
      typeOffset: typeof typeOffset === 'number' ? typeOffset : 0,
      location: this.location(d),
      scope,
      depth,
      offset: d.offset,
    };
    if (d.tag === TAG.formal_parameter) v.isReturn = d.has(AT.variable_parameter) ? d.flag(AT.variable_parameter) : src.flag(AT.variable_parameter);
    const line = d.num(AT.decl_line) ?? src.num(AT.decl_line);
    if (line !== undefined) v.declLine = line;
    const co = d.num(AT.go_closure_offset) ?? src.num(AT.go_closure_offset);
    if (co !== undefined) v.closureOffset = co;
    return v;
  }

  private location(d: Die): Uint8Array | LocationList | undefined {
    const v = d.get(AT.location);
    if (v instanceof Uint8Array) return v;
    if (typeof v !== 'number') return undefined;
    const f = d.form(AT.location);
    if (f === FORM.data4 || f === FORM.data8 || f === FORM.sec_offset || f === FORM.loclistx) {
      return readLocationList(this.s, d.unit, v);
    }
    return undefined;
  }
}

/** Does any of `ranges` contain `pc`? */
export function rangesContain(ranges: readonly PcRange[], pc: number): boolean {
  for (const [lo, hi] of ranges) if (pc >= lo && pc < hi) return true;
  return false;
}

/**
 * The scope an expression sees in a frame: the frame's visible variables
 * (the innermost of a shadowed name), then the package's globals. What a PC
 * can see is cached across stops (DWARF does not change), so a breakpoint
 * condition resolves its names once per PC, then only reads memory.
 */
import type { Dwarf } from '../dwarf/dwarf.js';
import type { DwarfFunction } from '../dwarf/functions.js';
import { frameScope, variableValue, type FrameInfo, type FrameVariable } from '../values/locations.js';
import type { ValueReader } from '../values/valueReader.js';
import type { FunctionCaller } from './callContract.js';
import { packageOf, type EvalScope } from './evaluator.js';

interface PcScope {
  fn: DwarfFunction;
  vars: FrameVariable[];
  visible: Map<string, FrameVariable>;
}

export class ScopeCache {
  private readonly byPc = new Map<string, PcScope | null>();

  constructor(private readonly dw: Dwarf) {}

  at(f: FrameInfo): PcScope | undefined {
    const key = `${f.pc}:${f.inlineIndex}`;
    let s = this.byPc.get(key);
    if (s === undefined) {
      const fs = frameScope(this.dw, f);
      if (!fs) s = null;
      else {
        const visible = new Map<string, FrameVariable>();
        for (const v of fs.vars) if (!v.dwarf.shadowed) visible.set(v.name, v);
        s = { fn: fs.fn, vars: fs.vars, visible };
      }
      this.byPc.set(key, s);
    }
    return s ?? undefined;
  }
}

/** An EvalScope over frame `f`. `funcName` gives the package for unqualified globals; `call` runs function calls (evaluate only). */
export function frameEvalScope(reader: ValueReader, cache: ScopeCache, f: FrameInfo, funcName: string | undefined, call?: FunctionCaller): EvalScope {
  const dw = reader.dwarf;
  const s = cache.at(f);
  return {
    reader,
    call,
    dwarf: dw,
    pkg: funcName ? packageOf(funcName) : s ? packageOf(s.fn.name) : undefined,
    local(name) {
      const fv = s?.visible.get(name);
      return fv && s ? variableValue(reader, dw, s.fn, s.vars, fv, f) : undefined;
    },
  };
}

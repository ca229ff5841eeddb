/**
 * The named values of a Variables-view scope: a frame's arguments, return
 * values and locals, and a package's globals.
 */
import { frameScope, variableValue, type FrameInfo } from '../../values/locations.js';
import type { Value } from '../../values/value.js';
import type { ValueReader } from '../../values/valueReader.js';

export interface NamedValue {
  name: string;
  value: Value;
  /** The Go expression that names it, when there is one (not for a shadowed local). */
  evalName?: string;
  /** A return value: shown, not set. */
  readOnly?: boolean;
}

/**
 * The compiler's bookkeeping variables a frame's DWARF lists that the program
 * has no name for: a generic function's type dictionary and a closure's context
 * pointer (Delve leaves them out too).
 */
const HIDDEN = new Set(['.dict', '.closureptr']);

/** The frame's variables in DWARF order; a shadowed one is named "x (shadowed)". */
export function frameLocals(r: ValueReader, f: FrameInfo): NamedValue[] {
  const dw = r.dwarf;
  const s = frameScope(dw, f);
  if (!s) return [];
  return s.vars
    .filter((v) => !HIDDEN.has(v.name))
    .map((v) => {
      const value = variableValue(r, dw, s.fn, s.vars, v, f);
      const n: NamedValue = { name: v.dwarf.shadowed ? `${v.name} (shadowed)` : v.name, value };
      if (!v.dwarf.shadowed) n.evalName = v.name;
      if (v.kind === 'return') n.readOnly = true;
      return n;
    });
}

/** Package `pkg`'s globals, named without the package prefix. */
export function packageGlobals(r: ValueReader, pkg: string): NamedValue[] {
  return r.dwarf.globals(pkg).map((g) => {
    let value: Value;
    try {
      value = { type: r.dwarf.type(g.typeOffset), addr: g.address };
    } catch (e) {
      value = { type: r.dwarf.typeByName('int')!, error: (e as Error).message };
    }
    return { name: g.name.slice(pkg.length + 1), value, evalName: g.name };
  });
}

export function packageGlobal(r: ValueReader, pkg: string, name: string): NamedValue | undefined {
  const g = r.dwarf.global(`${pkg}.${name}`);
  return g ? { name, value: { type: r.dwarf.type(g.typeOffset), addr: g.address } } : undefined;
}

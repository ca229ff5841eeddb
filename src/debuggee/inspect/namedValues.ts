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

/** `#yield1`, `#yield2`: the compiler's handle on a range-over-func loop body, in the function with the loop; no Go name (Delve leaves them out too). */
const isYieldHandle = (name: string) => name.startsWith('#yield');

/** The frame's variables in DWARF order; a shadowed one is named "x (shadowed)". */
export function frameLocals(r: ValueReader, f: FrameInfo): NamedValue[] {
  const dw = r.dwarf;
  const s = frameScope(dw, f);
  if (!s) return [];
  return s.vars
    .filter((v) => !HIDDEN.has(v.name) && !isYieldHandle(v.name))
    .map((v) => {
      const value = variableValue(r, dw, s.fn, s.vars, v, f);
      const n: NamedValue = { name: v.dwarf.shadowed ? `${v.name} (shadowed)` : v.name, value };
      if (!v.dwarf.shadowed) n.evalName = v.name;
      if (v.kind === 'return') n.readOnly = true;
      return n;
    });
}

/** A range-over-func loop body: the closure Go makes of it is named after its function, `F-range1`, `F-range2`, … (nested bodies too). */
const RANGE_BODY = /(-range\d+)+$/;

/** The function a range-over-func loop body is written in (`F-range2` → `F`), or undefined for any other function. */
export function rangeBodyOf(funcName: string): string | undefined {
  // The test first: most functions are no loop body, and the regex is compiled at its first use.
  return funcName.includes('-range') && RANGE_BODY.test(funcName) ? funcName.replace(RANGE_BODY, '') : undefined;
}

/**
 * The locals of a range-over-func loop body as the source shows them at its
 * line: the variables of the enclosing loop bodies and function (`parents`,
 * innermost first: frames further down the stack) and the body's own, which
 * win over a parent's of the same name (a captured variable is the parent's
 * own, by reference). The body's unnamed yield parameters (`~p0` for `_`) are
 * left out. A parent's variable has no evaluateName: expressions are
 * evaluated in the body's own scope, where it is not visible.
 */
export function withRangeParents(r: ValueReader, own: NamedValue[], parents: FrameInfo[]): NamedValue[] {
  // `~p0`: an unnamed yield parameter (frameLocals already leaves out `#yield1`).
  const named = (n: NamedValue) => !n.name.startsWith('~');
  const body = own.filter(named);
  const seen = new Set(body.map((n) => n.name));
  const outer: NamedValue[] = [];
  for (const pf of parents) {
    const vars = frameLocals(r, pf).filter((n) => named(n) && !seen.has(n.name));
    for (const n of vars) seen.add(n.name);
    outer.unshift(...vars.map((n) => ({ name: n.name, value: n.value })));
  }
  return [...outer, ...body];
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

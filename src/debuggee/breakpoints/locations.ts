/**
 * Breakpoint locations: the positions of a source line where a breakpoint
 * can bind, each a line and a column with the code addresses behind it.
 *
 * The line table gives, per function, the statement starts of a line; one
 * line holds code of several functions when function literals sit on it
 * (`a, b := func() int { return 1 }, func() int { return 2 }` has code of
 * the enclosing function and of its func1 and func2). The enclosing
 * function's code is at the line's first token. A literal's code is at the
 * first token of its body (at its `func` keyword when the body starts on the
 * next line): the compiler numbers the literals of a function in source
 * order (`f.func1`, `f.func2`, `f.func1.1` for one nested in func1), so the
 * literals whose code starts on this line, sorted by those numbers, are the
 * line's `func` literals from left to right.
 */
import { type LineColumns, scanLine } from '../sourceColumns.js';
import type { GoFunc, SymbolTable } from '../symbolTable.js';

export interface StatementLocation {
  line: number;
  /** 1-based column; undefined when the source text could not be read. */
  column?: number;
  /** Code addresses of the statement (every one gets the int3). */
  pcs: number[];
  /** The functions whose code it is. */
  functions: string[];
}

/** `main.main.func2.1` → [2, 1]; undefined for a function that is not a literal. */
export function literalNumbers(name: string): number[] | undefined {
  const m = /\.func(\d+(?:\.\d+)*)$/.exec(name);
  return m ? m[1]!.split('.').map(Number) : undefined;
}

function compareNumbers(a: number[], b: number[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The statement locations of `line` in `file` (the binary's path), in column
 * order; `text` is that line of the source as the user sees it.
 */
export function lineLocations(symbols: SymbolTable, file: string, line: number, text: string | undefined): StatementLocation[] {
  const sites = symbols.sitesForLine(file, line);
  if (sites.length === 0) return [];
  const byFn = new Map<GoFunc, number[]>();
  for (const s of sites) {
    const pcs = byFn.get(s.fn) ?? [];
    if (!pcs.includes(s.pc)) pcs.push(s.pc);
    byFn.set(s.fn, pcs);
  }
  const cols: LineColumns | undefined = text === undefined ? undefined : scanLine(text);
  // Literals whose code starts on this line, in the compiler's (= source) order.
  const literals = [...byFn.keys()]
    .map((fn) => ({ fn, nums: literalNumbers(fn.name) }))
    .filter((x): x is { fn: GoFunc; nums: number[] } => {
      const at = symbols.lineForPC(x.fn.entry);
      return x.nums !== undefined && at?.line === line && at.file === file;
    })
    .sort((a, b) => compareNumbers(a.nums, b.nums));
  const columnOf = new Map<GoFunc, number | undefined>();
  literals.forEach((x, i) => {
    const lit = cols?.funcLiterals[i];
    if (lit && literals.length <= (cols?.funcLiterals.length ?? 0)) columnOf.set(x.fn, lit.bodyColumn ?? lit.column);
  });
  const out = new Map<number | undefined, StatementLocation>();
  for (const [fn, pcs] of byFn) {
    const column = columnOf.get(fn) ?? cols?.first;
    const loc = out.get(column) ?? { line, column, pcs: [], functions: [] };
    loc.pcs.push(...pcs.filter((pc) => !loc.pcs.includes(pc)));
    if (!loc.functions.includes(fn.name)) loc.functions.push(fn.name);
    out.set(column, loc);
  }
  return [...out.values()].sort((a, b) => (a.column ?? 0) - (b.column ?? 0));
}

/** The location a breakpoint at `column` binds to: the last one starting at or before it, else the first. */
export function locationAtColumn(locs: StatementLocation[], column: number): StatementLocation | undefined {
  let best: StatementLocation | undefined;
  for (const l of locs) if (l.column === undefined || l.column <= column) best = l;
  return best ?? locs[0];
}
